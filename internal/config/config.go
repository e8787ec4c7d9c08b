package config

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/carrierarcade/kiosk/budget"
	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/health"
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
	Budget   budget.Config         `toml:"budget"`
	Motion   vision.MotionConfig   `toml:"motion"`
	Game     game.Config           `toml:"game"`
	Sound    game.SoundConfig      `toml:"sound"`
	Keys     game.KeyConfig        `toml:"keys"`
	Power    power.Config          `toml:"power"`
	Link     link.Config           `toml:"link"`
	Hub      link.HubConfig        `toml:"hub"`
	HTTP     health.Config         `toml:"http"`
	Log      LogConfig             `toml:"log"`
}

// LogConfig is the [log] section.
type LogConfig struct {
	Level  string `toml:"level"`  // debug, info, warn, error
	Format string `toml:"format"` // text or json
}

// NewLogger builds the process logger from [log].
func NewLogger(cfg LogConfig, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Level)) // validated already
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// Default is every section with its defaults: config.toml without a line.
func Default() Config {
	return Config{
		Display:  game.DefaultDisplayConfig(),
		Source:   vision.DefaultSourceConfig(),
		Watchdog: vision.DefaultWatchdogConfig(),
		Model:    model.DefaultConfig(),
		Budget:   budget.Default(),
		Motion:   vision.DefaultMotionConfig(),
		Game:     game.DefaultConfig(),
		Sound:    game.DefaultSoundConfig(),
		Keys:     game.DefaultKeyConfig(),
		Power:    power.DefaultConfig(),
		Link:     link.DefaultConfig(),
		Hub:      link.DefaultHubConfig(),
		HTTP:     health.DefaultConfig(),
		Log:      LogConfig{Level: "info", Format: "text"},
	}
}

// Loaded is a configuration and where its relative paths start.
type Loaded struct {
	Config
	Path string // the file read, "" for built-in defaults
	Base string // folder relative paths are taken from
	// lines and fromSet say where each key was set, for messages about
	// it found after loading (a model file, a clip).
	lines   map[string]int
	fromSet map[string]bool
}

// resolve makes a config path absolute against the config file's folder.
func (l Loaded) Resolve(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(l.Base, p)
}

// ErrConfig marks a configuration the user must fix (exit status 2).
var ErrConfig = errors.New("configuration")

// Load reads path over the defaults, strictly (an unknown key or a
// value of the wrong kind is an error naming its key and line), applies
// --set overrides, then validates everything and reports every problem at
// once.
func Load(path string, sets []string) (Loaded, error) {
	if path == "" {
		return decode("", nil, sets)
	}
	data, err := readConfigFile(path)
	if err != nil {
		return Loaded{Config: Default()}, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	return decode(path, data, sets)
}

// decode is Load once the file is read (data from path; no
// file when path is ""): no file system, so the fuzz test can drive it.
func decode(path string, data []byte, sets []string) (Loaded, error) {
	l := Loaded{Config: Default()}
	wd, _ := os.Getwd()
	l.Base = wd
	var lines map[string]int
	if path != "" {
		if n, depth := deepestLine(data); depth > maxConfigDepth {
			return l, fmt.Errorf("%w: %s line %d: values nested %d deep; no key of the configuration nests deeper than %d (check the brackets)",
				ErrConfig, path, n, depth, maxConfigDepth)
		}
		abs, _ := filepath.Abs(path)
		l.Path, l.Base = path, filepath.Dir(abs)
		lines = keyLines(data)
		if err := decodeChecked(string(data), &l.Config); err != nil {
			var ps shapeProblems
			if !errors.As(err, &ps) {
				return l, fmt.Errorf("%w: %s: %v", ErrConfig, path, err)
			}
			// In the file's order: problems come back table by table.
			slices.SortStableFunc(ps, func(a, b check.Problem) int {
				na, oka := lineOf(lines, a.Key)
				nb, okb := lineOf(lines, b.Key)
				if !oka {
					na = math.MaxInt
				}
				if !okb {
					nb = math.MaxInt
				}
				return cmp.Compare(na, nb)
			})
			return l, fmt.Errorf("%w: %s", ErrConfig, listProblems(check.Problems(ps), func(p check.Problem) string {
				if n, ok := lineOf(lines, p.Key); ok {
					return fmt.Sprintf(" (%s line %d)", path, n)
				}
				return " (" + path + ")"
			}))
		}
	}
	l.lines, l.fromSet = lines, map[string]bool{}
	for _, s := range sets {
		key, err := applySet(&l.Config, s)
		if err != nil {
			return l, fmt.Errorf("%w: %v", ErrConfig, err)
		}
		l.fromSet[key] = true
	}
	return l, l.ProblemsErr(l.validate())
}

// decodeChecked decodes a TOML document over c after checking its shape:
// a syntax error comes back as an error naming its line, wrong keys and
// values as check.Problems.
func decodeChecked(doc string, c *Config) error {
	var raw map[string]any
	if _, err := toml.Decode(doc, &raw); err != nil {
		return errors.New(tomlError(err))
	}
	var ps check.Problems
	checkShape(raw, reflect.TypeOf(*c), reflect.ValueOf(Default()), "", &ps)
	if len(ps) > 0 {
		return shapeProblems(ps)
	}
	md, err := toml.Decode(doc, c)
	if err != nil {
		// The shape check lets nothing through that the decoder refuses;
		// should it ever, its words are Go's, so say only where.
		return fmt.Errorf("%s: this value cannot be read; compare it with config.toml's comments", decoderWhere(err))
	}
	if extra := md.Undecoded(); len(extra) > 0 {
		return shapeProblems{{Key: extra[0].String(), Msg: "unknown key (check its spelling against config.toml's comments)"}}
	}
	return nil
}

// shapeProblems are keys and values that do not fit the configuration.
type shapeProblems check.Problems

func (ps shapeProblems) Error() string { return check.Problems(ps).Err().Error() }

// decoderWhere is the line or key a decoder error is at.
func decoderWhere(err error) string {
	var pe toml.ParseError
	if errors.As(err, &pe) && pe.Position.Line > 0 {
		return fmt.Sprintf("line %d", pe.Position.Line)
	}
	if _, rest, ok := strings.Cut(err.Error(), "last key "); ok {
		if k, _, ok := strings.Cut(rest, ")"); ok {
			return "key " + k
		}
	}
	return "a value"
}

// setBy reports whether --set gave key (or the list it is an item of).
func setBy(fromSet map[string]bool, key string) bool {
	for k := key; k != ""; k = parentKey(k) {
		if fromSet[k] {
			return true
		}
	}
	return false
}

// lineOf is the line that sets key, else the nearest line that sets the
// table or list holding it (an inline table, a list item), if any.
func lineOf(lines map[string]int, key string) (int, bool) {
	for k := key; k != ""; k = parentKey(k) {
		if n, ok := lines[k]; ok && n > 0 {
			return n, true
		}
		if i := strings.IndexByte(k, '['); i >= 0 {
			if n, ok := lines[k[:i]]; ok && n > 0 && !strings.Contains(k[i:], ".") {
				return n, true
			}
		}
	}
	return 0, false
}

// parentKey drops a key's last part: "a.b[2]" is in "a.b", "a.b" in "a".
func parentKey(k string) string {
	if strings.HasSuffix(k, "]") {
		if i := strings.LastIndexByte(k, '['); i > 0 {
			return k[:i]
		}
	}
	if i := strings.LastIndexByte(k, '.'); i > 0 {
		return k[:i]
	}
	return ""
}

// listProblems writes problems one a line, at most maxProblems, each with
// where it was set; keys are cut short so that output stays a page.
func listProblems(ps check.Problems, where func(check.Problem) string) string {
	var msgs []string
	for i, p := range ps {
		if i == maxProblems {
			msgs = append(msgs, fmt.Sprintf("... and %d more", len(ps)-maxProblems))
			break
		}
		p.Key = shortKey(p.Key)
		msgs = append(msgs, p.Error()+where(p))
	}
	return fmt.Sprintf("%d problem(s):\n  %s", len(ps), strings.Join(msgs, "\n  "))
}

// shortKey cuts a key far longer than any real one.
func shortKey(k string) string {
	const most = 80
	if len(k) > most {
		return strconv.Quote(k[:most]) + "..."
	}
	return k
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
	ps = append(ps, c.HTTP.Validate().Under("http")...)
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
func applySet(c *Config, s string) (_ string, err error) {
	key, value, ok := strings.Cut(s, "=")
	key = strings.TrimSpace(key)
	// Messages quote what was given, briefly.
	if len(s) > 200 {
		defer func() {
			if err != nil {
				err = errors.New(strings.Replace(err.Error(), strconv.Quote(s), strconv.Quote(s[:200])+"...", 1))
			}
		}()
	}
	if len(key) > 80 {
		key = key[:80] + "..."
	}
	if !ok || key == "" || strings.TrimSpace(value) == "" {
		return key, fmt.Errorf("--set %q: want key=value, for example --set display.rotation=270 or --set 'model.objects.classes=[\"cup\"]'", s)
	}
	// One value: a newline would let the rest of the text set other keys
	// (or open a table) behind the check's back.
	if strings.ContainsAny(s, "\n\r") {
		return key, fmt.Errorf("--set %q: one key and one value on one line; give each key its own --set", s)
	}
	if strings.HasPrefix(key, "[") || tableHeader.MatchString(value) {
		return key, fmt.Errorf("--set %q: a table header ([section]) has no place in --set: name the key with its section, for example --set power.simulate_percent=15, one --set per key", s)
	}
	if !setKey.MatchString(key) {
		return key, fmt.Errorf("--set %q: %q is not a key; a key is its section and name joined by dots, for example display.rotation (the [[power.levels]] list is set in the file)", s, key)
	}
	doc := key + " = " + value
	if i := strings.LastIndex(key, "."); i >= 0 {
		doc = "[" + key[:i] + "]\n" + key[i+1:] + " = " + value
	}
	if err := decodeChecked(doc, c); err != nil {
		var ps shapeProblems
		if errors.As(err, &ps) {
			msgs := make([]string, 0, len(ps))
			for i, p := range ps {
				if i == maxProblems {
					msgs = append(msgs, fmt.Sprintf("... and %d more", len(ps)-maxProblems))
					break
				}
				where := "--set " + key + ": "
				if p.Key != key {
					where += shortKey(p.Key) + ": "
				}
				msgs = append(msgs, where+p.Msg)
			}
			return key, errors.New(strings.Join(msgs, "\n"))
		}
		msg := err.Error()
		if _, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(msg, "line ") {
			msg = rest // the line of our one-key document means nothing to the user
		}
		return key, fmt.Errorf("--set %s: %s (values use TOML syntax: strings in quotes, lists in [])", key, msg)
	}
	return key, nil
}

var (
	// setKey is a dotted key of bare words, as every key of config.toml is.
	setKey = regexp.MustCompile(`^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$`)
	// tableHeader is a [section] or [[list]] header followed by a key: a
	// second setting hidden in one --set value.
	tableHeader = regexp.MustCompile(`\[\[?\s*[A-Za-z0-9_.-]+\s*\]\]?\s*[A-Za-z0-9_"'-]+\s*=`)
)

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
		msg := brief(boothNumbers.Replace(pe.Message))
		if pe.LastKey != "" {
			msg = shortKey(pe.LastKey) + ": " + msg
		}
		if pe.Position.Line <= 0 {
			return msg
		}
		return fmt.Sprintf("line %d: %s", pe.Position.Line, msg)
	}
	return brief(boothNumbers.Replace(strings.TrimPrefix(err.Error(), "toml: ")))
}

// boothNumbers words the decoder's number limits without Go's types.
var boothNumbers = strings.NewReplacer(
	"is out of range for int64", "is too large for a whole number (the most is 9223372036854775807)",
	"is out of range for float64", "is too large for a number",
)

// brief cuts a message that quotes far too much of its input.
func brief(s string) string {
	const most = 300
	if len(s) > most {
		return s[:most] + "..."
	}
	return s
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
