package kiosk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/vision"
)

func cmdRun(ctx context.Context, args []string, stderr io.Writer, window Window) error {
	fs, c := newFlags("run", "run [--windowed] [--source SPEC] [--record FILE] [--keys KEY@SECONDS,...] [--list-monitors] [--setup] [--config FILE] [--set k=v]...", stderr)
	windowed := fs.Bool("windowed", false, "show a window instead of the full screen (same as --set display.fullscreen=false)")
	monitors := fs.Bool("list-monitors", false, "print the monitors display.monitor can name (index, name, size) and exit")
	setup := fs.Bool("setup", false, "the setup helper instead of the games (see 'kiosk setup --help')")
	source := fs.String("source", "", "where frames come from: camera:0, camera:/dev/videoN, file:PATH[?loop=0] (default: source.spec)")
	recordTo := fs.String("record", "", "record the session (observations and keys, never a picture) into FILE, for 'kiosk sim --replay FILE'")
	keysFlag := fs.String("keys", "", "scripted presenter keys for a demo, KEY@SECONDS,... of game time by [keys] names or as typed (N@12,V@20,2@30)")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	l, err := c.loadWindow(*windowed, *source)
	if err != nil {
		return err
	}
	if *monitors {
		// Only the window program can ask the graphics library.
		if os.Getenv("DISPLAY") == "" {
			return errNoDisplay
		}
		return window(ctx, WindowJob{Command: "run", Args: args, Config: l, ListMonitors: true}, stderr)
	}
	keys, err := parseKeys(*keysFlag, l.Keys)
	if err != nil {
		return err
	}
	return startWindow(ctx, WindowJob{Command: "run", Args: args, Config: l, Source: *source, Record: *recordTo, Keys: keys, Setup: *setup}, stderr, window)
}

func cmdSetup(ctx context.Context, args []string, stderr io.Writer, window Window) error {
	fs, c := newFlags("setup", "setup [--windowed] [--source SPEC] [--config FILE] [--set k=v]...\n\n"+
		"The camera picture with an UP arrow and what the detector finds. Left and right\n"+
		"arrows turn the camera, F mirrors it, up and down arrows turn the screen, until\n"+
		"the person in front stands upright and the words read. Enter writes\n"+
		"source.rotation, source.flip and display.rotation into the config file (in\n"+
		"place, keeping its comments), or prints the --set flags when it cannot; Esc\n"+
		"leaves without writing.", stderr)
	windowed := fs.Bool("windowed", false, "show a window instead of the full screen")
	source := fs.String("source", "", "where frames come from (default: source.spec)")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	l, err := c.loadWindow(*windowed, *source)
	if err != nil {
		return err
	}
	return startWindow(ctx, WindowJob{Command: "setup", Args: args, Config: l, Source: *source, Setup: true}, stderr, window)
}

// SetupKeys are the config keys the setup helper writes for an
// orientation.
func SetupKeys(cameraRotation int, flip bool, screenRotation int) []config.KeySet {
	return []config.KeySet{{Key: "source.rotation", Value: strconv.Itoa(cameraRotation)},
		{Key: "source.flip", Value: strconv.FormatBool(flip)}, {Key: "display.rotation", Value: strconv.Itoa(screenRotation)}}
}

// KeepSetup writes what the setup helper chose into the config file; with
// no config file, or one it cannot write, it prints the --set flags that
// give the same, to add by hand.
func KeepSetup(l config.Loaded, sets []config.KeySet, stdout io.Writer, log *slog.Logger) {
	if l.Path != "" {
		err := config.WriteKeys(l.Path, sets)
		if err == nil {
			log.Info("setup written into the config file", "file", l.Path, "keys", sets)
			return
		}
		log.Error("setup not written into the config file: give these flags instead", "file", l.Path, "err", err)
	} else {
		log.Warn("no config file to write the setup into: give these flags instead")
	}
	for _, s := range sets {
		fmt.Fprintln(stdout, s.SetLine())
	}
}

func cmdScreenshot(ctx context.Context, args []string, stderr io.Writer, window Window) error {
	fs, c := newFlags("screenshot", "screenshot --source SPEC --at SECONDS --out FILE.png [--game NAME] [--record FILE] [--keys KEY@SECONDS,...] [--setup] [--timedemo] [--config FILE] [--set k=v]...", stderr)
	source := fs.String("source", "", "where frames come from (default: source.spec)")
	at := fs.String("at", "", "clip time in seconds at which to take the picture")
	out := fs.String("out", "", "PNG file to write")
	start := fs.String("game", "", "start this game at once (countdown, then play) instead of the attract screen")
	recordTo := fs.String("record", "", "record the session until the picture is taken (observations and keys, never a picture)")
	keysFlag := fs.String("keys", "", "scripted presenter keys, KEY@SECONDS,... of game time by [keys] names or as typed (2 for Digit2)")
	setup := fs.Bool("setup", false, "picture the setup helper (as 'kiosk setup' shows it) instead of the games")
	timedemo := fs.Bool("timedemo", false, "play on the clip's own time, one frame at a time, each drawn as fast as it can: "+
		"the picture at --at costs what the frames before it cost to compute, not --at seconds")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	if *start != "" && !slices.Contains(game.GameNames(), *start) {
		return fmt.Errorf("%w: --game is one of %s, not %q", errUsage, strings.Join(game.GameNames(), ", "), *start)
	}
	secs, err := strconv.ParseFloat(*at, 64)
	if err != nil || secs < 0 {
		return fmt.Errorf("%w: --at wants a number of seconds, got %q", errUsage, *at)
	}
	if *out == "" || filepath.Ext(*out) != ".png" {
		return fmt.Errorf("%w: --out wants a .png file name", errUsage)
	}
	l, err := c.loadWindow(false, *source)
	if err != nil {
		return err
	}
	keys, err := parseKeys(*keysFlag, l.Keys)
	if err != nil {
		return err
	}
	return startWindow(ctx, WindowJob{Command: "screenshot", Args: args, Config: l, Source: *source,
		ShotAt: time.Duration(secs * float64(time.Second)), ShotOut: *out, Game: *start,
		Record: *recordTo, Keys: keys, Setup: *setup, Timedemo: *timedemo}, stderr, window)
}

// checkStart refuses, before a window opens, what check-config refuses by
// looking at files: the library, the models, the clip played. The demo
// clip is not needed while a camera works, so it is not checked here.
func checkStart(l config.Loaded, source string) error {
	clips := map[string]string{"source.spec": l.Source.Spec}
	if source != "" {
		clips = map[string]string{"--source": source}
	}
	return l.ProblemsErr(l.FileProblems([]string{"objects", "faces"}, clips))
}

// loadWindow loads the configuration of a command that opens the window:
// --windowed turns full screen off, and --source must be a source.
func (c *common) loadWindow(windowed bool, source string) (config.Loaded, error) {
	l, err := c.load()
	if err != nil {
		return l, err
	}
	if windowed {
		l.Display.Fullscreen = false
	}
	return l, checkSource(source)
}

func checkSource(spec string) error {
	if spec == "" {
		return nil
	}
	if _, err := vision.ParseSpec(spec); err != nil {
		return fmt.Errorf("%w: --source: %v", errUsage, err)
	}
	return nil
}

var errNoDisplay = errors.New("no display (DISPLAY is not set): start the kiosk from the laptop's desktop session, or try it without a screen under 'xvfb-run -a'")

// startWindow checks for a display before anything opens a window: without
// one the graphics library would stop the program with a panic.
func startWindow(ctx context.Context, job WindowJob, stderr io.Writer, window Window) error {
	if os.Getenv("DISPLAY") == "" {
		return errNoDisplay
	}
	if err := checkStart(job.Config, job.Source); err != nil {
		return err
	}
	return window(ctx, job, stderr)
}

// WindowProgram finds kiosk-window beside this program, else on PATH.
func WindowProgram() (string, error) {
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), "kiosk-window")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if p, err := exec.LookPath("kiosk-window"); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("kiosk-window, the program that opens the screen, is not beside kiosk nor on PATH; build both with 'make build'")
}
