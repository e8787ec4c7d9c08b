//go:build cgo

package window

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"time"

	"github.com/carrierarcade/kiosk/booth"
	"github.com/carrierarcade/kiosk/internal/atomicfile"
	"github.com/hajimehoshi/ebiten/v2"
)

// Shot asks for a screenshot once the clip has played At.
type Shot struct {
	At  time.Duration
	Out string
}

// shooter takes the screenshots: the one a Shot asks for, and those the
// draw bench's probe asks for. It keeps one buffer for the pixels.
type shooter struct {
	want   *Shot // nil: none asked
	probe  DrawProbe
	log    *slog.Logger
	pixels []byte
	done   bool // the Shot is written
}

// due is true once the clip has reached the asked time and the objects on
// screen were found on a frame at least that late.
func (s *shooter) due(pic *picture, snap *booth.Snapshot) bool {
	if s.want == nil || s.done || pic.img == nil || pic.frame.Time < s.want.At {
		return false
	}
	return !snap.Budget.SeesObjects || snap.Obs.ObjectsFrame.Time >= s.want.At
}

// take writes the asked screenshot.
func (s *shooter) take(screen *ebiten.Image, pic *picture) error {
	if err := s.save(screen, s.want.Out); err != nil {
		return err
	}
	s.log.Info("screenshot written", "file", s.want.Out, "clip_time", pic.frame.Time.Seconds())
	s.done = true
	return nil
}

// drawn tells the probe a frame was drawn and saves the frame it asks for.
func (s *shooter) drawn(screen *ebiten.Image) error {
	if s.probe == nil {
		return nil
	}
	if shot := s.probe.Drawn(); shot != "" {
		return s.save(screen, shot)
	}
	return nil
}

// save writes what the screen shows to a PNG file.
func (s *shooter) save(screen *ebiten.Image, path string) error {
	b := screen.Bounds()
	if len(s.pixels) != 4*b.Dx()*b.Dy() {
		s.pixels = make([]byte, 4*b.Dx()*b.Dy())
	}
	screen.ReadPixels(s.pixels)
	img := &image.RGBA{Pix: s.pixels, Stride: 4 * b.Dx(), Rect: image.Rect(0, 0, b.Dx(), b.Dy())}
	return writePNG(path, img)
}

// writePNG writes atomically: a reader never sees half a picture.
func writePNG(path string, img image.Image) error {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	if err := atomicfile.Write(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("screenshot: cannot write %s: %w", path, err)
	}
	return nil
}
