package booth

import (
	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/power"
	"github.com/carrierarcade/kiosk/vision"
)

// SessionSetup is a session's setup from the configuration, with the
// game settings the command decided on (demo items, autoplay).
func SessionSetup(l config.Loaded, games game.Config, seed uint64) game.Setup {
	return game.Setup{Game: games, Keys: l.Keys, TPS: l.Display.TPS, Mirror: l.Display.Mirror,
		Privacy: l.Display.Privacy, Muted: l.Sound.Mute, Seed: seed, CameraOff: !l.Source.Enabled}
}

// CameraEvent is the session's note of a change in the camera's state.
func CameraEvent(source string, st vision.CameraState) game.Event {
	if st.Live {
		return game.Event{Kind: game.KindCameraBack, Source: source, Outages: st.Outages, Back: st.Recoveries}
	}
	return game.Event{Kind: game.KindCameraLost, Source: source, Reason: st.Reason, Outages: st.Outages}
}

// DemoEvent is the session's note that the demo reel began (standIn) or
// stopped playing in the camera's place: the games follow it.
func DemoEvent(standIn bool) game.Event {
	if standIn {
		return game.Event{Kind: game.KindDemo, Mode: "on"}
	}
	return game.Event{Kind: game.KindDemo, Mode: "off"}
}

// BoothHost is what a session steers outside the rules: motion's
// calibration, the brightness (through the power controller, which writes
// the backlight on its own goroutine), the camera (through the switch,
// which turns it on its own goroutine) and quitting. Privacy is read back
// from the session by the screen, so it needs nothing here.
type BoothHost struct {
	Pipe   *vision.Pipeline
	Power  *power.Controller // nil: no brightness to set
	Switch *vision.Switch    // nil: no camera to turn off (the simulator)
	OnQuit func()
}

func (h *BoothHost) SetCamera(on bool, key string) {
	if h.Switch != nil {
		h.Switch.Set(on, "key "+key)
	}
}

func (h *BoothHost) Recalibrate() { h.Pipe.Recalibrate() }

func (h *BoothHost) SetPrivacy(string) {}

func (h *BoothHost) Brightness(delta float64) {
	if h.Power != nil {
		h.Power.Nudge(delta)
	}
}

func (h *BoothHost) Quit() {
	if h.OnQuit != nil {
		h.OnQuit()
	}
}
