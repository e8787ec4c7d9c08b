package power_test

import (
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/power"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lightRoot is a copy of the Framework fixture with an ambient light
// sensor (made here: its folder name has a colon, as the kernel's does).
func lightRoot(t *testing.T) (root, sensor string) {
	t.Helper()
	root = t.TempDir()
	require.NoError(t, os.CopyFS(root, os.DirFS(filepath.Join("testdata", "framework"))))
	sensor = filepath.Join(root, "bus", "iio", "devices", "iio:device0")
	require.NoError(t, os.MkdirAll(sensor, 0o755))
	for name, v := range map[string]string{"name": "als", "in_illuminance_raw": "2000", "in_illuminance_scale": "0.05",
		"in_illuminance_offset": "0"} {
		require.NoError(t, os.WriteFile(filepath.Join(sensor, name), []byte(v+"\n"), 0o644))
	}
	// Another IIO device that is no light sensor comes first.
	require.NoError(t, os.MkdirAll(filepath.Join(root, "bus", "iio", "devices", "iio:device-accel"), 0o755))
	return root, sensor
}

func setLux(t *testing.T, sensor string, lux float64) {
	t.Helper()
	raw := strconv.FormatFloat(lux/0.05, 'f', 0, 64)
	require.NoError(t, os.WriteFile(filepath.Join(sensor, "in_illuminance_raw"), []byte(raw+"\n"), 0o644))
}

func TestAmbientSensorReadsLux(t *testing.T) {
	root, sensor := lightRoot(t)
	a, err := power.FindAmbient(root)
	require.NoError(t, err)
	assert.Equal(t, sensor, a.Dir)
	lux, err := a.Lux()
	require.NoError(t, err)
	assert.InDelta(t, 100, lux, 1e-9, "(raw + offset) * scale")

	// Some drivers give lux directly.
	require.NoError(t, os.WriteFile(filepath.Join(sensor, "in_illuminance_input"), []byte("321.5\n"), 0o644))
	lux, err = a.Lux()
	require.NoError(t, err)
	assert.InDelta(t, 321.5, lux, 1e-9)

	_, err = power.FindAmbient("testdata/framework")
	assert.ErrorContains(t, err, "no ambient light sensor")
}

// A raw value times its scale that overflows (or is merely absurd) is no
// reading, with a message naming the files, never +Inf, which 'kiosk power
// --json' could not print (internal/kiosk's TestPowerReadsFixtures runs that).
func TestAmbientSensorRefusesAReadingOutOfRange(t *testing.T) {
	root, sensor := lightRoot(t)
	a, err := power.FindAmbient(root)
	require.NoError(t, err)
	write := func(name, v string) {
		require.NoError(t, os.WriteFile(filepath.Join(sensor, name), []byte(v+"\n"), 0o644))
	}
	for _, tc := range []struct{ raw, scale string }{
		{"1e308", "10"},   // overflows to +Inf
		{"4e18", "1"},     // finite, but no hall is that bright
		{"-1e308", "-10"}, // overflows the other way round
	} {
		write("in_illuminance_raw", tc.raw)
		write("in_illuminance_scale", tc.scale)
		lux, err := a.Lux()
		require.Error(t, err, "%s x %s", tc.raw, tc.scale)
		assert.ErrorContains(t, err, "out of range")
		assert.ErrorContains(t, err, sensor)
		assert.Zero(t, lux)
	}
	write("in_illuminance_input", "2e6")
	_, err = a.Lux()
	assert.ErrorContains(t, err, "in_illuminance_input")
	write("in_illuminance_input", "100000")
	lux, err := a.Lux()
	require.NoError(t, err)
	assert.Equal(t, 100000.0, lux, "sunlight is a reading")
}

func TestBrightnessFollowsTheLightWithoutPumping(t *testing.T) {
	f := power.NewLightFollower()
	now := time.Now()
	f.Take(2, now)
	b, moved := f.Brightness(35, 100)
	assert.True(t, moved)
	assert.Equal(t, 35.0, b, "a dark hall: the floor")

	// A bright hall: the smoothed light rises over some seconds, not at once.
	f.Take(3000, now.Add(time.Second))
	first, _ := f.Brightness(35, 100)
	assert.Less(t, first, 100.0, "one bright reading does not jump to full")
	for i := 2; i < 120; i++ {
		f.Take(3000, now.Add(time.Duration(i)*time.Second))
	}
	b, _ = f.Brightness(35, 100)
	assert.Equal(t, 100.0, b, "a bright hall: the ceiling")

	// In between, small wiggles of the light do not move the screen.
	g := power.NewLightFollower()
	g.Take(100, now)
	mid, _ := g.Brightness(35, 100)
	assert.Greater(t, mid, 35.0)
	assert.Less(t, mid, 100.0)
	changes := 0
	for i := 1; i < 600; i++ {
		lux := 100.0
		if i%2 == 0 {
			lux = 130 // a shadow, a flicker
		}
		g.Take(lux, now.Add(time.Duration(i)*time.Second))
		if _, moved := g.Brightness(35, 100); moved {
			changes++
		}
	}
	assert.LessOrEqual(t, changes, 1, "no pumping")

	// A lower ceiling (a lower power level) caps it at once.
	b, moved = g.Brightness(35, 60)
	assert.True(t, moved || b <= 60)
	assert.LessOrEqual(t, b, 60.0)
}

func TestControllerBrightnessFollowsTheHallUntilThePresenterSetsIt(t *testing.T) {
	root, sensor := lightRoot(t)
	cfg := power.DefaultConfig()
	cfg.SysfsRoot = root
	var written []string
	bl := &power.Backlight{Dir: t.TempDir(), Max: 100, WriteFile: func(_ string, data []byte) error {
		written = append(written, string(data))
		return nil
	}}
	c := power.NewController(cfg, nil, power.NewDimmer(bl, slog.New(slog.DiscardHandler)), slog.New(slog.DiscardHandler))
	now := time.Now()
	setLux(t, sensor, 2) // a dark hall
	c.FollowLight(now)
	c.Poll(now)
	st := c.Status()
	require.True(t, st.HaveLux)
	assert.InDelta(t, 2, st.Lux, 0.01)
	assert.Equal(t, "medium", st.Decision.Level)
	assert.Equal(t, 35.0, st.Brightness, "dimmed to ambient_min_percent in the dark, not the level's 75")

	setLux(t, sensor, 5000)
	for i := 1; i <= 120; i++ {
		c.FollowLight(now.Add(time.Duration(i) * time.Second))
	}
	assert.Equal(t, 75.0, c.Status().Brightness, "the level's brightness is the ceiling")

	c.Nudge(-20)
	setLux(t, sensor, 1)
	for i := 121; i <= 240; i++ {
		c.FollowLight(now.Add(time.Duration(i) * time.Second))
	}
	assert.Equal(t, 55.0, c.Status().Brightness, "the presenter's keys win until the level changes")
	assert.NotEmpty(t, written)
}
