package kiosk

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// converted are the four body and hand models as make models leaves them,
// for configs in a temporary folder (realFiles has them too).
func converted(t *testing.T) []string {
	t.Helper()
	q := strconv.Quote
	return []string{
		"model.pose.detector_path=" + q(testenv.Model(t, "pose_detection.onnx")),
		"model.pose.path=" + q(testenv.Model(t, "pose_landmark_lite.onnx")),
		"model.hands.detector_path=" + q(testenv.Model(t, "palm_detection_full.onnx")),
		"model.hands.path=" + q(testenv.Model(t, "hand_landmark_lite.onnx")),
	}
}

func TestModelsListShowsEverySlot(t *testing.T) {
	testenv.ORTLibrary(t)
	code, out, errOut := kiosk(t, "models", "list", "--json", "--config", testenv.Path("config.toml"))
	require.Equal(t, 0, code, errOut)
	var rows []modelRow
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r modelRow
		require.NoError(t, json.Unmarshal([]byte(line), &r), line)
		rows = append(rows, r)
	}
	require.Len(t, rows, 6)
	want := []struct{ slot, key, family, source string }{
		{"objects", "model.objects.path", "yolox", "unknown"},
		{"faces", "model.faces.path", "blazeface", "unknown"},
		{"pose detector", "model.pose.detector_path", "pose-detector", "@mediapipe/pose@0.5.1675469404 pose_detection.tflite (in pose_solution_packed_assets.data)"},
		{"pose landmarks", "model.pose.path", "pose-landmarks", "@mediapipe/pose@0.5.1675469404 pose_landmark_lite.tflite"},
		{"palm detector", "model.hands.detector_path", "palm-detector", "@mediapipe/hands@0.4.1675469240 palm_detection_full.tflite (in hands_solution_packed_assets.data)"},
		{"hand landmarks", "model.hands.path", "hand-landmarks", "@mediapipe/hands@0.4.1675469240 hand_landmark_lite.tflite"},
	}
	for i, w := range want {
		r := rows[i]
		assert.Equal(t, w.slot, r.Slot)
		assert.Equal(t, w.key, r.Key)
		assert.Equal(t, w.family, r.Family, r.Slot)
		assert.Equal(t, w.source, r.Source, r.Slot)
		assert.True(t, r.Loads, "%s: %s", r.Slot, r.Problem)
		assert.Empty(t, r.Problem)
		assert.Len(t, r.SHA256, 64)
		info, err := os.Stat(r.File)
		require.NoError(t, err)
		assert.Equal(t, info.Size(), r.Size)
	}

	code, out, errOut = kiosk(t, "models", "list", "--config", testenv.Path("config.toml"))
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "SLOT")
	assert.Regexp(t, `palm detector +palm-detector +yes +@mediapipe/hands@0.4.1675469240`, out)
}

func TestModelsListSaysWhatIsWrong(t *testing.T) {
	testenv.ORTLibrary(t)
	sets := realFiles(t)
	hands := testenv.Model(t, "hand_landmark_lite.onnx")
	code, out, errOut := kiosk(t, withSets([]string{"models", "list", "--json"}, append(sets,
		"model.pose.path="+strconv.Quote(hands), `model.hands.detector_path="/nowhere/palm.onnx"`)...)...)
	require.Equal(t, 0, code, errOut)
	rows := map[string]modelRow{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r modelRow
		require.NoError(t, json.Unmarshal([]byte(line), &r))
		rows[r.Slot] = r
	}
	pose := rows["pose landmarks"]
	assert.True(t, pose.Loads, "a model of another family still loads")
	assert.Equal(t, "hand-landmarks", pose.Family)
	assert.Contains(t, pose.Problem, "a hand-landmarks model (input 224x224), but the pose landmarks slot wants a BlazePose landmark model")
	palm := rows["palm detector"]
	assert.False(t, palm.Loads)
	assert.Equal(t, "unknown", palm.Source)
	assert.Contains(t, palm.Problem, `is "/nowhere/palm.onnx", which does not exist; run 'make models'`)
}

func TestCheckConfigChecksBodyAndHandModels(t *testing.T) {
	testenv.ORTLibrary(t)
	sets := realFiles(t)
	code, out, errOut := kiosk(t, withSets([]string{"check-config"}, sets...)...)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "ok\n", out)

	pose := testenv.Model(t, "pose_detection.onnx")
	code, _, errOut = kiosk(t, withSets([]string{"check-config"}, append(sets, "model.hands.path="+strconv.Quote(pose))...)...)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "model.hands.path: is "+pose+", a pose-detector model (input 224x224), but the hand landmarks slot wants MediaPipe's hand landmark model")
	assert.Contains(t, errOut, "(from --set)")

	code, _, errOut = kiosk(t, withSets([]string{"check-config"}, append(sets, `model.pose.detector_path="/nowhere/pose.onnx"`)...)...)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `model.pose.detector_path: is "/nowhere/pose.onnx", which does not exist; run 'make models'`)

	code, _, errOut = kiosk(t, withSets([]string{"check-config"}, append(sets, `model.hands.detector_path=""`)...)...)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "model.hands.detector_path: is empty; set it to the palm detector model")
}

func TestModelsConvertCommand(t *testing.T) {
	src := testenv.Model(t, filepath.Join("mediapipe", "hand_landmark_lite.tflite"))
	dir := t.TempDir()
	out := filepath.Join(dir, "hand.onnx")
	args := []string{"models", "convert", "--from", src, "--out", out, "--package", "@mediapipe/hands@0.4.1675469240", "--file", "hand_landmark_lite.tflite"}
	code, stdout, errOut := kiosk(t, args...)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, stdout, "wrote "+out)
	first, err := os.ReadFile(out)
	require.NoError(t, err)
	made, err := os.ReadFile(testenv.Model(t, "hand_landmark_lite.onnx"))
	require.NoError(t, err)
	assert.True(t, bytes.Equal(first, made), "the command writes what make models wrote")

	code, stdout, errOut = kiosk(t, args...)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, stdout, out+" is up to date")

	// Another origin to record: converted again.
	code, stdout, _ = kiosk(t, "models", "convert", "--from", src, "--out", out, "--package", "@other/hands@1")
	require.Equal(t, 0, code)
	assert.Contains(t, stdout, "wrote ")

	photo := filepath.Join(dir, "photo.tflite")
	f, err := os.Create(photo)
	require.NoError(t, err)
	require.NoError(t, png.Encode(f, image.NewGray(image.Rect(0, 0, 4, 4))))
	require.NoError(t, f.Close())
	code, _, errOut = kiosk(t, "models", "convert", "--from", photo, "--out", filepath.Join(dir, "photo.onnx"))
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "kiosk models: "+photo+" is a PNG picture, not a TFLite model")
	assert.NoFileExists(t, filepath.Join(dir, "photo.onnx"))

	code, _, errOut = kiosk(t, "models", "convert", "--out", out)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "needs --from FILE.tflite and --out FILE.onnx")
	code, _, errOut = kiosk(t, "models", "convert", "--from", filepath.Join(dir, "none.tflite"), "--out", out)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "none.tflite cannot be read (no such file or directory)")
	code, _, errOut = kiosk(t, "models", "convert", "--from", src, "--out", out, "--package", "nover")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `--package is "nover"; give NAME@VERSION`)
	code, _, errOut = kiosk(t, "models", "frobnicate")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `kiosk models has no "frobnicate"`)
}

func TestModelsExtractCommand(t *testing.T) {
	dir := t.TempDir()
	loader := filepath.Join(dir, "demo_packed_assets_loader.js")
	data := filepath.Join(dir, "demo_packed_assets.data")
	require.NoError(t, os.WriteFile(data, []byte("abcHELLOxyz"), 0o644))
	require.NoError(t, os.WriteFile(loader, []byte(`var x = 1; loadPackage({"files": [{"filename": "/a/notes.txt", "start": 0, "end": 3}, `+
		`{"filename": "/m/model.tflite", "start": 3, "end": 8}, {"filename": "/m/rest.bin", "start": 8, "end": 11}], "remote_package_size": 11});`), 0o644))
	out := filepath.Join(dir, "model.tflite")
	code, stdout, errOut := kiosk(t, "models", "extract", "--loader", loader, "--name", "model.tflite", "--out", out)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, stdout, "wrote "+out+" (5 bytes")
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "HELLO", string(got))

	code, _, errOut = kiosk(t, "models", "extract", "--loader", loader, "--name", "other.tflite", "--out", out)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, `lists no file "other.tflite"; it has notes.txt, model.tflite, rest.bin`)

	require.NoError(t, os.WriteFile(data, []byte("short"), 0o644))
	code, _, errOut = kiosk(t, "models", "extract", "--loader", loader, "--name", "model.tflite", "--out", out)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "is 5 bytes, but "+loader+" says its package is 11")
}
