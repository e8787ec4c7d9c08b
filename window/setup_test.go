//go:build cgo

package window

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSetupKeysTurnCameraAndScreen(t *testing.T) {
	var turns []int
	s := &SetupMode{CameraRotation: 0, ScreenRotation: 270,
		TurnCamera: func(r int, flip bool) {
			if flip {
				r = -r - 1
			}
			turns = append(turns, r)
		}}
	for _, k := range []string{"ArrowLeft", "ArrowLeft", "ArrowRight", "ArrowUp", "Q", "F"} {
		s.Press(k)
	}
	assert.Equal(t, 270, s.CameraRotation)
	assert.True(t, s.Flip)
	assert.Equal(t, 0, s.ScreenRotation)
	assert.Equal(t, []int{270, 180, 270, -271}, turns, "each camera turn goes to the frames at once; the screen's does not")
	assert.False(t, s.Done())
	s.Press("Enter")
	assert.True(t, s.Done())
	assert.True(t, s.Keep)

	esc := &SetupMode{}
	esc.Press("Escape")
	assert.True(t, esc.Done())
	assert.False(t, esc.Keep, "Esc leaves without keeping")
}
