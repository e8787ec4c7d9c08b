//go:build cgo

package window

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/carrierarcade/kiosk/game"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
)

// The four games' drawers.

// itemNames are the hunt's items as the banner says them, where the COCO
// label is not what people call the thing.
var itemNames = map[string]string{
	"cell phone":  "phone",
	"sports ball": "ball",
	"tv":          "TV",
}

// itemWords are the banner's two lines: "Show me a" / "an", and the item.
func itemWords(item string) (string, string) {
	name := item
	if n, ok := itemNames[item]; ok {
		name = n
	}
	if name == "" { // before the first item is asked
		return "Get ready", "…"
	}
	article := "a"
	if strings.ContainsRune("aeiouAEIOU", rune(name[0])) {
		article = "an"
	}
	return "Show me " + article, strings.ToUpper(name)
}

// huntDrawer: the banner names the item with its picture and the hold
// ring; the item's detections are highlighted on the picture with a ring
// that fills while it is held; other things seen are shown faintly.
type huntDrawer struct {
	ts    *typeset
	g     gfx
	hud   scoreTime
	found pill

	item         string // the item the banner's words are for
	line1, line2 string
	banner1      sign
	banner2      sign
	hold         sign
	foundIt      sign
	points       sign
	gain         count
	seen         map[string]*sign // the faint labels of other things, by label
}

func (d *huntDrawer) draw(f *frame, sc game.Scene) bool {
	s, ok := sc.(*game.Hunt)
	if !ok {
		return false
	}
	ts, g := d.ts, &d.g
	g.begin(f.dst, f.src)
	l, t := f.l, f.t
	u := l.U
	item := s.Item()
	hold := s.Hold()

	// What the camera sees: the item bold, the rest faint, people not at all.
	small := ts.face(max(12, 2.2*u))
	best, bestArea := -1, 0.0
	var bx0, by0, bx1, by1 float64
	for i, det := range f.snap.Obs.Objects {
		if det.Label == "person" {
			continue
		}
		x0, y0, x1, y1 := f.fit.Rect(float64(det.Box.X0), float64(det.Box.Y0), float64(det.Box.X1), float64(det.Box.Y1))
		if det.Label == item {
			if area := (x1 - x0) * (y1 - y0); area > bestArea {
				best, bestArea = i, area
				bx0, by0, bx1, by1 = x0, y0, x1, y1
			}
			continue
		}
		if (x1-x0)*(y1-y0) > 0.4*l.W*l.H {
			continue // a box round half the picture says nothing
		}
		g.frameRect(float32(x0), float32(y0), float32(x1-x0), float32(y1-y0), float32(max(1, 0.25*u)), fade(colorInk, 0.45))
		d.seenSign(det.Label).say(g.dst, small, det.Label, max(x0, 0)+0.8*u, max(y0, 0)+1.6*u, styleLeftFlat, fade(colorInk, 0.7))
	}
	if best >= 0 {
		glow := pulse(t, 0.6)
		ink := mix(colorGold, colorGo, hold)
		g.cornerBox(float32(bx0), float32(by0), float32(bx1), float32(by1), float32((0.8+0.3*glow)*u), ink)
		cx, cy := (bx0+bx1)/2, (by0+by1)/2
		r := min(math.Hypot(bx1-bx0, by1-by0)/2+u, 0.42*min(l.W, l.H))
		g.disc(float32(cx), float32(cy), float32(r), fade(ink, 0.08+0.06*glow))
		g.progressRing(float32(cx), float32(cy), float32(r), float32(1.6*u), hold, fade(colorInk, 0.3), ink)
	}

	// The banner: the item's picture in its hold ring, and its name.
	since, found, gain := f.art.sinceFind(t)
	bannerH := 18 * u
	iconS := bannerH - 3*u
	if item != d.item || d.line1 == "" {
		d.item = item
		d.line1, d.line2 = itemWords(item)
	}
	slot := min(l.bx1-l.bx0, 110*u)
	maxTW := slot - iconS - 8*u
	f1 := d.banner1.fit(ts, d.line1, 4.6*u, maxTW)
	f2 := d.banner2.fit(ts, d.line2, 9.5*u, maxTW)
	d.banner1.set(d.line1, f1, styleLeftFlat)
	d.banner2.set(d.line2, f2, styleLeftFlat)
	w1, _ := d.banner1.size()
	w2, _ := d.banner2.size()
	tw := max(w1, w2)
	w := min(slot, max(iconS+tw+8*u, 56*u))
	x, y := (l.bx0+l.bx1-w)/2, l.by
	if since < 0.7 { // the new item drops in after a find
		y -= (1 - easeOutBack(max(since-0.2, 0)/0.5)) * (y + bannerH + u)
	}
	g.plate(x, y, w, bannerH, u)
	cx0 := x + (w-(iconS+2.5*u+tw))/2
	icx, icy := cx0+iconS/2, y+bannerH/2
	g.disc(float32(icx), float32(icy), float32(iconS/2), fade(colorInk, 0.08))
	bob := math.Sin(t*3) * 0.4 * u
	if item != "" {
		itemIcon(g, item, float32(icx), float32(icy+bob), float32(iconS*0.7), t)
	}
	ringInk := mix(colorGold, colorGo, hold)
	g.progressRing(float32(icx), float32(icy), float32(iconS/2-0.5*u), float32(1.1*u), hold, fade(colorInk, 0.18), ringInk)
	tx0 := icx + iconS/2 + 2.5*u
	gap := 0.55 * f1.Size
	block := capHeight(f1) + gap + capHeight(f2)
	ty := y + (bannerH-block)/2
	d.banner1.sayCaps(g.dst, f1, d.line1, tx0, ty, text.AlignStart, textStyle{}, colorSoftInk)
	d.banner2.sayCaps(g.dst, f2, d.line2, tx0, ty+capHeight(f1)+gap, text.AlignStart, textStyle{}, colorGold)

	// "Hold it!" while the ring fills.
	if hold > 0 && hold < 1 {
		hf := ts.face(7 * u)
		hx, hy := l.W/2, y+bannerH+6*u
		if best >= 0 {
			r := min(math.Hypot(bx1-bx0, by1-by0)/2+u, 0.42*min(l.W, l.H))
			hx = min(max((bx0+bx1)/2, 16*u), l.W-16*u)
			hy = min(max((by0+by1)/2+r+5*u, y+bannerH+6*u), l.H-6*u)
		}
		st := styleCentre
		st.scale = 1 + 0.1*pulse(t, 0.5)
		d.hold.say(g.dst, hf, "Hold it!", hx, hy, st, colorInk)
	}

	d.hud.draw(ts, g, f, s.Score(), s.Left())
	d.found.draw(ts, g, l, l.extraX, l.extraY, false, "FOUND", s.Finds(), colorGo, 1)

	// A find: "Found it!" pops, stars fly out, the points rise.
	if since < 1.3 {
		d.celebrate(f, since, found, gain)
	}
	return false
}

// seenSign is the sign of a label of something seen, made the first time
// the label is seen: the labels are the detector's few classes.
func (d *huntDrawer) seenSign(label string) *sign {
	if d.seen == nil {
		d.seen = map[string]*sign{}
	}
	s := d.seen[label]
	if s == nil {
		s = &sign{}
		d.seen[label] = s
	}
	return s
}

// celebrate is the hunt's find: the thing found, "Found it!", its points.
func (d *huntDrawer) celebrate(f *frame, since float64, found string, gain int) {
	ts, g, l := d.ts, &d.g, f.l
	u := l.U
	cx, cy := l.W/2, l.H*0.55
	alpha := 1.0
	if since > 1.0 {
		alpha = 1 - (since-1.0)/0.3
	}
	spread := easeOut(since/0.8) * min(l.W, l.H) * 0.36
	for i := range 10 {
		ang := float64(i)*math.Pi/5 + 0.3
		sn, cs := math.Sincos(ang)
		g.star(float32(cx+cs*spread), float32(cy+sn*spread), float32(2.2*u*(1-0.4*since)), float32(since*4+float64(i)), alpha)
	}
	pop := easeOutBack(min(since/0.35, 1))
	r := 13 * u * pop
	g.disc(float32(cx), float32(cy), float32(r), fade(colorGo, 0.85*alpha))
	itemIcon(g, found, float32(cx), float32(cy), float32(r*1.2), since)
	g.checkMark(float32(cx+r*0.72), float32(cy-r*0.72), float32(r*0.3), fade(colorGo, alpha))
	ff := d.foundIt.fit(ts, "Found it!", 11*u, l.W-6*u)
	st := styleCentre
	st.scale = pop
	d.foundIt.say(g.dst, ff, "Found it!", cx, cy-r-lh(ff)*0.6, st, fade(colorInk, alpha))
	if gain > 0 {
		d.gain.before = "+"
		d.points.say(g.dst, ts.face(8*u), d.gain.of(gain), cx, cy+r+5*u-since*3*u, st, fade(colorGold, alpha))
	}
}

// bubbleArt draws one bubble of radius r: plain, golden (glowing) or a
// clock (with a face whose hands go round).
func bubbleArt(g *gfx, cx, cy, r float32, kind game.BubbleKind, t float64) {
	switch kind {
	case game.BubbleGolden:
		gl := pulse(t, 0.7)
		g.disc(cx, cy, r*float32(1.25+0.12*gl), fade(colorGold, 0.22+0.12*gl))
		g.disc(cx, cy, r, fade(colorGold, 0.55))
		g.star(cx, cy, r*0.5, float32(t), 0.95)
		g.circleLine(cx, cy, r*0.96, max(2, r*0.08), colorGold)
	case game.BubbleClock:
		g.disc(cx, cy, r, fade(colorSky, 0.3))
		g.circleLine(cx, cy, r*0.96, max(2, r*0.07), fade(colorInk, 0.85))
		p := newPen(g, cx, cy, 2*r)
		p.circle(0.5, 0.5, 0.3, fade(inkWhite, 0.95))
		p.ring(0.5, 0.5, 0.3, 0.035, inkBlue)
		for i := range 4 {
			sn, cs := math.Sincos(float64(i) * math.Pi / 2)
			p.line(0.5+0.24*float32(cs), 0.5+0.24*float32(sn), 0.5+0.28*float32(cs), 0.5+0.28*float32(sn), 0.03, inkDark)
		}
		clockHands(p, 0.5, 0.5, 0.3, t*2)
		p.circle(0.5, 0.5, 0.025, inkRed)
	default:
		g.disc(cx, cy, r, fade(colorSky, 0.2))
		g.arc(cx, cy, r*0.84, 0.15*math.Pi, 0.85*math.Pi, max(1.5, r*0.06), fade(colorPink, 0.45))
		g.arc(cx, cy, r*0.84, 1.1*math.Pi, 1.4*math.Pi, max(1.5, r*0.05), fade(colorGo, 0.3))
		g.circleLine(cx, cy, r*0.97, max(2, r*0.06), fade(colorInk, 0.8))
	}
	g.ellipse(cx-r*0.38, cy-r*0.45, r*0.2, r*0.12, fade(colorInk, 0.8))
	g.disc(cx-r*0.12, cy-r*0.66, r*0.05, fade(colorInk, 0.7))
}

// burstArt is a popped bubble age (0..1) after the pop: a ring flying
// apart and droplets.
func burstArt(g *gfx, cx, cy, r float32, age float64, kind game.BubbleKind, seed int) {
	ink := colorInk
	switch kind {
	case game.BubbleGolden:
		ink = colorGold
	case game.BubbleClock:
		ink = colorSky
	}
	e := float32(easeOut(age))
	fadeOut := 1 - age
	g.circleLine(cx, cy, r*(1+0.55*e), max(1, r*0.14*float32(fadeOut)), fade(ink, fadeOut))
	for k := range 10 {
		ang := float64(seed)*0.7 + float64(k)*math.Pi/5
		sn, cs := math.Sincos(ang)
		d := r * (0.7 + 0.9*e)
		g.disc(cx+d*float32(cs), cy+d*float32(sn), r*0.1*float32(fadeOut)+1, fade(ink, fadeOut))
	}
}

// bubblesDrawer: the bubbles where the rules have them, bursts where they
// popped, the combo at the top.
type bubblesDrawer struct {
	ts  *typeset
	g   gfx
	hud scoreTime

	bursts        []game.Burst
	golden, clock sign // the tags of popped golden and clock bubbles
	clockWords    string
	instr         sign
	combo         sign
	comboWords    count
}

func (d *bubblesDrawer) draw(f *frame, sc game.Scene) bool {
	s, ok := sc.(*game.Bubbles)
	if !ok {
		return false
	}
	ts, g := d.ts, &d.g
	g.begin(f.dst, f.src)
	l, t := f.l, f.t
	u := l.U
	ph := pictureHeight(f.fit, f.frameH)
	for _, b := range s.Bubbles() {
		x, y := viewToCanvas(f.fit, f.frameH, b.X, b.Y)
		wob := 1 + 0.025*float32(math.Sin(t*3+float64(b.ID)))
		bubbleArt(g, x, y, b.R*ph*wob, b.Kind, t+float64(b.ID))
	}
	d.bursts = s.AppendBursts(d.bursts[:0])
	bursts := d.bursts
	tag := ts.face(5 * u)
	if d.clockWords == "" {
		d.clockWords = fmt.Sprintf("+%.0fs", game.ClockBonus.Seconds())
	}
	for _, b := range bursts {
		x, y := viewToCanvas(f.fit, f.frameH, b.X, b.Y)
		r := b.R * ph
		burstArt(g, x, y, r, b.Age, b.Kind, b.ID)
		var word *sign
		var words string
		var ink color.NRGBA
		switch b.Kind {
		case game.BubbleGolden:
			word, words, ink = &d.golden, "x5!", colorGold
		case game.BubbleClock:
			word, words, ink = &d.clock, d.clockWords, colorSky
		}
		if word != nil {
			st := styleCentre
			st.scale = 0.8 + 0.4*easeOutBack(min(b.Age*3, 1))
			word.say(g.dst, tag, words, float64(x), float64(y)-float64(r)*0.3-b.Age*4*u, st, fade(ink, 1-b.Age*b.Age))
		}
	}
	d.hud.draw(ts, g, f, s.Score(), s.Left())

	// The banner: the instruction, or the combo while one runs.
	c := s.Combo()
	if c < 2 {
		instr := s.Instruction()
		ff := d.instr.fit(ts, instr, 5*u, l.bx1-l.bx0-6*u)
		d.instr.set(instr, ff, textStyle{h: text.AlignCenter})
		iw, _ := d.instr.size()
		w := iw + 6*u
		h := capHeight(ff) + 5*u
		x := (l.bx0 + l.bx1 - w) / 2
		g.plate(x, l.by, w, h, u)
		d.instr.sayCaps(g.dst, ff, instr, l.W/2, l.by+2.5*u, text.AlignCenter, textStyle{}, colorInk)
		return false
	}
	age := 1.0
	if len(bursts) > 0 {
		age = bursts[len(bursts)-1].Age
	}
	d.comboWords.before, d.comboWords.after = "x", " COMBO!"
	word := d.comboWords.of(c)
	ff := d.combo.fit(ts, word, 11*u, (l.bx1-l.bx0)*0.9)
	st := styleCentre
	st.scale = 1 + 0.45*(1-easeOut(age))
	ink := colorGold
	if c >= 5 {
		ink = mix(colorPink, colorGold, pulse(t, 0.4))
	}
	d.combo.say(g.dst, ff, word, (l.bx0+l.bx1)/2, l.by+lh(ff)*0.6, st, ink)
	return false
}

// freezeDrawer: the light at the top (and a red pulsing frame once moving
// costs), each player's box in their colour with their bar and score.
type freezeDrawer struct {
	ts  *typeset
	g   gfx
	hud scoreTime

	players    []game.FreezePlayer
	digits     []byte
	moved      sign
	stepIn     sign
	move, stop sign // the light's word
}

func (d *freezeDrawer) draw(f *frame, sc game.Scene) bool {
	s, ok := sc.(*game.Freeze)
	if !ok {
		return false
	}
	ts, g := d.ts, &d.g
	g.begin(f.dst, f.src)
	l, t := f.l, f.t
	u := l.U
	red := s.Light() == game.LightRed
	grace := s.Grace()
	inLight := s.InLight().Seconds()

	if red && !grace {
		th := float32((1.2 + 0.8*pulse(t, 0.6)) * u)
		c := fade(colorStop, 0.55+0.35*pulse(t, 0.6))
		W, H := float32(l.W), float32(l.H)
		g.rect(0, 0, W, th, c)
		g.rect(0, H-th, W, th, c)
		g.rect(0, th, th, H-2*th, c)
		g.rect(W-th, th, th, H-2*th, c)
	}

	bannerH := 14 * u
	bx, by, bw := bannerBox(l, 90*u)

	// The players.
	barTop := by + bannerH + u
	sf := ts.letters(ts.face(2.8*u), rimRound)
	small := ts.letters(ts.face(2*u), rimRound)
	d.players = s.AppendPlayers(d.players[:0])
	players := d.players
	for _, p := range players {
		x0, y0, x1, y1 := viewRectToCanvas(f.fit, f.frameH, p.Box)
		x0, x1 = max(x0, 0), min(x1, float32(l.W))
		y0, y1 = max(y0, 0), min(y1, float32(l.H))
		if x1-x0 < 2 || y1-y0 < 2 {
			continue
		}
		c := playerColor(p.Color)
		if p.Caught && int(t*8)%2 == 0 {
			c = colorStop
		}
		width := float32(0.5 * u)
		if p.Primary {
			width = float32(0.9 * u)
		}
		g.strokeRoundRect(x0, y0, x1-x0, y1-y0, float32(1.2*u), width, c)

		// Bar and score above the box (inside its top when there is no
		// room): full size for the primary player, compact for the rest.
		barW, barH := max(float64(x1-x0), 10*u), 2.4*u
		if p.Primary {
			barW, barH = max(float64(x1-x0), 18*u), 3.6*u
		}
		barX := min(max(float64(x0+x1)/2-barW/2, l.margin), l.W-l.margin-barW)
		barY := float64(y0) - barH - 0.8*u
		if barY < barTop {
			barY = float64(y0) + 0.8*u
		}
		g.fillRoundRect(float32(barX), float32(barY), float32(barW), float32(barH), float32(barH/2), colorPlate)
		g.fillRoundRect(float32(barX), float32(barY), float32(barW*p.Progress), float32(barH), float32(barH/2), c)
		g.strokeRoundRect(float32(barX), float32(barY), float32(barW), float32(barH), float32(barH/2), float32(max(1, 0.2*u)), fade(colorInk, 0.6))
		d.digits = strconv.AppendInt(d.digits[:0], int64(p.Score), 10)
		if p.Primary {
			g.star(float32(barX+barH/2), float32(barY+barH/2), float32(barH*0.62), 0, 1)
			sf.draw(g.dst, d.digits, barX+barW/2, barY+barH/2, styleCentre, colorInk)
		} else if len(players) <= 6 {
			small.draw(g.dst, d.digits, barX+barW/2, barY+barH/2, styleCentre, colorInk)
		}

		if p.Caught {
			mf := ts.face(6 * u)
			shake := math.Sin(t*40) * 0.5 * u
			cy := min(max(float64(y0+y1)/2-float64(y1-y0)*0.15, barTop+4*u), l.H-4*u)
			cx := min(max(float64(x0+x1)/2, 12*u), l.W-12*u)
			d.moved.say(g.dst, mf, "Moved!", cx+shake, cy, styleCentre, colorStop)
		}
	}
	if len(players) == 0 {
		st := styleCentre
		st.scale = 1 + 0.05*pulse(t, 1.2)
		d.stepIn.centre(ts, g.dst, "Step into view!", l.W/2, l.H*0.55, 9*u, l.W-10*u, 2, st, colorInk)
	}

	// The light.
	ink := colorGo
	word, words := &d.move, "MOVE!"
	if red {
		ink, word, words = colorStop, &d.stop, "FREEZE!"
		if grace {
			ink = mix(colorGold, colorStop, 0.55)
		}
	}
	g.fillRoundRect(float32(bx), float32(by), float32(bw), float32(bannerH), float32(2*u), fade(ink, 0.92))
	g.strokeRoundRect(float32(bx), float32(by), float32(bw), float32(bannerH), float32(2*u), float32(0.4*u), fade(colorInk, 0.7))
	lw := bannerH * 0.5
	trafficLight(g, float32(bx+2*u), float32(by+u), float32(lw), float32(bannerH-2*u), red, pulse(t, 0.5))
	tx0 := bx + 2*u + lw + 2*u
	tw := bx + bw - 2*u - tx0
	ff := word.fit(ts, words, 10*u, tw*0.9)
	st := styleCentre
	st.scale = 1 + 0.3*(1-easeOut(inLight/0.4))
	word.say(g.dst, ff, words, tx0+tw/2, by+bannerH/2, st, colorInk)

	d.hud.draw(ts, g, f, s.Score(), s.Left())
	return false
}

// blockArt is a falling block of side size: dark red with a bright rim
// and a frown.
func blockArt(g *gfx, cx, cy, size float32) {
	h := size / 2
	r := size * 0.18
	g.fillRoundRect(cx-h, cy-h, size, size, r, colorBlockRed)
	g.strokeRoundRect(cx-h, cy-h, size, size, r, max(2, size*0.07), color.NRGBA{0xff, 0x5a, 0x4a, 0xff})
	g.fillRoundRect(cx-h+size*0.12, cy-h+size*0.1, size*0.3, size*0.1, size*0.05, fade(colorInk, 0.35))
	w := max(1.5, size*0.07)
	ink := color.NRGBA{0x2a, 0x05, 0x08, 0xff}
	g.line(cx-size*0.28, cy-size*0.06, cx-size*0.08, cy+size*0.04, w, ink)
	g.line(cx+size*0.28, cy-size*0.06, cx+size*0.08, cy+size*0.04, w, ink)
	g.line(cx-size*0.16, cy+size*0.26, cx+size*0.16, cy+size*0.26, w, ink)
}

// dodgeDrawer: blocks and stars falling, the smiley where the player's
// head steers it, lives as hearts; "Step closer" while no face is seen.
type dodgeDrawer struct {
	ts  *typeset
	g   gfx
	hud scoreTime

	gain          sign
	gainWords     count
	closer, showM sign
	lives         sign
}

func (d *dodgeDrawer) draw(f *frame, sc game.Scene) bool {
	s, ok := sc.(*game.Dodge)
	if !ok {
		return false
	}
	ts, g := d.ts, &d.g
	g.begin(f.dst, f.src)
	l, t := f.l, f.t
	u := l.U
	ph := pictureHeight(f.fit, f.frameH)

	// the player's lane, on the player's row of what the screen shows
	pb := s.PlayerBox()
	_, ly0 := viewToCanvas(f.fit, f.frameH, 0, pb.Y0-0.015)
	_, ly1 := viewToCanvas(f.fit, f.frameH, 0, pb.Y1+0.015)
	g.rect(0, ly0, float32(l.W), ly1-ly0, fade(colorSky, 0.1))
	g.rect(0, ly0, float32(l.W), float32(max(1, 0.25*u)), fade(colorSky, 0.45))
	g.rect(0, ly1, float32(l.W), float32(max(1, 0.25*u)), fade(colorSky, 0.45))

	for _, fl := range s.Fallers() {
		x, y := viewToCanvas(f.fit, f.frameH, fl.X, fl.Y)
		size := fl.Size * ph
		if fl.Kind == game.FallerStar {
			g.disc(x, y, size*0.7, fade(colorGold, 0.18+0.12*pulse(t+float64(fl.ID), 0.6)))
			g.star(x, y, size*0.6, float32(t*2+float64(fl.ID)), 1)
			continue
		}
		blockArt(g, x, y, size)
	}

	x0, y0, x1, y1 := viewRectToCanvas(f.fit, f.frameH, pb)
	r := (y1 - y0) / 2
	// Wholly on the canvas, even where the picture's foot is cropped.
	cx, cy := (x0+x1)/2, min((y0+y1)/2, float32(l.H-0.5*u)-r)
	hit := f.art.sinceHit(t)
	hurt := hit < 0.7
	if hurt {
		cx += float32(math.Sin(hit*60) * 0.8 * u * (1 - hit/0.7))
	}
	g.disc(cx, cy+r*0.95, r*0.8, fade(colorBlack, 0.25)) // its shadow on the lane
	smiley(g, cx, cy, r, hurt)
	if ago, pts := f.art.sinceGain(t); ago < 0.8 {
		st := styleCentre
		st.scale = 0.8 + 0.3*easeOutBack(min(ago*4, 1))
		d.gainWords.before = "+"
		d.gain.say(g.dst, ts.face(5*u), d.gainWords.of(pts), float64(cx), float64(cy-r)-2*u-ago*5*u, st, fade(colorGold, 1-ago/0.8))
	}
	if hit < 0.35 {
		th := float32(2 * u)
		c := fade(colorStop, 0.7*(1-hit/0.35))
		W, H := float32(l.W), float32(l.H)
		g.rect(0, 0, W, th, c)
		g.rect(0, H-th, W, th, c)
		g.rect(0, th, th, H-2*th, c)
		g.rect(W-th, th, th, H-2*th, c)
	}

	if s.NeedFace() {
		g.rect(0, 0, float32(l.W), float32(l.H), colorDimAll)
		st := styleCentre
		st.scale = 1 + 0.05*pulse(t, 1.2)
		icon := min(l.W, l.H) * 0.3
		faceOutline(g, float32(l.W/2), float32(l.H*0.5-icon*0.45), float32(icon), fade(colorInk, 0.7+0.3*pulse(t, 1.2)))
		_, h := d.closer.centre(ts, g.dst, "Step closer", l.W/2, l.H*0.5+icon*0.2+6*u, 12*u, l.W-8*u, 1, st, colorGold)
		d.showM.centre(ts, g.dst, "Show me your face to play", l.W/2, l.H*0.5+icon*0.2+6*u+h/2+5*u, 5*u, l.W-8*u, 2, styleCentre, colorInk)
	}
	d.hud.draw(ts, g, f, s.Score(), s.Left())
	d.drawLives(f, s.Lives())
	return s.NeedFace()
}

// drawLives is a pill of hearts under the score.
func (d *dodgeDrawer) drawLives(f *frame, lives int) {
	ts, g, l := d.ts, &d.g, f.l
	u := l.U
	total := max(lives, 3)
	w, h := l.pillW, l.pillH
	x, y := l.extraX, l.extraY
	g.plate(x, y, w, h, u)
	d.lives.say(g.dst, ts.face(2.6*u), "LIVES", x+w/2, y+2.4*u, styleCentreFlat, colorSoftInk)
	r := min(2.4*u, (w-3*u)/float64(total)/2.3)
	step := 2.3 * r
	hx := x + w/2 - step*float64(total-1)/2
	for i := range total {
		g.heart(float32(hx+float64(i)*step), float32(y+7.6*u), float32(r), i < lives)
	}
}
