package kiosk

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/booth"
	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/internal/config/configtest"
	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/carrierarcade/kiosk/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// realFiles are --set values that point a temporary config at the
// set-up's real library, models and demo clip, so a config in a temporary
// folder fails only for the fault it was written for.
func realFiles(t *testing.T) []string {
	t.Helper()
	q := strconv.Quote
	return append([]string{
		"model.library=" + q(testenv.ORTLibrary(t)),
		"model.objects.path=" + q(testenv.Model(t, "yolox_nano.onnx")),
		"model.faces.path=" + q(testenv.Model(t, "face_detection_back_256x256_barracuda.onnx")),
		"source.demo=" + q("file:"+testenv.Media(t, "demo-reel.avi")),
	}, converted(t)...)
}

func withSets(args []string, sets ...string) []string {
	for _, s := range sets {
		args = append(args, "--set", s)
	}
	return args
}

// startLikeRun is what 'kiosk run' does before its window opens, in
// process: the configuration loaded and its files checked (cmdRun), the
// detectors and the source opened, the board opened (kiosk-window).
func startLikeRun(path string, sets []string) error {
	l, err := config.Load(path, sets)
	if err != nil {
		return err
	}
	if err := checkStart(l, ""); err != nil {
		return err
	}
	dets, err := booth.OpenDetectors(l, "objects", "faces")
	if err != nil {
		return err
	}
	defer dets.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src, _, err := booth.WatchedSource(ctx, l, l.Source.Spec, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	src.Close()
	game.OpenLeaderboard(l.Resolve(l.Game.DataDir), slog.New(slog.DiscardHandler), nil).Close()
	return nil
}

// Issue 13, item by item: the exact bad input the fault run used, and the
// words the kiosk must answer with (the key, the value, the fix, where).
func TestIssue13Messages(t *testing.T) {
	t.Parallel()
	real := realFiles(t)
	face := testenv.Model(t, "face_detection_back_256x256_barracuda.onnx")
	yolox := testenv.Model(t, "yolox_nano.onnx")
	// A folder of the test's own: /tmp may hold models of other programs,
	// which the message would offer.
	empty := t.TempDir()
	notVideo := filepath.Join(t.TempDir(), "x.avi")
	require.NoError(t, os.WriteFile(notVideo, []byte("not a video"), 0o644))
	nested := writeConfig(t, "[display]\nwidth = "+strings.Repeat("{a = ", 40<<10/5)+"1"+strings.Repeat("}", 40<<10/5)+"\n")
	typed := writeConfig(t, "[budget]\nobject_hz = [1, 2]\n")
	inline := writeConfig(t, "display = {rotaton = 90}\n")
	cfg := writeConfig(t, "[display]\nrotation = 90\n")
	for _, tc := range []struct {
		item string
		args []string
		code int
		want []string
	}{
		{"2: the face model as the object detector", withSets([]string{"check-config"}, append(real, "model.objects.path="+strconv.Quote(face))...), 2,
			[]string{"model.objects.path: is " + face + ", a blazeface model", "the objects slot wants a COCO object detector", "(from --set)"}},
		{"2: YOLOX as the face detector", withSets([]string{"check-config"}, append(real, "model.faces.path="+strconv.Quote(yolox))...), 2,
			[]string{"model.faces.path: is " + yolox + ", a yolox model (80 classes", "wants a BlazeFace face detector"}},
		{"2: detect refuses the wrong family too", append(withSets([]string{"detect"}, append(real, "model.objects.path="+strconv.Quote(face))...), testenv.Media(t, "dog.jpg")), 2,
			[]string{"model.objects.path: is " + face + ", a blazeface model"}},
		{"3: a key name Ebitengine does not know", withSets([]string{"check-config"}, append(real, `keys.pause=["Foo"]`)...), 2,
			[]string{`keys.pause: "Foo" is not a key name (for example "Space"`, "(from --set)"}},
		{"3: a model path that is a folder", withSets([]string{"check-config"}, append(real, "model.objects.path="+strconv.Quote(empty))...), 2,
			[]string{`model.objects.path: is "` + empty + `", a folder, not a model file; set it to the .onnx file itself (from --set)`}},
		{"3: a model file that is missing", withSets([]string{"check-config"}, append(real, `model.faces.path="/nowhere/face.onnx"`)...), 2,
			[]string{`model.faces.path: is "/nowhere/face.onnx", which does not exist; run 'make models'`}},
		{"3: libc as the library", withSets([]string{"check-config"}, append(real, `model.library="/lib/x86_64-linux-gnu/libc.so.6"`)...), 2,
			[]string{`model.library: is "/lib/x86_64-linux-gnu/libc.so.6", which is libc.so.6, not ONNX Runtime (it has no OrtGetApiBase); set it to libonnxruntime.so`}},
		{"3: a clip that is a folder", withSets([]string{"check-config"}, append(real, `source.spec="file:/tmp"`)...), 2,
			[]string{`source.spec: is "file:/tmp": the clip "/tmp" is a folder, not a video file`}},
		{"3: a clip that is not a video", withSets([]string{"check-config"}, append(real, "source.spec="+strconv.Quote("file:"+notVideo))...), 2,
			[]string{`source.spec: is "file:` + notVideo + `": clip ` + notVideo + ` cannot be opened as video`}},
		{"3: a --set value with a newline", []string{"check-config", "--set", "display.width=800\n[power]\nsimulate_percent=5"}, 2,
			[]string{"give each key its own --set"}},
		{"3: a --set value with a table header", []string{"check-config", "--set", "display.width=800 [power] simulate_percent=5"}, 2,
			[]string{"a table header ([section]) has no place in --set", "--set power.simulate_percent=15"}},
		{"4: 80 kB of nested inline tables", []string{"check-config", nested}, 2,
			[]string{nested + " line 2: values nested 8192 deep; no key of the configuration nests deeper than 4"}},
		{"5: a list where a number goes", []string{"check-config", typed}, 2,
			[]string{"budget.object_hz: is [1, 2] (a list); it must be a number, for example 15 (the default) (" + typed + " line 2)"}},
		{"5: an unknown key in an inline table has a line", []string{"check-config", inline}, 2,
			[]string{"display.rotaton: unknown key: did you mean display.rotation? (" + inline + " line 1)"}},
		{"5: --set after the file name", withSets([]string{"check-config", cfg}, append(real, "display.width=800")...), 0,
			[]string{}},
		{"5: --set after the file name still checks", []string{"check-config", cfg, "--set", "display.width=8"}, 2,
			[]string{"display.width: is 8, allowed 320 to 7680 (from --set)"}},
		{"5: a word where only flags go", []string{"run", "my.toml", "--windowed"}, 2,
			[]string{`kiosk run takes flags only, not "my.toml" (a configuration file is --config FILE)`}},
		{"5: --set display=1", []string{"check-config", "--set", "display=1"}, 2,
			[]string{"--set display: is 1 (a whole number), but display is a section, not one value: set one of its keys instead (display.fullscreen, display.width"}},
		{"5: a clip with loop=2", []string{"check-config", "--set", `source.spec="file:x.avi?loop=2"`}, 2,
			[]string{`source.spec: source "file:x.avi?loop=2": loop is "2"; allowed loop=0 (play the clip once) or loop=1`}},
		{"5: sim with loop=2", []string{"sim", "--game", "hunt", "--source", "file:x.avi?loop=2"}, 2,
			[]string{`--source: source "file:x.avi?loop=2": loop is "2"; allowed loop=0`}},
	} {
		t.Run(tc.item, func(t *testing.T) {
			code, out, errOut := kiosk(t, tc.args...)
			assert.Equal(t, tc.code, code, errOut)
			for _, w := range tc.want {
				assert.Contains(t, errOut, w)
			}
			if tc.code == 0 {
				assert.Equal(t, "ok\n", out)
			}
			if errOut != "" {
				assert.Empty(t, configtest.CheckMessage(strings.TrimPrefix(errOut, "kiosk "+tc.args[0]+": ")), errOut)
			}
		})
	}
}

// faultConfig is one bad (or good) configuration of the fault run: a file
// body (written to a temporary folder) and --set values.
type faultConfig struct {
	name string
	body string // "" for no file
	sets []string
}

// faultConfigs are the configuration faults of issue 13: for every key a
// value of each wrong kind, in a file and by --set; whole sections given
// one value; keys no one knows, in tables and inline tables; nesting and
// size bombs; bad paths; and the good configuration.
func faultConfigs() []faultConfig {
	out := []faultConfig{{name: "the shipped config", body: "# the defaults\n"}}
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for i := range t.NumField() {
			f := t.Field(i)
			key := config.JoinKey(prefix, f.Tag.Get("toml"))
			table, leaf := prefix, f.Tag.Get("toml")
			var bad []string
			switch f.Type.Kind() {
			case reflect.Struct:
				bad = []string{"1", `"x"`, "[1]"}
				walk(f.Type, key)
			case reflect.String:
				bad = []string{"5", "[1, 2]", "{a = 1}", "true"}
			case reflect.Int:
				bad = []string{`"x"`, "1.5", "[1]", "true", "1979-05-27"}
			case reflect.Float64:
				bad = []string{`"x"`, "[1, 2]", "true", "{}", "9007199254740993"}
			case reflect.Bool:
				bad = []string{`"yes"`, "1", "[true]"}
			case reflect.Slice:
				bad = []string{`"cup"`, "[1]", "[[1]]", "1"}
			}
			for _, v := range bad {
				body := leaf + " = " + v + "\n"
				if table != "" {
					body = "[" + table + "]\n" + body
				}
				out = append(out, faultConfig{name: "file " + key + " = " + v, body: body})
				out = append(out, faultConfig{name: "--set " + key + "=" + v, sets: []string{key + "=" + v}})
			}
			unknown := leaf + "x = 1\n"
			if prefix != "" {
				unknown = "[" + prefix + "]\n" + unknown
			}
			out = append(out, faultConfig{name: "file unknown key beside " + key, body: unknown})
		}
	}
	walk(reflect.TypeOf(config.Config{}), "")
	deep := func(open, close string, n int) string {
		return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
	}
	out = append(out,
		faultConfig{name: "unknown key in an inline table", body: "display = {rotaton = 90}\n"},
		faultConfig{name: "unknown section", body: "[displays]\nwidth = 1\n"},
		faultConfig{name: "80 kB of nested inline tables", body: "[display]\nwidth = " + deep("{a = ", "}", 16<<10) + "\n"},
		faultConfig{name: "710 kB of nested inline tables", body: "[display]\nwidth = " + deep("{a = ", "}", 142<<10) + "\n"},
		faultConfig{name: "nested lists", body: "[game]\nrotation = " + deep("[", "]", 100<<10) + "\n"},
		faultConfig{name: "2 MB of comment", body: "# " + strings.Repeat("x", 2<<20) + "\n"},
		faultConfig{name: "10000 unknown keys", body: strings.Repeat("[display]\n", 1) + func() string {
			var b strings.Builder
			for i := range 10000 {
				fmt.Fprintf(&b, "k%d = %d\n", i, i)
			}
			return b.String()
		}()},
		faultConfig{name: "10000 bad classes", body: "[model.objects]\nclasses = [" + strings.Repeat(`"spaceship", `, 10000) + "]\n"},
		faultConfig{name: "syntax error", body: "[display\nwidth = = 3\n"},
		faultConfig{name: "a key twice", body: "[display]\nwidth = 800\nwidth = 900\n"},
		faultConfig{name: "--set newline", sets: []string{"display.width=800\n[power]\nsimulate_percent=5"}},
		faultConfig{name: "--set table header", sets: []string{"display.width=800 [power] simulate_percent=5"}},
		faultConfig{name: "--set [section]", sets: []string{"[power] simulate_percent=5"}},
		faultConfig{name: "--set list item", sets: []string{`power.levels[0].name="x"`}},
		faultConfig{name: "--set quoted key", sets: []string{`"display".width=800`}},
		faultConfig{name: "--set no value", sets: []string{"display.width="}},
		faultConfig{name: "--set keys.pause Foo", sets: []string{`keys.pause=["Foo"]`}},
		faultConfig{name: "model path a folder", sets: []string{`model.objects.path="/tmp"`}},
		faultConfig{name: "model path missing", sets: []string{`model.faces.path="/nowhere/x.onnx"`}},
		faultConfig{name: "model path a device", sets: []string{`model.objects.path="/dev/null"`}},
		faultConfig{name: "model not ONNX", sets: []string{`model.objects.path="/etc/hostname"`}},
		faultConfig{name: "library libc", sets: []string{`model.library="/lib/x86_64-linux-gnu/libc.so.6"`}},
		faultConfig{name: "library a folder", sets: []string{`model.library="/tmp"`}},
		faultConfig{name: "library a text file", sets: []string{`model.library="/etc/hostname"`}},
		faultConfig{name: "library a program", sets: []string{`model.library="/bin/ls"`}},
		faultConfig{name: "library missing", sets: []string{`model.library="/nowhere/libonnxruntime.so"`}},
		faultConfig{name: "clip a folder", sets: []string{`source.spec="file:/tmp"`}},
		faultConfig{name: "clip missing", sets: []string{`source.spec="file:/nowhere.avi"`}},
		faultConfig{name: "clip a device", sets: []string{`source.spec="file:/dev/null"`}},
		faultConfig{name: "clip not a video", sets: []string{`source.spec="file:/etc/hostname"`}},
		faultConfig{name: "clip loop=2", sets: []string{`source.spec="file:x.avi?loop=2"`}},
		faultConfig{name: "demo a folder", sets: []string{`source.demo="file:/tmp"`}},
		faultConfig{name: "demo a camera", sets: []string{`source.demo="camera:0"`}},
		faultConfig{name: "detectors off, library missing", sets: []string{"model.objects.enabled=false", "model.faces.enabled=false", `model.library="/nowhere"`}},
	)
	return out
}

// The fault run of issue 13, counted: every configuration fault through
// check-config and through what 'kiosk run' does before its window;
// leaderboard faults opened and played on; wrong-family models. 'make
// faults' prints the table.
func TestFaultCounts(t *testing.T) {
	real := realFiles(t)
	// One ONNX Runtime environment for the whole run, as a kiosk has one:
	// each case's check joins it instead of starting and tearing down an
	// environment of its own.
	rt, err := model.OpenRuntime(testenv.ORTLibrary(t))
	require.NoError(t, err)
	defer rt.Close()
	var passCheckFailStart, goWordsOrLine0, unplaced, configs, passed int
	var slowest time.Duration
	var slowestName string
	var mostAlloc uint64
	var mostName string
	// Good configurations and faults the kiosk must start with anyway
	// (a board it cannot keep): check-config passes them and so must the
	// start.
	q := strconv.Quote
	vtest := testenv.Media(t, "vtest.avi")
	boardFile := filepath.Join(t.TempDir(), "a-file")
	require.NoError(t, os.WriteFile(boardFile, []byte("x"), 0o644))
	cases := append(faultConfigs(),
		faultConfig{name: "a clip as the source", sets: []string{"source.spec=" + q("file:"+vtest)}},
		faultConfig{name: "a clip played once", sets: []string{"source.spec=" + q("file:"+vtest+"?loop=0")}},
		faultConfig{name: "the 128 face model", sets: []string{"model.faces.path=" + q(testenv.Model(t, "face_detection_front_128x128_barracuda.onnx"))}},
		faultConfig{name: "only cups", sets: []string{`model.objects.classes=["cup"]`}},
		faultConfig{name: "data_dir cannot be made", sets: []string{`game.data_dir="/proc/no/such/dir"`}},
		faultConfig{name: "data_dir is a file", sets: []string{"game.data_dir=" + q(boardFile)}},
		faultConfig{name: "data_dir beside the file", body: "[game]\ndata_dir = \"data\"\n"},
	)
	for _, fc := range cases {
		configs++
		// Always a file, so that relative paths (game.data_dir) land in a
		// temporary folder.
		body := fc.body
		if body == "" {
			body = "# only --set\n"
		}
		path := writeConfig(t, body)
		// A fault of the real files' keys is given after them, so it wins.
		sets := append(append([]string{}, real...), fc.sets...)
		args := []string{"check-config", path}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		code, _, errOut := kiosk(t, withSets(args, sets...)...)
		took := time.Since(start)
		runtime.ReadMemStats(&after)
		if took > slowest {
			slowest, slowestName = took, fc.name
		}
		if a := after.TotalAlloc - before.TotalAlloc; a > mostAlloc {
			mostAlloc, mostName = a, fc.name
		}
		assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(512<<20), "%s: memory", fc.name)
		assert.Less(t, len(errOut), 64<<10, "%s: a page of output, not megabytes", fc.name)
		msgs := []string{strings.TrimPrefix(errOut, "kiosk check-config: ")}
		if code == 0 {
			passed++
			if err := startLikeRun(path, sets); err != nil {
				passCheckFailStart++
				t.Errorf("%s: check-config says ok, the start says %v", fc.name, err)
				msgs = append(msgs, err.Error())
			}
		} else {
			// What the start says of the same config must be booth words too.
			if err := startLikeRun(path, sets); err != nil {
				msgs = append(msgs, err.Error())
			}
		}
		for _, m := range msgs {
			if m == "" {
				continue
			}
			why := configtest.CheckMessage(m)
			switch {
			case why == "":
			case strings.HasPrefix(why, "Go words"):
				goWordsOrLine0++
				t.Errorf("%s: %s in %q", fc.name, why, m)
			default:
				unplaced++
				t.Errorf("%s: %s in %q", fc.name, why, m)
			}
		}
	}

	boardRefusals, boardCases := leaderboardFaultsPlayOn(t)
	wrongAccepted, wrongCases := wrongFamilyAccepted(t, real)

	t.Logf("fault run: %d configurations (files and --set), %d leaderboard faults, %d wrong-family models", configs, boardCases, wrongCases)
	t.Logf("  configs check-config passed (each then started):   %d", passed)
	t.Logf("  refusals to start for leaderboard faults:          %d", boardRefusals)
	t.Logf("  wrong-family models accepted:                      %d", wrongAccepted)
	t.Logf("  configs that pass check-config and fail at start:  %d", passCheckFailStart)
	t.Logf("  messages with Go type names or line 0:             %d", goWordsOrLine0)
	t.Logf("  messages naming neither a key nor a line:          %d", unplaced)
	t.Logf("  slowest check-config: %v (%s); most allocated: %.1f MB (%s)", slowest.Round(time.Millisecond), slowestName, float64(mostAlloc)/(1<<20), mostName)
	assert.Zero(t, boardRefusals+wrongAccepted+passCheckFailStart+goWordsOrLine0+unplaced)
	assert.GreaterOrEqual(t, passed, 2, "the good configurations pass, so the start is tried")
}

// leaderboardFaultsPlayOn opens a board over each fault of issue 13 and
// plays on it; a refusal is a board that hangs, panics or loses the score.
func leaderboardFaultsPlayOn(t *testing.T) (refusals, cases int) {
	for _, fault := range []struct {
		name  string
		setUp func(dir string) string
	}{
		{"the board is a folder", func(dir string) string {
			os.Mkdir(filepath.Join(dir, "leaderboard.json"), 0o755)
			return dir
		}},
		{"the board is a FIFO", func(dir string) string {
			syscall.Mkfifo(filepath.Join(dir, "leaderboard.json"), 0o644)
			return dir
		}},
		{"the board is unreadable", func(dir string) string {
			os.WriteFile(filepath.Join(dir, "leaderboard.json"), []byte(`{"version":1,"days":{}}`), 0o000)
			return dir
		}},
		{"the board is damaged", func(dir string) string {
			os.WriteFile(filepath.Join(dir, "leaderboard.json"), []byte(`{"version":1,"days":`), 0o644)
			return dir
		}},
		// A link to a device (/dev/zero) is the same fault; a FIFO of the
		// test's own stands in, so that a kiosk that followed the link could
		// not rename or write anything outside the test's folder.
		{"the board is a symlink to a FIFO", func(dir string) string {
			syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644)
			os.Symlink(filepath.Join(dir, "fifo"), filepath.Join(dir, "leaderboard.json"))
			return dir
		}},
		{"the board is from version 99", func(dir string) string {
			os.WriteFile(filepath.Join(dir, "leaderboard.json"), []byte(`{"version":99,"days":{}}`), 0o644)
			return dir
		}},
		{"data_dir is a file", func(dir string) string {
			os.WriteFile(filepath.Join(dir, "data"), []byte("x"), 0o644)
			return filepath.Join(dir, "data")
		}},
		{"data_dir is read-only", func(dir string) string {
			os.Chmod(dir, 0o555)
			return dir
		}},
		{"data_dir cannot be made", func(dir string) string { return "/proc/no/such/dir" }},
	} {
		cases++
		dir := t.TempDir()
		dataDir := fault.setUp(dir)
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
		played := make(chan bool, 1)
		go func() {
			defer func() {
				if recover() != nil {
					played <- false
				}
			}()
			lb := game.OpenLeaderboard(dataDir, slog.New(slog.DiscardHandler), nil)
			defer lb.Close()
			lb.Add("hunt", "2026-12-02", "Still Playing", 42)
			top := lb.Top("hunt", "2026-12-02")
			played <- len(top) == 1 && top[0].Score == 42
		}()
		select {
		case ok := <-played:
			if !ok {
				refusals++
				t.Errorf("leaderboard fault %q: no board to play on", fault.name)
			}
		case <-time.After(time.Minute): // a hang, not a slow machine
			refusals++
			t.Errorf("leaderboard fault %q: opening the board hangs", fault.name)
		}
	}
	return refusals, cases
}

// wrongFamilyAccepted puts each model in each slot it does not fit, through
// check-config and the start; any acceptance counts.
func wrongFamilyAccepted(t *testing.T, real []string) (accepted, cases int) {
	face := testenv.Model(t, "face_detection_back_256x256_barracuda.onnx")
	front := testenv.Model(t, "face_detection_front_128x128_barracuda.onnx")
	yolox := testenv.Model(t, "yolox_nano.onnx")
	for _, set := range []string{
		"model.objects.path=" + strconv.Quote(face),
		"model.objects.path=" + strconv.Quote(front),
		"model.faces.path=" + strconv.Quote(yolox),
	} {
		cases++
		sets := append(append([]string{}, real...), set)
		path := writeConfig(t, "# only --set\n")
		code, _, _ := kiosk(t, withSets([]string{"check-config", path}, sets...)...)
		if code == 0 || startLikeRun(path, sets) == nil {
			accepted++
			t.Errorf("%s was accepted", set)
		}
	}
	return accepted, cases
}

// OpenCV's own errors (GStreamer's, CAP_IMAGES') never come before the
// kiosk's message: the programs quiet OpenCV's log, and a folder never
// reaches OpenCV at all.
func TestOpenCVKeepsQuiet(t *testing.T) {
	t.Parallel()
	bin := testenv.Binaries(t)
	notVideo := filepath.Join(t.TempDir(), "x.avi")
	require.NoError(t, os.WriteFile(notVideo, []byte("not a video"), 0o644))
	for _, source := range []string{"file:" + notVideo + "?loop=0", "file:" + t.TempDir() + "?loop=0"} {
		cmd := exec.Command(filepath.Join(bin, "kiosk"), "sim", "--game", "hunt", "--source", source,
			"--set", "model.objects.enabled=false", "--set", "model.faces.enabled=false")
		cmd.Env = append(os.Environ(), "OPENCV_LOG_LEVEL=")
		out, err := cmd.CombinedOutput()
		require.Error(t, err, "%s", out)
		assert.True(t, strings.HasPrefix(string(out), "kiosk sim: "), "the kiosk speaks first and alone: %s", out)
		assert.NotContains(t, string(out), "OpenCV(")
		assert.NotContains(t, string(out), "[ERROR")
		assert.NotContains(t, string(out), "[ WARN")
		assert.NotContains(t, string(out), "CAP_IMAGES")
	}
}
