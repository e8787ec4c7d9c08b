package vision_test

import (
	"testing"
	"time"
	"unsafe"

	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/carrierarcade/kiosk/vision"
	"github.com/carrierarcade/kiosk/vision/visiontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gocv.io/x/gocv"
)

// sensor is a source whose every frame is 4 wide and 2 high, black but for
// a white top-left pixel and a grey top-right one: where they land after
// turning says which way it turned.
type sensor struct{ reads int }

func (s *sensor) Read(dst *gocv.Mat) (time.Duration, error) {
	if dst.Rows() != 2 || dst.Cols() != 4 || dst.Type() != gocv.MatTypeCV8UC3 {
		dst.Close()
		*dst = gocv.NewMatWithSize(2, 4, gocv.MatTypeCV8UC3)
	}
	dst.SetTo(gocv.NewScalar(0, 0, 0, 0))
	dst.SetUCharAt(0, 0, 255)
	dst.SetUCharAt(0, 3*3, 100)
	s.reads++
	return time.Duration(s.reads) * time.Second / 10, nil
}
func (s *sensor) FPS() float64 { return 10 }
func (s *sensor) Name() string { return "sensor" }
func (s *sensor) Live() bool   { return true }
func (s *sensor) Close() error { return nil }

func TestOrientedTurnsFramesUprightWithoutAllocating(t *testing.T) {
	type px struct{ row, col int }
	for _, tc := range []struct {
		o           vision.Orientation
		w, h        int
		white, grey px
	}{
		{vision.Orientation{}, 4, 2, px{0, 0}, px{0, 3}},
		{vision.Orientation{Rotation: 90}, 2, 4, px{0, 1}, px{3, 1}},
		{vision.Orientation{Rotation: 180}, 4, 2, px{1, 3}, px{1, 0}},
		{vision.Orientation{Rotation: 270}, 2, 4, px{3, 0}, px{0, 0}},
		{vision.Orientation{Flip: true}, 4, 2, px{0, 3}, px{0, 0}},
		{vision.Orientation{Rotation: 90, Flip: true}, 2, 4, px{3, 1}, px{0, 1}},
	} {
		src := vision.Oriented(&sensor{}, tc.o)
		dst := gocv.NewMat()
		var ptr unsafe.Pointer
		for i := 0; i < 3; i++ {
			_, err := src.Read(&dst)
			require.NoError(t, err)
			require.Equal(t, [2]int{tc.w, tc.h}, [2]int{dst.Cols(), dst.Rows()}, "%+v", tc.o)
			assert.Equal(t, uint8(255), dst.GetUCharAt(tc.white.row, tc.white.col*3), "%+v: white pixel", tc.o)
			assert.Equal(t, uint8(100), dst.GetUCharAt(tc.grey.row, tc.grey.col*3), "%+v: grey pixel", tc.o)
			data, err := dst.DataPtrUint8()
			require.NoError(t, err)
			if i > 0 {
				assert.Equal(t, ptr, unsafe.Pointer(&data[0]), "%+v: the frame is turned into the same buffer every time", tc.o)
			}
			ptr = unsafe.Pointer(&data[0])
		}
		require.NoError(t, src.Close())
		dst.Close()
	}
}

func TestOrientationValid(t *testing.T) {
	for _, r := range []int{0, 90, 180, 270} {
		assert.NoError(t, vision.Orientation{Rotation: r}.Valid())
	}
	for _, r := range []int{-90, 45, 360} {
		assert.Error(t, vision.Orientation{Rotation: r}.Valid())
	}
}

// A clip started some seconds in gives frames timed from there, and loops
// back to its very start.
func TestClipStartsLater(t *testing.T) {
	path := testenv.Media(t, "vtest.avi")
	src, err := vision.Open(vision.Spec{Kind: "file", Path: path, Loop: true, Start: 70}, vision.DefaultSourceConfig(), "")
	require.NoError(t, err)
	defer src.Close()
	frame := gocv.NewMat()
	defer frame.Close()
	ts, err := src.Read(&frame)
	require.NoError(t, err)
	assert.Equal(t, 70*time.Second, ts)
	var last time.Duration
	for range 100 {
		last, err = src.Read(&frame)
		require.NoError(t, err)
	}
	// 795 frames at 10 fps: 9.5 s from 70 s to the end, then 0.5 s from
	// the start again.
	assert.InDelta(t, 80, last.Seconds(), 0.01)
}

// The setup helper turns the camera while it plays: each frame comes
// turned as Set last said.
func TestTurnableTurnsWhileItPlays(t *testing.T) {
	src := visiontest.NewSource(64, 48, 30)
	defer src.Close()
	tu := vision.NewTurnable(src, vision.Orientation{})
	defer tu.Close()
	frame := gocv.NewMat()
	defer frame.Close()
	for _, tc := range []struct {
		o    vision.Orientation
		w, h int
	}{{vision.Orientation{}, 64, 48}, {vision.Orientation{Rotation: 90}, 48, 64},
		{vision.Orientation{Rotation: 180, Flip: true}, 64, 48}, {vision.Orientation{Rotation: 270}, 48, 64}} {
		tu.Set(tc.o)
		_, err := tu.Read(&frame)
		require.NoError(t, err)
		assert.Equal(t, [2]int{tc.w, tc.h}, [2]int{frame.Cols(), frame.Rows()}, "%+v", tc.o)
	}
	assert.False(t, src.Closed(), "the source is its opener's to close")
}

func TestMountHint(t *testing.T) {
	for _, tc := range []struct {
		name    string
		people  [4]int
		rot     int
		ok      bool
		upright bool
	}{
		// Counts as vtest.avi gave them, 8 frames.
		{"upright already", [4]int{48, 0, 21, 1}, 0, false, true},
		{"upside down", [4]int{19, 0, 44, 0}, 180, true, false},
		{"sideways", [4]int{0, 20, 1, 45}, 270, true, false},
		{"nobody in view", [4]int{0, 0, 0, 0}, 0, false, false},
		{"too few to tell", [4]int{0, 4, 0, 0}, 0, false, false},
		{"too few to tell upright", [4]int{4, 0, 0, 0}, 0, false, false},
		{"found as given nearly as often", [4]int{32, 0, 44, 0}, 0, false, false},
		{"found turned nearly as often", [4]int{44, 0, 32, 0}, 0, false, false},
		{"as given and turned alike", [4]int{20, 0, 20, 0}, 0, false, false},
		{"two turns alike", [4]int{0, 30, 0, 40}, 0, false, false},
	} {
		tally := vision.MountTally{Frames: 10, People: tc.people}
		rot, ok := tally.Hint()
		assert.Equal(t, tc.ok, ok, tc.name)
		if ok {
			assert.Equal(t, tc.rot, rot, tc.name)
		}
		assert.Equal(t, tc.upright, tally.Upright(), tc.name)
	}
}
