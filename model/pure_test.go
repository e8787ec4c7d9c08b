package model_test

import (
	"math"
	"testing"

	"github.com/carrierarcade/kiosk/sight"

	"github.com/carrierarcade/kiosk/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLetterbox(t *testing.T) {
	cases := []struct {
		name             string
		srcW, srcH       int
		dstW, dstH       int
		center           bool
		scale            float32
		w, h, padX, padY int
	}{
		{"landscape top-left", 768, 576, 416, 416, false, 416.0 / 768, 416, 312, 0, 0},
		{"landscape centred", 768, 576, 640, 640, true, 640.0 / 768, 640, 480, 0, 80},
		{"portrait centred", 480, 640, 256, 256, true, 256.0 / 640, 192, 256, 32, 0},
		{"already square", 416, 416, 416, 416, false, 1, 416, 416, 0, 0},
		{"small source grows", 100, 50, 416, 416, true, 4.16, 416, 208, 0, 104},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lb := model.NewLetterbox(c.srcW, c.srcH, c.dstW, c.dstH, c.center)
			assert.InDelta(t, c.scale, lb.Scale, 1e-6)
			assert.Equal(t, [4]int{c.w, c.h, c.padX, c.padY}, [4]int{lb.W, lb.H, lb.PadX, lb.PadY})
			// A point maps back to where it came from.
			x, y := lb.ToSource(float32(c.padX)+10*lb.Scale, float32(c.padY)+20*lb.Scale)
			assert.InDelta(t, 10, x, 1e-3)
			assert.InDelta(t, 20, y, 1e-3)
		})
	}
}

func TestBoxToSourceClamps(t *testing.T) {
	lb := model.NewLetterbox(768, 576, 416, 416, false)
	b := lb.BoxToSource(sight.Box{X0: -10, Y0: -5, X1: 500, Y1: 400}, 768, 576)
	assert.Equal(t, sight.Box{X0: 0, Y0: 0, X1: 768, Y1: 576}, b)
}

func TestIoU(t *testing.T) {
	a := sight.Box{X0: 0, Y0: 0, X1: 10, Y1: 10}
	assert.InDelta(t, 1, sight.IoU(a, a), 1e-6)
	assert.InDelta(t, 25.0/175, sight.IoU(a, sight.Box{X0: 5, Y0: 5, X1: 15, Y1: 15}), 1e-6)
	assert.Zero(t, sight.IoU(a, sight.Box{X0: 20, Y0: 20, X1: 30, Y1: 30}))
	assert.Zero(t, sight.IoU(a, sight.Box{X0: 10, Y0: 0, X1: 20, Y1: 10}), "touching edges do not overlap")
}

func TestNMSKeepsTheHigherScorePerClass(t *testing.T) {
	dets := []sight.Detection{
		{Class: 0, Score: 0.5, Box: sight.Box{X0: 0, Y0: 0, X1: 10, Y1: 10}},
		{Class: 0, Score: 0.9, Box: sight.Box{X0: 1, Y0: 1, X1: 11, Y1: 11}},   // overlaps the 0.5: wins
		{Class: 1, Score: 0.4, Box: sight.Box{X0: 1, Y0: 1, X1: 11, Y1: 11}},   // other class: kept
		{Class: 0, Score: 0.7, Box: sight.Box{X0: 50, Y0: 50, X1: 60, Y1: 60}}, // far away: kept
		{Class: 0, Score: 0.8, Box: sight.Box{X0: 0, Y0: 0, X1: 10.5, Y1: 10}}, // overlaps the 0.9: dropped
	}
	kept, _ := model.NMS(dets, 0.45, nil)
	require.Len(t, kept, 3)
	assert.Equal(t, float32(0.9), kept[0].Score)
	assert.Equal(t, float32(0.7), kept[1].Score)
	assert.Equal(t, 1, kept[2].Class)
}

func TestNMSLowOverlapKeepsBoth(t *testing.T) {
	dets := []sight.Detection{
		{Class: 2, Score: 0.6, Box: sight.Box{X0: 0, Y0: 0, X1: 10, Y1: 10}},
		{Class: 2, Score: 0.7, Box: sight.Box{X0: 8, Y0: 0, X1: 18, Y1: 10}},
	}
	kept, _ := model.NMS(dets, 0.45, nil)
	assert.Len(t, kept, 2)
}

// yoloxRows builds an all-zero YOLOX output for a w x h input and returns a
// setter for one cell's row.
func yoloxRows(w, h, classes int) ([]float32, func(stride, gx, gy int, row ...float32)) {
	n := 0
	for _, s := range []int{8, 16, 32} {
		n += (w / s) * (h / s)
	}
	out := make([]float32, n*(5+classes))
	return out, func(stride, gx, gy int, row ...float32) {
		idx := 0
		for _, s := range []int{8, 16, 32} {
			if s == stride {
				idx += gy*(w/s) + gx
				break
			}
			idx += (w / s) * (h / s)
		}
		copy(out[idx*(5+classes):], row)
	}
}

func TestDecodeYOLOXCells(t *testing.T) {
	out, set := yoloxRows(416, 416, 3)
	// Stride 16 cell (10, 5): centre offset (0.5, 0.25), size exp(0)=1 cell
	// and exp(ln 4)=4 cells; objectness 0.9, class 2 at 0.8.
	set(16, 10, 5, 0.5, 0.25, 0, float32(math.Log(4)), 0.9, 0.1, 0.2, 0.8)
	// Stride 8 cell below the bar: 0.5 * 0.5 = 0.25.
	set(8, 3, 3, 0, 0, 0, 0, 0.5, 0.5, 0, 0)
	// Stride 32, last cell (12, 12): 1 * 0.6.
	set(32, 12, 12, 0, 0, float32(math.Log(2)), float32(math.Log(2)), 1, 0.6, 0, 0)
	all := func(int) bool { return true }
	got := model.DecodeYOLOX(out, 416, 416, 3, 0.3, all, nil)
	require.Len(t, got, 2)

	assert.Equal(t, 2, got[0].Class)
	assert.InDelta(t, 0.72, got[0].Score, 1e-6)
	cx, cy := (10+0.5)*16.0, (5+0.25)*16.0
	assert.InDelta(t, cx-8, got[0].Box.X0, 1e-4)
	assert.InDelta(t, cx+8, got[0].Box.X1, 1e-4)
	assert.InDelta(t, cy-32, got[0].Box.Y0, 1e-3)
	assert.InDelta(t, cy+32, got[0].Box.Y1, 1e-3)

	assert.Equal(t, 0, got[1].Class)
	assert.InDelta(t, 12*32-32, got[1].Box.X0, 1e-3)
	assert.InDelta(t, 12*32+32, got[1].Box.X1, 1e-3)

	// The class filter drops class 2 and picks the next best allowed.
	only0 := func(c int) bool { return c == 0 }
	got = model.DecodeYOLOX(out, 416, 416, 3, 0.05, only0, nil)
	require.Len(t, got, 3)
	for _, d := range got {
		assert.Equal(t, 0, d.Class)
	}
	assert.InDelta(t, 0.25, got[0].Score, 1e-6)
	assert.InDelta(t, 0.09, got[1].Score, 1e-6)
}

func TestDecodeUltralytics(t *testing.T) {
	// Three predictions, two classes: layout [4+2, 3], row per value.
	const n = 3
	out := make([]float32, (4+2)*n)
	put := func(i int, cx, cy, w, h, c0, c1 float32) {
		for r, v := range []float32{cx, cy, w, h, c0, c1} {
			out[r*n+i] = v
		}
	}
	put(0, 320, 240, 100, 50, 0.1, 0.9)
	put(1, 10, 10, 4, 4, 0.2, 0.1) // below the bar
	put(2, 600, 600, 20, 40, 0.55, 0.5)
	all := func(int) bool { return true }
	got := model.DecodeUltralytics(out, n, 2, 0.25, all, nil)
	require.Len(t, got, 2)
	assert.Equal(t, sight.Detection{Class: 1, Score: 0.9, Box: sight.Box{X0: 270, Y0: 215, X1: 370, Y1: 265}}, got[0])
	assert.Equal(t, sight.Detection{Class: 0, Score: 0.55, Box: sight.Box{X0: 590, Y0: 580, X1: 610, Y1: 620}}, got[1])
}

func TestDecodeBlazeFace(t *testing.T) {
	scores := [2][]float32{make([]float32, 512), make([]float32, 384)}
	regs := [2][]float32{make([]float32, 512*16), make([]float32, 384*16)}
	for i := range scores[0] {
		scores[0][i] = -10
	}
	for i := range scores[1] {
		scores[1][i] = -10
	}
	// Anchor 0 of the 8x8 grid's cell (3, 2) is anchor 512 + (2*8+3)*6.
	k := (2*8 + 3) * 6
	scores[1][k] = 2 // sigmoid(2) = 0.881
	r := regs[1][k*16 : k*16+16]
	copy(r, []float32{4, -2, 60, 80, -10, -12, 10, -12, 0, 0, 0, 10, -20, 0, 20, 0})
	anchors := model.BlazeFaceAnchors()
	require.Len(t, anchors, 896)
	got := model.DecodeBlazeFace(anchors, 256, scores, regs, 0.5, nil)
	require.Len(t, got, 1)
	ax, ay := (3+0.5)/8*256.0, (2+0.5)/8*256.0
	assert.InDelta(t, 0.8808, got[0].Score, 1e-3)
	assert.InDelta(t, ax+4-30, got[0].Box.X0, 1e-3)
	assert.InDelta(t, ay-2+40, got[0].Box.Y1, 1e-3)
	assert.InDelta(t, ax-10, got[0].Keypoints[0].X, 1e-3)
	assert.InDelta(t, ay+10, got[0].Keypoints[3].Y, 1e-3)
}

func TestFillPlanarAndInterleaved(t *testing.T) {
	// A 2x1 BGR picture placed at (1, 1) in a 4x3 input.
	pix := []byte{10, 20, 30, 40, 50, 60}
	planar := make([]float32, 3*4*3)
	model.FillPlanar(planar, 4, 3, pix, 2, 1, 1, 1, false, 1)
	plane := 12
	at := 1*4 + 1
	assert.Equal(t, []float32{10, 40}, planar[at:at+2], "B plane first for YOLOX")
	assert.Equal(t, []float32{20, 50}, planar[plane+at:plane+at+2])
	assert.Equal(t, []float32{30, 60}, planar[2*plane+at:2*plane+at+2])

	model.FillPlanar(planar, 4, 3, pix, 2, 1, 1, 1, true, 0.5)
	assert.Equal(t, []float32{15, 30}, planar[at:at+2], "R plane first for Ultralytics")

	inter := make([]float32, 4*3*3)
	model.FillInterleavedRGB(inter, 4, pix, 2, 1, 1, 1, 2.0/255, -1)
	o := at * 3
	assert.InDeltaSlice(t, []float32{30*2/255.0 - 1, 20*2/255.0 - 1, 10*2/255.0 - 1}, inter[o:o+3], 1e-6)
}
