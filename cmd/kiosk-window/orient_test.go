package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/carrierarcade/kiosk/vision/visiontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// greyDiff is the mean absolute grey difference of two screenshots of the
// same size, over every fourth pixel.
func greyDiff(a, b image.Image) float64 {
	r := a.Bounds()
	sum, n := 0.0, 0
	for y := r.Min.Y; y < r.Max.Y; y += 4 {
		for x := r.Min.X; x < r.Max.X; x += 4 {
			ga := color.GrayModel.Convert(a.At(x, y)).(color.Gray).Y
			gb := color.GrayModel.Convert(b.At(x, y)).(color.Gray).Y
			sum += math.Abs(float64(ga) - float64(gb))
			n++
		}
	}
	return sum / float64(n)
}

// On screen, a turned camera with the matching source.rotation shows what
// an upright one shows: people upright, on an upright screen and on the
// carrier's turned one (the lid-flipped preset: both rotations 270).
func TestScreenshotTurnedCamera(t *testing.T) {
	t.Parallel()
	testenv.Display(t)
	clips := visiontest.TurnedClips(t, testenv.Media(t, "vtest.avi"), 0, 4)
	for _, screen := range []int{0, 270} {
		disp := fmt.Sprintf("display.rotation=%d", screen)
		upright := screenshot(t, clips[0], "2", disp)
		if dir := os.Getenv("KIOSK_SHOTS"); dir != "" {
			savePNG(t, filepath.Join(dir, fmt.Sprintf("upright-screen%d.png", screen)), upright)
		}
		for _, r := range []int{90, 180, 270} {
			if screen != 0 && r != screen {
				continue // the carrier's preset: camera and screen alike
			}
			turned := screenshot(t, clips[r], "2", disp, fmt.Sprintf("source.rotation=%d", r))
			if dir := os.Getenv("KIOSK_SHOTS"); dir != "" {
				savePNG(t, filepath.Join(dir, fmt.Sprintf("turned%d-screen%d.png", r, screen)), turned)
			}
			require.Equal(t, upright.Bounds(), turned.Bounds())
			d := greyDiff(upright, turned)
			t.Logf("screen %d, camera turned %d: mean grey difference to upright %.1f", screen, r, d)
			assert.Less(t, d, 10.0, "screen %d, camera turned %d with source.rotation=%d looks upright", screen, r, r)
		}
	}
}

// savePNG keeps a screenshot for a person to look at (KIOSK_SHOTS=DIR).
func savePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	defer f.Close()
	require.NoError(t, png.Encode(f, img))
}
