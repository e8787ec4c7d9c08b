package record_test

import (
	"testing"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/game/record"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Recordings of real runs: kiosk sim on the Debian clips with YOLOX-Nano,
// BlazeFace and ONNX Runtime 1.30.0. Replaying them tests the rules on
// what real detectors saw, with no camera, model or runtime, so these
// tests do not move when another build of the library rounds differently.
// When the rules change on purpose, the digest check fails: make them
// again with the command beside each (from the repository's top, after
// 'make build').
var recorded = map[string]string{
	"testdata/bubbles-vtest.rec": "bin/kiosk sim --game bubbles --source 'file:.cache/media/vtest.avi?loop=0' --seconds 50 --record game/record/testdata/bubbles-vtest.rec",
	"testdata/freeze-vtest.rec":  "bin/kiosk sim --game freeze --source 'file:.cache/media/vtest.avi?loop=0' --seconds 30 --record game/record/testdata/freeze-vtest.rec",
	"testdata/hunt-reel.rec":     "bin/kiosk sim --game hunt --source 'file:.cache/media/demo-reel.avi?loop=0' --record game/record/testdata/hunt-reel.rec",
}

// replayed plays a committed recording and returns its events by kind.
func replayed(t *testing.T, path string) map[game.Kind][]game.Event {
	t.Helper()
	rec, err := record.Open(path)
	require.NoError(t, err)
	byKind := map[game.Kind][]game.Event{}
	_, same, err := rec.Replay(func(e game.Event) { byKind[e.Kind] = append(byKind[e.Kind], e) })
	require.NoError(t, err)
	require.True(t, same, "%s replays differently from the run that recorded it; if the rules changed on purpose, record it again:\n  %s", path, recorded[path])
	return byKind
}

func TestRecordedPeopleWalkingPopBubbles(t *testing.T) {
	ev := replayed(t, "testdata/bubbles-vtest.rec")
	require.Len(t, ev[game.KindRoundStart], 1)
	require.Len(t, ev[game.KindRoundEnd], 1)
	assert.LessOrEqual(t, ev[game.KindRoundStart][0].Seconds(), 3.1, "a countdown of at most 3 s")
	assert.NotEmpty(t, ev[game.KindPop], "walkers pop bubbles")
	assert.Positive(t, ev[game.KindRoundEnd][0].Score)
}

func TestRecordedWalkersKeepMovingOnRed(t *testing.T) {
	ev := replayed(t, "testdata/freeze-vtest.rec")
	colors := map[string]bool{}
	for _, l := range ev[game.KindLight] {
		colors[l.Color] = true
	}
	assert.Equal(t, map[string]bool{"green": true, "red": true}, colors)
	require.NotEmpty(t, ev[game.KindMoved], "walkers keep moving on red")
	assert.Positive(t, ev[game.KindMoved][0].Player)
}

func TestRecordedHuntOnTheDemoReel(t *testing.T) {
	ev := replayed(t, "testdata/hunt-reel.rec")
	require.NotEmpty(t, ev[game.KindPrompt])
	for _, p := range ev[game.KindPrompt] {
		assert.Contains(t, []string{"orange", "laptop", "remote", "bicycle", "car", "dog", "sports ball"}, p.Item,
			"the hunt asks only for what the reel shows")
	}
	assert.GreaterOrEqual(t, len(ev[game.KindFind]), 2, "things held in view are found")
	require.Len(t, ev[game.KindResults], 1)
	assert.Positive(t, ev[game.KindResults][0].Score)
}
