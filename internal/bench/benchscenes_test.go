package bench

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/booth"
	"github.com/carrierarcade/kiosk/budget"
	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/carrierarcade/kiosk/vision"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gocv.io/x/gocv"
)

// The real pipeline, session and budgeter on real clips: an empty place
// (a still picture) puts the attract screen to sleep on the idle budget;
// people walking by (vtest.avi) keep it awake at the attract screen's
// rates. What bench --scenes measures, checked for what runs, not for
// how fast.
func TestSceneBudgetsOnRealClips(t *testing.T) {
	t.Parallel()
	testenv.ORTLibrary(t)
	testenv.Model(t, "yolox_nano.onnx")
	l, err := config.Load(testenv.Path("config.toml"), nil)
	require.NoError(t, err)
	l.Game.DataDir = t.TempDir()
	dets, err := booth.OpenDetectors(l, "objects", "faces")
	require.NoError(t, err)
	defer dets.Close()
	mains, lowest, err := benchLevels(l.Power)
	require.NoError(t, err)
	assert.Equal(t, "mains", mains.Name)
	assert.Equal(t, "critical", lowest.Name)

	still, err := writeStillClip(filepath.Join(l.Game.DataDir, "bench"), testenv.Media(t, "box.png"))
	require.NoError(t, err)
	src, err := vision.OpenClip(still, false)
	require.NoError(t, err)
	m := gocv.NewMat()
	defer m.Close()
	_, err = src.Read(&m)
	require.NoError(t, err)
	assert.Equal(t, 640, m.Cols())
	require.NoError(t, src.Close())

	ctx := context.Background()
	idle, err := headlessScene(ctx, l, dets, still, benchScenes[1], mains, false, time.Second)
	require.NoError(t, err)
	i := l.Budget.Idle
	assert.Equal(t, budget.Rates{DrawFPS: i.DrawFPS, ObjectHz: i.ObjectHz, FaceHz: i.FaceHz, MotionHz: i.MotionHz}, idle.Budget,
		"nobody in view: the idle budget")
	assert.Positive(t, idle.CPUPerSecond)

	people, err := headlessScene(ctx, l, dets, testenv.Media(t, "vtest.avi"), benchScenes[0], lowest, false, time.Second)
	require.NoError(t, err)
	assert.Equal(t, budget.Rates{DrawFPS: lowest.DrawFPS, ObjectHz: min(4, lowest.ObjectHz), FaceHz: 0, MotionHz: 30}, people.Budget,
		"people walking by: awake, the attract screen's needs under the level's cap")

	cpu, err := procCPU(os.Getpid())
	require.NoError(t, err)
	assert.Positive(t, cpu)
}
