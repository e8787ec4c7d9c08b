package screen

import (
	"github.com/carrierarcade/kiosk/game"
	"github.com/hajimehoshi/ebiten/v2"
)

// drawScene draws the scene the rules are in over the camera picture.
func (a *App) drawScene(dst *ebiten.Image, fit game.Fit, unit float64) {
	a.drawDetections(dst, fit, unit)
}
