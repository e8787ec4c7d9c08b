package kiosk

import (
	"fmt"
	"os"
	"testing"

	"github.com/carrierarcade/kiosk/booth"
	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/carrierarcade/kiosk/model"
	"github.com/carrierarcade/kiosk/sight"
	"github.com/carrierarcade/kiosk/vision"
	"github.com/carrierarcade/kiosk/vision/visiontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gocv.io/x/gocv"
)

// clip opened as the kiosk opens source.spec.
func detectAll(t *testing.T, l config.Loaded, dets *booth.Detectors, spec string) [][]sight.Detection {
	t.Helper()
	sp, err := vision.ParseSpec(spec)
	require.NoError(t, err)
	src, err := vision.Open(sp, l.SourceFor(spec), l.Base)
	require.NoError(t, err)
	defer src.Close()
	frame := gocv.NewMat()
	defer frame.Close()
	var out [][]sight.Detection
	for i := 0; ; i++ {
		if _, err := src.Read(&frame); err != nil {
			break
		}
		if i%5 != 0 {
			continue
		}
		var found []sight.Detection
		for _, d := range []model.Detector{dets.Objects, dets.Faces} {
			got, err := d.Detect(frame, nil)
			require.NoError(t, err)
			found = append(found, got...)
		}
		out = append(out, found)
	}
	return out
}

// matches is true when every detection in a has one of the same label in b
// overlapping it by IoU 0.5 or more.
func matches(a, b []sight.Detection) bool {
	for _, d := range a {
		ok := false
		for _, e := range b {
			if e.Label == d.Label && iou(d.Box, e.Box) >= 0.5 {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func iou(a, b sight.Box) float32 {
	x0, y0, x1, y1 := max(a.X0, b.X0), max(a.Y0, b.Y0), min(a.X1, b.X1), min(a.Y1, b.Y1)
	if x1 <= x0 || y1 <= y0 {
		return 0
	}
	in := (x1 - x0) * (y1 - y0)
	return in / (a.Area() + b.Area() - in)
}

// A camera mounted turned, with the matching source.rotation, gives the
// detectors the very picture an upright camera gives: the same people,
// things and faces, in the same places.
func TestTurnedCameraDetectsAsUpright(t *testing.T) {
	t.Parallel()
	testenv.ORTLibrary(t)
	testenv.Model(t, "yolox_nano.onnx")
	testenv.Model(t, "face_detection_back_256x256_barracuda.onnx")
	l, err := config.Load(testenv.Path("config.toml"), nil)
	require.NoError(t, err)
	dets, err := booth.OpenDetectors(l, "objects", "faces")
	require.NoError(t, err)
	defer dets.Close()
	// People walking, then a face close up.
	for _, part := range []struct {
		clip     string
		from, to float64
	}{{"vtest.avi", 2, 4}, {"Megamind.avi", 1, 3}} {
		clips := visiontest.TurnedClips(t, testenv.Media(t, part.clip), part.from, part.to-part.from)
		upright := detectAll(t, l, dets, "file:"+clips[0]+"?loop=0")
		labels := map[string]int{}
		for _, f := range upright {
			for _, d := range f {
				labels[d.Label]++
			}
		}
		t.Logf("%s upright: %d frames, %v", part.clip, len(upright), labels)
		require.NotEmpty(t, labels)
		for _, r := range []int{90, 180, 270} {
			lr := l
			lr.Source.Rotation = r
			turned := detectAll(t, lr, dets, "file:"+clips[r]+"?loop=0")
			require.Len(t, turned, len(upright))
			for i := range upright {
				assert.True(t, matches(upright[i], turned[i]) && matches(turned[i], upright[i]),
					"%s turned %d, frame %d: upright %v, turned %v", part.clip, r, i*5, upright[i], turned[i])
			}
		}
	}
}

// The same hunt, on a part of the demo reel with things to find (a dog, a
// bicycle) as a turned camera sees it, finds the same things at
// the same moments as on the upright part.
func TestTurnedCameraHuntsAsUpright(t *testing.T) {
	t.Parallel()
	reel := testenv.Media(t, "demo-reel.avi")
	clips := visiontest.TurnedClips(t, reel, 58, 14)
	finds := func(r, rotation int) []map[string]any {
		events := simEvents(t, "--game", "hunt", "--source", "file:"+clips[r]+"?loop=0",
			// The two things this part shows for long (the ball passes
			// too quickly to be asked for first and found).
			"--set", `game.hunt.items=["dog", "bicycle"]`,
			"--set", fmt.Sprintf("source.rotation=%d", rotation))
		return ofType(events, "find")
	}
	upright := finds(0, 0)
	t.Logf("upright: %d finds %v", len(upright), upright)
	require.NotEmpty(t, upright)
	for _, r := range []int{90, 180, 270} {
		if os.Getenv("KIOSK_HUNT_BEFORE") != "" {
			// How the hunt did before source.rotation: the turned frames
			// as the sensor gives them.
			t.Logf("turned %d, source.rotation 0: %d finds %v", r, len(finds(r, 0)), finds(r, 0))
		}
		assert.Equal(t, upright, finds(r, r), "turned %d", r)
	}
}

func TestSourceRotationIsChecked(t *testing.T) {
	t.Parallel()
	_, err := config.Load("", []string{"source.rotation=45"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "source.rotation")
	l, err := config.Load("", []string{"source.rotation=90", "source.flip=true"})
	require.NoError(t, err)
	assert.Equal(t, vision.Orientation{Rotation: 90, Flip: true}, l.SourceFor("camera:0").Orientation())
	assert.True(t, l.SourceFor(l.Source.Demo).Orientation().Upright(), "the demo clip is upright already")
}
