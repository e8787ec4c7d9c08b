//go:build cgo

package screen

import (
	"fmt"
	"image/color"
	"math"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// The scenes between rounds: attract, countdown and results.

// drawAttract invites whoever is in front to wave: a big pulsing line by a
// waving hand in a ring that fills as they wave, and a card previewing a
// game. People in view get a soft marker instead of boxes.
func (a *App) drawAttract(g *gfx, fit game.Fit, l sceneLayout, s *game.Attract) {
	t := a.seconds()
	u := l.U
	a.drawPeopleMarkers(g, fit, l, t)

	// The invitation, with the wave ring.
	wave := s.Wave()
	invite := s.Invitation()
	ringR := 9 * u
	var ringX, ringY, textX, textY float64
	var f *text.GoTextFace
	if l.portrait {
		f = a.fitFace(invite, 12*u, l.W-6*u)
		ringX, ringY = l.W/2, l.top+2*u+ringR
		_, th := textSize(invite, f)
		textX, textY = l.W/2, ringY+ringR+2.5*u+th/2
	} else {
		f = a.fitFace(invite, 13*u, l.W-2*ringR-12*u)
		tw, _ := textSize(invite, f)
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
	say(g.dst, f, invite, textX, textY, st, mix(colorInk, colorGold, glow*0.6))
	if wave > 0.02 {
		_, th := textSize(invite, f)
		sub := a.face(5 * u)
		sst := styleCentre
		sst.scale = 1 + 0.08*pulse(t, 0.4)
		say(g.dst, sub, "Keep waving!", textX, textY+th/2+3.5*u, sst, colorGold)
	}

	a.drawPreviewCard(g, l, s, t)
}

// drawPeopleMarkers puts a soft glowing ring on each tracked person's head.
func (a *App) drawPeopleMarkers(g *gfx, fit game.Fit, l sceneLayout, t float64) {
	u := l.U
	for _, tr := range a.obs.ObjectTracks {
		if tr.Label != "person" || tr.Missed > 0 {
			continue
		}
		b := tr.Box
		x0, y0, x1, _ := fit.Rect(float64(b.X0), float64(b.Y0), float64(b.X1), float64(b.Y1))
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
func (a *App) drawPreviewCard(g *gfx, l sceneLayout, s *game.Attract, t float64) {
	u := l.U
	name := s.Preview()
	title, instr := game.About(name)
	phase := s.Phase()
	caption := "NEXT GAME"
	if name != s.Next() {
		caption = "ALSO PLAYING"
	}
	maxW := min(l.W-2*l.margin, 120*u)
	mockS := min(26*u, maxW*0.34)
	// As wide as its words need, up to the canvas.
	want := max(textWidth(title, a.face(8*u)), textWidth(instr, a.face(4.8*u)), 40*u)
	cardW := min(maxW, 2*u+mockS+3*u+want+4*u)
	cardH := mockS + 5*u
	in := easeOut(min(phase/0.08, 1))
	x := (l.W - cardW) / 2
	y := l.H - cardH - 3*u + (1-in)*4*u
	g.plate(x, y, cardW, cardH, u)
	a.drawMock(g, name, float32(x+2*u), float32(y+2*u), float32(mockS), t)

	tx0 := x + 2*u + mockS + 3*u
	tw := x + cardW - 3*u - tx0
	cf := a.fitFace(caption, 3*u, tw)
	tf := a.fitFace(title, 8*u, tw)
	inf, wrapped := a.fitWrapped(instr, 4.8*u, tw, 2)
	_, ch := textSize(caption, cf)
	_, th := textSize(title, tf)
	_, ih := textSize(wrapped, inf)
	gap := 1.2 * u
	total := ch + th + ih + 2*gap
	ty := y + 2*u + (mockS-total)/2
	ink := fade(colorInk, in)
	say(g.dst, cf, caption, tx0, ty+ch/2, styleLeftFlat, fade(colorGold, in))
	ty += ch + gap
	say(g.dst, tf, title, tx0, ty+th/2, styleLeftFlat, ink)
	ty += th + gap
	st := styleLeftFlat
	st.v = text.AlignStart
	say(g.dst, inf, wrapped, tx0, ty, st, fade(colorSoftInk, in))

	// how long this preview stays
	bx, bw := float32(x+2*u), float32(cardW-4*u)
	by, bh := float32(y+cardH-1.8*u), float32(0.7*u)
	g.fillRoundRect(bx, by, bw, bh, bh/2, fade(colorInk, 0.15))
	g.fillRoundRect(bx, by, bw*float32(phase), bh, bh/2, fade(colorGold, 0.8))
}

// drawCountdown shows the coming game's title and instruction around a
// huge number that pops in each second.
func (a *App) drawCountdown(g *gfx, l sceneLayout, s *game.Countdown) {
	u := l.U
	gm := s.Game()
	title, instr := "", ""
	if gm != nil {
		title, instr = gm.Title(), gm.Instruction()
	}
	// title plate at the top
	cap := "GET READY"
	cf := a.face(3.2 * u)
	tf := a.fitFace(title, 10*u, l.W-12*u)
	tw, th := textSize(title, tf)
	cw, ch := textSize(cap, cf)
	pw := max(tw, cw) + 8*u
	ph := ch + th + 5*u
	px, py := (l.W-pw)/2, l.pillY
	g.plate(px, py, pw, ph, u)
	say(g.dst, cf, cap, l.W/2, py+2*u+ch/2, styleCentreFlat, colorGold)
	say(g.dst, tf, title, l.W/2, py+2.8*u+ch+th/2, styleCentreFlat, colorInk)

	// instruction plate at the bottom
	inf, wrapped := a.fitWrapped(instr, 7*u, l.W-14*u, 2)
	iw, ih := textSize(wrapped, inf)
	iph := ih + 4*u
	ipy := l.H - iph - 4*u
	g.plate((l.W-iw-8*u)/2, ipy, iw+8*u, iph, u)
	say(g.dst, inf, wrapped, l.W/2, ipy+iph/2, styleCentreFlat, colorInk)

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
	ink := []color.NRGBA{colorGo, colorGo, colorGold, colorStop}[min(max(n, 0), 3)]
	g.disc(float32(cx), float32(cy), float32(r*(1.08+0.04*math.Sin(age*math.Pi))), fade(ink, 0.25))
	g.disc(float32(cx), float32(cy), float32(r), colorPlate)
	g.arc(float32(cx), float32(cy), float32(r-1.2*u), float32(-math.Pi/2+2*math.Pi*age), float32(3*math.Pi/2), float32(1.8*u), ink)
	label := fmt.Sprint(n)
	if n <= 0 {
		label = "GO!"
	}
	nf := a.fitFace(label, r*1.3, r*1.5)
	st := styleCentre
	// pops in big, settles, then shrinks away as the next comes
	st.scale = 1 + 0.5*(1-easeOutBack(min(age*3.5, 1)))
	if age > 0.8 {
		st.scale = 1 - 0.35*(age-0.8)/0.2
	}
	say(g.dst, nf, label, cx, cy+r*0.04, st, colorInk)
}

// drawResults shows the round's score, the player's rank and fun name and
// today's top ten, with a bar running down to the next player.
func (a *App) drawResults(g *gfx, l sceneLayout, s *game.Results, art *sceneArt) {
	u := l.U
	t := a.seconds()
	vector.FillRect(g.dst, 0, 0, float32(l.W), float32(l.H), colorDimAll, false)
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
		rankLine = fmt.Sprintf("You are #%d today!", s.Rank())
	}
	inner := bw - 6*u // inside the plate
	tf := a.fitFace(title, 5*u, inner)
	cf := a.face(3 * u)
	score := fmt.Sprint(s.Score())
	sf := a.fitFace(score, 20*u, inner)
	rf := a.fitFace(rankLine, 7*u, inner)
	pf := a.face(3 * u)
	nf := a.fitFace(s.PlayerName(), 6*u, inner)
	hs := []float64{lh(tf), lh(cf) * 1.4, lh(sf) * 0.95, lh(rf) * 1.3, lh(pf), lh(nf)}
	total := 0.0
	for _, h := range hs {
		total += h
	}
	y := by0 + max((by1-by0-total)/2, 0)
	bw = 0.0
	for _, w := range []float64{textWidth(title, tf), textWidth(score, sf), textWidth(rankLine, rf), textWidth(s.PlayerName(), nf)} {
		bw = max(bw, w)
	}
	bw = min(bw+8*u, bx1-bx0)
	g.plate(cx-bw/2, y-2*u, bw, total+4*u, u)
	put := func(i int, f *text.GoTextFace, s string, st textStyle, ink color.Color) {
		say(g.dst, f, s, cx, y+hs[i]/2, st, ink)
		y += hs[i]
	}
	put(0, tf, title, styleCentre, colorSoftInk)
	put(1, cf, "YOUR SCORE", styleCentre, colorInk)
	st := styleCentre
	st.scale = 1 + 0.04*pulse(t, 1.2)
	put(2, sf, score, st, colorGold)
	rankInk := color.Color(colorInk)
	if s.Rank() > 0 {
		rankInk = colorGo
	}
	put(3, rf, rankLine, styleCentre, rankInk)
	put(4, pf, "PLAYING AS", styleCentre, colorSoftInk)
	put(5, nf, s.PlayerName(), styleCentre, colorSky)

	a.drawTopTable(g, l, s, tx0, ty0, tx1, ty1)

	// the bar down to the next player
	f := fraction(s.Left(), s.Length())
	barW := float32(min(l.W-8*u, 90*u))
	barX := (float32(l.W) - barW) / 2
	barY := float32(l.H - 4.5*u)
	bh := float32(1.2 * u)
	g.fillRoundRect(barX, barY, barW, bh, bh/2, fade(colorInk, 0.2))
	g.fillRoundRect(barX, barY, barW*float32(f), bh, bh/2, colorGold)
	next := fmt.Sprintf("Next player in %d", timeLeft(s.Left()))
	say(g.dst, a.face(2.8*u), next, l.W/2, float64(barY)-2.2*u, styleCentre, colorSoftInk)
}

// lh is the height of one line of f.
func lh(f *text.GoTextFace) float64 { return f.Size * 1.25 }

// drawTopTable is today's top ten in the box x0..x1, y0..y1, the player's
// row in gold.
func (a *App) drawTopTable(g *gfx, l sceneLayout, s *game.Results, x0, y0, x1, y1 float64) {
	u := l.U
	top := s.Top()
	rows := max(len(top), 1)
	head := "TODAY'S TOP 10"
	hf := a.fitFace(head, 4.2*u, x1-x0-4*u)
	headH := lh(hf) + 2*u
	rowH := min(6*u, (y1-y0-headH-2*u)/float64(rows))
	h := headH + rowH*float64(rows) + 2*u
	y0 = y0 + max((y1-y0-h)/2, 0)
	g.plate(x0, y0, x1-x0, h, u)
	say(g.dst, hf, head, (x0+x1)/2, y0+u+lh(hf)/2, styleCentreFlat, colorGold)
	y := y0 + headH
	rf := a.face(min(rowH*0.62, 4.2*u))
	if len(top) == 0 {
		say(g.dst, a.fitFace("Be the first on the board!", rf.Size, x1-x0-4*u), "Be the first on the board!",
			(x0+x1)/2, y+rowH/2, styleCentreFlat, colorSoftInk)
		return
	}
	nameX := x0 + 2*u + rf.Size*1.6
	for i, e := range top {
		ry := y + float64(i)*rowH
		mine := i+1 == s.Rank()
		ink := color.Color(colorInk)
		if mine {
			glow := pulse(a.seconds(), 1)
			g.fillRoundRect(float32(x0+u), float32(ry+rowH*0.06), float32(x1-x0-2*u), float32(rowH*0.88), float32(rowH*0.3), mix(colorGold, color.NRGBA{0xff, 0xe0, 0x70, 0xff}, glow))
			ink = colorBackdrop
		} else if i%2 == 0 {
			g.fillRoundRect(float32(x0+u), float32(ry+rowH*0.06), float32(x1-x0-2*u), float32(rowH*0.88), float32(rowH*0.3), fade(colorInk, 0.06))
		}
		say(g.dst, rf, fmt.Sprintf("%d", i+1), nameX-rf.Size*0.5, ry+rowH/2, styleRightFlat, ink)
		sc := fmt.Sprint(e.Score)
		sw, _ := textSize(sc, rf)
		name := e.Name
		nf := a.fitFace(name, rf.Size, x1-2*u-sw-2*u-nameX)
		say(g.dst, nf, name, nameX, ry+rowH/2, styleLeftFlat, ink)
		say(g.dst, rf, sc, x1-2*u, ry+rowH/2, styleRightFlat, ink)
	}
}

// confetti rains over the results of a score that made the board.
func confetti(g *gfx, l sceneLayout, t float64) {
	cols := []color.NRGBA{colorGold, colorGo, colorSky, colorPink, colorStop, {0xb4, 0x7c, 0xff, 0xff}}
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
