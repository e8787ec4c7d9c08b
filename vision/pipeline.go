package vision

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/carrierarcade/kiosk/internal/check"
	"github.com/carrierarcade/kiosk/internal/meter"
	"github.com/carrierarcade/kiosk/model"
	"gocv.io/x/gocv"
)

// Budget is how much work the kiosk does each second. The power policy
// changes it at run time; the game's logic rate never changes.
type Budget struct {
	DrawFPS  float64 `toml:"draw_fps"`  // frames drawn per second
	ObjectHz float64 `toml:"object_hz"` // object detections per second
	FaceHz   float64 `toml:"face_hz"`   // face detections per second
	MotionHz float64 `toml:"motion_hz"` // motion measurements per second
}

// DefaultBudget is the full-power budget.
func DefaultBudget() Budget {
	return Budget{DrawFPS: 60, ObjectHz: 15, FaceHz: 10, MotionHz: 30}
}

// Validate reports every bad value, keyed relative to [budget].
func (b Budget) Validate() check.Problems {
	var ps check.Problems
	ps.Range("draw_fps", b.DrawFPS, 1, 240)
	ps.Range("object_hz", b.ObjectHz, 0, 60)
	ps.Range("face_hz", b.FaceHz, 0, 60)
	ps.Range("motion_hz", b.MotionHz, 0, 120)
	return ps
}

// Observation is what the game knows about the scene: the newest frame,
// and the latest result of each detector and of motion, each with the frame
// it was measured on so the game can tell how old it is.
type Observation struct {
	Frame FrameInfo // newest frame captured

	Objects       []model.Detection
	ObjectsFrame  FrameInfo
	ObjectTimings model.Timings

	Faces       []model.Detection
	FacesFrame  FrameInfo
	FaceTimings model.Timings

	// Tracks give the detections stable IDs across frames (objects and
	// faces separately).
	ObjectTracks []model.Track
	FaceTracks   []model.Track
	// Player is the primary player: the tracked person the games follow,
	// else the tracked face; HasPlayer is false when nobody qualifies.
	Player    model.Track
	HasPlayer bool
	// TrackTime is how long the last object tracking step took.
	TrackTime time.Duration

	Motion      MotionGrid
	MotionFrame FrameInfo

	ObjectRate float64 // measured object inferences per second
	FaceRate   float64 // measured face inferences per second
	CameraRate float64 // measured frames captured per second
	Ended      bool    // the source is a clip that has played to its end
	SourceErr  error   // why the source stopped, if it has
}

// CopyFrom copies src into o, reusing o's slices.
func (o *Observation) CopyFrom(src *Observation) {
	objects, faces, motion := o.Objects[:0], o.Faces[:0], o.Motion
	otracks, ftracks := o.ObjectTracks[:0], o.FaceTracks[:0]
	*o = *src
	o.Objects = append(objects, src.Objects...)
	o.Faces = append(faces, src.Faces...)
	o.ObjectTracks = append(otracks, src.ObjectTracks...)
	o.FaceTracks = append(ftracks, src.FaceTracks...)
	o.Motion = motion
	o.Motion.CopyFrom(&src.Motion)
}

// Pipeline runs object detection, face detection and motion off the game
// loop, each in its own goroutine at the rate the budget allows, always on
// the newest frame. When a stage is slower than the camera, frames are
// skipped, never queued.
type Pipeline struct {
	cap     *Capture
	objects model.Detector // nil when disabled
	faces   model.Detector // nil when disabled
	motion  *Motion
	mirror  bool

	objectTracker *model.Tracker
	faceTracker   *model.Tracker

	mu         sync.Mutex
	obs        Observation
	budget     Budget
	objectRate meter.Rate
	faceRate   meter.Rate
	changed    chan struct{} // budget changed: wake sleeping stages
	detectErr  error
	// Each tracker's primary, as of its last update (trackers themselves
	// belong to their stage's goroutine).
	personPrimary, facePrimary       model.Track
	hasPersonPrimary, hasFacePrimary bool

	// Owned by one stage each (its goroutine, or Step's caller).
	objectBuf, faceBuf                 []model.Detection
	nextObjects, nextFaces, nextMotion time.Duration
	recalibrate                        atomic.Bool

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// PipelineParts are what a pipeline runs; detectors may be nil.
type PipelineParts struct {
	Objects, Faces model.Detector
	Motion         *Motion
	Mirror         bool // motion grid in mirrored (selfie) coordinates
}

// NewPipeline makes a pipeline over a capture. Start runs it in the
// background; Step drives it by hand (headless runs on clip time), and then
// the capture may be nil.
func NewPipeline(c *Capture, parts PipelineParts, b Budget) *Pipeline {
	return &Pipeline{cap: c, objects: parts.Objects, faces: parts.Faces, motion: parts.Motion,
		mirror: parts.Mirror, budget: b, changed: make(chan struct{}, 3),
		objectTracker: model.NewTracker(model.DefaultTrackerConfig()),
		faceTracker:   model.NewTracker(model.DefaultTrackerConfig())}
}

// Start runs each stage in its own goroutine until ctx ends or Stop.
func (p *Pipeline) Start(ctx context.Context) {
	ctx, p.cancel = context.WithCancel(ctx)
	if p.objects != nil {
		p.wg.Add(1)
		go p.stage(ctx, func(b Budget) float64 { return b.ObjectHz }, p.detectObjects)
	}
	if p.faces != nil {
		p.wg.Add(1)
		go p.stage(ctx, func(b Budget) float64 { return b.FaceHz }, p.detectFaces)
	}
	if p.motion != nil {
		p.wg.Add(1)
		go p.stage(ctx, func(b Budget) float64 { return b.MotionHz }, p.measureMotion)
	}
}

// Stop ends the stages and waits for them.
func (p *Pipeline) Stop() {
	if p.cancel != nil {
		p.cancel()
	}
	p.wg.Wait()
}

// SetBudget changes the rates at once, without restarting anything.
func (p *Pipeline) SetBudget(b Budget) {
	p.mu.Lock()
	p.budget = b
	p.mu.Unlock()
	for i := 0; i < cap(p.changed); i++ {
		select {
		case p.changed <- struct{}{}:
		default:
		}
	}
}

// DetectsObjects is true when the pipeline has an object detector.
func (p *Pipeline) DetectsObjects() bool { return p.objects != nil }

// Budget is the budget in force.
func (p *Pipeline) Budget() Budget {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.budget
}

// Observe copies the latest observation into dst. It never waits for a
// detector: it only takes a lock held for copies.
func (p *Pipeline) Observe(dst *Observation) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	p.obs.ObjectRate = p.objectRate.Value(now)
	p.obs.FaceRate = p.faceRate.Value(now)
	if p.cap != nil { // without a capture, Step keeps Frame up to date
		p.obs.Frame = p.cap.Info()
		p.obs.CameraRate = p.cap.FPS()
		p.obs.SourceErr = p.cap.Err()
		p.obs.Ended = p.cap.Ended()
	}
	dst.CopyFrom(&p.obs)
}

// stage runs one measurement on the newest frame, at most hz times a
// second, until ctx ends or the source stops.
func (p *Pipeline) stage(ctx context.Context, hz func(Budget) float64, run func(gocv.Mat, FrameInfo)) {
	defer p.wg.Done()
	frame := gocv.NewMat()
	defer frame.Close()
	sub := p.cap.Subscribe()
	var last uint64
	var next time.Time
	timer := time.NewTimer(0)
	defer timer.Stop()
	for ctx.Err() == nil {
		r := hz(p.Budget())
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
	p.obs.Frame = info
	p.mu.Unlock()
	b := p.Budget()
	due := func(next *time.Duration, hz float64) bool {
		if hz <= 0 || info.Time < *next {
			return false
		}
		period := time.Duration(float64(time.Second) / hz)
		*next = max(*next+period, info.Time)
		return true
	}
	if p.objects != nil && due(&p.nextObjects, b.ObjectHz) {
		p.detectObjects(frame, info)
	}
	if p.faces != nil && due(&p.nextFaces, b.FaceHz) {
		p.detectFaces(frame, info)
	}
	if p.motion != nil && due(&p.nextMotion, b.MotionHz) {
		p.measureMotion(frame, info)
	}
}

func (p *Pipeline) detectObjects(frame gocv.Mat, info FrameInfo) {
	var err error
	p.objectBuf, err = p.objects.Detect(frame, p.objectBuf)
	t0 := time.Now()
	var tracks []model.Track
	var primary model.Track
	var hasPrimary bool
	if err == nil {
		tracks = p.objectTracker.Update(p.objectBuf, info.W, info.H)
		primary, hasPrimary = p.objectTracker.Primary()
	}
	trackTime := time.Since(t0)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.publish(err, p.objectBuf, info, p.objects.Timings(), &p.obs.Objects, &p.obs.ObjectsFrame, &p.obs.ObjectTimings, &p.objectRate)
	if err == nil {
		p.obs.ObjectTracks = append(p.obs.ObjectTracks[:0], tracks...)
		p.obs.TrackTime = trackTime
		p.personPrimary, p.hasPersonPrimary = primary, hasPrimary
		p.choosePlayer()
	}
}

func (p *Pipeline) detectFaces(frame gocv.Mat, info FrameInfo) {
	var err error
	p.faceBuf, err = p.faces.Detect(frame, p.faceBuf)
	var tracks []model.Track
	var primary model.Track
	var hasPrimary bool
	if err == nil {
		tracks = p.faceTracker.Update(p.faceBuf, info.W, info.H)
		primary, hasPrimary = p.faceTracker.Primary()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.publish(err, p.faceBuf, info, p.faces.Timings(), &p.obs.Faces, &p.obs.FacesFrame, &p.obs.FaceTimings, &p.faceRate)
	if err == nil {
		p.obs.FaceTracks = append(p.obs.FaceTracks[:0], tracks...)
		p.facePrimary, p.hasFacePrimary = primary, hasPrimary
		p.choosePlayer()
	}
}

// choosePlayer names the player: the object tracker's primary person, or
// else the face tracker's primary face. Called with p.mu held.
func (p *Pipeline) choosePlayer() {
	if p.hasPersonPrimary {
		p.obs.Player, p.obs.HasPlayer = p.personPrimary, true
		return
	}
	p.obs.Player, p.obs.HasPlayer = p.facePrimary, p.hasFacePrimary
}

// publish copies a stage's result into the shared observation, with p.mu
// held. Detection runs outside the lock; only this copy happens under it.
func (p *Pipeline) publish(err error, dets []model.Detection, info FrameInfo, t model.Timings,
	out *[]model.Detection, outFrame *FrameInfo, outTimes *model.Timings, r *meter.Rate) {
	r.Tick(time.Now())
	if err != nil {
		p.detectErr = err // a frame the detector could not take; the next one may do
		return
	}
	*out = append((*out)[:0], dets...)
	*outFrame = info
	*outTimes = t
}

func (p *Pipeline) measureMotion(frame gocv.Mat, info FrameInfo) {
	if p.recalibrate.Swap(false) {
		p.motion.Recalibrate(info.Time)
	}
	g := p.motion.Update(frame, info.Time, p.mirror)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.obs.Motion.CopyFrom(g)
	p.obs.MotionFrame = info
}

// Recalibrate asks motion to learn the noise floor again, from its next
// measurement on.
func (p *Pipeline) Recalibrate() { p.recalibrate.Store(true) }

// DetectErr is the last error a detector returned, if any.
func (p *Pipeline) DetectErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.detectErr
}
