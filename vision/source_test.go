package vision_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/sight"

	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/carrierarcade/kiosk/model"
	"github.com/carrierarcade/kiosk/vision"
	"github.com/carrierarcade/kiosk/vision/visiontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gocv.io/x/gocv"
)

func TestClipPlaysOnceOrLoops(t *testing.T) {
	path := testenv.Media(t, "vtest.avi")
	frame := gocv.NewMat()
	defer frame.Close()

	once, err := vision.OpenClip(path, false)
	require.NoError(t, err)
	defer once.Close()
	assert.InDelta(t, 10, once.FPS(), 0.01)
	n := 0
	var last time.Duration
	for {
		ts, err := once.Read(&frame)
		if errors.Is(err, vision.ErrEnd) {
			break
		}
		require.NoError(t, err)
		require.Equal(t, [2]int{768, 576}, [2]int{frame.Cols(), frame.Rows()})
		if n > 0 {
			require.Greater(t, ts, last)
		}
		last = ts
		n++
	}
	assert.Equal(t, 795, n, "vtest.avi has 795 frames")

	looped, err := vision.OpenClip(path, true)
	require.NoError(t, err)
	defer looped.Close()
	for i := 0; i < 800; i++ {
		ts, err := looped.Read(&frame)
		require.NoError(t, err)
		if i > 0 {
			require.Greater(t, ts, last, "time keeps growing across the loop (frame %d)", i)
		}
		last = ts
	}
	assert.InDelta(t, 79.9, last.Seconds(), 0.01)
}

func TestOpenClipErrorsNameTheFile(t *testing.T) {
	_, err := vision.OpenClip("/nonexistent/clip.avi", true)
	require.ErrorIs(t, err, vision.ErrSource)
	assert.Contains(t, err.Error(), "/nonexistent/clip.avi")

	junk := filepath.Join(t.TempDir(), "junk.avi")
	require.NoError(t, os.WriteFile(junk, []byte("not a video"), 0o644))
	_, err = vision.OpenClip(junk, true)
	require.ErrorIs(t, err, vision.ErrSource)
	assert.Contains(t, err.Error(), "cannot be opened as video")
}

func TestCaptureKeepsOnlyTheLatestFrame(t *testing.T) {
	src := visiontest.NewSource(320, 240, 30)
	defer src.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := vision.StartCapture(ctx, src, false)
	defer c.Stop()

	frame := gocv.NewMat()
	defer frame.Close()
	require.Eventually(t, func() bool { return c.Info().Seq > 50 }, 5*time.Second, time.Millisecond)
	info, ok := c.Latest(&frame, 0)
	require.True(t, ok)
	assert.Equal(t, [2]int{320, 240}, [2]int{frame.Cols(), frame.Rows()})
	_, again := c.Latest(&frame, c.Info().Seq)
	assert.False(t, again, "nothing newer than the newest")
	assert.Greater(t, info.Seq, uint64(50))

	rgba := make([]byte, 320*240*4)
	_, ok = c.LatestRGBA(rgba, 0)
	require.True(t, ok)
	assert.Equal(t, byte(255), rgba[3], "alpha is opaque")
}

// A paced clip's frame n comes no sooner than n-1 frame times after the
// capture started (a loaded machine may make it later, never earlier);
// unpaced, ten frames would come in a moment.
func TestCapturePacesAClipAtItsFrameRate(t *testing.T) {
	src := visiontest.NewSource(64, 48, 50) // 20 ms a frame
	defer src.Close()
	started := time.Now()
	c := vision.StartCapture(context.Background(), src, true)
	defer c.Stop()
	sub := c.Subscribe()
	deadline := time.After(time.Minute)
	for info := c.Info(); info.Seq < 10; info = c.Info() {
		select {
		case <-sub:
		case <-deadline:
			t.Fatalf("waited a minute for the tenth frame; %d came", info.Seq)
		}
	}
	info := c.Info()
	assert.GreaterOrEqual(t, info.CapturedAt.Sub(started), time.Duration(info.Seq-1)*20*time.Millisecond,
		"frame %d came before its time", info.Seq)
}

func TestCaptureReportsTheEnd(t *testing.T) {
	src := visiontest.NewSource(64, 48, 30)
	src.Frames = 10
	defer src.Close()
	c := vision.StartCapture(context.Background(), src, false)
	defer c.Stop()
	require.Eventually(t, func() bool { return c.Err() != nil }, 2*time.Second, time.Millisecond)
	assert.ErrorIs(t, c.Err(), visiontest.ErrBroken)
	assert.Equal(t, uint64(10), c.Info().Seq)
}

// slowDetector stands in for a model that is slower than the camera.
type slowDetector struct {
	mu    sync.Mutex
	delay time.Duration
	calls int
}

func (d *slowDetector) Detect(img gocv.Mat, dst []sight.Detection) ([]sight.Detection, error) {
	time.Sleep(d.delay)
	d.mu.Lock()
	d.calls++
	d.mu.Unlock()
	return append(dst[:0], sight.Detection{Label: "person", Score: 0.9,
		Box: sight.Box{X0: 10, Y0: 10, X1: 100, Y1: 200}}), nil
}
func (d *slowDetector) Info() model.Info       { return model.Info{Name: "slow"} }
func (d *slowDetector) Timings() sight.Timings { return sight.Timings{Inference: d.delay} }
func (d *slowDetector) Close() error           { return nil }
func (d *slowDetector) Calls() int             { d.mu.Lock(); defer d.mu.Unlock(); return d.calls }

// gatedDetector runs only when the test lets it: one run per token.
type gatedDetector struct {
	slowDetector
	gate chan struct{}
}

func (d *gatedDetector) Detect(img gocv.Mat, dst []sight.Detection) ([]sight.Detection, error) {
	<-d.gate
	return d.slowDetector.Detect(img, dst)
}

// A detector that takes its time never holds up the game (Observe returns
// while it runs) and never makes frames queue: when it is done, it runs on
// the newest frame, not on the ones it missed. No test here depends on how
// fast the machine is: the detector runs when the test says.
func TestPipelineDropsFramesAndNeverBlocks(t *testing.T) {
	src := visiontest.NewSource(320, 240, 100)
	src.Delay = 10 * time.Millisecond // a 100 fps camera
	defer src.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := vision.StartCapture(ctx, src, false)
	defer c.Stop()
	det := &gatedDetector{gate: make(chan struct{})}
	motion := vision.NewMotion(vision.DefaultMotionConfig())
	defer motion.Close()
	p := vision.NewPipeline(c, vision.PipelineParts{Objects: det, Motion: motion, Mirror: true},
		vision.Rates{ObjectHz: 60, MotionHz: 30})
	p.Start(ctx)
	defer p.Stop()

	var obs sight.Observation
	// The detector is stuck in its first run: the game still observes, and
	// frames keep coming.
	require.Eventually(t, func() bool { p.Observe(&obs, nil); return obs.Frame.Seq > 20 }, 30*time.Second, time.Millisecond)
	assert.Empty(t, obs.Objects, "nothing detected yet")
	assert.Zero(t, det.Calls())

	// Let it finish that run and one more: the second is on a frame at
	// least as new as the newest before it was let go, not the next in line.
	p.Observe(&obs, nil)
	newest := obs.Frame.Seq
	det.gate <- struct{}{}
	det.gate <- struct{}{}
	require.Eventually(t, func() bool {
		p.Observe(&obs, nil)
		return det.Calls() == 2 && len(obs.Objects) == 1 && obs.ObjectsFrame.Seq >= newest
	},
		30*time.Second, time.Millisecond)
	assert.GreaterOrEqual(t, obs.ObjectsFrame.Seq, newest, "the newest frame, not a queued one")

	// A new budget takes effect without a restart: object detection off,
	// so the detector is not asked again even with the gate open.
	p.SetRates(vision.Rates{ObjectHz: 0, MotionHz: 30})
	close(det.gate)
	calls := det.Calls()
	frames := obs.Frame.Seq
	require.Eventually(t, func() bool { p.Observe(&obs, nil); return obs.Frame.Seq > frames+20 }, 30*time.Second, time.Millisecond)
	assert.LessOrEqual(t, det.Calls(), calls+1, "at most the run already under way")
	p.SetRates(vision.Rates{ObjectHz: 20, MotionHz: 30})
	require.Eventually(t, func() bool { return det.Calls() > calls+2 }, 30*time.Second, time.Millisecond, "on again")
}

func TestPipelineStepFollowsClipTime(t *testing.T) {
	det := &slowDetector{}
	src := visiontest.NewSource(64, 48, 30)
	defer src.Close()
	c := vision.StartCapture(context.Background(), src, false)
	c.Stop() // only its bookkeeping is needed; Step is driven by hand
	p := vision.NewPipeline(c, vision.PipelineParts{Objects: det}, vision.Rates{ObjectHz: 5})
	frame := gocv.NewMatWithSize(48, 64, gocv.MatTypeCV8UC3)
	defer frame.Close()
	for i := 0; i < 30; i++ { // one second of a 30 fps clip
		p.Step(frame, vision.FrameInfo{Frame: sight.Frame{Seq: uint64(i + 1), Time: time.Duration(i) * time.Second / 30, W: 64, H: 48}})
	}
	assert.Equal(t, 5, det.Calls(), "5 detections a second of clip time")
}

// flakyDetector fails while failing is set.
type flakyDetector struct {
	slowDetector
	failing bool
}

func (d *flakyDetector) Detect(img gocv.Mat, dst []sight.Detection) ([]sight.Detection, error) {
	if d.failing {
		return dst[:0], errors.New("onnxruntime: out of memory")
	}
	return d.slowDetector.Detect(img, dst)
}

// A detector that starts failing is shown as failing (once in the log per
// change), keeps its last good result, and its rate counts only good runs.
func TestPipelineReportsAFailingDetector(t *testing.T) {
	det := &flakyDetector{}
	var logs bytes.Buffer
	p := vision.NewPipeline(nil, vision.PipelineParts{Objects: det, Log: slog.New(slog.NewTextHandler(&logs, nil))},
		vision.Rates{ObjectHz: 30})
	frame := gocv.NewMatWithSize(48, 64, gocv.MatTypeCV8UC3)
	defer frame.Close()
	var obs sight.Observation
	var st sight.Status
	step := func(i int) {
		p.Step(frame, vision.FrameInfo{Frame: sight.Frame{Seq: uint64(i + 1), Time: time.Duration(i) * time.Second / 30, W: 64, H: 48}})
		p.Observe(&obs, &st)
	}
	step(0)
	require.True(t, st.Objects.On)
	require.NoError(t, st.Objects.Err)
	require.Len(t, obs.Objects, 1)
	det.failing = true
	for i := 1; i <= 10; i++ {
		step(i)
	}
	assert.ErrorContains(t, st.Objects.Err, "out of memory")
	assert.Equal(t, 10, st.Objects.Failures)
	assert.Len(t, obs.Objects, 1, "the last good result stays")
	assert.Equal(t, uint64(1), obs.ObjectsFrame.Seq)
	assert.Equal(t, 1, strings.Count(logs.String(), "detector failing"), "logged once, not per run")
	det.failing = false
	step(11)
	assert.NoError(t, st.Objects.Err)
	assert.Equal(t, uint64(12), obs.ObjectsFrame.Seq)
	assert.Contains(t, logs.String(), "detector working again")
	assert.False(t, st.Faces.On, "no face detector")
}

// Each run is told to Ran, good or failed, with the detector's own
// timings; Status reads what Observe would, without the observation.
func TestPipelineTellsEachDetectorRun(t *testing.T) {
	det := &flakyDetector{}
	type run struct {
		name string
		t    sight.Timings
		err  bool
	}
	var runs []run
	var p *vision.Pipeline
	p = vision.NewPipeline(nil, vision.PipelineParts{Objects: det, Ran: func(name string, t sight.Timings, err error) {
		_ = p.Status() // would never return were Ran called under the pipeline's lock
		runs = append(runs, run{name, t, err != nil})
	}}, vision.Rates{ObjectHz: 30})
	frame := gocv.NewMatWithSize(48, 64, gocv.MatTypeCV8UC3)
	defer frame.Close()
	step := func(i int) {
		p.Step(frame, vision.FrameInfo{Frame: sight.Frame{Seq: uint64(i + 1), Time: time.Duration(i) * time.Second / 30, W: 64, H: 48}})
	}
	step(0)
	det.failing = true
	step(1)
	require.Len(t, runs, 2)
	assert.Equal(t, run{"objects", det.Timings(), false}, runs[0])
	assert.Equal(t, run{"objects", sight.Timings{}, true}, runs[1])
	st := p.Status()
	assert.True(t, st.Objects.On)
	assert.Equal(t, 1, st.Objects.Failures)
	var want sight.Status
	p.Observe(&sight.Observation{}, &want)
	assert.Equal(t, want.Objects.Failures, st.Objects.Failures)
}
