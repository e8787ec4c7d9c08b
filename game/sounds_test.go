package game_test

import (
	"encoding/binary"
	"testing"

	"github.com/carrierarcade/kiosk/game"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSynth(t *testing.T) {
	for _, rate := range []int{44100, 48000} {
		for _, name := range game.SoundNames() {
			pcm := game.Synth(name, rate)
			require.NotEmpty(t, pcm, name)
			require.Zero(t, len(pcm)%4, "%s: whole 16-bit stereo frames", name)
			sample := func(i int) int { return int(int16(binary.LittleEndian.Uint16(pcm[2*i:]))) }
			n := len(pcm) / 2
			abs := func(v int) int { return max(v, -v) }
			assert.Less(t, abs(sample(0)), 300, "%s starts near zero", name)
			assert.Less(t, abs(sample(n-1)), 300, "%s ends near zero", name)
			peak := 0
			for i := range n {
				peak = max(peak, abs(sample(i)))
			}
			assert.Less(t, peak, 32000, "%s stays below clipping", name)
			assert.Greater(t, peak, 5000, "%s is audible", name)
			for i := 0; i < n; i += 2 {
				require.Equal(t, sample(i), sample(i+1), "%s: both channels alike", name)
			}
		}
	}
	assert.Nil(t, game.Synth("kazoo", 48000))
	assert.Nil(t, game.Synth("beep", 0))
}

func TestSoundFor(t *testing.T) {
	for _, tc := range []struct {
		e     game.Event
		sound string
	}{
		{game.Event{Kind: "countdown"}, "beep"},
		{game.Event{Kind: "round_start"}, "go"},
		{game.Event{Kind: "find"}, "chime"},
		{game.Event{Kind: "pop"}, "pop"},
		{game.Event{Kind: "light", Color: "red"}, "alarm"},
		{game.Event{Kind: "light", Color: "green"}, "go"},
		{game.Event{Kind: "moved"}, "hit"},
		{game.Event{Kind: "hit"}, "hit"},
		{game.Event{Kind: "catch"}, "catch"},
		{game.Event{Kind: "round_end"}, "fanfare"},
		{game.Event{Kind: "prompt"}, ""},
	} {
		got, ok := game.SoundFor(tc.e)
		assert.Equal(t, tc.sound, got, tc.e.Kind)
		assert.Equal(t, tc.sound != "", ok)
		if ok {
			assert.Contains(t, game.SoundNames(), got)
		}
	}
}
