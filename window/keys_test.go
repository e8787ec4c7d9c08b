//go:build cgo

package window

import (
	"testing"

	"github.com/carrierarcade/kiosk/game"
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/stretchr/testify/assert"
)

// The key names check-config knows (game.KeyNames, no graphics library
// linked) are exactly the ones the window's library takes.
func TestKeyNamesAgreeWithEbitengine(t *testing.T) {
	for _, name := range game.KeyNames() {
		var k ebiten.Key
		assert.NoError(t, k.UnmarshalText([]byte(name)), name)
	}
	for k := ebiten.Key(0); k <= ebiten.KeyMax; k++ {
		assert.True(t, game.IsKeyName(k.String()), "%s is missing from game.KeyNames", k)
	}
}
