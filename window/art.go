//go:build cgo

package window

import (
	"image/color"
	"math"

	"github.com/carrierarcade/kiosk/game"
)

// The games' palette, beside draw.go's: flat, saturated colours that read
// over any camera picture, always on or next to a dark plate.
var (
	colorPlate    = color.NRGBA{0x10, 0x14, 0x26, 0xd8} // HUD plates
	colorPlateHi  = color.NRGBA{0x24, 0x2c, 0x4a, 0xf0} // a window in a plate
	colorRim      = color.NRGBA{0xff, 0xff, 0xff, 0x38} // a plate's thin rim
	colorSoftInk  = color.NRGBA{0xc8, 0xd2, 0xf0, 0xff} // captions
	colorGo       = color.NRGBA{0x2e, 0xd5, 0x73, 0xff}
	colorStop     = color.NRGBA{0xf0, 0x3e, 0x3e, 0xff}
	colorGold     = color.NRGBA{0xff, 0xc8, 0x1e, 0xff}
	colorSky      = color.NRGBA{0x5c, 0xc8, 0xff, 0xff}
	colorPink     = color.NRGBA{0xff, 0x5c, 0x9d, 0xff}
	colorBlockRed = color.NRGBA{0x9e, 0x1b, 0x22, 0xff}
	colorDimAll   = color.NRGBA{0x06, 0x08, 0x14, 0xa8} // one full-screen dim
	colorShadow   = color.NRGBA{0x00, 0x00, 0x00, 0x80}
	colorBlack    = color.NRGBA{0x00, 0x00, 0x00, 0xff}
	colorWhite    = color.NRGBA{0xff, 0xff, 0xff, 0xff}
)

// Colours are color.NRGBA values everywhere in the screen, never
// color.Color: an interface holding a colour is a heap allocation, and
// the screen makes hundreds of faded and mixed colours a frame.

// fade is c with its opacity multiplied by a (0..1).
func fade(c color.NRGBA, a float64) color.NRGBA {
	c.A = uint8(math.Round(float64(c.A) * min(max(a, 0), 1)))
	return c
}

// mix blends a towards b by t (0..1), opacity included.
func mix(x, y color.NRGBA, t float64) color.NRGBA {
	t = min(max(t, 0), 1)
	l := func(p, q uint8) uint8 { return uint8(math.Round(float64(p) + (float64(q)-float64(p))*t)) }
	return color.NRGBA{l(x.R, y.R), l(x.G, y.G), l(x.B, y.B), l(x.A, y.A)}
}

// playerColor is a Freeze player's colour, from the boxes' palette.
func playerColor(i int) color.NRGBA {
	c := boxPalette[((i%len(boxPalette))+len(boxPalette))%len(boxPalette)]
	return color.NRGBA{c.R, c.G, c.B, 0xff}
}

// Easing and looping, for animations driven by the tick count.

// pulse is a smooth 0..1..0 wave of the given period in seconds.
func pulse(t, period float64) float64 { return 0.5 - 0.5*math.Cos(2*math.Pi*t/period) }

// easeOut decelerates: fast at 0, gentle at 1.
func easeOut(t float64) float64 {
	t = min(max(t, 0), 1)
	return 1 - (1-t)*(1-t)*(1-t)
}

// easeOutBack overshoots a little before settling: a pop.
func easeOutBack(t float64) float64 {
	t = min(max(t, 0), 1)
	const c1, c3 = 1.70158, 2.70158
	return 1 + c3*math.Pow(t-1, 3) + c1*math.Pow(t-1, 2)
}

// frac is the fractional part of x, 0..1.
func frac(x float64) float64 { return x - math.Floor(x) }

// viewToCanvas maps a point in view coordinates (0..1 across and down the
// picture as the attendee sees it, already mirrored) to canvas pixels.
func viewToCanvas(fit game.Fit, frameH int, x, y float32) (float32, float32) {
	return float32(fit.OffX + float64(x)*fit.FrameW*fit.Scale),
		float32(fit.OffY + float64(y)*float64(frameH)*fit.Scale)
}

// viewRect maps a view rectangle to canvas pixels: x0, y0, x1, y1.
func viewRectToCanvas(fit game.Fit, frameH int, r game.Rect) (float32, float32, float32, float32) {
	x0, y0 := viewToCanvas(fit, frameH, r.X0, r.Y0)
	x1, y1 := viewToCanvas(fit, frameH, r.X1, r.Y1)
	return x0, y0, x1, y1
}

// pictureHeight is the picture's height in canvas pixels: view sizes that
// are fractions of the picture's height (bubbles, fallers) scale by it.
func pictureHeight(fit game.Fit, frameH int) float32 { return float32(float64(frameH) * fit.Scale) }

// The kiosk's shapes, on gfx.

// plate is the kiosk's rounded dark plate with a thin light rim.
func (g *gfx) plate(x, y, w, h, unit float64) {
	r := float32(min(2*unit, h/2))
	g.fillRoundRect(float32(x), float32(y), float32(w), float32(h), r, colorPlate)
	g.strokeRoundRect(float32(x), float32(y), float32(w), float32(h), r, float32(max(1, 0.25*unit)), colorRim)
}

// progressRing is a ring on a faint track, filled clockwise from the top
// by f (0..1).
func (g *gfx) progressRing(cx, cy, r, width float32, f float64, track, fill color.NRGBA) {
	f = min(max(f, 0), 1)
	if f >= 0.999 {
		g.circleLine(cx, cy, r, width, fill)
		return
	}
	g.circleLine(cx, cy, r, width, track)
	g.arc(cx, cy, r, -math.Pi/2, -math.Pi/2+float32(f)*2*math.Pi, width, fill)
}

// starPts is a five-pointed star of outer radius r, turned by rot.
func starPts(dst []float32, cx, cy, r, rot float32) []float32 {
	for i := range 10 {
		rr := r
		if i%2 == 1 {
			rr = r * 0.45
		}
		sn, cs := math.Sincos(float64(rot) - math.Pi/2 + float64(i)*math.Pi/5)
		dst = append(dst, cx+rr*float32(cs), cy+rr*float32(sn))
	}
	return dst
}

// star is a yellow star with an orange rim.
func (g *gfx) star(cx, cy, r, rot float32, alpha float64) {
	if r <= 0 {
		return
	}
	g.pts = starPts(g.pts[:0], cx, cy, r, rot)
	g.fill(fade(colorGold, alpha), g.pts)
	g.pts = starPts(g.pts[:0], cx, cy, r, rot)
	g.stroke(fade(color.NRGBA{0xe0, 0x7a, 0x10, 0xff}, alpha), max(1.5, r*0.12), true, g.pts)
}

// heartPts is a heart of width about 2r centred on (cx, cy).
func heartPts(dst []float32, cx, cy, r float32) []float32 {
	var c curve
	c.pts = dst
	c.steps = 10
	c.move(cx, cy+r*0.95)
	c.cubic(cx-r*0.35, cy+r*0.6, cx-r*1.05, cy+r*0.2, cx-r*1.0, cy-r*0.3)
	c.cubic(cx-r*0.95, cy-r*0.95, cx-r*0.15, cy-r*1.05, cx, cy-r*0.45)
	c.cubic(cx+r*0.15, cy-r*1.05, cx+r*0.95, cy-r*0.95, cx+r*1.0, cy-r*0.3)
	c.cubic(cx+r*1.05, cy+r*0.2, cx+r*0.35, cy+r*0.6, cx, cy+r*0.95)
	return c.pts
}

// heart is a life: red when full, an outline when lost.
func (g *gfx) heart(cx, cy, r float32, full bool) {
	g.pts = heartPts(g.pts[:0], cx, cy, r)
	if full {
		g.fill(colorStop, g.pts)
		g.ellipse(cx-r*0.45, cy-r*0.4, r*0.2, r*0.14, fade(colorWhite, 0.55))
		return
	}
	g.fill(fade(colorBlack, 0.35), g.pts)
	g.pts = heartPts(g.pts[:0], cx, cy, r)
	g.stroke(fade(colorWhite, 0.6), max(1.5, r*0.14), true, g.pts)
}

// checkMark is a tick in a circle.
func (g *gfx) checkMark(cx, cy, r float32, c color.NRGBA) {
	if r <= 0 {
		return
	}
	g.disc(cx, cy, r, c)
	g.pts = append(g.pts[:0], cx-r*0.45, cy+r*0.02, cx-r*0.1, cy+r*0.38, cx+r*0.5, cy-r*0.35)
	g.stroke(colorWhite, r*0.22, false, g.pts)
}

// cornerBox outlines a detection with bold corner brackets and a thin
// frame between them, the look of a found thing.
func (g *gfx) cornerBox(x0, y0, x1, y1, width float32, c color.NRGBA) {
	w, h := x1-x0, y1-y0
	l := min(w, h) * 0.28
	thin := max(1, width/3)
	g.frameRect(x0, y0, w, h, thin, fade(c, 0.7))
	for _, k := range [][6]float32{
		{x0, y0 + l, x0, y0, x0 + l, y0}, {x1 - l, y0, x1, y0, x1, y0 + l},
		{x1, y1 - l, x1, y1, x1 - l, y1}, {x0 + l, y1, x0, y1, x0, y1 - l},
	} {
		g.pts = append(g.pts[:0], k[:]...)
		g.stroke(c, width, false, g.pts)
	}
}

// curve flattens a path of lines and Bézier curves into points.
type curve struct {
	pts   []float32
	steps int // pieces per curve
}

func (c *curve) last() (float32, float32) {
	n := len(c.pts)
	return c.pts[n-2], c.pts[n-1]
}

func (c *curve) move(x, y float32) { c.pts = append(c.pts, x, y) }
func (c *curve) line(x, y float32) { c.pts = append(c.pts, x, y) }

func (c *curve) quad(x1, y1, x2, y2 float32) {
	x0, y0 := c.last()
	for i := 1; i <= c.steps; i++ {
		t := float32(i) / float32(c.steps)
		u := 1 - t
		c.pts = append(c.pts, u*u*x0+2*u*t*x1+t*t*x2, u*u*y0+2*u*t*y1+t*t*y2)
	}
}

func (c *curve) cubic(x1, y1, x2, y2, x3, y3 float32) {
	x0, y0 := c.last()
	for i := 1; i <= c.steps; i++ {
		t := float32(i) / float32(c.steps)
		u := 1 - t
		a, b, cc, d := u*u*u, 3*u*u*t, 3*u*t*t, t*t*t
		c.pts = append(c.pts, a*x0+b*x1+cc*x2+d*x3, a*y0+b*y1+cc*y2+d*y3)
	}
}
