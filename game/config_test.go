package game_test

import (
	"math"
	"testing"

	"github.com/carrierarcade/kiosk/game"
	"github.com/stretchr/testify/assert"
)

func TestDefaultConfigValidates(t *testing.T) {
	assert.Empty(t, game.DefaultConfig().Validate())
}

func TestConfigProblems(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*game.Config)
		keys []string
	}{
		{"unknown game", func(c *game.Config) { c.Rotation = []string{"hunt", "chess"} }, []string{"rotation[1]"}},
		{"no games", func(c *game.Config) { c.Rotation = nil }, []string{"rotation"}},
		{"long countdown", func(c *game.Config) { c.CountdownSeconds = 4 }, []string{"countdown_seconds"}},
		{"results", func(c *game.Config) { c.ResultsSeconds = 0 }, []string{"results_seconds"}},
		{"no data dir", func(c *game.Config) { c.DataDir = "" }, []string{"data_dir"}},
		{"wave", func(c *game.Config) { c.WaveThreshold, c.WaveSeconds = 0, math.NaN() }, []string{"wave_threshold", "wave_seconds"}},
		{"preview", func(c *game.Config) { c.PreviewSeconds = 100 }, []string{"preview_seconds"}},
		{"not a COCO label", func(c *game.Config) { c.Hunt.Items = []string{"cup", "bottle", "mug", "cup", "person"} },
			[]string{"hunt.items[2]", "hunt.items[3]", "hunt.items[4]"}},
		{"no items", func(c *game.Config) { c.Hunt.Items = nil }, []string{"hunt.items"}},
		{"hunt numbers", func(c *game.Config) {
			c.Hunt.RoundSeconds, c.Hunt.HoldSeconds, c.Hunt.BonusSeconds = 5, 0, -1
		}, []string{"hunt.round_seconds", "hunt.hold_seconds", "hunt.bonus_seconds"}},
		{"skip before the hold", func(c *game.Config) { c.Hunt.HoldSeconds, c.Hunt.SkipAfterSeconds = 4, 3 },
			[]string{"hunt.skip_after_seconds"}},
		{"bubbles", func(c *game.Config) { c.Bubbles.RoundSeconds, c.Bubbles.Threshold = 1000, 2 },
			[]string{"bubbles.round_seconds", "bubbles.threshold"}},
		{"freeze numbers", func(c *game.Config) {
			c.Freeze.RoundSeconds, c.Freeze.Threshold, c.Freeze.GraceSeconds, c.Freeze.FillSeconds = 0, 0, 5, 1
		}, []string{"freeze.round_seconds", "freeze.threshold", "freeze.grace_seconds", "freeze.red_min", "freeze.fill_seconds"}},
		{"freeze bounds upside down", func(c *game.Config) {
			c.Freeze.GreenMin, c.Freeze.GreenMax, c.Freeze.RedMin, c.Freeze.RedMax = 5, 2, 4, 1.5
		}, []string{"freeze.green_max", "freeze.red_max"}},
		{"freeze out of range", func(c *game.Config) { c.Freeze.GreenMin, c.Freeze.RedMax = 0.1, 60 },
			[]string{"freeze.green_min", "freeze.red_max"}},
		{"dodge", func(c *game.Config) { c.Dodge.RoundSeconds, c.Dodge.Lives = 0, 0 },
			[]string{"dodge.round_seconds", "dodge.lives"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := game.DefaultConfig()
			tc.edit(&cfg)
			var keys []string
			for _, p := range cfg.Validate() {
				keys = append(keys, p.Key)
				assert.NotEmpty(t, p.Msg)
			}
			assert.Equal(t, tc.keys, keys)
		})
	}
}

func TestPickMonitor(t *testing.T) {
	names := []string{"eDP-1", "HDMI-1", "DP-2"}
	for _, tc := range []struct {
		want  string
		names []string
		i     int
		ok    bool
	}{
		{"", names, 0, true},
		{"HDMI-1", names, 1, true},
		{"hdmi-1", names, 1, true},
		{"2", names, 2, true},
		{"0", names, 0, true},
		{"3", names, 0, false}, // not there: the primary, said in the log
		{"VGA-1", names, 0, false},
		{"", nil, 0, false},
		{"HDMI-1", []string{"hdmi-1", "HDMI-1"}, 1, true}, // the exact name first
	} {
		i, ok := game.PickMonitor(tc.want, tc.names)
		assert.Equal(t, tc.ok, ok, "%q in %q", tc.want, tc.names)
		if ok {
			assert.Equal(t, tc.i, i, "%q in %q", tc.want, tc.names)
		}
	}
}

func TestDisplayMonitorProblems(t *testing.T) {
	for want, bad := range map[string]bool{
		"": false, "HDMI-1": false, "0": false, "15": false,
		"16": true, "-1": true, " HDMI-1": true, "a\nb": true,
	} {
		c := game.DefaultDisplayConfig()
		c.Monitor = want
		ps := c.Validate()
		if bad {
			assert.Len(t, ps, 1, "%q", want)
		} else {
			assert.Empty(t, ps, "%q", want)
		}
	}
}
