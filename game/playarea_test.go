package game_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/sight"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlayArea(t *testing.T) {
	for _, tc := range []struct {
		fw, fh int
		c      game.Canvas
		want   game.Rect
	}{
		{640, 480, game.Canvas{}, game.Rect{X0: 0, Y0: 0, X1: 1, Y1: 1}},
		{640, 480, game.Canvas{W: 1024, H: 768}, game.Rect{X0: 0, Y0: 0, X1: 1, Y1: 1}},
		// A portrait screen over a landscape camera: the middle 47 %.
		{640, 480, game.Canvas{W: 800, H: 1280}, game.Rect{X0: 0.265625, Y0: 0, X1: 0.734375, Y1: 1}},
		// A wide screen: a band across.
		{640, 480, game.Canvas{W: 1280, H: 800}, game.Rect{X0: 0, Y0: 0.083333, X1: 1, Y1: 0.916667}},
		// The lid turned sideways: a portrait camera on a portrait screen.
		{480, 640, game.Canvas{W: 600, H: 800}, game.Rect{X0: 0, Y0: 0, X1: 1, Y1: 1}},
	} {
		got := game.PlayArea(tc.fw, tc.fh, tc.c)
		assert.InDelta(t, tc.want.X0, got.X0, 1e-5, "%+v", tc)
		assert.InDelta(t, tc.want.Y0, got.Y0, 1e-5, "%+v", tc)
		assert.InDelta(t, tc.want.X1, got.X1, 1e-5, "%+v", tc)
		assert.InDelta(t, tc.want.Y1, got.Y1, 1e-5, "%+v", tc)
		// The screen's own fit agrees: the area's corners land on the
		// canvas's corners.
		if tc.c.W > 0 {
			fit := game.NewFit(tc.fw, tc.fh, tc.c.W, tc.c.H, false)
			x0, y0 := fit.Point(float64(got.X0)*float64(tc.fw), float64(got.Y0)*float64(tc.fh))
			x1, y1 := fit.Point(float64(got.X1)*float64(tc.fw), float64(got.Y1)*float64(tc.fh))
			assert.InDelta(t, 0, x0, 0.5)
			assert.InDelta(t, 0, y0, 0.5)
			assert.InDelta(t, tc.c.W, x1, 0.5)
			assert.InDelta(t, tc.c.H, y1, 0.5)
		}
	}
}

// Whatever way the screen and the camera are turned, everything the rules
// place for a player to see or reach lies in the part of the picture the
// screen shows, and nothing off screen counts.
func TestEverythingPlacedIsOnScreen(t *testing.T) {
	const eps = 1e-4
	for _, rot := range []int{0, 90, 180, 270} {
		for _, cam := range []struct {
			name string
			w, h int
		}{{"landscape", 640, 480}, {"portrait", 480, 640}} {
			cw, ch := game.CanvasSize(1280, 800, rot)
			canvas := game.Canvas{W: cw, H: ch}
			area := game.PlayArea(cam.w, cam.h, canvas)
			name := fmt.Sprintf("screen %d, %s camera", rot, cam.name)
			t.Run(name, func(t *testing.T) {
				asp := float32(cam.w) / float32(cam.h)
				inside := func(what string, x, y float32) {
					t.Helper()
					require.True(t, x >= area.X0-eps && x <= area.X1+eps && y >= area.Y0-eps && y <= area.Y1+eps,
						"%s at (%.3f, %.3f) is off screen: the area is %+v", what, x, y, area)
				}
				// Things that drift bounce off the sides: one tick's drift
				// past it at most.
				const drift = 0.06 * float32(tick) / float32(time.Second)
				across := func(what string, x, hw float32) {
					t.Helper()
					require.True(t, x-hw >= area.X0-drift-eps && x+hw <= area.X1+drift+eps,
						"%s from x %.3f to %.3f is cut by the screen's sides: the area is %+v", what, x-hw, x+hw, area)
				}
				rig := newRig(tick, uint64(rot+cam.w))
				rig.in.Canvas = canvas
				rng := rand.New(rand.NewPCG(3, uint64(rot)))
				// Motion and people all over the picture, on screen and off.
				frame := func(tk int) *sight.Observation {
					o := obs()
					o.Frame.W, o.Frame.H = cam.w, cam.h
					o.ObjectsFrame, o.FacesFrame, o.MotionFrame = o.Frame, o.Frame, o.Frame
					x := float32(tk%97) / 96
					moving(o, game.Rect{X0: x - 0.1, Y0: 0, X1: x + 0.1, Y1: 1})
					for id := 1; id <= 4; id++ {
						px := rng.Float32() * float32(cam.w)
						py := rng.Float32() * float32(cam.h)
						b := sight.Box{X0: px - 60, Y0: py - 120, X1: px + 60, Y1: py + 120}
						o.ObjectTracks = append(o.ObjectTracks, sight.Track{ID: id, Seen: 10,
							Detection: sight.Detection{Label: "person", Score: 0.9, Box: b}})
					}
					fx := x * float32(cam.w)
					o.FaceTracks = append(o.FaceTracks, sight.Track{ID: 9, Seen: 10, Primary: true,
						Detection: sight.Detection{Label: "face", Score: 0.9,
							Box: sight.Box{X0: fx - 30, Y0: 100, X1: fx + 30, Y1: 160}}})
					return o
				}

				bubbles := game.NewBubbles(arcade(nil))
				for tk := range 60 * 30 {
					rig.step(bubbles, frame(tk))
					for _, b := range bubbles.Bubbles() {
						across("a bubble", b.X, b.R/asp)
						// Born just below the screen's bottom, gone above its top.
						require.LessOrEqual(t, b.Y, area.Y1+0.12*area.H()+eps, name)
						require.Greater(t, b.Y+b.R, area.Y0, name)
					}
				}

				dodge := game.NewDodge(arcade(nil))
				for tk := range 60 * 40 {
					rig.step(dodge, frame(tk))
					p := dodge.PlayerBox()
					inside("the player", (p.X0+p.X1)/2, p.Y0)
					inside("the player", (p.X0+p.X1)/2, p.Y1)
					for _, f := range dodge.Fallers() {
						across("a faller", f.X, f.Size/2/asp)
						require.GreaterOrEqual(t, f.Y+f.Size/2, area.Y0-eps, name)
						require.LessOrEqual(t, f.Y-f.Size/2, area.Y1+eps, name)
					}
				}

				freeze := game.NewFreeze(arcade(nil))
				players := 0
				for tk := range 60 * 10 {
					rig.step(freeze, frame(tk))
					for _, p := range freeze.AppendPlayers(nil) {
						players++
						inside("a player's marker", p.Box.X0, p.Box.Y0)
						inside("a player's marker", p.Box.X1, p.Box.Y1)
					}
				}
				require.Positive(t, players, "people on screen play")
			})
		}
	}
}

// The hunt counts a thing held up on screen, not one off it; a wave counts
// in the middle of what the screen shows.
func TestOffScreenDoesNotCount(t *testing.T) {
	canvas := game.Canvas{W: 800, H: 1280} // portrait, over a 640x480 camera
	hold := func(x float32) int {
		r := newRig(tick, 1)
		r.in.Canvas = canvas
		h := game.NewHunt(arcade(func(c *game.Config) { c.Hunt.Items = []string{"cup"} }))
		for range 3 * 60 {
			o := obs()
			o.Objects = append(o.Objects, sight.Detection{Label: "cup", Score: 0.9, Box: sight.Box{X0: x - 30, Y0: 200, X1: x + 30, Y1: 260}})
			if r.step(h, o) != nil {
				break
			}
		}
		return h.Finds()
	}
	assert.Equal(t, 1, hold(320), "a cup in the middle is found")
	assert.Equal(t, 0, hold(60), "a cup at the picture's side, off a portrait screen, is not")

	wave := func(area game.Rect) game.Scene {
		r := newRig(tick, 1)
		r.in.Canvas = canvas
		a := game.NewAttract(arcade(nil))
		var next game.Scene
		for range 2 * 60 {
			if next = r.step(a, moving(obs(), area)); next != nil {
				break
			}
		}
		return next
	}
	assert.NotNil(t, wave(game.Rect{X0: 0.4, Y0: 0.3, X1: 0.6, Y1: 0.7}), "a wave in the middle starts a game")
	assert.Nil(t, wave(game.Rect{X0: 0, Y0: 0.3, X1: 0.2, Y1: 0.7}), "one off the screen's side does not")
}
