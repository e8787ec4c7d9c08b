package vision

import (
	"image"
	"math"
	"time"

	"github.com/carrierarcade/kiosk/internal/check"
	"github.com/carrierarcade/kiosk/sight"
	"gocv.io/x/gocv"
)

// MotionConfig is the [motion] section of config.toml.
type MotionConfig struct {
	GridW int `toml:"grid_w"` // cells across
	GridH int `toml:"grid_h"` // cells down
	// Width is the width of the grey copy differencing runs on; its height
	// keeps the frame's aspect. Small is the point: it averages away pixel
	// noise and keeps Update cheap.
	Width int `toml:"width"`
	// CalibrateSeconds is how long the noise floor is learned for, from the
	// first frame and after Recalibrate.
	CalibrateSeconds float64 `toml:"calibrate_seconds"`
	// Sensitivity: a cell counts as moving when its difference exceeds
	// floor*sensitivity + margin. Higher is less sensitive.
	Sensitivity float64 `toml:"sensitivity"`
	// Margin is an absolute extra, in grey levels (0..255), above the
	// scaled floor, so a very clean camera is not jumpy.
	Margin float64 `toml:"margin"`
}

// DefaultMotionConfig is what the kiosk uses when config.toml says nothing.
func DefaultMotionConfig() MotionConfig {
	return MotionConfig{GridW: 32, GridH: 24, Width: 160, CalibrateSeconds: 2, Sensitivity: 3, Margin: 4}
}

// Validate reports every bad value, keyed relative to [motion].
func (c MotionConfig) Validate() check.Problems {
	var ps check.Problems
	ps.Range("grid_w", float64(c.GridW), 4, 128)
	ps.Range("grid_h", float64(c.GridH), 3, 96)
	ps.Range("width", float64(c.Width), 32, 640)
	ps.Range("calibrate_seconds", c.CalibrateSeconds, 0.2, 30)
	ps.Range("sensitivity", c.Sensitivity, 1, 20)
	ps.Range("margin", c.Margin, 0, 64)
	return ps
}

// sanitized replaces every value Validate would reject with its default, so
// that a Motion built from an unchecked config still works.
func (c MotionConfig) sanitized() MotionConfig {
	d := DefaultMotionConfig()
	in := func(v, lo, hi float64) bool { return v >= lo && v <= hi } // false for NaN
	if !in(float64(c.GridW), 4, 128) {
		c.GridW = d.GridW
	}
	if !in(float64(c.GridH), 3, 96) {
		c.GridH = d.GridH
	}
	if !in(float64(c.Width), 32, 640) {
		c.Width = d.Width
	}
	if !in(c.CalibrateSeconds, 0.2, 30) {
		c.CalibrateSeconds = d.CalibrateSeconds
	}
	if !in(c.Sensitivity, 1, 20) {
		c.Sensitivity = d.Sensitivity
	}
	if !in(c.Margin, 0, 64) {
		c.Margin = d.Margin
	}
	return c
}

const (
	// motionAdaptTau is the time constant the floor follows still cells
	// with after calibration: slow enough that someone who waves now and
	// then is not learned away, fast enough to absorb exposure drift.
	motionAdaptTau = 30 * time.Second
	// motionFloorStd is how many standard deviations of a cell's still
	// difference go into its floor, on top of the mean.
	motionFloorStd = 1
	// motionMinCalibFrames: calibration also needs this many differences,
	// so a stalled camera cannot calibrate from one.
	motionMinCalibFrames = 3
)

// Motion measures frame-to-frame motion on a small grey copy of each frame.
// It owns its Mats and reuses them, so Update allocates nothing once the
// frame size is known. Not safe for concurrent use.
type Motion struct {
	cfg MotionConfig

	small   gocv.Mat // frame scaled down, still in colour
	grey    gocv.Mat // small, grey
	cur     gocv.Mat // grey, blurred: this frame
	prev    gocv.Mat // the previous frame's cur
	shifted gocv.Mat // prev with the global brightness change added
	diff    gocv.Mat // |cur - shifted|

	srcW, srcH     int // frame size the state belongs to, 0 before the first frame
	smallW, smallH int
	colCell        []int32   // small column -> cell column
	rowCell        []int32   // small row -> cell row
	cellPix        []float32 // small pixels per cell
	sums           []uint32  // per cell sum of diff, camera orientation
	raw            []float32 // per cell mean diff, camera orientation
	hist           [511]int32

	started, hasPrev bool
	lastT            time.Duration

	// Noise floor per cell, camera orientation: during calibration a
	// Welford mean and sum of squares, after it an exponentially weighted
	// mean and variance of the cell's difference while still.
	calibrated bool
	calibStart time.Duration
	calibN     int
	mean, m2   []float64

	grid    sight.MotionGrid
	gridRaw []float32 // raw, laid out as the grid (mirrored with it)
}

// NewMotion makes a Motion. Values Validate would reject take their
// defaults.
func NewMotion(cfg MotionConfig) *Motion {
	cfg = cfg.sanitized()
	n := cfg.GridW * cfg.GridH
	m := &Motion{
		cfg:     cfg,
		small:   gocv.NewMat(),
		grey:    gocv.NewMat(),
		cur:     gocv.NewMat(),
		prev:    gocv.NewMat(),
		shifted: gocv.NewMat(),
		diff:    gocv.NewMat(),
		smallW:  max(cfg.Width, cfg.GridW),
		cellPix: make([]float32, n),
		sums:    make([]uint32, n),
		raw:     make([]float32, n),
		mean:    make([]float64, n),
		m2:      make([]float64, n),
		grid: sight.MotionGrid{
			W: cfg.GridW, H: cfg.GridH,
			Energy: make([]float32, n),
		},
		gridRaw: make([]float32, n),
	}
	m.colCell = make([]int32, m.smallW)
	for x := range m.colCell {
		m.colCell[x] = int32(x * cfg.GridW / m.smallW)
	}
	return m
}

// Close releases the Mats. The Motion must not be used after.
func (m *Motion) Close() error {
	for _, mat := range []*gocv.Mat{&m.small, &m.grey, &m.cur, &m.prev, &m.shifted, &m.diff} {
		if mat.Ptr() != nil {
			mat.Close()
		}
	}
	return nil
}

// Recalibrate starts learning the noise floor again from time t; Energy is
// zero until CalibrateSeconds have passed. Use it when the booth is quiet
// after the camera or lighting was moved.
func (m *Motion) Recalibrate(t time.Duration) {
	m.calibrated = false
	m.calibStart = t
	m.calibN = 0
	clear(m.mean)
	clear(m.m2)
}

// Raw is the last measurement's mean absolute difference per cell, in grey
// levels 0..255 before the noise floor, laid out like the grid (mirrored
// with it): for tests and debugging; the rules read only the energy.
// Valid until the next Update.
func (m *Motion) Raw() []float32 { return m.gridRaw }

// Update measures motion between frame (8-bit BGR, BGRA or grey, any size)
// and the previous one, at frame time t. mirror flips the grid left-right,
// for a screen that shows a selfie view. It returns m's own grid, valid until
// the next Update; callers keep it with CopyFrom.
//
// The first frame, a frame of a new size, and a time earlier than the last
// one start over: no difference yet, and the floor is learned again. An empty
// or unsupported frame gives an all-zero grid and leaves the state alone.
func (m *Motion) Update(frame gocv.Mat, t time.Duration, mirror bool) *sight.MotionGrid {
	g := &m.grid
	g.Time = t
	if frame.Empty() || frame.Type()&7 != gocv.MatTypeCV8U {
		m.zeroGrid()
		return g
	}
	w, h := frame.Cols(), frame.Rows()
	if !m.started || w != m.srcW || h != m.srcH || t < m.lastT {
		m.reset(w, h, t)
	}
	dt := t - m.lastT
	m.lastT = t

	gocv.Resize(frame, &m.small, image.Pt(m.smallW, m.smallH), 0, 0, gocv.InterpolationArea)
	grey := &m.grey
	switch frame.Channels() {
	case 1:
		grey = &m.small
	case 3:
		gocv.CvtColor(m.small, &m.grey, gocv.ColorBGRToGray)
	case 4:
		gocv.CvtColor(m.small, &m.grey, gocv.ColorBGRAToGray)
	default:
		m.zeroGrid()
		return g
	}
	// A small blur so one noisy pixel cannot light a cell on its own.
	gocv.GaussianBlur(*grey, &m.cur, image.Pt(3, 3), 0, 0, gocv.BorderReplicate)

	if !m.hasPrev {
		m.cur, m.prev = m.prev, m.cur
		m.hasPrev = true
		m.zeroGrid()
		return g
	}
	if !m.difference() {
		m.zeroGrid()
		return g
	}
	m.cur, m.prev = m.prev, m.cur

	if !m.calibrated {
		m.learn(t)
	}
	m.measure(dt, mirror)
	return g
}

// reset forgets the previous frame and the floor, for a frame of size w x h
// at time t.
func (m *Motion) reset(w, h int, t time.Duration) {
	m.started, m.hasPrev = true, false
	m.srcW, m.srcH = w, h
	m.lastT = t
	smallH := max(int(math.Round(float64(m.smallW)*float64(h)/float64(w))), m.cfg.GridH)
	if smallH != m.smallH || m.rowCell == nil {
		m.smallH = smallH
		m.rowCell = make([]int32, smallH)
		for y := range m.rowCell {
			m.rowCell[y] = int32(y * m.cfg.GridH / smallH)
		}
	}
	// Every cell gets at least one pixel: the small copy is never narrower
	// or lower than the grid.
	clear(m.cellPix)
	for _, cy := range m.rowCell {
		for _, cx := range m.colCell {
			m.cellPix[int(cy)*m.cfg.GridW+int(cx)]++
		}
	}
	m.Recalibrate(t)
}

// difference fills m.raw with each cell's mean absolute difference between
// cur and prev, after taking out the frame's global brightness change. It
// reports false if the Mats' bytes cannot be read.
func (m *Motion) difference() bool {
	cur, err := m.cur.DataPtrUint8()
	if err != nil {
		return false
	}
	prev, err := m.prev.DataPtrUint8()
	if err != nil || len(prev) != len(cur) || len(cur) != m.smallW*m.smallH {
		return false
	}
	// Auto exposure shifts every pixel at once. The median of the signed
	// differences is that shift: a person moving covers less than half the
	// picture and differs both ways, so it barely moves the median.
	for i, c := range cur {
		m.hist[int(c)-int(prev[i])+255]++
	}
	shift, seen, half := 0, int32(0), int32(len(cur)/2)
	for i, n := range m.hist {
		seen += n
		if seen > half {
			shift = i - 255
			break
		}
	}
	clear(m.hist[:])

	if shift != 0 {
		m.prev.ConvertToWithParams(&m.shifted, gocv.MatTypeCV8U, 1, float32(shift))
		gocv.AbsDiff(m.cur, m.shifted, &m.diff)
	} else {
		gocv.AbsDiff(m.cur, m.prev, &m.diff)
	}
	diff, err := m.diff.DataPtrUint8()
	if err != nil || len(diff) != len(cur) {
		return false
	}

	clear(m.sums)
	gw := m.cfg.GridW
	for y, cy := range m.rowCell {
		row := diff[y*m.smallW : (y+1)*m.smallW]
		sums := m.sums[int(cy)*gw : (int(cy)+1)*gw]
		for x, d := range row {
			sums[m.colCell[x]] += uint32(d)
		}
	}
	for i, s := range m.sums {
		m.raw[i] = float32(s) / m.cellPix[i]
	}
	return true
}

// learn adds this frame's differences to the calibration and finishes it
// once CalibrateSeconds have passed.
func (m *Motion) learn(t time.Duration) {
	m.calibN++
	n := float64(m.calibN)
	for i, r := range m.raw {
		d := float64(r) - m.mean[i]
		m.mean[i] += d / n
		m.m2[i] += d * (float64(r) - m.mean[i])
	}
	dur := time.Duration(m.cfg.CalibrateSeconds * float64(time.Second))
	if t-m.calibStart >= dur && m.calibN >= motionMinCalibFrames {
		for i := range m.m2 {
			m.m2[i] /= n // from here on m2 holds the variance
		}
		m.calibrated = true
	}
}

// measure turns m.raw into the grid's Raw and Energy, and lets the floor of
// still cells follow slow changes.
// motionFullScale is the mean change, in grey levels above a cell's
// threshold, that counts as full energy. A cell's mean is diluted by the
// still pixels around a moving hand or body, so even strong motion rarely
// gets near 255; about 48 levels over the floor is a whole cell in motion.
const motionFullScale = 48

func (m *Motion) measure(dt time.Duration, mirror bool) {
	g := &m.grid
	g.Calibrated = m.calibrated
	gw := m.cfg.GridW
	alpha := 0.0
	if dt > 0 {
		alpha = 1 - math.Exp(-float64(dt)/float64(motionAdaptTau))
	}
	sens, margin := m.cfg.Sensitivity, m.cfg.Margin
	for i, r := range m.raw {
		out := i
		if mirror {
			x := i % gw
			out = i - x + gw - 1 - x
		}
		m.gridRaw[out] = r
		if !m.calibrated {
			g.Energy[out] = 0
			continue
		}
		floor := m.mean[i] + motionFloorStd*math.Sqrt(m.m2[i])
		thr := floor*sens + margin
		raw := float64(r)
		if raw <= thr || thr >= 255 {
			g.Energy[out] = 0
			// Only still cells teach the floor, so someone waving in one
			// place keeps showing up.
			d := raw - m.mean[i]
			inc := alpha * d
			m.mean[i] += inc
			m.m2[i] = (1 - alpha) * (m.m2[i] + d*inc)
			continue
		}
		g.Energy[out] = sight.Quantize(float32(min((raw-thr)/motionFullScale, 1)))
	}
}

func (m *Motion) zeroGrid() {
	clear(m.grid.Energy)
	clear(m.gridRaw)
	m.grid.Calibrated = m.calibrated
}
