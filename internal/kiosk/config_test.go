package kiosk

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
	assert.Empty(t, defaultConfig().validate())
}

// The shipped config.toml must say exactly what the code's defaults are, so
// its comments stay true.
func TestShippedConfigMatchesDefaults(t *testing.T) {
	l, err := loadConfig(testenv.Path("config.toml"), nil)
	require.NoError(t, err)
	assert.Equal(t, defaultConfig(), l.Config)
	assert.Equal(t, testenv.Root(), l.Base)
}

func TestUnknownKeyNamesKeyAndLine(t *testing.T) {
	path := writeConfig(t, "# comment\n[display]\nrotation = 90\n\n[model.objects]\nscore_treshold = 0.5\n")
	_, err := loadConfig(path, nil)
	require.ErrorIs(t, err, errConfig)
	assert.Contains(t, err.Error(), "model.objects.score_treshold: unknown key: did you mean model.objects.score_threshold? ("+path+" line 6)")
}

func TestWrongTypeNamesLine(t *testing.T) {
	path := writeConfig(t, "[display]\nfullscreen = \"yes\"\n")
	_, err := loadConfig(path, nil)
	require.ErrorIs(t, err, errConfig)
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
	_, err := loadConfig(path, nil)
	require.ErrorIs(t, err, errConfig)
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
	l, err := loadConfig("", []string{
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
		_, err := loadConfig("", []string{set})
		require.ErrorIs(t, err, errConfig, set)
		assert.Contains(t, err.Error(), msg, set)
	}
}

func TestRelativePathsFollowTheConfigFile(t *testing.T) {
	path := writeConfig(t, "[model]\nlibrary = \"lib/libonnxruntime.so\"\n")
	l, err := loadConfig(path, nil)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(filepath.Dir(path), "lib/libonnxruntime.so"), l.Resolve(l.Model.Library))
	assert.Equal(t, "/abs/x.onnx", l.Resolve("/abs/x.onnx"))
}

// Bounds before decoding: a huge file, deep nesting and thousands of
// unknown keys are refused quickly with a short message.
func TestConfigBounds(t *testing.T) {
	huge := writeConfig(t, "# "+strings.Repeat("x", 2<<20)+"\n")
	code, _, errOut := kiosk(t, "check-config", huge)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "a configuration is a few kB")

	deep := writeConfig(t, "[display]\nwidth = 1280\n\n[game]\nrotation = "+strings.Repeat("[", 5000)+strings.Repeat("]", 5000)+"\n")
	code, _, errOut = kiosk(t, "check-config", deep)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "line 5: values nested 5000 deep", "refused before decoding")

	var b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&b, "unknown_%d = 1\n", i)
	}
	many := writeConfig(t, b.String())
	code, _, errOut = kiosk(t, "check-config", many)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "... and 2950 more")
	assert.Less(t, len(errOut), 20<<10, "a page, not megabytes")
}

func TestSetRefusesMoreThanOneValue(t *testing.T) {
	code, _, errOut := kiosk(t, "check-config", "--set", "display.width=800\n[power]\nsimulate_percent=5")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "give each key its own --set")
}

func TestBadListenNamesKeyAndLine(t *testing.T) {
	path := writeConfig(t, "[display]\nwidth = 1280\n\n[http]\nlisten = \"127.0.0.1\"\n")
	code, _, errOut := kiosk(t, "check-config", path)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `http.listen: is "127.0.0.1", want host:port`)
	assert.Contains(t, errOut, path+" line 5")

	code, _, errOut = kiosk(t, "check-config", "--set", `http.listen="127.0.0.1:70000"`)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "http.listen")
	assert.Contains(t, errOut, "the port is a number from 0 to 65535")
	assert.Contains(t, errOut, "(from --set)")

	// The shipped config, so that the files it names are checked where
	// they are.
	code, out, errOut := kiosk(t, "check-config", testenv.Path("config.toml"), "--set", `http.listen=""`)
	assert.Equal(t, 0, code, errOut)
	assert.Equal(t, "ok\n", out, "empty turns the server off")
}
