package booth

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"sync/atomic"
	"time"

	"github.com/carrierarcade/kiosk/budget"
	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/health"
	"github.com/carrierarcade/kiosk/internal/meter"
	"github.com/carrierarcade/kiosk/link"
	"github.com/carrierarcade/kiosk/power"
	"github.com/carrierarcade/kiosk/sight"
)

// Eyes are the vision side as the booth sees it: the newest observation
// and how the pipeline is doing, taken without waiting, and motion's
// re-calibration. vision.Pipeline and vision.Stepper are Eyes;
// boothtest.Eyes is a fake.
type Eyes interface {
	Observe(dst *sight.Observation, st *sight.Status)
	// Status is Observe's status alone, for the health probes: it is
	// called from their goroutines.
	Status() sight.Status
	// SeesObjects is true while the object detector runs.
	SeesObjects() bool
	// SourceName names the camera or clip.
	SourceName() string
	Recalibrate()
}

// Feed hands the booth its frames one at a time, for a booth on clip time:
// Next reads the next frame and runs the pipeline on it, in the caller's
// goroutine (vision.Stepper, through StepFeed). ErrEnded says the clip
// has no more.
type Feed interface {
	Next() (sight.Frame, error)
}

// ErrEnded is a Feed's clip that has played to its end.
var ErrEnded = errors.New("the clip ended")

// Link is this carrier's link to the others, as the booth uses it
// (*link.Carrier is one): it hears the session's events, calls battles,
// is told the live score and keeps the board and news across carriers.
type Link interface {
	Hear(e game.Event)
	OnBattle(f func(game.BattleCall))
	LiveScene(sc game.Scene)
	Battle(id string) (link.BattleView, bool)
	Status() link.Status
	News() []link.NewsItem
	Board() *link.Board
	Today() string
}

// Camera is the camera the booth plays from, behind its watchdog and the
// presenter's switch (SwitchCamera, WatchdogCamera); its State is read
// from any goroutine.
type Camera interface {
	State() CameraStatus
	// Set turns the camera on or off (off: the demo reel plays); by says
	// who asked. It returns at once.
	Set(on bool, by string)
	// Name names the camera or clip, for the session's notes.
	Name() string
	// Watch tells changed of each change of its state from now on, and
	// standIn when the demo reel begins or stops playing in its place.
	Watch(changed func(CameraStatus), standIn func(bool))
}

// Power is the power policy's side (power.Controller with a dimmer).
type Power struct {
	Config power.Config
	Dimmer *power.Dimmer // nil: no backlight the kiosk may set
}

// Parts are what a booth is made of. Setup and Eyes are needed; the
// others may be left out.
type Parts struct {
	Setup game.Setup
	Board *game.Leaderboard // nil: no scores kept
	Eyes  Eyes
	// Feed, when set, puts the booth on clip time: each Tick reads a frame
	// and plays the ticks up to its time (kiosk sim, timedemo). Without,
	// the wall clock Tick is given drives it.
	Feed Feed
	// Limit ends a booth on clip time once its game time reaches it; 0
	// plays until the clip ends.
	Limit time.Duration
	// Budget is [budget]; Rates hears each new budget (the pipeline's
	// rates).
	Budget budget.Config
	Rates  func(budget.Rates)
	Camera Camera
	Power  *Power
	Link   Link
	// NoLink is why there is no link, for the presenter who calls a
	// battle anyway.
	NoLink string
	// Health serves the probes and metrics of this booth; nil: none.
	Health *health.Server
	Log    *slog.Logger
	// Today names the leaderboard's day, read once a second; nil: the day
	// of the time Tick is given.
	Today func() string
}

// Booth is one running kiosk: the session and everything around it that
// is not drawing. It is advanced once per frame (Tick) by its one driver,
// the window, kiosk sim or a benchmark, and hands them a Snapshot.
// Everything but Note, Battle and the health probes runs on the driver's
// goroutine.
type Booth struct {
	ses    *game.Session
	parts  Parts
	budget *budget.Budgeter
	power  *power.Controller
	stop   func() // the power policy's goroutine

	clip clipClock
	now  time.Time // the time of the last Tick
	snap Snapshot
	obs  sight.Observation
	st   sight.Status

	every  sampler
	demo   atomic.Bool // the snapshot's, for the probes
	drawn  meter.Rate
	err    error // the feed's
	played int   // ticks played by the last Tick
}

// clipClock is a booth on clip time: where the clip's time starts, the
// last frame's, and whether it has played out.
type clipClock struct {
	started bool
	start   time.Duration // the clip's time at its first frame
	at      time.Duration // the last frame's
	over    bool
}

// clipEpoch is where clip time starts for the budgeter's clock: on clip
// time it follows the clip, so that the same clip idles alike.
var clipEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// sampler is what the booth reads now and then rather than every frame:
// once a second, a battle's scores four times a second, the stats line
// once a minute.
type sampler struct {
	second, battle, minute time.Time
	logicFrom              time.Time
	logicTick              uint64
	battleSeq              uint64
}

// battleEvery is how often the snapshot takes a fresh copy of a battle's
// scores from the link: often enough for a live HUD, not every frame.
const battleEvery = 250 * time.Millisecond

// New wires a booth from its parts: the session with its host, the
// budgeter and the power policy, the link, health and metrics, the event
// log. Close stops what it started.
func New(p Parts) *Booth {
	if p.Log == nil {
		p.Log = slog.New(slog.DiscardHandler)
	}
	b := &Booth{parts: p, stop: func() {}}
	apply := func(r budget.Rates) {
		if p.Rates != nil {
			p.Rates(r)
		}
	}
	b.budget = budget.NewBudgeter(p.Budget, p.Setup.Game.WaveThreshold, apply)
	b.ses = game.NewSession(p.Setup, p.Board, host{b})
	b.ses.Listen(game.NewEventLog(p.Log).Hear)
	if p.Power != nil {
		b.power = power.NewController(p.Power.Config, b.budget.Level, p.Power.Dimmer, p.Log)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			b.power.Run(ctx)
		}()
		b.stop = func() { cancel(); <-done }
	}
	if p.Link != nil {
		b.ses.Listen(p.Link.Hear)
		p.Link.OnBattle(b.ses.Battle)
	} else {
		b.ses.Listen(b.noBattle)
	}
	if p.Health != nil {
		b.ses.Listen(p.Health.Hear)
		b.watchHealth(p.Health)
	}
	if c := p.Camera; c != nil {
		c.Watch(func(st CameraStatus) { b.ses.Note(CameraEvent(c.Name(), st)) },
			func(on bool) { b.ses.Note(DemoEvent(on)) })
	}
	b.demo.Store(p.Setup.Demo)
	b.snap = Snapshot{Scene: b.ses.Scene(), Obs: &b.obs, Status: &b.st, TPS: p.Setup.TPS, Demo: p.Setup.Demo,
		Source: p.Eyes.SourceName()}
	b.snap.Stats.Started = time.Now()
	b.snap.Presenter.Privacy = p.Setup.Privacy
	return b
}

// noBattle answers the presenter's battle key on a carrier without a link.
func (b *Booth) noBattle(e game.Event) {
	if e.Kind == game.KindBattleCall {
		b.parts.Log.Warn("no carrier battle: "+b.parts.NoLink, "game", e.Game)
	}
}

// Close stops the power policy. The parts given to New are closed by
// whoever opened them.
func (b *Booth) Close() { b.stop() }

// Tick advances the booth to now: the ticks the clock says are due are
// played on the newest observation, then the budget follows the scene,
// the link hears the live score, and the snapshot is brought up to date.
// On the wall clock the ticks due are those since the last Tick (at most
// half a second's worth: a longer stall is dropped); on clip time (a
// Feed) one frame is read and the ticks up to its time are played. The
// snapshot is the booth's own, valid until the next Tick.
func (b *Booth) Tick(now time.Time) *Snapshot {
	b.now = now
	b.played = 0
	if b.parts.Feed != nil {
		b.tickClip()
	} else {
		b.parts.Eyes.Observe(&b.obs, &b.st)
		b.played = b.ses.Advance(now, &b.obs)
	}
	if b.parts.Health != nil {
		b.parts.Health.Ticked(now, b.played)
	}
	sc := b.ses.Scene()
	follow := now
	if b.parts.Feed != nil {
		follow = clipEpoch.Add(b.clip.at)
	}
	b.budget.Follow(sc, &b.obs, follow)
	if b.parts.Link != nil {
		b.parts.Link.LiveScene(sc)
	}
	b.fill(sc)
	return &b.snap
}

// tickClip reads the feed's next frame and plays every tick up to its
// time, game time counted from the first frame.
func (b *Booth) tickClip() {
	c := &b.clip
	if c.over {
		return
	}
	f, err := b.parts.Feed.Next()
	if errors.Is(err, ErrEnded) {
		// A clip that ends is a camera that stopped.
		b.ses.Note(game.Event{Kind: game.KindCameraLost, Source: b.parts.Eyes.SourceName(), Reason: ErrEnded.Error()})
		b.ses.Step(&b.obs)
		b.played++
		c.over = true
		return
	}
	if err != nil {
		b.err, c.over = err, true
		return
	}
	if !c.started {
		c.started, c.start = true, f.Time
	}
	c.at = f.Time
	b.parts.Eyes.Observe(&b.obs, &b.st)
	for b.ses.Now() <= f.Time-c.start && !b.ses.Quitting() {
		if b.parts.Limit > 0 && b.ses.Now() >= b.parts.Limit {
			c.over = true
			return
		}
		b.ses.Step(&b.obs)
		b.played++
	}
}

// Err is why a booth on clip time stopped early: its feed failed.
func (b *Booth) Err() error { return b.err }

// fill brings the snapshot up to date: the session's state every frame,
// what must be copied (the link, the stats) now and then.
func (b *Booth) fill(sc game.Scene) {
	s, ses, now := &b.snap, b.ses, b.now
	s.Scene, s.Tick = sc, ses.Tick()
	s.Presenter = Presenter{Paused: ses.Paused(), Help: ses.Help(), Overlay: ses.Overlay(), Privacy: ses.Privacy(),
		Question: ses.Question(), Quit: ses.Quitting()}
	s.Demo = ses.Demo()
	b.demo.Store(s.Demo)
	s.Over = b.clip.over
	if b.parts.Camera != nil {
		s.Camera = b.parts.Camera.State()
	}
	rates := b.budget.Current()
	idle, since := b.budget.Idle()
	s.Budget = BudgetView{Rates: rates, Idle: idle, IdleSince: since, SeesObjects: b.parts.Eyes.SeesObjects()}
	if b.power != nil {
		s.Power = PowerView{Known: true, Status: b.power.Status(), Backlight: b.power.HasBacklight()}
	}
	b.followBattle(sc, now)
	if now.Sub(b.every.second) >= time.Second {
		b.everySecond(sc, now)
	}
	if now.Sub(b.every.minute) >= time.Minute {
		if !b.every.minute.IsZero() {
			b.logStats()
		}
		b.every.minute = now
	}
}

// everySecond takes what changes slowly or costs a copy: the day, the
// logic rate, memory, the session's lists, the link's view.
func (b *Booth) everySecond(sc game.Scene, now time.Time) {
	s, ses := &b.snap, b.ses
	day := now.Format("2006-01-02")
	if b.parts.Today != nil {
		day = b.parts.Today()
	}
	ses.SetDay(day)
	// Ticks come in bursts when drawing is slow, so their rate is counted
	// over whole seconds.
	if !b.every.logicFrom.IsZero() {
		s.Stats.LogicRate = float64(ses.Tick()-b.every.logicTick) / now.Sub(b.every.logicFrom).Seconds()
	}
	b.every.logicFrom, b.every.logicTick = now, ses.Tick()
	b.every.second = now
	s.Stats.RSS, _ = meter.RSS()
	s.Stats.Played, s.Stats.Disabled, s.Stats.BoardProblem = ses.Played(), ses.Disabled(), ses.BoardProblem()
	s.Stats.Rotation = ses.Rotation()
	if l := b.parts.Link; l != nil {
		s.Link.On = true
		s.Link.Status, s.Link.News = l.Status(), l.News()
		s.Link.Across = acrossBoard(l, sc, s.Link.Status.Name)
	}
}

// followBattle takes the battle's board from the link now and then while
// a scene of a battle is on screen.
func (b *Booth) followBattle(sc game.Scene, now time.Time) {
	v := &b.snap.Link
	id := sceneBattle(sc)
	if id == "" || b.parts.Link == nil {
		if v.Battle.ID != "" {
			v.Battle = link.BattleView{}
			b.every.battleSeq++
			v.BattleSeq = b.every.battleSeq
		}
		return
	}
	if v.Battle.ID != id || now.Sub(b.every.battle) >= battleEvery {
		v.Battle, _ = b.parts.Link.Battle(id)
		b.every.battle = now
		b.every.battleSeq++
		v.BattleSeq = b.every.battleSeq
	}
}

// battleScene is a scene that is part of a carrier battle: the countdown,
// the round, the results.
type battleScene interface{ Battle() string }

// sceneBattle is the battle the scene on screen belongs to, "" for none.
func sceneBattle(sc game.Scene) string {
	if b, ok := sc.(battleScene); ok {
		return b.Battle()
	}
	return ""
}

// acrossBoard is the board across carriers for the results on screen, if
// any; own is this carrier's name, to find the player's row.
func acrossBoard(l Link, sc game.Scene, own string) Across {
	r, ok := sc.(*game.Results)
	if !ok {
		return Across{}
	}
	out := Across{Game: r.Game(), Mine: -1}
	for i, e := range l.Board().Top(r.Game(), l.Today()) {
		out.Top = append(out.Top, game.Entry{Name: e.Player + " (" + e.Carrier + ")", Score: e.Score})
		if out.Mine < 0 && e.Carrier == own && e.Player == r.PlayerName() && e.Score == r.Score() {
			out.Mine = i
		}
	}
	return out
}

// Drawn tells the booth that its driver drew a frame at now (the window):
// the metrics count it, the overlay and the stats line show the rate.
func (b *Booth) Drawn(now time.Time) {
	b.drawn.Tick(now)
	b.snap.Stats.DrawnRate = b.drawn.Value(now)
	if b.parts.Health != nil {
		b.parts.Health.Drawn(now)
	}
}

// logStats writes one line a minute of how the kiosk keeps up, so a long
// run leaves a record.
func (b *Booth) logStats() {
	rss, peak := meter.RSS()
	st := &b.st
	ms := func(d time.Duration) float64 { return round1(float64(d.Microseconds()) / 1000) }
	b.parts.Log.Info("stats",
		"drawn_fps", round1(b.drawn.Value(b.now)), "tps", round1(b.snap.Stats.LogicRate),
		"camera_fps", round1(st.CameraRate), "object_ms", ms(st.Objects.Timings.Inference),
		"object_hz", round1(st.Objects.Rate), "face_ms", ms(st.Faces.Timings.Inference),
		"face_hz", round1(st.Faces.Rate), "object_failures", st.Objects.Failures,
		"face_failures", st.Faces.Failures, "rss_mb", rss>>20, "peak_rss_mb", peak>>20)
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// Snapshot is the booth as it is after the last Tick.
func (b *Booth) Snapshot() *Snapshot { return &b.snap }

// Press takes a key that went down, by its Ebitengine name: its command
// is carried out on the next tick, and any key counts as someone there.
func (b *Booth) Press(key string) { b.ses.Press(key) }

// StartGame jumps to a game's countdown on the next tick.
func (b *Booth) StartGame(name string) error { return b.ses.StartGame(name) }

// Script presses each key at its game time (kiosk --keys).
func (b *Booth) Script(keys []game.ScriptedKey) { b.ses.Script(keys) }

// SetCanvas tells the rules the size of what the screen draws on (see
// game.Session.SetCanvas).
func (b *Booth) SetCanvas(c game.Canvas) { b.ses.SetCanvas(c) }

// SetOverlay shows or hides the operator overlay (display.overlay).
func (b *Booth) SetOverlay(on bool) { b.ses.SetOverlay(on) }

// Listen adds a listener for every event from now on (sounds, the
// screen's effects, the simulator's lines). It runs on the driver's
// goroutine and must not block.
func (b *Booth) Listen(f func(game.Event)) { b.ses.Listen(f) }

// Note tells the session of something outside the rules; safe from any
// goroutine.
func (b *Booth) Note(e game.Event) { b.ses.Note(e) }

// Tape is a recording (record.Writer).
type Tape interface {
	game.Tape
	Hear(e game.Event)
}

// Record hands every tick's intake and event to tape from now on.
func (b *Booth) Record(tape Tape) {
	b.ses.Record(tape)
	b.ses.Listen(tape.Hear)
}

// Setup is what the session was made with (for a recording's header).
func (b *Booth) Setup() game.Setup { return b.ses.Setup() }

// Keys is the presenter's keyboard, for the help overlay.
func (b *Booth) Keys() game.KeyConfig { return b.ses.Keys() }

// SceneFailed reports a panic while the scene on screen was drawn: the
// next tick counts it against the scene (see game.Session.SceneFailed).
func (b *Booth) SceneFailed(cause any, stack string) { b.ses.SceneFailed(cause, stack) }

// Shutdown plays a last tick for a kiosk that is stopping: a round in play
// ends with its score.
func (b *Booth) Shutdown() { b.ses.Shutdown() }

// PowerPolicy is the power policy the booth runs; nil when it runs none.
// Its Status may be read from any goroutine (the link's heartbeat tells
// the battery).
func (b *Booth) PowerPolicy() *power.Controller { return b.power }

// Budgeter is the booth's budgeter, for a benchmark that sets the power
// level itself.
func (b *Booth) Budgeter() *budget.Budgeter { return b.budget }

// CameraEvent is the session's note of a change in the camera's state.
func CameraEvent(source string, st CameraStatus) game.Event {
	if st.Live {
		return game.Event{Kind: game.KindCameraBack, Source: source, Outages: st.Outages, Back: st.Recoveries}
	}
	return game.Event{Kind: game.KindCameraLost, Source: source, Reason: st.Reason, Outages: st.Outages}
}

// DemoEvent is the session's note that the demo reel began (standIn) or
// stopped playing in the camera's place: the games follow it.
func DemoEvent(standIn bool) game.Event {
	if standIn {
		return game.Event{Kind: game.KindDemo, Mode: "on"}
	}
	return game.Event{Kind: game.KindDemo, Mode: "off"}
}

// host is what the session steers outside the rules, through the booth's
// parts: motion's calibration (the eyes), the brightness (the power
// policy, which writes the backlight on its own goroutine) and the camera
// (the switch, which turns it on its own goroutine). Privacy and quitting
// are read back from the session by the snapshot.
type host struct{ b *Booth }

func (h host) Recalibrate() { h.b.parts.Eyes.Recalibrate() }

func (h host) SetPrivacy(string) {}

func (h host) Brightness(delta float64) {
	if h.b.power != nil {
		h.b.power.Nudge(delta)
	}
}

func (h host) SetCamera(on bool, key string) {
	if h.b.parts.Camera != nil {
		h.b.parts.Camera.Set(on, "key "+key)
	}
}

func (h host) Quit() {}
