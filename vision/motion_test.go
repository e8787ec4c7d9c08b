package vision_test

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/sight"

	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/carrierarcade/kiosk/vision"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gocv.io/x/gocv"
)

const motionFPS = 30

// motionFrameTime is the time of frame i at motionFPS.
func motionFrameTime(i int) time.Duration { return time.Duration(i) * time.Second / motionFPS }

// motionScene makes synthetic camera frames: a still textured picture, plus
// per-frame pixel noise, plus a slow global brightness drift, plus an
// optional textured square. It writes into one Mat it owns.
type motionScene struct {
	w, h  int
	base  []byte // BGR, the still picture
	frame gocv.Mat
	rng   *rand.Rand
	noise [256]int8 // byte -> noise level, roughly bell-shaped, -6..6
	drift int       // grey levels added to every pixel
}

func newMotionScene(t testing.TB, w, h int, seed uint64) *motionScene {
	t.Helper()
	s := &motionScene{w: w, h: h, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	// Sum of two 4-bit uniforms is triangular over -15..15; scaled to ±6.
	for b := range s.noise {
		s.noise[b] = int8(math.Round(float64(b&15+b>>4-15) * 6 / 15))
	}
	pic := gocv.NewMatWithSize(h, w, gocv.MatTypeCV8UC3)
	defer pic.Close()
	px, err := pic.DataPtrUint8()
	require.NoError(t, err)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			// Gradients, ripples and a checker: edges everywhere, like a
			// booth backdrop, kept in 40..160 to leave room for the drift.
			v := 70 + 30*math.Sin(float64(x)/23) + 20*math.Cos(float64(y)/17+float64(x)/41)
			if (x/40+y/40)%2 == 0 {
				v += 25
			}
			i := (y*w + x) * 3
			px[i], px[i+1], px[i+2] = byte(v), byte(v+10), byte(v-5)
		}
	}
	gocv.Rectangle(&pic, image.Rect(w/10, h/10, w/4, h/3), color.RGBA{150, 60, 40, 0}, -1)
	gocv.Circle(&pic, image.Pt(w*3/4, h*3/4), h/8, color.RGBA{50, 150, 80, 0}, -1)
	gocv.Line(&pic, image.Pt(0, h/2), image.Pt(w, h/3), color.RGBA{150, 150, 150, 0}, 3)
	s.base = append([]byte(nil), px...)
	s.frame = gocv.NewMatWithSize(h, w, gocv.MatTypeCV8UC3)
	return s
}

func (s *motionScene) Close() { s.frame.Close() }

// render makes the next frame. sq, when not empty, is a square of vertical
// stripes (period 16 px) drawn at its place; stripes move with it, so the
// whole square changes as it moves.
func (s *motionScene) render(t testing.TB, sq image.Rectangle) gocv.Mat {
	px, err := s.frame.DataPtrUint8()
	require.NoError(t, err)
	var bits uint64
	for p := 0; p < s.w*s.h; p++ {
		if p%8 == 0 {
			bits = s.rng.Uint64()
		}
		// The same noise on all three channels, so the grey copy gets all
		// of it: harder than a real sensor.
		n := int(s.noise[byte(bits)]) + s.drift
		bits >>= 8
		i := p * 3
		for c := 0; c < 3; c++ {
			px[i+c] = byte(max(0, min(255, int(s.base[i+c])+n)))
		}
	}
	for y := max(sq.Min.Y, 0); y < min(sq.Max.Y, s.h); y++ {
		for x := max(sq.Min.X, 0); x < min(sq.Max.X, s.w); x++ {
			v := byte(40)
			if (x-sq.Min.X)%16 < 8 {
				v = 250
			}
			i := (y*s.w + x) * 3
			px[i], px[i+1], px[i+2] = v, v, v
		}
	}
	return s.frame
}

// motionMatCount is how many gocv Mats are open, when the tests run with
// -tags matprofile (gocv.MatProfile only exists then; the profile is looked
// up by its name so this file builds either way).
func motionMatCount() (int, bool) {
	p := pprof.Lookup("gocv.io/x/gocv.Mat")
	if p == nil {
		return 0, false
	}
	return p.Count(), true
}

// motionDriftEvery: the still scene brightens one grey level every this many
// frames (2 levels a second at 30 fps, 12 over the test: more than exposure
// drift does in a booth).
const motionDriftEvery = 3

func TestMotionStillSceneWithNoise(t *testing.T) {
	s := newMotionScene(t, 640, 480, 1)
	defer s.Close()
	m := vision.NewMotion(vision.DefaultMotionConfig())
	defer m.Close()

	var maxRaw float32
	calibratedAt := -1
	for i := 0; i < 6*motionFPS; i++ {
		s.drift = i / motionDriftEvery
		g := m.Update(s.render(t, image.Rectangle{}), motionFrameTime(i), true)
		if !g.Calibrated {
			require.Equal(t, float32(0), g.Total(), "energy while calibrating, frame %d", i)
			continue
		}
		if calibratedAt < 0 {
			calibratedAt = i
		}
		for c, e := range g.Energy {
			// Exactly zero: the threshold sits well above camera noise.
			require.Equal(t, float32(0), e, "frame %d cell %d,%d energy (raw %.2f)", i, c%g.W, c/g.W, m.Raw()[c])
		}
		for _, r := range m.Raw() {
			maxRaw = max(maxRaw, r)
		}
	}
	assert.Equal(t, 2*motionFPS, calibratedAt, "calibrated after calibrate_seconds")
	t.Logf("largest still-scene cell difference after calibration: %.2f grey levels", maxRaw)
}

// A sudden exposure step, as auto exposure makes when someone in a white
// shirt steps in: the global shift is taken out before differencing.
func TestMotionExposureStep(t *testing.T) {
	s := newMotionScene(t, 640, 480, 2)
	defer s.Close()
	m := vision.NewMotion(vision.DefaultMotionConfig())
	defer m.Close()
	for i := 0; i < 4*motionFPS; i++ {
		if i == 3*motionFPS {
			s.drift = 15
		}
		g := m.Update(s.render(t, image.Rectangle{}), motionFrameTime(i), false)
		if i >= 2*motionFPS {
			require.True(t, g.Calibrated)
			require.Equal(t, float32(0), g.Total(), "frame %d", i)
		}
	}
}

func TestMotionMovingSquare(t *testing.T) {
	const w, h, side, speed = 640, 480, 96, 8
	s := newMotionScene(t, w, h, 3)
	defer s.Close()
	m := vision.NewMotion(vision.DefaultMotionConfig())
	defer m.Close()

	start := 3 * motionFPS
	checked := 0
	for i := 0; i < 6*motionFPS; i++ {
		s.drift = i / motionDriftEvery
		var sq, last image.Rectangle
		if i >= start {
			x := (i - start) * speed
			sq = image.Rect(x, h/2-side/2, x+side, h/2+side/2)
			last = sq.Sub(image.Pt(speed, 0))
		}
		g := m.Update(s.render(t, sq), motionFrameTime(i), false)
		if i <= start+1 || sq.Max.X > w {
			continue
		}
		checked++
		require.True(t, g.Calibrated)
		// Cells the square covers light up.
		bx := func(v int) float32 { return float32(v) / w }
		by := func(v int) float32 { return float32(v) / h }
		inside := g.Region(bx(sq.Min.X), by(sq.Min.Y), bx(sq.Max.X), by(sq.Max.Y))
		assert.Greater(t, inside, float32(0.1), "frame %d: energy inside the square", i)
		// Cells more than one cell away from where the square is and was
		// stay dark.
		moved := sq.Union(last)
		cw, ch := w/g.W, h/g.H
		for cy := 0; cy < g.H; cy++ {
			for cx := 0; cx < g.W; cx++ {
				cell := image.Rect(cx*cw, cy*ch, (cx+1)*cw, (cy+1)*ch).Inset(-cw)
				if cell.Overlaps(moved) {
					continue
				}
				require.Equal(t, float32(0), g.At(cx, cy), "frame %d: far cell %d,%d", i, cx, cy)
			}
		}
	}
	assert.Greater(t, checked, 60)
}

func TestMotionMirror(t *testing.T) {
	const w, h = 640, 480
	s := newMotionScene(t, w, h, 4)
	defer s.Close()
	plain := vision.NewMotion(vision.DefaultMotionConfig())
	defer plain.Close()
	mirrored := vision.NewMotion(vision.DefaultMotionConfig())
	defer mirrored.Close()

	var leftSeen, rightSeen float32
	for i := 0; i < 4*motionFPS; i++ {
		var sq image.Rectangle
		if i >= 3*motionFPS {
			// A hand waving in the camera picture's left quarter.
			x := 20 + 6*(i%10)
			sq = image.Rect(x, 150, x+80, 300)
		}
		frame := s.render(t, sq)
		tm := motionFrameTime(i)
		p := plain.Update(frame, tm, false)
		q := mirrored.Update(frame, tm, true)
		for y := 0; y < p.H; y++ {
			for x := 0; x < p.W; x++ {
				require.Equal(t, p.At(x, y), q.At(p.W-1-x, y), "frame %d cell %d,%d", i, x, y)
				require.Equal(t, plain.Raw()[y*p.W+x], mirrored.Raw()[y*p.W+p.W-1-x])
			}
		}
		if i > 3*motionFPS {
			assert.Greater(t, q.Region(0.75, 0, 1, 1), float32(0), "mirrored: motion on the right, frame %d", i)
			assert.Zero(t, q.Region(0, 0, 0.5, 1), "mirrored: no motion on the left, frame %d", i)
			assert.Greater(t, p.Region(0, 0, 0.25, 1), float32(0), "plain: motion on the left, frame %d", i)
			leftSeen += p.Region(0, 0, 0.25, 1)
			rightSeen += q.Region(0.75, 0, 1, 1)
		}
	}
	assert.InDelta(t, leftSeen, rightSeen, 1e-4)
}

func TestMotionRecalibrate(t *testing.T) {
	s := newMotionScene(t, 320, 240, 5)
	defer s.Close()
	cfg := vision.DefaultMotionConfig()
	cfg.CalibrateSeconds = 1
	m := vision.NewMotion(cfg)
	defer m.Close()

	recal := 2 * motionFPS // frame at which Recalibrate is called
	for i := 0; i < 4*motionFPS; i++ {
		tm := motionFrameTime(i)
		if i == recal {
			m.Recalibrate(tm)
		}
		g := m.Update(s.render(t, image.Rectangle{}), tm, false)
		switch {
		case i < motionFPS:
			assert.False(t, g.Calibrated, "frame %d, first calibration", i)
		case i < recal:
			assert.True(t, g.Calibrated, "frame %d, between", i)
		case tm-motionFrameTime(recal) < time.Second:
			assert.False(t, g.Calibrated, "frame %d, recalibrating", i)
			assert.Zero(t, g.Total())
		default:
			assert.True(t, g.Calibrated, "frame %d, recalibrated", i)
		}
		assert.Equal(t, tm, g.Time)
	}
}

func TestMotionFrameSizeChangeResets(t *testing.T) {
	big := newMotionScene(t, 640, 480, 6)
	defer big.Close()
	small := newMotionScene(t, 320, 180, 7)
	defer small.Close()
	m := vision.NewMotion(vision.DefaultMotionConfig())
	defer m.Close()
	var g *sight.MotionGrid
	for i := 0; i < 3*motionFPS; i++ {
		g = m.Update(big.render(t, image.Rectangle{}), motionFrameTime(i), false)
	}
	require.True(t, g.Calibrated)
	g = m.Update(small.render(t, image.Rectangle{}), motionFrameTime(3*motionFPS), false)
	assert.False(t, g.Calibrated)
	assert.Zero(t, g.Total())
	assert.Equal(t, make([]float32, g.W*g.H), m.Raw(), "first frame of the new size has no difference")
	for i := 1; i <= 3*motionFPS; i++ {
		g = m.Update(small.render(t, image.Rectangle{}), motionFrameTime(3*motionFPS+i), false)
	}
	assert.True(t, g.Calibrated)
	assert.Zero(t, g.Total())

	// Time going backwards (a clip that loops) starts over as well.
	g = m.Update(small.render(t, image.Rectangle{}), 0, false)
	assert.False(t, g.Calibrated)
}

func TestMotionEmptyFrame(t *testing.T) {
	m := vision.NewMotion(vision.DefaultMotionConfig())
	defer m.Close()
	empty := gocv.NewMat()
	defer empty.Close()
	g := m.Update(empty, time.Second, false)
	assert.Equal(t, 32, g.W)
	assert.Equal(t, 24, g.H)
	assert.Zero(t, g.Total())
	assert.False(t, g.Calibrated)
}

func TestMotionRealClip(t *testing.T) {
	path := testenv.Media(t, "vtest.avi")
	vc, err := gocv.VideoCaptureFile(path)
	require.NoError(t, err)
	defer vc.Close()
	fps := vc.Get(gocv.VideoCaptureFPS)
	if !(fps > 0) {
		fps = 10
	}
	frame := gocv.NewMat()
	defer frame.Close()
	cfg := vision.DefaultMotionConfig()
	m := vision.NewMotion(cfg)
	defer m.Close()

	const frames, window = 150, 30
	var peak sight.MotionGrid // per cell, the most energy over the last window frames
	n := 0
	for ; n < frames && vc.Read(&frame) && !frame.Empty(); n++ {
		g := m.Update(frame, time.Duration(float64(n)/fps*float64(time.Second)), false)
		if n == 0 {
			peak.CopyFrom(g)
			clear(peak.Energy)
		}
		if n >= frames-window {
			require.True(t, g.Calibrated, "frame %d", n)
			for i, e := range g.Energy {
				peak.Energy[i] = max(peak.Energy[i], e)
			}
		}
	}
	require.Equal(t, frames, n, "frames read from %s", path)

	lit, dark := 0, 0
	var rows strings.Builder
	for y := 0; y < peak.H; y++ {
		row := 0
		for x := 0; x < peak.W; x++ {
			switch e := peak.At(x, y); {
			case e > 0.05:
				lit++
				row++
			case e == 0:
				dark++
			}
		}
		if row > 0 {
			fmt.Fprintf(&rows, " %d(%d)", y, row)
		}
	}
	cells := peak.W * peak.H
	t.Logf("vtest.avi %.0f fps, last %d of %d frames: %d cells over 0.05, %d of %d dark (%.0f%%); rows lit (cells):%s",
		fps, window, frames, lit, dark, cells, 100*float64(dark)/float64(cells), rows.String())
	assert.Greater(t, lit, 0, "pedestrians light some cells")
	assert.Greater(t, float64(dark)/float64(cells), 0.6, "the background stays dark")
}

func TestMotionConfig(t *testing.T) {
	assert.Empty(t, vision.DefaultMotionConfig().Validate())
	bad := vision.MotionConfig{GridW: 2, GridH: 200, Width: 16, CalibrateSeconds: math.NaN(), Sensitivity: 0.5, Margin: 65}
	var keys []string
	for _, p := range bad.Validate() {
		keys = append(keys, p.Key)
	}
	assert.Equal(t, []string{"grid_w", "grid_h", "width", "calibrate_seconds", "sensitivity", "margin"}, keys)

	// NewMotion does not trust an unchecked config: bad values take defaults.
	m := vision.NewMotion(bad)
	defer m.Close()
	empty := gocv.NewMat()
	defer empty.Close()
	g := m.Update(empty, 0, false)
	assert.Equal(t, 32, g.W)
	assert.Equal(t, 24, g.H)
}

// TestMotionNoLeaksNoAllocs checks Update allocates nothing per frame, and,
// under -tags matprofile, that a Motion closes every Mat it made.
func TestMotionNoLeaksNoAllocs(t *testing.T) {
	s := newMotionScene(t, 640, 480, 8)
	defer s.Close()
	before, profiled := motionMatCount()

	m := vision.NewMotion(vision.DefaultMotionConfig())
	i := 0
	step := func() {
		s.drift = i / motionDriftEvery
		m.Update(s.frame, motionFrameTime(i), i%2 == 0)
		i++
	}
	for ; i < 3*motionFPS; i++ {
		m.Update(s.render(t, image.Rectangle{}), motionFrameTime(i), true)
	}
	assert.Zero(t, testing.AllocsPerRun(50, step), "allocations per Update")
	require.NoError(t, m.Close())

	if !profiled {
		t.Log("Mat count not checked: run with -tags matprofile")
		return
	}
	after, _ := motionMatCount()
	assert.Equal(t, before, after, "open Mats before NewMotion and after Close")
}

func BenchmarkMotionUpdate(b *testing.B) {
	s := newMotionScene(b, 640, 480, 9)
	defer s.Close()
	// Two different noisy frames, alternated, so every Update does the
	// full work.
	frames := [2]gocv.Mat{}
	for k := range frames {
		f := s.render(b, image.Rectangle{})
		frames[k] = f.Clone()
		defer frames[k].Close()
	}
	m := vision.NewMotion(vision.DefaultMotionConfig())
	defer m.Close()
	for i := 0; i < 3*motionFPS; i++ {
		m.Update(frames[i%2], motionFrameTime(i), true)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Update(frames[i%2], motionFrameTime(3*motionFPS+i), true)
	}
}
