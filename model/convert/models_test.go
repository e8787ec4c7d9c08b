package convert_test

import (
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/carrierarcade/kiosk/model"
	"github.com/carrierarcade/kiosk/model/convert"
	"github.com/carrierarcade/kiosk/sight"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gocv.io/x/gocv"
)

// The four models the kiosk uses, converted here from the TFLite files
// 'make models' takes from npm, and run on the people photos.

// shared is a path in the project's shared folder: beside the repository
// (../shared, as CI lays it out), or beside the folder of a worktree.
func shared(parts ...string) string {
	for _, up := range []string{"..", filepath.Join("..", "..")} {
		p := filepath.Join(append([]string{testenv.Root(), up, "shared"}, parts...)...)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return filepath.Join(append([]string{testenv.Root(), "..", "shared"}, parts...)...)
}

// peoplePhotos are the photos of ../shared/testdata/people.
func peoplePhotos(t *testing.T) []string {
	t.Helper()
	dir := shared("testdata", "people")
	files, _ := filepath.Glob(filepath.Join(dir, "*.jpg"))
	if len(files) == 0 {
		testenv.Missing(t, "no photos in "+dir+" (../shared/testdata/people)")
	}
	return files
}

// reference is one of the independent conversions in ../shared/models/reference.
func reference(t *testing.T, name string) string {
	t.Helper()
	p := shared("models", "reference", name)
	if _, err := os.Stat(p); err != nil {
		testenv.Missing(t, p+" is missing: the reference conversions come with the project's shared folder (../shared/models/reference)")
	}
	return p
}

// converted converts a TFLite file make models keeps in .cache/models/mediapipe.
func converted(t testing.TB, name string) []byte {
	t.Helper()
	path := testenv.Model(t, filepath.Join("mediapipe", name+".tflite"))
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	out, err := convert.Convert(src, path, convert.Origin{Package: "test", Version: "1", File: name + ".tflite"})
	require.NoError(t, err)
	return out
}

func loadRGBA(t *testing.T, path string) *image.RGBA {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	img, err := jpeg.Decode(f)
	require.NoError(t, err)
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	return rgba
}

// sample is the picture's colour at (x, y), bilinear, black outside.
func sample(img *image.RGBA, x, y float32) [3]float32 {
	x, y = x-0.5, y-0.5 // pixel centres
	x0, y0 := int(math.Floor(float64(x))), int(math.Floor(float64(y)))
	fx, fy := x-float32(x0), y-float32(y0)
	var out [3]float32
	b := img.Bounds()
	for _, c := range [4]struct {
		dx, dy int
		w      float32
	}{{0, 0, (1 - fx) * (1 - fy)}, {1, 0, fx * (1 - fy)}, {0, 1, (1 - fx) * fy}, {1, 1, fx * fy}} {
		px, py := x0+c.dx, y0+c.dy
		if px < b.Min.X || py < b.Min.Y || px >= b.Max.X || py >= b.Max.Y {
			continue
		}
		o := img.PixOffset(px, py)
		for k := 0; k < 3; k++ {
			out[k] += c.w * float32(img.Pix[o+k])
		}
	}
	return out
}

// crop fills an NCHW RGB tensor of size x size with the picture inside the
// turned region, values lo..hi, as MediaPipe's ImageToTensorCalculator.
func crop(img *image.RGBA, r model.Region, size int, lo, hi float32) []float32 {
	out := make([]float32, 3*size*size)
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			p := r.ToPicture((float32(x)+0.5)/float32(size), (float32(y)+0.5)/float32(size))
			c := sample(img, p.X, p.Y)
			for k := 0; k < 3; k++ {
				out[k*size*size+y*size+x] = lo + c[k]/255*(hi-lo)
			}
		}
	}
	return out
}

// letterbox is the region that fits the whole picture, centred, in a
// square input (zero border), as the detectors take it.
func letterbox(img *image.RGBA) model.Region {
	b := img.Bounds()
	side := float32(max(b.Dx(), b.Dy()))
	return model.Region{CX: float32(b.Dx()) / 2, CY: float32(b.Dy()) / 2, W: side, H: side}
}

// session runs one converted model many times.
type session struct {
	t    *testing.T
	data []byte
}

func (s session) run(input []float32) (map[string][]float32, map[string][]int64) {
	return runONNX(s.t, s.data, [][]float32{input}, 1)
}

// maxDiff is the largest difference of two outputs, the second given in
// the reference's layout: a 4-D output of the reference is NCHW, ours
// keeps TFLite's NHWC.
func maxDiff(ours []float32, oursShape []int64, ref []float32, refShape []int64) float64 {
	if len(oursShape) == 4 && (oursShape[3] != refShape[3] || oursShape[1] != refShape[1]) {
		n, h, w, c := int(oursShape[0]), int(oursShape[1]), int(oursShape[2]), int(oursShape[3])
		re := make([]float32, len(ref))
		for b := 0; b < n; b++ {
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					for k := 0; k < c; k++ {
						re[((b*h+y)*w+x)*c+k] = ref[((b*c+k)*h+y)*w+x]
					}
				}
			}
		}
		ref = re
	}
	d := 0.0
	for i := range ours {
		d = math.Max(d, math.Abs(float64(ours[i]-ref[i])))
	}
	return d
}

// cropsOf are the regions the landmark models are tried on for a photo:
// the whole photo, squares around its middle and a corner, and turned ones.
func cropsOf(img *image.RGBA) []model.Region {
	b := img.Bounds()
	w, h := float32(b.Dx()), float32(b.Dy())
	s := min(w, h)
	return []model.Region{
		letterbox(img),
		{CX: w / 2, CY: h / 2, W: s, H: s},
		{CX: w * 0.35, CY: h * 0.4, W: s * 0.6, H: s * 0.6},
		{CX: w * 0.6, CY: h * 0.55, W: s * 0.8, H: s * 0.8, Angle: 0.5},
		{CX: w / 2, CY: h / 2, W: s * 0.9, H: s * 0.9, Angle: -2.2},
	}
}

// TestLandmarksAgainstReference compares the kiosk's conversions of the two
// landmark models with the independent (tflite2onnx) conversions, output
// by output, on every photo and crops of it. Landmark coordinates must
// agree within 0.5 crop pixels (the bar) and every other value within
// 1e-3; the figures seen are logged (on this machine the two agree to the
// last bit, both running the same float32 kernels of ONNX Runtime).
func TestLandmarksAgainstReference(t *testing.T) {
	runtime(t)
	for _, m := range []struct {
		name      string
		size      int
		landmarks map[string]bool // outputs in crop pixels
	}{
		{"pose_landmark_lite", 256, map[string]bool{"Identity": true}},
		{"hand_landmark_lite", 224, map[string]bool{"Identity": true}},
	} {
		t.Run(m.name, func(t *testing.T) {
			ours := session{t, converted(t, m.name)}
			refData, err := os.ReadFile(reference(t, m.name+".onnx"))
			require.NoError(t, err)
			ref := session{t, refData}
			worst := map[string]float64{}
			runs := 0
			for _, photo := range peoplePhotos(t) {
				img := loadRGBA(t, photo)
				for _, r := range cropsOf(img) {
					in := crop(img, r, m.size, 0, 1)
					got, gotShapes := ours.run(in)
					want, wantShapes := ref.run(in)
					require.Len(t, got, len(want))
					for name, w := range want {
						require.Contains(t, got, name)
						require.Equal(t, len(w), len(got[name]), "%s size", name)
						d := maxDiff(got[name], gotShapes[name], w, wantShapes[name])
						worst[name] = math.Max(worst[name], d)
						bar := 1e-3
						if m.landmarks[name] {
							bar = 0.5
						}
						assert.LessOrEqual(t, d, bar, "%s on %s region %+v: output %s differs by %g", m.name, filepath.Base(photo), r, name, d)
					}
					runs++
				}
			}
			t.Logf("%s: %d crops, largest difference per output: %v", m.name, runs, worst)
		})
	}
}

func TestFourDOutputsKeepTFLiteOrder(t *testing.T) {
	runtime(t)
	// The pose landmark model's segmentation and heatmaps are 4-D: they
	// keep TFLite's NHWC shape and the reference's NCHW ones hold the same
	// values transposed (checked value by value above).
	got, shapes := runONNX(t, converted(t, "pose_landmark_lite"), [][]float32{make([]float32, 3*256*256)}, 1)
	assert.Equal(t, []int64{1, 256, 256, 1}, shapes["Identity_2"])
	assert.Equal(t, []int64{1, 64, 64, 39}, shapes["Identity_3"])
	assert.Equal(t, []int64{1, 195}, shapes["Identity"])
	assert.Len(t, got, 5)
}

// yoloxPeople are YOLOX-Nano's person boxes in a photo.
func yoloxPeople(t *testing.T, rt *model.Runtime, photo string) []sight.Box {
	t.Helper()
	cfg := model.DefaultConfig().Objects
	cfg.Classes = []string{"person"}
	cfg.Score = 0.5
	d, err := model.Open(rt, "objects", testenv.Model(t, "yolox_nano.onnx"), cfg)
	require.NoError(t, err)
	defer d.Close()
	img := gocv.IMRead(photo, gocv.IMReadColor)
	require.False(t, img.Empty())
	defer img.Close()
	dets, err := d.Detect(img, nil)
	require.NoError(t, err)
	var boxes []sight.Box
	for _, det := range dets {
		boxes = append(boxes, det.Box)
	}
	return boxes
}

// detectSSD runs a converted SSD detector on the whole photo, letterboxed.
func detectSSD(t *testing.T, s session, img *image.RGBA, grid model.AnchorGrid, layout model.SSDLayout, lo, hi float32) []model.SSDDetection {
	in := crop(img, letterbox(img), grid.InputW, lo, hi)
	out, _ := s.run(in)
	var regs, scores []float32
	for _, v := range out { // scores [1, N, 1], regressors [1, N, 4+2K]
		if len(v) == len(grid.Anchors()) {
			scores = v
		} else {
			regs = v
		}
	}
	raw := model.DecodeSSD(regs, scores, grid.Anchors(), layout, nil)
	dets := model.WeightedNMS(raw, 0.3, nil)
	b := img.Bounds()
	lb := model.NewLetterbox(b.Dx(), b.Dy(), grid.InputW, grid.InputH, true)
	for i := range dets {
		dets[i] = dets[i].ToPicture(lb, grid.InputW, grid.InputH)
	}
	return dets
}

func clip(b sight.Box, img *image.RGBA) sight.Box {
	r := img.Bounds()
	return sight.Box{X0: max(b.X0, 0), Y0: max(b.Y0, 0), X1: min(b.X1, float32(r.Dx())), Y1: min(b.Y1, float32(r.Dy()))}
}

// TestPoseDetectorFindsThePeople runs the converted person detector with
// its anchors on the photos with people, and compares what it finds with
// YOLOX-Nano's person boxes. BlazePose's detector gives the most prominent
// person of a picture (on the two dancers, the man, at any score bar; the
// woman alone in a crop at 0.93), so each YOLOX person is also looked for
// in a square around its box, as the kiosk seeds a second body. The region
// MediaPipe makes from the detector's keypoints (a square around the hips
// 1.25 times the body's circle) holds the whole body, legs out of the
// photo too, so it is checked to hold the YOLOX box (its IoU with it,
// logged, is 0.31 to 0.71 on these photos); the box of the 33 points the
// landmark model puts in that region (MediaPipe's LandmarksToDetection,
// its person box while it tracks) must agree with YOLOX's: IoU at least
// 0.5.
func TestPoseDetectorFindsThePeople(t *testing.T) {
	rt, err := model.OpenRuntime(testenv.ORTLibrary(t))
	require.NoError(t, err)
	defer rt.Close()
	det := session{t, converted(t, "pose_detection")}
	marks := session{t, converted(t, "pose_landmark_lite")}
	for _, photo := range peoplePhotos(t) {
		if strings.Contains(photo, "ricardo") {
			continue // a hand only: no body to find
		}
		t.Run(filepath.Base(photo), func(t *testing.T) {
			img := loadRGBA(t, photo)
			people := yoloxPeople(t, rt, photo)
			require.NotEmpty(t, people, "YOLOX finds the people")
			whole := detectSSD(t, det, img, model.PoseDetectorGrid(), model.PoseDetectorLayout(), -1, 1)
			require.NotEmpty(t, whole, "the pose detector finds someone in the whole photo")
			face := whole[0].Box // the detector's box is the person's face
			inSomeone := false
			for _, p := range people {
				inSomeone = inSomeone || sight.IoU(p, face)*(p.Area()+face.Area())/(1+sight.IoU(p, face)) > 0.8*face.Area()
			}
			assert.True(t, inSomeone, "the strongest detection's face box %v lies in a YOLOX person", face)
			var drawn []func(*canvas)
			for _, p := range people {
				seed := model.Region{CX: (p.X0 + p.X1) / 2, CY: (p.Y0 + p.Y1) / 2, W: 1.2 * max(p.W(), p.H()), H: 1.2 * max(p.W(), p.H())}
				found := detectIn(t, det, img, seed)
				require.NotEmpty(t, found, "the pose detector finds the person %v in a square around it", p)
				f := found[0]
				region := model.PoseRegion(f)
				rbox := clip(region.Bounds(), img)
				holds := sight.IoU(p, rbox) * (rbox.Area() + p.Area()) / (1 + sight.IoU(p, rbox)) / p.Area()
				pts := poseLandmarks(marks, img, region)
				lbox := clip(visibleBox(pts, false), img)
				iou := sight.IoU(p, lbox)
				vbox := clip(visibleBox(pts, true), img)
				t.Logf("YOLOX person %.0f: detector score %.2f; its region (IoU %.2f with YOLOX's box) holds %.0f%% of it; the landmarks' box IoU %.2f (the visible ones' alone %.2f)",
					[]float32{p.X0, p.Y0, p.X1, p.Y1}, f.Score, sight.IoU(p, rbox), 100*holds, iou, sight.IoU(p, vbox))
				assert.Greater(t, holds, float32(0.9), "the region holds the person")
				assert.GreaterOrEqual(t, iou, float32(0.5), "the landmarks' box agrees with YOLOX's")
				drawn = append(drawn, func(c *canvas) {
					c.box(p, color.RGBA{255, 255, 0, 255})
					c.box(rbox, color.RGBA{0, 255, 255, 255})
					c.box(lbox, color.RGBA{0, 255, 0, 255})
					for _, b := range poseBones {
						if pts[b[0]].visible && pts[b[1]].visible {
							c.line(pts[b[0]].at, pts[b[1]].at, color.RGBA{255, 0, 255, 255})
						}
					}
					for k := 0; k < f.N; k++ {
						c.dot(f.Keypoints[k], 6, color.RGBA{255, 0, 0, 255})
					}
				})
			}
			drawPicture(t, img, filepath.Base(photo)+".pose.png", func(c *canvas) {
				for _, d := range drawn {
					d(c)
				}
			})
		})
	}
}

// detectIn runs the person detector on a square region of the photo and
// returns its detections in photo pixels.
func detectIn(t *testing.T, s session, img *image.RGBA, r model.Region) []model.SSDDetection {
	grid, layout := model.PoseDetectorGrid(), model.PoseDetectorLayout()
	out, _ := s.run(crop(img, r, grid.InputW, -1, 1))
	raw := model.DecodeSSD(out["Identity"], out["Identity_1"], grid.Anchors(), layout, nil)
	dets := model.WeightedNMS(raw, 0.3, nil)
	for i := range dets {
		d := &dets[i]
		tr := func(p sight.Point) sight.Point { return r.ToPicture(p.X, p.Y) }
		a, b := tr(sight.Point{X: d.Box.X0, Y: d.Box.Y0}), tr(sight.Point{X: d.Box.X1, Y: d.Box.Y1})
		d.Box = sight.Box{X0: a.X, Y0: a.Y, X1: b.X, Y1: b.Y}
		for k := 0; k < d.N; k++ {
			d.Keypoints[k] = tr(d.Keypoints[k])
		}
	}
	return dets
}

type landmark struct {
	at      sight.Point
	visible bool
}

// poseLandmarks runs the pose landmark model on a region: the 33 body
// points in photo pixels, visible when the model's visibility is over 0.5.
func poseLandmarks(s session, img *image.RGBA, r model.Region) []landmark {
	out, _ := s.run(crop(img, r, 256, 0, 1))
	v := out["Identity"]
	pts := make([]landmark, 33)
	for k := range pts {
		pts[k] = landmark{at: r.ToPicture(v[5*k]/256, v[5*k+1]/256), visible: v[5*k+3] > 0}
	}
	return pts
}

// landmarkBox is the box of the body points, as MediaPipe's
// LandmarksToDetectionCalculator makes a person's box from them (every
// point), or of the visible ones only.
func visibleBox(pts []landmark, onlyVisible bool) sight.Box {
	b := sight.Box{X0: float32(math.Inf(1)), Y0: float32(math.Inf(1)), X1: float32(math.Inf(-1)), Y1: float32(math.Inf(-1))}
	for _, p := range pts {
		if p.visible || !onlyVisible {
			b.X0, b.Y0 = min(b.X0, p.at.X), min(b.Y0, p.at.Y)
			b.X1, b.Y1 = max(b.X1, p.at.X), max(b.Y1, p.at.Y)
		}
	}
	return b
}

// poseBones join BlazePose's body points for the drawing.
var poseBones = [][2]int{{11, 12}, {11, 13}, {13, 15}, {12, 14}, {14, 16}, {11, 23}, {12, 24}, {23, 24}, {23, 25}, {25, 27}, {24, 26}, {26, 28}, {0, 11}, {0, 12}}

// TestPalmDetectorAndHandLandmarks runs the converted palm detector on the
// raised hand and the open palm, then the converted hand landmark model on
// the region MediaPipe makes from each palm: the hand is there, and its 21
// points spread over the hand inside that region. The pictures it draws
// (with CONVERT_DRAW_DIR set) were looked at: see the note of issue 21.
func TestPalmDetectorAndHandLandmarks(t *testing.T) {
	runtime(t)
	// The full palm detector, as MediaPipe's default (model complexity 1)
	// and the kiosk's: the lite one scores the open palm that fills the
	// photo only 0.50, on a part of it.
	palm := session{t, converted(t, "palm_detection_full")}
	hand := session{t, converted(t, "hand_landmark_lite")}
	for _, name := range []string{"pexels-natalie-3759656.jpg", "pexels-ricardo-utsumi-1314554.jpg"} {
		t.Run(name, func(t *testing.T) {
			var photo string
			for _, p := range peoplePhotos(t) {
				if filepath.Base(p) == name {
					photo = p
				}
			}
			require.NotEmpty(t, photo)
			img := loadRGBA(t, photo)
			palms := detectSSD(t, palm, img, model.PalmDetectorGrid(), model.PalmDetectorLayout(), 0, 1)
			require.NotEmpty(t, palms, "the palm detector finds the hand")
			p := palms[0]
			region := model.PalmRegion(p)
			out, _ := hand.run(crop(img, region, 224, 0, 1))
			presence := out["Identity_1"][0]
			t.Logf("palm score %.2f at %v; hand presence %.3f", p.Score, p.Box, presence)
			assert.Greater(t, presence, float32(0.9), "the landmark model sees a hand in the palm's region")
			var pts []sight.Point
			spread := sight.Box{X0: 1, Y0: 1}
			for k := 0; k < 21; k++ {
				u, v := out["Identity"][3*k]/224, out["Identity"][3*k+1]/224
				assert.True(t, u > 0 && u < 1 && v > 0 && v < 1, "point %d (%.2f, %.2f) inside the region", k, u, v)
				spread.X0, spread.Y0 = min(spread.X0, u), min(spread.Y0, v)
				spread.X1, spread.Y1 = max(spread.X1, u), max(spread.Y1, v)
				pts = append(pts, region.ToPicture(u, v))
			}
			assert.Greater(t, spread.W()*spread.H(), float32(0.1), "the points spread over a hand, not one spot")
			// The wrist (0) lies below the middle finger's tip (12) in
			// the upright region: the region turned the hand up.
			assert.Greater(t, out["Identity"][1], out["Identity"][3*12+1], "wrist below the middle finger's tip")
			drawPicture(t, img, name+".hand.png", func(c *canvas) {
				c.box(p.Box, color.RGBA{255, 255, 0, 255})
				c.box(region.Bounds(), color.RGBA{0, 255, 255, 255})
				for _, b := range handBones {
					c.line(pts[b[0]], pts[b[1]], color.RGBA{0, 255, 0, 255})
				}
				for k, q := range pts {
					col := color.RGBA{255, 0, 0, 255}
					if k == 0 {
						col = color.RGBA{0, 0, 255, 255}
					}
					c.dot(q, 5, col)
				}
			})
		})
	}
}

// handBones join MediaPipe's 21 hand points: the wrist to each finger's
// base, and each finger's joints.
var handBones = [][2]int{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {0, 5}, {5, 6}, {6, 7}, {7, 8}, {5, 9}, {9, 10}, {10, 11}, {11, 12},
	{9, 13}, {13, 14}, {14, 15}, {15, 16}, {13, 17}, {0, 17}, {17, 18}, {18, 19}, {19, 20}}

// canvas draws checks on a copy of a photo, for a person to look at.
type canvas struct{ img *image.RGBA }

func (c *canvas) dot(p sight.Point, r int, col color.RGBA) {
	for dy := -r; dy <= r; dy++ {
		for dx := -r; dx <= r; dx++ {
			if dx*dx+dy*dy <= r*r {
				c.img.Set(int(p.X)+dx, int(p.Y)+dy, col)
			}
		}
	}
}

func (c *canvas) line(a, b sight.Point, col color.RGBA) {
	n := int(math.Hypot(float64(b.X-a.X), float64(b.Y-a.Y))) + 1
	for i := 0; i <= n; i++ {
		f := float32(i) / float32(n)
		c.dot(sight.Point{X: a.X + f*(b.X-a.X), Y: a.Y + f*(b.Y-a.Y)}, 1, col)
	}
}

func (c *canvas) box(b sight.Box, col color.RGBA) {
	c.line(sight.Point{X: b.X0, Y: b.Y0}, sight.Point{X: b.X1, Y: b.Y0}, col)
	c.line(sight.Point{X: b.X1, Y: b.Y0}, sight.Point{X: b.X1, Y: b.Y1}, col)
	c.line(sight.Point{X: b.X1, Y: b.Y1}, sight.Point{X: b.X0, Y: b.Y1}, col)
	c.line(sight.Point{X: b.X0, Y: b.Y1}, sight.Point{X: b.X0, Y: b.Y0}, col)
}

// drawPicture writes what a test found onto a copy of the photo, as a PNG
// in CONVERT_DRAW_DIR when that is set (for a person to look at).
func drawPicture(t *testing.T, img *image.RGBA, name string, paint func(*canvas)) {
	dir := os.Getenv("CONVERT_DRAW_DIR")
	if dir == "" {
		return
	}
	c := &canvas{img: image.NewRGBA(img.Bounds())}
	copy(c.img.Pix, img.Pix)
	paint(c)
	f, err := os.Create(filepath.Join(dir, name))
	require.NoError(t, err)
	defer f.Close()
	require.NoError(t, png.Encode(f, c.img))
}
