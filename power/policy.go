package power

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// CriticalMinutes: with fewer minutes left than this on battery, the lowest
// level applies whatever the percent says. Gauges near empty are optimistic
// and a percent can sit high while a heavy draw empties the pack; the
// presenter needs the "plug me in" banner while there is still time to act.
const CriticalMinutes = 10

// Budget is what the kiosk may spend at a level.
type Budget struct {
	BrightnessPercent float64 `json:"brightness_percent"`
	DrawFPS           float64 `json:"draw_fps"`
	ObjectHz          float64 `json:"object_hz"`
	FaceHz            float64 `json:"face_hz"`
}

// Decision is the level in force and its budget.
type Decision struct {
	Level    string
	Critical bool // show the presenter a "plug me in" banner
	Budget   Budget
}

func decide(l Level) Decision {
	return Decision{Level: l.Name, Critical: l.Critical, Budget: l.Budget()}
}

// Pick picks the level for a reading with no history (what `kiosk power`
// prints):
//   - on AC or charging: the on_ac level;
//   - fewer than CriticalMinutes left (when known): the lowest level;
//   - unknown percent (negative): the highest battery level, so missing data
//     does not dim the booth;
//   - else the battery level with the largest min_percent <= percent.
//
// Levels that fail Validate still give an answer, never a panic; no levels
// at all means the default ladder.
func Pick(levels []Level, percent float64, charging, onAC bool, minutesLeft float64, haveMinutes bool) Decision {
	l := newLadder(levels)
	return decide(l.levels[l.pick(percent, charging, onAC, minutesLeft, haveMinutes)])
}

// ladder is a level list split the way the rules use it.
type ladder struct {
	levels  []Level
	ac      int   // index of the on_ac level, -1 when none
	battery []int // battery levels, highest min_percent first
}

func newLadder(levels []Level) ladder {
	if len(levels) == 0 {
		levels = DefaultConfig().Levels
	}
	l := ladder{levels: slices.Clone(levels), ac: -1}
	for i, lv := range l.levels {
		switch {
		case !lv.OnAC:
			l.battery = append(l.battery, i)
		case l.ac < 0:
			l.ac = i
		}
	}
	slices.SortStableFunc(l.battery, func(a, b int) int {
		return cmp.Compare(l.levels[b].MinPercent, l.levels[a].MinPercent)
	})
	return l
}

func (l ladder) pick(percent float64, charging, onAC bool, minutesLeft float64, haveMinutes bool) int {
	switch {
	case len(l.battery) == 0:
		return l.ac
	case (onAC || charging) && l.ac >= 0:
		return l.ac
	case haveMinutes && minutesLeft < CriticalMinutes:
		return l.battery[len(l.battery)-1]
	case !(percent >= 0): // also NaN
		return l.battery[0]
	}
	return l.atOrBelow(percent)
}

// atOrBelow is the battery level with the largest min_percent <= percent,
// or the lowest level when percent is below them all.
func (l ladder) atOrBelow(percent float64) int {
	for _, i := range l.battery {
		if l.levels[i].MinPercent <= percent {
			return i
		}
	}
	return l.battery[len(l.battery)-1]
}

// Policy is Pick with memory: hysteresis and a minimum dwell time keep a
// battery hovering at a boundary from pumping the brightness, and the
// presenter can override the brightness. It is not safe for concurrent use.
type Policy struct {
	ladder     ladder
	hysteresis float64
	dwell      time.Duration
	cur        int       // index into ladder.levels, -1 before the first Update
	since      time.Time // when cur was chosen
	override   float64   // presenter's brightness, -1 when none
}

// NewPolicy returns a policy for cfg's levels, hysteresis and dwell time.
func NewPolicy(cfg Config) *Policy {
	return &Policy{
		ladder:     newLadder(cfg.Levels),
		hysteresis: max(0, cfg.HysteresisPercent),
		dwell:      cfg.MinDwell(),
		cur:        -1,
		override:   -1,
	}
}

// Update takes a reading made at now and returns the decision in force;
// changed is true when the level changed (always on the first call).
//
// Moving up to a better battery level needs percent >= its min_percent +
// hysteresis; moving down happens at the boundary. After a change no other
// change happens for the dwell time, except switching to or from AC and
// dropping into a critical level, which apply at once. Once a level is in
// force an unknown percent keeps it: a failed read is no reason to brighten.
// now should carry a monotonic reading (time.Now does) so clock steps do
// not stretch the dwell.
func (p *Policy) Update(percent float64, charging, onAC bool, minutesLeft float64, haveMinutes bool, now time.Time) (d Decision, changed bool) {
	next := p.ladder.pick(percent, charging, onAC, minutesLeft, haveMinutes)
	if p.cur < 0 {
		return p.set(next, now), true
	}
	if p.isBattery(p.cur) && p.isBattery(next) && p.better(next, p.cur) {
		next = p.climb(percent)
	}
	if next == p.cur || !p.mayChange(next, now) {
		return p.current(), false
	}
	return p.set(next, now), true
}

// Nudge applies the presenter's brightness keys: it moves the brightness by
// delta percent (clamped to 5..100) and keeps it until the level changes.
// It returns the new brightness.
func (p *Policy) Nudge(deltaPercent float64) float64 {
	base := 100.0 // before the first Update; that Update decides afresh
	if p.cur >= 0 {
		base = p.current().Budget.BrightnessPercent
	}
	if math.IsNaN(deltaPercent) {
		return base
	}
	p.override = max(5, min(100, base+deltaPercent))
	return p.override
}

// Overridden is true while the presenter's brightness holds (until the
// level changes): the ambient light does not move it then.
func (p *Policy) Overridden() bool { return p.override >= 0 }

func (p *Policy) isBattery(i int) bool { return i >= 0 && !p.ladder.levels[i].OnAC }

func (p *Policy) better(a, b int) bool {
	return p.ladder.levels[a].MinPercent > p.ladder.levels[b].MinPercent
}

// climb is the best battery level the reading clears with hysteresis to
// spare, but never below the current one.
func (p *Policy) climb(percent float64) int {
	if !(percent >= 0) {
		return p.cur
	}
	if up := p.ladder.atOrBelow(percent - p.hysteresis); p.better(up, p.cur) {
		return up
	}
	return p.cur
}

func (p *Policy) mayChange(next int, now time.Time) bool {
	lv := p.ladder.levels
	switch {
	case lv[p.cur].OnAC || lv[next].OnAC:
		return true // the presenter just plugged or unplugged: respond visibly
	case lv[next].Critical && p.better(p.cur, next):
		return true // running out: the banner cannot wait
	}
	return now.Sub(p.since) >= p.dwell
}

func (p *Policy) set(i int, now time.Time) Decision {
	p.cur, p.since, p.override = i, now, -1
	return p.current()
}

func (p *Policy) current() Decision {
	d := decide(p.ladder.levels[p.cur])
	if p.override >= 0 {
		d.Budget.BrightnessPercent = p.override
	}
	return d
}
