package game

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/carrierarcade/kiosk/sight"
)

// Host is what only the kiosk around a session can do. The session calls
// it from the goroutine that drives it (Ebitengine's Update in the window),
// so each method must return at once and leave slow work (a backlight
// write) to a goroutine of its own.
type Host interface {
	Recalibrate()             // motion learns its noise floor again
	SetPrivacy(mode string)   // how people are shown from now on
	Brightness(delta float64) // the presenter's brighter/dimmer, in percent
	// SetCamera closes the camera device (off: the demo reel plays
	// instead) or opens it again; key is the key that asked.
	SetCamera(on bool, key string)
	Quit() // close the kiosk
}

// NoHost is a host with no hardware: simulations, replays and tests.
type NoHost struct{}

func (NoHost) Recalibrate()           {}
func (NoHost) SetPrivacy(string)      {}
func (NoHost) Brightness(float64)     {}
func (NoHost) SetCamera(bool, string) {}
func (NoHost) Quit()                  {}

// Setup is everything a session's play depends on besides what it observes
// and the keys pressed. A recording keeps it, so that a replay plays alike.
type Setup struct {
	Game    Config    `json:"game"`
	Keys    KeyConfig `json:"keys"`
	TPS     int       `json:"tps"`     // logic ticks a second
	Mirror  bool      `json:"mirror"`  // the picture is shown as a selfie
	Privacy string    `json:"privacy"` // the privacy mode at start
	Muted   bool      `json:"muted"`
	// CameraOff is true when the kiosk starts with the camera off
	// (source.enabled = false): the camera key turns it on.
	CameraOff bool `json:"camera_off,omitempty"`
	// Demo is true when the demo reel plays in the camera's place at
	// start (no camera, or it is off); a KindDemo note changes it later.
	// Always written: a recording without it is older, and Legacy reads
	// it from the game settings.
	Demo bool   `json:"demo"`
	Seed uint64 `json:"seed"` // of the rules' random source
}

// LegacyDemo is Demo for a recording made before Setup had it: then the
// kiosk set the demo's game settings only when the reel played (its
// schedule, or the autoplay, which it zeroed with a camera).
func (s Setup) LegacyDemo() bool {
	return s.Game.Demo.on() || s.Game.DemoAutoplaySeconds > 0
}

// Intake is what a session takes in for one tick: a recording keeps one
// for each tick, and a replay hands them back.
type Intake struct {
	Tick     uint64
	Day      string
	Obs      *sight.Observation
	Keys     []string  // keys pressed since the tick before, by name
	Notes    []Event   // told by the host since the tick before
	Failures []Failure // scenes that failed outside the rules (drawing)
	Start    string    // a game started from the command line
	// Shutdown is set on the last tick of a kiosk that is stopping: the
	// round in play ends with its score.
	Shutdown bool
	// Battle is a carrier battle that starts its countdown on this tick.
	Battle *BattleStart
	// BattleGo ends that battle's countdown on this tick: its moment came
	// by the wall clock, though the game clock (slowed by slow drawing)
	// has not counted it down yet.
	BattleGo string
	// Canvas is set on the tick the screen's canvas takes a new size (the
	// window opened, was resized or turned): the games place everything in
	// the part of the picture it shows.
	Canvas *Canvas
}

// BattleCall is a carrier battle as the link hands it over: its ID, the
// game, and when the round starts on this machine's wall clock (the
// link has already turned the hub's time into this machine's).
type BattleCall struct {
	ID    string
	Game  string
	Start time.Time
}

// BattleStart is a battle as the rules take it: the countdown's length in
// ticks, so that a replay plays it alike whatever the clock says.
type BattleStart struct {
	ID    string `json:"id"`
	Game  string `json:"game"`
	Ticks int    `json:"ticks"`
}

// battleLate is how late a battle's call may come and still be played: a
// round that starts a moment after the others' is still a fair battle.
const battleLate = 2 * time.Second

// Failure is a panic outside the rules, while a scene was drawn.
type Failure struct {
	Cause string `json:"cause"`
	Stack string `json:"stack,omitempty"`
}

// Tape hears every tick's intake before the tick is played. It runs on the
// session's goroutine: it must not keep obs past the call.
type Tape interface {
	Take(in *Intake)
}

// confirmWindow is how long a question waits for the confirm key.
const confirmWindow = 5 * time.Second

// maxCatchUp is the most ticks one Advance runs to catch up with the wall
// clock; a longer stall (the laptop suspended) is dropped, not replayed.
const maxCatchUp = 30

// Session is one booth session: the game manager, the seeded random source,
// the fixed-step logic clock, the day, the presenter's keys and what they
// do, and the events that leave. The window and the simulator both drive
// it, the window from the wall clock and the simulator from clip time, so
// that both play the same rules the same way. Everything but Note runs on
// the one goroutine that drives it.
type Session struct {
	setup     Setup
	mgr       *Manager
	board     *Leaderboard
	host      Host
	rng       *rand.Rand
	dt        time.Duration
	keys      map[string]Command // by lower-case key name
	listeners []func(Event)
	emitFn    func(Event) // s.emit, made once
	tape      Tape

	tick   uint64 // the next tick to play
	day    string
	in     Input
	canvas Canvas // as the rules were last told

	canvasNext Canvas // as the screen last told it

	// The presenter's side.
	privacy   string
	muted     bool
	cameraOff bool
	help      bool
	overlay   bool
	asking    Command // a question waiting for the confirm key
	question  string  // its words
	askUntil  uint64
	quit      bool

	// Taken in since the last tick.
	script   []ScriptedKey // keys still to press, by game time
	pressed  []string
	failures []Failure
	start    string
	shutdown bool
	actions  []Action
	intake   Intake

	// Notes come from other goroutines (the camera watchdog, the
	// leaderboard's writer).
	mu      sync.Mutex
	inbox   []Event
	notes   []Event // drained inbox, owned by the session's goroutine
	battles []BattleCall

	// tickWall is the wall-clock time of the tick being played, when a
	// wall clock drives the session (Advance); zero for clip time, when
	// wall tells the time (SetWall).
	tickWall time.Time
	wall     func() time.Time
	// The battle counting down, and its moment on the wall clock.
	battleID string
	battleAt time.Time

	// Advance's wall clock.
	last   time.Time
	behind time.Duration
}

// NewSession starts a session on the attract screen. setup.Game should
// have passed Validate. board may be nil: scores are then not kept. host
// may be nil: nothing outside the rules is steered.
func NewSession(setup Setup, board *Leaderboard, host Host) *Session {
	if host == nil {
		host = NoHost{}
	}
	if setup.TPS <= 0 {
		setup.TPS = 60
	}
	s := &Session{
		setup:     setup,
		mgr:       NewManager(setup.Game, board, setup.Mirror),
		board:     board,
		host:      host,
		rng:       rand.New(rand.NewPCG(setup.Seed, setup.Seed^0x9e3779b97f4a7c15)),
		dt:        time.Second / time.Duration(setup.TPS),
		keys:      map[string]Command{},
		privacy:   setup.Privacy,
		muted:     setup.Muted,
		cameraOff: setup.CameraOff,
		wall:      time.Now,
	}
	s.mgr.SetDemo(setup.Demo)
	for _, b := range setup.Keys.Bindings() {
		s.keys[strings.ToLower(b.Key)] = b.Command
	}
	s.emitFn = s.emit
	return s
}

// Listen adds a listener for every event from now on: sounds, the log, the
// screen's effects, the simulator's JSON lines. Listeners run on the
// session's goroutine and must not block.
func (s *Session) Listen(l func(Event)) { s.listeners = append(s.listeners, l) }

// Record hands every tick's intake to tape from now on.
func (s *Session) Record(tape Tape) { s.tape = tape }

func (s *Session) emit(e Event) {
	for _, l := range s.listeners {
		l(e)
	}
}

// Setup is what the session was made with.
func (s *Session) Setup() Setup { return s.setup }

// Dt is the length of one tick.
func (s *Session) Dt() time.Duration { return s.dt }

// Tick is the number of ticks played.
func (s *Session) Tick() uint64 { return s.tick }

// Now is the game time: ticks played times their length.
func (s *Session) Now() time.Duration { return time.Duration(s.tick) * s.dt }

// SetDay names today, for the leaderboard ("2006-01-02"); the caller reads
// the clock so that the rules never do.
func (s *Session) SetDay(day string) { s.day = day }

// Day is the leaderboard's day.
func (s *Session) Day() string { return s.day }

// Press notes a key that went down, by its Ebitengine name ("Space",
// "Digit1"): its command, if it has one, is carried out on the next tick,
// and any key at all counts as someone at the kiosk.
func (s *Session) Press(key string) { s.pressed = append(s.pressed, key) }

// ScriptedKey is a key pressed at a game time: a scripted presenter, for
// demos, tests and the simulator (--keys).
type ScriptedKey struct {
	Key string
	At  time.Duration
}

// Script presses each key when the game time reaches its At (the script
// must be in time order). The presses are taken in like any other key, so
// a recording keeps them.
func (s *Session) Script(keys []ScriptedKey) { s.script = keys }

// Note tells the session of something outside the rules (the camera lost,
// a board write failed): its listeners hear it, stamped with the game time
// of the next tick. Safe to call from any goroutine.
func (s *Session) Note(e Event) {
	s.mu.Lock()
	s.inbox = append(s.inbox, e)
	s.mu.Unlock()
}

// Battle tells the session of a carrier battle (from the link). Its
// countdown goes on screen at the next tick and ends at call.Start, so that
// every carrier's round starts at the same moment. Safe to call from any
// goroutine.
func (s *Session) Battle(call BattleCall) {
	s.mu.Lock()
	s.battles = append(s.battles, call)
	s.mu.Unlock()
}

// battleStart turns a call into ticks of countdown from the tick about to
// be played; nil with a reason when it came too late to be played.
func (s *Session) battleStart(call BattleCall) (*BattleStart, string) {
	left := call.Start.Sub(s.wallNow())
	if left < -battleLate {
		return nil, fmt.Sprintf("the call came %.1f s after the start", -left.Seconds())
	}
	ticks := int((max(left, 0) + s.dt - 1) / s.dt)
	s.battleID, s.battleAt = call.ID, call.Start
	return &BattleStart{ID: call.ID, Game: call.Game, Ticks: ticks}, ""
}

// SetWall gives the session its wall clock for ticks played on clip time
// (Step): a carrier battle's moment is a wall-clock time. Advance stamps
// its ticks with the time it is given instead. It is time.Now until set.
func (s *Session) SetWall(now func() time.Time) { s.wall = now }

// wallNow is the wall-clock time of the tick being played.
func (s *Session) wallNow() time.Time {
	if s.tickWall.IsZero() {
		return s.wall() // clip time: the simulator with a link
	}
	return s.tickWall
}

// SceneFailed reports a panic outside the rules while the scene on screen
// was drawn. The next tick counts it against that scene like a panic in
// its rules, and the kiosk goes back to the attract screen. Until then,
// further failures are the same one.
func (s *Session) SceneFailed(cause any, stack string) {
	if len(s.failures) == 0 {
		s.failures = append(s.failures, Failure{Cause: fmt.Sprint(cause), Stack: stack})
	}
}

// SetCanvas tells the rules the size of what the screen draws on, from
// the next tick: they place everything a player must see or reach in the
// part of the camera picture it shows. The window calls it when its canvas
// changes size; the simulator once, from the display settings.
func (s *Session) SetCanvas(c Canvas) { s.canvasNext = c }

// StartGame jumps to a game's countdown on the next tick (the command
// line's --game).
func (s *Session) StartGame(name string) error {
	if !isGame(name) {
		return fmt.Errorf("no game %q, the games are %q", name, GameNames())
	}
	s.start = name
	return nil
}

// Advance plays the ticks the wall clock says are due since the last call,
// all on obs, and returns how many it played. The window calls it once per
// Ebitengine update: Ebitengine slows its own updates when drawing is slow
// (a software renderer), so the rules keep their own clock and games play
// at the same speed however many frames are drawn.
func (s *Session) Advance(now time.Time, obs *sight.Observation) int {
	if s.last.IsZero() {
		s.last = now.Add(-s.dt)
	}
	s.behind += now.Sub(s.last)
	s.last = now
	// A longer stall than maxCatchUp ticks is dropped before playing,
	// so that each tick played stands for its own moment of the last
	// maxCatchUp ticks.
	s.behind = min(s.behind, maxCatchUp*s.dt)
	n := 0
	for s.behind >= s.dt && n < maxCatchUp {
		s.behind -= s.dt
		// The tick played now stands for this moment of the wall clock.
		s.tickWall = now.Add(-s.behind)
		s.Step(obs)
		n++
	}
	if n == maxCatchUp {
		s.behind = 0
	}
	return n
}

// Step plays one tick on obs (nil: nothing seen) with what was taken in
// since the tick before.
func (s *Session) Step(obs *sight.Observation) {
	for len(s.script) > 0 && s.script[0].At <= s.Now() {
		s.Press(s.script[0].Key)
		s.script = s.script[1:]
	}
	s.mu.Lock()
	s.notes = append(s.notes[:0], s.inbox...)
	s.inbox = s.inbox[:0]
	var battle *BattleStart
	if len(s.battles) > 0 {
		call := s.battles[0]
		s.battles = s.battles[1:]
		var why string
		if battle, why = s.battleStart(call); battle == nil {
			s.notes = append(s.notes, Event{Kind: KindBattle, Battle: call.ID, Game: call.Game, Reason: why})
		}
	}
	s.mu.Unlock()
	var battleGo string
	if s.battleID != "" && battle == nil && !s.wallNow().Before(s.battleAt) {
		battleGo, s.battleID = s.battleID, ""
	}
	s.intake = Intake{Tick: s.tick, Day: s.day, Obs: obs, Keys: s.pressed, Notes: s.notes,
		Failures: s.failures, Start: s.start, Shutdown: s.shutdown, Battle: battle, BattleGo: battleGo}
	if s.canvasNext != s.canvas {
		c := s.canvasNext
		s.intake.Canvas = &c
	}
	if s.tape != nil {
		s.tape.Take(&s.intake)
	}
	s.Play(&s.intake)
}

// Play plays one tick of intake. Step calls it with what the session took
// in; a replay calls it with what a recording kept, so both run the same
// code from here on.
func (s *Session) Play(in *Intake) {
	s.tick, s.day = in.Tick, in.Day
	if in.Canvas != nil {
		s.canvas = *in.Canvas
	}
	s.in = Input{Tick: s.tick, Dt: s.dt, Obs: in.Obs, Rand: s.rng, Day: s.day, Pressed: len(in.Keys) > 0, Canvas: s.canvas}
	now := s.in.Now()
	for _, e := range in.Notes {
		e.At = now
		if e.Kind == KindDemo {
			s.mgr.SetDemo(e.Mode == "on")
		}
		s.emit(e)
	}
	for _, f := range in.Failures {
		s.mgr.SceneFailed(&s.in, s.emitFn, f.Cause, f.Stack)
	}
	if in.Start != "" {
		_ = s.mgr.StartGame(in.Start) // a name StartGame or a recording checked
	}
	if b := in.Battle; b != nil {
		left := time.Duration(b.Ticks) * s.dt
		reason := ""
		if err := s.mgr.StartBattle(&s.in, s.emitFn, b.Game, b.ID, left); err != nil {
			reason = err.Error() // a carrier with a game this one does not have
		}
		s.emit(Event{At: now, Kind: KindBattle, Battle: b.ID, Game: b.Game, N: int(left.Round(time.Second) / time.Second), Reason: reason})
	}
	if in.BattleGo != "" {
		s.mgr.BattleGo(in.BattleGo)
	}
	if in.Shutdown {
		s.emit(Event{At: now, Kind: KindShutdown, Scene: s.mgr.Current().Name()})
		s.mgr.EndRound(&s.in, s.emitFn)
		s.tick++
		return
	}
	s.actions = s.actions[:0]
	for _, k := range in.Keys {
		s.press(k)
	}
	s.in.Actions = s.actions
	paused := s.mgr.Paused()
	s.mgr.Update(&s.in, s.emitFn)
	if p := s.mgr.Paused(); p != paused {
		s.emit(Event{At: now, Kind: KindPaused, Paused: p})
	}
	s.pressed, s.failures, s.start = s.pressed[:0], s.failures[:0], ""
	s.tick++
}

// press carries out one key's command, if it has one.
func (s *Session) press(key string) {
	c := s.keys[strings.ToLower(key)]
	now := s.in.Now()
	s.emit(Event{At: now, Kind: KindKey, Key: key, Command: c})
	if act, ok := c.Action(); ok {
		s.actions = append(s.actions, act)
	}
	switch c {
	case CmdHelp:
		s.help = !s.help
	case CmdOverlay:
		s.overlay = !s.overlay
	case CmdPrivacy:
		s.privacy = NextPrivacy(s.privacy)
		s.host.SetPrivacy(s.privacy)
		s.emit(Event{At: now, Kind: KindPrivacy, Mode: s.privacy})
	case CmdCamera:
		s.cameraOff = !s.cameraOff
		s.host.SetCamera(!s.cameraOff, key)
		mode := "on"
		if s.cameraOff {
			mode = "off"
		}
		s.emit(Event{At: now, Kind: KindCamera, Key: key, Mode: mode})
	case CmdMute:
		s.muted = !s.muted
		s.emit(Event{At: now, Kind: KindMute, Muted: s.muted})
	case CmdBrighter:
		s.host.Brightness(+10)
	case CmdDimmer:
		s.host.Brightness(-10)
	case CmdRecalibrate:
		s.host.Recalibrate()
		s.emit(Event{At: now, Kind: KindRecalibrate})
	case CmdResetBoard, CmdQuit:
		s.asking, s.askUntil = c, s.tick+uint64(confirmWindow/s.dt)
		// Worded once here: the screen asks for it every frame.
		yes := strings.Join(s.setup.Keys.Confirm, " or ")
		s.question = "Reset today's leaderboard? Press " + yes
		if c == CmdQuit {
			s.question = "Quit the kiosk? Press " + yes
		}
	case CmdConfirm:
		s.confirm(now)
	case CmdBattle:
		// The link calls the battle on every carrier, this one too; the
		// countdown comes back as a BattleCall.
		s.emit(Event{At: now, Kind: KindBattleCall, Game: s.mgr.Upcoming()})
	}
}

// confirm carries out the question on screen, if it is still open.
func (s *Session) confirm(now time.Duration) {
	asked := s.asking
	s.asking = ""
	if s.tick > s.askUntil {
		return
	}
	switch asked {
	case CmdResetBoard:
		if s.board != nil {
			s.board.ResetDay(s.day)
		}
		s.emit(Event{At: now, Kind: KindBoardReset})
	case CmdQuit:
		s.quit = true
		s.emit(Event{At: now, Kind: KindQuit})
		s.host.Quit()
	}
}

// Shutdown plays a last tick for a kiosk that is stopping: a round in play
// ends with its score (logged, entered on the board, told to the other
// carriers) instead of vanishing. A recording keeps that tick too.
func (s *Session) Shutdown() {
	s.shutdown = true
	s.Step(nil)
}

// PlayArea is the part of a frameW x frameH picture the rules play in.
func (s *Session) PlayArea(frameW, frameH int) Rect { return PlayArea(frameW, frameH, s.canvas) }

// Scene is the scene on screen, for the screen to draw.
func (s *Session) Scene() Scene { return s.mgr.Current() }

// Paused is true while the presenter has paused the games.
func (s *Session) Paused() bool { return s.mgr.Paused() }

// Privacy is the privacy mode in force.
func (s *Session) Privacy() string { return s.privacy }

// Demo is true while the games play to the demo reel, which plays in the
// camera's place.
func (s *Session) Demo() bool { return s.mgr.Demo() }

// CameraOff is true while the presenter (or source.enabled = false) has
// the camera off.
func (s *Session) CameraOff() bool { return s.cameraOff }

// Muted is true while the sounds are off.
func (s *Session) Muted() bool { return s.muted }

// Help is true while the help overlay is up.
func (s *Session) Help() bool { return s.help }

// Overlay is true while the operator overlay is up.
func (s *Session) Overlay() bool { return s.overlay }

// SetOverlay shows or hides the operator overlay (display.overlay).
func (s *Session) SetOverlay(on bool) { s.overlay = on }

// Quitting is true once the presenter confirmed quit.
func (s *Session) Quitting() bool { return s.quit }

// Question is the confirmation asked on screen, "" when none.
func (s *Session) Question() string {
	if s.asking == "" || s.tick > s.askUntil {
		return ""
	}
	return s.question
}

// BoardProblem is why the leaderboard's last write failed, "" when it
// worked (or there is no board): the operator overlay's "scores not saved".
func (s *Session) BoardProblem() string {
	if s.board == nil {
		return ""
	}
	return s.board.Problem()
}

// Played is how many rounds have ended since the session started.
func (s *Session) Played() int { return s.mgr.Played() }

// Disabled lists the games retired for the day after failures.
func (s *Session) Disabled() []string { return s.mgr.Disabled() }

// Rotation is the games in play, in order.
func (s *Session) Rotation() []string { return s.mgr.Rotation() }

// Keys is the presenter's keyboard, for the help overlay.
func (s *Session) Keys() KeyConfig { return s.setup.Keys }

// Inject puts a scene on screen directly: for tests of the failsafe.
func (s *Session) Inject(sc Scene) { s.mgr.Inject(sc) }
