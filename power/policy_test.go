package power_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierarcade/kiosk/power"
)

func TestPick(t *testing.T) {
	levels := power.DefaultConfig().Levels
	tests := []struct {
		name        string
		percent     float64
		charging    bool
		onAC        bool
		minutes     float64
		haveMinutes bool
		want        string
	}{
		{"full", 100, false, false, 0, false, "high"},
		{"at high", 50, false, false, 0, false, "high"},
		{"just below high", 49.9, false, false, 0, false, "medium"},
		{"at medium", 20, false, false, 0, false, "medium"},
		{"just below medium", 19.99, false, false, 0, false, "low"},
		{"at low", 10, false, false, 0, false, "low"},
		{"just below low", 9.9, false, false, 0, false, "critical"},
		{"empty", 0, false, false, 0, false, "critical"},
		{"on AC", 5, false, true, 0, false, "mains"},
		{"charging", 5, true, false, 0, false, "mains"},
		{"on AC beats minutes", 5, false, true, 3, true, "mains"},
		{"unknown percent", -1, false, false, 0, false, "high"},
		{"unknown percent and minutes", -1, false, false, 120, true, "high"},
		{"minutes left force critical", 80, false, false, 9.5, true, "critical"},
		{"ten minutes is enough", 80, false, false, 10, true, "high"},
		{"unknown minutes ignored", 80, false, false, 2, false, "high"},
		{"NaN percent is unknown", nan(), false, false, 0, false, "high"},
		{"NaN minutes ignored", 80, false, false, nan(), true, "high"},
		{"above 100", 250, false, false, 0, false, "high"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := power.Pick(levels, tt.percent, tt.charging, tt.onAC, tt.minutes, tt.haveMinutes)
			assert.Equal(t, tt.want, d.Level)
		})
	}
}

func TestPickDecision(t *testing.T) {
	d := power.Pick(power.DefaultConfig().Levels, 5, false, false, 0, false)
	assert.Equal(t, power.Decision{
		Level: "critical", Critical: true,
		Budget: power.Budget{BrightnessPercent: 45, DrawFPS: 15, ObjectHz: 2, FaceHz: 2},
	}, d)
}

func TestPickBadLevels(t *testing.T) {
	assert.Equal(t, "high", power.Pick(nil, 70, false, false, 0, false).Level, "no levels: defaults")
	onlyAC := []power.Level{{Name: "ac", OnAC: true}}
	assert.Equal(t, "ac", power.Pick(onlyAC, 70, false, false, 0, false).Level)
	onlyBattery := []power.Level{{Name: "b", MinPercent: 30}, {Name: "a", MinPercent: 60}}
	assert.Equal(t, "a", power.Pick(onlyBattery, 70, true, true, 0, false).Level, "no on_ac level: best battery level")
	assert.Equal(t, "b", power.Pick(onlyBattery, 10, false, false, 0, false).Level, "below every level: the lowest")
}

// step is one Update in a policy scenario.
type step struct {
	at          time.Duration // since the start
	percent     float64
	onAC        bool
	minutes     float64 // 0: unknown
	wantLevel   string
	wantChanged bool
}

func run(t *testing.T, cfg power.Config, steps []step) {
	t.Helper()
	p := power.NewPolicy(cfg)
	t0 := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	for i, s := range steps {
		d, changed := p.Update(s.percent, false, s.onAC, s.minutes, s.minutes > 0, t0.Add(s.at))
		assert.Equal(t, s.wantLevel, d.Level, "step %d (%v, %v%%)", i, s.at, s.percent)
		assert.Equal(t, s.wantChanged, changed, "step %d (%v, %v%%) changed", i, s.at, s.percent)
	}
}

func cfgWith(dwell, hysteresis float64) power.Config {
	c := power.DefaultConfig()
	c.MinDwellSeconds, c.HysteresisPercent = dwell, hysteresis
	return c
}

func TestPolicy(t *testing.T) {
	s := time.Second
	tests := []struct {
		name  string
		cfg   power.Config
		steps []step
	}{
		{"first update decides", cfgWith(60, 3), []step{
			{0, 30, false, 0, "medium", true},
			{s, 30, false, 0, "medium", false},
		}},
		{"first update on AC", cfgWith(60, 3), []step{
			{0, 30, true, 0, "mains", true},
		}},
		{"hovering around 50 does not flap", cfgWith(0, 3), []step{
			{0, 60, false, 0, "high", true},
			{10 * s, 49.5, false, 0, "medium", true}, // down at the boundary
			{20 * s, 50.5, false, 0, "medium", false},
			{30 * s, 51, false, 0, "medium", false},
			{40 * s, 49.5, false, 0, "medium", false},
			{50 * s, 52.9, false, 0, "medium", false},
			{60 * s, 53, false, 0, "high", true}, // 50 + 3
		}},
		{"climb stops at the level the hysteresis allows", cfgWith(0, 3), []step{
			{0, 5, false, 0, "critical", true},
			{10 * s, 52, false, 0, "medium", true}, // high needs 53, medium 23
		}},
		{"each boundary going down", cfgWith(0, 3), []step{
			{0, 50, false, 0, "high", true},
			{s, 20, false, 0, "medium", true},
			{2 * s, 10, false, 0, "low", true},
			{3 * s, 9.99, false, 0, "critical", true},
			{4 * s, 0, false, 0, "critical", false},
		}},
		{"min dwell holds, then changes", cfgWith(60, 3), []step{
			{0, 60, false, 0, "high", true},
			{30 * s, 45, false, 0, "high", false},
			{59 * s, 45, false, 0, "high", false},
			{60 * s, 45, false, 0, "medium", true},
			{90 * s, 15, false, 0, "medium", false},
			{121 * s, 15, false, 0, "low", true},
		}},
		{"dwell also holds a climb", cfgWith(60, 3), []step{
			{0, 45, false, 0, "medium", true},
			{10 * s, 80, false, 0, "medium", false},
			{70 * s, 80, false, 0, "high", true},
		}},
		{"AC switch applies at once", cfgWith(60, 3), []step{
			{0, 60, false, 0, "high", true},
			{5 * s, 60, true, 0, "mains", true},
			{6 * s, 60, false, 0, "high", true},
			{7 * s, 60, true, 0, "mains", true},
		}},
		{"unplugged picks at the boundary, no hysteresis", cfgWith(60, 3), []step{
			{0, 51, true, 0, "mains", true},
			{s, 51, false, 0, "high", true},
		}},
		{"critical applies at once", cfgWith(60, 3), []step{
			{0, 60, false, 0, "high", true},
			{5 * s, 8, false, 0, "critical", true},
		}},
		{"low is not critical: it waits", cfgWith(60, 3), []step{
			{0, 60, false, 0, "high", true},
			{5 * s, 15, false, 0, "high", false},
			{60 * s, 15, false, 0, "low", true},
			{65 * s, 5, false, 0, "critical", true},
		}},
		{"minutes left force critical at once", cfgWith(60, 3), []step{
			{0, 60, false, 200, "high", true},
			{5 * s, 60, false, 9, "critical", true},
			{30 * s, 60, false, 40, "critical", false}, // dwell
			{70 * s, 60, false, 40, "high", true},
		}},
		{"unknown percent: highest first, then holds", cfgWith(0, 3), []step{
			{0, -1, false, 0, "high", true},
			{10 * s, 15, false, 0, "low", true},
			{20 * s, -1, false, 0, "low", false}, // a failed read is no reason to brighten
			{30 * s, 14, false, 0, "low", false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { run(t, tt.cfg, tt.steps) })
	}
}

func TestPolicyCharging(t *testing.T) {
	p := power.NewPolicy(power.DefaultConfig())
	t0 := time.Unix(1000, 0)
	_, _ = p.Update(30, false, false, 0, false, t0)
	d, changed := p.Update(30, true, false, 0, false, t0.Add(time.Second))
	assert.True(t, changed)
	assert.Equal(t, "mains", d.Level)
}

func TestNudge(t *testing.T) {
	p := power.NewPolicy(cfgWith(0, 3))
	t0 := time.Unix(1000, 0)
	d, _ := p.Update(60, false, false, 0, false, t0)
	require.Equal(t, 90.0, d.Budget.BrightnessPercent)

	assert.Equal(t, 100.0, p.Nudge(20), "clamped at 100")
	assert.Equal(t, 80.0, p.Nudge(-20))
	d, changed := p.Update(58, false, false, 0, false, t0.Add(time.Second))
	assert.False(t, changed)
	assert.Equal(t, "high", d.Level)
	assert.Equal(t, 80.0, d.Budget.BrightnessPercent, "the override holds while the level does")
	assert.Equal(t, 60.0, d.Budget.DrawFPS, "only brightness is overridden")

	assert.Equal(t, 5.0, p.Nudge(-200), "clamped at 5")

	d, changed = p.Update(40, false, false, 0, false, t0.Add(2*time.Second))
	assert.True(t, changed)
	assert.Equal(t, "medium", d.Level)
	assert.Equal(t, 75.0, d.Budget.BrightnessPercent, "a level change clears the override")
	assert.Equal(t, 70.0, p.Nudge(-5), "nudges start from the new level")
}
