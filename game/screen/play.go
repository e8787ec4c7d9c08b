package screen

import (
	"log/slog"
	"path/filepath"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/audio"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
)

// keyActions is the presenter's keyboard: read once per tick and turned
// into actions for the game rules.
var keyActions = []struct {
	key    ebiten.Key
	action game.Action
}{
	{ebiten.KeySpace, game.ActStart},
	{ebiten.KeyEnter, game.ActStart},
	{ebiten.KeyN, game.ActNextGame},
	{ebiten.KeyA, game.ActAttract},
	{ebiten.KeyP, game.ActPause},
	{ebiten.KeyC, game.ActRecalibrate},
	{ebiten.Key1, game.ActChoose1}, {ebiten.Key2, game.ActChoose2}, {ebiten.Key3, game.ActChoose3},
	{ebiten.Key4, game.ActChoose4}, {ebiten.Key5, game.ActChoose5}, {ebiten.Key6, game.ActChoose6},
	{ebiten.Key7, game.ActChoose7}, {ebiten.Key8, game.ActChoose8}, {ebiten.Key9, game.ActChoose9},
}

// readActions appends this tick's presenter actions to dst[:0].
func readActions(dst []game.Action, log *slog.Logger) []game.Action {
	dst = dst[:0]
	for _, ka := range keyActions {
		if inpututil.IsKeyJustPressed(ka.key) {
			log.Debug("key", "key", ka.key.String(), "action", int(ka.action))
			dst = append(dst, ka.action)
		}
	}
	return dst
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

// Play plays the sound an event calls for, unless muted.
func (s *Sounds) Play(e game.Event) {
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

// ToggleMute flips the mute setting and returns the new state.
func (s *Sounds) ToggleMute() bool {
	s.cfg.Mute = !s.cfg.Mute
	return s.cfg.Mute
}

// today is the leaderboard's day, read here at the edge so the rules never
// read the clock.
func today() string { return time.Now().Format("2006-01-02") }
