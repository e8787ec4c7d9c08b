package power_test

import (
	"bytes"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierarcade/kiosk/power"
)

// sysCopy copies a fixture tree into a temp dir, so tests can write to it.
func sysCopy(t *testing.T, fixture string) string {
	t.Helper()
	root := t.TempDir()
	require.NoError(t, os.CopyFS(root, os.DirFS(filepath.Join("testdata", fixture))))
	return root
}

func readBrightness(t *testing.T, b *power.Backlight) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(b.Dir, "brightness"))
	require.NoError(t, err)
	return strings.TrimSpace(string(data))
}

// denied fails every write the way a root-owned 0644 sysfs file does.
func denied(path string, _ []byte) error {
	return &fs.PathError{Op: "open", Path: path, Err: fs.ErrPermission}
}

func TestFindBacklight(t *testing.T) {
	b, err := power.FindBacklight("testdata/framework", "")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join("testdata", "framework", "class", "backlight", "intel_backlight"), b.Dir)
	assert.Equal(t, 96000, b.Max)

	p, err := b.Percent()
	require.NoError(t, err)
	assert.InDelta(t, 50, p, 1e-9)

	named, err := power.FindBacklight("testdata/framework", "intel_backlight")
	require.NoError(t, err)
	assert.Equal(t, b.Dir, named.Dir)
}

func TestFindBacklightRanking(t *testing.T) {
	root := t.TempDir()
	dev := func(name, typ, max string) {
		dir := filepath.Join(root, "class", "backlight", name)
		require.NoError(t, os.MkdirAll(dir, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "type"), []byte(typ+"\n"), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "max_brightness"), []byte(max+"\n"), 0o644))
	}
	pick := func() string {
		b, err := power.FindBacklight(root, "")
		require.NoError(t, err)
		return filepath.Base(b.Dir)
	}
	dev("a_raw", "raw", "96000")
	dev("b_raw", "raw", "120000")
	assert.Equal(t, "b_raw", pick(), "same type: finer steps win")
	dev("c_platform", "platform", "10")
	assert.Equal(t, "c_platform", pick())
	dev("d_firmware", "firmware", "15")
	assert.Equal(t, "d_firmware", pick())
	dev("e_broken", "firmware", "abc")
	assert.Equal(t, "d_firmware", pick(), "no usable max_brightness: skipped")
}

func TestFindBacklightNone(t *testing.T) {
	_, err := power.FindBacklight("testdata/desktop", "")
	require.ErrorIs(t, err, power.ErrNoBacklight)
	assert.Contains(t, err.Error(), filepath.Join("testdata", "desktop", "class", "backlight"))
	assert.Contains(t, err.Error(), "power.backlight")

	_, err = power.FindBacklight("testdata/framework", "acpi_video0")
	require.ErrorIs(t, err, power.ErrNoBacklight)
	assert.Contains(t, err.Error(), "acpi_video0")
	assert.Contains(t, err.Error(), "power.backlight")

	_, err = power.FindBacklight("testdata/framework", "../backlight/intel_backlight")
	assert.ErrorIs(t, err, power.ErrNoBacklight)
}

func TestSetPercent(t *testing.T) {
	b, err := power.FindBacklight(sysCopy(t, "framework"), "")
	require.NoError(t, err)

	tests := []struct {
		percent float64
		want    string
	}{
		{25, "24000"},
		{100, "96000"},
		{33.3, "31968"},
		{150, "96000"},
		{0, "1"}, // never fully dark
		{-10, "1"},
		{0.0001, "1"},
	}
	for _, tt := range tests {
		require.NoError(t, b.SetPercent(tt.percent))
		assert.Equal(t, tt.want, readBrightness(t, b), "%v%%", tt.percent)
	}
	require.NoError(t, b.SetPercent(25))
	p, err := b.Percent()
	require.NoError(t, err)
	assert.InDelta(t, 25, p, 1e-9)

	assert.Error(t, b.SetPercent(nan()))
}

func TestSetPercentPermission(t *testing.T) {
	b, err := power.FindBacklight(sysCopy(t, "framework"), "")
	require.NoError(t, err)
	b.WriteFile = denied

	err = b.SetPercent(50)
	require.ErrorIs(t, err, power.ErrNoPermission)
	assert.ErrorIs(t, err, fs.ErrPermission)
	for _, hint := range []string{"99-carrier-arcade-backlight.rules", "/etc/udev/rules.d/", "video", "log out"} {
		assert.Contains(t, err.Error(), hint)
	}
	assert.Equal(t, "48000", readBrightness(t, b), "untouched")
}

func TestSetPercentReadOnlyFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores file modes; TestSetPercentPermission covers the error path")
	}
	b, err := power.FindBacklight(sysCopy(t, "framework"), "")
	require.NoError(t, err)
	require.NoError(t, os.Chmod(filepath.Join(b.Dir, "brightness"), 0o444))
	assert.ErrorIs(t, b.SetPercent(50), power.ErrNoPermission)
}

func TestSetPercentOtherError(t *testing.T) {
	root := sysCopy(t, "framework")
	b, err := power.FindBacklight(root, "")
	require.NoError(t, err)
	// A folder where the file should be: fails for root too, and is not a
	// permission problem.
	require.NoError(t, os.Remove(filepath.Join(b.Dir, "brightness")))
	require.NoError(t, os.Mkdir(filepath.Join(b.Dir, "brightness"), 0o755))
	err = b.SetPercent(50)
	require.Error(t, err)
	assert.NotErrorIs(t, err, power.ErrNoPermission)

	_, err = b.Percent()
	assert.Error(t, err)
}

func TestUdevRuleShipped(t *testing.T) {
	data, err := os.ReadFile(filepath.Base(power.UdevRule))
	require.NoError(t, err)
	assert.Contains(t, string(data), `ACTION=="add", SUBSYSTEM=="backlight", RUN+="/bin/chgrp video /sys/class/backlight/%k/brightness", RUN+="/bin/chmod g+w /sys/class/backlight/%k/brightness"`)
}

func TestDimmerWarnsOnce(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	b, err := power.FindBacklight(sysCopy(t, "framework"), "")
	require.NoError(t, err)
	d := power.NewDimmer(b, log)

	require.NoError(t, d.Set(40))
	assert.Empty(t, buf.String(), "success is quiet")
	assert.Equal(t, "38400", readBrightness(t, b))

	b.WriteFile = denied
	for range 3 {
		assert.NoError(t, d.Set(30), "a permission problem is not the kiosk's failure")
	}
	assert.Equal(t, 1, strings.Count(buf.String(), "level=WARN"), buf.String())
	assert.Contains(t, buf.String(), "99-carrier-arcade-backlight.rules")
}

func TestDimmerWithoutBacklight(t *testing.T) {
	assert.NoError(t, power.NewDimmer(nil, nil).Set(50))
}
