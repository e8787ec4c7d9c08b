package game_test

import (
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/sight"
	"github.com/stretchr/testify/assert"
)

func TestEachSceneSaysWhatItNeeds(t *testing.T) {
	b := arcade(nil)
	full := game.Needs{ObjectHz: 15, FaceHz: 10, MotionHz: 30}
	for _, name := range game.GameNames() {
		m := game.NewManager(game.DefaultConfig(), nil, true)
		if err := m.StartGame(name); err != nil {
			t.Fatal(err)
		}
		cd := game.NeedsOf(m.Current())
		r := newRig(tick, 1)
		for m.Current().Name() == "countdown" {
			r.manage(m, obs())
		}
		n := game.NeedsOf(m.Current())
		assert.Equal(t, n, cd, "%s: the countdown warms up what its game needs", name)
		switch name {
		case "hunt":
			assert.Equal(t, full.ObjectHz, n.ObjectHz, "the hunt counts detections")
			assert.Zero(t, n.FaceHz)
		case "bubbles", "freeze":
			assert.Equal(t, full.MotionHz, n.MotionHz)
			assert.Zero(t, n.FaceHz)
			assert.Less(t, n.ObjectHz, full.ObjectHz)
		case "dodge":
			assert.Equal(t, full.FaceHz, n.FaceHz, "the head is the paddle")
			assert.Zero(t, n.ObjectHz)
		}
	}
	a := game.NeedsOf(game.NewAttract(b))
	assert.Equal(t, full.MotionHz, a.MotionHz, "a wave is seen at once")
	assert.Zero(t, a.FaceHz)
}

func TestQuietSleepsWithNobodyAndWakesAtOnce(t *testing.T) {
	b := arcade(nil)
	att := game.NewAttract(b)
	q := game.NewQuiet(60*time.Second, game.DefaultConfig().WaveThreshold)
	still := obs()
	for range 59 {
		assert.False(t, q.Update(att, still, time.Second))
	}
	assert.True(t, q.Update(att, still, time.Second), "a minute of nobody")

	car := obs()
	car.ObjectTracks = []sight.Track{{ID: 1, Detection: sight.Detection{Label: "car"}}}
	assert.True(t, q.Update(att, car, time.Second), "a parked car is nobody")

	wave := moving(obs(), game.Rect{X0: 0.3, Y0: 0.2, X1: 0.7, Y1: 0.8})
	assert.False(t, q.Update(att, wave, time.Second/60), "the first wave wakes it")
	person := obs()
	person.ObjectTracks = []sight.Track{{ID: 2, Detection: sight.Detection{Label: "person"}}}
	for range 61 {
		q.Update(att, still, time.Second)
	}
	assert.True(t, q.Idle())
	assert.False(t, q.Update(att, person, time.Second/60), "so does a person")

	m := game.NewManager(game.DefaultConfig(), nil, true)
	_ = m.StartGame("hunt")
	assert.False(t, q.Update(m.Current(), still, time.Hour), "only the attract screen sleeps")
	assert.False(t, game.NewQuiet(0, 0.1).Update(att, still, time.Hour), "0 never sleeps")
}
