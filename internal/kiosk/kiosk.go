// Package kiosk is the command line of the kiosk's two programs: the
// flags, and one function per command (the configuration is
// internal/config's, the running kiosk package booth's, the benchmarks
// internal/bench's). cmd/kiosk is what users run; cmd/kiosk-window opens
// the screen. They are two programs because Ebitengine connects to the
// display as soon as it is loaded, so a program that links it cannot even
// print its help without one.
package kiosk

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/internal/config"
)

const usage = `Carrier Arcade kiosk

usage: kiosk COMMAND [flags]

commands:
  run            start the kiosk (what 'make run' does); serves /healthz, /readyz and
                 /metrics on http.listen (default 127.0.0.1:9090)
  check-config   check a configuration file and the files it names (library, models, clips,
                 the link's key; --online: that the hub answers): prints "ok" or every problem;
                 a file that sets only [hub] is checked as a hub's
  detect         run a detector on still images
  screenshot     run the kiosk on a clip and save what the screen shows
  setup          turn the camera and the screen with the arrow keys until people stand
                 upright and the words read; Enter writes source.rotation, source.flip and
                 display.rotation into the config file (same as 'kiosk run --setup')
  power          show the battery, the power level and the budget it picks
  bench          measure the detection pipeline stage by stage, the CPU per power level (--power),
                 the CPU of each scene (--scenes), each scene's heap allocations per drawn frame
                 (--draw), or the carrier link (--link)
  sim            play a game headless on a clip (or replay a recording) and print its events as JSON;
                 --http ADDR also serves health and metrics
  reel           build the demo reel the kiosk plays with no camera (make run does)
  hub            run the hub that links carriers ([hub] in the config), and its public board
                 page for visitors' phones (hub.http_listen)
  link           link keygen --out FILE: a carrier's key; link pubkey: its public key;
                 link status: this carrier's link ('kiosk link --help')
  models         models list [--json]: every model the config names, its family, source and whether
                 it loads; models convert --from F.tflite --out F.onnx, models extract: what 'make models' does

Every command takes --config FILE (default: config.toml when present) and
any number of --set key=value overrides in TOML value syntax, one key each,
for example
  kiosk run --set display.rotation=270 --set 'model.objects.classes=["cup"]'
Flags may come before or after a command's other arguments.
Run 'kiosk COMMAND --help' for a command's own flags.
`

// exit statuses: 2 is for input the user must fix.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// WindowJob is a run or screenshot command, parsed and configured, ready
// for the program that owns the window.
type WindowJob struct {
	Command string   // "run", "setup" or "screenshot"
	Args    []string // the command's own arguments, as given
	Config  config.Loaded
	Source  string // source spec, "" for source.spec
	// Shot is set for a screenshot: the clip time and the PNG file.
	ShotAt  time.Duration
	ShotOut string
	// Game, when set, starts that game at once instead of the attract
	// screen.
	Game string
	// Record, when set, records the session into this file.
	Record string
	// Keys are scripted presenter keys, pressed at their game time.
	Keys []game.ScriptedKey
	// ListMonitors prints the monitors display.monitor can name, and
	// opens no window.
	ListMonitors bool
	// Setup shows the setup helper instead of the games (kiosk setup).
	Setup bool
	// Timedemo steps the kiosk on the clip's time and draws every frame
	// as fast as it can (screenshot --timedemo).
	Timedemo bool
}

// Window runs a WindowJob: cmd/kiosk hands it to cmd/kiosk-window, which
// opens the screen.
type Window func(ctx context.Context, job WindowJob, stderr io.Writer) error

// Main runs the command line args and returns the exit status.
func Main(args []string, stdout, stderr io.Writer, window Window) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmds := map[string]func(context.Context, []string, io.Writer, io.Writer) error{
		"run": func(ctx context.Context, args []string, _, stderr io.Writer) error {
			return cmdRun(ctx, args, stderr, window)
		},
		"screenshot": func(ctx context.Context, args []string, _, stderr io.Writer) error {
			return cmdScreenshot(ctx, args, stderr, window)
		},
		"setup": func(ctx context.Context, args []string, _, stderr io.Writer) error {
			return cmdSetup(ctx, args, stderr, window)
		},
		"check-config": cmdCheckConfig,
		"detect":       cmdDetect,
		"power":        cmdPower,
		"bench":        cmdBench,
		"reel":         cmdReel,
		"sim":          cmdSim,
		"hub":          cmdHub,
		"link":         cmdLink,
		"models":       cmdModels,
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "kiosk: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
	err := cmd(ctx, args[1:], stdout, stderr)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errUsage), errors.Is(err, config.ErrConfig):
		fmt.Fprintf(stderr, "kiosk %s: %v\n", args[0], err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "kiosk %s: %v\n", args[0], err)
		return exitFailure
	}
}

// errUsage marks bad flags or arguments.
var errUsage = errors.New("usage")

// common are the flags every command takes.
type common struct {
	config string
	sets   multiFlag
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.config, "config", "", "configuration file (default: config.toml when present, else built-in defaults)")
	fs.Var(&c.sets, "set", "override one key, TOML value syntax: --set display.rotation=270 (repeatable)")
}

// load reads the configuration the flags name.
func (c *common) load() (config.Loaded, error) {
	path := c.config
	if path == "" {
		if _, err := os.Stat("config.toml"); err == nil {
			path = "config.toml"
		}
	}
	return config.Load(path, c.sets)
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// newFlags makes a command's flag set; parse errors come back as errUsage.
func newFlags(name, synopsis string, stderr io.Writer) (*flag.FlagSet, *common) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: kiosk %s\n\nflags:\n", synopsis)
		fs.PrintDefaults()
	}
	c := &common{}
	c.register(fs)
	return fs, c
}

// parse reads flags before, between and after the other arguments (a
// config file, images): Go's flag package alone stops at the first of
// them, so "check-config FILE --set k=v" would take --set for a file. A
// "--" still ends the flags.
func parse(fs *flag.FlagSet, args []string) error {
	var others []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		rest := fs.Args()
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" || len(rest) == 0 {
			others = append(others, rest...)
			break
		}
		others, args = append(others, rest[0]), rest[1:]
	}
	// Parsing "--" and the others leaves them as fs.Args(), flags kept.
	return fs.Parse(append([]string{"--"}, others...))
}

// parseFlagsOnly is parse for a command that takes no other arguments: a
// stray word ("kiosk run my.toml") is refused, not silently ignored.
func parseFlagsOnly(fs *flag.FlagSet, args []string) error {
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: kiosk %s takes flags only, not %q (a configuration file is --config FILE)", errUsage, fs.Name(), fs.Arg(0))
	}
	return nil
}

func cmdCheckConfig(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("check-config", "check-config [--online] [--set k=v]... [FILE]", stderr)
	online := fs.Bool("online", false, "also ask the hub (link.hub) whether it answers")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return fmt.Errorf("%w: check one configuration file at a time, not %s", errUsage, strings.Join(fs.Args(), " and "))
	}
	if fs.NArg() == 1 {
		c.config = fs.Arg(0)
	}
	l, err := c.load()
	if err != nil {
		return err
	}
	if l.HubOnly() {
		// 'kiosk hub' needs no camera, models or clips.
		if err := l.ProblemsErr(l.HubProblems()); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "ok")
		fmt.Fprintln(stderr, "checked as a hub's configuration ('kiosk hub'): it sets [hub] only")
		return nil
	}
	// The files the kiosk will open, as it opens them at start: by look
	// first, then the library loaded and the models and clips read.
	clips := map[string]string{"source.spec": l.Source.Spec, "source.demo": l.Source.Demo}
	var slots []string
	for _, s := range l.Model.Slots() {
		slots = append(slots, s.Name)
	}
	look := append(l.FileProblems(slots, clips), l.LinkProblems(*online)...)
	if len(l.Hub.Carriers) > 0 {
		look = append(look, l.HubProblems()...)
	}
	if err := l.ProblemsErr(look); err != nil {
		return err
	}
	if err := l.ProblemsErr(l.CheckDeep(clips)); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}
