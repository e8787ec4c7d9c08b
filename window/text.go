//go:build cgo

package window

import (
	"image/color"
	"math"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
)

// Words on screen. Laying text out (shaping, measuring, finding glyphs)
// allocates on every call, and an outlined word is drawn a dozen times over
// for its rim, so the screen does that only when the words change: a sign
// keeps its words drawn in a picture of its own, and a frame puts that
// picture on the canvas with one DrawImage. Text that changes every frame
// (a score, the overlay's figures) is drawn from one picture per
// character instead: see lettering.

// rim is how words are made to read over a moving picture.
type rim int

const (
	rimNone  rim = iota
	rimRound     // a drop shadow and a dark rim all round: the games' words
	rimOnly      // the shadow and rim without the ink, drawn under lettering's ink
	rimThin      // four thin dark strokes: the kiosk's own messages
)

// textStyle says how words are drawn: where the anchor point is on them,
// a scale about it (for pulsing without a font size per frame), their rim,
// the line spacing as a multiple of the size (0 is 1.12) and whether they
// are placed on whole pixels (the chrome's labels) or smoothly.
type textStyle struct {
	h, v    text.Align
	scale   float64 // 0 is 1
	rim     rim
	spacing float64
	sharp   bool
}

var (
	styleCentre     = textStyle{h: text.AlignCenter, v: text.AlignCenter, rim: rimRound}
	styleCentreFlat = textStyle{h: text.AlignCenter, v: text.AlignCenter}
	styleLeftFlat   = textStyle{h: text.AlignStart, v: text.AlignCenter}
	styleRightFlat  = textStyle{h: text.AlignEnd, v: text.AlignCenter}
	// styleLabel is label's: top-left, lines 1.2 apart, on whole pixels.
	styleLabel = textStyle{h: text.AlignStart, v: text.AlignStart, spacing: 1.2, sharp: true}
	// styleMessage is the kiosk's full-screen messages (waiting for the
	// camera, the clip has ended).
	styleMessage = textStyle{h: text.AlignCenter, v: text.AlignCenter, rim: rimThin, spacing: 1.15, sharp: true}
)

func (st textStyle) lineSpacing(f *text.GoTextFace) float64 {
	if st.spacing == 0 {
		return lineSpacing(f)
	}
	return f.Size * st.spacing
}

func lineSpacing(f *text.GoTextFace) float64 { return f.Size * 1.12 }

// alignFrac is where on a box of length 1 the anchor is.
func alignFrac(a text.Align) float64 {
	switch a {
	case text.AlignCenter:
		return 0.5
	case text.AlignEnd:
		return 1
	}
	return 0
}

// rimWidth is the rim's width for a face; wider rims get more strokes so
// they stay round.
func rimWidth(f *text.GoTextFace, r rim) float64 {
	switch r {
	case rimRound, rimOnly:
		return max(1.2, f.Size/15)
	case rimThin:
		return f.Size / 18
	}
	return 0
}

// sign is words drawn once into a picture of their own. It also remembers
// its last fitting (fit, fitWrapped), so that a frame asks the font for a
// size only when the question changes.
type sign struct {
	words   string
	face    *text.GoTextFace
	h       text.Align
	rim     rim
	spacing float64

	img   *ebiten.Image
	w, ht float64 // the words' box: the widest line, the lines' height
	pad   float64 // room round the box in the picture, for the rim
	op    ebiten.DrawImageOptions

	fitted fitting
}

// fitting is a sign's last question to the font (its words, the largest
// size, the width and lines allowed) and the answer.
type fitting struct {
	words       string
	size, maxW  float64
	lines       int
	face        *text.GoTextFace
	text        string
	ok, wrapped bool
}

// set makes the sign show words in f, laid out by st (its alignment
// across, rim and line spacing); the picture is made again only when one
// of them changed.
func (s *sign) set(words string, f *text.GoTextFace, st textStyle) {
	sp := st.lineSpacing(f)
	if s.img != nil && words == s.words && f == s.face && st.h == s.h && st.rim == s.rim && sp == s.spacing {
		return
	}
	s.words, s.face, s.h, s.rim, s.spacing = words, f, st.h, st.rim, sp
	s.render()
}

// size is the words' box, as text.Measure gives it.
func (s *sign) size() (w, h float64) { return s.w, s.ht }

// render draws the words into the sign's picture, white on their rim, so
// that one colour scale at drawing gives the ink (the rim is black and
// stays black).
func (s *sign) render() {
	f := s.face
	s.w, s.ht = text.Measure(s.words, f, s.spacing)
	o := rimWidth(f, s.rim)
	s.pad = math.Ceil(2.5*o+0.15*f.Size) + 2
	w := int(math.Ceil(s.w + 2*s.pad))
	h := int(math.Ceil(s.ht + 2*s.pad))
	if b := s.img; b == nil || b.Bounds().Dx() < w || b.Bounds().Dy() < h {
		if s.img != nil {
			s.img.Deallocate()
		}
		// A little room to spare, so that a number growing by a digit
		// keeps its picture.
		s.img = ebiten.NewImage(w+w/4+8, h)
	} else {
		s.img.Clear()
	}
	if s.words == "" {
		return
	}
	op := &text.DrawOptions{}
	op.PrimaryAlign = s.h
	op.LineSpacing = s.spacing
	ax := s.pad + alignFrac(s.h)*s.w
	at := func(dx, dy float64, c color.NRGBA) {
		op.GeoM.Reset()
		op.GeoM.Translate(ax+dx, s.pad+dy)
		op.ColorScale.Reset()
		op.ColorScale.ScaleWithColor(c)
		text.Draw(s.img, s.words, f, op)
	}
	switch s.rim {
	case rimRound, rimOnly:
		at(o*0.6, o*1.5, colorShadow)
		dark := fade(colorBlack, 0.85)
		n := 8 // directions; more for a thick rim, so it stays round
		if o > 3.5 {
			n = 12
		}
		for i := range n {
			sn, cs := math.Sincos(float64(i) * 2 * math.Pi / float64(n))
			at(cs*o, sn*o, dark)
		}
	case rimThin:
		for _, d := range [][2]float64{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
			at(d[0]*o, d[1]*o, colorBlack)
		}
	}
	if s.rim != rimOnly {
		at(0, 0, colorWhite)
	}
}

// draw puts the sign on dst with its anchor at (x, y), scaled by st.scale
// about it, in ink. The anchor is across as the sign was set (its lines
// are aligned in its picture), and down as st.v says.
func (s *sign) draw(dst *ebiten.Image, x, y float64, st textStyle, ink color.NRGBA) {
	s.place(dst, -alignFrac(s.h)*s.w, -alignFrac(st.v)*s.ht, x, y, st, ink)
}

// place draws the sign with its box's top-left at (dx, dy) from the
// anchor (x, y), before scaling about the anchor.
func (s *sign) place(dst *ebiten.Image, dx, dy, x, y float64, st textStyle, ink color.NRGBA) {
	if s.img == nil || s.words == "" || ink.A == 0 {
		return
	}
	sc := st.scale
	if sc == 0 {
		sc = 1
	}
	s.op.GeoM.Reset()
	s.op.GeoM.Translate(dx-s.pad, dy-s.pad)
	s.op.GeoM.Scale(sc, sc)
	s.op.GeoM.Translate(x, y)
	c := premul(ink)
	s.op.ColorScale.Reset()
	s.op.ColorScale.Scale(c[0], c[1], c[2], c[3])
	s.op.Filter = ebiten.FilterLinear
	if st.sharp {
		s.op.Filter = ebiten.FilterNearest
	}
	dst.DrawImage(s.img, &s.op)
}

// say sets the sign to words and draws it: the screen's one way to write.
func (s *sign) say(dst *ebiten.Image, f *text.GoTextFace, words string, x, y float64, st textStyle, ink color.NRGBA) {
	s.set(words, f, st)
	s.draw(dst, x, y, st, ink)
}

// sayCaps draws one line of words with the top of its capital letters at
// y, aligned to x by h: for laying out lines by what the eye sees.
func (s *sign) sayCaps(dst *ebiten.Image, f *text.GoTextFace, words string, x, y float64, h text.Align, st textStyle, ink color.NRGBA) {
	m := f.Metrics()
	st.h, st.v = h, text.AlignStart
	s.say(dst, f, words, x, y-(m.HAscent-m.CapHeight), st, ink)
}

// fit is the largest bold face up to size in which words (one line) fit
// maxW; the answer is kept for the same question.
func (s *sign) fit(t *typeset, words string, size, maxW float64) *text.GoTextFace {
	q := &s.fitted
	if q.ok && !q.wrapped && words == q.words && size == q.size && maxW == q.maxW {
		return q.face
	}
	f := t.face(size)
	if w, _ := text.Measure(words, f, f.Size); w > maxW && w > 0 {
		f = t.face(math.Floor(f.Size * maxW / w))
	}
	*q = fitting{words: words, size: size, maxW: maxW, face: f, ok: true}
	return f
}

// fitWrapped is words wrapped into at most lines lines of maxW, in the
// largest face up to size that allows it; the answer is kept for the same
// question.
func (s *sign) fitWrapped(t *typeset, words string, size, maxW float64, lines int) (*text.GoTextFace, string) {
	q := &s.fitted
	if q.ok && q.wrapped && words == q.words && size == q.size && maxW == q.maxW && lines == q.lines {
		return q.face, q.text
	}
	f, wrapped := t.fitWrapped(words, size, maxW, lines)
	*q = fitting{words: words, size: size, maxW: maxW, lines: lines, face: f, text: wrapped, ok: true, wrapped: true}
	return f, wrapped
}

// typeset is the window's lettering and fonts: the two typefaces, the
// faces made of them, each face's lettering for changing figures, and the
// white picture every shape is drawn from. One for the window, made at
// start and kept.
type typeset struct {
	fonts     *Fonts
	lettering map[letterKey]*lettering
	white     *ebiten.Image // the shapes' source (see gfx)
}

func newTypeset() (*typeset, error) {
	fonts, err := LoadFonts()
	if err != nil {
		return nil, err
	}
	return &typeset{fonts: fonts, lettering: map[letterKey]*lettering{}, white: whiteImage()}, nil
}

// face is the bold face of about size pixels. Sizes are rounded to whole
// pixels so that the font cache (kept per size) stays small.
func (t *typeset) face(size float64) *text.GoTextFace {
	return t.fonts.Face(max(10, math.Round(size)), false)
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
// largest face up to size that allows it. It lays text out many times:
// call it through a sign, which keeps the answer.
func (t *typeset) fitWrapped(s string, size, maxW float64, maxLines int) (*text.GoTextFace, string) {
	for {
		f := t.face(size)
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

// lh is the height of one line of f.
func lh(f *text.GoTextFace) float64 { return f.Size * 1.25 }

// capHeight is the height of f's capital letters.
func capHeight(f *text.GoTextFace) float64 { return f.Metrics().CapHeight }

// lettering draws text that may change every frame (a score, a frame's
// age in the overlay) from one picture per character, made once per face
// and rim: no layout, no allocation, whatever the figures. It places
// characters by their advances without kerning, which is exact for the
// figures of Go Bold (all as wide) and for the mono face; anything but
// printable ASCII shows as '?'. A rimmed lettering draws every
// character's rim first and the inks over them, as one outlined text would.
type lettering struct {
	face *text.GoTextFace
	rim  rim
	ink  [95]sign // by character, from ' '
	rims [95]sign
	adv  [95]float64
}

// letters is the lettering for a face and rim, made on first use and
// kept.
func (t *typeset) letters(f *text.GoTextFace, r rim) *lettering {
	k := letterKey{f, r}
	l, ok := t.lettering[k]
	if !ok {
		l = &lettering{face: f, rim: r}
		t.lettering[k] = l
		// Ready at once every character it will likely draw, so that a
		// figure reaching a new digit mid-round costs no layout.
		for c := byte('0'); c <= '9'; c++ {
			l.char(c)
		}
		if f.Source == t.fonts.mono {
			for c := byte(' '); c <= '~'; c++ {
				l.char(c)
			}
		}
	}
	return l
}

type letterKey struct {
	face *text.GoTextFace
	rim  rim
}

// char is the index of the character c, made ready to draw.
func (l *lettering) char(c byte) int {
	if c < ' ' || c > '~' {
		c = '?'
	}
	i := int(c - ' ')
	if l.ink[i].img == nil {
		s := string(rune(c))
		ink := textStyle{}
		l.ink[i].set(s, l.face, ink)
		if l.rim != rimNone {
			l.rims[i].set(s, l.face, textStyle{rim: rimOnly})
		}
		l.adv[i] = text.Advance(s, l.face)
	}
	return i
}

// width is how wide s is.
func (l *lettering) width(s []byte) float64 {
	w := 0.0
	for _, c := range s {
		w += l.adv[l.char(c)]
	}
	return w
}

// draw draws the one line s with its anchor (st.h, st.v) at (x, y),
// scaled by st.scale about it.
func (l *lettering) draw(dst *ebiten.Image, s []byte, x, y float64, st textStyle, ink color.NRGBA) {
	w := l.width(s)
	m := l.face.Metrics()
	dx0 := -alignFrac(st.h) * w
	dy := -alignFrac(st.v) * (m.HAscent + m.HDescent)
	if l.rim != rimNone {
		dx := dx0
		for _, c := range s {
			i := l.char(c)
			l.rims[i].place(dst, dx, dy, x, y, st, ink)
			dx += l.adv[i]
		}
	}
	dx := dx0
	for _, c := range s {
		i := l.char(c)
		l.ink[i].place(dst, dx, dy, x, y, st, ink)
		dx += l.adv[i]
	}
}

// centre draws words wrapped into maxW, centred on (cx, cy); the size
// shrinks until they take at most lines lines. It returns their size.
func (s *sign) centre(t *typeset, dst *ebiten.Image, words string, cx, cy, size, maxW float64, lines int, st textStyle, ink color.NRGBA) (w, h float64) {
	f, wrapped := s.fitWrapped(t, words, size, maxW, lines)
	st.h, st.v = text.AlignCenter, text.AlignCenter
	s.say(dst, f, wrapped, cx, cy, st, ink)
	return s.size()
}
