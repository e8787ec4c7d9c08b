package bench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// maxDrawAllocsPerFrame is the most heap allocations a drawn frame of any
// scene may make once warm. The drawers keep their words, figures and
// buffers from frame to frame, so what is left is Ebitengine's own: each
// draw command it cannot merge with the one before allocates its list of
// regions (a scene makes 2 to 7 such commands a frame), and each new camera
// frame written to its image allocates when it is flushed. The bench
// measured 2.2 to 8.2 a frame (BENCHMARKS.md). A frame that formats a
// number, lays out words or makes a slice again adds tens to hundreds (the
// scenes made 140 to 4000 a frame before the drawers), so 16 catches that
// with room for a few more draw commands.
const maxDrawAllocsPerFrame = 16

// drawTestFrames are the frames counted per scene: frames, not seconds, so
// the test asks the same of a slow renderer as of a fast one.
const drawTestFrames = 100

// The real window, steered through every scene under Xvfb: once warm, no
// scene allocates more than a few objects per drawn frame.
func TestDrawAllocatesLittlePerFrame(t *testing.T) {
	t.Parallel()
	testenv.Display(t)
	testenv.ORTLibrary(t)
	testenv.Model(t, "yolox_nano.onnx")
	clip := testenv.Media(t, "vtest.avi")
	bin := testenv.Binaries(t)
	cmd := exec.Command(filepath.Join(bin, "kiosk"), "bench", "--draw", "--config", testenv.Path("config.toml"),
		"--source", "file:"+clip, "--frames", strconv.Itoa(drawTestFrames))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), stderr.String())

	got := map[string]DrawFigure{}
	lines := bufio.NewScanner(&stdout)
	for lines.Scan() {
		var f DrawFigure
		require.NoError(t, json.Unmarshal(lines.Bytes(), &f), lines.Text())
		got[f.Scene] = f
	}
	plan := drawPlan()
	require.Len(t, got, len(plan), "one line per scene")
	for _, s := range plan {
		f, ok := got[s.name]
		if !assert.True(t, ok, "scene %s measured", s.name) {
			continue
		}
		t.Logf("%-10s %5.2f allocations and %6.0f bytes a frame over %d frames (at most %d in one)",
			s.name, f.AllocsPerFrame, f.BytesPerFrame, f.Frames, f.MaxAllocs)
		assert.Empty(t, f.Error, s.name)
		assert.Equal(t, drawTestFrames, f.Frames, s.name)
		assert.LessOrEqual(t, f.AllocsPerFrame, float64(maxDrawAllocsPerFrame), "scene %s allocates per drawn frame", s.name)
	}
}

// Every game of the registry is a scene of the draw bench: a new game is
// measured (and held to the same bound) without a change to the bench.
func TestDrawPlanHasEveryGame(t *testing.T) {
	t.Parallel()
	names := map[string]bool{}
	for _, s := range drawPlan() {
		names[s.name] = true
	}
	for _, g := range game.GameNames() {
		assert.True(t, names[g], "the draw bench measures %s", g)
	}
}
