package game

// Fit places a camera frame on the canvas: scaled by one factor so that it
// covers the whole canvas (cropping what sticks out), centred, and
// optionally mirrored. It maps frame pixels to canvas pixels.
type Fit struct {
	Scale   float64
	OffX    float64 // canvas x of the frame's left edge (before mirroring)
	OffY    float64
	FrameW  float64
	Mirror  bool
	CanvasW float64
	CanvasH float64
}

// NewFit computes the placement of a fw x fh frame on a cw x ch canvas.
func NewFit(fw, fh, cw, ch int, mirror bool) Fit {
	if fw <= 0 || fh <= 0 {
		return Fit{Scale: 1, CanvasW: float64(cw), CanvasH: float64(ch)}
	}
	s := max(float64(cw)/float64(fw), float64(ch)/float64(fh))
	return Fit{
		Scale:   s,
		OffX:    (float64(cw) - float64(fw)*s) / 2,
		OffY:    (float64(ch) - float64(fh)*s) / 2,
		FrameW:  float64(fw),
		Mirror:  mirror,
		CanvasW: float64(cw),
		CanvasH: float64(ch),
	}
}

// Point maps a frame point to the canvas.
func (f Fit) Point(x, y float64) (float64, float64) {
	if f.Mirror {
		x = f.FrameW - x
	}
	return f.OffX + x*f.Scale, f.OffY + y*f.Scale
}

// Rect maps a frame rectangle to the canvas; mirroring swaps its sides so
// the result still has x0 <= x1.
func (f Fit) Rect(x0, y0, x1, y1 float64) (float64, float64, float64, float64) {
	ax, ay := f.Point(x0, y0)
	bx, by := f.Point(x1, y1)
	return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)
}

// CanvasSize is the size of the canvas for a screen of sw x sh turned by
// rotation degrees: sideways turns swap width and height.
func CanvasSize(sw, sh, rotation int) (int, int) {
	if rotation == 90 || rotation == 270 {
		return sh, sw
	}
	return sw, sh
}
