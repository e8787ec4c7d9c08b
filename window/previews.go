//go:build cgo

package window

import (
	"image"
	"math"

	"github.com/carrierarcade/kiosk/game"
)

// The attract screen's previews: a small looping mock of each game in a
// square card, drawn with the games' own shapes, so a passer-by sees at a
// glance what they would play.

// drawMock draws the preview of the named game in the square of side s at
// (x, y); t (seconds) runs it.
func (d *attractDrawer) drawMock(name string, x, y, s float32, t float64) {
	g := &d.g
	g.fillRoundRect(x, y, s, s, s*0.08, colorPlateHi)
	// The card clips its animation: things fall in and float out of it.
	in := image.Rect(int(x+s*0.03), int(y+s*0.03), int(x+s*0.97), int(y+s*0.97))
	sub := g.clip(in)
	switch name {
	case "hunt":
		mockHunt(sub, x, y, s, t)
	case "bubbles":
		mockBubbles(sub, x, y, s, t)
	case "freeze":
		d.mockFreeze(sub, x, y, s, t)
	case "dodge":
		mockDodge(sub, x, y, s, t)
	}
	g.strokeRoundRect(x, y, s, s, s*0.08, max(1, s*0.012), colorRim)
}

var mockItems = []string{"cup", "banana", "book", "cell phone", "apple", "teddy bear", "bottle", "clock"}

// mockHunt: an item, its hold ring filling, a tick and the points.
func mockHunt(g *gfx, x, y, s float32, t float64) {
	const cycle = 3.0
	k := int(t / cycle)
	q := frac(t / cycle)
	cx, cy := x+s/2, y+s*0.5
	bob := s * 0.015 * float32(math.Sin(t*4))
	itemIcon(g, mockItems[k%len(mockItems)], cx, cy+bob, s*0.46, t)
	fill := min(q/0.65, 1)
	ink := colorGold
	if fill >= 1 {
		ink = colorGo
	}
	g.progressRing(cx, cy, s*0.36, s*0.05, fill, fade(colorInk, 0.18), ink)
	if q > 0.65 {
		pop := float32(easeOutBack((q - 0.65) / 0.15))
		g.checkMark(cx+s*0.26, cy-s*0.26, s*0.1*pop, colorGo)
		rise := float32(easeOut((q - 0.65) / 0.35))
		g.star(cx-s*0.3, cy-s*0.3-rise*s*0.08, s*0.06*pop, float32(t), 1-float64(rise)*0.6)
		g.star(cx+s*0.32, cy+s*0.22-rise*s*0.08, s*0.045*pop, -float32(t), 1-float64(rise)*0.6)
	}
}

// mockBubbles: bubbles rising and popping, a hand waving at them.
func mockBubbles(g *gfx, x, y, s float32, t float64) {
	type mb struct {
		u, period, off, r, popY float64
		kind                    game.BubbleKind
	}
	bs := [...]mb{
		{0.22, 3.1, 0.0, 0.1, 0.3, game.BubblePlain}, {0.5, 2.6, 0.4, 0.12, 0.45, game.BubblePlain},
		{0.78, 3.4, 0.7, 0.09, 0.25, game.BubbleClock}, {0.36, 2.9, 0.25, 0.07, 0.2, game.BubbleGolden},
		{0.66, 3.7, 0.55, 0.1, 0.4, game.BubblePlain},
	}
	for i, b := range bs {
		// rise for 80 % of the period, burst, then wait below
		q := frac(t/b.period + b.off)
		rise := min(q/0.8, 1)
		by := y + s*float32(1.15+(b.popY-1.15)*rise)
		bx := x + s*float32(b.u+0.04*math.Sin(t*1.5+float64(i)))
		r := s * float32(b.r)
		switch {
		case q < 0.8:
			bubbleArt(g, bx, by, r, b.kind, t)
		case q < 0.92:
			burstArt(g, bx, by, r, (q-0.8)/0.12, b.kind, i)
		}
	}
	waveHand(g, x+s*0.8, y+s*0.8, s*0.26, t, fade(colorInk, 0.85))
}

// mockFreeze: a traffic light and a dancer who stops on red.
func (d *attractDrawer) mockFreeze(g *gfx, x, y, s float32, t float64) {
	red := int(t/1.6)%2 == 1
	trafficLight(g, x+s*0.08, y+s*0.16, s*0.22, s*0.5, red, pulse(t, 0.8))
	// the dancer
	cx, top := x+s*0.64, y+s*0.2
	sw := float32(math.Sin(t * 9))
	if red {
		sw = 0.15 // caught mid-step, holding still
	}
	c := colorInk
	w := s * 0.045
	g.disc(cx, top+s*0.08, s*0.075, c)
	g.line(cx, top+s*0.16, cx, top+s*0.42, w, c)
	g.line(cx, top+s*0.22, cx-s*0.16, top+s*(0.18+0.12*sw), w, c)
	g.line(cx, top+s*0.22, cx+s*0.16, top+s*(0.18-0.12*sw), w, c)
	g.line(cx, top+s*0.42, cx-s*(0.1+0.05*sw), top+s*0.62, w, c)
	g.line(cx, top+s*0.42, cx+s*(0.1-0.05*sw), top+s*0.62, w, c)
	word, words, ink := &d.mockWord[0], "MOVE!", colorGo
	if red {
		word, words, ink = &d.mockWord[1], "FREEZE!", colorStop
	}
	g.fillRoundRect(x+s*0.1, y+s*0.78, s*0.8, s*0.15, s*0.05, ink)
	word.say(g.dst, word.fit(d.ts, words, float64(s)*0.1, float64(s)*0.7), words, float64(x+s*0.5), float64(y+s*0.855), styleCentreFlat, colorInk)
}

// mockDodge: blocks and stars falling, the smiley ducking between them.
func mockDodge(g *gfx, x, y, s float32, t float64) {
	type mf struct {
		u, period, off float64
		star           bool
	}
	fs := [...]mf{{0.2, 1.9, 0.0, false}, {0.45, 2.3, 0.5, true}, {0.7, 1.7, 0.3, false}, {0.85, 2.6, 0.75, false}, {0.32, 2.1, 0.85, false}}
	for i, f := range fs {
		q := frac(t/f.period + f.off)
		fx := x + s*float32(f.u)
		fy := y + s*float32(-0.1+1.2*q)
		if f.star {
			g.star(fx, fy, s*0.07, float32(t*2+float64(i)), 1)
		} else {
			blockArt(g, fx, fy, s*0.13)
		}
	}
	px := x + s*float32(0.5+0.3*math.Sin(t*1.3))
	smiley(g, px, y+s*0.84, s*0.09, false)
}
