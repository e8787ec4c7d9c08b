// Package game is what the attendee plays: configuration, layout maths and
// game rules, all free of the window so they run headless in tests and
// simulations. Package window draws them.
package game

import (
	"strconv"
	"strings"

	"github.com/carrierarcade/kiosk/internal/check"
)

// DisplayConfig is the [display] section.
type DisplayConfig struct {
	Fullscreen bool `toml:"fullscreen"`
	// Width and Height size the window when not fullscreen.
	Width  int `toml:"width"`
	Height int `toml:"height"`
	// Rotation turns the whole picture, in degrees clockwise, for a screen
	// mounted sideways or upside down.
	Rotation int `toml:"rotation"`
	// Mirror shows the camera like a mirror (a selfie view).
	Mirror bool `toml:"mirror"`
	// Overlay starts with the statistics overlay shown.
	Overlay bool `toml:"overlay"`
	// TPS is the fixed logic rate; games run at the same speed whatever
	// the frame budget draws.
	TPS int `toml:"tps"`
	// Privacy is how people are shown at start (see PrivacyModes); the
	// privacy key cycles through the modes.
	Privacy string `toml:"privacy"`
	// Monitor is the monitor the kiosk goes fullscreen on: "" the primary,
	// a name as the system lists it ("HDMI-1"), or an index into that list
	// ("0" is the primary). See PickMonitor.
	Monitor string `toml:"monitor"`
}

// PrivacyModes are the ways the camera picture can be shown: the live
// picture, pixelated, silhouettes (people and moving areas as flat shapes on
// a drawn background), or no picture at all (only markers where people are).
// In every mode no frame is ever written to disk or sent anywhere.
var PrivacyModes = []string{"live", "pixelated", "silhouette", "none"}

// NextPrivacy is the mode after mode in the cycle.
func NextPrivacy(mode string) string {
	for i, m := range PrivacyModes {
		if m == mode {
			return PrivacyModes[(i+1)%len(PrivacyModes)]
		}
	}
	return PrivacyModes[0]
}

// DefaultDisplayConfig is a fullscreen, mirrored, upright kiosk.
func DefaultDisplayConfig() DisplayConfig {
	return DisplayConfig{Fullscreen: true, Width: 1280, Height: 800, Mirror: true, TPS: 60, Privacy: "live"}
}

// Validate reports every bad value, keyed relative to [display].
func (c DisplayConfig) Validate() check.Problems {
	var ps check.Problems
	ps.Range("width", float64(c.Width), 320, 7680)
	ps.Range("height", float64(c.Height), 240, 4320)
	switch c.Rotation {
	case 0, 90, 180, 270:
	default:
		ps.Addf("rotation", "is %d, allowed 0, 90, 180 or 270", c.Rotation)
	}
	ps.Range("tps", float64(c.TPS), 30, 240)
	ps.OneOf("privacy", c.Privacy, PrivacyModes...)
	if m := c.Monitor; m != strings.TrimSpace(m) || len(m) > 64 || strings.ContainsFunc(m, func(r rune) bool { return r < ' ' }) {
		ps.Addf("monitor", "is %q: a monitor's name as 'kiosk run --list-monitors' prints it, its index there, or \"\" for the primary", m)
	} else if n, err := strconv.Atoi(m); err == nil && (n < 0 || n > maxMonitorIndex) {
		ps.Addf("monitor", "is %d: an index from 'kiosk run --list-monitors' (0 is the primary)", n)
	}
	return ps
}

// maxMonitorIndex is the highest index display.monitor may give.
const maxMonitorIndex = 15

// PickMonitor is which of the monitors, named as the system lists them
// (the primary first), display.monitor asks for: want "" is the primary;
// a number is an index into names; anything else a name, matched exactly
// or else without regard to case. ok is false when no monitor fits: the
// kiosk then goes on the primary and says so.
func PickMonitor(want string, names []string) (i int, ok bool) {
	if want == "" {
		return 0, len(names) > 0
	}
	if n, err := strconv.Atoi(want); err == nil {
		return n, n >= 0 && n < len(names)
	}
	for i, name := range names {
		if name == want {
			return i, true
		}
	}
	for i, name := range names {
		if strings.EqualFold(name, want) {
			return i, true
		}
	}
	return 0, false
}
