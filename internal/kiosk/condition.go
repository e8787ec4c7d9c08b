package kiosk

import (
	"math"

	"github.com/carrierarcade/kiosk/link"
	"github.com/carrierarcade/kiosk/power"
	"github.com/carrierarcade/kiosk/vision"
)

// cameraState tells the camera's state: the camera switch (vision.Switch)
// or a watchdog.
type cameraState interface {
	State() vision.CameraState
}

// TellCondition has the carrier's heartbeat carry its battery and whether
// its camera is up, for the hub's public page (c nil: no link). source is
// the spec that plays: a clip is never "camera up", nor is the demo reel
// standing in for the camera. ctl may be nil (no power policy).
func TellCondition(c *link.Carrier, camera cameraState, source string, ctl *power.Controller) {
	if c != nil {
		c.Tell(conditionOf(camera, source, ctl))
	}
}

// conditionOf reads the condition from the parts, at each heartbeat.
func conditionOf(camera cameraState, source string, ctl *power.Controller) func() link.Condition {
	sp, err := vision.ParseSpec(source)
	isCamera := err == nil && sp.Kind == "camera"
	return func() link.Condition {
		cond := link.Condition{Battery: -1}
		if ctl != nil {
			if st := ctl.Status().State; st.HasBattery && st.Percent >= 0 {
				cond.Battery = int(math.Round(st.Percent))
			}
		}
		if camera != nil && isCamera {
			st := camera.State()
			cond.Camera = st.Live && !st.Off && !st.StandIn
		}
		return cond
	}
}
