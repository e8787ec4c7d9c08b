package model_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/carrierarcade/kiosk/sight"

	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/carrierarcade/kiosk/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gocv.io/x/gocv"
)

func openRuntime(t *testing.T) *model.Runtime {
	t.Helper()
	rt, err := model.OpenRuntime(testenv.ORTLibrary(t))
	require.NoError(t, err)
	t.Cleanup(func() { rt.Close() })
	return rt
}

func openDetector(t *testing.T, rt *model.Runtime, file string, cfg model.DetectorConfig) model.Detector {
	t.Helper()
	d, err := model.Open(rt, "test", testenv.Model(t, file), cfg)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, d.Close()) })
	return d
}

func detect(t *testing.T, d model.Detector, image string) []sight.Detection {
	t.Helper()
	img := gocv.IMRead(testenv.Media(t, image), gocv.IMReadColor)
	require.False(t, img.Empty(), image)
	defer img.Close()
	dets, err := d.Detect(img, nil)
	require.NoError(t, err)
	return dets
}

// want is a detection measured once with YOLOX-Nano (see the figures in
// shared/models/README.md for dog.jpg) and recorded here.
type want struct {
	labels []string // any of these labels
	box    sight.Box
}

func TestYOLOXFindsTheMainObjects(t *testing.T) {
	rt := openRuntime(t)
	d := openDetector(t, rt, "yolox_nano.onnx", model.DefaultConfig().Objects)
	info := d.Info()
	assert.Equal(t, model.KindYOLOX, info.Kind)
	assert.Equal(t, [3]int{416, 416, 80}, [3]int{info.InputW, info.InputH, info.Classes}, "sizes read from the model")

	cases := map[string][]want{
		"dog.jpg": {
			{[]string{"dog"}, sight.Box{X0: 133, Y0: 207, X1: 326, Y1: 543}},
			{[]string{"bicycle"}, sight.Box{X0: 52, Y0: 137, X1: 572, Y1: 424}},
			{[]string{"car", "truck"}, sight.Box{X0: 466, Y0: 78, X1: 692, Y1: 171}},
		},
		"person.jpg": {
			{[]string{"person"}, sight.Box{X0: 189, Y0: 97, X1: 277, Y1: 374}},
			{[]string{"dog"}, sight.Box{X0: 61, Y0: 264, X1: 201, Y1: 350}},
			{[]string{"horse"}, sight.Box{X0: 403, Y0: 138, X1: 603, Y1: 345}},
		},
		"horses.jpg":  {{[]string{"horse"}, sight.Box{X0: 0, Y0: 187, X1: 338, Y1: 411}}},
		"giraffe.jpg": {{[]string{"giraffe"}, sight.Box{X0: 167, Y0: 30, X1: 449, Y1: 433}}},
		"eagle.jpg":   {{[]string{"bird"}, sight.Box{X0: 139, Y0: 81, X1: 603, Y1: 449}}},
		"kite.jpg":    {{[]string{"kite"}, sight.Box{X0: 591, Y0: 77, X1: 673, Y1: 155}}},
	}
	for image, wants := range cases {
		t.Run(image, func(t *testing.T) {
			dets := detect(t, d, image)
			for _, w := range wants {
				best := float32(0)
				for _, got := range dets {
					for _, l := range w.labels {
						if got.Label == l {
							best = max(best, sight.IoU(got.Box, w.box))
						}
					}
				}
				assert.GreaterOrEqual(t, best, float32(0.5), "%v near %v in %v", w.labels, w.box, dets)
			}
		})
	}
}

func TestYOLOXClassFilter(t *testing.T) {
	rt := openRuntime(t)
	cfg := model.DefaultConfig().Objects
	cfg.Classes = []string{"dog"}
	d := openDetector(t, rt, "yolox_nano.onnx", cfg)
	dets := detect(t, d, "dog.jpg")
	require.Len(t, dets, 1)
	assert.Equal(t, "dog", dets[0].Label)
	assert.Equal(t, 16, dets[0].Class)
}

func TestBlazeFace(t *testing.T) {
	rt := openRuntime(t)
	d := openDetector(t, rt, "face_detection_back_256x256_barracuda.onnx", model.DefaultConfig().Faces)
	assert.Equal(t, model.KindBlazeFace, d.Info().Kind)
	assert.Equal(t, 256, d.Info().InputW)

	faces := detect(t, d, "messi5.jpg")
	require.Len(t, faces, 1, "%v", faces)
	cx, cy := faces[0].Box.Center()
	// Measured once: the face centre at (239.5, 115) in messi5.jpg.
	assert.InDelta(t, 239.5, cx, 15)
	assert.InDelta(t, 115, cy, 15)
	assert.Equal(t, "face", faces[0].Label)
	// The eyes sit in the upper half of the face box.
	for _, eye := range faces[0].Keypoints[:2] {
		assert.Greater(t, eye.X, faces[0].Box.X0)
		assert.Less(t, eye.X, faces[0].Box.X1)
		assert.Less(t, eye.Y, cy)
	}
	assert.Empty(t, detect(t, d, "dog.jpg"), "no face in a dog picture")
}

// Detect allocates nothing per frame once its buffers have grown.
func TestDetectAllocationsStayFlat(t *testing.T) {
	rt := openRuntime(t)
	d := openDetector(t, rt, "yolox_nano.onnx", model.DefaultConfig().Objects)
	img := gocv.IMRead(testenv.Media(t, "dog.jpg"), gocv.IMReadColor)
	defer img.Close()
	dets, err := d.Detect(img, nil)
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(5, func() { dets, _ = d.Detect(img, dets) })
	assert.LessOrEqual(t, allocs, 2.0)
}

func TestOpenRefusesBadModels(t *testing.T) {
	rt := openRuntime(t)
	cfg := model.DefaultConfig().Objects

	_, err := model.Open(rt, "objects", filepath.Join(t.TempDir(), "missing.onnx"), cfg)
	require.ErrorIs(t, err, model.ErrModel)
	assert.Contains(t, err.Error(), "make models")
	assert.Contains(t, err.Error(), "model.objects.path")

	broken := filepath.Join(t.TempDir(), "broken.onnx")
	require.NoError(t, os.WriteFile(broken, []byte("this is not a model"), 0o644))
	_, err = model.Open(rt, "objects", broken, cfg)
	require.ErrorIs(t, err, model.ErrModel)
	assert.Contains(t, err.Error(), "could not be read as ONNX")

	_, err = model.Open(rt, "objects", "testdata/not_a_detector.onnx", cfg)
	require.ErrorIs(t, err, model.ErrModel)
	assert.Contains(t, err.Error(), "fits no known detector")
	assert.Contains(t, err.Error(), "Input [1 52428800]", "the message prints the shapes the model has")
}

func TestOpenRuntimeMissingLibrary(t *testing.T) {
	_, err := model.OpenRuntime(filepath.Join(t.TempDir(), "libonnxruntime.so"))
	require.ErrorIs(t, err, model.ErrRuntime)
	assert.Contains(t, err.Error(), "make deps")
	assert.Contains(t, err.Error(), "model.library")
}

// A model of the wrong family for its slot is refused with the key, the
// file, what it is and what the slot wants: BlazeFace finds "faces" on a
// dog, YOLOX reports people as faces, and neither would say so.
func TestDetectorSlotRefusesTheWrongFamily(t *testing.T) {
	rt := openRuntime(t)
	face := testenv.Model(t, "face_detection_back_256x256_barracuda.onnx")
	_, err := model.Open(rt, "objects", face, model.DefaultConfig().Objects)
	require.ErrorIs(t, err, model.ErrModel)
	for _, want := range []string{"model.objects.path", face, "blazeface", "COCO object detector"} {
		assert.ErrorContains(t, err, want)
	}
	yolox := testenv.Model(t, "yolox_nano.onnx")
	_, err = model.Open(rt, "faces", yolox, model.DefaultConfig().Faces)
	require.ErrorIs(t, err, model.ErrModel)
	for _, want := range []string{"model.faces.path", yolox, "yolox", "80 classes", "BlazeFace"} {
		assert.ErrorContains(t, err, want)
	}
	d, err := model.Open(rt, "objects", yolox, model.DefaultConfig().Objects)
	require.NoError(t, err, "the right family is taken")
	require.NoError(t, d.Close())
}
