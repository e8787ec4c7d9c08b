package game_test

import (
	"sync"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/sight"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeHost records what the session asked of the kiosk around it.
type fakeHost struct {
	recalibrated int
	privacy      []string
	brightness   []float64
	quit         int
	camera       []string // "on K", "off K"
}

func (h *fakeHost) Recalibrate()             { h.recalibrated++ }
func (h *fakeHost) SetPrivacy(mode string)   { h.privacy = append(h.privacy, mode) }
func (h *fakeHost) Brightness(delta float64) { h.brightness = append(h.brightness, delta) }
func (h *fakeHost) Quit()                    { h.quit++ }
func (h *fakeHost) SetCamera(on bool, key string) {
	h.camera = append(h.camera, map[bool]string{true: "on ", false: "off "}[on]+key)
}

func testSetup() game.Setup {
	return game.Setup{Game: game.DefaultConfig(), Keys: game.DefaultKeyConfig(), TPS: 20,
		Mirror: true, Privacy: "live", Seed: 7}
}

// kioskRig is a session with a fake host, recording every event.
type kioskRig struct {
	*game.Session
	host   *fakeHost
	board  *game.Leaderboard
	events []game.Event
}

func newKiosk(t *testing.T, setup game.Setup) *kioskRig {
	t.Helper()
	b := &kioskRig{host: &fakeHost{}, board: game.NewLeaderboard(nil)}
	b.Session = game.NewSession(setup, b.board, b.host)
	b.SetDay(testDay)
	b.Listen(func(e game.Event) { b.events = append(b.events, e) })
	return b
}

// play steps n ticks on obs (nil: nothing seen).
func (b *kioskRig) play(n int, o *sight.Observation) {
	for range n {
		b.Step(o)
	}
}

func (b *kioskRig) kinds() []game.Kind {
	var out []game.Kind
	for _, e := range b.events {
		out = append(out, e.Kind)
	}
	return out
}

func TestSessionPresenterKeys(t *testing.T) {
	for _, tc := range []struct {
		name  string
		keys  []string
		check func(t *testing.T, b *kioskRig)
	}{
		{"C re-calibrates motion", []string{"C"}, func(t *testing.T, b *kioskRig) {
			assert.Equal(t, 1, b.host.recalibrated)
			assert.Contains(t, b.kinds(), game.KindRecalibrate)
		}},
		{"V cycles privacy and tells the host", []string{"V", "v"}, func(t *testing.T, b *kioskRig) {
			assert.Equal(t, []string{"pixelated", "silhouette"}, b.host.privacy)
			assert.Equal(t, "silhouette", b.Privacy())
		}},
		{"brighter and dimmer go to the host", []string{"Equal", "Minus", "Minus"}, func(t *testing.T, b *kioskRig) {
			assert.Equal(t, []float64{10, -10, -10}, b.host.brightness)
		}},
		{"M mutes and unmutes", []string{"M"}, func(t *testing.T, b *kioskRig) {
			assert.True(t, b.Muted())
			assert.Equal(t, []game.Kind{game.KindKey, game.KindMute}, b.kinds())
		}},
		{"K turns the camera off and on, through the host, and says so", []string{"K", "k"}, func(t *testing.T, b *kioskRig) {
			assert.Equal(t, []string{"off K", "on k"}, b.host.camera)
			assert.False(t, b.CameraOff())
			var got []game.Event
			for _, e := range b.events {
				if e.Kind == game.KindCamera {
					got = append(got, e)
				}
			}
			require.Len(t, got, 2)
			assert.Equal(t, "off", got[0].Mode)
			assert.Equal(t, "K", got[0].Key)
			assert.Equal(t, "on", got[1].Mode)
		}},
		{"O and F1 toggle the overlays", []string{"O", "F1"}, func(t *testing.T, b *kioskRig) {
			assert.True(t, b.Overlay())
			assert.True(t, b.Help())
		}},
		{"Space starts the next game", []string{"Space"}, func(t *testing.T, b *kioskRig) {
			assert.Equal(t, "countdown", b.Scene().Name())
		}},
		{"Digit3 picks the third game", []string{"Digit3"}, func(t *testing.T, b *kioskRig) {
			c, ok := b.Scene().(*game.Countdown)
			require.True(t, ok)
			assert.Equal(t, "freeze", c.Game().Name())
		}},
		{"P pauses", []string{"P"}, func(t *testing.T, b *kioskRig) {
			assert.True(t, b.Paused())
			assert.Contains(t, b.kinds(), game.KindPaused)
		}},
		{"Escape asks before quitting", []string{"Escape"}, func(t *testing.T, b *kioskRig) {
			assert.Equal(t, "Quit the kiosk? Press Y", b.Question())
			assert.Zero(t, b.host.quit)
			assert.False(t, b.Quitting())
		}},
		{"Escape then Y quits", []string{"Escape", "Y"}, func(t *testing.T, b *kioskRig) {
			assert.Equal(t, 1, b.host.quit)
			assert.True(t, b.Quitting())
		}},
		{"a key with no command is only a key", []string{"Q"}, func(t *testing.T, b *kioskRig) {
			require.Len(t, b.events, 1)
			assert.Equal(t, game.KindKey, b.events[0].Kind)
			assert.Equal(t, game.Command(""), b.events[0].Command)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newKiosk(t, testSetup())
			for _, k := range tc.keys {
				b.Press(k)
				b.Step(nil)
			}
			tc.check(t, b)
		})
	}
}

// A kiosk that starts with the camera off (source.enabled = false) turns
// it on with the first press.
func TestSessionCameraStartsOff(t *testing.T) {
	setup := testSetup()
	setup.CameraOff = true
	b := newKiosk(t, setup)
	assert.True(t, b.CameraOff())
	b.Press("K")
	b.Step(nil)
	assert.Equal(t, []string{"on K"}, b.host.camera)
	assert.False(t, b.CameraOff())
}

func TestSessionConfirmWindowCloses(t *testing.T) {
	b := newKiosk(t, testSetup())
	b.board.Add("hunt", testDay, "Early Bird", 100)
	b.Press("R")
	b.play(6*20, nil) // six seconds: the question is gone
	assert.Empty(t, b.Question())
	b.Press("Y")
	b.Step(nil)
	assert.Len(t, b.board.Top("hunt", testDay), 1, "a late yes resets nothing")

	b.Press("R")
	b.Step(nil)
	b.Press("Y")
	b.Step(nil)
	assert.Empty(t, b.board.Top("hunt", testDay))
	assert.Contains(t, b.kinds(), game.KindBoardReset)
}

// Any key, bound to a command or not, counts as someone at the kiosk: a
// round with no one in view but keys pressed does not end as idle.
func TestSessionAnyKeyIsPresence(t *testing.T) {
	for _, key := range []string{"O", "Q"} {
		setup := testSetup()
		setup.Game.IdleSeconds = 5
		b := newKiosk(t, setup)
		require.NoError(t, b.StartGame("bubbles"))
		for i := range 20 * 30 { // 30 s with nobody in view
			if i%(20*4) == 0 {
				b.Press(key)
			}
			b.Step(nil)
		}
		assert.NotContains(t, b.kinds(), game.KindIdle, key)
		assert.Equal(t, "bubbles", b.Scene().Name(), key)
	}
	setup := testSetup()
	setup.Game.IdleSeconds = 5
	b := newKiosk(t, setup)
	require.NoError(t, b.StartGame("bubbles"))
	b.play(20*30, nil)
	assert.Contains(t, b.kinds(), game.KindIdle, "without keys the round ends")
}

func TestSessionAdvanceFollowsTheWallClock(t *testing.T) {
	b := newKiosk(t, testSetup()) // 20 ticks a second
	t0 := time.Unix(1000, 0)
	assert.Equal(t, 1, b.Advance(t0, nil), "the first call plays one tick")
	assert.Equal(t, 0, b.Advance(t0.Add(10*time.Millisecond), nil))
	assert.Equal(t, 2, b.Advance(t0.Add(110*time.Millisecond), nil), "catches up")
	assert.Equal(t, 30, b.Advance(t0.Add(time.Hour), nil), "a long stall is dropped, not replayed")
	assert.Equal(t, 1, b.Advance(t0.Add(time.Hour+50*time.Millisecond), nil))
	assert.Equal(t, uint64(34), b.Tick())
}

func TestSessionNotesArriveAtTheNextTick(t *testing.T) {
	b := newKiosk(t, testSetup())
	b.play(10, nil)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the camera watchdog's goroutine
		defer wg.Done()
		b.Note(game.Event{Kind: game.KindCameraLost, Source: "camera:0", Reason: "stalled", Outages: 1})
	}()
	wg.Wait()
	assert.Empty(t, b.events)
	b.Step(nil)
	require.Len(t, b.events, 1)
	assert.Equal(t, game.KindCameraLost, b.events[0].Kind)
	assert.Equal(t, 500*time.Millisecond, b.events[0].At, "stamped with the tick it arrived at")
}

func TestSessionDrawingFailureCountsOnce(t *testing.T) {
	b := newKiosk(t, testSetup())
	require.NoError(t, b.StartGame("dodge"))
	b.play(20*4, nil)
	require.Equal(t, "dodge", b.Scene().Name())
	b.SceneFailed("boom", "stack")
	b.SceneFailed("boom again", "stack") // the same frame, drawn twice
	b.Step(nil)
	assert.Equal(t, "attract", b.Scene().Name())
	failed := ofType(b.events, game.KindSceneFailed)
	require.Len(t, failed, 1)
	assert.Equal(t, "dodge", failed[0].Scene)
	assert.Equal(t, "boom", failed[0].Err)
}

// A leaderboard whose disk hangs does not hold up the rules: a round ends,
// its results show the score, and the ticks go on while the write waits.
func TestSessionNeverWaitsForTheLeaderboard(t *testing.T) {
	release := make(chan struct{})
	board := game.SavingLeaderboard(func([]byte) error { <-release; return nil }, nil)
	ses, got := startBubblesRound(t, board)
	done := make(chan struct{})
	go func() {
		defer close(done)
		waveThrough(ses)
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("the session waited for the hung disk")
	}
	results := *got
	require.NotEmpty(t, results)
	assert.Positive(t, results[0].Score)
	assert.Equal(t, 1, results[0].Rank, "ranked from the board in memory")
	assert.Equal(t, results[0].Score, board.Top("bubbles", testDay)[0].Score)
	close(release)
	board.Close()
}

// A kiosk that stops during a round (SIGTERM, quit) ends it with its
// score: logged, on the board, told to the listeners. Elsewhere it only
// says it stops.
func TestSessionShutdownEndsTheRoundInPlay(t *testing.T) {
	b := newKiosk(t, testSetup())
	require.NoError(t, b.StartGame("bubbles"))
	o := obs()
	for i := range 20 * 10 { // the countdown and 7 s of waving
		moving(o, game.Rect{X0: float32(i%20) / 20, Y0: 0, X1: float32(i%20)/20 + 0.2, Y1: 1})
		b.Step(o)
	}
	require.Equal(t, "bubbles", b.Scene().Name())
	n := len(b.events)
	b.Shutdown()
	got := b.events[n:]
	require.Len(t, got, 3)
	assert.Equal(t, []game.Kind{game.KindShutdown, game.KindRoundEnd, game.KindResults}, []game.Kind{got[0].Kind, got[1].Kind, got[2].Kind})
	assert.Positive(t, got[1].Score)
	assert.Equal(t, got[1].Score, b.board.Top("bubbles", testDay)[0].Score, "the score is on the board")

	idle := newKiosk(t, testSetup())
	idle.play(10, nil)
	idle.Shutdown()
	assert.Equal(t, []game.Kind{game.KindShutdown}, idle.kinds(), "no round to end on the attract screen")
}
