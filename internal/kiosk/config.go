package kiosk

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/internal/check"
	"github.com/carrierarcade/kiosk/link"
	"github.com/carrierarcade/kiosk/model"
	"github.com/carrierarcade/kiosk/power"
	"github.com/carrierarcade/kiosk/vision"
)

// Config is config.toml: one section per package, each with its own
// defaults and validation.
type Config struct {
	Display  game.DisplayConfig    `toml:"display"`
	Source   vision.SourceConfig   `toml:"source"`
	Watchdog vision.WatchdogConfig `toml:"watchdog"`
	Model    model.Config          `toml:"model"`
	Budget   vision.Budget         `toml:"budget"`
	Motion   vision.MotionConfig   `toml:"motion"`
	Game     game.Config           `toml:"game"`
	Sound    game.SoundConfig      `toml:"sound"`
	Keys     game.KeyConfig        `toml:"keys"`
	Power    power.Config          `toml:"power"`
	Link     link.Config           `toml:"link"`
	Hub      link.HubConfig        `toml:"hub"`
	Log      LogConfig             `toml:"log"`
}

// LogConfig is the [log] section.
type LogConfig struct {
	Level  string `toml:"level"`  // debug, info, warn, error
	Format string `toml:"format"` // text or json
}

func defaultConfig() Config {
	return Config{
		Display:  game.DefaultDisplayConfig(),
		Source:   vision.DefaultSourceConfig(),
		Watchdog: vision.DefaultWatchdogConfig(),
		Model:    model.DefaultConfig(),
		Budget:   vision.DefaultBudget(),
		Motion:   vision.DefaultMotionConfig(),
		Game:     game.DefaultConfig(),
		Sound:    game.DefaultSoundConfig(),
		Keys:     game.DefaultKeyConfig(),
		Power:    power.DefaultConfig(),
		Link:     link.DefaultConfig(),
		Hub:      link.DefaultHubConfig(),
		Log:      LogConfig{Level: "info", Format: "text"},
	}
}

// Loaded is a configuration and where its relative paths start.
type Loaded struct {
	Config
	Path string // the file read, "" for built-in defaults
	Base string // folder relative paths are taken from
}

// resolve makes a config path absolute against the config file's folder.
func (l Loaded) Resolve(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(l.Base, p)
}

// errConfig marks a configuration the user must fix (exit status 2).
var errConfig = errors.New("configuration")

// loadConfig reads path over the defaults, strictly (an unknown key is an
// error naming its line), applies --set overrides, then validates
// everything and reports every problem at once.
func loadConfig(path string, sets []string) (Loaded, error) {
	l := Loaded{Config: defaultConfig()}
	wd, _ := os.Getwd()
	l.Base = wd
	var lines map[string]int
	if path != "" {
		data, err := readConfigFile(path)
		if err != nil {
			return l, fmt.Errorf("%w: %v", errConfig, err)
		}
		if n, depth := deepestLine(data); depth > maxConfigDepth {
			return l, fmt.Errorf("%w: %s line %d: values nested %d deep; no key of the configuration nests deeper than %d (check the brackets)",
				errConfig, path, n, depth, maxConfigDepth)
		}
		abs, _ := filepath.Abs(path)
		l.Path, l.Base = path, filepath.Dir(abs)
		lines = keyLines(data)
		md, err := toml.Decode(string(data), &l.Config)
		if err != nil {
			return l, fmt.Errorf("%w: %s: %s", errConfig, path, tomlError(err))
		}
		if extra := md.Undecoded(); len(extra) > 0 {
			var ps []string
			for _, k := range extra {
				if len(ps) == maxProblems {
					ps = append(ps, fmt.Sprintf("... and %d more", len(extra)-maxProblems))
					break
				}
				ps = append(ps, fmt.Sprintf("%s line %d: unknown key %q (check its spelling against config.toml's comments)", path, lines[k.String()], k.String()))
			}
			return l, fmt.Errorf("%w: %s", errConfig, strings.Join(ps, "\n"))
		}
	}
	fromSet := map[string]bool{}
	for _, s := range sets {
		key, err := applySet(&l.Config, s)
		if err != nil {
			return l, fmt.Errorf("%w: %v", errConfig, err)
		}
		fromSet[key] = true
	}
	if ps := l.validate(); len(ps) > 0 {
		var msgs []string
		for i, p := range ps {
			if i == maxProblems {
				msgs = append(msgs, fmt.Sprintf("... and %d more", len(ps)-maxProblems))
				break
			}
			where := ""
			n, ok := lines[p.Key]
			if !ok {
				n, ok = lines[strings.SplitN(p.Key, "[", 2)[0]]
			}
			switch {
			case fromSet[p.Key] || fromSet[strings.SplitN(p.Key, "[", 2)[0]]:
				where = " (from --set)"
			case ok && l.Path != "":
				where = fmt.Sprintf(" (%s line %d)", l.Path, n)
			}
			msgs = append(msgs, p.Error()+where)
		}
		return l, fmt.Errorf("%w: %d problem(s):\n  %s", errConfig, len(ps), strings.Join(msgs, "\n  "))
	}
	return l, nil
}

// validate gathers every section's problems under its own keys.
func (c Config) validate() check.Problems {
	var ps check.Problems
	ps = append(ps, c.Display.Validate().Under("display")...)
	ps = append(ps, validateSource(c.Source).Under("source")...)
	ps = append(ps, c.Watchdog.Validate().Under("watchdog")...)
	ps = append(ps, c.Model.Validate().Under("model")...)
	ps = append(ps, c.Budget.Validate().Under("budget")...)
	ps = append(ps, c.Motion.Validate().Under("motion")...)
	ps = append(ps, c.Game.Validate().Under("game")...)
	ps = append(ps, c.Sound.Validate().Under("sound")...)
	ps = append(ps, c.Keys.Validate().Under("keys")...)
	ps = append(ps, c.Power.Validate().Under("power")...)
	ps = append(ps, c.Link.Validate().Under("link")...)
	ps = append(ps, c.Hub.Validate().Under("hub")...)
	var lp check.Problems
	lp.OneOf("level", c.Log.Level, "debug", "info", "warn", "error")
	lp.OneOf("format", c.Log.Format, "text", "json")
	return append(ps, lp.Under("log")...)
}

func validateSource(c vision.SourceConfig) check.Problems {
	var ps check.Problems
	if _, err := vision.ParseSpec(c.Spec); err != nil {
		ps.Addf("spec", "%v", err)
	}
	if sp, err := vision.ParseSpec(c.Demo); err != nil {
		ps.Addf("demo", "%v", err)
	} else if sp.Kind != "file" {
		ps.Addf("demo", "must be a clip (file:PATH), not %q", c.Demo)
	}
	ps.Range("width", float64(c.Width), 160, 3840)
	ps.Range("height", float64(c.Height), 120, 2160)
	ps.Range("fps", c.FPS, 1, 120)
	if err := c.Orientation().Valid(); err != nil {
		ps.Addf("rotation", "%v", err)
	}
	return ps
}

// applySet applies one --set key=value, the value in TOML syntax, by
// decoding a one-key document over the configuration. It returns the key.
func applySet(c *Config, s string) (string, error) {
	key, value, ok := strings.Cut(s, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" || strings.TrimSpace(value) == "" {
		return key, fmt.Errorf("--set %q: want key=value, for example --set display.rotation=270 or --set 'model.objects.classes=[\"cup\"]'", s)
	}
	// One value: a newline would let the rest of the text set other keys
	// (or open a table) behind the check's back.
	if strings.ContainsAny(s, "\n\r") {
		return key, fmt.Errorf("--set %q: one key and one value on one line; give each key its own --set", s)
	}
	doc := key + " = " + value
	if i := strings.LastIndex(key, "."); i >= 0 {
		doc = "[" + key[:i] + "]\n" + key[i+1:] + " = " + value
	}
	md, err := toml.Decode(doc, c)
	if err != nil {
		msg := tomlError(err)
		if _, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(msg, "line ") {
			msg = rest // the line of our one-key document means nothing to the user
		}
		return key, fmt.Errorf("--set %s: %s (values use TOML syntax: strings in quotes, lists in [])", key, msg)
	}
	if extra := md.Undecoded(); len(extra) > 0 {
		return key, fmt.Errorf("--set %s: unknown key %q", key, extra[0].String())
	}
	return key, nil
}

// tomlError shortens the decoder's error to its one useful line.
// Bounds on a configuration file, checked before decoding: config.toml is
// a few kB and nests two deep; a file far beyond that is a mistake (or an
// attack), and decoding it could take minutes and gigabytes.
const (
	maxConfigBytes = 1 << 20
	maxConfigDepth = 4
	// maxProblems is how many problems are listed before "... and N more".
	maxProblems = 50
)

// readConfigFile reads a regular file of at most maxConfigBytes.
func readConfigFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %v", path, err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a file (give --config a config.toml)", path)
	}
	if info.Size() > maxConfigBytes {
		return nil, fmt.Errorf("%s is %d bytes; a configuration is a few kB (at most %d): is it the right file?", path, info.Size(), maxConfigBytes)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %v", path, err)
	}
	return data, nil
}

// deepestLine is how deep inline tables and arrays nest in data, and the
// line where they are deepest, outside strings and comments.
func deepestLine(data []byte) (line, depth int) {
	n, d := 1, 0
	var quote byte
	comment := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '\n':
			n, comment = n+1, false
			if quote != 0 && !multiline(data, i) {
				quote = 0 // an unclosed string ends with its line
			}
		case comment:
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#':
			comment = true
		case c == '[' || c == '{':
			if d++; d > depth {
				line, depth = n, d
			}
		case c == ']' || c == '}':
			d = max(d-1, 0)
		}
	}
	return line, depth
}

// multiline is a rough guard: TOML's triple-quoted strings may span lines.
func multiline(data []byte, i int) bool {
	start := bytes.LastIndexByte(data[:i], '\n') + 1
	return bytes.Contains(data[start:i], []byte(`"""`)) || bytes.Contains(data[start:i], []byte(`'''`))
}

func tomlError(err error) string {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("line %d: %s", pe.Position.Line, pe.Message)
	}
	return strings.TrimPrefix(err.Error(), "toml: ")
}

// keyLines maps each dotted key to the line that sets it. It follows table
// headers and plain assignments, which is all config.toml uses; a key it
// cannot place simply gets no line number.
func keyLines(data []byte) map[string]int {
	lines := map[string]int{}
	table := ""
	counts := map[string]int{} // array-of-tables seen, for [[power.levels]]
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#':
		case strings.HasPrefix(line, "[["):
			name := strings.TrimSpace(strings.Trim(strings.SplitN(line, "#", 2)[0], "[] "))
			table = fmt.Sprintf("%s[%d]", name, counts[name])
			counts[name]++
			lines[name] = n
		case line[0] == '[':
			table = strings.TrimSpace(strings.Trim(strings.SplitN(line, "#", 2)[0], "[] "))
			lines[table] = n
		default:
			k, _, ok := strings.Cut(line, "=")
			if !ok {
				continue
			}
			k = strings.Trim(strings.TrimSpace(k), `"`)
			full := k
			if table != "" {
				full = table + "." + k
			}
			lines[full] = n
			// Undecoded keys inside arrays of tables come without index.
			if i := strings.Index(table, "["); i >= 0 {
				if _, seen := lines[table[:i]+"."+k]; !seen {
					lines[table[:i]+"."+k] = n
				}
			}
		}
	}
	return lines
}
