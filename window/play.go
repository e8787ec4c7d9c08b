//go:build cgo

package window

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"

	"github.com/carrierarcade/kiosk/game"
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/audio"
)

// binding is one key of the presenter's keyboard and its command.
type binding struct {
	key     ebiten.Key
	name    string
	command game.Command
}

// keyBindings turns the [keys] configuration into Ebitengine keys; a name
// Ebitengine does not know is an error naming the config key.
func keyBindings(cfg game.KeyConfig) ([]binding, error) {
	var out []binding
	var bad []string
	for _, b := range cfg.Bindings() {
		var k ebiten.Key
		if err := k.UnmarshalText([]byte(b.Key)); err != nil {
			bad = append(bad, fmt.Sprintf("keys.%s: %q is not a key name (for example \"Space\", \"F1\", \"A\", \"Digit1\", \"Equal\")", b.Command, b.Key))
			continue
		}
		out = append(out, binding{key: k, name: b.Key, command: b.Command})
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(bad, "\n"))
	}
	return out, nil
}

// hear keeps what the effects need of the session's events: the moments
// the rules report but do not keep (a find, a lost life, a star caught),
// at the game time they happened, which the animation clock follows.
func (s *scenes) hear(e game.Event) {
	now := e.At.Seconds()
	art := &s.art
	switch e.Kind {
	case game.KindCountdown, game.KindRoundStart:
		art.reset()
	case game.KindFind:
		art.findAt, art.found, art.findGain = now, e.Item, e.Points
	case game.KindHit:
		art.hitAt = now
	case game.KindCatch:
		art.gainAt, art.gain = now, e.Points
	}
}

// sampleRate of the kiosk's sounds.
const sampleRate = 48000

// Sounds plays the game's sounds: each synthesised once at start-up into a
// player that is rewound and played again on each event.
type Sounds struct {
	cfg     game.SoundConfig
	players map[string]*audio.Player
	log     *slog.Logger
}

// NewSounds prepares every sound. Without a playback device the kiosk
// stays silent and says so once in the log: Ebitengine would otherwise stop
// the whole game with an audio error.
func NewSounds(cfg game.SoundConfig, log *slog.Logger) *Sounds {
	s := &Sounds{cfg: cfg, players: map[string]*audio.Player{}, log: log}
	if devs, _ := filepath.Glob("/dev/snd/pcmC*D*p"); len(devs) == 0 {
		log.Warn("no sound card found (/dev/snd has no playback device): the kiosk plays silently")
		return s
	}
	ctx := audio.CurrentContext()
	if ctx == nil {
		ctx = audio.NewContext(sampleRate)
	}
	for _, name := range game.SoundNames() {
		p := ctx.NewPlayerFromBytes(game.Synth(name, sampleRate))
		p.SetVolume(cfg.Volume)
		s.players[name] = p
	}
	return s
}

// Play plays the sound an event calls for, unless muted; the presenter's
// mute key arrives as an event too.
func (s *Sounds) Play(e game.Event) {
	if e.Kind == game.KindMute {
		s.cfg.Mute = e.Muted
		return
	}
	name, ok := game.SoundFor(e)
	if !ok || s.cfg.Mute {
		return
	}
	p := s.players[name]
	if p == nil {
		return
	}
	if err := p.Rewind(); err != nil {
		return
	}
	p.Play()
}

// Muted is true while the sound is off.
func (s *Sounds) Muted() bool { return s.cfg.Mute }
