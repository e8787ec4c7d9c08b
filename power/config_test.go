package power_test

import (
	"math"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierarcade/kiosk/internal/check"
	"github.com/carrierarcade/kiosk/power"
)

func keys(ps check.Problems) []string {
	var ks []string
	for _, p := range ps {
		ks = append(ks, p.Key)
	}
	return ks
}

func TestDefaultConfigValid(t *testing.T) {
	c := power.DefaultConfig()
	assert.Empty(t, c.Validate())
	assert.Equal(t, "/sys", c.SysfsRoot)
	assert.Equal(t, -1.0, c.SimulatePercent)
	assert.Equal(t, 10e9, float64(c.PollInterval()))
	assert.Equal(t, 60e9, float64(c.MinDwell()))
}

func TestValidateRules(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *power.Config)
		key    string
	}{
		{"poll too fast", func(c *power.Config) { c.PollSeconds = 0.1 }, "poll_seconds"},
		{"poll too slow", func(c *power.Config) { c.PollSeconds = 4000 }, "poll_seconds"},
		{"poll NaN", func(c *power.Config) { c.PollSeconds = math.NaN() }, "poll_seconds"},
		{"dwell negative", func(c *power.Config) { c.MinDwellSeconds = -1 }, "min_dwell_seconds"},
		{"dwell too long", func(c *power.Config) { c.MinDwellSeconds = 3601 }, "min_dwell_seconds"},
		{"hysteresis", func(c *power.Config) { c.HysteresisPercent = 25 }, "hysteresis_percent"},
		{"simulate below -1", func(c *power.Config) { c.SimulatePercent = -2 }, "simulate_percent"},
		{"simulate between", func(c *power.Config) { c.SimulatePercent = -0.5 }, "simulate_percent"},
		{"simulate above", func(c *power.Config) { c.SimulatePercent = 101 }, "simulate_percent"},
		{"backlight path", func(c *power.Config) { c.Backlight = "../../etc" }, "backlight"},
		{"no levels", func(c *power.Config) { c.Levels = nil }, "levels"},
		{"no on_ac", func(c *power.Config) { c.Levels[0].OnAC = false; c.Levels[0].MinPercent = 80 }, "levels"},
		{"two on_ac", func(c *power.Config) { c.Levels[1].OnAC = true }, "levels"},
		{"no zero level", func(c *power.Config) { c.Levels[4].MinPercent = 5 }, "levels"},
		{"min_percent duplicate", func(c *power.Config) { c.Levels[3].MinPercent = 20 }, "levels[3].min_percent"},
		{"min_percent range", func(c *power.Config) { c.Levels[1].MinPercent = 120 }, "levels[1].min_percent"},
		{"name empty", func(c *power.Config) { c.Levels[2].Name = "" }, "levels[2].name"},
		{"name duplicate", func(c *power.Config) { c.Levels[3].Name = "high" }, "levels[3].name"},
		{"brightness zero", func(c *power.Config) { c.Levels[1].BrightnessPercent = 0 }, "levels[1].brightness_percent"},
		{"brightness high", func(c *power.Config) { c.Levels[1].BrightnessPercent = 101 }, "levels[1].brightness_percent"},
		{"draw_fps zero", func(c *power.Config) { c.Levels[2].DrawFPS = 0 }, "levels[2].draw_fps"},
		{"draw_fps high", func(c *power.Config) { c.Levels[2].DrawFPS = 300 }, "levels[2].draw_fps"},
		{"object_hz", func(c *power.Config) { c.Levels[0].ObjectHz = 61 }, "levels[0].object_hz"},
		{"face_hz", func(c *power.Config) { c.Levels[4].FaceHz = -1 }, "levels[4].face_hz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := power.DefaultConfig()
			tt.change(&c)
			assert.Equal(t, []string{tt.key}, keys(c.Validate()))
		})
	}
}

func TestValidateAllowsEdges(t *testing.T) {
	c := power.DefaultConfig()
	c.PollSeconds, c.MinDwellSeconds, c.HysteresisPercent, c.SimulatePercent = 0.5, 0, 20, 0
	c.Levels[0].ObjectHz, c.Levels[0].FaceHz = 0, 60
	c.Levels[0].MinPercent = 50 // ignored on the on_ac level: no clash with "high"
	c.Levels[1].MinPercent = 100
	c.Levels[1].DrawFPS, c.Levels[1].BrightnessPercent = 240, 1
	assert.Empty(t, c.Validate())
	c.SimulatePercent = 100
	assert.Empty(t, c.Validate())
}

func TestValidateReportsEverything(t *testing.T) {
	c := power.DefaultConfig()
	c.PollSeconds = 0
	c.HysteresisPercent = -1
	c.Levels[1].DrawFPS = 0
	c.Levels[2].Name = "high"
	c.Levels[3].FaceHz = 100
	c.Levels[4].MinPercent = 10
	ps := c.Validate()
	assert.ElementsMatch(t, []string{
		"poll_seconds", "hysteresis_percent", "levels[1].draw_fps", "levels[2].name",
		"levels[3].face_hz", "levels[4].min_percent", "levels",
	}, keys(ps))
	assert.Equal(t, "power.poll_seconds", ps.Under("power")[0].Key)
	assert.Error(t, ps.Err())
}

func TestConfigTOML(t *testing.T) {
	// Levels in the file replace the default ladder rather than merging into it.
	const doc = `
[power]
poll_seconds = 5
backlight = "amdgpu_bl0"

[[power.levels]]
name = "plugged"
on_ac = true
brightness_percent = 100
draw_fps = 60

[[power.levels]]
name = "battery"
min_percent = 0
critical = true
brightness_percent = 50
draw_fps = 20
object_hz = 1
`
	file := struct {
		Power power.Config `toml:"power"`
	}{power.DefaultConfig()}
	md, err := toml.Decode(doc, &file)
	require.NoError(t, err)
	assert.Empty(t, md.Undecoded())
	c := file.Power
	assert.Equal(t, 5.0, c.PollSeconds)
	assert.Equal(t, 60.0, c.MinDwellSeconds, "unset keys keep their defaults")
	assert.Equal(t, "amdgpu_bl0", c.Backlight)
	assert.Equal(t, []power.Level{
		{Name: "plugged", OnAC: true, BrightnessPercent: 100, DrawFPS: 60},
		{Name: "battery", Critical: true, BrightnessPercent: 50, DrawFPS: 20, ObjectHz: 1},
	}, c.Levels)
	assert.Empty(t, c.Validate())
}

func TestConfigTOMLUnknownLevelKey(t *testing.T) {
	c := power.DefaultConfig()
	_, err := toml.Decode("[[levels]]\nname = \"x\"\ndraw_fsp = 30\n", &c)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "draw_fsp")
}

func TestConfigTOMLInlineLevels(t *testing.T) {
	c := power.DefaultConfig()
	_, err := toml.Decode(`levels = [{name = "ac", on_ac = true, brightness_percent = 80, draw_fps = 30.5}]`, &c)
	require.NoError(t, err)
	assert.Equal(t, []power.Level{{Name: "ac", OnAC: true, BrightnessPercent: 80, DrawFPS: 30.5}}, c.Levels)
}
