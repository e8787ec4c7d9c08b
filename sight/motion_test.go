package sight_test

import (
	"image"
	"math"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/sight"
	"github.com/stretchr/testify/assert"
)

func TestMotionGridMaths(t *testing.T) {
	// 4 x 2 grid:
	//   0.0 0.4 0.8 1.0
	//   0.2 0.2 0.0 0.0
	g := &sight.MotionGrid{W: 4, H: 2, Energy: []float32{0, 0.4, 0.8, 1, 0.2, 0.2, 0, 0}}
	for _, c := range []struct {
		name           string
		x0, y0, x1, y1 float32
		want           float32
	}{
		{"whole grid", 0, 0, 1, 1, 2.6 / 8},
		{"one cell", 0.25, 0, 0.5, 0.5, 0.4},
		{"top row", 0, 0, 1, 0.5, 2.2 / 4},
		{"half of two cells", 0.125, 0, 0.375, 0.5, 0.2},
		{"quarter of a cell is the cell", 0.75, 0, 0.875, 0.25, 1},
		{"unequal overlap", 0.5, 0, 0.875, 0.5, (0.8*1 + 1*0.5) / 1.5},
		{"two rows, half each", 0.25, 0.25, 0.5, 0.75, 0.3},
		{"swapped corners", 1, 1, 0, 0, 2.6 / 8},
		{"clamped outside", -1, -1, 2, 2, 2.6 / 8},
		{"no area", 0.3, 0.3, 0.3, 0.6, 0},
		{"outside", 1.5, 0, 2, 1, 0},
		{"NaN", float32(math.NaN()), 0, float32(math.NaN()), 1, 0},
	} {
		assert.InDelta(t, c.want, g.Region(c.x0, c.y0, c.x1, c.y1), 1e-6, c.name)
	}
	assert.InDelta(t, 2.6/8, g.Total(), 1e-6)
	assert.Equal(t, float32(0.8), g.At(2, 0))
	assert.Equal(t, float32(0.2), g.At(1, 1))
	for _, p := range []image.Point{{-1, 0}, {4, 0}, {0, 2}, {0, -1}} {
		assert.Zero(t, g.At(p.X, p.Y), p)
	}
	var empty sight.MotionGrid
	assert.Zero(t, empty.Total())
	assert.Zero(t, empty.Region(0, 0, 1, 1))
	assert.Zero(t, empty.At(0, 0))

	// CopyFrom copies, then reuses its slices.
	var c sight.MotionGrid
	c.CopyFrom(g)
	assert.Equal(t, *g, c)
	c.Energy[0] = 0.5
	assert.Zero(t, g.Energy[0], "a copy, not a view")
	before := &c.Energy[0]
	g.Time = time.Second
	assert.Zero(t, testing.AllocsPerRun(10, func() { c.CopyFrom(g) }))
	assert.Same(t, before, &c.Energy[0])
	assert.Equal(t, time.Second, c.Time)
	c.CopyFrom(&empty)
	assert.Equal(t, 0, c.W)
	assert.Empty(t, c.Energy)
}

func TestQuantizeKeepsLevelsExactly(t *testing.T) {
	for q := 0; q <= sight.MotionLevels; q++ {
		e := sight.FromLevel(uint8(q))
		assert.Equal(t, uint8(q), sight.Level(e))
		assert.Equal(t, e, sight.Quantize(e), "a level quantizes to itself")
	}
	assert.Equal(t, uint8(0), sight.Level(float32(math.NaN())))
	assert.Equal(t, uint8(sight.MotionLevels), sight.Level(7))
	assert.Equal(t, uint8(0), sight.Level(-1))
}
