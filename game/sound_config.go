package game

import "github.com/carrierarcade/kiosk/internal/check"

// SoundConfig is the [sound] section: the kiosk's beeps, chimes and pops.
type SoundConfig struct {
	Mute bool `toml:"mute"`
	// Volume of every sound, 0..1.
	Volume float64 `toml:"volume"`
}

// DefaultSoundConfig is sound on, loud enough for a hall but not shrill.
func DefaultSoundConfig() SoundConfig { return SoundConfig{Volume: 0.7} }

// Validate reports every bad value, keyed relative to [sound].
func (c SoundConfig) Validate() check.Problems {
	var ps check.Problems
	ps.Range("volume", c.Volume, 0, 1)
	return ps
}
