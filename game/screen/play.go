package screen

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/audio"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
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

// readCommands appends this tick's presenter commands to dst[:0]: input
// is read once per tick and turned into intent.
func readCommands(dst []game.Command, keys []binding, log *slog.Logger) []game.Command {
	dst = dst[:0]
	for _, b := range keys {
		if inpututil.IsKeyJustPressed(b.key) {
			log.Debug("key", "key", b.name, "command", string(b.command))
			dst = append(dst, b.command)
		}
	}
	return dst
}

// confirmWindow is how long a question waits for the confirm key.
const confirmWindow = 5 * time.Second

// command carries out one presenter command; rule actions go to actions.
func (a *App) command(c game.Command) {
	if act, ok := c.Action(); ok {
		a.actions = append(a.actions, act)
	}
	switch c {
	case game.CmdHelp:
		a.help = !a.help
	case game.CmdOverlay:
		a.overlay = !a.overlay
	case game.CmdPrivacy:
		a.privacy = game.NextPrivacy(a.privacy)
		a.deps.Log.Info("privacy mode", "mode", a.privacy)
	case game.CmdMute:
		if a.deps.Sounds != nil {
			a.deps.Log.Info("sound", "muted", a.deps.Sounds.ToggleMute())
		}
	case game.CmdBrighter, game.CmdDimmer:
		if a.deps.Power != nil {
			step := 10.0
			if c == game.CmdDimmer {
				step = -step
			}
			a.deps.Power.Nudge(step)
		}
	case game.CmdRecalibrate:
		a.deps.Pipeline.Recalibrate()
		a.deps.Log.Info("motion re-calibrating")
	case game.CmdPause:
		a.deps.Log.Info("pause pressed")
	case game.CmdResetBoard, game.CmdQuit:
		a.asking, a.askUntil = c, a.tick+uint64(confirmWindow.Seconds()*float64(a.cfg.TPS))
	case game.CmdConfirm:
		a.confirm()
	}
}

// confirm carries out the question on screen, if it is still open.
func (a *App) confirm() {
	asked := a.asking
	a.asking = ""
	if a.tick > a.askUntil {
		return
	}
	switch asked {
	case game.CmdResetBoard:
		if a.deps.Board != nil {
			a.deps.Board.ResetDay(today())
			a.deps.Log.Info("today's leaderboard reset by the presenter")
		}
	case game.CmdQuit:
		a.deps.Log.Info("quit by the presenter")
		a.quit = true
	}
}

// question is the confirmation asked on screen, "" when none.
func (a *App) question() string {
	if a.asking == "" || a.tick > a.askUntil {
		return ""
	}
	yes := strings.Join(a.deps.Keys.Confirm, " or ")
	if a.asking == game.CmdQuit {
		return "Quit the kiosk? Press " + yes
	}
	return "Reset today's leaderboard? Press " + yes
}

// play advances the game rules by one tick, with the presenter's
// commands when keys says this tick reads them.
func (a *App) play(keys bool) {
	a.commands = a.commands[:0]
	if keys {
		a.commands = readCommands(a.commands, a.keys, a.deps.Log)
	}
	a.actions = a.actions[:0]
	for _, c := range a.commands {
		a.command(c)
	}
	if a.deps.Games == nil {
		return
	}
	if a.tick%uint64(a.cfg.TPS) == 1 || a.day == "" {
		a.day = today() // once a second, not a string per tick
	}
	a.input = game.Input{Tick: a.tick, Dt: time.Second / time.Duration(a.cfg.TPS), Obs: &a.obs,
		Actions: a.actions, Rand: a.rng, Day: a.day}
	a.deps.Games.Update(&a.input, a.event)
}

// event hears what the rules report: sounds for the attendee, log lines
// for the presenter.
func (a *App) event(e game.Event) {
	if a.deps.Sounds != nil {
		a.deps.Sounds.Play(e)
	}
	log := a.deps.Log
	switch e.Type {
	case "round_start":
		a.roundStart = a.tick
		log.Info("round started", "game", e.Fields["game"])
	case "round_end":
		secs := float64(a.tick-a.roundStart) / float64(a.cfg.TPS)
		log.Info("game played", "game", e.Fields["game"], "score", e.Fields["score"], "seconds", int(secs))
	case "idle":
		log.Info("nobody in view: the round ends early", "scene", e.Fields["scene"])
	case "scene_failed":
		log.Error("a scene failed and the kiosk went back to attract mode",
			"scene", e.Fields["scene"], "error", e.Fields["error"], "stack", e.Fields["stack"])
	case "game_disabled":
		log.Warn("game taken out of the rotation for today", "game", e.Fields["game"], "reason", e.Fields["reason"])
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

// Muted is true while the sound is off.
func (s *Sounds) Muted() bool { return s.cfg.Mute }

// today is the leaderboard's day, read here at the edge so the rules never
// read the clock.
func today() string { return time.Now().Format("2006-01-02") }
