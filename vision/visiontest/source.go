// Package visiontest has fakes for the vision package's interfaces: a
// synthetic frame source that draws a moving square, and can be told to
// fail, stall or repeat itself the way real cameras do.
package visiontest

import (
	"errors"
	"image"
	"image/color"
	"sync"
	"time"

	"gocv.io/x/gocv"
)

// ErrBroken is what a Source returns once told to fail.
var ErrBroken = errors.New("visiontest: source broken")

// Source is a synthetic vision.FrameSource: a grey picture with a white
// square that moves one step each frame. Frames come as fast as they are
// read unless Delay is set.
type Source struct {
	W, H   int
	Rate   float64       // nominal frames per second; frame times follow it
	Delay  time.Duration // real time each Read takes, like a camera
	Frames int           // frames before ErrEnd-like failure (0: endless)

	mu      sync.Mutex
	n       int
	failing bool
	repeat  bool
	closed  bool
	last    gocv.Mat
}

// NewSource makes a w x h source at rate frames per second.
func NewSource(w, h int, rate float64) *Source {
	return &Source{W: w, H: h, Rate: rate, last: gocv.NewMat()}
}

// Break makes every following Read fail.
func (s *Source) Break(on bool) { s.mu.Lock(); s.failing = on; s.mu.Unlock() }

// Freeze makes every following Read return the last frame again, as some
// drivers do after a camera is unplugged.
func (s *Source) Freeze(on bool) { s.mu.Lock(); s.repeat = on; s.mu.Unlock() }

// Reads is how many frames have been read.
func (s *Source) Reads() int { s.mu.Lock(); defer s.mu.Unlock(); return s.n }

func (s *Source) Read(dst *gocv.Mat) (time.Duration, error) {
	if s.Delay > 0 {
		time.Sleep(s.Delay)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failing || s.closed || (s.Frames > 0 && s.n >= s.Frames) {
		return 0, ErrBroken
	}
	t := time.Duration(float64(s.n) / s.Rate * float64(time.Second))
	s.n++
	if s.repeat && !s.last.Empty() {
		s.last.CopyTo(dst)
		return t, nil
	}
	Draw(dst, s.W, s.H, s.n)
	dst.CopyTo(&s.last)
	return t, nil
}

// Draw paints frame n of the synthetic scene into dst (8-bit BGR).
func Draw(dst *gocv.Mat, w, h, n int) {
	if dst.Empty() || dst.Cols() != w || dst.Rows() != h || dst.Type() != gocv.MatTypeCV8UC3 {
		dst.Close()
		*dst = gocv.NewMatWithSize(h, w, gocv.MatTypeCV8UC3)
	}
	dst.SetTo(gocv.NewScalar(90, 90, 90, 0))
	side := h / 4
	x := (n * 7) % max(1, w-side)
	gocv.Rectangle(dst, image.Rect(x, h/2-side/2, x+side, h/2+side/2), color.RGBA{255, 255, 255, 0}, -1)
}

func (s *Source) FPS() float64 { return s.Rate }
func (s *Source) Name() string { return "synthetic" }
func (s *Source) Live() bool   { return s.Delay > 0 }

// Close frees the source; Reads after it fail.
func (s *Source) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		s.last.Close()
	}
	return nil
}
