//go:build cgo

package booth

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/carrierarcade/kiosk/model"
	"github.com/carrierarcade/kiosk/vision"
	"github.com/carrierarcade/kiosk/vision/visiontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mountParts are the mount check's own person detector on the shipped
// config's model, and vtest.avi turned each quarter turn (by degrees),
// all closed when the test ends.
func mountParts(t *testing.T) (model.Detector, map[int]string) {
	t.Helper()
	testenv.ORTLibrary(t)
	testenv.Model(t, "yolox_nano.onnx")
	l, err := config.Load(testenv.Path("config.toml"), nil)
	require.NoError(t, err)
	dets, err := OpenDetectors(l, "objects")
	require.NoError(t, err)
	t.Cleanup(dets.Close)
	det, err := mountDetector(l, dets)
	require.NoError(t, err)
	t.Cleanup(func() { det.Close() })
	return det, visiontest.TurnedClips(t, testenv.Media(t, "vtest.avi"), 2, 4)
}

// A camera mounted turned, with no source.rotation set, finds people only
// when its frames are turned: the mount check names the turn; an upright
// camera gets no hint.
func TestMountCheckFindsTheTurn(t *testing.T) {
	det, clips := mountParts(t)
	for _, r := range []int{0, 90, 180, 270} {
		src, err := vision.Open(vision.Spec{Kind: "file", Path: clips[r], Loop: true}, vision.DefaultSourceConfig(), "")
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		c := vision.StartCapture(ctx, src, false)
		tally := vision.CheckMount(ctx, c, det, 8, time.Millisecond)
		cancel()
		c.Stop()
		src.Close()
		rot, ok := tally.Hint()
		t.Logf("camera turned %d: %+v", r, tally)
		require.Equal(t, 8, tally.Frames)
		if r == 0 {
			assert.False(t, ok, "upright: no hint")
			assert.True(t, tally.Upright(), "upright: clear")
			continue
		}
		assert.False(t, tally.Upright(), "turned %d", r)
		assert.True(t, ok, "turned %d", r)
		assert.Equal(t, r, rot)
	}
}

// logLines is a debug logger into a buffer and a way to read back what it
// logged, one map per line.
func logLines(t *testing.T) (*slog.Logger, func() []map[string]any) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return log, func() []map[string]any {
		var out []map[string]any
		for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
			if line == "" {
				continue
			}
			var m map[string]any
			require.NoError(t, json.Unmarshal([]byte(line), &m), line)
			out = append(out, m)
		}
		return out
	}
}

// warnings are the logged lines at warning.
func warnings(lines []map[string]any) []map[string]any {
	var out []map[string]any
	for _, l := range lines {
		if l["level"] == "WARN" {
			out = append(out, l)
		}
	}
	return out
}

// lookedAt is the fixed time the tests' checks look at, so nothing depends
// on the wall clock.
var lookedAt = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

// newMountCheck is a mount check for camera:0 keeping its verdict in dir;
// its look returns tally and counts its calls.
func newMountCheck(dir string, tally vision.MountTally, looks *int, log *slog.Logger) mountCheck {
	return mountCheck{camera: "camera:0", file: filepath.Join(dir, mountFile), dataDir: "data",
		look:   func(context.Context) vision.MountTally { *looks++; return tally },
		frames: 10, now: func() time.Time { return lookedAt }, log: log}
}

// A verdict is kept whole and read back the same; a file that cannot be
// read is as good as none (said at debug); one that cannot be written is
// a warning naming the file and game.data_dir.
func TestMountVerdictKept(t *testing.T) {
	dir := t.TempDir()
	log, lines := logLines(t)
	var looks int
	m := newMountCheck(filepath.Join(dir, "data"), vision.MountTally{}, &looks, log)
	v, ok := verdictOf("camera:0", vision.MountTally{Frames: 10, People: [4]int{19, 0, 44, 0}}, lookedAt)
	require.True(t, ok)
	assert.Equal(t, mountVerdict{Camera: "camera:0", Verdict: "turned", Rotation: 180, Frames: 10,
		People: [4]int{19, 0, 44, 0}, LookedAt: lookedAt}, v)
	m.save(v) // the data folder is made
	got, ok := m.load()
	require.True(t, ok)
	assert.Equal(t, v, got)
	data, err := os.ReadFile(m.file)
	require.NoError(t, err)
	assert.JSONEq(t, `{"camera": "camera:0", "verdict": "turned", "rotation": 180, "frames": 10,
		"people": [19, 0, 44, 0], "looked_at": "2025-03-14T09:30:00Z"}`, string(data))
	assert.Empty(t, lines(), "nothing to say")

	upright, ok := verdictOf("camera:0", vision.MountTally{Frames: 10, People: [4]int{48, 0, 21, 1}}, lookedAt)
	require.True(t, ok)
	assert.Equal(t, "upright", upright.Verdict)
	_, ok = verdictOf("camera:0", vision.MountTally{Frames: 10}, lookedAt)
	assert.False(t, ok, "nobody in view: no verdict")

	for name, text := range map[string]string{
		"not JSON":         "{not json",
		"a verdict of its": `{"camera": "camera:0", "verdict": "sideways", "rotation": 45}`,
		"no camera":        `{"verdict": "upright"}`,
	} {
		require.NoError(t, os.WriteFile(m.file, []byte(text), 0o644))
		_, ok := m.load()
		assert.False(t, ok, name)
		ls := lines()
		last := ls[len(ls)-1]
		assert.Equal(t, "DEBUG", last["level"], name)
		assert.Equal(t, m.file, last["file"], name)
	}

	// game.data_dir is a file, so nothing can go into it.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "plain"), nil, 0o644))
	m = newMountCheck(filepath.Join(dir, "plain"), vision.MountTally{}, &looks, log)
	m.save(v)
	w := warnings(lines())
	require.Len(t, w, 1)
	assert.Equal(t, m.file, w[0]["file"])
	assert.Equal(t, "data", w[0]["game.data_dir"])
}

// The first start with a camera mounted turned finds the turn and keeps
// it; the next start says so again at once from the file, with the day it
// was looked at, and looks at nothing. An upright camera is kept as such
// and later starts say nothing. The looks are the real detector on
// vtest.avi turned.
func TestMountCheckRunsOnce(t *testing.T) {
	det, clips := mountParts(t)
	for _, r := range []int{180, 0} {
		dir := t.TempDir()
		log, lines := logLines(t)
		src, err := vision.Open(vision.Spec{Kind: "file", Path: clips[r], Loop: true}, vision.DefaultSourceConfig(), "")
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		c := vision.StartCapture(ctx, src, false)
		var looks int
		m := newMountCheck(dir, vision.MountTally{}, &looks, log)
		m.frames = 8
		// The look runs to its end whatever stop says, so that stop
		// waits for the verdict instead of cutting the look short.
		m.look = func(context.Context) vision.MountTally {
			looks++
			return vision.CheckMount(context.Background(), c, det, 8, time.Millisecond)
		}
		m.start(ctx)()
		cancel()
		c.Stop()
		src.Close()
		require.Equal(t, 1, looks)
		first := warnings(lines())
		kept, ok := m.load()
		require.True(t, ok, "camera turned %d: a verdict is kept", r)
		t.Logf("camera turned %d: %+v", r, kept)
		assert.Equal(t, "camera:0", kept.Camera)
		assert.Equal(t, r, kept.Rotation)
		assert.Equal(t, 8, kept.Frames)

		// The next start: no look, the file speaks.
		m.look = func(context.Context) vision.MountTally {
			t.Errorf("camera turned %d: looked at again", r)
			return vision.MountTally{}
		}
		m.start(context.Background())()
		again := warnings(lines())[len(first):]
		if r == 0 {
			assert.Equal(t, "upright", kept.Verdict)
			assert.Empty(t, first, "upright: nothing to warn of")
			assert.Empty(t, again, "upright: nothing to warn of")
			continue
		}
		assert.Equal(t, "turned", kept.Verdict)
		require.Len(t, first, 1)
		assert.EqualValues(t, r, first[0]["source.rotation"])
		require.Len(t, again, 1)
		assert.EqualValues(t, r, again[0]["source.rotation"])
		assert.Equal(t, "--set source.rotation=180", again[0]["set"])
		assert.Equal(t, "2025-03-14", again[0]["looked_at"])
		assert.Equal(t, m.file, again[0]["file"])
		assert.Contains(t, again[0]["msg"], "2025-03-14")
	}
}

// What is not a verdict is not kept, so the next start looks again:
// nobody in view, and a look the kiosk's closing cut short. A camera other
// than the one kept is looked at, and its verdict replaces the old one (so
// the start after that does not look).
func TestMountCheckLooksAgain(t *testing.T) {
	for _, tc := range []struct {
		name   string
		kept   *mountVerdict // in the file before the start
		camera string
		tally  vision.MountTally
		looks  int // in two starts
		warns  int
		after  *mountVerdict // in the file after them
	}{
		{name: "nobody in view", camera: "camera:0", tally: vision.MountTally{Frames: 10}, looks: 2},
		{name: "no turn clearly ahead", camera: "camera:0", tally: vision.MountTally{Frames: 10, People: [4]int{0, 30, 0, 40}}, looks: 2},
		{name: "cut short", camera: "camera:0", tally: vision.MountTally{Frames: 3, People: [4]int{0, 0, 9, 0}}, looks: 2, warns: 2},
		{name: "nobody in view, another camera kept", camera: "camera:1", tally: vision.MountTally{Frames: 10}, looks: 2,
			kept:  &mountVerdict{Camera: "camera:0", Verdict: "turned", Rotation: 90, Frames: 10, People: [4]int{0, 40, 0, 0}, LookedAt: lookedAt},
			after: &mountVerdict{Camera: "camera:0", Verdict: "turned", Rotation: 90, Frames: 10, People: [4]int{0, 40, 0, 0}, LookedAt: lookedAt}},
		{name: "another camera", camera: "camera:/dev/video2", tally: vision.MountTally{Frames: 10, People: [4]int{48, 0, 21, 1}}, looks: 1,
			kept:  &mountVerdict{Camera: "camera:0", Verdict: "turned", Rotation: 90, Frames: 10, People: [4]int{0, 40, 0, 0}, LookedAt: lookedAt},
			after: &mountVerdict{Camera: "camera:/dev/video2", Verdict: "upright", Frames: 10, People: [4]int{48, 0, 21, 1}, LookedAt: lookedAt}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			log, lines := logLines(t)
			var looks int
			m := newMountCheck(dir, tc.tally, &looks, log)
			m.camera = tc.camera
			if tc.kept != nil {
				m.save(*tc.kept)
			}
			m.start(context.Background())()
			assert.Equal(t, 1, looks, "the first start looks")
			m.start(context.Background())()
			assert.Equal(t, tc.looks, looks, "looks in two starts")
			assert.Len(t, warnings(lines()), tc.warns)
			got, ok := m.load()
			if tc.after == nil {
				assert.False(t, ok, "nothing kept")
				assert.NoFileExists(t, m.file)
				return
			}
			require.True(t, ok)
			assert.Equal(t, *tc.after, got)
		})
	}
}

// A presenter who keeps the camera as given in 'kiosk setup' has looked:
// a turned verdict kept from before becomes upright, and later starts
// neither warn nor look. A clip, or a camera kept turned, leaves the file.
func TestSetupKeepsTheMountLooked(t *testing.T) {
	dir := t.TempDir()
	l := config.Loaded{Config: config.Default()}
	l.Game.DataDir = dir
	log, lines := logLines(t)
	var looks int
	m := newMountCheck(dir, vision.MountTally{}, &looks, log)
	m.save(mountVerdict{Camera: "camera:0", Verdict: mountTurned, Rotation: 180, Frames: 10, People: [4]int{2, 0, 30, 0}, LookedAt: lookedAt})

	KeepMountLooked(l, "file:clip.avi", vision.Orientation{}, log)
	KeepMountLooked(l, "camera:0", vision.Orientation{Rotation: 90}, log)
	v, ok := m.load()
	require.True(t, ok)
	assert.Equal(t, mountTurned, v.Verdict, "a clip, or a camera kept turned, changes nothing")

	KeepMountLooked(l, "camera:0", vision.Orientation{}, log)
	v, ok = m.load()
	require.True(t, ok)
	assert.Equal(t, mountUpright, v.Verdict)
	m.start(context.Background())()
	assert.Zero(t, looks, "no look")
	assert.Empty(t, warnings(lines()), "no warning")
}
