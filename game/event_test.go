package game_test

import (
	"encoding/json"
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
