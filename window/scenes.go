//go:build cgo

package window

import (
	"image/color"
	"math"
	"strconv"
	"time"

	"github.com/carrierarcade/kiosk/booth"
	"github.com/carrierarcade/kiosk/game"
	"github.com/hajimehoshi/ebiten/v2"
)

// sceneDrawer draws one kind of scene over the camera picture, from the
// scene's exported state and the animation clock. Each keeps what it draws
// from frame to frame (its words as pictures, its numbers, its shapes'
// buffers), so that once warm a frame of its scene allocates nothing.
type sceneDrawer interface {
	// draw draws s, which is of the drawer's own kind, and says whether it
	// dimmed the whole picture (the pause plate then does not dim it again).
	draw(f *frame, s game.Scene) (dimmed bool)
}

// scenes draws the scene the rules are in: one drawer for each kind of
// scene, each owning its buffers; the pause plate over any of them; a
// battle's live scores over its round; and the moments the rules told of,
// for the effects.
type scenes struct {
	drawers map[string]sceneDrawer
	frame   frame
	paused  pausePlate
	art     sceneArt
	// The battle's words, made again when the snapshot's copy of the
	// battle changes, and its live scores.
	battle    battleBoard
	battleSeq uint64
	battleHUD battleHUD
}

// newScenes makes the drawers, once, with the window: one for each kind
// of scene, by the scene's name. A new game adds its drawer here, as it
// adds its rules to game/games.go.
func newScenes(ts *typeset) *scenes {
	s := &scenes{drawers: map[string]sceneDrawer{
		"attract":   &attractDrawer{ts: ts},
		"countdown": &countdownDrawer{ts: ts},
		"results":   &resultsDrawer{ts: ts},
		"hunt":      &huntDrawer{ts: ts},
		"bubbles":   &bubblesDrawer{ts: ts},
		"freeze":    &freezeDrawer{ts: ts},
		"dodge":     &dodgeDrawer{ts: ts},
	}}
	s.frame.src = ts.white
	s.paused.ts, s.battleHUD.ts = ts, ts
	s.art.reset()
	return s
}

// frame is what the drawers draw with in one frame: the canvas, where the
// picture lies on it, the HUD's layout, the animation clock, the booth's
// snapshot and what the screen keeps of its own. The scenes keep one and
// fill it in before each frame.
type frame struct {
	dst    *ebiten.Image
	src    *ebiten.Image // the shapes' source (see gfx)
	fit    game.Fit
	l      sceneLayout
	t      float64 // animation seconds
	frameH int     // the camera frame's height, for view coordinates
	snap   *booth.Snapshot
	art    *sceneArt
	battle *battleBoard
}

// draw draws the scene on screen over the camera picture, and the pause
// plate over any of it. Everything is drawn from the scene's exported
// state and the tick count, so the screen keeps moving even when nothing
// happens. It reports whether the scene had a drawer.
func (s *scenes) draw(dst *ebiten.Image, fit game.Fit, unit float64, snap *booth.Snapshot, frameH int) bool {
	if snap.Link.BattleSeq != s.battleSeq {
		s.battleSeq = snap.Link.BattleSeq
		s.battle = newBattleBoard(&snap.Link.Battle)
	}
	f := &s.frame
	*f = frame{dst: dst, src: f.src, fit: fit, l: layout(dst, unit), t: seconds(snap), frameH: frameH,
		snap: snap, art: &s.art, battle: &s.battle}
	sc := snap.Scene
	d, ok := s.drawers[sc.Name()]
	dimmed := false
	if ok {
		dimmed = d.draw(f, sc)
	}
	if _, game := sc.(game.Game); game && snap.Link.Battle.ID != "" {
		s.battleHUD.draw(f)
	}
	if snap.Presenter.Paused {
		s.paused.draw(f, !dimmed)
	}
	return ok
}

// seconds is the animation clock: the ticks played, in seconds.
func seconds(snap *booth.Snapshot) float64 { return float64(snap.Tick) / float64(max(snap.TPS, 1)) }

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

func layout(dst *ebiten.Image, unit float64) sceneLayout {
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

// pill is a HUD plate: a small caption over a big number. The number is
// drawn from lettering, so a score that changes every tick costs nothing.
type pill struct {
	caption sign
	digits  []byte
}

// draw draws the pill at (x, y); right aligns it to x from the right
// instead of the left.
func (p *pill) draw(ts *typeset, g *gfx, l sceneLayout, x, y float64, right bool, caption string, value int, ink color.NRGBA, scale float64) {
	u := l.U
	p.digits = strconv.AppendInt(p.digits[:0], int64(value), 10)
	// The largest face up to 7 units in which the number fits.
	maxW := l.pillW*1.6 - 3*u
	vf := ts.face(7 * u)
	lt := ts.letters(vf, rimNone)
	if w := lt.width(p.digits); w > maxW && w > 0 {
		vf = ts.face(math.Floor(vf.Size * maxW / w))
		lt = ts.letters(vf, rimNone)
	}
	vw := lt.width(p.digits)
	w := max(l.pillW, vw+4*u)
	h := l.pillH
	if right {
		x -= w
	}
	g.plate(x, y, w, h, u)
	p.caption.say(g.dst, ts.face(2.6*u), caption, x+w/2, y+2.4*u, styleCentreFlat, colorSoftInk)
	st := styleCentreFlat
	st.scale = scale
	lt.draw(g.dst, p.digits, x+w/2, y+7.4*u, st, ink)
}

// timeLeft is a round's time in whole seconds, rounded up.
func timeLeft(d time.Duration) int { return int((d + time.Second - 1) / time.Second) }

// scoreTime is the two pills every game has: the score on the left and the
// time on the right, red and beating under ten seconds.
type scoreTime struct{ score, time pill }

func (p *scoreTime) draw(ts *typeset, g *gfx, f *frame, score int, left time.Duration) {
	l := f.l
	p.score.draw(ts, g, l, l.margin, l.pillY, false, "SCORE", score, colorGold, 1)
	secs := timeLeft(left)
	ink, sc := colorInk, 1.0
	if secs <= 10 {
		ink = colorStop
		sc = 1 + 0.12*pulse(f.t, 1)
		if secs <= 5 {
			ink = mix(colorStop, colorInk, pulse(f.t, 0.5)*0.5)
		}
	}
	p.time.draw(ts, g, l, l.W-l.margin, l.pillY, true, "TIME", secs, ink, sc)
}

// bannerBox is the box of a banner at most maxW wide, centred in the
// banner slot: its left, top and width.
func bannerBox(l sceneLayout, maxW float64) (x, y, w float64) {
	w = min(l.bx1-l.bx0, maxW)
	x = (l.bx0 + l.bx1 - w) / 2
	return x, l.by, w
}

// pausePlate is the big "Paused" plate put over any scene.
type pausePlate struct {
	ts         *typeset
	g          gfx
	title, sub sign
}

func (p *pausePlate) draw(f *frame, dim bool) {
	ts := p.ts
	g := &p.g
	g.begin(f.dst, f.src)
	l := f.l
	u := l.U
	if dim {
		g.rect(0, 0, float32(l.W), float32(l.H), colorDimAll)
	}
	p.title.set("Paused", p.title.fit(ts, "Paused", 16*u, l.W-16*u), styleCentreFlat)
	p.sub.set("Back in a moment", p.sub.fit(ts, "Back in a moment", 5*u, l.W-16*u), styleCentreFlat)
	tw, th := p.title.size()
	sw, _ := p.sub.size()
	w := max(tw, sw) + 10*u
	h := th + 12*u
	x, y := (l.W-w)/2, (l.H-h)/2
	g.plate(x, y, w, h, u)
	// two bars, the pause sign, breathing
	bw := float32(2.2 * u)
	bh := float32(7 * u)
	bx := float32(l.W/2) - 1.5*bw
	by := float32(y) - bh - float32(2*u)
	al := 0.7 + 0.3*pulse(f.t, 2)
	g.fillRoundRect(bx, by, bw, bh, bw/3, fade(colorInk, al))
	g.fillRoundRect(bx+2*bw, by, bw, bh, bw/3, fade(colorInk, al))
	p.title.draw(g.dst, l.W/2, y+3*u+th/2, styleCentreFlat, colorInk)
	p.sub.draw(g.dst, l.W/2, y+h-4*u, styleCentreFlat, colorSoftInk)
}

// count is a number in words ("+5", "x3 COMBO!") made again only when the
// number changes: for words that change now and then, drawn by a sign.
type count struct {
	before, after string
	n             int
	words         string
}

func (c *count) of(n int) string {
	if c.words == "" || n != c.n {
		c.n = n
		c.words = c.before + strconv.Itoa(n) + c.after
	}
	return c.words
}
