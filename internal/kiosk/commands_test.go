package kiosk

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carrierarcade/kiosk/sight"

	"github.com/carrierarcade/kiosk/internal/bench"
	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// kiosk runs the command line in-process and returns status and output.
func kiosk(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	noWindow := func(context.Context, WindowJob, io.Writer) error {
		t.Fatal("this command must not open a window")
		return nil
	}
	code := Main(args, &out, &errOut, noWindow)
	return code, out.String(), errOut.String()
}

func TestCheckConfig(t *testing.T) {
	t.Parallel()
	// check-config opens what the shipped config names, as the kiosk does.
	testenv.ORTLibrary(t)
	testenv.Model(t, "yolox_nano.onnx")
	testenv.Model(t, "face_detection_back_256x256_barracuda.onnx")
	testenv.Media(t, "demo-reel.avi")
	code, out, errOut := kiosk(t, "check-config", testenv.Path("config.toml"))
	assert.Equal(t, 0, code, errOut)
	assert.Equal(t, "ok\n", out)

	bad := writeConfig(t, "[display]\nrotation = 45\n[budget]\nface_hz = -1\n")
	code, out, errOut = kiosk(t, "check-config", bad)
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "display.rotation")
	assert.Contains(t, errOut, "budget.face_hz")

	code, _, errOut = kiosk(t, "check-config", "--set", "display.rotation=90", "--set", "nope.key=1")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `--set nope.key: nope: unknown key (check its spelling against config.toml's comments; the top level has display, source`)
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	code, _, errOut := kiosk(t)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "usage: kiosk COMMAND")

	code, _, errOut = kiosk(t, "fly")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `unknown command "fly"`)

	code, _, errOut = kiosk(t, "detect", "--model", "cats", "x.jpg")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--model is objects or faces")

	code, _, errOut = kiosk(t, "screenshot", "--at", "soon", "--out", "x.png")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--at wants a number")

	code, _, errOut = kiosk(t, "run", "--source", "webcam")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--source")

	code, _, _ = kiosk(t, "detect", "--help")
	assert.Equal(t, 0, code)
}

func TestRunWithoutDisplaySaysSo(t *testing.T) {
	t.Setenv("DISPLAY", "")
	code, _, errOut := kiosk(t, "run")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "xvfb-run")
}

func TestDetectJSON(t *testing.T) {
	t.Parallel()
	testenv.ORTLibrary(t)
	testenv.Model(t, "yolox_nano.onnx")
	dog := testenv.Media(t, "dog.jpg")
	code, out, errOut := kiosk(t, "detect", "--config", testenv.Path("config.toml"), "--json", dog)
	require.Equal(t, 0, code, errOut)

	var lines []detectLine
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var l detectLine
		require.NoError(t, json.Unmarshal(sc.Bytes(), &l), sc.Text())
		lines = append(lines, l)
	}
	byLabel := map[string]detectLine{}
	for _, l := range lines {
		assert.Equal(t, dog, l.Image)
		assert.Equal(t, "yolox_nano", l.Model)
		byLabel[l.Label] = l
	}
	require.Contains(t, byLabel, "dog")
	d := byLabel["dog"]
	assert.Equal(t, 16, d.Class)
	assert.InDelta(t, 0.86, d.Score, 0.02)
	got := sight.Box{X0: float32(d.Box[0]), Y0: float32(d.Box[1]), X1: float32(d.Box[2]), Y1: float32(d.Box[3])}
	assert.Greater(t, sight.IoU(got, sight.Box{X0: 133, Y0: 207, X1: 326, Y1: 543}), float32(0.9))
	assert.Contains(t, byLabel, "bicycle")
}

func TestDetectFacesAndBadImage(t *testing.T) {
	t.Parallel()
	testenv.ORTLibrary(t)
	testenv.Model(t, "face_detection_back_256x256_barracuda.onnx")
	code, out, errOut := kiosk(t, "detect", "--config", testenv.Path("config.toml"), "--model", "faces", testenv.Media(t, "messi5.jpg"))
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "messi5.jpg: face 0.")

	code, _, errOut = kiosk(t, "detect", "--config", testenv.Path("config.toml"), filepath.Join(t.TempDir(), "none.jpg"))
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "cannot read image")

	code, _, errOut = kiosk(t, "detect", "--config", testenv.Path("config.toml"),
		"--set", `model.objects.path="/nowhere/model.onnx"`, testenv.Media(t, "dog.jpg"))
	assert.Equal(t, 2, code, "a path to fix in the configuration")
	assert.Contains(t, errOut, `model.objects.path: is "/nowhere/model.onnx", which does not exist; run 'make models'`)
	assert.Contains(t, errOut, "(from --set)")
}

func TestBenchJSON(t *testing.T) {
	testenv.ORTLibrary(t)
	testenv.Model(t, "yolox_nano.onnx")
	clip := testenv.Media(t, "vtest.avi")
	code, out, errOut := kiosk(t, "bench", "--config", testenv.Path("config.toml"),
		"--source", "file:"+clip, "--frames", "40", "--json", "--compare-opencv")
	require.Equal(t, 0, code, errOut)
	var r bench.BenchResult
	require.NoError(t, json.Unmarshal([]byte(out), &r), out)
	assert.Equal(t, 40, r.Frames)
	assert.Greater(t, r.FPS, 0.0)
	for _, s := range []string{"capture", "preprocess", "inference", "postprocess", "tracking", "motion"} {
		require.Contains(t, r.Stages, s)
		assert.LessOrEqual(t, r.Stages[s].P50, r.Stages[s].P95, s)
	}
	assert.Greater(t, r.Stages["inference"].P50, 0.0)
	assert.Greater(t, r.PeakRSSMB, 10.0)
	assert.Greater(t, r.CPUPerSecond, 0.0)
	require.NotNil(t, r.OpenCV)
	assert.Greater(t, r.OpenCV.InferenceP50, 0.0)
	assert.InDelta(t, r.OpenCV.InferenceP50/r.Stages["inference"].P50, r.Speedup, 0.05)
	// Figures are compared as ratios within one run: ONNX Runtime must beat
	// OpenCV's DNN module on the same model and threads.
	assert.Greater(t, r.Speedup, 1.0)
}

func TestPowerReadsFixtures(t *testing.T) {
	t.Parallel()
	cases := []struct {
		fixture string
		want    map[string]any
	}{
		{"framework", map[string]any{"battery_percent": 49.1, "on_ac": false, "charging": false, "level": "medium"}},
		{"desktop", map[string]any{"battery_percent": nil, "on_ac": true, "level": "mains", "minutes_left": nil}},
		{"charge-only", map[string]any{"on_ac": true, "level": "mains", "ambient_lux": nil}},
		// Charge and current but no voltage: the time left all the same.
		{"charge-no-voltage", map[string]any{"battery_percent": 75.0, "minutes_left": 120.0, "ambient_lux": nil}},
	}
	for _, c := range cases {
		t.Run(c.fixture, func(t *testing.T) {
			code, out, errOut := kiosk(t, "power", "--config", testenv.Path("config.toml"),
				"--sysfs", testenv.Path("power", "testdata", c.fixture), "--json")
			require.Equal(t, 0, code, errOut)
			var got map[string]any
			require.NoError(t, json.Unmarshal([]byte(out), &got), out)
			for k, v := range c.want {
				assert.Equal(t, v, got[k], k)
			}
			budget, ok := got["budget"].(map[string]any)
			require.True(t, ok, out)
			for _, k := range []string{"brightness_percent", "draw_fps", "object_hz", "face_hz"} {
				assert.Contains(t, budget, k)
			}
		})
	}
	// With an ambient light sensor its lux are in the report.
	root := t.TempDir()
	sensor := filepath.Join(root, "bus", "iio", "devices", "iio:device0")
	require.NoError(t, os.MkdirAll(sensor, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(sensor, "in_illuminance_raw"), []byte("1234\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(sensor, "in_illuminance_scale"), []byte("0.1\n"), 0o644))
	code, out, errOut := kiosk(t, "power", "--config", testenv.Path("config.toml"), "--sysfs", root, "--json")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"ambient_lux":123.4`)
	// A raw value times its scale that overflows is no reading, not +Inf.
	require.NoError(t, os.WriteFile(filepath.Join(sensor, "in_illuminance_raw"), []byte("1e308\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(sensor, "in_illuminance_scale"), []byte("10\n"), 0o644))
	code, out, errOut = kiosk(t, "power", "--config", testenv.Path("config.toml"), "--sysfs", root, "--json")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"ambient_lux":null`)
	assert.Contains(t, errOut, "out of range")

	code, out, errOut = kiosk(t, "power", "--config", testenv.Path("config.toml"), "--set", "power.simulate_percent=15", "--json")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"level":"low"`)
	assert.Contains(t, out, `"battery_percent":15`)
}
