package game

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/carrierarcade/kiosk/sight"
)

// Rect is a rectangle in view coordinates: 0..1 across and down the
// picture as the attendee sees it (mirrored when the display mirrors).
type Rect struct{ X0, Y0, X1, Y1 float32 }

// ViewBox turns a box in pixels of a frameW x frameH camera frame into
// view coordinates; with mirror, x becomes 1-x and the sides swap so that
// x0 <= x1 still. The motion grid is mirrored the same way, so a view box
// can be handed to MotionGrid.Region as it is. A frame of no size gives an
// empty box.
func ViewBox(b sight.Box, frameW, frameH int, mirror bool) (x0, y0, x1, y1 float32) {
	if frameW <= 0 || frameH <= 0 {
		return 0, 0, 0, 0
	}
	w, h := float32(frameW), float32(frameH)
	x0, y0, x1, y1 = b.X0/w, b.Y0/h, b.X1/w, b.Y1/h
	if mirror {
		x0, x1 = 1-x1, 1-x0
	}
	return x0, y0, x1, y1
}

// viewRect is ViewBox on the frame the box was found in.
func viewRect(b sight.Box, f sight.Frame, mirror bool) Rect {
	x0, y0, x1, y1 := ViewBox(b, f.W, f.H, mirror)
	return Rect{x0, y0, x1, y1}
}

// Centre is the middle of r.
func (r Rect) Centre() (x, y float32) { return (r.X0 + r.X1) / 2, (r.Y0 + r.Y1) / 2 }

// overlaps is true when r and o share some area.
func (r Rect) overlaps(o Rect) bool {
	return r.X0 < o.X1 && o.X0 < r.X1 && r.Y0 < o.Y1 && o.Y0 < r.Y1
}

// motionIn is the mean motion energy inside r, 0 while the grid is still
// learning its noise floor.
func motionIn(g *sight.MotionGrid, r Rect) float32 {
	if !g.Calibrated {
		return 0
	}
	return g.Region(r.X0, r.Y0, r.X1, r.Y1)
}

// square is a rect of the given size (a fraction of the picture's height)
// centred on (x, y): round things stay round on a picture wider than tall.
func square(x, y, size, aspect float32) Rect {
	hw, hh := size/2/aspect, size/2
	return Rect{x - hw, y - hh, x + hw, y + hh}
}

// aspect is the picture's width over its height; 4:3 until a frame says.
func aspect(o *sight.Observation) float32 {
	if o.Frame.W > 0 && o.Frame.H > 0 {
		return float32(o.Frame.W) / float32(o.Frame.H)
	}
	return 4.0 / 3
}

// detectionFrame is the frame a detector's boxes are in pixels of: the one
// it ran on, else (before it has run) the newest.
func detectionFrame(ran, newest sight.Frame) sight.Frame {
	if ran.W > 0 && ran.H > 0 {
		return ran
	}
	return newest
}

// noObservation stands in for a missing one: nothing seen, no motion.
var noObservation sight.Observation

// observed is the tick's observation, never nil.
func observed(in *Input) *sight.Observation {
	if in.Obs == nil {
		return &noObservation
	}
	return in.Obs
}

// secs turns config seconds into a duration, rounded to the nanosecond so
// that 0.6 s is exactly 600 ms and tick counts come out as written.
func secs(s float64) time.Duration { return time.Duration(math.Round(s * float64(time.Second))) }

// between is a random number in [lo, hi).
func between(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

// fraction is d of whole, 0..1.
func fraction(d, whole time.Duration) float64 {
	if whole <= 0 {
		return 1
	}
	return min(max(float64(d)/float64(whole), 0), 1)
}
