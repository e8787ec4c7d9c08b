package visiontest

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/carrierarcade/kiosk/vision"
	"github.com/stretchr/testify/require"
	"gocv.io/x/gocv"
)

// TurnedClips copies seconds of clip from a start time into a temporary
// folder, upright and as a camera mounted turned would deliver it: for each
// rotation r, each frame turned r degrees anticlockwise, so that
// source.rotation = r turns it upright again. The copies are lossless
// (FFV1), so a turned frame turned back is the upright one, pixel for pixel.
func TurnedClips(t testing.TB, clip string, from, seconds float64) map[int]string {
	t.Helper()
	src, err := vision.OpenClip(clip, false)
	require.NoError(t, err)
	defer src.Close()
	dir := t.TempDir()
	frame, turned := gocv.NewMat(), gocv.NewMat()
	defer frame.Close()
	defer turned.Close()
	writers := map[int]*gocv.VideoWriter{}
	paths := map[int]string{}
	defer func() {
		for _, w := range writers {
			w.Close()
		}
	}()
	turn := map[int]gocv.RotateFlag{90: gocv.Rotate90CounterClockwise, 180: gocv.Rotate180Clockwise, 270: gocv.Rotate90Clockwise}
	for {
		ts, err := src.Read(&frame)
		if err != nil || ts.Seconds() >= from+seconds {
			break
		}
		if ts.Seconds() < from {
			continue
		}
		for _, r := range []int{0, 90, 180, 270} {
			out := frame
			if r != 0 {
				gocv.Rotate(frame, &turned, turn[r])
				out = turned
			}
			if writers[r] == nil {
				paths[r] = filepath.Join(dir, fmt.Sprintf("turned-%d.avi", r))
				w, err := gocv.VideoWriterFile(paths[r], "FFV1", src.FPS(), out.Cols(), out.Rows(), true)
				require.NoError(t, err)
				writers[r] = w
			}
			require.NoError(t, writers[r].Write(out))
		}
	}
	require.Len(t, paths, 4)
	return paths
}

// detectAll runs the object and face detectors on every fifth frame of a
