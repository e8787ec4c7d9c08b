package game_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/carrierarcade/kiosk/sight"

	"github.com/carrierarcade/kiosk/game"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scripted is what the camera sees and the presenter presses at tick i of
// the replay: a wave, then each game in turn with something to react to.
func scripted(i int, m *game.Manager) (*sight.Observation, []game.Action) {
	o := obs()
	var acts []game.Action
	switch {
	case i < 20:
		moving(o, waving())
	case i == 1500:
		acts = append(acts, game.ActChoose2)
	case i == 2500:
		acts = append(acts, game.ActChoose3)
	case i == 3500:
		acts = append(acts, game.ActPause)
	case i == 3600:
		acts = append(acts, game.ActPause)
	case i == 4500:
		acts = append(acts, game.ActChoose4)
	}
	switch s := m.Current().(type) {
	case *game.Hunt:
		if i%40 < 25 {
			seeing(o, s.Item())
		}
	case *game.Bubbles:
		// An arm sweeping across the picture.
		x := float32(i%60) / 60
		moving(o, game.Rect{X0: x, Y0: 0.2, X1: x + 0.15, Y1: 0.7})
	case *game.Freeze:
		o.ObjectTracks = []sight.Track{person(1, anaBox), person(2, benBox)}
		if i%30 < 12 {
			moving(o, viewRect(anaBox))
		}
		if i%50 < 8 {
			moving(o, viewRect(benBox))
		}
	case *game.Dodge:
		if i%200 < 180 {
			facing(o, 320+250*float32((i%80)-40)/40)
		}
	}
	return o, acts
}

// replay runs the manager over the script and returns the event log as
// JSON lines.
func replay(t *testing.T, seed uint64) []byte {
	board := game.OpenLeaderboard(t.TempDir(), nil, nil)
	t.Cleanup(board.Close) // before the folder goes: its writer may be writing
	r := newRig(tick, seed)
	m := game.NewManager(game.DefaultConfig(), board, true)
	var log bytes.Buffer
	enc := json.NewEncoder(&log)
	for i := range 6000 {
		n := len(r.events)
		o, acts := scripted(i, m)
		r.manage(m, o, acts...)
		for _, e := range r.since(n) {
			require.NoError(t, enc.Encode(e))
		}
	}
	return log.Bytes()
}

func TestReplayIsDeterministic(t *testing.T) {
	a, b := replay(t, 42), replay(t, 42)
	assert.Equal(t, string(a), string(b))
	for _, typ := range []string{"countdown", "round_start", "prompt", "find", "pop", "light", "moved", "catch", "round_end", "results"} {
		assert.Contains(t, string(a), `"type":"`+typ+`"`, "the script exercises %s", typ)
	}
	assert.NotEqual(t, string(a), string(replay(t, 43)), "the seed matters")
}
