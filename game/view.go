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

// Canvas is the size, in pixels, of what the screen draws on (the screen
// turned by display.rotation). The rules need only its shape: it says which
// part of the camera picture is on screen.
type Canvas struct {
	W int `json:"w"`
	H int `json:"h"`
}

// wholePicture is the play area when nothing is cropped.
var wholePicture = Rect{0, 0, 1, 1}

// PlayArea is the part of a frameW x frameH camera picture that a canvas
// of c shows when the picture covers it (see Fit): in view coordinates,
// always centred. A portrait screen over a landscape camera shows a
// middle band of it, a wide screen a band across. Without a canvas or a
// frame it is the whole picture.
func PlayArea(frameW, frameH int, c Canvas) Rect {
	if frameW <= 0 || frameH <= 0 || c.W <= 0 || c.H <= 0 {
		return wholePicture
	}
	fa := float64(frameW) / float64(frameH)
	ca := float64(c.W) / float64(c.H)
	switch {
	case ca < fa: // the canvas is narrower: the sides are cropped
		w := float32(ca / fa)
		return Rect{(1 - w) / 2, 0, (1 + w) / 2, 1}
	case ca > fa: // the canvas is wider: top and bottom are cropped
		h := float32(fa / ca)
		return Rect{0, (1 - h) / 2, 1, (1 + h) / 2}
	}
	return wholePicture
}

// W and H are the rect's width and height.
func (r Rect) W() float32 { return r.X1 - r.X0 }
func (r Rect) H() float32 { return r.Y1 - r.Y0 }

// whole is true when r is the whole picture: then everything found in the
// picture is on screen.
func (r Rect) whole() bool { return r.X0 <= 0 && r.Y0 <= 0 && r.X1 >= 1 && r.Y1 >= 1 }

// at maps a point given as fractions of r (0..1 across and down it) to
// view coordinates.
func (r Rect) at(u, v float32) (float32, float32) { return r.X0 + u*r.W(), r.Y0 + v*r.H() }

// Holds is true when (x, y) is inside r; the whole picture holds
// everything found in it, whatever rounding put at its edge.
func (r Rect) Holds(x, y float32) bool {
	return r.whole() || (x >= r.X0 && x <= r.X1 && y >= r.Y0 && y <= r.Y1)
}

// clip is the part of o inside r (o itself when r is the whole picture).
func (r Rect) clip(o Rect) Rect {
	if r.whole() {
		return o
	}
	return Rect{max(o.X0, r.X0), max(o.Y0, r.Y0), min(o.X1, r.X1), min(o.Y1, r.Y1)}
}

// playArea is the part of the newest picture on screen this tick.
func playArea(in *Input) Rect {
	f := observed(in).Frame
	return PlayArea(f.W, f.H, in.Canvas)
}
