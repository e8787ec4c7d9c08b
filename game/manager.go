package game

import (
	"fmt"
	"runtime/debug"
	"slices"
	"time"
)

// Game is a scene that plays one round: it emits round_start on its first
// Update and round_end when it is over, then switches to Results.
type Game interface {
	Scene
	Title() string
	Instruction() string // at most 8 words, read from across an aisle
	Score() int
	Left() time.Duration // round time left
}

// Arcade is what every scene shares: the settings, the leaderboard,
// where the rotation has got to and whether the demo reel plays.
type Arcade struct {
	cfg    Config
	board  *Leaderboard
	mirror bool
	next   int // index in the rotation of the game a wave or Start plays
	// demo is true while the demo reel plays in the camera's place: the
	// hunt asks for the reel's items as it shows them, and the attract
	// screen starts games by itself (nobody is there to wave). It follows
	// the camera key and a camera that cannot be opened (SetDemo).
	demo bool
}

// NewArcade prepares the scenes' shared state. cfg should have passed
// Validate; unknown games are dropped from its rotation (all games if none
// is left). board may be nil: scores are then not kept. mirror is the
// display's: true when the picture is shown as a selfie, so that boxes are
// flipped to match the motion grid, which the pipeline already mirrored.
func NewArcade(cfg Config, board *Leaderboard, mirror bool) *Arcade {
	var rot []string
	for _, g := range cfg.Rotation {
		if isGame(g) {
			rot = append(rot, g)
		}
	}
	if len(rot) == 0 {
		rot = GameNames()
	}
	cfg.Rotation = rot
	return &Arcade{cfg: cfg, board: board, mirror: mirror}
}

// huntItems are what the hunt asks for: the reel's while it plays, the
// configured ones with a camera.
func (b *Arcade) huntItems() []string {
	if b.demo && len(b.cfg.Demo.Items) > 0 {
		return b.cfg.Demo.Items
	}
	return b.cfg.Hunt.Items
}

// reel is the demo reel's schedule while it plays; zero with a camera.
func (b *Arcade) reel() DemoReel {
	if b.demo {
		return b.cfg.Demo
	}
	return DemoReel{}
}

// autoplay is how long the attract screen waits before starting the next
// game by itself: only while the demo reel plays.
func (b *Arcade) autoplay() time.Duration {
	if !b.demo {
		return 0
	}
	return secs(b.cfg.DemoAutoplaySeconds)
}

// upcoming is the game a wave or Start plays next.
func (b *Arcade) upcoming() string { return b.cfg.Rotation[b.next] }

// advance takes the upcoming game and moves the rotation on.
func (b *Arcade) advance() string {
	g := b.upcoming()
	b.next = (b.next + 1) % len(b.cfg.Rotation)
	return g
}

// round is what every game shares: its clock, its score and the events
// that open and close it.
type round struct {
	b       *Arcade
	game    string
	length  time.Duration // the round's length, bonus time included
	elapsed time.Duration
	started bool
	score   int
	battle  string // the carrier battle this round is part of, "" for none
}

func newRound(b *Arcade, game string, seconds float64) round {
	return round{b: b, game: game, length: secs(seconds)}
}

// begin emits round_start on the first tick and reports whether this is it.
func (r *round) begin(in *Input, emit func(Event)) bool {
	if r.started {
		return false
	}
	r.started = true
	emit(Event{At: in.Now(), Kind: KindRoundStart, Game: r.game, Battle: r.battle})
	return true
}

// end emits round_end and hands over to the results.
func (r *round) end(in *Input, emit func(Event)) Scene {
	emit(Event{At: in.Now(), Kind: KindRoundEnd, Game: r.game, Score: r.score, Battle: r.battle})
	res := newResults(r.b, in, r.game, r.score)
	res.battle = r.battle
	return res
}

// Battle is the carrier battle the round is part of, "" for none.
func (r *round) Battle() string { return r.battle }

func (r *round) setBattle(id string) { r.battle = id }

// EndNow ends the round early, with the score it has: the player left.
func (r *round) EndNow(in *Input, emit func(Event)) Scene { return r.end(in, emit) }

func (r *round) roundStarted() bool { return r.started }

// over is true once the round's time has run out.
func (r *round) over() bool { return r.elapsed >= r.length }

// Name is the game's name in config.toml.
func (r *round) Name() string { return r.game }

// Title is the game's name on screen.
func (r *round) Title() string { t, _ := About(r.game); return t }

// Instruction is what the player has to do, in a few words.
func (r *round) Instruction() string { _, i := About(r.game); return i }

// Score is the round's score so far.
func (r *round) Score() int { return r.score }

// Left is the round time left.
func (r *round) Left() time.Duration { return max(r.length-r.elapsed, 0) }

// Manager holds the scene on screen and turns the presenter's actions
// into scene changes.
type Manager struct {
	arcade *Arcade
	cur    Scene
	paused bool

	idle     time.Duration              // time without a player, motion or key
	failures map[string][]time.Duration // game time of each scene's recent panics
	disabled []string                   // games out of the rotation for the day
	played   int                        // rounds finished
	emit     func(Event)                // this tick's listener, for relay
	relay    func(Event)                // counts rounds, then passes on; made once
}

// NewManager starts on the attract screen; see NewArcade for the arguments.
func NewManager(cfg Config, board *Leaderboard, mirror bool) *Manager {
	b := NewArcade(cfg, board, mirror)
	return newManager(b)
}

func newManager(b *Arcade) *Manager {
	m := &Manager{arcade: b, cur: NewAttract(b)}
	m.relay = func(e Event) {
		if e.Kind == KindRoundEnd {
			m.played++
		}
		m.emit(e)
	}
	return m
}

// SetDemo says whether the demo reel plays in the camera's place from now
// on. A hunt in play keeps the items it was asking for to the end of its
// round; the next round follows what plays.
func (m *Manager) SetDemo(on bool) { m.arcade.demo = on }

// Demo is true while the games play to the demo reel.
func (m *Manager) Demo() bool { return m.arcade.demo }

// Current is the scene on screen, for the screen to draw.
func (m *Manager) Current() Scene { return m.cur }

// Paused is true while the presenter has paused the kiosk.
func (m *Manager) Paused() bool { return m.paused }

// Update applies the tick's actions, then advances the scene unless
// paused. emit may be nil.
//
// A panic inside a scene does not end the kiosk: it is recovered, handed
// to fail (with the scene's name and the panic), and the kiosk goes back to
// the attract screen; a game that fails three times in a minute is taken out
// of the rotation for the day. fail may be nil.
func (m *Manager) Update(in *Input, emit func(Event)) {
	if emit == nil {
		emit = func(Event) {}
	}
	for _, a := range in.Actions {
		m.act(a)
	}
	if m.paused {
		return
	}
	m.emit = emit
	m.watchIdle(in, m.relay)
	if next := m.step(in, m.relay); next != nil {
		m.cur = next
	}
}

// step runs the scene's Update, turning a panic into a failure.
func (m *Manager) step(in *Input, emit func(Event)) (next Scene) {
	name := m.cur.Name()
	defer func() {
		if r := recover(); r != nil {
			next = m.failed(in, emit, name, r, string(debug.Stack()))
		}
	}()
	return m.cur.Update(in, emit)
}

// failed records a scene's panic and picks the scene to go on with.
func (m *Manager) failed(in *Input, emit func(Event), name string, cause any, stack string) Scene {
	now := in.Now()
	if m.failures == nil {
		m.failures = map[string][]time.Duration{}
	}
	recent := m.failures[name][:0]
	for _, t := range m.failures[name] {
		if now-t < time.Minute {
			recent = append(recent, t)
		}
	}
	recent = append(recent, now)
	m.failures[name] = recent
	emit(Event{At: in.Now(), Kind: KindSceneFailed, Scene: name, Err: fmt.Sprint(cause), Stack: stack})
	if len(recent) >= 3 && isGame(name) && m.disable(name) {
		emit(Event{At: in.Now(), Kind: KindGameRetired, Game: name, Reason: "3 failures in a minute"})
	}
	return NewAttract(m.arcade)
}

// disable takes a game out of the rotation, unless it is the last one.
func (m *Manager) disable(name string) bool {
	rot := m.arcade.cfg.Rotation
	i := slices.Index(rot, name)
	if i < 0 || len(rot) == 1 {
		return false
	}
	m.arcade.cfg.Rotation = slices.Delete(slices.Clone(rot), i, i+1)
	m.arcade.next %= len(m.arcade.cfg.Rotation)
	m.disabled = append(m.disabled, name)
	return true
}

// SceneFailed is the failsafe for a panic outside Update (drawing the
// scene, say): it counts against the scene on screen like a panic in its
// Update, and the kiosk goes back to the attract screen.
func (m *Manager) SceneFailed(in *Input, emit func(Event), cause any, stack string) {
	if emit == nil {
		emit = func(Event) {}
	}
	m.cur = m.failed(in, emit, m.cur.Name(), cause, stack)
}

// Inject puts a scene on screen directly: for tests of the failsafe.
func (m *Manager) Inject(s Scene) { m.show(s) }

// Disabled lists the games taken out of the rotation after failures.
func (m *Manager) Disabled() []string { return slices.Clone(m.disabled) }

// Played is how many rounds have ended since the kiosk started.
func (m *Manager) Played() int { return m.played }

// Rotation is the games in play, in order.
func (m *Manager) Rotation() []string { return slices.Clone(m.arcade.cfg.Rotation) }

// watchIdle ends a round nobody is playing any more: no player, no motion
// and no key for IdleSeconds. The round ends early with its score; other
// scenes go back to the attract screen by themselves.
func (m *Manager) watchIdle(in *Input, emit func(Event)) {
	obs := in.Obs
	active := len(in.Actions) > 0 || in.Pressed ||
		(obs != nil && (obs.HasPlayer || obs.Motion.Total() > float32(m.arcade.cfg.WaveThreshold)/4))
	if active {
		m.idle = 0
		return
	}
	m.idle += in.Dt
	g, ok := m.cur.(interface {
		EndNow(*Input, func(Event)) Scene
	})
	if !ok || m.idle < secs(m.arcade.cfg.IdleSeconds) {
		return
	}
	emit(Event{At: in.Now(), Kind: KindIdle, Scene: m.cur.Name()})
	m.idle = 0
	m.cur = g.EndNow(in, emit)
}

// EndRound ends the round in play, if any, with the score it has (the
// kiosk is stopping): its round_end and results are emitted and the score
// goes on the board. It reports whether there was a round to end.
func (m *Manager) EndRound(in *Input, emit func(Event)) bool {
	g, ok := m.cur.(interface {
		EndNow(*Input, func(Event)) Scene
	})
	if !ok {
		return false
	}
	if r, ok := m.cur.(interface{ roundStarted() bool }); ok && !r.roundStarted() {
		return false
	}
	m.emit = emit
	m.cur = g.EndNow(in, m.relay)
	// The results scene tells its score (for the log and the other
	// carriers) on its first update.
	if next := m.cur.Update(in, m.relay); next != nil {
		m.cur = next
	}
	return true
}

// StartGame jumps to a game's countdown, and moves the rotation on past
// it when it is in the rotation.
func (m *Manager) StartGame(name string) error {
	if !isGame(name) {
		return fmt.Errorf("no game %q, the games are %q", name, GameNames())
	}
	if i := slices.Index(m.arcade.cfg.Rotation, name); i >= 0 {
		m.arcade.next = i
		name = m.arcade.advance()
	}
	m.show(newCountdown(m.arcade, name))
	return nil
}

// StartBattle puts a carrier battle's countdown on screen: the game starts
// when left has run out, on every carrier at the same moment. A round in
// play ends first, with its score.
func (m *Manager) StartBattle(in *Input, emit func(Event), name, id string, left time.Duration) error {
	if !isGame(name) {
		return fmt.Errorf("no game %q, the games are %q", name, GameNames())
	}
	m.EndRound(in, emit)
	if i := slices.Index(m.arcade.cfg.Rotation, name); i >= 0 {
		m.arcade.next = (i + 1) % len(m.arcade.cfg.Rotation)
	}
	c := newCountdown(m.arcade, name)
	c.left, c.battle = left, id
	c.game.(interface{ setBattle(string) }).setBattle(id)
	m.show(c)
	return nil
}

// BattleGo ends a battle's countdown now, if it is on screen: the moment
// came by the wall clock.
func (m *Manager) BattleGo(id string) {
	if c, ok := m.cur.(*Countdown); ok && c.battle == id {
		c.left = 0
	}
}

// Upcoming is the game a wave or Start plays next: the one a battle called
// here would play.
func (m *Manager) Upcoming() string { return m.arcade.upcoming() }

// act applies one action. Anything that changes the scene also ends a
// pause: the presenter wants it played. ActRecalibrate is for the vision
// pipeline, not the rules.
func (m *Manager) act(a Action) {
	switch {
	case a == ActPause:
		m.paused = !m.paused
	case a == ActStart || a == ActNextGame:
		m.show(newCountdown(m.arcade, m.arcade.advance()))
	case a == ActAttract:
		m.show(NewAttract(m.arcade))
	case a >= ActChoose1 && a <= ActChoose9:
		if i := int(a - ActChoose1); i < len(m.arcade.cfg.Rotation) {
			m.arcade.next = i
			m.show(newCountdown(m.arcade, m.arcade.advance()))
		}
	}
}

func (m *Manager) show(s Scene) {
	m.cur = s
	m.paused = false
}
