package budget

import (
	"sync"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/power"
	"github.com/carrierarcade/kiosk/sight"
)

// Budgeter decides the pipeline's rates: the least of [budget], the power
// level's budget and what the scene on screen needs, or [budget.idle] (also
// capped by the level) while nobody is in view of the attract screen. The
// frame loop tells it the scene on every update; the power goroutine tells
// it the level. It hands the pipeline a new budget only when the rates
// change, so a scene change takes effect within the frame, with nothing
// restarted.
type Budgeter struct {
	full  Config
	apply func(Rates)
	quiet *game.Quiet
	// asBefore ignores the scenes' needs and idling ([budget] by_scene =
	// false): every scene runs at the level's full rates, as the kiosk did
	// before scenes said what they need (bench --scenes measures both).
	asBefore bool

	mu        sync.Mutex
	level     power.Budget
	leveled   bool // a level was told
	needs     game.Needs
	idle      bool
	idleSince time.Time
	last      Rates
	applied   bool
	lastSeen  time.Time // the frame loop's last update
}

// NewBudgeter starts with [budget] full and the attract screen's needs;
// apply takes each new budget (the pipeline's rates and the draw rate).
func NewBudgeter(full Config, waveThreshold float64, apply func(Rates)) *Budgeter {
	b := &Budgeter{full: full, apply: apply, needs: game.NeedsOf(game.NewAttract(nil)), asBefore: !full.ByScene,
		quiet: game.NewQuiet(time.Duration(full.Idle.AfterSeconds*float64(time.Second)), waveThreshold)}
	b.mu.Lock()
	b.update()
	b.mu.Unlock()
	return b
}

// Level takes the power level's budget (from the power policy's goroutine).
func (b *Budgeter) Level(pb power.Budget) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.level, b.leveled = pb, true
	b.update()
}

// Follow takes the scene on screen and the newest observation at now: the
// frame loop calls it after each update. It allocates nothing.
func (b *Budgeter) Follow(sc game.Scene, obs *sight.Observation, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	dt := time.Duration(0)
	if !b.lastSeen.IsZero() {
		dt = now.Sub(b.lastSeen)
	}
	b.lastSeen = now
	idle := b.quiet.Update(sc, obs, dt)
	if idle && !b.idle {
		b.idleSince = now
	}
	b.idle = idle
	b.needs = game.NeedsOf(sc)
	b.update()
}

// Idle reports whether the booth sleeps lightly now, and since when.
func (b *Budgeter) Idle() (bool, time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.idle && !b.asBefore, b.idleSince
}

// Current is the budget the pipeline runs now.
func (b *Budgeter) Current() Rates {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.last
}

// update works out the rates and applies them when they changed. b.mu is
// held.
func (b *Budgeter) update() {
	r := b.full.Rates()
	if b.leveled {
		r.DrawFPS = min(r.DrawFPS, b.level.DrawFPS)
		r.ObjectHz = min(r.ObjectHz, b.level.ObjectHz)
		r.FaceHz = min(r.FaceHz, b.level.FaceHz)
	}
	switch {
	case b.asBefore:
	case b.idle:
		i := b.full.Idle
		r.DrawFPS = min(r.DrawFPS, i.DrawFPS)
		r.ObjectHz = min(r.ObjectHz, i.ObjectHz)
		r.FaceHz = min(r.FaceHz, i.FaceHz)
		r.MotionHz = min(r.MotionHz, i.MotionHz)
	default:
		r.ObjectHz = min(r.ObjectHz, b.needs.ObjectHz)
		r.FaceHz = min(r.FaceHz, b.needs.FaceHz)
		r.MotionHz = min(r.MotionHz, b.needs.MotionHz)
	}
	if b.applied && r == b.last {
		return
	}
	b.last, b.applied = r, true
	if b.apply != nil {
		b.apply(r)
	}
}
