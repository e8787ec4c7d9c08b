package kiosk

import (
	"context"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/carrierarcade/kiosk/vision"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A camera mounted turned, with no source.rotation set, finds people only
// when its frames are turned: the mount check names the turn; an upright
// camera gets no hint.
func TestMountCheckFindsTheTurn(t *testing.T) {
	testenv.ORTLibrary(t)
	testenv.Model(t, "yolox_nano.onnx")
	l, err := loadConfig(testenv.Path("config.toml"), nil)
	require.NoError(t, err)
	dets, err := OpenDetectors(l, "objects")
	require.NoError(t, err)
	defer dets.Close()
	det, err := mountDetector(l, dets)
	require.NoError(t, err)
	defer det.Close()
	clips := turnedClips(t, testenv.Media(t, "vtest.avi"), 2, 4)
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
			continue
		}
		assert.True(t, ok, "turned %d", r)
		assert.Equal(t, r, rot)
	}
}
