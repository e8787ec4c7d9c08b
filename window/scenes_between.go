//go:build cgo

package window

import (
	"image/color"
	"math"
	"strconv"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
)

// The scenes between rounds: attract, countdown and results.

// attractDrawer invites whoever is in front to wave: a big pulsing line by
// a waving hand in a ring that fills as they wave, and a card previewing a
// game. People in view get a soft marker instead of boxes.
type attractDrawer struct {
	ts *typeset
	g  gfx

	invite, keepWaving sign
	ticker             sign                    // what another carrier just did
	tickerText         string                  // the line on show
	tickerAt           time.Time               // when it went on show
	tickerSeen         time.Time               // the newest news shown so far
	cards              map[string]*previewCard // each game's card, laid out once
	laidW, laidH       float64                 // the canvas the cards were laid out for
	mockWord           [2]sign                 // the Freeze mock's MOVE! and FREEZE!
}

// previewCard is one game's preview card: its size and words, laid out
// for a canvas. The attract screen shows each game in turn for a few
// seconds, so each keeps its own and a change of preview costs no layout.
type previewCard struct {
	forW, forH               float64
	w, mockS                 float64
	next, also, title, instr sign
}

func (d *attractDrawer) draw(f *frame, sc game.Scene) bool {
	s, ok := sc.(*game.Attract)
	if !ok {
		return false
	}
	ts, g := d.ts, &d.g
	g.begin(f.dst, f.src)
	l, t := f.l, f.t
	u := l.U
	d.drawPeopleMarkers(f)

	// The invitation, with the wave ring.
	wave := s.Wave()
	invite := s.Invitation()
	ringR := 9 * u
	var ringX, ringY, textX, textY float64
	var ff *text.GoTextFace
	if l.portrait {
		ff = d.invite.fit(ts, invite, 12*u, l.W-6*u)
		d.invite.set(invite, ff, styleCentre)
		_, th := d.invite.size()
		ringX, ringY = l.W/2, l.top+2*u+ringR
		textX, textY = l.W/2, ringY+ringR+2.5*u+th/2
	} else {
		ff = d.invite.fit(ts, invite, 13*u, l.W-2*ringR-12*u)
		d.invite.set(invite, ff, styleCentre)
		tw, _ := d.invite.size()
		total := 2*ringR + 4*u + tw
		ringX, ringY = (l.W-total)/2+ringR, l.top+ringR+2*u
		textX, textY = ringX+ringR+4*u+tw/2, ringY
	}
	glow := pulse(t, 1.6)
	g.disc(float32(ringX), float32(ringY), float32(ringR*(1.12+0.06*glow)), fade(colorGold, 0.18+0.12*wave))
	g.disc(float32(ringX), float32(ringY), float32(ringR), colorPlate)
	ringInk := mix(colorGold, colorGo, wave)
	g.progressRing(float32(ringX), float32(ringY), float32(ringR-0.9*u), float32(1.4*u), wave, fade(colorInk, 0.2), ringInk)
	waveHand(g, float32(ringX), float32(ringY+0.3*u), float32(ringR*1.15), t*(1+wave), colorInk)

	st := styleCentre
	st.scale = 1 + 0.06*glow
	d.invite.draw(g.dst, textX, textY, st, mix(colorInk, colorGold, glow*0.6))
	if wave > 0.02 {
		_, th := d.invite.size()
		sst := styleCentre
		sst.scale = 1 + 0.08*pulse(t, 0.4)
		d.keepWaving.say(g.dst, ts.face(5*u), "Keep waving!", textX, textY+th/2+3.5*u, sst, colorGold)
	}

	top := d.drawPreviewCard(f, s)
	d.drawTicker(f, top)
	return false
}

// The ticker shows one line of another carrier's news at a time, each for
// a few seconds, never more often: a crowd at the next carrier must not
// turn the attract screen into a log.
const (
	tickerShow   = 6 * time.Second
	tickerEvery  = 4 * time.Second
	tickerRecent = time.Minute // older news is not news
)

// drawTicker shows the next line of news above the preview card (whose top
// is at y), away from "Wave to play".
func (d *attractDrawer) drawTicker(f *frame, y float64) {
	now := time.Now()
	if now.Sub(d.tickerAt) >= tickerEvery {
		for _, n := range f.snap.Link.News {
			if n.At.After(d.tickerSeen) && now.Sub(n.At) < tickerRecent {
				d.tickerText, d.tickerAt, d.tickerSeen = n.Text, now, n.At
				break
			}
		}
	}
	shown := now.Sub(d.tickerAt)
	if d.tickerText == "" || shown >= tickerShow {
		return
	}
	l := f.l
	u := l.U
	in := min(shown.Seconds()/0.3, 1, (tickerShow-shown).Seconds()/0.5)
	face := d.ticker.fit(d.ts, d.tickerText, 3.6*u, l.W-8*u)
	d.ticker.set(d.tickerText, face, styleCentre)
	w, h := d.ticker.size()
	x, ty := (l.W-w)/2, y-3*u-h
	d.g.plate(x-2*u, ty-u, w+4*u, h+2*u, u)
	d.ticker.draw(d.g.dst, l.W/2, ty+h/2, styleCentre, fade(colorGold, in))
}

// drawPeopleMarkers puts a soft glowing ring on each tracked person's head.
func (d *attractDrawer) drawPeopleMarkers(f *frame) {
	g, t := &d.g, f.t
	u := f.l.U
	for _, tr := range f.snap.Obs.ObjectTracks {
		if tr.Label != "person" || tr.Missed > 0 {
			continue
		}
		b := tr.Box
		x0, y0, x1, _ := f.fit.Rect(float64(b.X0), float64(b.Y0), float64(b.X1), float64(b.Y1))
		w := x1 - x0
		r := min(max(w*0.28, 1.5*u), 7*u)
		cx, cy := (x0+x1)/2, y0+r*1.1
		c := playerColor(tr.ID)
		ph := pulse(t+float64(tr.ID)*0.37, 1.8)
		g.disc(float32(cx), float32(cy), float32(r), fade(c, 0.12+0.08*ph))
		g.circleLine(float32(cx), float32(cy), float32(r*(1+0.12*ph)), float32(max(1.5, 0.35*u)), fade(c, 0.55+0.3*ph))
		bob := math.Sin(t*3+float64(tr.ID)) * 0.6 * u
		g.star(float32(cx), float32(y0-r*0.5+bob), float32(max(1.2*u, r*0.35)), float32(t+float64(tr.ID)), 0.9)
	}
}

// drawPreviewCard shows one game: its looping mock, title and instruction,
// and a bar of how long it stays.
// drawPreviewCard draws the card and returns its top.
func (d *attractDrawer) drawPreviewCard(f *frame, s *game.Attract) float64 {
	ts, g, l, t := d.ts, &d.g, f.l, f.t
	u := l.U
	if l.W != d.laidW || l.H != d.laidH {
		// Every game's card is laid out when the attract screen first
		// shows (and when the window's size changes), not when its turn
		// comes.
		d.laidW, d.laidH = l.W, l.H
		for _, name := range f.snap.Stats.Rotation {
			d.card(name).layout(ts, name, l)
		}
	}
	name := s.Preview()
	card := d.card(name)
	card.layout(ts, name, l)
	phase := s.Phase()
	caption := &card.next
	if name != s.Next() {
		caption = &card.also
	}
	mockS, cardW := card.mockS, card.w
	cardH := mockS + 5*u
	in := easeOut(min(phase/0.08, 1))
	x := (l.W - cardW) / 2
	y := l.H - cardH - 3*u + (1-in)*4*u
	g.plate(x, y, cardW, cardH, u)
	d.drawMock(name, float32(x+2*u), float32(y+2*u), float32(mockS), t)

	tx0 := x + 2*u + mockS + 3*u
	_, ch := caption.size()
	_, th := card.title.size()
	_, ih := card.instr.size()
	gap := 1.2 * u
	total := ch + th + ih + 2*gap
	ty := y + 2*u + (mockS-total)/2
	ink := fade(colorInk, in)
	caption.draw(g.dst, tx0, ty+ch/2, styleLeftFlat, fade(colorGold, in))
	ty += ch + gap
	card.title.draw(g.dst, tx0, ty+th/2, styleLeftFlat, ink)
	ty += th + gap
	card.instr.draw(g.dst, tx0, ty, styleTopLeft, fade(colorSoftInk, in))

	// how long this preview stays
	bx, bw := float32(x+2*u), float32(cardW-4*u)
	by, bh := float32(y+cardH-1.8*u), float32(0.7*u)
	g.fillRoundRect(bx, by, bw, bh, bh/2, fade(colorInk, 0.15))
	g.fillRoundRect(bx, by, bw*float32(phase), bh, bh/2, fade(colorGold, 0.8))
	return y
}

// card is the preview card of the game name, made the first time.
func (d *attractDrawer) card(name string) *previewCard {
	c := d.cards[name]
	if c == nil {
		if d.cards == nil {
			d.cards = map[string]*previewCard{}
		}
		c = &previewCard{}
		d.cards[name] = c
	}
	return c
}

// styleTopLeft places words by their top-left corner.
var styleTopLeft = textStyle{h: text.AlignStart, v: text.AlignStart}

// layout sizes the card for the canvas l and lays out its words: as wide
// as its words need, up to the canvas.
func (c *previewCard) layout(ts *typeset, name string, l sceneLayout) {
	if c.w != 0 && c.forW == l.W && c.forH == l.H {
		return
	}
	c.forW, c.forH = l.W, l.H
	u := l.U
	title, instr := game.About(name)
	maxW := min(l.W-2*l.margin, 120*u)
	c.mockS = min(26*u, maxW*0.34)
	tf, inf := ts.face(8*u), ts.face(4.8*u)
	titleW, _ := text.Measure(title, tf, lineSpacing(tf))
	instrW, _ := text.Measure(instr, inf, lineSpacing(inf))
	c.w = min(maxW, 2*u+c.mockS+3*u+max(titleW, instrW, 40*u)+4*u)
	tw := c.w - c.mockS - 8*u // from the words' left edge to the card's right margin
	c.next.set("NEXT GAME", c.next.fit(ts, "NEXT GAME", 3*u, tw), styleLeftFlat)
	c.also.set("ALSO PLAYING", c.also.fit(ts, "ALSO PLAYING", 3*u, tw), styleLeftFlat)
	c.title.set(title, c.title.fit(ts, title, 8*u, tw), styleLeftFlat)
	f, wrapped := c.instr.fitWrapped(ts, instr, 4.8*u, tw, 2)
	c.instr.set(wrapped, f, styleTopLeft)
}

// countdownDrawer shows the coming game's title and instruction around a
// huge number that pops in each second.
type countdownDrawer struct {
	ts *typeset
	g  gfx

	caption, title, instr, goSign sign
	digits                        []byte
}

func (d *countdownDrawer) draw(f *frame, sc game.Scene) bool {
	s, ok := sc.(*game.Countdown)
	if !ok {
		return false
	}
	ts, g, l := d.ts, &d.g, f.l
	g.begin(f.dst, f.src)
	u := l.U
	gm := s.Game()
	title, instr := "", ""
	if gm != nil {
		title, instr = gm.Title(), gm.Instruction()
	}
	// title plate at the top
	caption := "GET READY"
	if s.Battle() != "" && f.battle.caption != "" {
		caption = f.battle.caption
	}
	d.caption.set(caption, d.caption.fit(ts, caption, 3.2*u, l.W-12*u), styleCentreFlat)
	d.title.set(title, d.title.fit(ts, title, 10*u, l.W-12*u), styleCentreFlat)
	tw, th := d.title.size()
	cw, ch := d.caption.size()
	pw := max(tw, cw) + 8*u
	ph := ch + th + 5*u
	px, py := (l.W-pw)/2, l.pillY
	g.plate(px, py, pw, ph, u)
	d.caption.draw(g.dst, l.W/2, py+2*u+ch/2, styleCentreFlat, colorGold)
	d.title.draw(g.dst, l.W/2, py+2.8*u+ch+th/2, styleCentreFlat, colorInk)

	// instruction plate at the bottom
	inf, wrapped := d.instr.fitWrapped(ts, instr, 7*u, l.W-14*u, 2)
	d.instr.set(wrapped, inf, styleCentreFlat)
	iw, ih := d.instr.size()
	iph := ih + 4*u
	ipy := l.H - iph - 4*u
	g.plate((l.W-iw-8*u)/2, ipy, iw+8*u, iph, u)
	d.instr.draw(g.dst, l.W/2, ipy+iph/2, styleCentreFlat, colorInk)

	// the number, between the two plates
	top, bottom := py+ph, ipy
	cx, cy := l.W/2, (top+bottom)/2
	r := min((bottom-top)/2-2*u, l.W/2-4*u, 28*u)
	n := s.Seconds()
	left := s.Left().Seconds()
	age := 1 - (left - float64(n-1)) // 0 when the number appears, 1 when it goes
	if n <= 0 {
		age = 0
	}
	ink := [...]color.NRGBA{colorGo, colorGo, colorGold, colorStop}[min(max(n, 0), 3)]
	g.disc(float32(cx), float32(cy), float32(r*(1.08+0.04*math.Sin(age*math.Pi))), fade(ink, 0.25))
	g.disc(float32(cx), float32(cy), float32(r), colorPlate)
	g.arc(float32(cx), float32(cy), float32(r-1.2*u), float32(-math.Pi/2+2*math.Pi*age), float32(3*math.Pi/2), float32(1.8*u), ink)
	st := styleCentre
	// pops in big, settles, then shrinks away as the next comes
	st.scale = 1 + 0.5*(1-easeOutBack(min(age*3.5, 1)))
	if age > 0.8 {
		st.scale = 1 - 0.35*(age-0.8)/0.2
	}
	if n <= 0 {
		d.goSign.say(g.dst, d.goSign.fit(ts, "GO!", r*1.3, r*1.5), "GO!", cx, cy+r*0.04, st, colorInk)
		return false
	}
	// The number is lettered: a new one each second costs no layout.
	d.digits = strconv.AppendInt(d.digits[:0], int64(n), 10)
	nf := ts.face(r * 1.3)
	lt := ts.letters(nf, rimRound)
	if w := lt.width(d.digits); w > r*1.5 {
		lt = ts.letters(ts.face(math.Floor(nf.Size*r*1.5/w)), rimRound)
	}
	lt.draw(g.dst, d.digits, cx, cy+r*0.04, st, colorInk)
	return false
}

// resultsDrawer shows the round's score, the player's rank and fun name
// and today's top ten, with a bar running down to the next player. Its
// words stay the same for the whole scene but for the seconds to the next
// player, so they are laid out once.
type resultsDrawer struct {
	ts *typeset
	g  gfx

	title, yourScore, score, rank, playingAs, name sign
	scoreWords, rankWords                          count
	next                                           sign // "Next player in", the seconds lettered after it
	digits                                         []byte
	own, across                                    topTable   // today's boards: this carrier's, every carrier's
	code                                           *boardCode // the hub's board page as a QR code, nil for none
}

// topTable is the signs of one top-ten table, kept between frames.
type topTable struct {
	head, empty sign
	rows        [10]topRow
}

// topRow is one row of today's top ten.
type topRow struct {
	place, name, score     sign
	placeWords, scoreWords count
}

func (d *resultsDrawer) draw(f *frame, sc game.Scene) bool {
	s, ok := sc.(*game.Results)
	if !ok {
		return false
	}
	ts, g, l, t := d.ts, &d.g, f.l, f.t
	g.begin(f.dst, f.src)
	u := l.U
	g.rect(0, 0, float32(l.W), float32(l.H), colorDimAll)
	if s.Rank() > 0 {
		confetti(g, l, t)
	}

	// the score block
	var bx0, bx1, by0, by1 float64
	var tx0, tx1, ty0, ty1 float64
	if l.portrait {
		bx0, bx1, by0, by1 = l.margin, l.W-l.margin, l.pillY, l.H*0.42
		tx0, tx1, ty0, ty1 = 4*u, l.W-4*u, l.H*0.42+u, l.H-9*u
	} else {
		bx0, bx1, by0, by1 = l.margin, l.W*0.5, l.pillY, l.H-9*u
		tx0, tx1, ty0, ty1 = l.W*0.52, l.W-4*u, 4*u, l.H-9*u
	}
	cx := (bx0 + bx1) / 2
	bw := bx1 - bx0
	title := s.Title()
	rankLine := "Great try!"
	if s.Rank() == 1 {
		rankLine = "You are #1 today!"
	} else if s.Rank() > 1 {
		d.rankWords.before, d.rankWords.after = "You are #", " today!"
		rankLine = d.rankWords.of(s.Rank())
	}
	inner := bw - 6*u // inside the plate
	score := d.scoreWords.of(s.Score())
	who := s.PlayerName()
	tf := d.title.fit(ts, title, 5*u, inner)
	cf := ts.face(3 * u)
	sf := d.score.fit(ts, score, 20*u, inner)
	rf := d.rank.fit(ts, rankLine, 7*u, inner)
	pf := ts.face(3 * u)
	nf := d.name.fit(ts, who, 6*u, inner)
	hs := [...]float64{lh(tf), lh(cf) * 1.4, lh(sf) * 0.95, lh(rf) * 1.3, lh(pf), lh(nf)}
	total := 0.0
	for _, h := range hs {
		total += h
	}
	y := by0 + max((by1-by0-total)/2, 0)
	d.title.set(title, tf, styleCentre)
	d.yourScore.set("YOUR SCORE", cf, styleCentre)
	d.score.set(score, sf, styleCentre)
	d.rank.set(rankLine, rf, styleCentre)
	d.playingAs.set("PLAYING AS", pf, styleCentre)
	d.name.set(who, nf, styleCentre)
	bw = 0.0
	for _, sg := range [...]*sign{&d.title, &d.score, &d.rank, &d.name} {
		w, _ := sg.size()
		bw = max(bw, w)
	}
	bw = min(bw+8*u, bx1-bx0)
	g.plate(cx-bw/2, y-2*u, bw, total+4*u, u)
	rankInk := colorInk
	if s.Rank() > 0 {
		rankInk = colorGo
	}
	scoreStyle := styleCentre
	scoreStyle.scale = 1 + 0.04*pulse(t, 1.2)
	lines := [...]struct {
		s   *sign
		st  textStyle
		ink color.NRGBA
	}{
		{&d.title, styleCentre, colorSoftInk}, {&d.yourScore, styleCentre, colorInk},
		{&d.score, scoreStyle, colorGold}, {&d.rank, styleCentre, rankInk},
		{&d.playingAs, styleCentre, colorSoftInk}, {&d.name, styleCentre, colorSky},
	}
	for i, ln := range lines {
		ln.s.draw(g.dst, cx, y+hs[i]/2, ln.st, ln.ink)
		y += hs[i]
	}

	if d.code != nil {
		ty1 = d.code.place(ts, g, l, tx0, ty0, tx1, ty1)
	}
	if bb := f.battle; s.Battle() != "" && len(bb.rows) > 0 {
		// A battle's results: who won across the carriers, below this
		// carrier's own board.
		mid := (ty0 + ty1) / 2
		d.drawTopTable(f, &d.own, "TODAY'S TOP 10", s.Top(), s.Rank()-1, tx0, ty0, tx1, mid-u)
		d.drawTopTable(f, &d.across, bb.head, bb.rows, bb.mine, tx0, mid+u, tx1, ty1)
	} else if across := &f.snap.Link.Across; len(across.Top) > 0 && across.Game == s.Game() {
		// With other carriers linked, today's board across them goes below
		// this carrier's own.
		mid := (ty0 + ty1) / 2
		d.drawTopTable(f, &d.own, "TODAY'S TOP 10", s.Top(), s.Rank()-1, tx0, ty0, tx1, mid-u)
		d.drawTopTable(f, &d.across, "ACROSS CARRIERS", across.Top, across.Mine, tx0, mid+u, tx1, ty1)
	} else {
		d.drawTopTable(f, &d.own, "TODAY'S TOP 10", s.Top(), s.Rank()-1, tx0, ty0, tx1, ty1)
	}

	// the bar down to the next player
	fr := fraction(s.Left(), s.Length())
	barW := float32(min(l.W-8*u, 90*u))
	barX := (float32(l.W) - barW) / 2
	barY := float32(l.H - 4.5*u)
	bh := float32(1.2 * u)
	g.fillRoundRect(barX, barY, barW, bh, bh/2, fade(colorInk, 0.2))
	g.fillRoundRect(barX, barY, barW*float32(fr), bh, bh/2, colorGold)
	nextFace := ts.face(2.8 * u)
	st := textStyle{h: text.AlignStart, v: text.AlignCenter, rim: rimRound}
	d.next.set("Next player in ", nextFace, st)
	lt := ts.letters(nextFace, rimRound)
	d.digits = strconv.AppendInt(d.digits[:0], int64(timeLeft(s.Left())), 10)
	nw, _ := d.next.size()
	x := l.W/2 - (nw+lt.width(d.digits))/2
	d.next.draw(g.dst, x, float64(barY)-2.2*u, st, colorSoftInk)
	lt.draw(g.dst, d.digits, x+nw, float64(barY)-2.2*u, st, colorSoftInk)
	return true
}

// drawTopTable is a top ten in the box x0..x1, y0..y1, with its heading;
// the row at index mine (the player's, -1 for none) in gold.
func (d *resultsDrawer) drawTopTable(f *frame, t *topTable, head string, top []game.Entry, mine int, x0, y0, x1, y1 float64) {
	ts, g, l := d.ts, &d.g, f.l
	u := l.U
	rows := max(len(top), 1)
	hf := t.head.fit(ts, head, 4.2*u, x1-x0-4*u)
	headH := lh(hf) + 2*u
	rowH := min(6*u, (y1-y0-headH-2*u)/float64(rows))
	h := headH + rowH*float64(rows) + 2*u
	y0 = y0 + max((y1-y0-h)/2, 0)
	g.plate(x0, y0, x1-x0, h, u)
	t.head.say(g.dst, hf, head, (x0+x1)/2, y0+u+lh(hf)/2, styleCentreFlat, colorGold)
	y := y0 + headH
	rf := ts.face(min(rowH*0.62, 4.2*u))
	if len(top) == 0 {
		const first = "Be the first on the board!"
		t.empty.say(g.dst, t.empty.fit(ts, first, rf.Size, x1-x0-4*u), first, (x0+x1)/2, y+rowH/2, styleCentreFlat, colorSoftInk)
		return
	}
	nameX := x0 + 2*u + rf.Size*1.6
	for i, e := range top {
		if i >= len(t.rows) {
			break
		}
		row := &t.rows[i]
		ry := y + float64(i)*rowH
		ink := colorInk
		if i == mine {
			glow := pulse(f.t, 1)
			g.fillRoundRect(float32(x0+u), float32(ry+rowH*0.06), float32(x1-x0-2*u), float32(rowH*0.88), float32(rowH*0.3), mix(colorGold, color.NRGBA{0xff, 0xe0, 0x70, 0xff}, glow))
			ink = colorBackdrop
		} else if i%2 == 0 {
			g.fillRoundRect(float32(x0+u), float32(ry+rowH*0.06), float32(x1-x0-2*u), float32(rowH*0.88), float32(rowH*0.3), fade(colorInk, 0.06))
		}
		row.place.say(g.dst, rf, row.placeWords.of(i+1), nameX-rf.Size*0.5, ry+rowH/2, styleRightFlat, ink)
		row.score.set(row.scoreWords.of(e.Score), rf, styleRightFlat)
		sw, _ := row.score.size()
		nf := row.name.fit(ts, e.Name, rf.Size, x1-2*u-sw-2*u-nameX)
		row.name.say(g.dst, nf, e.Name, nameX, ry+rowH/2, styleLeftFlat, ink)
		row.score.draw(g.dst, x1-2*u, ry+rowH/2, styleRightFlat, ink)
	}
}

// confetti rains over the results of a score that made the board.
func confetti(g *gfx, l sceneLayout, t float64) {
	cols := [...]color.NRGBA{colorGold, colorGo, colorSky, colorPink, colorStop, {0xb4, 0x7c, 0xff, 0xff}}
	u := float32(l.U)
	for i := range 48 {
		h1 := hash01(i, 1)
		h2 := hash01(i, 2)
		speed := 0.12 + 0.1*hash01(i, 3)
		q := frac(t*speed + h2)
		x := float32(l.W)*float32(h1) + float32(math.Sin(t*2+float64(i)))*2*u
		y := float32(-0.05+1.1*q) * float32(l.H)
		ang := t*(2+3*hash01(i, 4)) + float64(i)
		sn, cs := math.Sincos(ang)
		w, h := 1.1*u, 0.55*u*float32(0.3+0.7*math.Abs(cs))
		c, s := float32(cs), float32(sn)
		g.polygon(cols[i%len(cols)],
			x-w*c+h*s, y-w*s-h*c, x+w*c+h*s, y+w*s-h*c, x+w*c-h*s, y+w*s+h*c, x-w*c-h*s, y-w*s+h*c)
	}
}

// hash01 is a steady pseudo-random number in 0..1 for (i, k).
func hash01(i, k int) float64 {
	x := uint32(i)*0x9e3779b1 ^ uint32(k)*0x85ebca77
	x ^= x >> 15
	x *= 0x2c1b3c6d
	x ^= x >> 12
	x *= 0x297a2d39
	x ^= x >> 15
	return float64(x) / float64(math.MaxUint32)
}

// fraction is left of whole, 0..1.
func fraction(left, whole time.Duration) float64 {
	return min(max(float64(left)/float64(max(whole, time.Millisecond)), 0), 1)
}
