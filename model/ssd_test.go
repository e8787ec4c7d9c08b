package model_test

import (
	"math"
	"testing"

	"github.com/carrierarcade/kiosk/model"
	"github.com/carrierarcade/kiosk/sight"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAnchorGrids(t *testing.T) {
	cases := []struct {
		name  string
		grid  model.AnchorGrid
		count int
		// spot checks: index and expected centre
		at map[int][2]float32
	}{
		{"palm", model.PalmDetectorGrid(), 2016, map[int][2]float32{
			0:    {0.5 / 24, 0.5 / 24},
			1:    {0.5 / 24, 0.5 / 24}, // two anchors per cell at stride 8
			2:    {1.5 / 24, 0.5 / 24},
			1151: {23.5 / 24, 23.5 / 24},
			1152: {0.5 / 12, 0.5 / 12}, // the three stride-16 layers share one grid, six a cell
			1157: {0.5 / 12, 0.5 / 12},
			1158: {1.5 / 12, 0.5 / 12},
			2015: {11.5 / 12, 11.5 / 12},
		}},
		{"pose", model.PoseDetectorGrid(), 2254, map[int][2]float32{
			0:    {0.5 / 28, 0.5 / 28},
			1567: {27.5 / 28, 27.5 / 28},
			1568: {0.5 / 14, 0.5 / 14},
			1960: {0.5 / 7, 0.5 / 7},
			1965: {0.5 / 7, 0.5 / 7},
			1966: {1.5 / 7, 0.5 / 7},
			2253: {6.5 / 7, 6.5 / 7},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := c.grid.Anchors()
			require.Len(t, a, c.count)
			for i, want := range c.at {
				assert.InDelta(t, want[0], a[i].X, 1e-6, "anchor %d x", i)
				assert.InDelta(t, want[1], a[i].Y, 1e-6, "anchor %d y", i)
				assert.Equal(t, float32(1), a[i].W, "fixed size")
			}
		})
	}
}

func TestAnchorSizesWhenNotFixed(t *testing.T) {
	// Two layers of different strides, scales 0.2 and 0.6: each cell has
	// the layer's square anchor and one between its scale and the next's
	// (the last layer's next is 1); aspect 4 makes a wide one.
	g := model.AnchorGrid{InputW: 32, InputH: 16, MinScale: 0.2, MaxScale: 0.6, Strides: []int{8, 16},
		OffsetX: 0.5, OffsetY: 0.5, AspectRatios: []float32{1, 4}, InterpolatedAspect: 1}
	a := g.Anchors()
	require.Len(t, a, 4*2*3+2*1*3)
	assert.InDelta(t, 0.2, a[0].W, 1e-6)
	assert.InDelta(t, 0.2, a[0].H, 1e-6)
	assert.InDelta(t, 0.4, a[1].W, 1e-6, "aspect 4: twice as wide")
	assert.InDelta(t, 0.1, a[1].H, 1e-6, "and half as tall")
	assert.InDelta(t, math.Sqrt(0.2*0.6), a[2].W, 1e-6, "interpolated with the next layer's scale")
	last := a[len(a)-1]
	assert.InDelta(t, math.Sqrt(0.6*1), last.W, 1e-6, "the last layer interpolates with 1")
	assert.InDelta(t, 1.5/2, last.X, 1e-6)
	assert.InDelta(t, 0.5/1, last.Y, 1e-6)
}

func TestDecodeSSD(t *testing.T) {
	anchors := []model.Anchor{{X: 0.25, Y: 0.75, W: 1, H: 1}, {X: 0.5, Y: 0.5, W: 1, H: 1}, {X: 0.9, Y: 0.1, W: 0.5, H: 2}}
	l := model.SSDLayout{Coords: 6, Keypoints: 1, Scale: 100, ClipScore: 100, MinScore: 0.5}
	regs := []float32{
		10, -20, 30, 40, 5, 5, // anchor 0: centre (0.35, 0.55), 0.3 x 0.4
		0, 0, 10, 10, 0, 0, // anchor 1: scores below the bar
		10, 10, 20, 20, -10, 10, // anchor 2: offsets and size scaled by the anchor's size
	}
	scores := []float32{2, -1, 1e9}
	got := model.DecodeSSD(regs, scores, anchors, l, nil)
	require.Len(t, got, 2)
	assert.InDelta(t, 1/(1+math.Exp(-2)), got[0].Score, 1e-6)
	assert.InDelta(t, 0.2, got[0].Box.X0, 1e-6)
	assert.InDelta(t, 0.35, got[0].Box.Y0, 1e-6)
	assert.InDelta(t, 0.5, got[0].Box.X1, 1e-6)
	assert.InDelta(t, 0.75, got[0].Box.Y1, 1e-6)
	assert.Equal(t, 1, got[0].N)
	assert.InDelta(t, 0.3, got[0].Keypoints[0].X, 1e-6)
	assert.InDelta(t, 0.8, got[0].Keypoints[0].Y, 1e-6)
	assert.Equal(t, float32(1), got[1].Score, "a huge logit is clipped, not NaN")
	assert.InDelta(t, 0.9+0.05-0.05, got[1].Box.X0, 1e-6) // centre 0.95, width 0.1
	assert.InDelta(t, 0.1+0.2-0.2, got[1].Box.Y0, 1e-6)   // centre 0.3, height 0.4
	assert.InDelta(t, 0.85, got[1].Keypoints[0].X, 1e-6)
	assert.InDelta(t, 0.3, got[1].Keypoints[0].Y, 1e-6)
}

func TestWeightedNMS(t *testing.T) {
	d := func(score, x0 float32, kx float32) model.SSDDetection {
		out := model.SSDDetection{Score: score, Box: sight.Box{X0: x0, Y0: 0, X1: x0 + 10, Y1: 10}, N: 1}
		out.Keypoints[0] = sight.Point{X: kx, Y: 1}
		return out
	}
	in := []model.SSDDetection{d(0.6, 2, 4), d(0.9, 0, 1), d(0.8, 50, 50), d(0.55, 9.5, 9)}
	got := model.WeightedNMS(in, 0.3, nil)
	require.Len(t, got, 3)
	// The 0.9 takes the 0.6 (IoU 8/12): their score-weighted average.
	assert.Equal(t, float32(0.9), got[0].Score)
	assert.InDelta(t, (0.9*0+0.6*2)/1.5, got[0].Box.X0, 1e-5)
	assert.InDelta(t, (0.9*1+0.6*4)/1.5, got[0].Keypoints[0].X, 1e-5)
	assert.Equal(t, float32(0.8), got[1].Score, "far away: kept as it is")
	assert.InDelta(t, 50, got[1].Box.X0, 1e-6)
	assert.Equal(t, float32(0.55), got[2].Score, "barely touching the strongest: kept")
}

func TestRegions(t *testing.T) {
	up := model.AlignedRegion(sight.Point{X: 100, Y: 200}, sight.Point{X: 100, Y: 100}, 90)
	assert.InDelta(t, 0, up.Angle, 1e-6, "a body upright needs no turn")
	assert.InDelta(t, 200, up.W, 1e-4)
	right := model.AlignedRegion(sight.Point{X: 100, Y: 200}, sight.Point{X: 150, Y: 200}, 90)
	assert.InDelta(t, math.Pi/2, right.Angle, 1e-6, "head to the right: a quarter turn")
	// The crop's top edge (v = 0) lies on the head's side.
	top := right.ToPicture(0.5, 0)
	assert.InDelta(t, 150, top.X, 1e-3)
	assert.InDelta(t, 200, top.Y, 1e-3)
	down := model.AlignedRegion(sight.Point{X: 0, Y: 0}, sight.Point{X: 0, Y: 10}, 90)
	assert.InDelta(t, math.Pi, math.Abs(float64(down.Angle)), 1e-6, "upside down: half a turn, within -pi..pi")

	// Shift along the region's own axes: turned a quarter, "up" (-y) in
	// the region is +x in the picture.
	shifted := model.Region{CX: 0, CY: 0, W: 10, H: 20, Angle: math.Pi / 2}.Transform(2, 3, 0, -0.5, false)
	assert.InDelta(t, 10, shifted.CX, 1e-4)
	assert.InDelta(t, 0, shifted.CY, 1e-4)
	assert.InDelta(t, 20, shifted.W, 1e-4)
	assert.InDelta(t, 60, shifted.H, 1e-4)
	square := model.Region{W: 10, H: 20}.Transform(1.25, 1.25, 0, 0, true)
	assert.InDelta(t, 25, square.W, 1e-4, "square on the long side, then scaled")
	assert.InDelta(t, 25, square.H, 1e-4)

	diamond := model.Region{CX: 50, CY: 50, W: 10, H: 10, Angle: math.Pi / 4}.Bounds()
	assert.InDelta(t, 50-5*math.Sqrt2, diamond.X0, 1e-3)
	assert.InDelta(t, 50+5*math.Sqrt2, diamond.Y1, 1e-3)
}

func TestPalmAndPoseRegions(t *testing.T) {
	palm := model.SSDDetection{Box: sight.Box{X0: 90, Y0: 90, X1: 110, Y1: 110}, N: 7}
	palm.Keypoints[0] = sight.Point{X: 100, Y: 110} // wrist below
	palm.Keypoints[2] = sight.Point{X: 100, Y: 90}  // middle knuckle above: upright
	r := model.PalmRegion(palm)
	assert.InDelta(t, 0, r.Angle, 1e-6)
	assert.InDelta(t, 52, r.W, 1e-4, "2.6 times the palm box")
	assert.InDelta(t, 90, r.CY, 1e-4, "half a box towards the fingers")
	assert.InDelta(t, 100, r.CX, 1e-4)

	person := model.SSDDetection{N: 4}
	person.Keypoints[0] = sight.Point{X: 300, Y: 400}
	person.Keypoints[1] = sight.Point{X: 300, Y: 200}
	p := model.PoseRegion(person)
	assert.InDelta(t, 500, p.W, 1e-3, "twice the radius, 1.25 times")
	assert.InDelta(t, 400, p.CY, 1e-3, "centred on the hips")
}

func TestDetectionToPicture(t *testing.T) {
	lb := model.NewLetterbox(400, 200, 100, 100, true) // scale 0.25, 25 rows of padding above
	d := model.SSDDetection{Box: sight.Box{X0: 0, Y0: 0.25, X1: 1, Y1: 0.75}, N: 1}
	d.Keypoints[0] = sight.Point{X: 0.5, Y: 0.5}
	p := d.ToPicture(lb, 100, 100)
	assert.InDelta(t, 0, p.Box.X0, 1e-4)
	assert.InDelta(t, 0, p.Box.Y0, 1e-4)
	assert.InDelta(t, 400, p.Box.X1, 1e-4)
	assert.InDelta(t, 200, p.Box.Y1, 1e-4)
	assert.InDelta(t, 200, p.Keypoints[0].X, 1e-4)
	assert.InDelta(t, 100, p.Keypoints[0].Y, 1e-4)
}
