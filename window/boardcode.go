//go:build cgo

package window

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"net/url"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	qrcode "github.com/skip2/go-qrcode"
)

// boardCode is the QR code of the hub's public board page (hub.public_url)
// on the results screen, so a visitor can find their score later on their
// phone. The code is made once, one pixel per module with its quiet zone,
// and drawn scaled by a whole number through the nearest filter, so its
// modules stay sharp; its words are signs laid out once.
type boardCode struct {
	img     *ebiten.Image
	modules int    // across, quiet zone included
	where   string // the address as written under the code, without its scheme
	op      ebiten.DrawImageOptions

	scan, board, addr sign
}

// newBoardCode makes the code of url. Medium error correction: a screen
// seen at an angle through a carrier's window loses some contrast.
func newBoardCode(url string) (*boardCode, error) {
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("hub.public_url %q cannot be a QR code: %w", url, err)
	}
	bits := q.Bitmap() // with a quiet zone of four modules
	n := len(bits)
	pix := image.NewRGBA(image.Rect(0, 0, n, n))
	for y, row := range bits {
		for x, dark := range row {
			c := color.RGBA{0xff, 0xff, 0xff, 0xff}
			if dark {
				c = color.RGBA{0, 0, 0, 0xff}
			}
			pix.SetRGBA(x, y, c)
		}
	}
	return &boardCode{img: ebiten.NewImageFromImage(pix), modules: n, where: shortURL(url)}, nil
}

// shortURL is the address a person would type: no scheme, no trailing
// slash.
func shortURL(s string) string {
	if u, err := url.Parse(s); err == nil && u.Host != "" {
		s = strings.TrimPrefix(s, u.Scheme+"://")
	}
	return strings.TrimSuffix(s, "/")
}

// place draws the code's block at the bottom of the box x0..x1, y0..y1
// (the results' table column) and returns the top of what is left above
// it for the tables.
func (c *boardCode) place(ts *typeset, g *gfx, l sceneLayout, x0, y0, x1, y1 float64) float64 {
	u := l.U
	h := min(30*u, (y1-y0)*0.42)
	top := y1 - h
	g.plate(x0, top, x1-x0, h, u)
	// The code: the largest whole number of pixels per module that fits
	// the block's height.
	side := h - 2*u
	scale := math.Floor(side / float64(c.modules))
	if scale < 1 {
		scale = side / float64(c.modules)
	}
	size := scale * float64(c.modules)
	cx := x0 + u
	cy := top + (h-size)/2
	c.op.GeoM.Reset()
	c.op.GeoM.Scale(scale, scale)
	c.op.GeoM.Translate(math.Round(cx), math.Round(cy))
	c.op.Filter = ebiten.FilterNearest
	g.dst.DrawImage(c.img, &c.op)

	// Its words beside it.
	tx := cx + size + 2*u
	tw := x1 - u - tx
	if tw < 8*u {
		return top - u // no room for words: the code says it all
	}
	big := c.scan.fit(ts, "SCAN FOR", 4*u, tw)
	big = minFace(big, c.board.fit(ts, "TODAY'S BOARD", 4*u, tw))
	small := c.addr.fit(ts, c.where, 2.6*u, tw)
	lines := [...]float64{lh(big), lh(big), lh(small) * 1.4}
	ty := top + (h-lines[0]-lines[1]-lines[2])/2
	c.scan.say(g.dst, big, "SCAN FOR", tx, ty+lines[0]/2, styleLeftFlat, colorGold)
	c.board.say(g.dst, big, "TODAY'S BOARD", tx, ty+lines[0]+lines[1]/2, styleLeftFlat, colorGold)
	c.addr.say(g.dst, small, c.where, tx, ty+lines[0]+lines[1]+lines[2]/2, styleLeftFlat, colorSoftInk)
	return top - u
}

// minFace is the smaller of two faces, so that two lines fitted apart are
// drawn alike.
func minFace(a, b *text.GoTextFace) *text.GoTextFace {
	if b.Size < a.Size {
		return b
	}
	return a
}
