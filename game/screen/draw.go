//go:build cgo

package screen

import (
	"bytes"
	"fmt"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
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
	colorInk      = color.RGBA{0xff, 0xff, 0xff, 0xff}
	colorShade    = color.RGBA{0x00, 0x00, 0x00, 0xb0}
	colorAccent   = color.RGBA{0xff, 0xc8, 0x1e, 0xff}
	colorDemo     = color.RGBA{0xe0, 0x3c, 0x31, 0xff}
	colorBackdrop = color.RGBA{0x14, 0x18, 0x2a, 0xff}
)

// boxPalette gives each class a steady, distinct colour.
var boxPalette = []color.RGBA{
	{0x2e, 0xcc, 0x71, 0xff}, {0x34, 0x98, 0xdb, 0xff}, {0xe6, 0x7e, 0x22, 0xff},
	{0x9b, 0x59, 0xb6, 0xff}, {0xf1, 0xc4, 0x0f, 0xff}, {0x1a, 0xbc, 0x9c, 0xff},
	{0xe7, 0x4c, 0x3c, 0xff}, {0xec, 0x40, 0x7a, 0xff},
}

func classColor(class int) color.RGBA { return boxPalette[class%len(boxPalette)] }

// label draws s with its top-left at (x, y) on a dark plate, so it reads
// on any picture. It returns the plate's width and height.
func label(dst *ebiten.Image, face *text.GoTextFace, s string, x, y float64, ink, plate color.Color) (float64, float64) {
	w, h := text.Measure(s, face, face.Size*1.2)
	pad := face.Size * 0.25
	vector.FillRect(dst, float32(x), float32(y), float32(w+2*pad), float32(h+pad), plate, false)
	op := &text.DrawOptions{}
	op.GeoM.Translate(x+pad, y+pad/2)
	op.ColorScale.ScaleWithColor(ink)
	op.LineSpacing = face.Size * 1.2
	text.Draw(dst, s, face, op)
	return w + 2*pad, h + pad
}

// centred draws s centred on (cx, cy) with a thin dark outline for
// contrast over moving pictures.
func centred(dst *ebiten.Image, face *text.GoTextFace, s string, cx, cy float64, ink color.Color) {
	op := &text.DrawOptions{}
	op.PrimaryAlign = text.AlignCenter
	op.SecondaryAlign = text.AlignCenter
	op.LineSpacing = face.Size * 1.15
	outline := face.Size / 18
	for _, d := range [][2]float64{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
		op.GeoM.Reset()
		op.GeoM.Translate(cx+d[0]*outline, cy+d[1]*outline)
		op.ColorScale.Reset()
		op.ColorScale.ScaleWithColor(color.Black)
		text.Draw(dst, s, face, op)
	}
	op.GeoM.Reset()
	op.GeoM.Translate(cx, cy)
	op.ColorScale.Reset()
	op.ColorScale.ScaleWithColor(ink)
	text.Draw(dst, s, face, op)
}
