package game_test

import (
	"testing"

	"github.com/carrierarcade/kiosk/sight"

	"github.com/carrierarcade/kiosk/game"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// facing adds a seen face centred at camera x (pixels).
func facing(o *sight.Observation, x float32) *sight.Observation {
	o.FaceTracks = append(o.FaceTracks, sight.Track{ID: 1, Seen: 10, Primary: true,
		Detection: sight.Detection{Label: "face", Score: 0.9, Box: sight.Box{X0: x - 40, Y0: 120, X1: x + 40, Y1: 220}}})
	return o
}

func TestDodgeWaitsForAFace(t *testing.T) {
	r := newRig(tick, 1)
	d := game.NewDodge(arcade(nil))
	for range 20 {
		r.step(d, facing(obs(), 320))
	}
	left := d.Left()
	for range 10 {
		r.step(d, obs())
	}
	assert.False(t, d.NeedFace(), "half a second without a face is a missed detection")
	assert.Equal(t, left-10*tick, d.Left())

	r.step(d, obs())
	require.True(t, d.NeedFace())
	left, fallers := d.Left(), append([]game.Faller(nil), d.Fallers()...)
	n := len(r.events)
	for range 100 {
		r.step(d, obs())
	}
	assert.True(t, d.NeedFace())
	assert.Equal(t, left, d.Left(), "the clock stops")
	assert.Equal(t, fallers, d.Fallers(), "nothing falls")
	assert.Empty(t, r.since(n))

	r.step(d, facing(obs(), 320))
	assert.False(t, d.NeedFace())
	assert.Equal(t, left-tick, d.Left())
}

func TestDodgeMissedFaceTrackDoesNotCount(t *testing.T) {
	r := newRig(tick, 1)
	d := game.NewDodge(arcade(nil))
	for range 11 {
		o := facing(obs(), 320)
		o.FaceTracks[0].Missed = 2 // held by the tracker, not seen
		r.step(d, o)
	}
	assert.True(t, d.NeedFace())
}

func TestDodgeSteersWithTheHead(t *testing.T) {
	for _, tc := range []struct {
		name   string
		faceX  float32 // camera pixels
		mirror bool
		lo, hi float32 // where the player ends up
	}{
		{"camera left is screen right, mirrored", 120, true, 0.8, 0.95},
		{"camera right is screen left, mirrored", 520, true, 0.05, 0.2},
		{"not mirrored", 120, false, 0.05, 0.2},
		{"middle", 320, true, 0.49, 0.51},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(tick, 1)
			d := game.NewDodge(game.NewArcade(game.DefaultConfig(), nil, tc.mirror))
			for range 20 {
				r.step(d, facing(obs(), tc.faceX))
			}
			assert.True(t, d.PlayerX() >= tc.lo && d.PlayerX() <= tc.hi, "x %v", d.PlayerX())
			p := d.PlayerBox()
			assert.InDelta(t, d.PlayerX(), (p.X0+p.X1)/2, 1e-6)
			assert.InDelta(t, game.DodgeY, (p.Y0+p.Y1)/2, 1e-6)
		})
	}
}

func TestDodgePrefersThePrimaryFace(t *testing.T) {
	r := newRig(tick, 1)
	d := game.NewDodge(arcade(nil))
	for range 20 {
		o := facing(obs(), 120)
		big := sight.Track{ID: 2, Seen: 10, Detection: sight.Detection{Label: "face", Box: sight.Box{X0: 420, Y0: 100, X1: 620, Y1: 300}}}
		o.FaceTracks = append(o.FaceTracks, big)
		r.step(d, o)
	}
	assert.Greater(t, d.PlayerX(), float32(0.8), "the primary face steers, not the larger one")
}

// TestDodgeCatchingAStarScores plays with a bot that puts its head under
// the lowest star.
func TestDodgeCatchingAStarScores(t *testing.T) {
	r := newRig(tick, 1)
	d := game.NewDodge(arcade(func(c *game.Config) { c.Dodge.Lives = 9 }))
	want := float32(0.5)
	var next game.Scene
	for next == nil {
		var low float32 = -1
		for _, f := range d.Fallers() {
			if f.Kind == game.FallerStar && f.Y < game.DodgeY && f.Y > low {
				low, want = f.Y, f.X
			}
		}
		// Invert the steering: view x -> face x -> mirrored camera pixels.
		fx := 0.5 + (want-0.5)/1.6
		next = r.step(d, facing(obs(), (1-fx)*frameW))
	}
	catches := ofType(r.events, "catch")
	require.NotEmpty(t, catches)
	assert.Equal(t, 50, catches[0].Points)
	assert.GreaterOrEqual(t, d.Score(), 50*len(catches))
	end := ofType(r.events, "round_end")
	require.Len(t, end, 1)
	assert.Equal(t, d.Score(), end[0].Score)
}

func TestDodgeBlocksCostLives(t *testing.T) {
	r := newRig(tick, 1)
	d := game.NewDodge(arcade(nil))
	var next game.Scene
	for next == nil {
		next = r.step(d, facing(obs(), 320))
	}
	hits := ofType(r.events, "hit")
	require.NotEmpty(t, hits)
	for i, h := range hits {
		assert.Equal(t, 2-i, h.Lives)
	}
	assert.Equal(t, 3-len(hits), d.Lives())
	if d.Lives() == 0 {
		assert.Positive(t, d.Left(), "three hits end the round early")
	}
}
