package vision

import (
	"errors"
	"sync"
	"time"

	"github.com/carrierarcade/kiosk/sight"
	"gocv.io/x/gocv"
)

// Stepper is a source read on clip time: each Next reads one frame in the
// caller's goroutine and runs the pipeline's stages due at its time
// (Pipeline.Step), so that a headless run or a timedemo follows the clip's
// own time however fast or slow the machine is. It keeps the frame for the
// screen as Capture does, and is the booth's eyes in place of the
// pipeline, adding what a capture would tell (the source's end).
type Stepper struct {
	src  FrameSource
	pipe *Pipeline

	frame, rgba gocv.Mat // owned by Next's goroutine but for rgba's copy
	seq         uint64
	keep        bool // keep each frame's RGBA for Picture

	mu    sync.Mutex
	info  FrameInfo
	pixel []byte // the newest frame as RGBA, when kept
	err   error  // why reading stopped
}

// NewStepper steps src through pipe (made without a capture). With
// picture, each frame is also kept as RGBA for a screen (Picture).
func NewStepper(src FrameSource, pipe *Pipeline, picture bool) *Stepper {
	return &Stepper{src: src, pipe: pipe, frame: gocv.NewMat(), rgba: gocv.NewMat(), keep: picture}
}

// Next reads the next frame and runs the pipeline on it. ErrEnd: the clip
// has played to its end.
func (s *Stepper) Next() (FrameInfo, error) {
	t, err := s.src.Read(&s.frame)
	if err != nil {
		s.mu.Lock()
		s.err = err
		s.mu.Unlock()
		return FrameInfo{}, err
	}
	s.seq++
	// CapturedAt is wall time, for the probes and a frame's age only: the
	// rules never read it, so the games stay on clip time.
	info := FrameInfo{Frame: sight.Frame{Seq: s.seq, Time: t, W: s.frame.Cols(), H: s.frame.Rows()}, CapturedAt: time.Now()}
	s.pipe.Step(s.frame, info)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.info = info
	if s.keep {
		gocv.CvtColor(s.frame, &s.rgba, gocv.ColorBGRToRGBA)
		data, err := s.rgba.DataPtrUint8()
		if err == nil {
			s.pixel = append(s.pixel[:0], data...)
		}
	}
	return info, nil
}

// Picture copies the newest frame, as RGBA, into dst when it is newer than
// frame number after (see Pipeline.Picture).
func (s *Stepper) Picture(dst []byte, after uint64) (sight.Frame, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.info.Seq == 0 || s.info.Seq <= after || len(dst) < len(s.pixel) {
		return s.info.Frame, false
	}
	copy(dst, s.pixel)
	return s.info.Frame, true
}

// PictureSize is the newest frame's number and size.
func (s *Stepper) PictureSize() sight.Frame {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.info.Frame
}

// Observe is the pipeline's observation and status, with the source's end.
func (s *Stepper) Observe(dst *sight.Observation, st *sight.Status) {
	s.pipe.Observe(dst, st)
	if st != nil {
		s.patch(st)
	}
}

// Status is the pipeline's status with the source's end.
func (s *Stepper) Status() sight.Status {
	st := s.pipe.Status()
	s.patch(&st)
	return st
}

func (s *Stepper) patch(st *sight.Status) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st.SourceErr = s.err
	st.Ended = errors.Is(s.err, ErrEnd)
}

// SeesObjects is true while the object detector runs.
func (s *Stepper) SeesObjects() bool { return s.pipe.objects != nil && s.pipe.Rates().ObjectHz > 0 }

// SourceName names the clip.
func (s *Stepper) SourceName() string { return s.src.Name() }

// Recalibrate has motion learn its noise floor again.
func (s *Stepper) Recalibrate() { s.pipe.Recalibrate() }

// Close frees the frames; the source and pipeline are their opener's.
func (s *Stepper) Close() {
	s.frame.Close()
	s.rgba.Close()
}
