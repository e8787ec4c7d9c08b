package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	require.NoError(t, os.WriteFile(path, []byte(body), 0o644))
	return path
}

func TestDefaultsAreValid(t *testing.T) {
	assert.Empty(t, Default().validate())
}

// The shipped config.toml must say exactly what the code's defaults are, so
// its comments stay true.
func TestShippedConfigMatchesDefaults(t *testing.T) {
	l, err := Load(testenv.Path("config.toml"), nil)
	require.NoError(t, err)
	assert.Equal(t, Default(), l.Config)
	assert.Equal(t, testenv.Root(), l.Base)
}

func TestUnknownKeyNamesKeyAndLine(t *testing.T) {
	path := writeConfig(t, "# comment\n[display]\nrotation = 90\n\n[model.objects]\nscore_treshold = 0.5\n")
	_, err := Load(path, nil)
	require.ErrorIs(t, err, ErrConfig)
	assert.Contains(t, err.Error(), "model.objects.score_treshold: unknown key: did you mean model.objects.score_threshold? ("+path+" line 6)")
}

func TestWrongTypeNamesLine(t *testing.T) {
	path := writeConfig(t, "[display]\nfullscreen = \"yes\"\n")
	_, err := Load(path, nil)
	require.ErrorIs(t, err, ErrConfig)
	assert.Contains(t, err.Error(), "line 2")
	assert.Contains(t, err.Error(), "display.fullscreen")
}

func TestEveryProblemReportedAtOnce(t *testing.T) {
	path := writeConfig(t, `
[display]
rotation = 45
width = 10
tps = 1000
[source]
spec = "webcam"
demo = "camera:0"
fps = 0
[model]
library = ""
[model.objects]
nms_iou = 3
score_threshold = 0
threads = 0
classes = ["cup", "spaceship"]
[model.faces]
classes = ["nose"]
[budget]
draw_fps = 0
object_hz = 100
[motion]
grid_w = 1
[log]
level = "loud"
format = "xml"
`)
	_, err := Load(path, nil)
	require.ErrorIs(t, err, ErrConfig)
	for _, want := range []string{
		"display.rotation: is 45, allowed 0, 90, 180 or 270 (" + path + " line 3)",
		"display.width: is 10, allowed 320 to 7680",
		"display.tps: is 1000",
		`source.spec: source "webcam"`,
		`source.demo: must be a clip`,
		"source.fps: is 0",
		"model.library: is empty",
		"model.objects.nms_iou: is 3",
		"model.objects.score_threshold: is 0",
		"model.objects.threads: is 0",
		`model.objects.classes[1]: "spaceship" is not a COCO class name`,
		`model.faces.classes[0]: "nose"`,
		"budget.draw_fps: is 0",
		"budget.object_hz: is 100",
		"motion.grid_w",
		`log.level: is "loud"`,
		`log.format: is "xml"`,
	} {
		assert.Contains(t, err.Error(), want)
	}
	assert.Contains(t, err.Error(), "17 problem(s)")
}

func TestSetOverrides(t *testing.T) {
	l, err := Load("", []string{
		"display.rotation=270",
		`model.objects.classes=["cup", "cell phone"]`,
		"budget.object_hz = 4.5",
		`source.spec="file:clip.avi?loop=0"`,
	})
	require.NoError(t, err)
	assert.Equal(t, 270, l.Display.Rotation)
	assert.Equal(t, []string{"cup", "cell phone"}, l.Model.Objects.Classes)
	assert.Equal(t, 4.5, l.Budget.ObjectHz)
	assert.Equal(t, "file:clip.avi?loop=0", l.Source.Spec)

	for set, msg := range map[string]string{
		"display.rotaton=90":   `--set display.rotaton: unknown key: did you mean display.rotation?`,
		"display.rotation=abc": "TOML syntax",
		"display.rotation":     "want key=value",
		"display.rotation=91":  "display.rotation: is 91, allowed 0, 90, 180 or 270 (from --set)",
	} {
		_, err := Load("", []string{set})
		require.ErrorIs(t, err, ErrConfig, set)
		assert.Contains(t, err.Error(), msg, set)
	}
}

func TestRelativePathsFollowTheConfigFile(t *testing.T) {
	path := writeConfig(t, "[model]\nlibrary = \"lib/libonnxruntime.so\"\n")
	l, err := Load(path, nil)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(filepath.Dir(path), "lib/libonnxruntime.so"), l.Resolve(l.Model.Library))
	assert.Equal(t, "/abs/x.onnx", l.Resolve("/abs/x.onnx"))
}
