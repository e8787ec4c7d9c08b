//go:build cgo

package window

import (
	"image/color"

	"github.com/carrierarcade/kiosk/booth"
	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/sight"
	"github.com/hajimehoshi/ebiten/v2"
)

// pixelColumns is how coarse the pixelated mode is: across the picture,
// this many blocks; nobody is recognisable, movement still reads.
const pixelColumns = 24

// people draws the camera picture as the privacy mode allows: the frame
// itself (live), a few coarse blocks of it, or people as shapes on a drawn
// background. It keeps its pictures and options from frame to frame.
type people struct {
	white     *ebiten.Image // the shapes' source (see gfx)
	mirror    bool          // the picture is shown as a selfie
	g         gfx
	pixImg    *ebiten.Image // the pixelated mode's few blocks
	backdrop  *ebiten.Image // the privacy modes' dotted background, for this size
	pictureOp ebiten.DrawImageOptions
	shrinkOp  ebiten.DrawImageOptions
}

// draw puts the camera picture (pic, of the frame's size) on the canvas
// as the privacy mode allows. Only the live mode shows the picture itself;
// no mode ever writes a frame anywhere but the screen.
func (a *people) draw(dst *ebiten.Image, fit game.Fit, pic *picture, snap *booth.Snapshot) {
	a.g.begin(dst, a.white)
	switch snap.Presenter.Privacy {
	case "pixelated":
		a.drawPixelated(dst, fit, pic)
	case "silhouette":
		a.drawBackdrop(dst)
		a.drawSilhouettes(fit, pic, snap.Obs)
	case "none":
		a.drawBackdrop(dst)
		a.drawMarkers(dst, fit, snap.Obs)
	default:
		op := a.frameOptions(fit, 1, pic)
		op.Filter = ebiten.FilterLinear
		dst.DrawImage(pic.img, op)
	}
}

// frameOptions place an image of the frame's size scaled by 1/shrink (its
// pixels are shrink frame pixels wide) on the canvas, mirrored as the
// display is. The frame covers the canvas, so it is copied, not blended.
// The options are the app's own, reused every frame.
func (a *people) frameOptions(fit game.Fit, shrink float64, pic *picture) *ebiten.DrawImageOptions {
	op := &a.pictureOp
	*op = ebiten.DrawImageOptions{}
	op.GeoM.Scale(shrink, shrink)
	if a.mirror {
		op.GeoM.Scale(-1, 1)
		op.GeoM.Translate(float64(pic.frame.W), 0)
	}
	op.GeoM.Scale(fit.Scale, fit.Scale)
	op.GeoM.Translate(fit.OffX, fit.OffY)
	op.Blend = ebiten.BlendCopy
	return op
}

// drawPixelated shrinks the frame to a few blocks across on the GPU and
// draws them back up as flat squares.
func (a *people) drawPixelated(dst *ebiten.Image, fit game.Fit, pic *picture) {
	w := pixelColumns
	h := max(1, (pic.frame.H*pixelColumns+pic.frame.W/2)/pic.frame.W)
	if a.pixImg == nil || a.pixImg.Bounds().Dx() != w || a.pixImg.Bounds().Dy() != h {
		if a.pixImg != nil {
			a.pixImg.Deallocate()
		}
		a.pixImg = ebiten.NewImage(w, h)
	}
	shrink := &a.shrinkOp
	*shrink = ebiten.DrawImageOptions{}
	shrink.GeoM.Scale(float64(w)/float64(pic.frame.W), float64(h)/float64(pic.frame.H))
	shrink.Filter = ebiten.FilterLinear
	shrink.Blend = ebiten.BlendCopy
	a.pixImg.DrawImage(pic.img, shrink)
	op := a.frameOptions(fit, float64(pic.frame.W)/float64(w), pic)
	op.Filter = ebiten.FilterNearest
	dst.DrawImage(a.pixImg, op)
}

var (
	colorBackdropTop = color.NRGBA{0x1b, 0x26, 0x4a, 0xff}
	colorBackdropDot = color.NRGBA{0x2a, 0x3a, 0x6a, 0xff}
	colorShape       = color.NRGBA{0x4f, 0xc3, 0xf7, 0xff}
	colorMoving      = color.NRGBA{0xff, 0xd5, 0x4f, 0xff}
	// backdropFill is the backdrop's colour as Fill takes it, boxed once.
	backdropFill color.Color = colorBackdropTop
)

// drawBackdrop is the drawn background of the privacy modes: a calm
// colour with a dotted grid, so the screen is not an empty void. The grid
// is drawn once for the canvas's size and then copied each frame.
func (a *people) drawBackdrop(dst *ebiten.Image) {
	b := dst.Bounds()
	if a.backdrop == nil || a.backdrop.Bounds().Size() != b.Size() {
		if a.backdrop != nil {
			a.backdrop.Deallocate()
		}
		a.backdrop = ebiten.NewImage(b.Dx(), b.Dy())
		a.backdrop.Fill(backdropFill)
		var g gfx
		g.begin(a.backdrop, a.white)
		w, h := float32(b.Dx()), float32(b.Dy())
		step := max(w, h) / 24
		r := step / 14
		for y := step / 2; y < h; y += step {
			for x := step / 2; x < w; x += step {
				g.disc(x, y, r, colorBackdropDot)
			}
		}
	}
	op := &a.pictureOp
	*op = ebiten.DrawImageOptions{}
	op.GeoM.Translate(float64(b.Min.X), float64(b.Min.Y))
	op.Blend = ebiten.BlendCopy
	dst.DrawImage(a.backdrop, op)
}

// canvasBox maps a frame box to canvas pixels.
func canvasBox(fit game.Fit, x0, y0, x1, y1 float32) (float32, float32, float32, float32) {
	cx0, cy0, cx1, cy1 := fit.Rect(float64(x0), float64(y0), float64(x1), float64(y1))
	return float32(cx0), float32(cy0), float32(cx1), float32(cy1)
}

// drawSilhouettes draws people and moving areas as flat shapes: moving
// cells of the motion grid, then each tracked person as a head and body.
func (a *people) drawSilhouettes(fit game.Fit, pic *picture, obs *sight.Observation) {
	g := &obs.Motion
	if g.W > 0 && g.H > 0 {
		// The grid is in mirrored view coordinates already.
		pw := float32(float64(pic.frame.W) * fit.Scale)
		ph := float32(float64(pic.frame.H) * fit.Scale)
		cw, ch := pw/float32(g.W), ph/float32(g.H)
		for y := 0; y < g.H; y++ {
			for x := 0; x < g.W; x++ {
				e := g.At(x, y)
				if e <= 0.02 {
					continue
				}
				c := colorMoving
				c.A = uint8(60 + 160*min(e, 1))
				a.g.rect(float32(fit.OffX)+float32(x)*cw+1, float32(fit.OffY)+float32(y)*ch+1, cw-2, ch-2, c)
			}
		}
	}
	for _, t := range obs.ObjectTracks {
		if t.Label != "person" || t.Missed > 0 {
			continue
		}
		x0, y0, x1, y1 := canvasBox(fit, t.Box.X0, t.Box.Y0, t.Box.X1, t.Box.Y1)
		w, h := x1-x0, y1-y0
		head := min(w*0.3, h*0.12)
		c := classColor(t.ID)
		a.g.disc((x0+x1)/2, y0+head, head, c)
		a.g.fillRoundRect(x0+w*0.15, y0+2.1*head, w*0.7, h-2.1*head, w*0.2, c)
	}
	for _, t := range obs.FaceTracks {
		if t.Missed > 0 {
			continue
		}
		x0, y0, x1, y1 := canvasBox(fit, t.Box.X0, t.Box.Y0, t.Box.X1, t.Box.Y1)
		a.g.disc((x0+x1)/2, (y0+y1)/2, max(x1-x0, y1-y0)/2, colorShape)
	}
}

// drawMarkers is the no-picture mode: only rings where people and faces are.
func (a *people) drawMarkers(dst *ebiten.Image, fit game.Fit, obs *sight.Observation) {
	stroke := float32(max(3, float64(dst.Bounds().Dy())/200))
	for _, t := range obs.ObjectTracks {
		if t.Missed > 0 {
			continue
		}
		x0, y0, x1, y1 := canvasBox(fit, t.Box.X0, t.Box.Y0, t.Box.X1, t.Box.Y1)
		r := min(x1-x0, y1-y0) / 2
		a.g.circleLine((x0+x1)/2, (y0+y1)/2, r, stroke, classColor(t.Class))
	}
	for _, t := range obs.FaceTracks {
		if t.Missed > 0 {
			continue
		}
		x0, y0, x1, y1 := canvasBox(fit, t.Box.X0, t.Box.Y0, t.Box.X1, t.Box.Y1)
		a.g.disc((x0+x1)/2, (y0+y1)/2, max(x1-x0, y1-y0)/3, colorShape)
	}
}
