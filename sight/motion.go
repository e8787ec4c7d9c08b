package sight

import (
	"math"
	"time"
)

// MotionLevels is how finely motion energy is measured: a cell's energy is
// a whole number of 1/MotionLevels steps, far finer than any threshold
// needs, so that a recording keeps each cell in one byte and replays the
// very same values (see Quantize).
const MotionLevels = 255

// Quantize rounds an energy 0..1 to the nearest of the levels a recording
// can hold. Level gives the byte, FromLevel the value back, bit for bit.
func Quantize(e float32) float32 { return FromLevel(Level(e)) }

// Level is e's step, 0..MotionLevels.
func Level(e float32) uint8 {
	return uint8(math.Round(float64(clamp01(e)) * MotionLevels))
}

// FromLevel is the energy of a step.
func FromLevel(q uint8) float32 { return float32(q) / MotionLevels }

// MotionGrid is one measurement: W*H cells, row-major, top row first. When
// it was measured mirrored, column 0 is the left of the screen (the right
// of the camera picture).
type MotionGrid struct {
	W, H int
	// Energy per cell, 0..1 in steps of 1/MotionLevels: 0 when the cell
	// changed no more than its noise floor allows, 1 for a whole cell in
	// motion.
	Energy []float32
	// Calibrated is false while the noise floor is still being learned;
	// Energy is all zero then.
	Calibrated bool
	// Time is the frame time it was measured at.
	Time time.Duration
}

// At is the energy of cell (x, y), 0 outside the grid.
func (g *MotionGrid) At(x, y int) float32 {
	if x < 0 || y < 0 || x >= g.W || y >= g.H || y*g.W+x >= len(g.Energy) {
		return 0
	}
	return g.Energy[y*g.W+x]
}

// Region is the mean energy, 0..1, over the rectangle (x0, y0)-(x1, y1) in
// 0..1 coordinates of the grid (x right, y down), cells weighted by how much
// of them the rectangle covers. Games use it to ask how much motion there is
// inside a bubble or a player's box. A rectangle of no area, or wholly
// outside the grid, has none.
func (g *MotionGrid) Region(x0, y0, x1, y1 float32) float32 {
	if g.W <= 0 || g.H <= 0 || len(g.Energy) < g.W*g.H {
		return 0
	}
	if x0 > x1 {
		x0, x1 = x1, x0
	}
	if y0 > y1 {
		y0, y1 = y1, y0
	}
	// In cell units from here on.
	fx0, fx1 := clamp01(x0)*float32(g.W), clamp01(x1)*float32(g.W)
	fy0, fy1 := clamp01(y0)*float32(g.H), clamp01(y1)*float32(g.H)
	if !(fx1 > fx0) || !(fy1 > fy0) {
		return 0
	}
	cx0, cx1 := int(fx0), min(int(math.Ceil(float64(fx1))), g.W)
	cy0, cy1 := int(fy0), min(int(math.Ceil(float64(fy1))), g.H)
	var sum, weight float32
	for cy := cy0; cy < cy1; cy++ {
		wy := min(fy1, float32(cy+1)) - max(fy0, float32(cy))
		if wy <= 0 {
			continue
		}
		row := g.Energy[cy*g.W : (cy+1)*g.W]
		for cx := cx0; cx < cx1; cx++ {
			wx := min(fx1, float32(cx+1)) - max(fx0, float32(cx))
			if wx <= 0 {
				continue
			}
			sum += wx * wy * row[cx]
			weight += wx * wy
		}
	}
	if weight <= 0 {
		return 0
	}
	return sum / weight
}

// Total is the mean energy over the whole grid.
func (g *MotionGrid) Total() float32 {
	n := g.W * g.H
	if n <= 0 || len(g.Energy) < n {
		return 0
	}
	var sum float32
	for _, e := range g.Energy[:n] {
		sum += e
	}
	return sum / float32(n)
}

// CopyFrom makes g a copy of src, reusing g's slice (it grows only when
// too small), so a reader can keep a grid without allocating per frame.
func (g *MotionGrid) CopyFrom(src *MotionGrid) {
	energy := g.Energy[:0]
	*g = *src
	g.Energy = append(energy, src.Energy...)
}

func clamp01(v float32) float32 {
	if !(v > 0) { // also NaN
		return 0
	}
	return min(v, 1)
}
