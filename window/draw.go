//go:build cgo

package window

import (
	"bytes"
	"fmt"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomonobold"
)

// Fonts are the two typefaces of the kiosk: Go Bold for what attendees
// read from across an aisle, Go Mono Bold for the presenter's figures.
type Fonts struct {
	bold, mono *text.GoTextFaceSource
	faces      map[fontKey]*text.GoTextFace
}

type fontKey struct {
	mono bool
	size float64
}

// LoadFonts parses the embedded fonts once.
func LoadFonts() (*Fonts, error) {
	bold, err := text.NewGoTextFaceSource(bytes.NewReader(gobold.TTF))
	if err != nil {
		return nil, fmt.Errorf("font Go Bold: %w", err)
	}
	mono, err := text.NewGoTextFaceSource(bytes.NewReader(gomonobold.TTF))
	if err != nil {
		return nil, fmt.Errorf("font Go Mono Bold: %w", err)
	}
	return &Fonts{bold: bold, mono: mono, faces: map[fontKey]*text.GoTextFace{}}, nil
}

// Face returns a face of the given pixel size, made once and kept.
func (f *Fonts) Face(size float64, mono bool) *text.GoTextFace {
	k := fontKey{mono, size}
	if face, ok := f.faces[k]; ok {
		return face
	}
	src := f.bold
	if mono {
		src = f.mono
	}
	face := &text.GoTextFace{Source: src, Size: size}
	f.faces[k] = face
	return face
}

// Colours of the kiosk: high contrast for a bright hall.
var (
	colorInk      = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	colorShade    = color.NRGBA{0x00, 0x00, 0x00, 0xb0}
	colorAccent   = color.NRGBA{0xff, 0xc8, 0x1e, 0xff}
	colorDemo     = color.NRGBA{0xe0, 0x3c, 0x31, 0xff}
	colorBackdrop = color.NRGBA{0x14, 0x18, 0x2a, 0xff}
)

// boxPalette gives each class a steady, distinct colour.
var boxPalette = []color.NRGBA{
	{0x2e, 0xcc, 0x71, 0xff}, {0x34, 0x98, 0xdb, 0xff}, {0xe6, 0x7e, 0x22, 0xff},
	{0x9b, 0x59, 0xb6, 0xff}, {0xf1, 0xc4, 0x0f, 0xff}, {0x1a, 0xbc, 0x9c, 0xff},
	{0xe7, 0x4c, 0x3c, 0xff}, {0xec, 0x40, 0x7a, 0xff},
}

func classColor(class int) color.NRGBA { return boxPalette[class%len(boxPalette)] }

// labelPad is the room round a label's words on its plate.
func labelPad(f *text.GoTextFace) float64 { return f.Size * 0.25 }

// labelSize is the plate of a label showing s, which must be set (in
// styleLabel).
func labelSize(s *sign) (float64, float64) {
	w, h := s.size()
	pad := labelPad(s.face)
	return w + 2*pad, h + pad
}

// label draws the sign s (set in styleLabel) with its plate's top-left at
// (x, y), on a flat dark plate so it reads on any picture. It returns the
// plate's width and height.
func (g *gfx) label(s *sign, x, y float64, ink, plate color.NRGBA) (float64, float64) {
	w, h := labelSize(s)
	pad := labelPad(s.face)
	linear := g.op.Filter == ebiten.FilterLinear
	g.sharp(true) // the words' filter: the plate and words go in one draw command
	g.rect(float32(x), float32(y), float32(w), float32(h), plate)
	g.sharp(!linear)
	s.draw(g.dst, x+pad, y+pad/2, styleLabel, ink)
	return w, h
}
