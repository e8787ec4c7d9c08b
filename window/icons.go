//go:build cgo

package window

import (
	"image/color"
	"math"
)

// The hunt's pictures: one flat-colour icon for each thing it may ask
// for, drawn with vector shapes in a square box. Coordinates inside an
// icon are 0..1 across and down that box.

// pen draws in an icon's box: (u, v) in 0..1 maps to the canvas, turned by
// rot radians about the box point (pu, pv).
type pen struct {
	g        *gfx
	x, y, s  float32 // the box's top-left corner and size on the canvas
	rot      float64
	pu, pv   float32
	sin, cos float32
}

// newPen is a pen for the box of side s centred on (cx, cy).
func newPen(g *gfx, cx, cy, s float32) pen {
	return pen{g: g, x: cx - s/2, y: cy - s/2, s: s, cos: 1}
}

// turned is the pen turned by rot about (pu, pv).
func (p pen) turned(rot float64, pu, pv float32) pen {
	p.rot, p.pu, p.pv = rot, pu, pv
	sn, cs := math.Sincos(rot)
	p.sin, p.cos = float32(sn), float32(cs)
	return p
}

func (p pen) pt(u, v float32) (float32, float32) {
	if p.rot != 0 {
		du, dv := u-p.pu, v-p.pv
		u, v = p.pu+du*p.cos-dv*p.sin, p.pv+du*p.sin+dv*p.cos
	}
	return p.x + u*p.s, p.y + v*p.s
}

// circle fills a circle of radius r (box units).
func (p pen) circle(u, v, r float32, c color.NRGBA) {
	x, y := p.pt(u, v)
	p.g.disc(x, y, r*p.s, c)
}

// ring strokes a circle.
func (p pen) ring(u, v, r, w float32, c color.NRGBA) {
	x, y := p.pt(u, v)
	p.g.circleLine(x, y, r*p.s, w*p.s, c)
}

// line strokes a segment with round ends.
func (p pen) line(u0, v0, u1, v1, w float32, c color.NRGBA) {
	x0, y0 := p.pt(u0, v0)
	x1, y1 := p.pt(u1, v1)
	p.g.line(x0, y0, x1, y1, w*p.s, c)
}

// rect fills a rectangle with corners of radius r (not turned).
func (p pen) rect(u0, v0, u1, v1, r float32, c color.NRGBA) {
	x0, y0 := p.pt(u0, v0)
	x1, y1 := p.pt(u1, v1)
	p.g.fillRoundRect(x0, y0, x1-x0, y1-y0, r*p.s, c)
}

// ellipse fills an ellipse (not turned).
func (p pen) ellipse(u, v, ru, rv float32, c color.NRGBA) {
	x, y := p.pt(u, v)
	p.g.ellipse(x, y, ru*p.s, rv*p.s, c)
}

// poly fills the polygon through (u0, v0, u1, v1, ...).
func (p pen) poly(c color.NRGBA, uv ...float32) {
	pts := p.g.pts[:0]
	for i := 0; i+1 < len(uv); i += 2 {
		x, y := p.pt(uv[i], uv[i+1])
		pts = append(pts, x, y)
	}
	p.g.pts = pts
	p.g.fill(c, pts)
}

// shape starts a free outline drawn with this pen. It is the gfx's one
// shape, reused: an outline is finished (filled or stroked) before the next
// one starts.
func (p pen) shape() *shape {
	s := &p.g.shape
	s.pen, s.closed = p, false
	s.c.pts, s.c.steps = s.c.pts[:0], 12
	s.starts = s.starts[:0]
	return s
}

// shape is an outline in an icon's box units: one or more pieces, each
// started by move.
type shape struct {
	pen    pen
	c      curve
	starts []int // where each piece begins in c.pts
	closed bool
}

func (s *shape) move(u, v float32) *shape {
	s.starts = append(s.starts, len(s.c.pts))
	s.c.move(s.pen.pt(u, v))
	return s
}
func (s *shape) line(u, v float32) *shape { s.c.line(s.pen.pt(u, v)); return s }
func (s *shape) quad(u1, v1, u2, v2 float32) *shape {
	x1, y1 := s.pen.pt(u1, v1)
	x2, y2 := s.pen.pt(u2, v2)
	s.c.quad(x1, y1, x2, y2)
	return s
}
func (s *shape) cubic(u1, v1, u2, v2, u3, v3 float32) *shape {
	x1, y1 := s.pen.pt(u1, v1)
	x2, y2 := s.pen.pt(u2, v2)
	x3, y3 := s.pen.pt(u3, v3)
	s.c.cubic(x1, y1, x2, y2, x3, y3)
	return s
}

// close joins the outline back to its start (for strokes; fills are
// always closed).
func (s *shape) close() *shape { s.closed = true; return s }

// piece is the points of piece i.
func (s *shape) piece(i int) []float32 {
	end := len(s.c.pts)
	if i+1 < len(s.starts) {
		end = s.starts[i+1]
	}
	return s.c.pts[s.starts[i]:end]
}

func (s *shape) fill(c color.NRGBA) {
	for i := range s.starts {
		s.pen.g.fill(c, s.piece(i))
	}
}

func (s *shape) stroke(w float32, c color.NRGBA) {
	for i := range s.starts {
		s.pen.g.stroke(c, w*s.pen.s, s.closed, s.piece(i))
	}
}

// Icon colours.
var (
	inkDark   = color.NRGBA{0x1c, 0x1f, 0x2e, 0xff}
	inkGrey   = color.NRGBA{0x8a, 0x93, 0xa6, 0xff}
	inkBody   = color.NRGBA{0x4a, 0x52, 0x6e, 0xff} // dark gadgets, lighter than the plates
	inkSilver = color.NRGBA{0xc9, 0xd1, 0xde, 0xff}
	inkWhite  = color.NRGBA{0xf6, 0xf7, 0xfb, 0xff}
	inkScreen = color.NRGBA{0x3a, 0x9b, 0xf0, 0xff}
	inkBrown  = color.NRGBA{0x9c, 0x62, 0x34, 0xff}
	inkTan    = color.NRGBA{0xe3, 0xb5, 0x84, 0xff}
	inkLeaf   = color.NRGBA{0x3f, 0xb9, 0x4e, 0xff}
	inkOrange = color.NRGBA{0xff, 0x93, 0x1e, 0xff}
	inkYellow = color.NRGBA{0xff, 0xdc, 0x3c, 0xff}
	inkRed    = color.NRGBA{0xe8, 0x3b, 0x3b, 0xff}
	inkBlue   = color.NRGBA{0x2f, 0x6f, 0xe0, 0xff}
	inkPurple = color.NRGBA{0x8e, 0x4d, 0xd8, 0xff}
	inkTeal   = color.NRGBA{0x1f, 0xb5, 0xa8, 0xff}
	inkPink   = color.NRGBA{0xff, 0x6f, 0xa8, 0xff}
)

// itemIcon draws the picture of a hunt item (a COCO label) in the box of
// side s centred on (cx, cy); t (seconds) animates the lively ones.
// Labels without a picture of their own get a magnifying glass.
func itemIcon(g *gfx, item string, cx, cy, s float32, t float64) {
	p := newPen(g, cx, cy, s)
	switch item {
	case "cup":
		iconCup(p, t)
	case "bottle":
		iconBottle(p)
	case "cell phone":
		iconPhone(p)
	case "book":
		iconBook(p)
	case "backpack":
		iconBackpack(p)
	case "handbag":
		iconHandbag(p)
	case "umbrella":
		iconUmbrella(p)
	case "banana":
		iconBanana(p)
	case "apple":
		iconApple(p)
	case "orange":
		iconOrange(p)
	case "scissors":
		iconScissors(p)
	case "teddy bear":
		iconTeddy(p)
	case "keyboard":
		iconKeyboard(p)
	case "mouse":
		iconMouse(p)
	case "remote":
		iconRemote(p)
	case "laptop":
		iconLaptop(p)
	case "clock":
		iconClock(p, t)
	case "dog":
		iconDog(p, t)
	case "bicycle":
		iconBicycle(p)
	case "car":
		iconCar(p)
	case "sports ball":
		iconBall(p)
	case "tv":
		iconTV(p)
	default:
		iconSearch(p)
	}
}

func iconCup(p pen, t float64) {
	// steam, drifting
	for i, u := range []float32{0.36, 0.5, 0.64} {
		ph := float32(math.Sin(t*3 + float64(i)*1.7))
		p.shape().move(u, 0.3).cubic(u-0.05+0.02*ph, 0.24, u+0.05+0.02*ph, 0.18, u, 0.1).stroke(0.035, fade(inkWhite, 0.75))
	}
	p.ring(0.72, 0.56, 0.12, 0.06, inkRed)
	p.shape().move(0.22, 0.36).line(0.74, 0.36).line(0.7, 0.8).quad(0.69, 0.86, 0.62, 0.86).
		line(0.34, 0.86).quad(0.27, 0.86, 0.26, 0.8).close().fill(inkRed)
	p.rect(0.2, 0.33, 0.76, 0.39, 0.03, color.NRGBA{0xff, 0x77, 0x6e, 0xff})
	p.circle(0.48, 0.6, 0.08, inkWhite)
	p.circle(0.48, 0.6, 0.045, inkRed)
	p.ellipse(0.48, 0.9, 0.3, 0.035, inkSilver)
}

func iconBottle(p pen) {
	water := color.NRGBA{0x7f, 0xd3, 0xff, 0xff}
	p.rect(0.42, 0.06, 0.58, 0.16, 0.02, inkBlue)
	p.shape().move(0.44, 0.16).line(0.56, 0.16).line(0.56, 0.24).cubic(0.68, 0.28, 0.7, 0.34, 0.7, 0.4).
		line(0.7, 0.88).quad(0.7, 0.94, 0.64, 0.94).line(0.36, 0.94).quad(0.3, 0.94, 0.3, 0.88).
		line(0.3, 0.4).cubic(0.3, 0.34, 0.32, 0.28, 0.44, 0.24).close().fill(water)
	p.rect(0.3, 0.5, 0.7, 0.72, 0, inkBlue)
	p.rect(0.3, 0.55, 0.7, 0.58, 0, inkWhite)
	p.rect(0.37, 0.3, 0.42, 0.46, 0.025, fade(inkWhite, 0.7))
}

func iconPhone(p pen) {
	p.rect(0.28, 0.06, 0.72, 0.94, 0.07, inkBody)
	p.rect(0.31, 0.13, 0.69, 0.84, 0.02, inkScreen)
	p.rect(0.44, 0.085, 0.56, 0.105, 0.01, inkGrey)
	p.circle(0.5, 0.89, 0.025, inkGrey)
	// app tiles
	cols := [...]color.NRGBA{inkYellow, inkPink, inkLeaf, inkOrange, inkWhite, inkPurple}
	for i, c := range cols {
		u := 0.37 + float32(i%3)*0.13
		v := 0.2 + float32(i/3)*0.14
		p.rect(u-0.04, v-0.04, u+0.04, v+0.04, 0.015, c)
	}
}

func iconBook(p pen) {
	p.rect(0.24, 0.14, 0.8, 0.88, 0.03, inkWhite) // pages
	p.rect(0.18, 0.1, 0.74, 0.9, 0.04, inkPurple)
	p.rect(0.18, 0.1, 0.27, 0.9, 0.03, color.NRGBA{0x62, 0x2c, 0xa8, 0xff})
	p.rect(0.35, 0.26, 0.66, 0.31, 0.02, inkYellow)
	p.rect(0.35, 0.37, 0.6, 0.41, 0.02, fade(inkWhite, 0.8))
	p.circle(0.5, 0.64, 0.09, fade(inkYellow, 0.9))
}

func iconBackpack(p pen) {
	green := color.NRGBA{0x2f, 0xa0, 0x5a, 0xff}
	dark := color.NRGBA{0x1f, 0x70, 0x3e, 0xff}
	p.shape().move(0.4, 0.22).quad(0.4, 0.08, 0.5, 0.08).quad(0.6, 0.08, 0.6, 0.22).stroke(0.05, dark)
	p.rect(0.2, 0.2, 0.8, 0.92, 0.16, green)
	p.rect(0.3, 0.56, 0.7, 0.86, 0.07, dark)
	p.rect(0.3, 0.62, 0.7, 0.65, 0, inkYellow)
	p.rect(0.33, 0.3, 0.67, 0.34, 0.02, dark)
	p.circle(0.5, 0.72, 0.03, inkYellow)
}

func iconHandbag(p pen) {
	p.shape().move(0.34, 0.42).cubic(0.34, 0.12, 0.66, 0.12, 0.66, 0.42).stroke(0.055, color.NRGBA{0xb8, 0x3d, 0x6f, 0xff})
	p.shape().move(0.24, 0.38).line(0.76, 0.38).line(0.86, 0.86).quad(0.87, 0.9, 0.82, 0.9).
		line(0.18, 0.9).quad(0.13, 0.9, 0.14, 0.86).close().fill(inkPink)
	p.shape().move(0.22, 0.38).line(0.78, 0.38).line(0.8, 0.52).quad(0.5, 0.62, 0.2, 0.52).close().fill(color.NRGBA{0xe0, 0x4f, 0x8a, 0xff})
	p.rect(0.45, 0.5, 0.55, 0.6, 0.02, inkYellow)
}

func iconUmbrella(p pen) {
	p.line(0.5, 0.48, 0.5, 0.8, 0.045, inkSilver)
	p.shape().move(0.5, 0.8).quad(0.5, 0.92, 0.42, 0.92).quad(0.36, 0.92, 0.36, 0.85).stroke(0.06, inkBrown)
	canopy := p.shape().move(0.08, 0.5).cubic(0.1, 0.2, 0.3, 0.08, 0.5, 0.08).cubic(0.7, 0.08, 0.9, 0.2, 0.92, 0.5)
	for i := 3; i >= 0; i-- { // scallops, right to left
		u0 := 0.08 + float32(i+1)*0.21
		u1 := 0.08 + float32(i)*0.21
		canopy.quad((u0+u1)/2, 0.42, u1, 0.5)
	}
	canopy.close().fill(inkRed)
	p.shape().move(0.5, 0.08).cubic(0.38, 0.2, 0.33, 0.34, 0.29, 0.47).quad(0.4, 0.42, 0.5, 0.47).close().fill(inkWhite)
	p.shape().move(0.5, 0.08).cubic(0.62, 0.2, 0.67, 0.34, 0.71, 0.47).quad(0.6, 0.42, 0.5, 0.47).close().fill(inkWhite)
	p.circle(0.5, 0.07, 0.025, inkDark)
}

func iconBanana(p pen) {
	yellow := inkYellow
	p.shape().move(0.16, 0.3).cubic(0.18, 0.75, 0.62, 0.9, 0.88, 0.58).
		cubic(0.84, 0.54, 0.8, 0.54, 0.78, 0.54).cubic(0.56, 0.64, 0.34, 0.54, 0.3, 0.3).close().fill(yellow)
	p.shape().move(0.22, 0.42).cubic(0.3, 0.7, 0.6, 0.78, 0.82, 0.6).stroke(0.025, color.NRGBA{0xe8, 0xb4, 0x1c, 0xff})
	p.line(0.16, 0.3, 0.27, 0.3, 0.035, inkBrown)
	p.line(0.22, 0.3, 0.2, 0.18, 0.05, inkBrown)
	p.circle(0.87, 0.57, 0.025, inkBrown)
}

func iconApple(p pen) {
	p.line(0.5, 0.3, 0.53, 0.1, 0.045, inkBrown)
	p.shape().move(0.55, 0.2).quad(0.68, 0.06, 0.82, 0.12).quad(0.72, 0.28, 0.55, 0.2).close().fill(inkLeaf)
	p.shape().move(0.5, 0.3).cubic(0.3, 0.16, 0.1, 0.28, 0.12, 0.52).cubic(0.14, 0.78, 0.32, 0.94, 0.5, 0.86).
		cubic(0.68, 0.94, 0.86, 0.78, 0.88, 0.52).cubic(0.9, 0.28, 0.7, 0.16, 0.5, 0.3).close().fill(inkRed)
	p.ellipse(0.3, 0.46, 0.05, 0.1, fade(inkWhite, 0.5))
}

func iconOrange(p pen) {
	p.circle(0.5, 0.56, 0.36, inkOrange)
	for _, d := range [][2]float32{{0.38, 0.5}, {0.6, 0.66}, {0.48, 0.76}, {0.68, 0.46}, {0.32, 0.68}} {
		p.circle(d[0], d[1], 0.018, color.NRGBA{0xe0, 0x76, 0x0c, 0xff})
	}
	p.ellipse(0.36, 0.4, 0.07, 0.05, fade(inkWhite, 0.45))
	p.line(0.5, 0.22, 0.5, 0.14, 0.04, inkBrown)
	p.shape().move(0.5, 0.17).quad(0.62, 0.04, 0.78, 0.1).quad(0.66, 0.24, 0.5, 0.17).close().fill(inkLeaf)
}

func iconScissors(p pen) {
	steel := inkSilver
	p.shape().move(0.42, 0.56).line(0.7, 0.08).line(0.74, 0.12).line(0.52, 0.6).close().fill(steel)
	p.shape().move(0.58, 0.56).line(0.3, 0.08).line(0.26, 0.12).line(0.48, 0.6).close().fill(color.NRGBA{0xa9, 0xb4, 0xc6, 0xff})
	p.circle(0.5, 0.53, 0.03, inkDark)
	p.line(0.45, 0.58, 0.37, 0.68, 0.07, inkRed)
	p.line(0.55, 0.58, 0.63, 0.68, 0.07, inkRed)
	p.ring(0.32, 0.78, 0.11, 0.065, inkRed)
	p.ring(0.68, 0.78, 0.11, 0.065, inkRed)
}

func iconTeddy(p pen) {
	p.circle(0.5, 0.78, 0.2, inkBrown)
	p.circle(0.5, 0.8, 0.11, inkTan)
	p.circle(0.26, 0.18, 0.1, inkBrown)
	p.circle(0.74, 0.18, 0.1, inkBrown)
	p.circle(0.26, 0.18, 0.05, inkTan)
	p.circle(0.74, 0.18, 0.05, inkTan)
	p.circle(0.5, 0.38, 0.25, inkBrown)
	p.ellipse(0.5, 0.47, 0.12, 0.09, inkTan)
	p.circle(0.41, 0.33, 0.03, inkDark)
	p.circle(0.59, 0.33, 0.03, inkDark)
	p.ellipse(0.5, 0.43, 0.045, 0.03, inkDark)
	p.shape().move(0.45, 0.5).quad(0.5, 0.54, 0.55, 0.5).stroke(0.018, inkDark)
}

func iconKeyboard(p pen) {
	p.rect(0.06, 0.3, 0.94, 0.76, 0.05, inkBody)
	for r := range 3 {
		n := 8 - r%2
		u0 := 0.11 + float32(r%2)*0.05
		for k := range n {
			u := u0 + float32(k)*0.1
			v := 0.35 + float32(r)*0.1
			p.rect(u, v, u+0.08, v+0.08, 0.015, inkSilver)
		}
	}
	p.rect(0.26, 0.65, 0.74, 0.72, 0.015, inkSilver)
	p.rect(0.11, 0.65, 0.22, 0.72, 0.015, inkScreen)
	p.rect(0.78, 0.65, 0.89, 0.72, 0.015, inkScreen)
}

func iconMouse(p pen) {
	p.shape().move(0.5, 0.3).cubic(0.5, 0.16, 0.7, 0.16, 0.72, 0.06).stroke(0.03, inkGrey)
	p.shape().move(0.5, 0.3).cubic(0.72, 0.3, 0.76, 0.44, 0.76, 0.58).cubic(0.76, 0.8, 0.64, 0.92, 0.5, 0.92).
		cubic(0.36, 0.92, 0.24, 0.8, 0.24, 0.58).cubic(0.24, 0.44, 0.28, 0.3, 0.5, 0.3).close().fill(inkSilver)
	p.line(0.25, 0.52, 0.75, 0.52, 0.02, inkGrey)
	p.line(0.5, 0.31, 0.5, 0.52, 0.02, inkGrey)
	p.rect(0.47, 0.36, 0.53, 0.46, 0.03, inkBlue)
}

func iconRemote(p pen) {
	p.rect(0.34, 0.04, 0.66, 0.96, 0.09, inkBody)
	p.circle(0.5, 0.13, 0.045, inkRed)
	p.circle(0.5, 0.33, 0.1, inkGrey)
	p.circle(0.5, 0.33, 0.04, inkDark)
	for r := range 3 {
		for c := range 3 {
			p.circle(0.41+float32(c)*0.09, 0.52+float32(r)*0.09, 0.03, inkSilver)
		}
	}
	p.rect(0.4, 0.8, 0.6, 0.86, 0.02, inkScreen)
}

func iconLaptop(p pen) {
	p.rect(0.18, 0.16, 0.82, 0.64, 0.04, inkBody)
	p.rect(0.22, 0.2, 0.78, 0.6, 0.01, inkScreen)
	p.shape().move(0.22, 0.6).line(0.5, 0.2).line(0.78, 0.2).line(0.78, 0.28).line(0.42, 0.6).close().fill(fade(inkWhite, 0.18))
	p.shape().move(0.14, 0.66).line(0.86, 0.66).line(0.96, 0.8).quad(0.96, 0.84, 0.92, 0.84).
		line(0.08, 0.84).quad(0.04, 0.84, 0.04, 0.8).close().fill(inkSilver)
	p.rect(0.42, 0.72, 0.58, 0.76, 0.02, inkGrey)
}

func iconClock(p pen, t float64) {
	p.circle(0.5, 0.52, 0.4, inkBlue)
	p.circle(0.5, 0.52, 0.33, inkWhite)
	for i := range 12 {
		sn, cs := math.Sincos(float64(i) * math.Pi / 6)
		l := float32(0.05)
		if i%3 == 0 {
			l = 0.08
		}
		p.line(0.5+float32(cs)*0.29, 0.52+float32(sn)*0.29, 0.5+float32(cs)*(0.29-l), 0.52+float32(sn)*(0.29-l), 0.025, inkDark)
	}
	clockHands(p, 0.5, 0.52, 0.33, t)
	p.circle(0.5, 0.52, 0.035, inkRed)
}

// clockHands draws a clock's hands going round, briskly, about (u, v).
func clockHands(p pen, u, v, r float32, t float64) {
	hs, hc := math.Sincos(t*0.5 - math.Pi/2)
	ms, mc := math.Sincos(t*3 - math.Pi/2)
	p.line(u, v, u+float32(hc)*r*0.5, v+float32(hs)*r*0.5, r*0.14, inkDark)
	p.line(u, v, u+float32(mc)*r*0.78, v+float32(ms)*r*0.78, r*0.09, inkDark)
}

func iconDog(p pen, t float64) {
	ear := color.NRGBA{0x6b, 0x3e, 0x1c, 0xff}
	wag := float32(math.Sin(t*4)) * 0.02
	p.shape().move(0.26, 0.2).cubic(0.08, 0.18, 0.04, 0.5, 0.14, 0.62+wag).cubic(0.22, 0.68, 0.28, 0.5, 0.32, 0.32).close().fill(ear)
	p.shape().move(0.74, 0.2).cubic(0.92, 0.18, 0.96, 0.5, 0.86, 0.62-wag).cubic(0.78, 0.68, 0.72, 0.5, 0.68, 0.32).close().fill(ear)
	p.circle(0.5, 0.46, 0.3, inkBrown)
	p.ellipse(0.5, 0.66, 0.19, 0.15, inkTan)
	p.circle(0.39, 0.4, 0.045, inkDark)
	p.circle(0.61, 0.4, 0.045, inkDark)
	p.circle(0.4, 0.39, 0.015, inkWhite)
	p.circle(0.62, 0.39, 0.015, inkWhite)
	p.ellipse(0.5, 0.58, 0.07, 0.05, inkDark)
	p.shape().move(0.46, 0.72).line(0.54, 0.72).line(0.54, 0.8).quad(0.5, 0.86, 0.46, 0.8).close().fill(inkPink)
	p.shape().move(0.4, 0.68).quad(0.5, 0.74, 0.6, 0.68).stroke(0.02, inkDark)
}

func iconBicycle(p pen) {
	frame := inkTeal
	p.ring(0.24, 0.66, 0.17, 0.04, inkDark)
	p.ring(0.76, 0.66, 0.17, 0.04, inkDark)
	p.circle(0.24, 0.66, 0.025, inkGrey)
	p.circle(0.76, 0.66, 0.025, inkGrey)
	w := float32(0.045)
	p.line(0.24, 0.66, 0.44, 0.66, w, frame)
	p.line(0.44, 0.66, 0.38, 0.4, w, frame)
	p.line(0.24, 0.66, 0.38, 0.4, w, frame)
	p.line(0.38, 0.4, 0.68, 0.4, w, frame)
	p.line(0.44, 0.66, 0.68, 0.4, w, frame)
	p.line(0.76, 0.66, 0.66, 0.3, w, frame)
	p.line(0.6, 0.28, 0.72, 0.26, 0.04, inkDark)
	p.line(0.38, 0.4, 0.36, 0.32, 0.035, inkDark)
	p.rect(0.29, 0.28, 0.43, 0.33, 0.025, inkDark)
	p.circle(0.44, 0.66, 0.04, inkGrey)
}

func iconCar(p pen) {
	body := inkRed
	p.shape().move(0.26, 0.5).line(0.34, 0.28).quad(0.36, 0.24, 0.42, 0.24).line(0.64, 0.24).
		quad(0.69, 0.24, 0.72, 0.28).line(0.8, 0.5).close().fill(body)
	p.shape().move(0.33, 0.49).line(0.39, 0.31).line(0.49, 0.31).line(0.49, 0.49).close().fill(inkScreen)
	p.shape().move(0.53, 0.49).line(0.53, 0.31).line(0.64, 0.31).line(0.72, 0.49).close().fill(inkScreen)
	p.rect(0.06, 0.46, 0.94, 0.72, 0.07, body)
	p.rect(0.07, 0.52, 0.14, 0.58, 0.02, inkYellow)
	p.rect(0.86, 0.52, 0.93, 0.58, 0.02, inkOrange)
	for _, u := range []float32{0.27, 0.73} {
		p.circle(u, 0.72, 0.12, inkDark)
		p.circle(u, 0.72, 0.05, inkSilver)
	}
}

func iconBall(p pen) {
	p.circle(0.5, 0.5, 0.42, inkDark)
	p.circle(0.5, 0.5, 0.39, inkWhite)
	pent := func(u, v, r float32, rot float64) {
		var uv [10]float32
		for i := range 5 {
			sn, cs := math.Sincos(rot - math.Pi/2 + float64(i)*2*math.Pi/5)
			uv[2*i], uv[2*i+1] = u+r*float32(cs), v+r*float32(sn)
		}
		p.poly(inkDark, uv[:]...)
	}
	pent(0.5, 0.5, 0.13, 0)
	for i := range 5 {
		a := -math.Pi/2 + float64(i)*2*math.Pi/5
		sn, cs := math.Sincos(a)
		p.line(0.5+0.12*float32(cs), 0.5+0.12*float32(sn), 0.5+0.27*float32(cs), 0.5+0.27*float32(sn), 0.025, inkDark)
		pent(0.5+0.36*float32(cs), 0.5+0.36*float32(sn), 0.08, a+math.Pi)
	}
	p.ring(0.5, 0.5, 0.4, 0.03, inkDark)
}

func iconTV(p pen) {
	p.line(0.5, 0.2, 0.34, 0.04, 0.03, inkGrey)
	p.line(0.5, 0.2, 0.66, 0.04, 0.03, inkGrey)
	p.rect(0.08, 0.2, 0.92, 0.78, 0.06, inkBody)
	p.rect(0.13, 0.25, 0.87, 0.73, 0.03, inkScreen)
	p.shape().move(0.13, 0.62).quad(0.4, 0.42, 0.87, 0.6).line(0.87, 0.73).line(0.13, 0.73).close().fill(inkLeaf)
	p.circle(0.72, 0.38, 0.06, inkYellow)
	p.rect(0.36, 0.8, 0.64, 0.86, 0.02, inkGrey)
}

// iconSearch is the fallback: a magnifying glass.
func iconSearch(p pen) {
	p.line(0.6, 0.6, 0.86, 0.86, 0.1, inkBrown)
	p.circle(0.42, 0.42, 0.3, inkSilver)
	p.circle(0.42, 0.42, 0.23, color.NRGBA{0xb8, 0xe4, 0xff, 0xff})
	p.ellipse(0.34, 0.32, 0.07, 0.05, fade(inkWhite, 0.8))
}

// waveHand is an open hand in the box of side s, waving about its wrist.
func waveHand(g *gfx, cx, cy, s float32, t float64, c color.NRGBA) {
	p := newPen(g, cx, cy, s).turned(0.35*math.Sin(t*7), 0.5, 0.9)
	fingers := [][4]float32{{0.33, 0.5, 0.3, 0.2}, {0.44, 0.46, 0.43, 0.12}, {0.55, 0.46, 0.56, 0.13}, {0.65, 0.5, 0.68, 0.24}}
	for _, f := range fingers {
		p.line(f[0], f[1], f[2], f[3], 0.1, c)
	}
	p.line(0.3, 0.62, 0.16, 0.44, 0.11, c) // thumb
	p.shape().move(0.28, 0.5).line(0.7, 0.5).line(0.66, 0.78).quad(0.5, 0.9, 0.34, 0.78).close().fill(c)
	p.circle(0.49, 0.6, 0.19, c)
}

// smiley is the Dodge player: a friendly round face of radius r; hurt
// makes it wince.
func smiley(g *gfx, cx, cy, r float32, hurt bool) {
	p := newPen(g, cx, cy, 2*r)
	skin := inkYellow
	rim := color.NRGBA{0xe0, 0x8a, 0x10, 0xff}
	if hurt {
		skin = color.NRGBA{0xff, 0x9a, 0x8a, 0xff}
		rim = inkRed
	}
	p.circle(0.5, 0.5, 0.5, rim)
	p.circle(0.5, 0.5, 0.45, skin)
	p.ellipse(0.36, 0.28, 0.1, 0.06, fade(inkWhite, 0.6))
	if hurt {
		p.line(0.3, 0.34, 0.42, 0.44, 0.06, inkDark)
		p.line(0.3, 0.44, 0.42, 0.34, 0.06, inkDark)
		p.line(0.58, 0.34, 0.7, 0.44, 0.06, inkDark)
		p.line(0.58, 0.44, 0.7, 0.34, 0.06, inkDark)
		p.ellipse(0.5, 0.7, 0.09, 0.07, inkDark)
		return
	}
	p.ellipse(0.36, 0.4, 0.055, 0.08, inkDark)
	p.ellipse(0.64, 0.4, 0.055, 0.08, inkDark)
	p.circle(0.37, 0.37, 0.02, inkWhite)
	p.circle(0.65, 0.37, 0.02, inkWhite)
	p.circle(0.24, 0.58, 0.07, fade(inkPink, 0.6))
	p.circle(0.76, 0.58, 0.07, fade(inkPink, 0.6))
	p.shape().move(0.32, 0.6).quad(0.5, 0.8, 0.68, 0.6).stroke(0.06, inkDark)
}

// faceOutline is the "step closer" picture: a head and shoulders in a
// dashed viewfinder.
func faceOutline(g *gfx, cx, cy, s float32, c color.NRGBA) {
	p := newPen(g, cx, cy, s)
	p.shape().move(0.16, 0.98).cubic(0.16, 0.72, 0.3, 0.64, 0.5, 0.64).cubic(0.7, 0.64, 0.84, 0.72, 0.84, 0.98).stroke(0.05, c)
	p.ring(0.5, 0.38, 0.2, 0.05, c)
	p.circle(0.43, 0.36, 0.025, c)
	p.circle(0.57, 0.36, 0.025, c)
	p.shape().move(0.43, 0.45).quad(0.5, 0.5, 0.57, 0.45).stroke(0.03, c)
	for _, k := range [][6]float32{{0.02, 0.18, 0.02, 0.02, 0.18, 0.02}, {0.82, 0.02, 0.98, 0.02, 0.98, 0.18},
		{0.02, 0.82, 0.02, 0.98, 0.18, 0.98}, {0.82, 0.98, 0.98, 0.98, 0.98, 0.82}} {
		p.shape().move(k[0], k[1]).line(k[2], k[3]).line(k[4], k[5]).stroke(0.04, c)
	}
}

// trafficLight is a housing with a red lamp over a green one.
func trafficLight(g *gfx, x, y, w, h float32, red bool, glow float64) {
	g.fillRoundRect(x, y, w, h, w*0.3, inkDark)
	g.strokeRoundRect(x, y, w, h, w*0.3, max(1, w*0.05), fade(inkWhite, 0.35))
	r := min(w*0.36, h*0.2)
	top, bottom := y+h*0.28, y+h*0.72
	off := color.NRGBA{0x3a, 0x3f, 0x52, 0xff}
	if red {
		g.disc(x+w/2, top, r*(1.35+0.2*float32(glow)), fade(colorStop, 0.35))
		g.disc(x+w/2, top, r, colorStop)
		g.disc(x+w/2, bottom, r, off)
	} else {
		g.disc(x+w/2, top, r, off)
		g.disc(x+w/2, bottom, r*(1.35+0.2*float32(glow)), fade(colorGo, 0.35))
		g.disc(x+w/2, bottom, r, colorGo)
	}
	g.disc(x+w/2-r*0.3, top-r*0.3, r*0.22, fade(inkWhite, 0.35))
	g.disc(x+w/2-r*0.3, bottom-r*0.3, r*0.22, fade(inkWhite, 0.35))
}
