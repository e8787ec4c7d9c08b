// Package visiontest has fakes for the vision package's interfaces: a
// synthetic frame source that draws a moving square, and can be told to
// fail, stall or repeat itself the way real cameras do.
package visiontest

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/carrierarcade/kiosk/vision"
	"gocv.io/x/gocv"
)

// ErrBroken is what a Source returns once told to fail.
var ErrBroken = errors.New("visiontest: source broken")

// DefaultNoise is how many pixels of each frame NewSource's sources disturb.
const DefaultNoise = 300

// Source is a synthetic vision.FrameSource: a grey picture with a white
// square that moves one step each frame, with a little sensor noise so that
// no two frames are byte-identical (as with a real camera). Frames come as
// fast as they are read unless Delay is set.
//
// Set the exported fields before the first Read.
type Source struct {
	W, H   int
	Rate   float64       // nominal frames per second; frame times follow it
	Delay  time.Duration // real time each Read takes, like a camera
	Frames int           // frames before ErrEnd-like failure (0: endless)

	// EndErr is what Read returns once Frames have been read; nil means
	// ErrBroken. vision.ErrEnd makes the source a clip that ended.
	EndErr error
	// Noise is how many random pixels of each drawn frame are nudged by a
	// few grey levels (NewSource sets DefaultNoise; 0 for clean frames).
	Noise int
	// Still keeps the square in place: a live camera looking at a scene
	// where nothing moves, so frames differ by their noise alone.
	Still bool

	mu      sync.Mutex
	n       int
	failing bool
	repeat  bool
	stalled bool
	wake    chan struct{} // closed when a stall ends
	blocked int           // Reads waiting in a stall
	closed  bool
	rng     *rand.Rand
	last    gocv.Mat
}

// NewSource makes a w x h source at rate frames per second.
func NewSource(w, h int, rate float64) *Source {
	return &Source{W: w, H: h, Rate: rate, Noise: DefaultNoise,
		rng: rand.New(rand.NewPCG(uint64(w), uint64(h))), last: gocv.NewMat()}
}

// Break makes every following Read fail.
func (s *Source) Break(on bool) { s.mu.Lock(); s.failing = on; s.mu.Unlock() }

// Freeze makes every following Read return the last frame again, byte for
// byte, as some drivers do after a camera is unplugged.
func (s *Source) Freeze(on bool) { s.mu.Lock(); s.repeat = on; s.mu.Unlock() }

// Stall makes every following Read block, as a read stuck in a driver does,
// until Stall(false) or Close.
func (s *Source) Stall(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case on && !s.stalled && !s.closed:
		s.stalled = true
		s.wake = make(chan struct{})
	case !on && s.stalled:
		s.stalled = false
		close(s.wake)
	}
}

// Blocked is how many Reads are waiting in a stall right now.
func (s *Source) Blocked() int { s.mu.Lock(); defer s.mu.Unlock(); return s.blocked }

// Closed reports whether Close has been called.
func (s *Source) Closed() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.closed }

// Reads is how many frames have been read.
func (s *Source) Reads() int { s.mu.Lock(); defer s.mu.Unlock(); return s.n }

func (s *Source) Read(dst *gocv.Mat) (time.Duration, error) {
	if s.Delay > 0 {
		time.Sleep(s.Delay)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.stalled && !s.closed {
		wake := s.wake
		s.blocked++
		s.mu.Unlock()
		<-wake
		s.mu.Lock()
		s.blocked--
	}
	if s.failing || s.closed {
		return 0, ErrBroken
	}
	if s.Frames > 0 && s.n >= s.Frames {
		if s.EndErr != nil {
			return 0, s.EndErr
		}
		return 0, ErrBroken
	}
	t := time.Duration(float64(s.n) / s.Rate * float64(time.Second))
	s.n++
	if s.repeat && !s.last.Empty() {
		s.last.CopyTo(dst)
		return t, nil
	}
	step := s.n
	if s.Still {
		step = 0
	}
	Draw(dst, s.W, s.H, step)
	s.addNoise(dst)
	dst.CopyTo(&s.last)
	return t, nil
}

// addNoise nudges s.Noise random pixels of dst by 1 to 3 grey levels, away
// from the nearer end of the range so that every nudge changes the pixel.
func (s *Source) addNoise(dst *gocv.Mat) {
	if s.Noise <= 0 {
		return
	}
	px, err := dst.DataPtrUint8()
	if err != nil || len(px) < 3 {
		return
	}
	if s.rng == nil {
		s.rng = rand.New(rand.NewPCG(1, 2))
	}
	pixels := len(px) / 3
	for range s.Noise {
		i := s.rng.IntN(pixels) * 3
		d := uint8(1 + s.rng.IntN(3))
		for c := i; c < i+3; c++ {
			if px[c] < 128 {
				px[c] += d
			} else {
				px[c] -= d
			}
		}
	}
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

// Close frees the source; Reads after it fail, and a Read stuck in a stall
// returns.
func (s *Source) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		s.last.Close()
		if s.stalled {
			s.stalled = false
			close(s.wake)
		}
	}
	return nil
}

// NewOpener makes an open function for vision.NewWatchdog that calls
// newSource for every opening, the way a camera is opened again after it
// was lost. When newSource returns nil that opening fails with an error
// wrapping vision.ErrSource, as for a camera that is not plugged in. opens
// counts the openings tried.
func NewOpener(newSource func() *Source) (open func() (vision.FrameSource, error), opens func() int) {
	var mu sync.Mutex
	n := 0
	open = func() (vision.FrameSource, error) {
		mu.Lock()
		n++
		k := n
		mu.Unlock()
		s := newSource()
		if s == nil {
			return nil, fmt.Errorf("%w: visiontest: opening %d fails", vision.ErrSource, k)
		}
		return s, nil
	}
	opens = func() int { mu.Lock(); defer mu.Unlock(); return n }
	return open, opens
}
