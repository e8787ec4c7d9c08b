package vision

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/carrierarcade/kiosk/internal/check"
	"gocv.io/x/gocv"
)

// WatchdogConfig is the [watchdog] section of config.toml.
type WatchdogConfig struct {
	// StallSeconds without a frame and the source counts as stalled.
	StallSeconds float64 `toml:"stall_seconds"`
	// RepeatSeconds of the very same picture and the source counts as
	// frozen: RepeatSeconds*FPS identical frames in a row.
	RepeatSeconds float64 `toml:"repeat_seconds"`
	// BackoffSeconds is the first wait before reopening a lost source; it
	// doubles after each try that fails, up to MaxBackoffSeconds.
	BackoffSeconds    float64 `toml:"backoff_seconds"`
	MaxBackoffSeconds float64 `toml:"max_backoff_seconds"`
}

// DefaultWatchdogConfig notices a lost camera within 3 seconds and tries it
// again after 1, 2, 4 ... up to 30 seconds.
func DefaultWatchdogConfig() WatchdogConfig {
	return WatchdogConfig{StallSeconds: 3, RepeatSeconds: 3, BackoffSeconds: 1, MaxBackoffSeconds: 30}
}

// Validate reports every bad value, keyed relative to [watchdog].
func (c WatchdogConfig) Validate() check.Problems {
	var ps check.Problems
	ps.Range("stall_seconds", c.StallSeconds, 0.5, 60)
	ps.Range("repeat_seconds", c.RepeatSeconds, 0.5, 600)
	ps.Range("backoff_seconds", c.BackoffSeconds, 0.1, 60)
	if c.MaxBackoffSeconds < c.BackoffSeconds && c.MaxBackoffSeconds >= 0.1 {
		ps.Addf("max_backoff_seconds", "is %v, less than backoff_seconds (%v)", c.MaxBackoffSeconds, c.BackoffSeconds)
	} else {
		ps.Range("max_backoff_seconds", c.MaxBackoffSeconds, 0.1, 600)
	}
	return ps
}

// sanitized replaces values a Watchdog cannot work with (zero, negative,
// NaN) by their defaults and caps huge ones. It keeps values below
// Validate's minimums: tests use short times.
func (c WatchdogConfig) sanitized() WatchdogConfig {
	d := DefaultWatchdogConfig()
	fix := func(v, def, hi float64) float64 {
		if !(v > 0) { // NaN too
			return def
		}
		return min(v, hi)
	}
	c.StallSeconds = fix(c.StallSeconds, d.StallSeconds, 60)
	c.RepeatSeconds = fix(c.RepeatSeconds, d.RepeatSeconds, 600)
	c.BackoffSeconds = fix(c.BackoffSeconds, d.BackoffSeconds, 60)
	c.MaxBackoffSeconds = max(fix(c.MaxBackoffSeconds, d.MaxBackoffSeconds, 600), c.BackoffSeconds)
	return c
}

// Clock is the time source, injected so tests run fast.
type Clock interface {
	Now() time.Time
	// Sleep waits for d, or returns ctx.Err() as soon as ctx is done.
	Sleep(ctx context.Context, d time.Duration) error
}

type systemClock struct{}

// SystemClock is the wall clock.
func SystemClock() Clock { return systemClock{} }

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// CameraState is what the operator overlay and logs show.
type CameraState struct {
	Live       bool      // frames are flowing
	Outages    int       // times the source was lost
	Recoveries int       // times it came back
	Reason     string    // why it was last lost ("read error: ...", "stalled for 3s", "same picture for 3s", "the clip ended")
	Since      time.Time // when the current state began (Watchdog's clock)
	// Off is true while the camera is turned off (see Switch): its device
	// is closed and a stand-in plays. OffBy says who turned it last ("key
	// K", "source.enabled = false"), Turned when (zero: never).
	Off    bool
	OffBy  string
	Turned time.Time
	// StandIn is true while the demo reel plays in the camera's place:
	// the camera is off, or it could not be opened when it was turned on.
	StandIn bool
}

// errWatchdogClosed is what Read returns once Close has been called.
var errWatchdogClosed = errors.New("vision: camera watchdog closed")

// closeGrace is how long Close waits for the sources to be closed. A read
// stuck in a driver cannot be interrupted; its goroutine closes its source
// when the read returns.
const closeGrace = 200 * time.Millisecond

// maxStuck is how many abandoned reads may still be stuck in their drivers
// before the watchdog stops opening the source again (each holds a source
// open until its read returns).
const maxStuck = 3

// Watchdog wraps a source that can be (re)opened and is a FrameSource
// itself. Its Read returns only once it has a good frame (or the context
// ends, or Close is called): when the source fails, stalls or repeats the
// same picture it is closed and opened again with backoff, and CameraState
// tells the operator. Read is meant for one goroutine (the capture loop);
// State, OnChange and Close may be called from any.
type Watchdog struct {
	parent context.Context
	ctx    context.Context // ends with parent, or on Close
	cancel context.CancelFunc
	open   func() (FrameSource, error)
	cfg    WatchdogConfig
	clk    Clock
	log    *slog.Logger
	// clipEnds counts the passes of a clip that does not loop; only the
	// first is logged at info. Read's goroutine only.
	clipEnds int
	seed     maphash.Seed

	stall     time.Duration
	closeOnce sync.Once

	// Read's own state.
	readMu  sync.Mutex
	cur     *sourceReader // nil while the source is lost
	timer   *time.Timer   // the stall timeout, real time
	backoff time.Duration // next wait before reopening
	prev    fingerprint   // of the last frame read
	repeats int           // frames in a row equal to the one before
	times   frameClock    // frame times that go on across reopens

	mu       sync.Mutex
	state    CameraState
	onChange func(CameraState)
	name     string
	fps      float64
	live     bool
	readers  []*sourceReader // whose goroutines still run
}

// sourceReader is one opened source and the goroutine that reads it, so
// that a read stuck in C code cannot hold up Watchdog.Read. The goroutine
// owns src and frame; frame is handed to Read from a result until the next
// request (or quit).
type sourceReader struct {
	src   FrameSource
	name  string
	fps   float64
	frame gocv.Mat
	first bool // no frame returned from this source yet (Read's)

	req  chan struct{} // Read asks for the next frame
	res  chan readResult
	quit chan struct{} // closed when the watchdog gives up the source
	done chan struct{} // closed once the source is closed

	fmu      sync.Mutex // held while Read copies frame, and to close it
	gone     bool       // frame and src are closed (under fmu)
	closeErr error      // from src.Close, set before done closes
}

type readResult struct {
	t     time.Duration
	print fingerprint
	err   error
}

// fingerprint identifies a picture: equal fingerprints mean byte-identical
// frames (up to hash collisions), which is what a frozen driver hands out.
// A live camera's sensor noise changes some bytes of every frame, even of a
// still scene, so an exact comparison tells the two apart where a
// thumbnail, which averages the noise away, cannot.
type fingerprint struct {
	ok         bool
	rows, cols int
	typ        gocv.MatType
	sum        uint64
}

func (w *Watchdog) fingerprint(m *gocv.Mat) fingerprint {
	if m.Empty() {
		return fingerprint{}
	}
	data, err := m.DataPtrUint8()
	if err != nil {
		return fingerprint{} // not continuous: never counts as a repeat
	}
	return fingerprint{ok: true, rows: m.Rows(), cols: m.Cols(), typ: m.Type(), sum: maphash.Bytes(w.seed, data)}
}

// NewWatchdog opens the source with open and watches it. When that first
// opening fails the watchdog starts out lost, and Read keeps trying. A nil
// clk is the SystemClock, a nil log discards. Values of cfg that cannot
// work take their defaults; cfg is not otherwise checked (see Validate).
func NewWatchdog(ctx context.Context, open func() (FrameSource, error), cfg WatchdogConfig, clk Clock, log *slog.Logger) *Watchdog {
	if clk == nil {
		clk = SystemClock()
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg = cfg.sanitized()
	w := &Watchdog{parent: ctx, open: open, cfg: cfg, clk: clk, log: log, seed: maphash.MakeSeed(),
		stall: seconds(cfg.StallSeconds), backoff: seconds(cfg.BackoffSeconds), name: "camera (not opened)"}
	w.ctx, w.cancel = context.WithCancel(ctx)
	w.timer = time.NewTimer(time.Hour)
	w.timer.Stop()
	w.state = CameraState{Live: true, Since: clk.Now()}

	src, err := w.tryOpen()
	if err == nil {
		w.start(src)
		return w
	}
	w.state = CameraState{Outages: 1, Reason: "open failed: " + err.Error(), Since: clk.Now()}
	w.log.Warn("camera lost", "source", w.name, "reason", w.state.Reason)
	return w
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// secs formats a config value of seconds: "3s", "0.5s".
func secs(s float64) string { return strconv.FormatFloat(s, 'g', -1, 64) + "s" }

// tryOpen calls open, turning a nil source into an error.
func (w *Watchdog) tryOpen() (FrameSource, error) {
	src, err := w.open()
	if err != nil && src != nil {
		src.Close()
		src = nil
	}
	if err == nil && src == nil {
		err = fmt.Errorf("%w: open returned no source", ErrSource)
	}
	return src, err
}

// start begins reading src in its own goroutine. It takes src over: when
// the watchdog has been closed meanwhile, src is closed at once.
func (w *Watchdog) start(src FrameSource) bool {
	r := &sourceReader{src: src, name: src.Name(), fps: src.FPS(), frame: gocv.NewMat(), first: true,
		req: make(chan struct{}, 1), res: make(chan readResult, 1),
		quit: make(chan struct{}), done: make(chan struct{})}
	live := src.Live()
	w.mu.Lock()
	if w.ctx.Err() != nil {
		w.mu.Unlock()
		r.frame.Close()
		src.Close()
		return false
	}
	w.name, w.fps, w.live = r.name, r.fps, live
	w.readers = append(w.readers, r)
	w.mu.Unlock()
	w.cur = r
	go w.run(r)
	return true
}

// run is a source's reading goroutine: one read per request. It closes
// the source when the watchdog gives it up or ends; when that happens
// during a read stuck in the driver, as soon as the read returns.
func (w *Watchdog) run(r *sourceReader) {
	defer func() {
		r.fmu.Lock()
		r.gone = true
		r.frame.Close()
		r.closeErr = r.src.Close()
		r.fmu.Unlock()
		w.mu.Lock()
		for i, o := range w.readers {
			if o == r {
				w.readers = append(w.readers[:i], w.readers[i+1:]...)
				break
			}
		}
		w.mu.Unlock()
		close(r.done)
	}()
	for {
		select {
		case <-r.req:
		case <-r.quit:
			return
		case <-w.ctx.Done():
			return
		}
		t, err := r.src.Read(&r.frame)
		res := readResult{t: t, err: err}
		if err == nil {
			res.print = w.fingerprint(&r.frame)
		}
		r.res <- res // never blocks: one result per request
	}
}

// cause is what Read returns once the watchdog has ended.
func (w *Watchdog) cause() error {
	if err := w.parent.Err(); err != nil {
		return err
	}
	return errWatchdogClosed
}

// Read writes the next good frame into dst and returns its time, which
// keeps growing across reopenings. Meanwhile it notices and handles every
// failure of the source; it returns an error only when the context ends
// (ctx.Err()) or the watchdog is closed.
func (w *Watchdog) Read(dst *gocv.Mat) (time.Duration, error) {
	w.readMu.Lock()
	defer w.readMu.Unlock()
	for {
		if w.ctx.Err() != nil {
			return 0, w.cause()
		}
		if w.cur == nil {
			if err := w.reopen(); err != nil {
				return 0, err
			}
		}
		t, reason, err := w.next(dst)
		if err != nil {
			return 0, err
		}
		if reason != "" {
			close(w.cur.quit)
			w.cur = nil
			w.lost(reason)
			continue
		}
		w.back()
		return t, nil
	}
}

// next reads one frame from the current source. A non-empty reason means
// the source is lost.
func (w *Watchdog) next(dst *gocv.Mat) (time.Duration, string, error) {
	r := w.cur
	r.req <- struct{}{}
	w.timer.Reset(w.stall)
	var res readResult
	select {
	case res = <-r.res:
		w.timer.Stop()
	case <-w.timer.C:
		return 0, "stalled for " + secs(w.cfg.StallSeconds), nil
	case <-w.ctx.Done():
		w.timer.Stop()
		return 0, "", w.cause()
	}
	if errors.Is(res.err, ErrEnd) {
		return 0, clipEnded, nil
	}
	if res.err != nil {
		return 0, "read error: " + res.err.Error(), nil
	}

	if res.print.ok && res.print == w.prev {
		w.repeats++
	} else {
		w.repeats = 0
	}
	w.prev = res.print
	fps := r.fps
	if fps <= 0 {
		fps = 30
	}
	if float64(w.repeats) >= max(1, w.cfg.RepeatSeconds*fps) {
		return 0, "same picture for " + secs(w.cfg.RepeatSeconds), nil
	}

	r.fmu.Lock()
	gone := r.gone
	if !gone {
		r.frame.CopyTo(dst)
	}
	r.fmu.Unlock()
	if gone { // the goroutine ended with the watchdog
		return 0, "", w.cause()
	}
	return w.frameTime(r, res.t, fps), "", nil
}

// frameTime turns a source's frame time into the watchdog's: a reopened
// source starts again at about 0, so its times follow the last frame
// returned (see frameClock).
func (w *Watchdog) frameTime(r *sourceReader, t time.Duration, fps float64) time.Duration {
	restarted := r.first
	r.first = false
	return w.times.next(w.clk.Now(), t, fps, restarted)
}

// frameClock keeps frame times going on when the frames start coming from
// somewhere else (a reopened camera, the other side of a Switch), whose
// times start again at about 0: the first frame of the new source follows
// the last one returned by the time that has passed since (at least a
// frame), and times never go backwards.
type frameClock struct {
	offset    time.Duration // added to the current source's frame times
	lastT     time.Duration // time of the last frame returned
	lastAt    time.Time     // when it was returned
	delivered bool          // a frame has been returned
}

// next is the time of a frame the current source stamped t, read at now;
// restarted marks the first frame of a new source.
func (c *frameClock) next(now time.Time, t time.Duration, fps float64, restarted bool) time.Duration {
	if restarted && c.delivered {
		if fps <= 0 {
			fps = 30
		}
		gap := max(now.Sub(c.lastAt), time.Duration(float64(time.Second)/fps))
		c.offset = c.lastT + gap - t
	}
	out := c.offset + t
	if c.delivered && out <= c.lastT {
		out = c.lastT + time.Nanosecond
	}
	c.lastT, c.lastAt, c.delivered = out, now, true
	return out
}

// reopen waits with backoff and opens the source again, until that works
// or the watchdog ends.
func (w *Watchdog) reopen() error {
	for {
		wait := w.backoff
		if err := w.clk.Sleep(w.ctx, wait); err != nil || w.ctx.Err() != nil {
			return w.cause()
		}
		w.backoff = min(2*w.backoff, seconds(w.cfg.MaxBackoffSeconds))
		if n := w.stuck(); n >= maxStuck {
			w.log.Debug("camera not reopened: earlier reads are still stuck in the driver", "stuck", n, "next_wait", w.backoff)
			continue
		}
		src, err := w.tryOpen()
		if err != nil {
			w.log.Debug("camera reopen failed", "err", err, "waited", wait, "next_wait", w.backoff)
			continue
		}
		if !w.start(src) {
			return w.cause()
		}
		w.log.Debug("camera reopened", "source", w.cur.name, "waited", wait)
		return nil
	}
}

// stuck is how many given-up sources still have a read in progress (called
// while there is no current source).
func (w *Watchdog) stuck() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.readers)
}

// lost records an outage, unless the source is lost already.
func (w *Watchdog) lost(reason string) {
	now := w.clk.Now()
	w.mu.Lock()
	if !w.state.Live {
		w.mu.Unlock()
		w.log.Debug("camera still unavailable", "reason", reason)
		return
	}
	w.state.Live = false
	w.state.Outages++
	w.state.Reason = reason
	w.state.Since = now
	s, f, name := w.state, w.onChange, w.name
	w.mu.Unlock()
	switch {
	case reason != clipEnded:
		w.log.Warn("camera lost", "source", name, "reason", reason)
	case w.clipEnds == 0:
		// A clip that does not loop ends on every pass: said once, not
		// as a camera lost each time.
		w.log.Info("the clip has ended; it is played again after a pause, on every pass (a file:PATH?loop=0 source is a camera that stops)", "source", name)
	default:
		w.log.Debug("the clip has ended again", "source", name)
	}
	if reason == clipEnded {
		w.clipEnds++
	}
	if f != nil {
		f(s)
	}
}

// clipEnded is the reason a clip that does not loop is lost.
const clipEnded = "the clip ended"

// back records a recovery, if the source was lost.
func (w *Watchdog) back() {
	w.mu.Lock()
	if w.state.Live {
		w.mu.Unlock()
		return
	}
	now := w.clk.Now()
	outage := now.Sub(w.state.Since)
	w.state.Live = true
	w.state.Recoveries++
	w.state.Since = now
	s, f, name, why := w.state, w.onChange, w.name, w.state.Reason
	w.mu.Unlock()
	w.backoff = seconds(w.cfg.BackoffSeconds)
	if why == clipEnded {
		w.log.Debug("the clip plays again", "source", name, "pause", outage)
	} else {
		w.log.Info("camera back", "source", name, "outage", outage)
	}
	if f != nil {
		f(s)
	}
}

// State is the camera's current state.
func (w *Watchdog) State() CameraState {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.state
}

// OnChange sets f to be called with the new state each time the source is
// lost or comes back. It is called from Read's goroutine, outside any lock,
// so it should be quick. nil removes it.
func (w *Watchdog) OnChange(f func(s CameraState)) {
	w.mu.Lock()
	w.onChange = f
	w.mu.Unlock()
}

// FPS is the frame rate of the source most recently opened (0 before any).
func (w *Watchdog) FPS() float64 { w.mu.Lock(); defer w.mu.Unlock(); return w.fps }

// Name is the name of the source most recently opened.
func (w *Watchdog) Name() string { w.mu.Lock(); defer w.mu.Unlock(); return w.name }

// Live tells whether the source most recently opened is a camera. It says
// nothing about whether frames flow: see State.
func (w *Watchdog) Live() bool { w.mu.Lock(); defer w.mu.Unlock(); return w.live }

// Close ends the watchdog: a blocked Read returns an error at once, and
// every opened source is closed. Close waits a little for that; a source
// whose read is stuck in its driver is closed by its goroutine as soon as
// the read returns. It returns the sources' Close errors.
func (w *Watchdog) Close() error {
	w.closeOnce.Do(w.cancel)
	w.mu.Lock()
	rs := append([]*sourceReader(nil), w.readers...)
	w.mu.Unlock()
	grace := time.NewTimer(closeGrace)
	defer grace.Stop()
	var errs []error
	waiting := true
	for _, r := range rs {
		if waiting {
			select {
			case <-r.done:
			case <-grace.C:
				waiting = false
			}
		}
		select {
		case <-r.done:
			errs = append(errs, r.closeErr)
		default:
			w.log.Warn("camera read still stuck at close; its source closes when the read returns", "source", r.name)
		}
	}
	return errors.Join(errs...)
}
