package game_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/sight"

	"github.com/carrierarcade/kiosk/game"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEventJSON(t *testing.T) {
	for _, tc := range []struct {
		e    game.Event
		want string
	}{
		{game.Event{At: 12500 * time.Millisecond, Kind: game.KindFind, Item: "cup", Points: 150},
			`{"t":12.5,"type":"find","item":"cup","points":150}`},
		{game.Event{Kind: game.KindRoundStart, Game: "hunt"}, `{"t":0,"type":"round_start","game":"hunt"}`},
		{game.Event{At: 1600 * time.Millisecond, Kind: game.KindPop, ID: 3, Points: 20, Combo: 2, Bubble: game.BubbleGolden},
			`{"t":1.6,"type":"pop","combo":2,"id":3,"kind":"golden","points":20}`},
		{game.Event{At: time.Second, Kind: game.KindCameraLost, Source: "camera:0", Reason: "stalled"},
			`{"t":1,"type":"camera_lost","outages":0,"reason":"stalled","source":"camera:0"}`},
		{game.Event{At: 2 * time.Second, Kind: game.KindCamera, Key: "K", Mode: "off"},
			`{"t":2,"type":"camera","key":"K","mode":"off"}`},
		{game.Event{At: time.Second, Kind: game.KindSceneFailed, Scene: "hunt", Err: "boom", Stack: "goroutine 1"},
			`{"t":1,"type":"scene_failed","error":"boom","scene":"hunt"}`},
		{game.Event{At: 1, Kind: "something new", Item: "x"}, `{"t":0,"type":"something new"}`},
	} {
		got, err := json.Marshal(tc.e)
		require.NoError(t, err)
		assert.Equal(t, tc.want, string(got))
	}
}

func TestViewBox(t *testing.T) {
	b := sight.Box{X0: 64, Y0: 48, X1: 192, Y1: 240}
	for _, tc := range []struct {
		name           string
		w, h           int
		mirror         bool
		x0, y0, x1, y1 float32
	}{
		{"plain", 640, 480, false, 0.1, 0.1, 0.3, 0.5},
		{"mirrored: sides swap", 640, 480, true, 0.7, 0.1, 0.9, 0.5},
		{"no frame", 0, 0, true, 0, 0, 0, 0},
	} {
		x0, y0, x1, y1 := game.ViewBox(b, tc.w, tc.h, tc.mirror)
		assert.InDeltaSlice(t, []float32{tc.x0, tc.y0, tc.x1, tc.y1}, []float32{x0, y0, x1, y1}, 1e-6, tc.name)
	}
}

// sampleEvent is an event of kind k with every field set to a value that
// is not empty, as no real event has them: what its line carries must come
// back, and only that.
func sampleEvent(k game.Kind) game.Event {
	e := game.Event{At: 12345 * time.Millisecond, Kind: k}
	v := reflect.ValueOf(&e).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		if v.Type().Field(i).Tag.Get("json") == "" {
			continue
		}
		switch f.Kind() {
		case reflect.String:
			f.SetString(v.Type().Field(i).Name + " value")
		case reflect.Int:
			f.SetInt(int64(i + 1))
		case reflect.Bool:
			f.SetBool(true)
		}
	}
	return e
}

// Every kind of event round-trips through its JSON line: each field its
// kind carries comes back, none other is written, and every field of
// Event is carried by some kind (the stack only goes to the log).
func TestEveryEventKindRoundTripsThroughJSON(t *testing.T) {
	written := map[string]bool{}
	for _, k := range game.Kinds() {
		e := sampleEvent(k)
		line, err := json.Marshal(e)
		require.NoError(t, err, k)
		var keys map[string]any
		require.NoError(t, json.Unmarshal(line, &keys))
		for name := range keys {
			written[name] = true
		}
		var back game.Event
		require.NoError(t, json.Unmarshal(line, &back), "%s: %s", k, line)
		again, err := json.Marshal(back)
		require.NoError(t, err)
		assert.Equal(t, string(line), string(again), k)
		assert.Equal(t, e.At, back.At, k)
		// What came back is the sample's value, field by field.
		bv, ev := reflect.ValueOf(back), reflect.ValueOf(e)
		for i := range bv.NumField() {
			name := bv.Type().Field(i).Tag.Get("json")
			if name == "" {
				continue
			}
			if _, carried := keys[name]; carried {
				assert.Equal(t, ev.Field(i).Interface(), bv.Field(i).Interface(), "%s.%s", k, name)
			} else {
				assert.True(t, bv.Field(i).IsZero(), "%s: %s not in the line, yet set", k, name)
			}
		}
	}
	et := reflect.TypeFor[game.Event]()
	for i := range et.NumField() {
		if name := et.Field(i).Tag.Get("json"); name != "" && name != "stack" {
			assert.True(t, written[name], "no kind of event writes %q", name)
		}
	}
	var e game.Event
	assert.ErrorContains(t, json.Unmarshal([]byte(`{"t":1,"type":"find","item":"cup","lives":3}`), &e), `no field "lives"`)
}
