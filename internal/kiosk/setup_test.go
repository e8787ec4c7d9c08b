package kiosk

import (
	"bytes"
	"image/color"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gocv.io/x/gocv"
)

// What the setup helper keeps goes into the config file; with none, or one
// it cannot write, the --set flags are printed instead.
func TestKeepSetup(t *testing.T) {
	sets := SetupKeys(270, true, 90)
	log := slog.New(slog.DiscardHandler)

	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	src, err := os.ReadFile(testenv.Path("config.toml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, src, 0o644))
	l, err := loadConfig(path, nil)
	require.NoError(t, err)
	var out bytes.Buffer
	KeepSetup(l, sets, &out, log)
	assert.Empty(t, out.String(), "written, nothing to print")
	l, err = loadConfig(path, nil)
	require.NoError(t, err)
	assert.Equal(t, [3]any{270, true, 90}, [3]any{l.Source.Rotation, l.Source.Flip, l.Display.Rotation})

	want := "--set source.rotation=270\n--set source.flip=true\n--set display.rotation=90\n"
	out.Reset()
	KeepSetup(Loaded{Config: defaultConfig()}, sets, &out, log)
	assert.Equal(t, want, out.String(), "no config file: the flags")

	out.Reset()
	l.Path = filepath.Join(dir, "gone", "config.toml")
	KeepSetup(l, sets, &out, log)
	assert.Equal(t, want, out.String(), "a file that cannot be written: the flags")
}

// The setup screen: the clip turned as source.rotation says (here half
// way round, so the picture is the clip upside down), an UP arrow at the
// top middle.
func TestSetupScreen(t *testing.T) {
	clip := testenv.Media(t, "vtest.avi")
	img := shoot(t, clip, "3", "--setup", "--set", "source.rotation=180")
	b := img.Bounds()
	arrow := 0
	for y := b.Min.Y; y < b.Min.Y+b.Dy()/5; y++ {
		for x := b.Min.X + 2*b.Dx()/5; x < b.Min.X+3*b.Dx()/5; x++ {
			if color.RGBAModel.Convert(img.At(x, y)).(color.RGBA) == (color.RGBA{0xe0, 0x3c, 0x31, 0xff}) {
				arrow++
			}
		}
	}
	assert.Greater(t, arrow, 1500, "the UP arrow")

	upright := clipFrame(t, clip, 30, b.Dx(), b.Dy(), true)
	defer upright.Close()
	turned := gocv.NewMat()
	defer turned.Close()
	gocv.Rotate(upright, &turned, gocv.Rotate180Clockwise)
	dt, du := meanDiff(img, turned), meanDiff(img, upright)
	t.Logf("mean grey difference: turned %.1f, upright %.1f", dt, du)
	assert.Less(t, dt*1.5, du, "the camera's frames are turned as source.rotation says")
}
