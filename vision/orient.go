package vision

import (
	"fmt"
	"sync"
	"time"

	"gocv.io/x/gocv"
)

// Orientation is how a camera is mounted: the frames it delivers are turned
// upright by Rotation degrees clockwise (0, 90, 180 or 270), after being
// mirrored left to right when Flip is set (a driver that mirrors its sensor).
// The laptop's own webcam sits on the lid and turns with the screen, so in
// the carrier Rotation is usually the same as display.rotation.
type Orientation struct {
	Rotation int
	Flip     bool
}

// Upright is true when frames need no turning.
func (o Orientation) Upright() bool { return o.Rotation%360 == 0 && !o.Flip }

// Valid reports a rotation that is not a quarter turn.
func (o Orientation) Valid() error {
	switch o.Rotation {
	case 0, 90, 180, 270:
		return nil
	}
	return fmt.Errorf("is %d, allowed 0, 90, 180 or 270", o.Rotation)
}

// Turn applies o to src, writing dst (src and dst must differ). It
// allocates only when dst's size or type changes: once warm, never.
func (o Orientation) Turn(src gocv.Mat, dst *gocv.Mat) {
	if o.Flip {
		if o.Rotation%360 == 0 {
			gocv.Flip(src, dst, 1)
			return
		}
		gocv.Flip(src, &src, 1) // in place: src is the reader's own copy
	}
	switch o.Rotation {
	case 90:
		gocv.Rotate(src, dst, gocv.Rotate90Clockwise)
	case 180:
		gocv.Rotate(src, dst, gocv.Rotate180Clockwise)
	case 270:
		gocv.Rotate(src, dst, gocv.Rotate90CounterClockwise)
	default:
		src.CopyTo(dst)
	}
}

// oriented turns a source's frames upright as they are read, before
// anything else (detectors, motion, tracker, the screen) sees them.
type oriented struct {
	FrameSource
	o   Orientation
	raw gocv.Mat // the frame as the sensor gave it; one for the source's life
}

// Oriented wraps src so that every frame it reads comes upright. An upright
// orientation gives src itself. Closing the result closes src.
func Oriented(src FrameSource, o Orientation) FrameSource {
	if o.Upright() {
		return src
	}
	return &oriented{FrameSource: src, o: o, raw: gocv.NewMat()}
}

func (s *oriented) Read(dst *gocv.Mat) (time.Duration, error) {
	t, err := s.FrameSource.Read(&s.raw)
	if err != nil {
		return t, err
	}
	s.o.Turn(s.raw, dst)
	return t, nil
}

func (s *oriented) Close() error {
	err := s.FrameSource.Close()
	s.raw.Close()
	return err
}

// Turnable turns a source's frames by an orientation that may change while
// it plays: 'kiosk setup' turns the camera until people stand upright.
// Set may be called from any goroutine, Read from one. Close frees only
// its own frame: the source is closed by whoever opened it.
type Turnable struct {
	FrameSource
	mu  sync.Mutex
	o   Orientation
	raw gocv.Mat
}

// NewTurnable reads src turned by o.
func NewTurnable(src FrameSource, o Orientation) *Turnable {
	return &Turnable{FrameSource: src, o: o, raw: gocv.NewMat()}
}

// Set turns the frames read from now on.
func (s *Turnable) Set(o Orientation) { s.mu.Lock(); s.o = o; s.mu.Unlock() }

func (s *Turnable) Read(dst *gocv.Mat) (time.Duration, error) {
	t, err := s.FrameSource.Read(&s.raw)
	if err != nil {
		return t, err
	}
	s.mu.Lock()
	o := s.o
	s.mu.Unlock()
	o.Turn(s.raw, dst)
	return t, nil
}

// Close frees the turned frame's buffer, not the source.
func (s *Turnable) Close() error { s.raw.Close(); return nil }
