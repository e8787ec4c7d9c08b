package game_test

import (
	"strings"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waving is motion in the middle of the picture.
func waving() game.Rect { return game.Rect{X0: 0.3, Y0: 0.2, X1: 0.7, Y1: 0.8} }

func TestManagerFullCycle(t *testing.T) {
	board := game.OpenLeaderboard(t.TempDir(), nil, nil)
	t.Cleanup(board.Close) // before the folder goes: its writer may be writing
	r := newRig(tick, 1)
	m := game.NewManager(game.DefaultConfig(), board, true)
	a, ok := m.Current().(*game.Attract)
	require.True(t, ok)
	assert.Equal(t, "Wave to play", a.Invitation())
	assert.Equal(t, "hunt", a.Next())

	// A short wave is not enough, and fades.
	for range 10 {
		r.manage(m, moving(obs(), waving()))
	}
	assert.InDelta(t, 10.0/14, a.Wave(), 1e-9)
	for range 10 {
		r.manage(m, obs())
	}
	assert.Zero(t, a.Wave())
	require.Equal(t, "attract", m.Current().Name())

	// 0.7 s of waving starts the first game of the rotation.
	for range 14 {
		r.manage(m, moving(obs(), waving()))
	}
	cd, ok := m.Current().(*game.Countdown)
	require.True(t, ok, "got %s", m.Current().Name())
	assert.Equal(t, "hunt", cd.Game().Name())
	assert.Equal(t, "Show me the object!", cd.Game().Instruction())
	assert.Equal(t, 3, cd.Seconds())

	n := len(r.events)
	for range 60 {
		r.manage(m, obs())
	}
	var counted []any
	for _, e := range ofType(r.since(n), "countdown") {
		counted = append(counted, e.N)
	}
	assert.Equal(t, []any{3, 2, 1}, counted)
	hunt, ok := m.Current().(*game.Hunt)
	require.True(t, ok, "got %s", m.Current().Name())

	// The round: the first thing asked for is shown at once, then
	// nothing until time is up.
	for m.Current() == game.Scene(hunt) {
		o := obs()
		o.HasPlayer = true // someone stays in front all round
		if hunt.Finds() == 0 {
			seeing(o, hunt.Item())
		}
		r.manage(m, o)
	}
	res, ok := m.Current().(*game.Results)
	require.True(t, ok, "got %s", m.Current().Name())
	assert.Equal(t, "hunt", res.Game())
	assert.Equal(t, "Object Hunt", res.Title())
	assert.Positive(t, res.Score())
	assert.Equal(t, 1, res.Rank())
	assert.Equal(t, []game.Entry{{Name: res.PlayerName(), Score: res.Score()}}, res.Top())
	assert.Equal(t, res.Top(), board.Top("hunt", testDay))

	for range 160 {
		r.manage(m, obs())
	}
	a, ok = m.Current().(*game.Attract)
	require.True(t, ok, "got %s", m.Current().Name())
	assert.Equal(t, "bubbles", a.Next(), "the rotation moved on")

	var types []string
	for _, e := range r.events {
		if e.Kind != "prompt" && e.Kind != "find" && e.Kind != "skip" {
			types = append(types, string(e.Kind))
		}
	}
	assert.Equal(t, "countdown countdown countdown round_start round_end results", strings.Join(types, " "))
}

func TestManagerActions(t *testing.T) {
	for _, tc := range []struct {
		name    string
		actions []game.Action
		scene   string
		game    string // of the countdown
	}{
		{"start plays the first game", []game.Action{game.ActStart}, "countdown", "hunt"},
		{"next game moves on", []game.Action{game.ActStart, game.ActNextGame}, "countdown", "bubbles"},
		{"choose 2 plays rotation[1]", []game.Action{game.ActChoose2}, "countdown", "bubbles"},
		{"choose 4", []game.Action{game.ActChoose4}, "countdown", "dodge"},
		{"choose past the rotation does nothing", []game.Action{game.ActChoose9}, "attract", ""},
		{"attract", []game.Action{game.ActChoose3, game.ActAttract}, "attract", ""},
		{"recalibrate is not the rules' business", []game.Action{game.ActRecalibrate}, "attract", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(tick, 1)
			m := game.NewManager(game.DefaultConfig(), nil, true)
			r.manage(m, obs(), tc.actions...)
			require.Equal(t, tc.scene, m.Current().Name())
			if cd, ok := m.Current().(*game.Countdown); ok {
				assert.Equal(t, tc.game, cd.Game().Name())
			}
		})
	}
}

func TestManagerChooseThenNext(t *testing.T) {
	r := newRig(tick, 1)
	m := game.NewManager(game.DefaultConfig(), nil, true)
	r.manage(m, obs(), game.ActChoose3)
	r.manage(m, obs(), game.ActNextGame)
	assert.Equal(t, "dodge", m.Current().(*game.Countdown).Game().Name())
	r.manage(m, obs(), game.ActNextGame)
	assert.Equal(t, "hunt", m.Current().(*game.Countdown).Game().Name(), "the rotation wraps")
}

func TestManagerStartGame(t *testing.T) {
	m := game.NewManager(game.DefaultConfig(), nil, true)
	require.NoError(t, m.StartGame("freeze"))
	assert.Equal(t, "freeze", m.Current().(*game.Countdown).Game().Name())
	assert.Error(t, m.StartGame("chess"))
	assert.Equal(t, "freeze", m.Current().(*game.Countdown).Game().Name())
}

func TestManagerPauseFreezesTicks(t *testing.T) {
	r := newRig(tick, 1)
	m := game.NewManager(game.DefaultConfig(), nil, true)
	r.manage(m, obs(), game.ActChoose2)
	for m.Current().Name() == "countdown" {
		r.manage(m, obs())
	}
	for range 10 {
		r.manage(m, obs())
	}
	g := m.Current().(*game.Bubbles)
	left, bubbles := g.Left(), append([]game.Bubble(nil), g.Bubbles()...)

	r.manage(m, moving(obs(), everywhere), game.ActPause)
	require.True(t, m.Paused())
	n := len(r.events)
	for range 100 {
		r.manage(m, moving(obs(), everywhere))
	}
	assert.Empty(t, r.since(n), "nothing happens while paused")
	assert.Equal(t, left, g.Left())
	assert.Equal(t, bubbles, g.Bubbles())

	r.manage(m, obs(), game.ActPause)
	assert.False(t, m.Paused())
	assert.Equal(t, left-tick, g.Left())
}

func TestManagerChoosingEndsAPause(t *testing.T) {
	r := newRig(tick, 1)
	m := game.NewManager(game.DefaultConfig(), nil, true)
	r.manage(m, obs(), game.ActPause, game.ActChoose1)
	assert.False(t, m.Paused())
	assert.Equal(t, 3*time.Second-tick, m.Current().(*game.Countdown).Left())
}

func TestAttractPreviewsEachGame(t *testing.T) {
	r := newRig(tick, 1)
	a := game.NewAttract(arcade(func(c *game.Config) { c.DemoAutoplaySeconds = 0 }))
	var shown []string
	for i := range 24 * 20 {
		r.step(a, obs())
		if i%120 == 60 {
			shown = append(shown, a.Preview())
			assert.InDelta(t, 0.5+1.0/120, a.Phase(), 1e-9)
		}
	}
	assert.Equal(t, []string{"hunt", "bubbles", "freeze", "dodge"}, shown)
}

func TestGamesSayWhatToDo(t *testing.T) {
	b := arcade(nil)
	for _, g := range []game.Game{game.NewHunt(b), game.NewBubbles(b), game.NewFreeze(b), game.NewDodge(b)} {
		assert.NotEmpty(t, g.Title())
		words := len(strings.Fields(g.Instruction()))
		assert.True(t, words > 0 && words <= 8, "%s: %q", g.Name(), g.Instruction())
		title, instruction := game.About(g.Name())
		assert.Equal(t, g.Title(), title)
		assert.Equal(t, g.Instruction(), instruction)
	}
	assert.Equal(t, []string{"hunt", "bubbles", "freeze", "dodge"}, game.GameNames())
}

func TestArcadeDropsUnknownGames(t *testing.T) {
	r := newRig(tick, 1)
	cfg := game.DefaultConfig()
	cfg.Rotation = []string{"chess", "dodge"}
	m := game.NewManager(cfg, nil, true)
	r.manage(m, obs(), game.ActStart)
	assert.Equal(t, "dodge", m.Current().(*game.Countdown).Game().Name())
}

func TestAttractPlaysByItselfInDemoMode(t *testing.T) {
	r := newRig(tick, 1)
	cfg := game.DefaultConfig()
	cfg.DemoAutoplaySeconds = 10
	m := game.NewManager(cfg, nil, true)
	m.SetDemo(true)
	for range int(9.9 * float64(time.Second) / float64(tick)) {
		r.manage(m, obs())
	}
	assert.Equal(t, "attract", m.Current().Name(), "nobody waved yet")
	for range 3 {
		r.manage(m, obs())
	}
	assert.Equal(t, "countdown", m.Current().Name(), "the demo starts a game by itself")

	for _, demo := range []bool{false, true} {
		cfg.DemoAutoplaySeconds = map[bool]float64{false: 10, true: 0}[demo]
		m = game.NewManager(cfg, nil, true)
		m.SetDemo(demo)
		for range int(60 * time.Second / tick) {
			r.manage(m, obs())
		}
		assert.Equal(t, "attract", m.Current().Name(), "with a camera, or demo_autoplay_seconds = 0, only a wave starts a game (demo %v)", demo)
	}
}
