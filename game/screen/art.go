package screen

import (
	"image/color"
	"math"
	"strings"

	"github.com/carrierarcade/kiosk/game"
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// The games' palette, beside draw.go's: flat, saturated colours that read
// over any camera picture, always on or next to a dark plate.
var (
	colorPlate    = color.NRGBA{0x10, 0x14, 0x26, 0xd8} // HUD plates
	colorPlateHi  = color.NRGBA{0x24, 0x2c, 0x4a, 0xf0} // a highlighted row
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
)

// fade is c with its opacity multiplied by a (0..1).
func fade(c color.Color, a float64) color.NRGBA {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = uint8(math.Round(float64(n.A) * min(max(a, 0), 1)))
	return n
}

// mix blends a towards b by t (0..1), opacity included.
func mix(a, b color.Color, t float64) color.NRGBA {
	x := color.NRGBAModel.Convert(a).(color.NRGBA)
	y := color.NRGBAModel.Convert(b).(color.NRGBA)
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

// seconds is the animation clock: the app's ticks in seconds.
func (a *App) seconds() float64 { return float64(a.tick) / float64(max(a.cfg.TPS, 1)) }

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

// Text.

// face is the bold face of about size pixels. Sizes are rounded to whole
// pixels so that the font cache (kept per size) stays small.
func (a *App) face(size float64) *text.GoTextFace {
	return a.fonts.Face(max(10, math.Round(size)), false)
}

// fitFace is the largest face up to size in which s (one line) fits maxW.
func (a *App) fitFace(s string, size, maxW float64) *text.GoTextFace {
	f := a.face(size)
	if w, _ := text.Measure(s, f, f.Size); w > maxW && w > 0 {
		f = a.face(math.Floor(f.Size * maxW / w))
	}
	return f
}

// wrapText breaks s into lines no wider than maxW, at spaces; a word wider
// than maxW gets a line of its own.
func wrapText(s string, f *text.GoTextFace, maxW float64) []string {
	var lines []string
	for para := range strings.SplitSeq(s, "\n") {
		line := ""
		for w := range strings.FieldsSeq(para) {
			try := w
			if line != "" {
				try = line + " " + w
			}
			if tw, _ := text.Measure(try, f, f.Size); tw <= maxW || line == "" {
				line = try
				continue
			}
			lines = append(lines, line)
			line = w
		}
		lines = append(lines, line)
	}
	return lines
}

// fitWrapped is s wrapped into at most maxLines lines of maxW, in the
// largest face up to size that allows it.
func (a *App) fitWrapped(s string, size, maxW float64, maxLines int) (*text.GoTextFace, string) {
	for {
		f := a.face(size)
		lines := wrapText(s, f, maxW)
		fits := len(lines) <= maxLines
		for _, l := range lines {
			if w, _ := text.Measure(l, f, f.Size); w > maxW {
				fits = false
			}
		}
		if fits || f.Size <= 12 {
			return f, strings.Join(lines, "\n")
		}
		size = f.Size * 0.9
	}
}

// textSize is the size of s in f, lines spaced as say spaces them.
func textSize(s string, f *text.GoTextFace) (float64, float64) {
	return text.Measure(s, f, lineSpacing(f))
}

// textWidth is the width of s in f.
func textWidth(s string, f *text.GoTextFace) float64 {
	w, _ := text.Measure(s, f, lineSpacing(f))
	return w
}

func lineSpacing(f *text.GoTextFace) float64 { return f.Size * 1.12 }

// textStyle says how say draws: the alignment of the anchor point, a
// scale about it (for pulsing without making a font size per frame) and
// whether the text gets an outline and a shadow for reading over pictures.
type textStyle struct {
	h, v    text.Align
	scale   float64 // 0 is 1
	outline bool
}

var (
	styleCentre     = textStyle{h: text.AlignCenter, v: text.AlignCenter, outline: true}
	styleCentreFlat = textStyle{h: text.AlignCenter, v: text.AlignCenter}
	styleLeftFlat   = textStyle{h: text.AlignStart, v: text.AlignCenter}
	styleRightFlat  = textStyle{h: text.AlignEnd, v: text.AlignCenter}
)

// say draws s at (x, y) in ink.
func say(dst *ebiten.Image, f *text.GoTextFace, s string, x, y float64, st textStyle, ink color.Color) {
	if s == "" {
		return
	}
	sc := st.scale
	if sc == 0 {
		sc = 1
	}
	op := &text.DrawOptions{}
	op.PrimaryAlign, op.SecondaryAlign = st.h, st.v
	op.LineSpacing = lineSpacing(f)
	op.Filter = ebiten.FilterLinear
	at := func(dx, dy float64, c color.Color) {
		op.GeoM.Reset()
		op.GeoM.Scale(sc, sc)
		op.GeoM.Translate(x+dx, y+dy)
		op.ColorScale.Reset()
		op.ColorScale.ScaleWithColor(c)
		text.Draw(dst, s, f, op)
	}
	if st.outline {
		o := max(1.2, f.Size*sc/15)
		_, _, _, ia := ink.RGBA()
		alpha := float64(ia) / 0xffff
		at(o*0.6, o*1.5, fade(colorShadow, alpha))
		dark := fade(color.Black, 0.85*alpha)
		for i := range 8 {
			sn, cs := math.Sincos(float64(i) * math.Pi / 4)
			at(cs*o, sn*o, dark)
		}
	}
	at(0, 0, ink)
}

// Shapes. Paths are anti-aliased; vector copies a path when it is filled,
// so each helper builds its own small one.

func fillPath(dst *ebiten.Image, p *vector.Path, c color.Color) {
	op := &vector.DrawPathOptions{AntiAlias: true}
	op.ColorScale.ScaleWithColor(c)
	vector.FillPath(dst, p, nil, op)
}

func strokePath(dst *ebiten.Image, p *vector.Path, width float32, c color.Color) {
	op := &vector.DrawPathOptions{AntiAlias: true}
	op.ColorScale.ScaleWithColor(c)
	vector.StrokePath(dst, p, &vector.StrokeOptions{Width: width, LineCap: vector.LineCapRound, LineJoin: vector.LineJoinRound}, op)
}

// roundRectPath is a rectangle with corners of radius r.
func roundRectPath(p *vector.Path, x, y, w, h, r float32) {
	r = max(0, min(r, w/2, h/2))
	const q = math.Pi / 2
	p.MoveTo(x+r, y)
	p.LineTo(x+w-r, y)
	p.Arc(x+w-r, y+r, r, -q, 0, vector.Clockwise)
	p.LineTo(x+w, y+h-r)
	p.Arc(x+w-r, y+h-r, r, 0, q, vector.Clockwise)
	p.LineTo(x+r, y+h)
	p.Arc(x+r, y+h-r, r, q, 2*q, vector.Clockwise)
	p.LineTo(x, y+r)
	p.Arc(x+r, y+r, r, 2*q, 3*q, vector.Clockwise)
	p.Close()
}

// fillRoundRect fills a rectangle with round corners. Only the corners
// are anti-aliased paths; the body is plain triangles: a software
// renderer pays for a path by its area.
func fillRoundRect(dst *ebiten.Image, x, y, w, h, r float32, c color.Color) {
	if w <= 0 || h <= 0 {
		return
	}
	r = max(0, min(r, w/2, h/2))
	if r < 1 {
		vector.FillRect(dst, x, y, w, h, c, true)
		return
	}
	vector.FillRect(dst, x+r, y, w-2*r, h, c, false)
	vector.FillRect(dst, x, y+r, r, h-2*r, c, false)
	vector.FillRect(dst, x+w-r, y+r, r, h-2*r, c, false)
	const q = math.Pi / 2
	var p vector.Path
	corner := func(cx, cy float32, a0 float32) {
		p.MoveTo(cx, cy)
		p.Arc(cx, cy, r, a0, a0+q, vector.Clockwise)
		p.Close()
	}
	corner(x+r, y+r, 2*q)
	corner(x+w-r, y+r, 3*q)
	corner(x+w-r, y+h-r, 0)
	corner(x+r, y+h-r, q)
	fillPath(dst, &p, c)
}

// strokeRoundRect outlines a rectangle with round corners, in the same
// way: straight sides as triangles, corners as small paths.
func strokeRoundRect(dst *ebiten.Image, x, y, w, h, r, width float32, c color.Color) {
	if w <= 0 || h <= 0 {
		return
	}
	r = max(0, min(r, w/2, h/2))
	hw := width / 2
	vector.FillRect(dst, x+r, y-hw, w-2*r, width, c, false)
	vector.FillRect(dst, x+r, y+h-hw, w-2*r, width, c, false)
	vector.FillRect(dst, x-hw, y+r, width, h-2*r, c, false)
	vector.FillRect(dst, x+w-hw, y+r, width, h-2*r, c, false)
	if r < 1 {
		return
	}
	const q = math.Pi / 2
	var p vector.Path
	corner := func(cx, cy float32, a0 float32) {
		sn, cs := math.Sincos(float64(a0))
		p.MoveTo(cx+r*float32(cs), cy+r*float32(sn))
		p.Arc(cx, cy, r, a0, a0+q, vector.Clockwise)
	}
	corner(x+r, y+r, 2*q)
	corner(x+w-r, y+r, 3*q)
	corner(x+w-r, y+h-r, 0)
	corner(x+r, y+h-r, q)
	op := &vector.DrawPathOptions{AntiAlias: true}
	op.ColorScale.ScaleWithColor(c)
	vector.StrokePath(dst, &p, &vector.StrokeOptions{Width: width, LineCap: vector.LineCapButt}, op)
}

// plate is the kiosk's rounded dark plate with a thin light rim.
func plate(dst *ebiten.Image, x, y, w, h, unit float64) {
	r := float32(min(2*unit, h/2))
	fillRoundRect(dst, float32(x), float32(y), float32(w), float32(h), r, colorPlate)
	strokeRoundRect(dst, float32(x), float32(y), float32(w), float32(h), r, float32(max(1, 0.25*unit)), colorRim)
}

// disc is an anti-aliased filled circle.
func disc(dst *ebiten.Image, cx, cy, r float32, c color.Color) {
	if r <= 0 {
		return
	}
	vector.FillCircle(dst, cx, cy, r, c, true)
}

// circleLine is an anti-aliased circle outline.
func circleLine(dst *ebiten.Image, cx, cy, r, width float32, c color.Color) {
	if r <= 0 {
		return
	}
	vector.StrokeCircle(dst, cx, cy, r, width, c, true)
}

// arc strokes part of a circle, from angle a0 clockwise to a1 (radians,
// 0 is to the right, y grows down).
func arc(dst *ebiten.Image, cx, cy, r, a0, a1, width float32, c color.Color) {
	if a1-a0 <= 0.001 || r <= 0 {
		return
	}
	var p vector.Path
	p.Arc(cx, cy, r, a0, a1, vector.Clockwise)
	strokePath(dst, &p, width, c)
}

// progressRing is a ring on a faint track, filled clockwise from the top
// by f (0..1).
func progressRing(dst *ebiten.Image, cx, cy, r, width float32, f float64, track, fill color.Color) {
	circleLine(dst, cx, cy, r, width, track)
	f = min(max(f, 0), 1)
	if f >= 0.999 {
		circleLine(dst, cx, cy, r, width, fill)
		return
	}
	arc(dst, cx, cy, r, -math.Pi/2, -math.Pi/2+float32(f)*2*math.Pi, width, fill)
}

// polygon fills the closed shape through the points (x0, y0, x1, y1, ...).
func polygon(dst *ebiten.Image, c color.Color, pts ...float32) {
	var p vector.Path
	p.MoveTo(pts[0], pts[1])
	for i := 2; i+1 < len(pts); i += 2 {
		p.LineTo(pts[i], pts[i+1])
	}
	p.Close()
	fillPath(dst, &p, c)
}

// ellipsePath adds an ellipse of radii rx, ry centred on (cx, cy).
func ellipsePath(p *vector.Path, cx, cy, rx, ry float32) {
	const k = 0.5523 // control distance for a quarter circle
	p.MoveTo(cx+rx, cy)
	p.CubicTo(cx+rx, cy+k*ry, cx+k*rx, cy+ry, cx, cy+ry)
	p.CubicTo(cx-k*rx, cy+ry, cx-rx, cy+k*ry, cx-rx, cy)
	p.CubicTo(cx-rx, cy-k*ry, cx-k*rx, cy-ry, cx, cy-ry)
	p.CubicTo(cx+k*rx, cy-ry, cx+rx, cy-k*ry, cx+rx, cy)
	p.Close()
}

func ellipse(dst *ebiten.Image, cx, cy, rx, ry float32, c color.Color) {
	var p vector.Path
	ellipsePath(&p, cx, cy, rx, ry)
	fillPath(dst, &p, c)
}

// line is an anti-aliased segment with round ends.
func line(dst *ebiten.Image, x0, y0, x1, y1, width float32, c color.Color) {
	var p vector.Path
	p.MoveTo(x0, y0)
	p.LineTo(x1, y1)
	strokePath(dst, &p, width, c)
}

// starPath adds a five-pointed star of outer radius r, turned by rot.
func starPath(p *vector.Path, cx, cy, r, rot float32) {
	for i := range 10 {
		rr := r
		if i%2 == 1 {
			rr = r * 0.45
		}
		ang := float64(rot) - math.Pi/2 + float64(i)*math.Pi/5
		s, c := math.Sincos(ang)
		x, y := cx+rr*float32(c), cy+rr*float32(s)
		if i == 0 {
			p.MoveTo(x, y)
		} else {
			p.LineTo(x, y)
		}
	}
	p.Close()
}

// star is a yellow star with an orange rim.
func star(dst *ebiten.Image, cx, cy, r, rot float32, alpha float64) {
	var p vector.Path
	starPath(&p, cx, cy, r, rot)
	fillPath(dst, &p, fade(colorGold, alpha))
	strokePath(dst, &p, max(1.5, r*0.12), fade(color.NRGBA{0xe0, 0x7a, 0x10, 0xff}, alpha))
}

// heartPath adds a heart of width about 2r centred on (cx, cy).
func heartPath(p *vector.Path, cx, cy, r float32) {
	p.MoveTo(cx, cy+r*0.95)
	p.CubicTo(cx-r*0.35, cy+r*0.6, cx-r*1.05, cy+r*0.2, cx-r*1.0, cy-r*0.3)
	p.CubicTo(cx-r*0.95, cy-r*0.95, cx-r*0.15, cy-r*1.05, cx, cy-r*0.45)
	p.CubicTo(cx+r*0.15, cy-r*1.05, cx+r*0.95, cy-r*0.95, cx+r*1.0, cy-r*0.3)
	p.CubicTo(cx+r*1.05, cy+r*0.2, cx+r*0.35, cy+r*0.6, cx, cy+r*0.95)
	p.Close()
}

// heart is a life: red when full, an outline when lost.
func heart(dst *ebiten.Image, cx, cy, r float32, full bool) {
	var p vector.Path
	heartPath(&p, cx, cy, r)
	if full {
		fillPath(dst, &p, colorStop)
		ellipse(dst, cx-r*0.45, cy-r*0.4, r*0.2, r*0.14, fade(color.White, 0.55))
		return
	}
	fillPath(dst, &p, fade(color.Black, 0.35))
	strokePath(dst, &p, max(1.5, r*0.14), fade(color.White, 0.6))
}

// checkMark is a tick (✓) in a circle.
func checkMark(dst *ebiten.Image, cx, cy, r float32, c color.Color) {
	disc(dst, cx, cy, r, c)
	var p vector.Path
	p.MoveTo(cx-r*0.45, cy+r*0.02)
	p.LineTo(cx-r*0.1, cy+r*0.38)
	p.LineTo(cx+r*0.5, cy-r*0.35)
	strokePath(dst, &p, r*0.22, color.White)
}

// cornerBox outlines a detection with bold corner brackets and a thin
// frame between them, the look of a found thing.
func cornerBox(dst *ebiten.Image, x0, y0, x1, y1, width float32, c color.Color) {
	w, h := x1-x0, y1-y0
	l := min(w, h) * 0.28
	thin := max(1, width/3)
	vector.StrokeRect(dst, x0, y0, w, h, thin, fade(c, 0.7), false)
	var p vector.Path
	p.MoveTo(x0, y0+l)
	p.LineTo(x0, y0)
	p.LineTo(x0+l, y0)
	p.MoveTo(x1-l, y0)
	p.LineTo(x1, y0)
	p.LineTo(x1, y0+l)
	p.MoveTo(x1, y1-l)
	p.LineTo(x1, y1)
	p.LineTo(x1-l, y1)
	p.MoveTo(x0+l, y1)
	p.LineTo(x0, y1)
	p.LineTo(x0, y1-l)
	strokePath(dst, &p, width, c)
}
