package model

import (
	"cmp"
	"math"
	"slices"

	"github.com/carrierarcade/kiosk/sight"
)

// MediaPipe's person (BlazePose) and palm detectors are SSD detectors:
// each output row belongs to an anchor, a point on one of a few grids, and
// holds a box and keypoints relative to it. The functions here follow
// MediaPipe's SsdAnchorsCalculator, TensorsToDetectionsCalculator,
// NonMaxSuppressionCalculator (weighted) and the detection-to-region
// calculators, with their options as the pose and hand graphs set them,
// as plain functions on numbers so that they are table-tested without a
// model.

// Anchor is one SSD anchor: its centre and size, as fractions of the
// input picture.
type Anchor struct{ X, Y, W, H float32 }

// AnchorGrid is SsdAnchorsCalculator's options.
type AnchorGrid struct {
	InputW, InputH     int
	MinScale, MaxScale float32
	// Strides is one per layer; consecutive layers of one stride share a
	// grid, their anchors interleaved per cell.
	Strides          []int
	OffsetX, OffsetY float32
	AspectRatios     []float32
	// InterpolatedAspect adds one anchor per layer between this layer's
	// scale and the next's (MediaPipe's default 1; 0 leaves it out).
	InterpolatedAspect float32
	// FixedSize gives every anchor width and height 1, as both detectors
	// do: the regressors then carry the whole size.
	FixedSize bool
}

// PoseDetectorGrid is the BlazePose person detector's: 224x224, 2254
// anchors (28x28x2, 14x14x2, 7x7x6).
func PoseDetectorGrid() AnchorGrid {
	return AnchorGrid{InputW: 224, InputH: 224, MinScale: 0.1484375, MaxScale: 0.75, Strides: []int{8, 16, 32, 32, 32},
		OffsetX: 0.5, OffsetY: 0.5, AspectRatios: []float32{1}, InterpolatedAspect: 1, FixedSize: true}
}

// PalmDetectorGrid is the palm detector's: 192x192, 2016 anchors (24x24x2,
// 12x12x6).
func PalmDetectorGrid() AnchorGrid {
	return AnchorGrid{InputW: 192, InputH: 192, MinScale: 0.1484375, MaxScale: 0.75, Strides: []int{8, 16, 16, 16},
		OffsetX: 0.5, OffsetY: 0.5, AspectRatios: []float32{1}, InterpolatedAspect: 1, FixedSize: true}
}

// Anchors generates the grid's anchors in the order of the model's rows.
func (g AnchorGrid) Anchors() []Anchor {
	n := len(g.Strides)
	scale := func(i int) float32 {
		if n == 1 {
			return (g.MinScale + g.MaxScale) / 2
		}
		return g.MinScale + (g.MaxScale-g.MinScale)*float32(i)/float32(n-1)
	}
	var out []Anchor
	for layer := 0; layer < n; {
		var ws, hs []float32
		last := layer
		for ; last < n && g.Strides[last] == g.Strides[layer]; last++ {
			s := scale(last)
			add := func(s, ratio float32) {
				r := float32(math.Sqrt(float64(ratio)))
				ws, hs = append(ws, s*r), append(hs, s/r)
			}
			for _, ar := range g.AspectRatios {
				add(s, ar)
			}
			if g.InterpolatedAspect > 0 {
				next := float32(1)
				if last < n-1 {
					next = scale(last + 1)
				}
				add(float32(math.Sqrt(float64(s*next))), g.InterpolatedAspect)
			}
		}
		stride := g.Strides[layer]
		fh := (g.InputH + stride - 1) / stride
		fw := (g.InputW + stride - 1) / stride
		for y := 0; y < fh; y++ {
			for x := 0; x < fw; x++ {
				for k := range ws {
					a := Anchor{X: (float32(x) + g.OffsetX) / float32(fw), Y: (float32(y) + g.OffsetY) / float32(fh), W: ws[k], H: hs[k]}
					if g.FixedSize {
						a.W, a.H = 1, 1
					}
					out = append(out, a)
				}
			}
		}
		layer = last
	}
	return out
}

// MaxSSDKeypoints is the most keypoints a detection carries (the palm's 7).
const MaxSSDKeypoints = 7

// SSDDetection is one decoded detection: box and keypoints as fractions of
// the input picture (0..1), score 0..1.
type SSDDetection struct {
	Score     float32
	Box       sight.Box
	Keypoints [MaxSSDKeypoints]sight.Point
	// N is how many of Keypoints the detector gives.
	N int
}

// SSDLayout is TensorsToDetectionsCalculator's options: the regressor row
// is [x, y, w, h, k0x, k0y, ...] in input pixels (Scale) relative to the
// anchor; scores are logits, clipped before the sigmoid.
type SSDLayout struct {
	Coords    int     // values per row: 4 + 2 * Keypoints
	Keypoints int     // 4 for the person, 7 for the palm
	Scale     float32 // the input size the offsets are in
	ClipScore float32 // logits are clipped to +-ClipScore (100)
	MinScore  float32
}

// PoseDetectorLayout is the person detector's rows: the face box, then
// the hip centre, a point on the circle around the whole body, the
// shoulder centre and a point on the circle around the upper body.
func PoseDetectorLayout() SSDLayout {
	return SSDLayout{Coords: 12, Keypoints: 4, Scale: 224, ClipScore: 100, MinScore: 0.5}
}

// PalmDetectorLayout is the palm detector's rows: the palm box, then the
// wrist, the index, middle, ring and pinky knuckles, and two thumb points.
func PalmDetectorLayout() SSDLayout {
	return SSDLayout{Coords: 18, Keypoints: 7, Scale: 192, ClipScore: 100, MinScore: 0.5}
}

// DecodeSSD turns an SSD detector's raw rows (regressors, one row of
// l.Coords per anchor) and score logits (one per anchor) into detections
// scoring at least l.MinScore, appended to dst[:0].
func DecodeSSD(regressors, scores []float32, anchors []Anchor, l SSDLayout, dst []SSDDetection) []SSDDetection {
	dst = dst[:0]
	n := min(len(anchors), len(scores), len(regressors)/l.Coords)
	kps := min(l.Keypoints, MaxSSDKeypoints)
	for i := 0; i < n; i++ {
		logit := max(-l.ClipScore, min(l.ClipScore, scores[i]))
		score := float32(1 / (1 + math.Exp(-float64(logit))))
		if score < l.MinScore {
			continue
		}
		a := anchors[i]
		r := regressors[i*l.Coords : (i+1)*l.Coords]
		cx := r[0]/l.Scale*a.W + a.X
		cy := r[1]/l.Scale*a.H + a.Y
		w := r[2] / l.Scale * a.W
		h := r[3] / l.Scale * a.H
		d := SSDDetection{Score: score, Box: sight.Box{X0: cx - w/2, Y0: cy - h/2, X1: cx + w/2, Y1: cy + h/2}, N: kps}
		for k := 0; k < kps; k++ {
			d.Keypoints[k] = sight.Point{X: r[4+2*k]/l.Scale*a.W + a.X, Y: r[5+2*k]/l.Scale*a.H + a.Y}
		}
		dst = append(dst, d)
	}
	return dst
}

// WeightedNMS is MediaPipe's weighted non-maximum suppression: strongest
// first, each detection takes every remaining one that overlaps it by more
// than iou and becomes their score-weighted average (box and keypoints),
// keeping its own score. dets is reordered; the result is appended to
// dst[:0], strongest first.
func WeightedNMS(dets []SSDDetection, iou float32, dst []SSDDetection) []SSDDetection {
	dst = dst[:0]
	slices.SortStableFunc(dets, func(a, b SSDDetection) int { return cmp.Compare(b.Score, a.Score) })
	for len(dets) > 0 {
		top := dets[0]
		var sum float32
		var box [4]float32
		var kp [MaxSSDKeypoints][2]float32
		rest := dets[:0]
		for _, d := range dets {
			if sight.IoU(top.Box, d.Box) <= iou && d != top {
				rest = append(rest, d)
				continue
			}
			sum += d.Score
			box[0] += d.Score * d.Box.X0
			box[1] += d.Score * d.Box.Y0
			box[2] += d.Score * d.Box.X1
			box[3] += d.Score * d.Box.Y1
			for k := 0; k < d.N; k++ {
				kp[k][0] += d.Score * d.Keypoints[k].X
				kp[k][1] += d.Score * d.Keypoints[k].Y
			}
		}
		m := top
		m.Box = sight.Box{X0: box[0] / sum, Y0: box[1] / sum, X1: box[2] / sum, Y1: box[3] / sum}
		for k := 0; k < m.N; k++ {
			m.Keypoints[k] = sight.Point{X: kp[k][0] / sum, Y: kp[k][1] / sum}
		}
		dst = append(dst, m)
		dets = rest
	}
	return dst
}

// Region is a turned rectangle in a picture: the square a landmark model
// looks at. Centre and size in pixels; Angle in radians, the turn that
// makes the body or hand upright (positive is counter-clockwise as seen,
// with y pointing down, as MediaPipe's rotation).
type Region struct {
	CX, CY, W, H float32
	Angle        float32
}

// turnTowards is the rotation that brings the line from a to b to point at
// target degrees (90: straight up), normalized to -pi..pi.
func turnTowards(a, b sight.Point, target float64) float32 {
	r := target*math.Pi/180 - math.Atan2(-float64(b.Y-a.Y), float64(b.X-a.X))
	return float32(r - 2*math.Pi*math.Floor((r+math.Pi)/(2*math.Pi)))
}

// AlignedRegion is MediaPipe's AlignmentPointsRectsCalculator: a square
// centred on centre whose side is twice the distance to edge, turned so
// that centre to edge points at target degrees. The pose detector's
// region is AlignedRegion(hips, full-body point, 90) scaled by 1.25.
func AlignedRegion(centre, edge sight.Point, target float64) Region {
	side := 2 * float32(math.Hypot(float64(edge.X-centre.X), float64(edge.Y-centre.Y)))
	return Region{CX: centre.X, CY: centre.Y, W: side, H: side, Angle: turnTowards(centre, edge, target)}
}

// BoxRegion is MediaPipe's DetectionsToRectsCalculator with a rotation: the
// box's centre and size, turned so that from to to points at target
// degrees. The palm detector's region is BoxRegion(box, wrist, middle
// knuckle, 90), then Transform(2.6, 2.6, 0, -0.5, true).
func BoxRegion(b sight.Box, from, to sight.Point, target float64) Region {
	return Region{CX: (b.X0 + b.X1) / 2, CY: (b.Y0 + b.Y1) / 2, W: b.W(), H: b.H(), Angle: turnTowards(from, to, target)}
}

// Transform is MediaPipe's RectTransformationCalculator in pixels: shift
// by fractions of the size along the region's own (turned) axes, make it
// square on its longer side when asked, then scale.
func (r Region) Transform(scaleX, scaleY, shiftX, shiftY float32, squareLong bool) Region {
	sin, cos := math.Sincos(float64(r.Angle))
	dx := float64(r.W*shiftX)*cos - float64(r.H*shiftY)*sin
	dy := float64(r.W*shiftX)*sin + float64(r.H*shiftY)*cos
	r.CX += float32(dx)
	r.CY += float32(dy)
	if squareLong {
		side := max(r.W, r.H)
		r.W, r.H = side, side
	}
	r.W *= scaleX
	r.H *= scaleY
	return r
}

// PoseRegion is the region the pose landmark model looks at for a person
// the detector found (keypoints in pixels): around the hips, the whole
// body's circle, upright, 1.25 times as large.
func PoseRegion(d SSDDetection) Region {
	return AlignedRegion(d.Keypoints[0], d.Keypoints[1], 90).Transform(1.25, 1.25, 0, 0, true)
}

// PalmRegion is the region the hand landmark model looks at for a palm
// the detector found (box and keypoints in pixels): the palm box turned
// wrist-to-middle-knuckle upright, 2.6 times as large, shifted half a box
// towards the fingers.
func PalmRegion(d SSDDetection) Region {
	return BoxRegion(d.Box, d.Keypoints[0], d.Keypoints[2], 90).Transform(2.6, 2.6, 0, -0.5, true)
}

// ToPicture maps a point of the region's own square (u, v in 0..1, as a
// landmark model's output divided by its input size) to picture pixels.
func (r Region) ToPicture(u, v float32) sight.Point {
	sin, cos := math.Sincos(float64(r.Angle))
	x := float64((u - 0.5) * r.W)
	y := float64((v - 0.5) * r.H)
	// The crop was taken turned by -Angle: turn back by Angle.
	return sight.Point{X: r.CX + float32(x*cos-y*sin), Y: r.CY + float32(x*sin+y*cos)}
}

// Bounds is the upright box around the turned region.
func (r Region) Bounds() sight.Box {
	b := sight.Box{X0: float32(math.Inf(1)), Y0: float32(math.Inf(1)), X1: float32(math.Inf(-1)), Y1: float32(math.Inf(-1))}
	for _, c := range [4][2]float32{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
		p := r.ToPicture(c[0], c[1])
		b.X0, b.Y0 = min(b.X0, p.X), min(b.Y0, p.Y)
		b.X1, b.Y1 = max(b.X1, p.X), max(b.Y1, p.Y)
	}
	return b
}

// ToPicture maps a detection from fractions of a letterboxed input (lb,
// made with the input's size) to the picture's pixels.
func (d SSDDetection) ToPicture(lb Letterbox, inW, inH int) SSDDetection {
	x0, y0 := lb.ToSource(d.Box.X0*float32(inW), d.Box.Y0*float32(inH))
	x1, y1 := lb.ToSource(d.Box.X1*float32(inW), d.Box.Y1*float32(inH))
	d.Box = sight.Box{X0: x0, Y0: y0, X1: x1, Y1: y1}
	for k := 0; k < d.N; k++ {
		x, y := lb.ToSource(d.Keypoints[k].X*float32(inW), d.Keypoints[k].Y*float32(inH))
		d.Keypoints[k] = sight.Point{X: x, Y: y}
	}
	return d
}
