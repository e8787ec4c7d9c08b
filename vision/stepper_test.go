package vision_test

import (
	"errors"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/sight"
	"github.com/carrierarcade/kiosk/vision"
	"github.com/carrierarcade/kiosk/vision/visiontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A stepper reads one frame per Next, in the caller's goroutine, and runs
// the stages due at its clip time (5 detections a second of clip, however
// fast the frames come); the frame is there for the screen as RGBA; the
// status tells the source's end.
func TestStepperFollowsClipTime(t *testing.T) {
	t.Parallel()
	det := &slowDetector{}
	src := visiontest.NewSource(64, 48, 30)
	src.Frames, src.EndErr = 60, vision.ErrEnd
	defer src.Close()
	p := vision.NewPipeline(nil, vision.PipelineParts{Objects: det}, vision.Rates{ObjectHz: 5})
	s := vision.NewStepper(src, p, true)
	defer s.Close()
	pixels := make([]byte, 64*48*4)
	var last sight.Frame
	for i := range 60 {
		info, err := s.Next()
		require.NoError(t, err, "frame %d", i)
		assert.Equal(t, uint64(i+1), info.Seq)
		assert.Equal(t, time.Duration(i)*time.Second/30, info.Time)
		got, ok := s.Picture(pixels, last.Seq)
		require.True(t, ok, "frame %d for the screen", i)
		assert.Equal(t, info.Frame, got)
		last = got
	}
	_, ok := s.Picture(pixels, last.Seq)
	assert.False(t, ok, "no newer frame")
	assert.Equal(t, 10, det.Calls(), "5 detections a second of clip time, 2 s of clip")
	var obs sight.Observation
	var st sight.Status
	s.Observe(&obs, &st)
	assert.Equal(t, uint64(60), obs.Frame.Seq)
	assert.NotEmpty(t, obs.Objects)
	assert.False(t, st.Ended)

	_, err := s.Next()
	assert.True(t, errors.Is(err, vision.ErrEnd))
	assert.True(t, s.Status().Ended, "the clip has ended")
	s.Observe(&obs, &st)
	assert.True(t, st.Ended)
}
