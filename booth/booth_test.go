package booth_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/booth"
	"github.com/carrierarcade/kiosk/booth/boothtest"
	"github.com/carrierarcade/kiosk/budget"
	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/health"
	"github.com/carrierarcade/kiosk/link"
	"github.com/carrierarcade/kiosk/sight"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// still is a calibrated picture in which nothing moves and nobody is seen.
func still() sight.Observation {
	return sight.Observation{Motion: sight.MotionGrid{W: 16, H: 12, Calibrated: true, Energy: make([]float32, 16*12)}}
}

func setup() game.Setup {
	s := game.Setup{Game: game.DefaultConfig(), Keys: game.DefaultKeyConfig(), TPS: 60, Privacy: "live", Seed: 1}
	s.Game.DemoAutoplaySeconds = 0
	return s
}

// events collects what a booth's session tells.
type events []game.Event

func (e *events) hear(ev game.Event) { *e = append(*e, ev) }

func (e events) of(k game.Kind) []game.Event {
	var out []game.Event
	for _, ev := range e {
		if ev.Kind == k {
			out = append(out, ev)
		}
	}
	return out
}

var t0 = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

// On the wall clock a Tick plays the ticks due since the last (the first
// plays one), the budget follows the scene and the pipeline is told its
// rates; the snapshot says what is on screen.
func TestTickOnTheWallClock(t *testing.T) {
	t.Parallel()
	var rates []budget.Rates
	b := booth.New(booth.Parts{Setup: setup(), Eyes: boothtest.NewEyes("clip", still()), Budget: budget.Default(),
		Rates: func(r budget.Rates) { rates = append(rates, r) }})
	defer b.Close()
	snap := b.Tick(t0)
	assert.EqualValues(t, 1, snap.Tick)
	snap = b.Tick(t0.Add(time.Second / 4))
	assert.EqualValues(t, 16, snap.Tick, "a quarter second's ticks at 60 a second")
	snap = b.Tick(t0.Add(5 * time.Second))
	assert.EqualValues(t, 16+30, snap.Tick, "a stall plays at most half a second's ticks")
	assert.Equal(t, "attract", snap.Scene.Name())
	assert.Equal(t, "clip", snap.Source)
	attract := budget.Rates{DrawFPS: 60, ObjectHz: 4, FaceHz: 0, MotionHz: 30}
	assert.Equal(t, attract, snap.Budget.Rates, "the attract screen's needs")
	require.NotEmpty(t, rates)
	assert.Equal(t, attract, rates[len(rates)-1], "the pipeline runs what the budget says")

	require.NoError(t, b.StartGame("dodge"))
	for i := range 4 * 60 {
		snap = b.Tick(t0.Add(5*time.Second + time.Duration(i+1)*time.Second/60))
	}
	assert.Equal(t, "dodge", snap.Scene.Name())
	assert.Equal(t, budget.Rates{DrawFPS: 60, ObjectHz: 0, FaceHz: 10, MotionHz: 10}, snap.Budget.Rates, "the head is the paddle")
	assert.Equal(t, snap.Budget.Rates, rates[len(rates)-1])
}

// On clip time each Tick reads a frame and plays the ticks up to its time;
// a clip that ends is a camera that stopped (told once, then no more
// ticks); a limit ends the play at its game time.
func TestTickOnClipTime(t *testing.T) {
	t.Parallel()
	var heard events
	b := booth.New(booth.Parts{Setup: setup(), Eyes: boothtest.NewEyes("file:walk.avi", still()),
		Feed: &boothtest.Clip{FPS: 10, Frames: 30}, Budget: budget.Default()})
	defer b.Close()
	b.Listen(heard.hear)
	var snap *booth.Snapshot
	for range 40 {
		snap = b.Tick(time.Now())
	}
	assert.True(t, snap.Over)
	// Frames at 0 to 2.9 s: ticks up to 2.9 s, and one more for the end.
	assert.EqualValues(t, 2.9*60+1+1, snap.Tick)
	lost := heard.of(game.KindCameraLost)
	require.Len(t, lost, 1)
	assert.Equal(t, "file:walk.avi", lost[0].Source)
	assert.Equal(t, "the clip ended", lost[0].Reason)
	assert.NoError(t, b.Err())

	limited := booth.New(booth.Parts{Setup: setup(), Eyes: boothtest.NewEyes("clip", still()),
		Feed: &boothtest.Clip{FPS: 10}, Limit: time.Second, Budget: budget.Default()})
	defer limited.Close()
	for snap = limited.Tick(time.Now()); !snap.Over; snap = limited.Tick(time.Now()) {
	}
	dt := time.Second / 60
	assert.Less(t, time.Duration(snap.Tick-1)*dt, time.Second, "the last tick played began before the limit")
	assert.GreaterOrEqual(t, time.Duration(snap.Tick)*dt, time.Second, "and the game time reached it")
}

// "Demo" has one source of truth: what the session plays to. The snapshot
// (the DEMO badge) and /metrics follow the camera's notes alike.
func TestDemoHasOneSource(t *testing.T) {
	t.Parallel()
	s := setup()
	s.Demo = true
	srv := health.New(health.Options{})
	b := booth.New(booth.Parts{Setup: s, Eyes: boothtest.NewEyes("reel", still()), Budget: budget.Default(), Health: srv})
	defer b.Close()
	demoMetric := func() float64 {
		mfs, err := srv.Registry().Gather()
		require.NoError(t, err)
		for _, mf := range mfs {
			if mf.GetName() == "kiosk_camera_demo" {
				return mf.GetMetric()[0].GetGauge().GetValue()
			}
		}
		t.Fatal("no kiosk_camera_demo")
		return 0
	}
	assert.True(t, b.Tick(t0).Demo)
	assert.Equal(t, 1.0, demoMetric())
	b.Note(booth.DemoEvent(false)) // the camera plays again
	assert.False(t, b.Tick(t0.Add(time.Second)).Demo)
	assert.Equal(t, 0.0, demoMetric())
	b.Note(booth.DemoEvent(true))
	assert.True(t, b.Tick(t0.Add(2*time.Second)).Demo)
	assert.Equal(t, 1.0, demoMetric())
}

// fakeLink records what the booth tells the link.
type fakeLink struct {
	heard  events
	scenes []string
	battle func(game.BattleCall)
	board  *link.Board
}

func (l *fakeLink) Hear(e game.Event)                { l.heard.hear(e) }
func (l *fakeLink) OnBattle(f func(game.BattleCall)) { l.battle = f }
func (l *fakeLink) LiveScene(sc game.Scene)          { l.scenes = append(l.scenes, sc.Name()) }
func (l *fakeLink) Battle(id string) (link.BattleView, bool) {
	return link.BattleView{ID: id, Game: "bubbles"}, true
}
func (l *fakeLink) Status() link.Status   { return link.Status{Name: "Test Cat", Up: true} }
func (l *fakeLink) News() []link.NewsItem { return []link.NewsItem{{Text: "news"}} }
func (l *fakeLink) Board() *link.Board    { return l.board }
func (l *fakeLink) Today() string         { return "2026-12-03" }

// The link is wired in the booth: it hears every event, is told the scene
// for the live score on every tick (the one place that does), its battle
// calls reach the session, and the snapshot carries its view.
func TestTheLinkIsWiredOnce(t *testing.T) {
	t.Parallel()
	l := &fakeLink{board: link.NewBoard()}
	b := booth.New(booth.Parts{Setup: setup(), Eyes: boothtest.NewEyes("clip", still()), Budget: budget.Default(), Link: l})
	defer b.Close()
	require.NotNil(t, l.battle, "the booth takes the link's battles")
	l.battle(game.BattleCall{ID: "b1", Game: "bubbles", Start: t0.Add(3 * time.Second)})
	var snap *booth.Snapshot
	for i := range 30 {
		snap = b.Tick(t0.Add(time.Duration(i) * time.Second / 10))
	}
	assert.Len(t, l.scenes, 30, "told once a frame")
	assert.Equal(t, "countdown", snap.Scene.Name())
	assert.Equal(t, "b1", snap.Link.Battle.ID, "the battle's board, taken from the link")
	assert.True(t, snap.Link.On)
	assert.Equal(t, "Test Cat", snap.Link.Status.Name)
	require.NotEmpty(t, l.heard.of(game.KindBattle), "the link hears the session")
	assert.Equal(t, "b1", l.heard.of(game.KindBattle)[0].Battle)
}

// Without a link the battle key says why there is none, once per press.
func TestBattleKeyWithoutALink(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	b := booth.New(booth.Parts{Setup: setup(), Eyes: boothtest.NewEyes("clip", still()), Budget: budget.Default(),
		NoLink: "the carrier link is off", Log: slog.New(slog.NewTextHandler(&buf, nil))})
	defer b.Close()
	b.Tick(t0)
	b.Press("B")
	b.Tick(t0.Add(time.Second))
	assert.Equal(t, 1, strings.Count(buf.String(), `msg="no carrier battle: the carrier link is off"`), buf.String())
}

// The presenter's keys reach the parts through the booth: C re-calibrates
// the eyes' motion, V changes the privacy mode the snapshot shows, O the
// overlay.
func TestPresenterKeysReachTheParts(t *testing.T) {
	t.Parallel()
	eyes := boothtest.NewEyes("clip", still())
	b := booth.New(booth.Parts{Setup: setup(), Eyes: eyes, Budget: budget.Default()})
	defer b.Close()
	b.Tick(t0)
	for _, k := range []string{"C", "V", "O"} {
		b.Press(k)
	}
	snap := b.Tick(t0.Add(time.Second / 60))
	assert.Equal(t, 1, eyes.Recalibrated())
	assert.Equal(t, "pixelated", snap.Presenter.Privacy)
	assert.True(t, snap.Presenter.Overlay)
}
