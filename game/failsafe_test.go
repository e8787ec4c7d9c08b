package game_test

import (
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIdleRoundEndsEarlyWithItsScore(t *testing.T) {
	cfg := game.DefaultConfig()
	cfg.IdleSeconds = 5
	r := newRig(tick, 1)
	m := game.NewManager(cfg, nil, true)
	require.NoError(t, m.StartGame("bubbles"))
	for range 80 { // the countdown and a second of play, with someone there
		o := obs()
		o.HasPlayer = true
		r.manage(m, o)
	}
	require.Equal(t, "bubbles", m.Current().Name())
	start := len(r.events)
	for i := 0; i < 98 && m.Current().Name() == "bubbles"; i++ { // 4.9 s alone
		r.manage(m, obs())
	}
	assert.Equal(t, "bubbles", m.Current().Name(), "not before idle_seconds")
	for range 3 {
		r.manage(m, obs())
	}
	assert.Equal(t, "results", m.Current().Name())
	types := []game.Kind{}
	for _, e := range r.since(start) {
		types = append(types, e.Kind)
	}
	assert.Contains(t, types, game.KindIdle)
	assert.Contains(t, types, game.KindRoundEnd)
	assert.Equal(t, 1, m.Played())

	// A key counts as someone being there.
	m2 := game.NewManager(cfg, nil, true)
	require.NoError(t, m2.StartGame("bubbles"))
	for i := 0; i < 200; i++ {
		if i%40 == 0 {
			r.manage(m2, obs(), game.ActNone)
		} else {
			r.manage(m2, obs())
		}
	}
	assert.Equal(t, "bubbles", m2.Current().Name())
}

// panicky is a scene that always fails.
type panicky struct{ name string }

func (p panicky) Name() string { return p.name }
func (p panicky) Update(*game.Input, func(game.Event)) game.Scene {
	panic("boom in " + p.name)
}

func TestFailsafe(t *testing.T) {
	r := newRig(tick, 1)
	m := game.NewManager(game.DefaultConfig(), nil, true)
	for i := 0; i < 3; i++ {
		m.Inject(panicky{name: "freeze"})
		r.manage(m, obs())
		assert.Equal(t, "attract", m.Current().Name(), "back to attract after a panic")
	}
	failed := ofType(r.events, "scene_failed")
	require.Len(t, failed, 3)
	assert.Equal(t, "freeze", failed[0].Scene)
	assert.Contains(t, failed[0].Err, "boom in freeze")
	assert.Contains(t, failed[0].Stack, "panicky")
	require.Len(t, ofType(r.events, "game_disabled"), 1)
	assert.Equal(t, []string{"freeze"}, m.Disabled())
	assert.NotContains(t, m.Rotation(), "freeze")

	// Failures spread over more than a minute do not disable a game.
	m = game.NewManager(game.DefaultConfig(), nil, true)
	r = newRig(tick, 1)
	for i := 0; i < 3; i++ {
		m.Inject(panicky{name: "hunt"})
		r.manage(m, obs())
		for range int(40 * time.Second / tick) {
			r.manage(m, obs())
		}
	}
	assert.Empty(t, m.Disabled())
}
