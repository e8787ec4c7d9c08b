package vision

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/carrierarcade/kiosk/sight"

	"github.com/carrierarcade/kiosk/internal/meter"
	"github.com/carrierarcade/kiosk/model"
	"gocv.io/x/gocv"
)

// Rates are how often each stage runs, at most, per second: the budget
// decides them (package budget) and may change them at any time.
type Rates struct {
	ObjectHz float64 // object detections
	FaceHz   float64 // face detections
	MotionHz float64 // motion measurements
}

// Pipeline runs object detection, face detection and motion off the game
// loop, each in its own goroutine at the rate the budget allows, always on
// the newest frame. When a stage is slower than the camera, frames are
// skipped, never queued.
type Pipeline struct {
	cap     *Capture
	objects *detection // nil when disabled
	faces   *detection // nil when disabled
	motion  *Motion
	mirror  bool

	log *slog.Logger
	ran func(detector string, t sight.Timings, err error)

	mu      sync.Mutex
	obs     sight.Observation
	status  sight.Status
	rates   Rates
	changed chan struct{} // rates changed: wake sleeping stages

	// Owned by the motion stage (its goroutine, or Step's caller).
	nextMotion  time.Duration
	recalibrate atomic.Bool

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// PipelineParts are what a pipeline runs; detectors may be nil.
type PipelineParts struct {
	Objects, Faces model.Detector
	Motion         *Motion
	Mirror         bool         // motion grid in mirrored (selfie) coordinates
	Log            *slog.Logger // where a detector's failures are told; nil: nowhere
	// Ran, when set, hears of each detector run ("objects", "faces"): its
	// timings when it worked, err when it failed (metrics). It is called
	// on the detector's goroutine, outside the pipeline's lock: keep it
	// quick.
	Ran func(detector string, t sight.Timings, err error)
}

// NewPipeline makes a pipeline over a capture. Start runs it in the
// background; Step drives it by hand (headless runs on clip time), and then
// the capture may be nil.
func NewPipeline(c *Capture, parts PipelineParts, r Rates) *Pipeline {
	p := &Pipeline{cap: c, motion: parts.Motion, mirror: parts.Mirror, log: parts.Log, ran: parts.Ran,
		rates: r, changed: make(chan struct{}, 3)}
	if parts.Objects != nil {
		p.objects = newDetection("objects", parts.Objects, func(r Rates) float64 { return r.ObjectHz },
			&p.obs.Objects, &p.obs.ObjectsFrame, &p.obs.ObjectTracks, &p.status.Objects)
	}
	if parts.Faces != nil {
		p.faces = newDetection("faces", parts.Faces, func(r Rates) float64 { return r.FaceHz },
			&p.obs.Faces, &p.obs.FacesFrame, &p.obs.FaceTracks, &p.status.Faces)
	}
	return p
}

// detection is one detector's stage: the detector, its tracker and scratch
// space (owned by the stage's goroutine), and where it publishes into the
// observation (under p.mu).
type detection struct {
	name    string // "objects" or "faces", for the log
	det     model.Detector
	hz      func(Rates) float64
	tracker *model.Tracker
	buf     []sight.Detection
	next    time.Duration // Step's schedule, in source time

	// Under p.mu.
	rate       meter.Rate
	primary    sight.Track
	hasPrimary bool
	dets       *[]sight.Detection
	frame      *sight.Frame
	tracks     *[]sight.Track
	status     *sight.DetectorStatus
}

func newDetection(name string, d model.Detector, hz func(Rates) float64, dets *[]sight.Detection,
	frame *sight.Frame, tracks *[]sight.Track, status *sight.DetectorStatus) *detection {
	dt := &detection{name: name, det: d, hz: hz, tracker: model.NewTracker(model.DefaultTrackerConfig()),
		dets: dets, frame: frame, tracks: tracks, status: status}
	status.On = true
	return dt
}

// Start runs each stage in its own goroutine until ctx ends or Stop.
func (p *Pipeline) Start(ctx context.Context) {
	ctx, p.cancel = context.WithCancel(ctx)
	for _, d := range []*detection{p.objects, p.faces} {
		if d != nil {
			p.wg.Add(1)
			go p.stage(ctx, d.hz, func(frame gocv.Mat, info FrameInfo) { p.detect(d, frame, info) })
		}
	}
	if p.motion != nil {
		p.wg.Add(1)
		go p.stage(ctx, func(r Rates) float64 { return r.MotionHz }, p.measureMotion)
	}
}

// Stop ends the stages and waits for them.
func (p *Pipeline) Stop() {
	if p.cancel != nil {
		p.cancel()
	}
	p.wg.Wait()
}

// SetRates changes the rates at once, without restarting anything.
func (p *Pipeline) SetRates(r Rates) {
	p.mu.Lock()
	p.rates = r
	p.mu.Unlock()
	for i := 0; i < cap(p.changed); i++ {
		select {
		case p.changed <- struct{}{}:
		default:
		}
	}
}

// Rates are the rates in force.
func (p *Pipeline) Rates() Rates {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rates
}

// Observe copies the latest observation into dst and, when st is not nil,
// how the pipeline is doing into st. It never waits for a detector: it only
// takes a lock held for copies.
func (p *Pipeline) Observe(dst *sight.Observation, st *sight.Status) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refreshStatus()
	dst.CopyFrom(&p.obs)
	if st != nil {
		*st = p.status
	}
}

// Status is how the pipeline is doing, without the observation: for
// metrics read from another goroutine. Like Observe it only takes a lock
// held for copies.
func (p *Pipeline) Status() sight.Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refreshStatus()
	return p.status
}

// refreshStatus brings the measured rates and the capture's state up to
// date. Called with p.mu held.
func (p *Pipeline) refreshStatus() {
	now := time.Now()
	for _, d := range []*detection{p.objects, p.faces} {
		if d != nil {
			d.status.Rate = d.rate.Value(now)
		}
	}
	if p.cap != nil { // without a capture, Step keeps Frame up to date
		info := p.cap.Info()
		p.obs.Frame, p.status.CapturedAt = info.Frame, info.CapturedAt
		p.status.CameraRate = p.cap.FPS()
		p.status.SourceErr = p.cap.Err()
		p.status.Ended = p.cap.Ended()
	}
}

// stage runs one measurement on the newest frame, at most hz times a
// second, until ctx ends or the source stops.
func (p *Pipeline) stage(ctx context.Context, hz func(Rates) float64, run func(gocv.Mat, FrameInfo)) {
	defer p.wg.Done()
	frame := gocv.NewMat()
	defer frame.Close()
	sub := p.cap.Subscribe()
	var last uint64
	var next time.Time
	timer := time.NewTimer(0)
	defer timer.Stop()
	for ctx.Err() == nil {
		r := hz(p.Rates())
		if r <= 0 {
			// Switched off by the budget: sleep until it changes.
			select {
			case <-ctx.Done():
			case <-p.changed:
			}
			continue
		}
		if wait := time.Until(next); wait > 0 {
			timer.Reset(wait)
			select {
			case <-ctx.Done():
				return
			case <-p.changed:
				next = time.Time{}
				continue
			case <-timer.C:
			}
		}
		info, ok := p.cap.Latest(&frame, last)
		if !ok {
			if p.cap.Err() != nil {
				return
			}
			select {
			case <-ctx.Done():
			case <-sub:
			}
			continue
		}
		last = info.Seq
		next = time.Now().Add(time.Duration(float64(time.Second) / r))
		run(frame, info)
	}
}

// Step runs, on this frame and in this goroutine, every stage that is due
// at the frame's source time. Headless runs (simulation, benchmarks) use it
// instead of Start so that results follow clip time, not the wall clock.
func (p *Pipeline) Step(frame gocv.Mat, info FrameInfo) {
	p.mu.Lock()
	p.obs.Frame, p.status.CapturedAt = info.Frame, info.CapturedAt
	p.mu.Unlock()
	r := p.Rates()
	due := func(next *time.Duration, hz float64) bool {
		if hz <= 0 || info.Time < *next {
			return false
		}
		period := time.Duration(float64(time.Second) / hz)
		*next = max(*next+period, info.Time)
		return true
	}
	for _, d := range []*detection{p.objects, p.faces} {
		if d != nil && due(&d.next, d.hz(r)) {
			p.detect(d, frame, info)
		}
	}
	if p.motion != nil && due(&p.nextMotion, r.MotionHz) {
		p.measureMotion(frame, info)
	}
}

// detect runs one detector and its tracker on a frame, outside the lock,
// then publishes the result under it. A failed run publishes nothing but
// its error: the last good detections stay, and the rate counts only good
// runs.
func (p *Pipeline) detect(d *detection, frame gocv.Mat, info FrameInfo) {
	var err error
	d.buf, err = d.det.Detect(frame, d.buf)
	t0 := time.Now()
	var tracks []sight.Track
	var primary sight.Track
	var hasPrimary bool
	var timings sight.Timings
	if err == nil {
		timings = d.det.Timings()
		tracks = d.tracker.Update(d.buf, info.W, info.H)
		primary, hasPrimary = d.tracker.Primary()
	}
	trackTime := time.Since(t0)
	if p.ran != nil {
		// Deferred before the lock is taken, so it runs once the lock is
		// released.
		defer p.ran(d.name, timings, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if changed := (err == nil) != (d.status.Err == nil); changed || (err != nil && err.Error() != d.status.Err.Error()) {
		p.reportDetector(d.name, err)
	}
	d.status.Err = err
	if err != nil {
		d.status.Failures++
		return
	}
	d.rate.Tick(time.Now())
	*d.dets = append((*d.dets)[:0], d.buf...)
	*d.frame = info.Frame
	d.status.Timings = timings
	*d.tracks = append((*d.tracks)[:0], tracks...)
	d.primary, d.hasPrimary = primary, hasPrimary
	if d == p.objects {
		p.status.TrackTime = trackTime
	}
	p.choosePlayer()
}

// choosePlayer names the player: the object tracker's primary person, or
// else the face tracker's primary face. Called with p.mu held.
func (p *Pipeline) choosePlayer() {
	p.obs.Player, p.obs.HasPlayer = sight.Track{}, false
	for _, d := range []*detection{p.objects, p.faces} {
		if d != nil && d.hasPrimary {
			p.obs.Player, p.obs.HasPlayer = d.primary, true
			return
		}
	}
}

func (p *Pipeline) measureMotion(frame gocv.Mat, info FrameInfo) {
	if p.recalibrate.Swap(false) {
		p.motion.Recalibrate(info.Time)
	}
	t0 := time.Now()
	g := p.motion.Update(frame, info.Time, p.mirror)
	took := time.Since(t0)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.status.MotionTime = took
	p.obs.Motion.CopyFrom(g)
	p.obs.MotionFrame = info.Frame
}

// Recalibrate asks motion to learn the noise floor again, from its next
// measurement on.
func (p *Pipeline) Recalibrate() { p.recalibrate.Store(true) }

// reportDetector logs a detector's change of health, once per change:
// failing (with why), or working again. A nil log (tests) stays quiet.
func (p *Pipeline) reportDetector(name string, err error) {
	if p.log == nil {
		return
	}
	if err != nil {
		p.log.Error("detector failing: the games see its last good result", "detector", name, "err", err)
	} else {
		p.log.Info("detector working again", "detector", name)
	}
}

// Picture copies the newest frame, as RGBA, into dst when it is newer than
// frame number after (the window's picture; see Capture.LatestRGBA).
func (p *Pipeline) Picture(dst []byte, after uint64) (sight.Frame, bool) {
	info, ok := p.cap.LatestRGBA(dst, after)
	return info.Frame, ok
}

// PictureSize is the newest frame's number and size.
func (p *Pipeline) PictureSize() sight.Frame { return p.cap.Info().Frame }

// SeesObjects is true while the object detector runs.
func (p *Pipeline) SeesObjects() bool { return p.objects != nil && p.Rates().ObjectHz > 0 }

// SourceName names the camera or clip.
func (p *Pipeline) SourceName() string { return p.cap.Source().Name() }
