//go:build cgo

package screen

import (
	"fmt"
	"image/color"
	"math"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// drawScene draws the scene the rules are in over the camera picture: the
// attract screen, a countdown, a game or the results, and the pause plate
// over any of them. Everything is drawn from the scene's exported state
// and the tick count, so the screen keeps moving even when nothing
// happens.
func (a *App) drawScene(dst *ebiten.Image, fit game.Fit, unit float64) {
	g := newGfx(dst, a.frameImg)
	art := &a.art
	sc := a.deps.Session.Scene()
	l := a.layout(dst, unit)
	dimmed := false
	switch s := sc.(type) {
	case *game.Attract:
		a.drawAttract(g, fit, l, s)
	case *game.Countdown:
		a.drawCountdown(g, l, s)
	case *game.Results:
		a.drawResults(g, l, s, art)
		dimmed = true
	case *game.Hunt:
		a.drawHunt(g, fit, l, s, art)
	case *game.Bubbles:
		a.drawBubbles(g, fit, l, s)
	case *game.Freeze:
		a.drawFreeze(g, fit, l, s)
	case *game.Dodge:
		a.drawDodge(g, fit, l, s, art)
		dimmed = s.NeedFace()
	default:
		a.drawDetections(dst, fit, unit)
	}
	if a.deps.Session.Paused() {
		a.drawPaused(g, l, !dimmed)
	}
}

// sceneArt is what the screen keeps of the session's events for its
// effects: when the last find, hit and star were (in animation seconds).
type sceneArt struct {
	findAt   float64
	found    string // the item just found
	findGain int    // its points

	hitAt  float64
	gainAt float64 // when a star was caught
	gain   int
}

// reset forgets the last round's moments.
func (s *sceneArt) reset() {
	*s = sceneArt{findAt: math.Inf(-1), hitAt: math.Inf(-1), gainAt: math.Inf(-1)}
}

// sinceFind is how long ago the hunt's last find was, with the item found
// and its points; +Inf when there was none to show.
func (s *sceneArt) sinceFind(now float64) (float64, string, int) {
	if s == nil {
		return math.Inf(1), "", 0
	}
	return now - s.findAt, s.found, s.findGain
}

// sinceHit is how long ago Dodge's player lost a life.
func (s *sceneArt) sinceHit(now float64) float64 {
	if s == nil {
		return math.Inf(1)
	}
	return now - s.hitAt
}

// sinceGain is how long ago Dodge's score jumped (a star), and by how much.
func (s *sceneArt) sinceGain(now float64) (float64, int) {
	if s == nil {
		return math.Inf(1), 0
	}
	return now - s.gainAt, s.gain
}

// sceneLayout is where the games' HUD goes on this canvas: the score and
// time pills in the top corners, a game's extra pill (finds, lives) under
// the score (landscape) or beside it (portrait), and the game's banner
// between the pills (landscape) or below them, full width (portrait). The
// corners keep clear of the kiosk's own marks: the DEMO badge top left and
// the privacy eye top right.
type sceneLayout struct {
	W, H, U  float64
	portrait bool
	margin   float64
	// top is the top of things centred at the top; the pills start at
	// pillY.
	top, pillY   float64
	pillW, pillH float64
	// The extra pill's corner.
	extraX, extraY float64
	// The banner slot.
	bx0, bx1, by float64
}

func (a *App) layout(dst *ebiten.Image, unit float64) sceneLayout {
	b := dst.Bounds()
	l := sceneLayout{W: float64(b.Dx()), H: float64(b.Dy()), U: unit}
	l.portrait = l.W < l.H*1.05
	l.margin = 2 * unit
	l.top = l.margin
	l.pillY = 7 * unit // below the badge (4.5 units tall) and the eye
	l.pillW, l.pillH = 21*unit, 12*unit
	if l.portrait {
		l.extraX, l.extraY = l.margin+l.pillW+l.margin, l.pillY
		l.bx0, l.bx1 = l.margin, l.W-l.margin
		l.by = l.pillY + l.pillH + l.margin
	} else {
		l.extraX, l.extraY = l.margin, l.pillY+l.pillH+unit
		l.bx0, l.bx1 = l.margin+l.pillW+l.margin, l.W-l.margin-l.pillW-l.margin
		l.by = l.top
	}
	return l
}

// pill is a HUD plate: a small caption over a big value. right aligns it
// to x from the right instead of the left.
func (a *App) pill(g *gfx, l sceneLayout, x, y float64, right bool, caption, value string, ink color.Color, scale float64) {
	u := l.U
	cf := a.face(2.6 * u)
	vf := a.fitFace(value, 7*u, l.pillW*1.6-3*u)
	vw, _ := textSize(value, vf)
	w := max(l.pillW, vw+4*u)
	h := l.pillH
	if right {
		x -= w
	}
	g.plate(x, y, w, h, u)
	say(g.dst, cf, caption, x+w/2, y+2.4*u, styleCentreFlat, colorSoftInk)
	st := styleCentreFlat
	st.scale = scale
	say(g.dst, vf, value, x+w/2, y+7.4*u, st, ink)
}

// timeLeft is a round's time in whole seconds, rounded up.
func timeLeft(d time.Duration) int { return int((d + time.Second - 1) / time.Second) }

// drawScoreTime draws the two pills every game has: the score on the left
// and the time on the right, red and beating under ten seconds.
func (a *App) drawScoreTime(g *gfx, l sceneLayout, score int, left time.Duration) {
	a.pill(g, l, l.margin, l.pillY, false, "SCORE", fmt.Sprint(score), colorGold, 1)
	secs := timeLeft(left)
	ink, sc := color.Color(colorInk), 1.0
	if secs <= 10 {
		ink = colorStop
		sc = 1 + 0.12*pulse(a.seconds(), 1)
		if secs <= 5 {
			ink = mix(colorStop, colorInk, pulse(a.seconds(), 0.5)*0.5)
		}
	}
	a.pill(g, l, l.W-l.margin, l.pillY, true, "TIME", fmt.Sprint(secs), ink, sc)
}

// bannerBox is the box of a banner at most maxW wide, centred in the
// banner slot: its left, top and width.
func (a *App) bannerBox(l sceneLayout, maxW float64) (x, y, w float64) {
	w = min(l.bx1-l.bx0, maxW)
	x = (l.bx0 + l.bx1 - w) / 2
	return x, l.by, w
}

// drawPaused puts a big "Paused" plate over everything.
func (a *App) drawPaused(g *gfx, l sceneLayout, dim bool) {
	u := l.U
	if dim {
		vector.FillRect(g.dst, 0, 0, float32(l.W), float32(l.H), colorDimAll, false)
	}
	f := a.fitFace("Paused", 16*u, l.W-16*u)
	sub := a.fitFace("Back in a moment", 5*u, l.W-16*u)
	tw, th := textSize("Paused", f)
	sw, _ := textSize("Back in a moment", sub)
	w := max(tw, sw) + 10*u
	h := th + 12*u
	x, y := (l.W-w)/2, (l.H-h)/2
	g.plate(x, y, w, h, u)
	// two bars, the pause sign, breathing
	bw := float32(2.2 * u)
	bh := float32(7 * u)
	bx := float32(l.W/2) - 1.5*bw
	by := float32(y) - bh - float32(2*u)
	al := 0.7 + 0.3*pulse(a.seconds(), 2)
	g.fillRoundRect(bx, by, bw, bh, bw/3, fade(colorInk, al))
	g.fillRoundRect(bx+2*bw, by, bw, bh, bw/3, fade(colorInk, al))
	say(g.dst, f, "Paused", l.W/2, y+3*u+th/2, styleCentreFlat, colorInk)
	say(g.dst, sub, "Back in a moment", l.W/2, y+h-4*u, styleCentreFlat, colorSoftInk)
}

// centreText draws s wrapped into the width, centred on (cx, cy); the
// size shrinks until it takes at most lines lines.
func (a *App) centreText(g *gfx, s string, cx, cy, size, maxW float64, lines int, st textStyle, ink color.Color) (w, h float64) {
	f, wrapped := a.fitWrapped(s, size, maxW, lines)
	w, h = textSize(wrapped, f)
	st.h, st.v = text.AlignCenter, text.AlignCenter
	say(g.dst, f, wrapped, cx, cy, st, ink)
	return w, h
}
