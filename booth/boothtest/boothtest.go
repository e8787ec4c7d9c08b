// Package boothtest has fakes for the booth's parts, so that a booth runs
// with no camera, model or window: eyes that see what they are told, and
// a clip of given frame times for a booth on clip time.
package boothtest

import (
	"sync"
	"time"

	"github.com/carrierarcade/kiosk/booth"
	"github.com/carrierarcade/kiosk/sight"
)

// Eyes are a pipeline that sees what it is told (booth.Eyes). Safe for
// concurrent use: a test may change what they see while a booth runs.
type Eyes struct {
	mu           sync.Mutex
	obs          sight.Observation
	name         string
	recalibrated int
}

// NewEyes sees obs, from a source called name.
func NewEyes(name string, obs sight.Observation) *Eyes {
	e := &Eyes{name: name}
	e.obs.CopyFrom(&obs)
	return e
}

// See makes the eyes see obs from now on.
func (e *Eyes) See(obs sight.Observation) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.obs.CopyFrom(&obs)
}

// Observe copies what the eyes see; the status says the source delivers.
func (e *Eyes) Observe(dst *sight.Observation, st *sight.Status) {
	e.mu.Lock()
	defer e.mu.Unlock()
	dst.CopyFrom(&e.obs)
	if st != nil {
		*st = e.status()
	}
}

// Status says a frame came just now.
func (e *Eyes) Status() sight.Status {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.status()
}

func (e *Eyes) status() sight.Status { return sight.Status{CapturedAt: time.Now()} }

// SeesObjects is always true.
func (e *Eyes) SeesObjects() bool { return true }

// SourceName is the name given.
func (e *Eyes) SourceName() string { return e.name }

// Recalibrate counts the presenter's re-calibrations.
func (e *Eyes) Recalibrate() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.recalibrated++
}

// Recalibrated is how many times Recalibrate was called.
func (e *Eyes) Recalibrated() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.recalibrated
}

// Clip is a booth.Feed of frames at a steady rate: Frames frames FPS a
// second apart, then booth.ErrEnded (Frames 0: it never ends).
type Clip struct {
	FPS    float64
	Frames int
	next   int
}

// Next is the next frame's number and time.
func (c *Clip) Next() (sight.Frame, error) {
	if c.Frames > 0 && c.next >= c.Frames {
		return sight.Frame{}, booth.ErrEnded
	}
	c.next++
	return sight.Frame{Seq: uint64(c.next), Time: time.Duration(float64(c.next-1) / c.FPS * float64(time.Second)), W: 640, H: 480}, nil
}
