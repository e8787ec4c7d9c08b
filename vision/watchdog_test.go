package vision_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/carrierarcade/kiosk/vision"
	"github.com/carrierarcade/kiosk/vision/visiontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gocv.io/x/gocv"
)

// fakeClock's Sleep returns at once, moving its time on by the wait.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.sleeps = append(c.sleeps, d)
	return nil
}

// Sleeps are the waits so far, in seconds.
func (c *fakeClock) Sleeps() []float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]float64, len(c.sleeps))
	for i, d := range c.sleeps {
		out[i] = d.Seconds()
	}
	return out
}

// logBuffer collects log lines from any goroutine.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// Lines are the logged lines that contain s.
func (b *logBuffer) Lines(s string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, l := range strings.Split(b.buf.String(), "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return out
}

// watchRig is a Watchdog over fake sources, a fake clock and a log.
type watchRig struct {
	w      *vision.Watchdog
	clk    *fakeClock
	log    *logBuffer
	opens  func() int
	frame  gocv.Mat
	cancel context.CancelFunc

	mu     sync.Mutex
	srcs   []*visiontest.Source // every source opened, in order
	events []vision.CameraState // from OnChange
}

// newWatchRig opens sources with newSource, called with the opening's number
// (1 for the first); a nil source fails that opening.
func newWatchRig(t *testing.T, cfg vision.WatchdogConfig, newSource func(n int) *visiontest.Source) *watchRig {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &watchRig{clk: newFakeClock(), log: &logBuffer{}, frame: gocv.NewMat(), cancel: cancel}
	n := 0
	var open func() (vision.FrameSource, error)
	open, r.opens = visiontest.NewOpener(func() *visiontest.Source {
		n++ // opens happen one at a time, from NewWatchdog or Read
		s := newSource(n)
		if s != nil {
			r.mu.Lock()
			r.srcs = append(r.srcs, s)
			r.mu.Unlock()
		}
		return s
	})
	log := slog.New(slog.NewTextHandler(r.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r.w = vision.NewWatchdog(ctx, open, cfg, r.clk, log)
	r.w.OnChange(func(s vision.CameraState) {
		r.mu.Lock()
		r.events = append(r.events, s)
		r.mu.Unlock()
	})
	t.Cleanup(func() {
		cancel()
		r.w.Close()
		r.mu.Lock()
		for _, s := range r.srcs {
			s.Stall(false)
			s.Close()
		}
		r.mu.Unlock()
		r.frame.Close()
	})
	return r
}

func (r *watchRig) src(i int) *visiontest.Source {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.srcs[i]
}

func (r *watchRig) sources() int { r.mu.Lock(); defer r.mu.Unlock(); return len(r.srcs) }

// lives are the Live values OnChange reported, in order.
func (r *watchRig) lives() []bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]bool, len(r.events))
	for i, e := range r.events {
		out[i] = e.Live
	}
	return out
}

// read reads one frame, which must come, and checks that time grows.
func (r *watchRig) read(t *testing.T, after time.Duration) time.Duration {
	t.Helper()
	ts, err := r.w.Read(&r.frame)
	require.NoError(t, err)
	require.False(t, r.frame.Empty())
	require.Greater(t, ts, after, "frame times keep growing")
	return ts
}

func cameraSource(n int) *visiontest.Source { return visiontest.NewSource(64, 48, 30) }

func TestWatchdogConfigValidate(t *testing.T) {
	assert.Empty(t, vision.DefaultWatchdogConfig().Validate())
	assert.Equal(t, vision.WatchdogConfig{StallSeconds: 3, RepeatSeconds: 3, BackoffSeconds: 1, MaxBackoffSeconds: 30},
		vision.DefaultWatchdogConfig())

	cases := []struct {
		name string
		edit func(c *vision.WatchdogConfig)
		keys []string
	}{
		{"stall too short", func(c *vision.WatchdogConfig) { c.StallSeconds = 0.1 }, []string{"stall_seconds"}},
		{"stall NaN", func(c *vision.WatchdogConfig) { c.StallSeconds = math.NaN() }, []string{"stall_seconds"}},
		{"repeat too long", func(c *vision.WatchdogConfig) { c.RepeatSeconds = 601 }, []string{"repeat_seconds"}},
		{"backoff zero", func(c *vision.WatchdogConfig) { c.BackoffSeconds = 0 }, []string{"backoff_seconds"}},
		{"max below backoff", func(c *vision.WatchdogConfig) { c.BackoffSeconds, c.MaxBackoffSeconds = 10, 5 },
			[]string{"max_backoff_seconds"}},
		{"max too long", func(c *vision.WatchdogConfig) { c.MaxBackoffSeconds = 3600 }, []string{"max_backoff_seconds"}},
		{"everything", func(c *vision.WatchdogConfig) { *c = vision.WatchdogConfig{StallSeconds: 61, MaxBackoffSeconds: -1} },
			[]string{"stall_seconds", "repeat_seconds", "backoff_seconds", "max_backoff_seconds"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := vision.DefaultWatchdogConfig()
			c.edit(&cfg)
			var keys []string
			for _, p := range cfg.Validate().Under("watchdog") {
				keys = append(keys, strings.TrimPrefix(p.Key, "watchdog."))
				assert.NotEmpty(t, p.Msg)
			}
			assert.Equal(t, c.keys, keys)
		})
	}
	ps := vision.WatchdogConfig{StallSeconds: 3, RepeatSeconds: 3, BackoffSeconds: 10, MaxBackoffSeconds: 5}.Validate()
	require.Len(t, ps, 1)
	assert.Contains(t, ps[0].Msg, "less than backoff_seconds")
}

func TestWatchdogRecoversFromReadErrors(t *testing.T) {
	r := newWatchRig(t, vision.DefaultWatchdogConfig(), func(n int) *visiontest.Source {
		if n >= 2 && n <= 4 { // the camera is away for three tries
			return nil
		}
		return cameraSource(n)
	})
	assert.Equal(t, "synthetic", r.w.Name())
	assert.Equal(t, 30.0, r.w.FPS())
	assert.False(t, r.w.Live(), "the fake is not a live source unless it has a Delay")

	var last time.Duration = -1
	for range 5 {
		last = r.read(t, last)
	}
	s := r.w.State()
	assert.True(t, s.Live)
	assert.Zero(t, s.Outages)

	r.src(0).Break(true)
	ts := r.read(t, last)
	assert.Equal(t, []float64{1, 2, 4, 8}, r.clk.Sleeps(), "the wait doubles while opening fails")
	assert.Equal(t, 5, r.opens())
	// The new source starts at 0; its first frame follows the last by the
	// 15 s the outage took.
	assert.InDelta(t, (last + 15*time.Second).Seconds(), ts.Seconds(), 1e-9)
	s = r.w.State()
	assert.True(t, s.Live)
	assert.Equal(t, 1, s.Outages)
	assert.Equal(t, 1, s.Recoveries)
	assert.Equal(t, "read error: "+visiontest.ErrBroken.Error(), s.Reason)
	assert.Equal(t, r.clk.Now(), s.Since)
	assert.Equal(t, []bool{false, true}, r.lives(), "OnChange: lost, then back")
	require.Len(t, r.log.Lines("camera lost"), 1, "one warning per outage")
	assert.Contains(t, r.log.Lines("camera lost")[0], "level=WARN")
	assert.Contains(t, r.log.Lines("camera lost")[0], "source=synthetic")
	require.Len(t, r.log.Lines("camera back"), 1)
	assert.Contains(t, r.log.Lines("camera back")[0], "outage=15s")
	assert.Eventually(t, r.src(0).Closed, time.Second, time.Millisecond, "the broken source is closed")

	// A second outage starts the backoff afresh.
	last = ts
	for range 3 {
		last = r.read(t, last)
	}
	r.src(1).Break(true)
	r.read(t, last)
	assert.Equal(t, []float64{1, 2, 4, 8, 1}, r.clk.Sleeps())
	s = r.w.State()
	assert.Equal(t, [2]int{2, 2}, [2]int{s.Outages, s.Recoveries})
	assert.Equal(t, []bool{false, true, false, true}, r.lives())
}

func TestWatchdogBackoffIsCapped(t *testing.T) {
	cfg := vision.DefaultWatchdogConfig()
	cfg.MaxBackoffSeconds = 5
	r := newWatchRig(t, cfg, func(n int) *visiontest.Source {
		if n <= 6 { // not plugged in at start, nor for five more tries
			return nil
		}
		return cameraSource(n)
	})
	s := r.w.State()
	assert.False(t, s.Live, "a camera that cannot be opened at the start is lost")
	assert.Equal(t, 1, s.Outages)
	assert.True(t, strings.HasPrefix(s.Reason, "open failed: "), s.Reason)
	assert.Equal(t, "camera (not opened)", r.w.Name())
	assert.Len(t, r.log.Lines("camera lost"), 1)

	r.read(t, -1)
	assert.Equal(t, []float64{1, 2, 4, 5, 5, 5}, r.clk.Sleeps())
	assert.Equal(t, 7, r.opens())
	s = r.w.State()
	assert.Equal(t, [2]int{1, 1}, [2]int{s.Outages, s.Recoveries})
	assert.True(t, s.Live)
	assert.Equal(t, "synthetic", r.w.Name())
	assert.Equal(t, []bool{true}, r.lives())
}

func TestWatchdogNoticesAFrozenPicture(t *testing.T) {
	cfg := vision.DefaultWatchdogConfig()
	cfg.RepeatSeconds = 1 // 30 frames at 30 fps
	r := newWatchRig(t, cfg, cameraSource)
	var last time.Duration = -1
	for range 5 {
		last = r.read(t, last)
	}
	r.src(0).Freeze(true)
	frozen := gocv.NewMat()
	defer frozen.Close()
	r.frame.CopyTo(&frozen)
	for i := range 29 {
		last = r.read(t, last)
		require.Zero(t, r.w.State().Outages, "frame %d of the same picture", i+1)
		require.Zero(t, meanAbsDiff(frozen, r.frame), "byte-identical frames")
	}
	r.read(t, last) // the 30th repeat: lost, reopened, a fresh frame
	s := r.w.State()
	assert.Equal(t, [2]int{1, 1}, [2]int{s.Outages, s.Recoveries})
	assert.Equal(t, "same picture for 1s", s.Reason)
	assert.Equal(t, 2, r.opens())
	assert.NotZero(t, meanAbsDiff(frozen, r.frame), "the frame returned is the reopened source's")
	assert.Eventually(t, r.src(0).Closed, time.Second, time.Millisecond)
}

func TestWatchdogStillSceneWithNoiseIsNotFrozen(t *testing.T) {
	cfg := vision.DefaultWatchdogConfig()
	cfg.RepeatSeconds = 1
	r := newWatchRig(t, cfg, func(n int) *visiontest.Source {
		s := visiontest.NewSource(320, 240, 30)
		s.Still = true
		return s
	})
	prev := gocv.NewMat()
	defer prev.Close()
	var last time.Duration = -1
	var worst float64
	for i := range 150 { // 5 s of a scene where nothing moves
		last = r.read(t, last)
		if i > 0 {
			worst = max(worst, meanAbsDiff(prev, r.frame))
		}
		r.frame.CopyTo(&prev)
	}
	assert.Zero(t, r.w.State().Outages)
	assert.Equal(t, 1, r.opens())
	// Frames differ by their noise alone: far less than a thumbnail with a
	// tolerance could tell from a frozen picture.
	assert.Less(t, worst, 0.05)
	assert.Positive(t, worst)
}

func TestWatchdogNoticesAStall(t *testing.T) {
	cfg := vision.DefaultWatchdogConfig()
	cfg.StallSeconds = 0.1 // below what Validate allows, to keep the test fast
	r := newWatchRig(t, cfg, cameraSource)
	var last time.Duration = -1
	for range 3 {
		last = r.read(t, last)
	}
	stuck := r.src(0)
	stuck.Stall(true)
	start := time.Now()
	r.read(t, last)
	took := time.Since(start)
	assert.GreaterOrEqual(t, took, 100*time.Millisecond)
	assert.Less(t, took, 10*time.Second, "noticed, not waited out")
	s := r.w.State()
	assert.Equal(t, [2]int{1, 1}, [2]int{s.Outages, s.Recoveries})
	assert.Equal(t, "stalled for 0.1s", s.Reason)
	assert.Equal(t, 2, r.sources())

	// The stuck read cannot be interrupted: its source stays open until
	// the read returns, then its goroutine closes it.
	assert.Equal(t, 1, stuck.Blocked())
	assert.False(t, stuck.Closed())
	stuck.Stall(false)
	assert.Eventually(t, stuck.Closed, 10*time.Second, time.Millisecond)
	assert.False(t, r.src(1).Closed())
}

func TestWatchdogCloseDuringAStall(t *testing.T) {
	goroutines := runtime.NumGoroutine()
	r := newWatchRig(t, vision.DefaultWatchdogConfig(), cameraSource) // stall: 3 s
	r.read(t, -1)
	stuck := r.src(0)
	stuck.Stall(true)

	type result struct {
		err  error
		took time.Duration
	}
	done := make(chan result, 1)
	var closedAt time.Time
	var mu sync.Mutex
	go func() {
		frame := gocv.NewMat()
		defer frame.Close()
		_, err := r.w.Read(&frame)
		mu.Lock()
		defer mu.Unlock()
		done <- result{err, time.Since(closedAt)}
	}()
	require.Eventually(t, func() bool { return stuck.Blocked() == 1 }, time.Second, time.Millisecond)

	start := time.Now()
	mu.Lock()
	closedAt = start
	mu.Unlock()
	require.NoError(t, r.w.Close())
	// Promptly: well before the 3 s stall would have ended the read.
	assert.Less(t, time.Since(start), 2500*time.Millisecond, "Close returns promptly")
	select {
	case res := <-done:
		require.Error(t, res.err)
		assert.Contains(t, res.err.Error(), "closed", "ended by Close, not by the stall")
	case <-time.After(10 * time.Second):
		t.Fatal("Read still blocked after Close")
	}
	_, err := r.w.Read(&r.frame)
	assert.Error(t, err, "Read after Close")
	assert.Equal(t, 1, r.opens(), "nothing reopened")

	// Once the driver lets go of the stuck read, the last goroutine closes
	// the source and ends.
	assert.False(t, stuck.Closed())
	stuck.Stall(false)
	assert.Eventually(t, stuck.Closed, 10*time.Second, time.Millisecond)
	goroutinesSettle(t, goroutines)
}

func TestWatchdogEndsWithItsContext(t *testing.T) {
	goroutines := runtime.NumGoroutine()
	r := newWatchRig(t, vision.DefaultWatchdogConfig(), cameraSource)
	r.read(t, -1)
	stuck := r.src(0)
	stuck.Stall(true)
	go func() {
		assert.Eventually(t, func() bool { return stuck.Blocked() == 1 }, time.Second, time.Millisecond)
		r.cancel()
	}()
	start := time.Now()
	_, err := r.w.Read(&r.frame)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 2500*time.Millisecond, "ended by the context, before the 3 s stall")
	stuck.Stall(false)
	assert.Eventually(t, stuck.Closed, 10*time.Second, time.Millisecond)
	goroutinesSettle(t, goroutines)

	// While waiting to reopen, too.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opens := 0
	w := vision.NewWatchdog(ctx, func() (vision.FrameSource, error) {
		if opens++; opens == 3 {
			cancel()
		}
		return nil, errors.New("no camera")
	}, vision.DefaultWatchdogConfig(), newFakeClock(), nil)
	defer w.Close()
	_, err = w.Read(&r.frame)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 3, opens)
}

func TestWatchdogReplaysAClipThatEnded(t *testing.T) {
	r := newWatchRig(t, vision.DefaultWatchdogConfig(), func(n int) *visiontest.Source {
		s := visiontest.NewSource(64, 48, 10)
		s.Frames, s.EndErr = 10, vision.ErrEnd
		return s
	})
	var times []float64
	var last time.Duration = -1
	for range 20 {
		last = r.read(t, last)
		times = append(times, last.Seconds())
	}
	want := []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9,
		1.9, 2.0, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6, 2.7, 2.8} // the clip again after a 1 s wait
	assert.InDeltaSlice(t, want, times, 1e-9)
	s := r.w.State()
	assert.Equal(t, [2]int{1, 1}, [2]int{s.Outages, s.Recoveries})
	assert.Equal(t, "the clip ended", s.Reason)
	assert.Equal(t, 2, r.opens())

	// Every pass ends the same way: said once at info, not as a camera
	// lost each time.
	for range 20 {
		last = r.read(t, last)
	}
	assert.Len(t, r.log.Lines(`level=INFO msg="the clip has ended`), 1)
	assert.Len(t, r.log.Lines(`level=DEBUG msg="the clip has ended again`), 2, "the passes after (4 passes, 3 ends)")
	assert.Empty(t, r.log.Lines("camera lost"))
	assert.Empty(t, r.log.Lines(`msg="camera back`))
}

func TestWatchdogReplaysARealClip(t *testing.T) {
	path := testenv.Media(t, "vtest.avi")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opens := 0
	w := vision.NewWatchdog(ctx, func() (vision.FrameSource, error) {
		opens++
		return vision.OpenClip(path, false)
	}, vision.DefaultWatchdogConfig(), newFakeClock(), nil)
	defer w.Close()
	var events []vision.CameraState
	w.OnChange(func(s vision.CameraState) { events = append(events, s) })
	assert.Equal(t, "file:vtest.avi", w.Name())

	frame := gocv.NewMat()
	defer frame.Close()
	var last time.Duration = -1
	for i := range 800 { // 795 frames, then the first 5 again
		ts, err := w.Read(&frame)
		require.NoError(t, err)
		require.Greater(t, ts, last, "frame %d", i)
		last = ts
	}
	assert.InDelta(t, 79.4+1+0.4, last.Seconds(), 1e-6, "the replay follows a 1 s wait")
	assert.Equal(t, 2, opens)
	require.Len(t, events, 2)
	assert.Equal(t, "the clip ended", events[0].Reason)
	assert.False(t, events[0].Live)
	assert.True(t, events[1].Live)
}

// goroutinesSettle checks that the goroutines running come down to n
// within a second. (Not with assert.Eventually: it runs its condition in a
// goroutine of its own.)
func goroutinesSettle(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for runtime.NumGoroutine() > n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if got := runtime.NumGoroutine(); got > n {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines running, %d before:\n%s", got, n, buf[:runtime.Stack(buf, true)])
	}
}

// watchdogMatCount is how many gocv Mats are open under -tags matprofile.
func watchdogMatCount() (int, bool) {
	p := pprof.Lookup("gocv.io/x/gocv.Mat")
	if p == nil {
		return 0, false
	}
	return p.Count(), true
}

func TestWatchdogMakesNoMatPerFrame(t *testing.T) {
	r := newWatchRig(t, vision.DefaultWatchdogConfig(), cameraSource)
	var last time.Duration = -1
	for range 5 {
		last = r.read(t, last)
	}
	before, profiled := watchdogMatCount()
	for range 50 {
		last = r.read(t, last)
	}
	if !profiled {
		t.Log("Mat count not checked: run with -tags matprofile")
		return
	}
	after, _ := watchdogMatCount()
	assert.Equal(t, before, after, "open Mats before and after 50 frames")
}

// meanAbsDiff is the mean absolute difference of two same-sized frames,
// over all pixels and channels.
func meanAbsDiff(a, b gocv.Mat) float64 {
	d := gocv.NewMat()
	defer d.Close()
	gocv.AbsDiff(a, b, &d)
	m := d.Mean()
	return (m.Val1 + m.Val2 + m.Val3) / 3
}
