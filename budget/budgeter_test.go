package budget

import (
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/power"
	"github.com/carrierarcade/kiosk/sight"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scene is the scene a manager shows after starting name (its round, past
// the countdown).
func sceneOf(t *testing.T, name string) game.Scene {
	t.Helper()
	m := game.NewManager(game.DefaultConfig(), nil, true)
	require.NoError(t, m.StartGame(name))
	in := game.Input{Dt: time.Second / 60, Obs: &sight.Observation{}}
	for i := 0; m.Current().Name() == "countdown"; i++ {
		in.Tick = uint64(i)
		m.Update(&in, nil)
	}
	return m.Current()
}

func TestBudgeterRunsWhatTheSceneNeeds(t *testing.T) {
	var got []Rates
	full := Default()
	b := NewBudgeter(full, game.DefaultConfig().WaveThreshold, func(v Rates) { got = append(got, v) })
	require.Len(t, got, 1)
	assert.Equal(t, Rates{DrawFPS: 60, ObjectHz: 4, FaceHz: 0, MotionHz: 30}, got[0], "the attract screen")

	now := time.Now()
	obs := &sight.Observation{}
	b.Follow(sceneOf(t, "hunt"), obs, now)
	assert.Equal(t, Rates{DrawFPS: 60, ObjectHz: 15, FaceHz: 0, MotionHz: 10}, b.Current())
	b.Follow(sceneOf(t, "dodge"), obs, now)
	assert.Equal(t, Rates{DrawFPS: 60, ObjectHz: 0, FaceHz: 10, MotionHz: 10}, b.Current())
	n := len(got)
	b.Follow(sceneOf(t, "dodge"), obs, now.Add(time.Second/60))
	assert.Len(t, got, n, "the same scene again changes nothing")

	// The power level caps what the scene needs.
	b.Level(power.Budget{DrawFPS: 30, ObjectHz: 5, FaceHz: 3})
	assert.Equal(t, Rates{DrawFPS: 30, ObjectHz: 0, FaceHz: 3, MotionHz: 10}, b.Current())
	b.Follow(sceneOf(t, "hunt"), obs, now)
	assert.Equal(t, Rates{DrawFPS: 30, ObjectHz: 5, FaceHz: 0, MotionHz: 10}, b.Current())

	sc := sceneOf(t, "bubbles")
	allocs := testing.AllocsPerRun(100, func() { b.Follow(sc, obs, now) })
	assert.Zero(t, allocs, "the frame loop calls it on every update")
}

func TestBudgeterIdlesWithNobodyAndWakesAtOnce(t *testing.T) {
	full := Default()
	full.Idle.AfterSeconds = 2
	b := NewBudgeter(full, game.DefaultConfig().WaveThreshold, nil)
	att := game.NewAttract(game.NewArcade(game.DefaultConfig(), nil, true))
	still := &sight.Observation{Motion: sight.MotionGrid{W: 4, H: 4, Energy: make([]float32, 16), Calibrated: true}}
	t0 := time.Now()
	frame := time.Second / 60
	var now time.Time
	for i := 0; i <= 2*60+1; i++ {
		now = t0.Add(time.Duration(i) * frame)
		b.Follow(att, still, now)
	}
	idle, since := b.Idle()
	require.True(t, idle)
	assert.WithinDuration(t, t0.Add(2*time.Second), since, 2*frame)
	assert.Equal(t, Rates{DrawFPS: 20, ObjectHz: 2, FaceHz: 0, MotionHz: 15}, b.Current())

	// The first motion in the middle brings the attract budget back on the
	// next update: well within a quarter of a second.
	wave := &sight.Observation{Motion: sight.MotionGrid{W: 4, H: 4, Energy: make([]float32, 16), Calibrated: true}}
	for i := range wave.Motion.Energy {
		wave.Motion.Energy[i] = 1
	}
	b.Follow(att, wave, now.Add(frame))
	idle, _ = b.Idle()
	assert.False(t, idle)
	assert.Equal(t, Rates{DrawFPS: 60, ObjectHz: 4, FaceHz: 0, MotionHz: 30}, b.Current())

	full.ByScene = false
	before := NewBudgeter(full, 0.1, nil)
	before.Follow(att, still, t0)
	before.Follow(att, still, t0.Add(time.Hour))
	idle, _ = before.Idle()
	assert.False(t, idle)
	assert.Equal(t, full.Rates(), before.Current(), "as before: everything at full rate")
}
