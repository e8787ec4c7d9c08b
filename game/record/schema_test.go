package record_test

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/game/record"
	"github.com/carrierarcade/kiosk/sight"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// everyField is an event of kind k with every field of Event set, to
// values no field has by default.
func everyField(k game.Kind) game.Event {
	e := game.Event{Kind: k}
	v := reflect.ValueOf(&e).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch {
		case v.Type().Field(i).Tag.Get("json") == "":
		case f.Kind() == reflect.String:
			f.SetString(string(k) + " " + v.Type().Field(i).Name)
		case f.Kind() == reflect.Int:
			f.SetInt(int64(100 + i))
		case f.Kind() == reflect.Bool:
			f.SetBool(true)
		}
	}
	return e
}

// Every kind of event round-trips through a recording: told to the
// session by its host (a note), kept in the file, and heard again in the
// replay with every field as it was.
func TestEveryEventKindRoundTripsThroughARecording(t *testing.T) {
	setup := game.Setup{Game: game.DefaultConfig(), Keys: game.DefaultKeyConfig(), TPS: tps, Seed: 5}
	setup.Game.DemoAutoplaySeconds = 0
	path := filepath.Join(t.TempDir(), "kinds.rec")
	ses := game.NewSession(setup, nil, nil)
	w, err := record.Create(path, setup, nil, nil)
	require.NoError(t, err)
	ses.Record(w)
	ses.Listen(w.Hear)
	var told []game.Event
	ses.Listen(func(e game.Event) { told = append(told, e) })
	ses.SetDay("2026-12-03")
	var o sight.Observation
	for _, k := range game.Kinds() {
		ses.Note(everyField(k))
		ses.Step(&o)
	}
	require.NoError(t, w.Close())
	require.Len(t, told, len(game.Kinds()), "one event a tick: the notes")

	rec, err := record.Open(path)
	require.NoError(t, err)
	var heard []game.Event
	_, same, err := rec.Replay(func(e game.Event) { heard = append(heard, e) })
	require.NoError(t, err)
	assert.True(t, same, "the replay's events hash as the run's")
	require.Len(t, heard, len(told))
	for i := range told {
		assert.Equal(t, told[i], heard[i], "kind %s", told[i].Kind)
	}
}
