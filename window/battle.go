//go:build cgo

package window

import (
	"strconv"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/link"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
)

// battleBoard is the results' battle table, worded when the battle's
// copy is taken, not on every frame.
type battleBoard struct {
	caption string // the countdown's
	head    string
	rows    []game.Entry
	mine    int // this carrier's row
}

// battleHUD is the other carriers' live scores during a battle round: a
// small plate under the time, this carrier's row in gold.
type battleHUD struct {
	ts    *typeset
	g     gfx
	head  sign
	rows  [maxBattleRows]battleHUDRow
	names []byte
}

type battleHUDRow struct {
	name   sign
	digits []byte
}

// maxBattleRows is how many carriers the HUD lists; more are left off.
const maxBattleRows = 5

func (h *battleHUD) draw(f *frame) {
	ts, v := h.ts, &f.snap.Link.Battle
	if len(v.Rows) == 0 {
		return
	}
	g, l := &h.g, f.l
	g.begin(f.dst, f.src)
	u := l.U
	n := min(len(v.Rows), maxBattleRows)
	face := ts.face(2.6 * u)
	lt := ts.letters(face, rimNone)
	rowH := 3.4 * u
	w := l.pillW * 1.25
	hgt := 3.6*u + float64(n)*rowH + u
	x := l.W - l.margin - w
	y := l.pillY + l.pillH + u
	if l.portrait {
		y = l.H - l.margin - hgt
	}
	g.plate(x, y, w, hgt, u)
	h.head.say(g.dst, ts.face(2.2*u), "BATTLE", x+w/2, y+2*u, styleCentreFlat, colorSoftInk)
	left := textStyle{h: text.AlignStart, v: text.AlignCenter}
	right := textStyle{h: text.AlignEnd, v: text.AlignCenter}
	for i := range n {
		r := &v.Rows[i]
		row := &h.rows[i]
		ink := colorInk
		if r.Own {
			ink = colorGold
		}
		cy := y + 3.6*u + float64(i)*rowH + rowH/2
		row.name.set(r.Carrier, row.name.fit(ts, r.Carrier, 2.6*u, w*0.62), left)
		row.name.draw(g.dst, x+1.5*u, cy, left, ink)
		row.digits = strconv.AppendInt(row.digits[:0], int64(r.Score), 10)
		lt.draw(g.dst, row.digits, x+w-1.5*u, cy, right, ink)
	}
}

// battleTable is the results' battle board: every carrier's score, and
// the winner once every result is in.
func newBattleBoard(v *link.BattleView) battleBoard {
	b := battleBoard{mine: -1, caption: "CARRIER BATTLE: GET READY"}
	if v.Caller != "" {
		b.caption = "BATTLE CALLED BY " + v.Caller
	}
	if len(v.Rows) == 0 {
		return b
	}
	for i, r := range v.Rows {
		name := r.Carrier
		if r.Player != "" {
			name += ": " + r.Player
		}
		if !r.Final {
			name += " (playing)"
		}
		b.rows = append(b.rows, game.Entry{Name: name, Score: r.Score})
		if r.Own {
			b.mine = i
		}
	}
	switch {
	case len(v.Winners) > 1:
		b.head = "BATTLE: A DRAW!"
	case len(v.Winners) == 1:
		b.head = "BATTLE WON BY " + v.Winners[0].Carrier
	default:
		b.head = "BATTLE: WAITING FOR " + v.Waiting[0]
		if len(v.Waiting) > 1 {
			b.head += " +" + strconv.Itoa(len(v.Waiting)-1)
		}
	}
	return b
}
