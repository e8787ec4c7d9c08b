package model

import "github.com/carrierarcade/kiosk/sight"

// Letterbox is how a source picture is fitted into a detector's square (or
// fixed) input: scaled by one factor keeping its aspect, then padded. It is
// computed once per source size and maps detections back to source pixels.
type Letterbox struct {
	Scale      float32 // input pixels per source pixel
	W, H       int     // size of the scaled picture inside the input
	PadX, PadY int     // where the scaled picture starts in the input
}

// NewLetterbox fits a srcW x srcH picture into dstW x dstH. With center the
// padding is split on both sides (Ultralytics, BlazeFace); without, the
// picture sits at the top-left (YOLOX).
func NewLetterbox(srcW, srcH, dstW, dstH int, center bool) Letterbox {
	r := min(float32(dstW)/float32(srcW), float32(dstH)/float32(srcH))
	w := min(dstW, max(1, int(float32(srcW)*r+0.5)))
	h := min(dstH, max(1, int(float32(srcH)*r+0.5)))
	lb := Letterbox{Scale: r, W: w, H: h}
	if center {
		lb.PadX = (dstW - w) / 2
		lb.PadY = (dstH - h) / 2
	}
	return lb
}

// ToSource maps a point in input pixels back to source pixels.
func (l Letterbox) ToSource(x, y float32) (float32, float32) {
	return (x - float32(l.PadX)) / l.Scale, (y - float32(l.PadY)) / l.Scale
}

// BoxToSource maps a box in input pixels back to source pixels, clamped to
// the source picture.
func (l Letterbox) BoxToSource(b sight.Box, srcW, srcH int) sight.Box {
	x0, y0 := l.ToSource(b.X0, b.Y0)
	x1, y1 := l.ToSource(b.X1, b.Y1)
	return sight.Box{
		X0: clamp(x0, 0, float32(srcW)), Y0: clamp(y0, 0, float32(srcH)),
		X1: clamp(x1, 0, float32(srcW)), Y1: clamp(y1, 0, float32(srcH)),
	}
}

func clamp(v, lo, hi float32) float32 { return max(lo, min(hi, v)) }
