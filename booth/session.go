//go:build cgo

package booth

import (
	"errors"

	"github.com/carrierarcade/kiosk/budget"
	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/sight"
	"github.com/carrierarcade/kiosk/vision"
)

// SessionSetup is a session's setup from the configuration, with the
// game settings the command decided on (demo items, autoplay).
func SessionSetup(l config.Loaded, games game.Config, seed uint64) game.Setup {
	return game.Setup{Game: games, Keys: l.Keys, TPS: l.Display.TPS, Mirror: l.Display.Mirror,
		Privacy: l.Display.Privacy, Muted: l.Sound.Mute, Seed: seed, CameraOff: !l.Source.Enabled}
}

// cameraStatus is what the booth shows of a watchdog's or switch's state.
func cameraStatus(st vision.CameraState) CameraStatus {
	return CameraStatus{Known: true, Live: st.Live, Outages: st.Outages, Recoveries: st.Recoveries, Reason: st.Reason,
		Off: st.Off, OffBy: st.OffBy, Turned: st.Turned, StandIn: st.StandIn}
}

// switchCamera is the presenter's camera switch as the booth's Camera.
type switchCamera struct{ s *vision.Switch }

// SwitchCamera is the booth's camera behind the presenter's switch.
func SwitchCamera(s *vision.Switch) Camera { return switchCamera{s} }

func (c switchCamera) State() CameraStatus    { return cameraStatus(c.s.State()) }
func (c switchCamera) Set(on bool, by string) { c.s.Set(on, by) }
func (c switchCamera) Name() string           { return c.s.Name() }
func (c switchCamera) Watch(changed func(CameraStatus), standIn func(bool)) {
	c.s.OnChange(func(st vision.CameraState) { changed(cameraStatus(st)) })
	c.s.OnStandIn(standIn)
}

// watchdogCamera is a clip behind a watchdog (kiosk sim past a clip's
// end): it cannot be turned off, and nothing stands in for it.
type watchdogCamera struct {
	w    *vision.Watchdog
	name string
}

// WatchdogCamera is the booth's camera for a source behind a watchdog
// alone, told by name.
func WatchdogCamera(w *vision.Watchdog, name string) Camera { return watchdogCamera{w, name} }

func (c watchdogCamera) State() CameraStatus { return cameraStatus(c.w.State()) }
func (c watchdogCamera) Set(bool, string)    {}
func (c watchdogCamera) Name() string        { return c.name }
func (c watchdogCamera) Watch(changed func(CameraStatus), _ func(bool)) {
	c.w.OnChange(func(st vision.CameraState) { changed(cameraStatus(st)) })
}

// stepFeed is a stepper as the booth's feed.
type stepFeed struct{ s *vision.Stepper }

// StepFeed puts a booth on the stepper's clip time.
func StepFeed(s *vision.Stepper) Feed { return stepFeed{s} }

func (f stepFeed) Next() (sight.Frame, error) {
	info, err := f.s.Next()
	if errors.Is(err, vision.ErrEnd) {
		return sight.Frame{}, ErrEnded
	}
	return info.Frame, err
}

// PipelineRates are the budget's rates for the pipeline's stages.
func PipelineRates(r budget.Rates) vision.Rates {
	return vision.Rates{ObjectHz: r.ObjectHz, FaceHz: r.FaceHz, MotionHz: r.MotionHz}
}
