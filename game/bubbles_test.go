package game_test

import (
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const tick = 50 * time.Millisecond

// bubbleRect is the square around a bubble, in view coordinates.
func bubbleRect(b game.Bubble) game.Rect {
	return game.Rect{X0: b.X - b.R/aspect, Y0: b.Y - b.R, X1: b.X + b.R/aspect, Y1: b.Y + b.R}
}

func TestBubblesNoMotionNoPops(t *testing.T) {
	r := newRig(tick, 1)
	g := game.NewBubbles(arcade(nil))
	var next game.Scene
	for next == nil {
		next = r.step(g, obs())
	}
	assert.Empty(t, ofType(r.events, "pop"))
	end := ofType(r.events, "round_end")
	require.Len(t, end, 1)
	assert.Equal(t, 0, end[0].Score)
	assert.InDelta(t, 45, end[0].Seconds(), 0.1, "a 45 s round")
}

func TestBubblesMotionOverABubblePopsIt(t *testing.T) {
	r := newRig(tick, 1)
	g := game.NewBubbles(arcade(nil))
	r.step(g, obs())
	require.NotEmpty(t, g.Bubbles(), "bubbles from the start")
	target := g.Bubbles()[0]

	r.step(g, moving(obs(), bubbleRect(target)))
	pops := ofType(r.events, "pop")
	require.NotEmpty(t, pops)
	var popped bool
	for _, p := range pops {
		popped = popped || p.ID == target.ID
	}
	assert.True(t, popped)
	for _, b := range g.Bubbles() {
		assert.NotEqual(t, target.ID, b.ID, "gone from the screen")
	}
	require.NotEmpty(t, g.AppendBursts(nil))
	assert.Equal(t, target.ID, g.AppendBursts(nil)[0].ID)
	assert.Zero(t, g.AppendBursts(nil)[0].Age)
	assert.Positive(t, g.Score())

	for range 10 {
		r.step(g, obs())
	}
	assert.Empty(t, g.AppendBursts(nil), "the burst is over")
}

func TestBubblesCombo(t *testing.T) {
	r := newRig(tick, 3)
	g := game.NewBubbles(arcade(nil))
	r.step(g, obs())
	n := len(g.Bubbles())
	require.GreaterOrEqual(t, n, 3)

	// Everything moves: every bubble pops in one go, each continuing the
	// combo.
	r.step(g, moving(obs(), everywhere))
	pops := ofType(r.events, "pop")
	require.Len(t, pops, n)
	score := 0
	for i, p := range pops {
		combo := i + 1
		want := 10 * min(combo, 5)
		if p.Bubble == game.BubbleGolden {
			want *= 5
		}
		assert.Equal(t, combo, p.Combo)
		assert.Equal(t, want, p.Points)
		score += want
	}
	assert.Equal(t, score, g.Score())
	assert.Equal(t, n, g.Combo())

	// After the combo window, it starts over.
	for range 40 {
		r.step(g, obs())
	}
	assert.Zero(t, g.Combo())
	k := len(r.events)
	r.step(g, moving(obs(), everywhere))
	pops = ofType(r.since(k), "pop")
	require.NotEmpty(t, pops)
	assert.Equal(t, 1, pops[0].Combo)
}

func TestBubblesDrift(t *testing.T) {
	r := newRig(tick, 1)
	g := game.NewBubbles(arcade(nil))
	seen := map[int]bool{}
	kinds := map[game.BubbleKind]bool{}
	for range 600 {
		r.step(g, obs())
		for _, b := range g.Bubbles() {
			seen[b.ID] = true
			kinds[b.Kind] = true
			assert.Negative(t, b.VY, "bubbles rise")
			assert.True(t, b.X >= 0 && b.X <= 1, "x %v stays on screen", b.X)
		}
		assert.LessOrEqual(t, len(g.Bubbles()), 8)
	}
	assert.Greater(t, len(seen), 20, "new bubbles keep coming")
	assert.True(t, kinds[game.BubbleGolden] && kinds[game.BubbleClock], "specials show up: %v", kinds)
}

func TestBubblesClockAddsTime(t *testing.T) {
	for seed := range uint64(50) {
		r := newRig(tick, seed)
		g := game.NewBubbles(arcade(nil))
		r.step(g, obs())
		for _, b := range g.Bubbles() {
			if b.Kind != game.BubbleClock {
				continue
			}
			before := g.Left()
			r.step(g, moving(obs(), bubbleRect(b)))
			assert.Equal(t, before-tick+game.ClockBonus, g.Left())
			return
		}
	}
	t.Fatal("no clock bubble in 50 rounds' opening")
}
