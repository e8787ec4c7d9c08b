package vision

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/carrierarcade/kiosk/internal/meter"
	"github.com/carrierarcade/kiosk/sight"
	"gocv.io/x/gocv"
)

// FrameInfo describes one captured frame: what the rules know of it, and
// when it was read, for its age on screen.
type FrameInfo struct {
	sight.Frame
	CapturedAt time.Time // wall clock when it was read
}

// Capture reads a FrameSource in its own goroutine and keeps only the latest
// frame: a slow reader never makes frames queue up, it just skips some.
type Capture struct {
	src   FrameSource
	paced bool // a source that is not live is paced (a Switch changes sides)

	mu     sync.Mutex
	latest gocv.Mat // BGR, for the detectors and motion
	rgba   gocv.Mat // the same frame as RGBA, ready for the screen
	info   FrameInfo
	err    error // why reading stopped, once it has
	fps    meter.Rate
	subs   []chan struct{}

	stop context.CancelFunc
	done chan struct{}
}

// StartCapture starts reading src. With paced, frames of a source that is
// not live are released at the source's own frame rate (a clip plays at
// normal speed); without, as fast as they can be read (benchmarks and
// headless simulations). Whether src is live is asked at every frame: a
// Switch turns from a camera to a clip and back. Stop ends it.
func StartCapture(ctx context.Context, src FrameSource, paced bool) *Capture {
	ctx, cancel := context.WithCancel(ctx)
	c := &Capture{src: src, paced: paced, latest: gocv.NewMat(), rgba: gocv.NewMat(),
		stop: cancel, done: make(chan struct{})}
	go c.loop(ctx)
	return c
}

func (c *Capture) loop(ctx context.Context) {
	defer close(c.done)
	frame := gocv.NewMat()
	rgba := gocv.NewMat()
	defer frame.Close()
	defer rgba.Close()
	var start time.Time
	var first time.Duration
	for ctx.Err() == nil {
		t, err := c.src.Read(&frame)
		if err != nil {
			c.mu.Lock()
			c.err = err
			c.mu.Unlock()
			c.notify()
			return
		}
		if !c.paced || c.src.Live() {
			start = time.Time{} // pacing starts afresh when a clip comes
		} else {
			// Hold each frame until its time has come on the wall clock.
			if start.IsZero() {
				start, first = time.Now(), t
			}
			if wait := time.Until(start.Add(t - first)); wait > 0 {
				select {
				case <-ctx.Done():
					return
				case <-time.After(wait):
				}
			}
		}
		gocv.CvtColor(frame, &rgba, gocv.ColorBGRToRGBA)
		now := time.Now()
		c.mu.Lock()
		frame.CopyTo(&c.latest)
		rgba.CopyTo(&c.rgba)
		c.info = FrameInfo{Frame: sight.Frame{Seq: c.info.Seq + 1, Time: t, W: frame.Cols(), H: frame.Rows()}, CapturedAt: now}
		c.fps.Tick(now)
		c.mu.Unlock()
		c.notify()
	}
}

// Subscribe returns a channel that receives a signal when a new frame (or
// the end of the source) arrives. Signals do not queue: one pending at most.
func (c *Capture) Subscribe() <-chan struct{} {
	ch := make(chan struct{}, 1)
	c.mu.Lock()
	c.subs = append(c.subs, ch)
	c.mu.Unlock()
	return ch
}

func (c *Capture) notify() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ch := range c.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// Latest copies the newest frame into dst (BGR) if it is newer than after.
func (c *Capture) Latest(dst *gocv.Mat, after uint64) (FrameInfo, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.info.Seq == 0 || c.info.Seq <= after {
		return c.info, false
	}
	c.latest.CopyTo(dst)
	return c.info, true
}

// LatestRGBA copies the newest frame's RGBA bytes into dst if it is newer
// than after. dst must hold W*H*4 bytes (see Info); ok is false otherwise.
func (c *Capture) LatestRGBA(dst []byte, after uint64) (FrameInfo, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.info.Seq == 0 || c.info.Seq <= after {
		return c.info, false
	}
	data, err := c.rgba.DataPtrUint8()
	if err != nil || len(dst) < len(data) {
		return c.info, false
	}
	copy(dst, data)
	return c.info, true
}

// Info describes the newest frame.
func (c *Capture) Info() FrameInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.info
}

// FPS is the measured rate of frames read over the last second or so.
func (c *Capture) FPS() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fps.Value(time.Now())
}

// Err is why the source stopped (ErrEnd for a clip that ended), or nil
// while it is running.
func (c *Capture) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Ended reports whether a non-looping clip has played to its end.
func (c *Capture) Ended() bool { return errors.Is(c.Err(), ErrEnd) }

// Source is what is being read.
func (c *Capture) Source() FrameSource { return c.src }

// Stop ends the goroutine, waits for it and frees the frames. The source
// itself is closed by whoever opened it.
func (c *Capture) Stop() {
	c.stop()
	<-c.done
	c.mu.Lock()
	defer c.mu.Unlock()
	c.latest.Close()
	c.rgba.Close()
}
