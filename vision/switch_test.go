package vision_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/vision"
	"github.com/carrierarcade/kiosk/vision/visiontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gocv.io/x/gocv"
)

// switchRig is a Switch between a fake camera (64x48 frames) and a fake
// demo reel (32x24), keeping every source it opened.
type switchRig struct {
	clk *fakeClock

	mu    sync.Mutex
	cams  []*visiontest.Source
	reels []*visiontest.Source
	gate  chan struct{} // when set, opening a side waits for it
	// broken makes the camera fail to open: the reel stands in for it,
	// as kiosk.WatchedSource does.
	broken bool
}

func (r *switchRig) opened(cam bool) []*visiontest.Source {
	r.mu.Lock()
	defer r.mu.Unlock()
	if cam {
		return append([]*visiontest.Source(nil), r.cams...)
	}
	return append([]*visiontest.Source(nil), r.reels...)
}

func (r *switchRig) open(ctx context.Context, on bool) (*vision.Watchdog, bool, error) {
	r.mu.Lock()
	gate, broken := r.gate, r.broken
	r.mu.Unlock()
	if gate != nil {
		<-gate
	}
	if broken {
		on = false
	}
	return vision.NewWatchdog(ctx, func() (vision.FrameSource, error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		if on {
			s := visiontest.NewSource(64, 48, 30)
			r.cams = append(r.cams, s)
			return s, nil
		}
		s := visiontest.NewSource(32, 24, 25)
		r.reels = append(r.reels, s)
		return s, nil
	}, vision.WatchdogConfig{StallSeconds: 30}, r.clk, nil), !on, nil
}

// cameraOn starts a switch on the rig's camera, opened.
func (r *switchRig) cameraOn(t *testing.T, ctx context.Context) *vision.Switch {
	t.Helper()
	first, _, err := r.open(ctx, true)
	require.NoError(t, err)
	return vision.NewSwitch(ctx, vision.SwitchStart{Side: first, On: true}, vision.SwitchSides{Open: r.open}, r.clk, nil)
}

// readFrom reads until a frame of the side wanted comes (a turn may
// still hand out a frame or two of the old side), and returns its time.
func readFrom(t *testing.T, s *vision.Switch, dst *gocv.Mat, camera bool) time.Duration {
	t.Helper()
	w := 32
	if camera {
		w = 64
	}
	for range 1000 {
		ts, err := s.Read(dst)
		require.NoError(t, err)
		if dst.Cols() == w {
			return ts
		}
	}
	t.Fatalf("no frame of width %d", w)
	return 0
}

func TestSwitchClosesTheCameraAndOpensItAgain(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &switchRig{clk: newFakeClock()}
	s := r.cameraOn(t, ctx)
	dst := gocv.NewMat()
	defer dst.Close()

	t0 := readFrom(t, s, &dst, true)
	assert.False(t, s.State().Off)
	assert.True(t, s.State().Turned.IsZero(), "nobody turned it yet")

	s.Set(false, "key K")
	st := s.State()
	assert.True(t, st.Off, "the state says off as soon as it is asked")
	assert.Equal(t, "key K", st.OffBy)
	t1 := readFrom(t, s, &dst, false)
	require.Len(t, r.opened(true), 1)
	assert.True(t, r.opened(true)[0].Closed(), "the camera device is closed once the reel plays")
	assert.Greater(t, t1, t0, "frame times keep growing across the turn")

	s.Set(true, "key K")
	t2 := readFrom(t, s, &dst, true)
	assert.Len(t, r.opened(true), 2, "the camera is opened again")
	assert.True(t, r.opened(false)[0].Closed(), "the reel is closed when the camera is back")
	assert.Greater(t, t2, t1)
	assert.False(t, s.State().Off)
	assert.True(t, s.State().Live)

	require.NoError(t, s.Close())
	assert.True(t, r.opened(true)[1].Closed())
	_, err := s.Read(&dst)
	assert.Error(t, err, "a closed switch reads nothing")
}

// The presenter's key never waits for a driver: Set returns while the
// other side is still opening, and Read waits for it.
func TestSwitchSetDoesNotWaitForTheDevice(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &switchRig{clk: newFakeClock()}
	first, _, err := r.open(ctx, false) // started with the camera off
	require.NoError(t, err)
	s := vision.NewSwitch(ctx, vision.SwitchStart{Side: first, StandIn: true, By: "source.enabled = false"}, vision.SwitchSides{Open: r.open}, r.clk, nil)
	defer s.Close()
	assert.Equal(t, "source.enabled = false", s.State().OffBy)
	dst := gocv.NewMat()
	defer dst.Close()
	readFrom(t, s, &dst, false)

	gate := make(chan struct{})
	r.mu.Lock()
	r.gate = gate
	r.mu.Unlock()
	s.Set(true, "key K") // would hang here if it opened the camera itself
	assert.False(t, s.State().Off)
	got := make(chan int, 1)
	go func() { // no require here: not the test's goroutine
		for {
			if _, err := s.Read(&dst); err != nil || dst.Cols() == 64 {
				got <- dst.Cols()
				return
			}
		}
	}()
	close(gate)
	select {
	case w := <-got:
		assert.Equal(t, 64, w)
	case <-time.After(20 * time.Second):
		t.Fatal("no camera frame after the turn")
	}
	assert.True(t, r.opened(false)[0].Closed())
}

// What plays is told as it changes: the reel standing in when the camera
// is turned off, and when it is turned on but cannot be opened (the DEMO
// badge and the games' demo settings follow it); the camera again once it
// opens.
func TestSwitchTellsWhenTheReelStandsIn(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &switchRig{clk: newFakeClock()}
	s := r.cameraOn(t, ctx)
	defer s.Close()
	told := make(chan bool, 8)
	s.OnStandIn(func(standIn bool) { told <- standIn })
	next := func() bool {
		t.Helper()
		select {
		case v := <-told:
			return v
		case <-time.After(20 * time.Second):
			t.Fatal("not told")
			return false
		}
	}
	dst := gocv.NewMat()
	defer dst.Close()
	readFrom(t, s, &dst, true)
	assert.False(t, s.State().StandIn)

	s.Set(false, "key K")
	assert.True(t, next(), "off: the reel stands in")
	readFrom(t, s, &dst, false)
	assert.True(t, s.State().StandIn)

	r.mu.Lock()
	r.broken = true
	r.mu.Unlock()
	s.Set(true, "key K")
	readFrom(t, s, &dst, false) // the reel again, opened as the camera's side
	st := s.State()
	assert.False(t, st.Off, "asked on")
	assert.True(t, st.StandIn, "but the camera could not be opened: the reel still stands in")
	assert.Len(t, r.opened(true), 1, "only the first camera was ever opened")

	r.mu.Lock()
	r.broken = false
	r.mu.Unlock()
	s.Set(false, "key K")
	s.Set(true, "key K")
	// The off turn may be skipped (only the latest wish counts) or done:
	// either way the last word is the camera.
	for next() {
	}
	readFrom(t, s, &dst, true)
	assert.False(t, s.State().StandIn)
	select {
	case v := <-told:
		t.Fatalf("told %v once more with nothing changed", v)
	default:
	}
}

// A camera that could not be opened is tried again while the reel stands
// in for it, and plays once it can be opened (plugged in after the start),
// with no key; nothing is tried while the camera is off by choice.
func TestSwitchPicksUpACameraPluggedInLater(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &switchRig{clk: newFakeClock(), broken: true}
	tried := make(chan struct{}, 1)
	camera := func(ctx context.Context) (*vision.Watchdog, error) {
		select {
		case tried <- struct{}{}:
		default:
		}
		r.mu.Lock()
		broken := r.broken
		r.mu.Unlock()
		if broken {
			return nil, errors.New("no such device")
		}
		w, _, err := r.open(ctx, true)
		return w, err
	}
	first, standIn, err := r.open(ctx, true)
	require.NoError(t, err)
	require.True(t, standIn, "the camera could not be opened: the reel stands in")
	s := vision.NewSwitch(ctx, vision.SwitchStart{Side: first, On: true, StandIn: true},
		vision.SwitchSides{Open: r.open, Camera: camera, RetryEvery: 5 * time.Millisecond}, r.clk, nil)
	defer s.Close()
	told := make(chan bool, 4)
	s.OnStandIn(func(v bool) { told <- v })
	dst := gocv.NewMat()
	defer dst.Close()
	readFrom(t, s, &dst, false)
	for range 3 { // tried, and still missing
		select {
		case <-tried:
		case <-time.After(20 * time.Second):
			t.Fatal("the camera is not tried again")
		}
	}
	assert.True(t, s.State().StandIn)
	assert.Empty(t, r.opened(true))

	r.mu.Lock()
	r.broken = false
	r.mu.Unlock()
	select {
	case v := <-told:
		assert.False(t, v, "the camera plays")
	case <-time.After(20 * time.Second):
		t.Fatal("the camera plugged in is not picked up")
	}
	readFrom(t, s, &dst, true)
	assert.False(t, s.State().StandIn)
	assert.True(t, r.opened(false)[0].Closed(), "the reel is closed")

	// Off by the key: the reel plays and the camera is left alone.
	s.Set(false, "key K")
	readFrom(t, s, &dst, false)
	for len(tried) > 0 {
		<-tried
	}
	r.mu.Lock()
	r.broken = true
	r.mu.Unlock()
	select {
	case <-tried:
		t.Fatal("a camera turned off is not tried")
	case <-time.After(100 * time.Millisecond):
	}
	assert.Len(t, r.opened(true), 1, "the camera was opened once")
}
