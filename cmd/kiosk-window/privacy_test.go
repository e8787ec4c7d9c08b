package main

import (
	"image"
	"math"
	"testing"

	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gocv.io/x/gocv"
)

// detail is the fine detail (absolute Laplacian) of a grey picture: what
// makes a face or a body recognisable.
func detail(t *testing.T, grey gocv.Mat) []float32 {
	t.Helper()
	lap := gocv.NewMat()
	defer lap.Close()
	gocv.Laplacian(grey, &lap, gocv.MatTypeCV32F, 3, 1, 0, gocv.BorderDefault)
	data, err := lap.DataPtrFloat32()
	require.NoError(t, err)
	out := make([]float32, len(data))
	for i, v := range data {
		out[i] = float32(math.Abs(float64(v)))
	}
	return out
}

// correlation is Pearson's r of two equally long series.
func correlation(a, b []float32) float64 {
	var sa, sb, saa, sbb, sab float64
	for i := range a {
		x, y := float64(a[i]), float64(b[i])
		sa, sb, saa, sbb, sab = sa+x, sb+y, saa+x*x, sbb+y*y, sab+x*y
	}
	n := float64(len(a))
	cov := sab/n - sa/n*sb/n
	return cov / math.Sqrt((saa/n-sa*sa/n/n)*(sbb/n-sb*sb/n/n))
}

func greyOf(t *testing.T, img image.Image) gocv.Mat {
	t.Helper()
	m, err := gocv.ImageToMatRGB(img)
	require.NoError(t, err)
	defer m.Close()
	g := gocv.NewMat()
	gocv.CvtColor(m, &g, gocv.ColorBGRToGray)
	return g
}

// Only the live mode may show the camera picture: the others must not carry
// its detail.
func TestPrivacyModesHideThePicture(t *testing.T) {
	t.Parallel()
	clip := testenv.Media(t, "vtest.avi")
	var raw []float32
	for _, mode := range []string{"live", "pixelated", "silhouette", "none"} {
		t.Run(mode, func(t *testing.T) {
			img := screenshot(t, clip, "3", `display.privacy="`+mode+`"`, "game.rotation=[\"bubbles\"]")
			b := img.Bounds()
			if raw == nil {
				frame := clipFrame(t, clip, 30, b.Dx(), b.Dy(), true)
				raw = detail(t, frame)
				frame.Close()
			}
			grey := greyOf(t, img)
			defer grey.Close()
			r := correlation(detail(t, grey), raw)
			t.Logf("%s: detail correlation with the camera frame %.2f", mode, r)
			if mode == "live" {
				assert.Greater(t, r, 0.25, "the live mode shows the picture")
			} else {
				assert.Less(t, r, 0.1, "the %s mode must not show the picture", mode)
			}
		})
	}
}
