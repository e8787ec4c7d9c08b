package vision

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"gocv.io/x/gocv"
)

// OpenSide opens one side of a Switch behind a watchdog: the camera (on)
// or the stand-in that plays while it is off (the demo reel). standIn
// reports whether what it opened plays in the camera's place: always for
// off, and for on when the camera could not be opened and the demo reel
// plays instead. It may take as long as the device takes to open; the
// Switch calls it on a goroutine of its own.
type OpenSide func(ctx context.Context, on bool) (w *Watchdog, standIn bool, err error)

// SwitchSides is how a Switch opens its sides.
type SwitchSides struct {
	Open OpenSide // on each turn
	// Camera opens the camera alone, with no stand-in. While the reel
	// stands in for a camera that could not be opened (not plugged in yet
	// at start, or when turned on) it is tried every RetryEvery, so that a
	// camera plugged in later plays without a key. nil never tries.
	Camera     func(ctx context.Context) (*Watchdog, error)
	RetryEvery time.Duration
}

// SwitchStart is the side a Switch starts on, opened already (at start-up,
// where waiting for the device is fine).
type SwitchStart struct {
	Side    *Watchdog
	On      bool   // Side is the camera's side (it may still be a stand-in: StandIn)
	StandIn bool   // Side plays in the camera's place
	By      string // why it starts on that side ("" when nothing needs saying)
}

// switchGrace is how long Close waits for a turn still opening a device.
const switchGrace = time.Second

// Switch is the frame source of a kiosk whose camera the presenter can turn
// off: on, it reads the camera; off, the camera's watchdog is closed, which
// closes the device itself (its light goes dark), and a stand-in plays
// instead. Set only asks for a turn: it is done on a goroutine of its own,
// so the game loop never waits for a driver. Read meanwhile waits for the
// new side's first frame. Frame times keep growing across turns, as a
// Watchdog's do across reopenings.
type Switch struct {
	sides  SwitchSides
	clk    Clock
	log    *slog.Logger
	parent context.Context
	ctx    context.Context // ends with parent, or on Close
	cancel context.CancelFunc
	want   chan bool     // the latest side asked for (buffer 1)
	done   chan struct{} // the turning goroutine ended

	// Read's own state.
	readMu  sync.Mutex
	readGen uint64     // the side the last frame came from
	times   frameClock // frame times that go on across a turn

	mu       sync.Mutex
	cur      *Watchdog     // nil while turning, or when a side failed to open
	curOn    bool          // the side cur reads
	gen      uint64        // counts changes of cur
	changed  chan struct{} // closed (and replaced) when cur changes
	standIn  bool          // cur (or the last side opened) plays in the camera's place
	on       bool          // the side asked for last
	by       string        // who asked: "key K", "source.enabled = false"
	turned   time.Time     // when (zero: never turned)
	failed   string        // why the side asked for could not be opened
	outages  int           // of the watchdogs closed before cur
	recovers int
	onChange func(CameraState)
	onStand  func(standIn bool)
}

// NewSwitch starts a switch on first's side; sides opens a side on each
// later turn. A nil clk is the SystemClock, a nil log discards.
func NewSwitch(ctx context.Context, first SwitchStart, sides SwitchSides, clk Clock, log *slog.Logger) *Switch {
	if clk == nil {
		clk = SystemClock()
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Switch{sides: sides, clk: clk, log: log, parent: ctx, want: make(chan bool, 1), done: make(chan struct{}),
		cur: first.Side, curOn: first.On, on: first.On, by: first.By, standIn: first.StandIn, changed: make(chan struct{})}
	if first.By != "" {
		s.turned = clk.Now()
	}
	s.ctx, s.cancel = context.WithCancel(ctx)
	go s.run()
	return s
}

// Set asks for the camera on or off; by says who asked ("key K"). It
// returns at once: the turn is done on the switch's goroutine.
func (s *Switch) Set(on bool, by string) {
	s.mu.Lock()
	s.on, s.by, s.turned = on, by, s.clk.Now()
	s.mu.Unlock()
	// Only the latest wish counts.
	select {
	case <-s.want:
	default:
	}
	s.want <- on
}

func (s *Switch) run() {
	defer close(s.done)
	var retry <-chan time.Time
	if s.sides.Camera != nil && s.sides.RetryEvery > 0 {
		t := time.NewTicker(s.sides.RetryEvery)
		defer t.Stop()
		retry = t.C
	}
	for {
		select {
		case <-s.ctx.Done():
			return
		case on := <-s.want:
			s.turn(on)
		case <-retry:
			s.retryCamera()
		}
	}
}

// retryCamera tries the camera again while the reel stands in for it
// because it could not be opened, and plays it once it opens. Only the
// switch's goroutine changes sides, so nothing turns meanwhile.
func (s *Switch) retryCamera() {
	s.mu.Lock()
	waiting := s.cur != nil && s.curOn && s.on && s.standIn
	s.mu.Unlock()
	if !waiting {
		return
	}
	w, err := s.sides.Camera(s.ctx)
	if err != nil {
		s.log.Debug("the camera still cannot be opened; the demo clip plays on", "err", err)
		return
	}
	s.mu.Lock()
	old := s.cur
	if s.ctx.Err() != nil || old == nil {
		s.mu.Unlock()
		w.Close()
		return
	}
	st := old.State()
	s.outages += st.Outages
	s.recovers += st.Recoveries
	s.cur, s.standIn, s.failed = w, false, ""
	w.OnChange(s.onChange)
	s.bump()
	told := s.onStand
	s.mu.Unlock()
	if err := old.Close(); err != nil {
		s.log.Warn("closing the demo clip failed", "err", err)
	}
	s.log.Info("the camera can be opened now: it plays instead of the demo clip", "source", w.Name())
	if told != nil {
		told(false)
	}
}

// turn closes the side in use (for the camera: the device itself) and
// opens the other.
func (s *Switch) turn(on bool) {
	s.mu.Lock()
	old := s.cur
	// Asked for the side in use: nothing to do, unless it is the camera's
	// side with the reel standing in (the camera could not be opened):
	// then the camera is tried again.
	if old != nil && s.curOn == on && !(on && s.standIn) {
		s.mu.Unlock()
		return
	}
	if old != nil {
		st := old.State()
		s.outages += st.Outages
		s.recovers += st.Recoveries
	}
	s.cur = nil
	s.bump()
	s.mu.Unlock()
	if old != nil {
		if err := old.Close(); err != nil {
			s.log.Warn("closing the camera failed", "err", err)
		}
	}
	side := "the camera"
	if !on {
		side = "the stand-in for the camera"
	}
	w, standIn, err := s.sides.Open(s.ctx, on)
	s.mu.Lock()
	var told func(bool) // called once unlocked: it may take the session's lock
	defer func() {
		s.mu.Unlock()
		if told != nil {
			told(standIn)
		}
	}()
	switch {
	case err != nil:
		s.failed = err.Error()
		s.log.Error("cannot open "+side, "err", err)
	case s.ctx.Err() != nil: // closed meanwhile
		w.Close()
	default:
		s.failed = ""
		s.cur, s.curOn = w, on
		w.OnChange(s.onChange)
		if standIn != s.standIn {
			s.standIn, told = standIn, s.onStand
		}
		if on && standIn {
			side = "the stand-in: the camera could not be opened"
		}
		s.log.Info("opened "+side, "source", w.Name())
	}
	s.bump()
}

// bump tells a waiting Read that cur changed (under mu).
func (s *Switch) bump() {
	s.gen++
	close(s.changed)
	s.changed = make(chan struct{})
}

// Read writes the next frame of the side in use into dst; during a turn it
// waits for the new side. It returns an error only when the context ends
// or the switch is closed.
func (s *Switch) Read(dst *gocv.Mat) (time.Duration, error) {
	s.readMu.Lock()
	defer s.readMu.Unlock()
	for {
		if s.ctx.Err() != nil {
			return 0, s.cause()
		}
		s.mu.Lock()
		w, gen, changed := s.cur, s.gen, s.changed
		s.mu.Unlock()
		if w == nil {
			select {
			case <-changed:
			case <-s.ctx.Done():
			}
			continue
		}
		t, err := w.Read(dst)
		if err != nil {
			s.mu.Lock()
			moved := s.gen != gen
			s.mu.Unlock()
			if moved { // closed by a turn
				continue
			}
			return 0, err
		}
		return s.frameTime(gen, t, w.FPS()), nil
	}
}

// frameTime shifts the first frame of a new side to follow the last one
// returned (see frameClock).
func (s *Switch) frameTime(gen uint64, t time.Duration, fps float64) time.Duration {
	restarted := gen != s.readGen
	s.readGen = gen
	return s.times.next(s.clk.Now(), t, fps, restarted)
}

func (s *Switch) cause() error {
	if err := s.parent.Err(); err != nil {
		return err
	}
	return errSwitchClosed
}

var errSwitchClosed = errors.New("vision: camera switch closed")

// State is the state of the side in use, and whether the camera is off,
// since when and by whom.
func (s *Switch) State() CameraState {
	s.mu.Lock()
	defer s.mu.Unlock()
	var st CameraState
	if s.cur != nil {
		st = s.cur.State()
	} else {
		st = CameraState{Reason: "turning the camera", Since: s.turned}
		if s.failed != "" {
			st.Reason = s.failed
		}
	}
	st.Outages += s.outages
	st.Recoveries += s.recovers
	st.Off, st.OffBy, st.Turned = !s.on, s.by, s.turned
	st.StandIn = s.standIn
	return st
}

// OnChange sets f to be called as Watchdog.OnChange's is, by whichever side
// is in use.
func (s *Switch) OnChange(f func(CameraState)) {
	s.mu.Lock()
	s.onChange = f
	if s.cur != nil {
		s.cur.OnChange(f)
	}
	s.mu.Unlock()
}

// OnStandIn sets f to be called, from the switch's goroutine, when a turn
// changes whether a stand-in plays in the camera's place: the camera was
// turned off, came back, or could not be opened and the demo reel plays
// instead. The games follow what plays (the hunt's items, the demo's
// autoplay), and the screen's DEMO badge.
func (s *Switch) OnStandIn(f func(standIn bool)) {
	s.mu.Lock()
	s.onStand = f
	s.mu.Unlock()
}

// On is true when the camera is asked to be on.
func (s *Switch) On() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.on }

// FPS is the side in use's frame rate (0 during a turn).
func (s *Switch) FPS() float64 {
	if w := s.side(); w != nil {
		return w.FPS()
	}
	return 0
}

// Name names the side in use.
func (s *Switch) Name() string {
	if w := s.side(); w != nil {
		return w.Name()
	}
	return "camera (turning)"
}

// Live is true when the side in use is a camera: the capture loop paces
// what is not.
func (s *Switch) Live() bool {
	if w := s.side(); w != nil {
		return w.Live()
	}
	return false
}

func (s *Switch) side() *Watchdog { s.mu.Lock(); defer s.mu.Unlock(); return s.cur }

// Close ends the switch and closes the side in use. A turn still opening
// a device is waited for a moment; what it opens is closed when it returns.
func (s *Switch) Close() error {
	s.cancel()
	s.mu.Lock()
	w := s.cur
	s.cur = nil
	s.mu.Unlock()
	var err error
	if w != nil {
		err = w.Close()
	}
	t := time.NewTimer(switchGrace)
	defer t.Stop()
	select {
	case <-s.done:
	case <-t.C:
		s.log.Warn("camera still opening at close; it is closed when it opens")
	}
	return err
}
