package kiosk

import (
	"testing"

	"github.com/carrierarcade/kiosk/link"
	"github.com/carrierarcade/kiosk/vision"
	"github.com/stretchr/testify/assert"
)

type fakeCamera vision.CameraState

func (c *fakeCamera) State() vision.CameraState { return vision.CameraState(*c) }

// The heartbeat's condition: the camera is up only while a camera (not a
// clip, not the demo reel standing in) delivers; no power policy, no
// battery.
func TestConditionOfTheParts(t *testing.T) {
	cam := &fakeCamera{Live: true}
	assert.Equal(t, link.Condition{Battery: -1, Camera: true}, conditionOf(cam, "camera:0", nil)())
	assert.Equal(t, link.Condition{Battery: -1, Camera: false}, conditionOf(cam, "file:clip.avi", nil)(), "a clip is not a camera")
	cam.StandIn = true
	assert.False(t, conditionOf(cam, "camera:0", nil)().Camera, "the demo reel stands in")
	cam.StandIn, cam.Off = false, true
	assert.False(t, conditionOf(cam, "camera:0", nil)().Camera, "turned off")
	cam.Off, cam.Live = false, false
	assert.False(t, conditionOf(cam, "camera:0", nil)().Camera, "lost")
}
