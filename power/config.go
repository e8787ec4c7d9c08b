package power

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/carrierarcade/kiosk/internal/check"
)

// Config is the [power] section of config.toml.
type Config struct {
	// SysfsRoot is where sysfs is mounted: batteries are read from
	// <root>/class/power_supply, the backlight from <root>/class/backlight.
	SysfsRoot string `toml:"sysfs_root"`
	// Backlight is a device name under class/backlight; "" picks one
	// (firmware, then platform, then raw, then the largest max_brightness).
	Backlight string `toml:"backlight"`
	// PollSeconds is how often the battery is read.
	PollSeconds float64 `toml:"poll_seconds"`
	// MinDwellSeconds is the minimum time between level changes, so the
	// screen does not visibly pump while the battery hovers.
	MinDwellSeconds float64 `toml:"min_dwell_seconds"`
	// HysteresisPercent is how far above a better level's min_percent the
	// battery must be before moving up to it.
	HysteresisPercent float64 `toml:"hysteresis_percent"`
	// SimulatePercent is -1 (off) or 0..100: pretend to run on a battery at
	// that level, for demos and tests on machines without one.
	SimulatePercent float64 `toml:"simulate_percent"`
	// SimulateCharging makes the simulated battery charge (on mains).
	SimulateCharging bool `toml:"simulate_charging"`
	// AmbientMinPercent is the dimmest the ambient light sensor may make
	// the screen, in a dark hall; in a bright one it goes up to the
	// level's brightness_percent. Without a sensor the level's applies.
	AmbientMinPercent float64 `toml:"ambient_min_percent"`
	// Levels is the ladder: one on_ac level, and battery levels down to
	// min_percent 0.
	Levels []Level `toml:"levels"`
}

// Level is one rung of the ladder: what the kiosk may spend while it applies.
type Level struct {
	Name string `toml:"name"`
	// MinPercent: the level applies on battery at or above this percent.
	// Ignored for the on_ac level.
	MinPercent float64 `toml:"min_percent"`
	// OnAC marks the level used on mains power or while charging; exactly
	// one level has it.
	OnAC bool `toml:"on_ac"`
	// Critical shows the presenter a "plug me in" banner.
	Critical bool `toml:"critical"`

	BrightnessPercent float64 `toml:"brightness_percent"`
	DrawFPS           float64 `toml:"draw_fps"`
	ObjectHz          float64 `toml:"object_hz"` // object detector runs per second
	FaceHz            float64 `toml:"face_hz"`   // face detector runs per second
}

// UnmarshalTOML decodes one [[power.levels]] table into a fresh Level.
// Without it the decoder would fill a configured ladder into the default one
// element by element, so a level leaving out face_hz would silently keep the
// default ladder's value at that position. An unknown key is an error, as
// the decoder can no longer report it.
func (l *Level) UnmarshalTOML(data any) error {
	m, ok := data.(map[string]any)
	if !ok {
		return fmt.Errorf("a level must be a table, not %T", data)
	}
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(m); err != nil {
		return err
	}
	type plain Level // no methods: decoding it does not recurse here
	var fresh plain
	md, err := toml.Decode(buf.String(), &fresh)
	if err != nil {
		return err
	}
	if u := md.Undecoded(); len(u) > 0 {
		return fmt.Errorf("unknown key %q in a level", u[0].String())
	}
	*l = Level(fresh)
	return nil
}

// Budget is what the level allows.
func (l Level) Budget() Budget {
	return Budget{
		BrightnessPercent: l.BrightnessPercent,
		DrawFPS:           l.DrawFPS,
		ObjectHz:          l.ObjectHz,
		FaceHz:            l.FaceHz,
	}
}

// DefaultConfig is a ladder that gets a mid-size laptop through a day of
// booth sessions: the detectors slow down first, the screen dims last,
// because a dark screen loses visitors.
func DefaultConfig() Config {
	return Config{
		SysfsRoot:         "/sys",
		PollSeconds:       10,
		MinDwellSeconds:   60,
		HysteresisPercent: 3,
		SimulatePercent:   -1,
		AmbientMinPercent: 35,
		Levels: []Level{
			{Name: "mains", OnAC: true, BrightnessPercent: 100, DrawFPS: 60, ObjectHz: 15, FaceHz: 10},
			{Name: "high", MinPercent: 50, BrightnessPercent: 90, DrawFPS: 60, ObjectHz: 10, FaceHz: 8},
			{Name: "medium", MinPercent: 20, BrightnessPercent: 75, DrawFPS: 30, ObjectHz: 6, FaceHz: 5},
			{Name: "low", MinPercent: 10, BrightnessPercent: 60, DrawFPS: 20, ObjectHz: 3, FaceHz: 3},
			{Name: "critical", MinPercent: 0, Critical: true, BrightnessPercent: 45, DrawFPS: 15, ObjectHz: 2, FaceHz: 2},
		},
	}
}

// PollInterval is PollSeconds as a duration.
func (c Config) PollInterval() time.Duration { return seconds(c.PollSeconds) }

// MinDwell is MinDwellSeconds as a duration.
func (c Config) MinDwell() time.Duration { return seconds(c.MinDwellSeconds) }

func seconds(s float64) time.Duration {
	if !(s > 0) { // also NaN
		return 0
	}
	return time.Duration(s * float64(time.Second))
}

// Validate reports every bad value, with keys relative to [power]
// ("poll_seconds", "levels[2].draw_fps"); use Under("power") for the file.
func (c Config) Validate() check.Problems {
	var ps check.Problems
	ps.Range("poll_seconds", c.PollSeconds, 0.5, 3600)
	ps.Range("min_dwell_seconds", c.MinDwellSeconds, 0, 3600)
	ps.Range("hysteresis_percent", c.HysteresisPercent, 0, 20)
	ps.Range("ambient_min_percent", c.AmbientMinPercent, 5, 100)
	if c.SimulatePercent != -1 && !(c.SimulatePercent >= 0 && c.SimulatePercent <= 100) {
		ps.Addf("simulate_percent", "is %v, allowed -1 (off) or 0 to 100", c.SimulatePercent)
	}
	if strings.ContainsRune(c.Backlight, '/') || c.Backlight == "." || c.Backlight == ".." {
		ps.Addf("backlight", "is %q, want a device name under class/backlight such as \"intel_backlight\", or \"\" to pick one", c.Backlight)
	}
	c.validateLevels(&ps)
	return ps
}

func (c Config) validateLevels(ps *check.Problems) {
	if len(c.Levels) == 0 {
		ps.Addf("levels", "is empty, want one level with on_ac = true and battery levels down to min_percent = 0")
		return
	}
	names := map[string]int{}
	mins := map[float64]int{}
	onAC, hasZero := 0, false
	for i, l := range c.Levels {
		key := fmt.Sprintf("levels[%d].", i)
		switch j, dup := names[l.Name]; {
		case l.Name == "":
			ps.Addf(key+"name", "is empty")
		case dup:
			ps.Addf(key+"name", "is %q, same as levels[%d]", l.Name, j)
		default:
			names[l.Name] = i
		}
		ps.Range(key+"brightness_percent", l.BrightnessPercent, 1, 100)
		ps.Range(key+"draw_fps", l.DrawFPS, 1, 240)
		ps.Range(key+"object_hz", l.ObjectHz, 0, 60)
		ps.Range(key+"face_hz", l.FaceHz, 0, 60)
		if l.OnAC {
			onAC++
			continue
		}
		ps.Range(key+"min_percent", l.MinPercent, 0, 100)
		if j, dup := mins[l.MinPercent]; dup {
			ps.Addf(key+"min_percent", "is %v, same as levels[%d]; battery levels need distinct min_percent", l.MinPercent, j)
		} else {
			mins[l.MinPercent] = i
		}
		hasZero = hasZero || l.MinPercent == 0
	}
	if onAC != 1 {
		ps.Addf("levels", "has %d levels with on_ac = true, want exactly one", onAC)
	}
	if !hasZero {
		ps.Addf("levels", "has no battery level with min_percent = 0, so a nearly empty battery would have no level")
	}
}
