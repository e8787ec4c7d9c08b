package game_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEventJSON(t *testing.T) {
	for _, tc := range []struct {
		e    game.Event
		want string
	}{
		{game.Event{T: 12.5, Type: "find", Fields: map[string]any{"points": 150, "item": "cup"}},
			`{"t":12.5,"type":"find","item":"cup","points":150}`},
		{game.Event{T: 0, Type: "round_start"}, `{"t":0,"type":"round_start"}`},
		{game.Event{T: 1, Type: "x", Fields: map[string]any{"type": "y", "t": 2, "a": true}},
			`{"t":1,"type":"x","a":true}`},
	} {
		got, err := json.Marshal(tc.e)
		require.NoError(t, err)
		assert.Equal(t, tc.want, string(got))
	}
	_, err := json.Marshal(game.Event{Type: "bad", Fields: map[string]any{"v": math.Inf(1)}})
	assert.Error(t, err)
}

func TestViewBox(t *testing.T) {
	b := model.Box{X0: 64, Y0: 48, X1: 192, Y1: 240}
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
