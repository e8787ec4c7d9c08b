//go:build cgo

package window

import (
	"fmt"
	"log/slog"

	"github.com/hajimehoshi/ebiten/v2"
)

// SetupMode is 'kiosk setup': the camera picture with an UP arrow and what
// the detector finds, and keys that turn the camera (left and right arrows,
// F mirrors it) and the screen (up and down arrows) until the person in
// front stands upright and the words read. Enter keeps the result (Keep),
// Escape leaves without it. The fields hold the orientation chosen so far.
type SetupMode struct {
	CameraRotation int // degrees clockwise the camera's frames are turned
	Flip           bool
	ScreenRotation int // display.rotation
	// TurnCamera applies a new camera orientation to the frames from now
	// on; it must return at once.
	TurnCamera func(rotation int, flip bool)
	// Keep is set when the presenter pressed Enter.
	Keep bool

	done     bool
	keyboard bool // the window has had the keyboard (said once in the log)
}

// Press carries out one key, by Ebitengine's name: the arrows turn the
// camera (left, right) and the screen (up, down) a quarter turn, F mirrors
// the camera, Enter keeps, Escape leaves. It reports whether the key did
// anything.
func (s *SetupMode) Press(key string) bool {
	turned := false
	switch key {
	case "ArrowLeft":
		s.CameraRotation, turned = (s.CameraRotation+270)%360, true
	case "ArrowRight":
		s.CameraRotation, turned = (s.CameraRotation+90)%360, true
	case "F":
		s.Flip, turned = !s.Flip, true
	case "ArrowUp":
		s.ScreenRotation = (s.ScreenRotation + 90) % 360
	case "ArrowDown":
		s.ScreenRotation = (s.ScreenRotation + 270) % 360
	case "Enter", "NumpadEnter":
		s.Keep, s.done = true, true
	case "Escape":
		s.done = true
	default:
		return false
	}
	if turned && s.TurnCamera != nil {
		s.TurnCamera(s.CameraRotation, s.Flip)
	}
	return true
}

// Done is true once Enter or Escape ended the setup.
func (s *SetupMode) Done() bool { return s.done }

// setupDrawer is the setup helper on screen: its keys and its marks (an
// UP arrow, what each key does) over the picture.
type setupDrawer struct {
	mode     *SetupMode
	ts       *typeset
	log      *slog.Logger
	g        gfx
	up, help sign
}

// focus says once, in the log, when the window first has the keyboard:
// before that no key reaches the setup (a window manager may not give it
// the keyboard at once), and a key pressed in the moment the window
// appears can be lost, so the presenter (or a test pressing keys) waits
// for it.
func (d *setupDrawer) focus() {
	s := d.mode
	if s.keyboard || !ebiten.IsFocused() {
		return
	}
	s.keyboard = true
	d.log.Info("setup: the window has the keyboard")
}

// key hands a key to the setup and says whether it did anything; the
// window turns the screen as the setup says.
func (d *setupDrawer) key(k ebiten.Key) bool {
	s := d.mode
	if !s.Press(k.String()) {
		return false
	}
	d.log.Info("setup", "key", k.String(), "source.rotation", s.CameraRotation, "source.flip", s.Flip, "display.rotation", s.ScreenRotation)
	return true
}

// draw draws the setup's marks over the picture: an UP arrow at the top
// and what each key does, with the settings so far.
func (d *setupDrawer) draw(dst *ebiten.Image, unit float64) {
	s := d.mode
	g := &d.g
	g.begin(dst, d.ts.white)
	cw, ch := float32(dst.Bounds().Dx()), float32(dst.Bounds().Dy())
	u := float32(unit)
	// The arrow: where "up" is for the people in front.
	cx, top := cw/2, 3*u
	g.disc(cx, top+9*u, 11*u, colorShade)
	g.polygon(colorDemo, cx, top, cx-7*u, top+8*u, cx+7*u, top+8*u)
	g.rect(cx-2.5*u, top+8*u, 5*u, 6*u, colorDemo)
	d.up.set("UP", d.ts.fonts.Face(3*unit, false), styleLabel)
	w, _ := labelSize(&d.up)
	g.label(&d.up, float64(cx)-w/2, float64(top+14.5*u), colorInk, colorShade)

	flip := "off"
	if s.Flip {
		flip = "on"
	}
	words := fmt.Sprintf("Turn until the person in front stands upright and this reads.\n"+
		"Left / Right: turn the camera (now %d)   F: mirror it (now %s)\n"+
		"Up / Down: turn the screen (now %d)\n"+
		"Enter: keep   Esc: leave without keeping", s.CameraRotation, flip, s.ScreenRotation)
	d.help.set(words, d.ts.fonts.Face(2.4*unit, false), styleLabel)
	w, lh := labelSize(&d.help)
	g.label(&d.help, (float64(cw)-w)/2, float64(ch)-lh-2*unit, colorInk, colorShade)
}
