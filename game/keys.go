package game

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/carrierarcade/kiosk/internal/check"
)

// Command is something the presenter can ask for from the keyboard. Some
// steer the game rules (they become Actions); the others belong to the
// screen (overlays, privacy, brightness, sound, quitting).
type Command string

// The presenter's commands, named as in config.toml's [keys].
const (
	CmdHelp        Command = "help"
	CmdStart       Command = "start"
	CmdNextGame    Command = "next_game"
	CmdAttract     Command = "attract"
	CmdPause       Command = "pause"
	CmdPrivacy     Command = "privacy"
	CmdCamera      Command = "camera"
	CmdOverlay     Command = "overlay"
	CmdBrighter    Command = "brighter"
	CmdDimmer      Command = "dimmer"
	CmdMute        Command = "mute"
	CmdRecalibrate Command = "recalibrate"
	CmdResetBoard  Command = "reset_board"
	CmdQuit        Command = "quit"
	CmdConfirm     Command = "confirm"
	CmdBattle      Command = "battle"
)

// CmdChoose is the command that picks game n (1..9) of the rotation.
func CmdChoose(n int) Command { return Command(fmt.Sprintf("choose%d", n)) }

// Action is the rules' side of a command, if it has one.
func (c Command) Action() (Action, bool) {
	switch c {
	case CmdStart:
		return ActStart, true
	case CmdNextGame:
		return ActNextGame, true
	case CmdAttract:
		return ActAttract, true
	case CmdPause:
		return ActPause, true
	case CmdRecalibrate:
		return ActRecalibrate, true
	}
	var n int
	if _, err := fmt.Sscanf(string(c), "choose%d", &n); err == nil && n >= 1 && n <= 9 {
		return ActChoose1 + Action(n-1), true
	}
	return ActNone, false
}

// KeyConfig is the [keys] section: for each command, the keys that give
// it, by Ebitengine's key names ("Space", "F1", "Slash", "A", "Digit1",
// "Equal", "Minus"). Digit1..Digit9 always choose a game of the rotation.
type KeyConfig struct {
	Help     []string `toml:"help"`
	Start    []string `toml:"start"`
	NextGame []string `toml:"next_game"`
	Attract  []string `toml:"attract"`
	Pause    []string `toml:"pause"`
	Privacy  []string `toml:"privacy"`
	// Camera turns the camera off (the device closed, its light dark, the
	// demo reel playing) and on again.
	Camera      []string `toml:"camera"`
	Overlay     []string `toml:"overlay"`
	Brighter    []string `toml:"brighter"`
	Dimmer      []string `toml:"dimmer"`
	Mute        []string `toml:"mute"`
	Recalibrate []string `toml:"recalibrate"`
	ResetBoard  []string `toml:"reset_board"`
	Quit        []string `toml:"quit"`
	// Confirm answers yes to "reset today's leaderboard?" and "quit?".
	Confirm []string `toml:"confirm"`
	// Battle starts the upcoming game on every linked carrier at once.
	Battle []string `toml:"battle"`
	// QuitEnabled false makes a locked kiosk: no key quits it.
	QuitEnabled bool `toml:"quit_enabled"`
}

// DefaultKeyConfig is the presenter's keyboard out of the box.
func DefaultKeyConfig() KeyConfig {
	return KeyConfig{
		Help:        []string{"F1", "Slash"},
		Start:       []string{"Space", "Enter"},
		NextGame:    []string{"N"},
		Attract:     []string{"A"},
		Pause:       []string{"P"},
		Privacy:     []string{"V"},
		Camera:      []string{"K"},
		Overlay:     []string{"O"},
		Brighter:    []string{"Equal"},
		Dimmer:      []string{"Minus"},
		Mute:        []string{"M"},
		Recalibrate: []string{"C"},
		ResetBoard:  []string{"R"},
		Quit:        []string{"Escape"},
		Confirm:     []string{"Y"},
		Battle:      []string{"B"},
		QuitEnabled: true,
	}
}

// Binding is one key and the command it gives.
type Binding struct {
	Key     string
	Command Command
}

// Bindings lists every key and its command, in the order of the help
// overlay, the digits last.
func (c KeyConfig) Bindings() []Binding {
	var bs []Binding
	v := reflect.ValueOf(c)
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		keys, ok := v.Field(i).Interface().([]string)
		if !ok {
			continue
		}
		cmd := Command(strings.Split(t.Field(i).Tag.Get("toml"), ",")[0])
		if cmd == CmdQuit && !c.QuitEnabled {
			continue
		}
		for _, k := range keys {
			bs = append(bs, Binding{Key: k, Command: cmd})
		}
	}
	for n := 1; n <= 9; n++ {
		bs = append(bs, Binding{Key: fmt.Sprintf("Digit%d", n), Command: CmdChoose(n)})
	}
	return bs
}

// Lookup is the command a key name gives ("" if none); names compare
// without regard to case.
func (c KeyConfig) Lookup(key string) Command {
	for _, b := range c.Bindings() {
		if strings.EqualFold(b.Key, key) {
			return b.Command
		}
	}
	return ""
}

// Validate reports names that are not keys and keys bound twice, keyed
// relative to [keys].
func (c KeyConfig) Validate() check.Problems {
	var ps check.Problems
	seen := map[string]Command{}
	for _, b := range c.Bindings() {
		if !IsKeyName(b.Key) {
			ps.Addf(string(b.Command), "%q is not a key name (for example \"Space\", \"F1\", \"A\", \"Digit1\", \"Equal\", \"ArrowUp\")", b.Key)
			continue
		}
		k := strings.ToLower(b.Key)
		if prev, ok := seen[k]; ok && prev != b.Command {
			ps.Addf(string(b.Command), "key %q is already bound to %s", b.Key, prev)
			continue
		}
		seen[k] = b.Command
	}
	return ps
}
