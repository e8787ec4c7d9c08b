package kiosk

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/carrierarcade/kiosk/booth"
	"github.com/carrierarcade/kiosk/budget"
	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/game/record"
	"github.com/carrierarcade/kiosk/health"
	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/internal/reel"
	"github.com/carrierarcade/kiosk/vision"
)

// parseKeys reads --keys: KEY@SECONDS,... by the names in [keys], or as
// typed ("2" for Digit2, "=" for Equal).
func parseKeys(s string, keys game.KeyConfig) ([]game.ScriptedKey, error) {
	if s == "" {
		return nil, nil
	}
	var out []game.ScriptedKey
	for _, item := range strings.Split(s, ",") {
		k, at, ok := strings.Cut(strings.TrimSpace(item), "@")
		k = game.KeyByTyping(k) // "2" as typed is Digit2
		secs, err := strconv.ParseFloat(at, 64)
		if !ok || k == "" || err != nil || secs < 0 {
			return nil, fmt.Errorf("%w: --keys wants KEY@SECONDS,... (for example N@12,V@20), got %q", errUsage, item)
		}
		if keys.Lookup(k) == "" {
			return nil, fmt.Errorf("%w: --keys: %q is not bound to any command in [keys]", errUsage, k)
		}
		out = append(out, game.ScriptedKey{Key: k, At: time.Duration(secs * float64(time.Second))})
	}
	slices.SortStableFunc(out, func(a, b game.ScriptedKey) int { return cmp.Compare(a.At, b.At) })
	return out, nil
}

func cmdSim(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("sim", "sim --game NAME [--source SPEC] [--seed N] [--seconds S] [--keys KEY@SECONDS,...] [--record FILE] [--http ADDR]\n       sim --replay FILE", stderr)
	name := fs.String("game", "", "the game to start at once: "+strings.Join(game.GameNames(), ", "))
	source := fs.String("source", "", "clip to play (default: source.demo); file:PATH?loop=0 ends with the clip, file:PATH?start=S starts S seconds in")
	seed := fs.Uint64("seed", 1, "seed of the games' random source: the same seed and clip give the same game")
	seconds := fs.Float64("seconds", 0, "stop after this much game time (0: when a non-looping clip ends)")
	keysFlag := fs.String("keys", "", "scripted presenter keys, KEY@SECONDS,... by [keys] names or as typed (N@12,V@20,2@30 for Digit2)")
	recordTo := fs.String("record", "", "also record the session (observations and keys, never a picture) into FILE")
	replay := fs.String("replay", "", "play a recording made with --record instead of a clip: no camera, model or ONNX Runtime")
	// Not http.listen: simulations are batch runs, often several at once,
	// and would all want its port.
	httpAddr := fs.String("http", "", "also serve /healthz, /readyz and /metrics on ADDR (host:port; port 0 picks a free one, logged) while the simulation plays")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	if msg := health.CheckListen(*httpAddr); msg != "" {
		return fmt.Errorf("%w: --http %s", errUsage, msg)
	}
	if *replay != "" {
		if *name != "" || *source != "" || *keysFlag != "" || *recordTo != "" || *httpAddr != "" {
			return fmt.Errorf("%w: --replay plays what the recording holds: give it alone", errUsage)
		}
		return replaySession(*replay, stdout, stderr)
	}
	if !slices.Contains(game.GameNames(), *name) {
		return fmt.Errorf("%w: --game is one of %s, not %q", errUsage, strings.Join(game.GameNames(), ", "), *name)
	}
	l, err := c.load()
	if err != nil {
		return err
	}
	if *source == "" {
		*source = l.Source.Demo
	}
	sp, err := vision.ParseSpec(*source)
	if err != nil {
		return fmt.Errorf("%w: --source: %v", errUsage, err)
	}
	if sp.Kind != "file" {
		return fmt.Errorf("%w: --source is %q; sim plays a clip, file:PATH[?loop=0], not a camera", errUsage, *source)
	}
	if sp.Loop && *seconds <= 0 {
		return fmt.Errorf("%w: a looping clip never ends: give --seconds, or use file:PATH?loop=0", errUsage)
	}
	clipKey := "--source"
	if *source == l.Source.Demo {
		clipKey = "source.demo"
	}
	if err := l.ProblemsErr(l.FileProblems(nil, map[string]string{clipKey: *source})); err != nil {
		return err
	}
	presses, err := parseKeys(*keysFlag, l.Keys)
	if err != nil {
		return err
	}
	dets, err := booth.OpenDetectors(l, "objects", "faces")
	if err != nil {
		return err
	}
	defer dets.Close()
	var src vision.FrameSource
	var watch *vision.Watchdog
	if !sp.Loop && *seconds > 0 {
		// Past the clip's end the clip is a camera that stopped: the
		// watchdog notices, waits (on simulated time) and plays it again.
		watch = vision.NewWatchdog(ctx, func() (vision.FrameSource, error) {
			return vision.Open(sp, l.SourceFor(*source), l.Base)
		}, l.Watchdog, &simClock{t: time.Unix(0, 0)}, nil)
		src = watch
	} else if src, err = vision.Open(sp, l.SourceFor(*source), l.Base); err != nil {
		return err
	}
	defer src.Close()
	log := config.NewLogger(l.Log, stderr)
	var srv *health.Server
	if *httpAddr != "" {
		srv = health.New(health.Options{Log: log})
	}
	motion := vision.NewMotion(l.Motion)
	defer motion.Close()
	pipe := vision.NewPipeline(nil, vision.PipelineParts{Objects: dets.Objects, Faces: dets.Faces,
		Motion: motion, Mirror: l.Display.Mirror, Ran: booth.DetectorHook(srv)}, booth.PipelineRates(l.Budget.Rates()))
	step := vision.NewStepper(src, pipe, false)
	defer step.Close()

	cfg := l.Game
	cfg.DemoAutoplaySeconds = 0 // the simulation plays the one game it was asked for
	// A reel with an item list plays as the demo does (its items, as it
	// shows them); any other clip as a camera.
	cfg.Demo = reel.Read(l, *source)
	setup := booth.SessionSetup(l, cfg, *seed)
	setup.Demo = len(cfg.Demo.Items) > 0
	// The booth the window runs, on clip time (so the same clip and seed
	// give the same game), with a board in memory: ranks as the booth
	// would give them, nothing written. As in the window each scene runs
	// only what it uses. With --set link.enabled=true the simulated
	// results go to the other carriers as the window's do (the link's log
	// goes to stderr).
	carrier, noLink := StartLink(l, log)
	parts := booth.Parts{Setup: setup, Board: game.NewLeaderboard(nil), Eyes: step, Feed: booth.StepFeed(step),
		Limit: time.Duration(*seconds * float64(time.Second)), Budget: l.Budget,
		Rates: func(r budget.Rates) { pipe.SetRates(booth.PipelineRates(r)) }, NoLink: noLink, Health: srv, Log: log,
		Today: func() string { return "sim" }}
	if carrier != nil {
		defer carrier.Close()
		parts.Link = carrier
	}
	if watch != nil {
		parts.Camera = booth.WatchdogCamera(watch, sp.String())
	}
	b := booth.New(parts)
	defer b.Close()
	// The games play in what the screen would show: a canvas of the
	// window's size, turned like the screen.
	cw, ch := game.CanvasSize(l.Display.Width, l.Display.Height, l.Display.Rotation)
	b.SetCanvas(game.Canvas{W: cw, H: ch})
	b.Script(presses)
	enc := json.NewEncoder(stdout)
	var printErr error
	b.Listen(func(e game.Event) {
		if printErr == nil {
			printErr = enc.Encode(e)
		}
	})
	var tape *record.Writer
	if *recordTo != "" {
		if tape, err = record.Create(*recordTo, b.Setup(), nil, log); err != nil {
			return err
		}
		b.Record(tape)
	}
	if srv != nil {
		stop := booth.ServeHealth(ctx, srv, "--http", *httpAddr, log)
		defer stop()
	}
	if err := b.StartGame(*name); err != nil {
		return err
	}
	// As fast as the frames compute: each Tick reads a frame and plays
	// the game up to its time.
	for ctx.Err() == nil && printErr == nil {
		if snap := b.Tick(time.Now()); snap.Over || snap.Presenter.Quit {
			break
		}
	}
	err = cmp.Or(b.Err(), printErr)
	if tape != nil {
		if cerr := tape.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// replaySession plays a recording and prints its events as the run that
// recorded it did, then says on stderr whether they were the same.
func replaySession(path string, stdout, stderr io.Writer) error {
	rec, err := record.Open(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	var werr error
	_, same, err := rec.Replay(func(e game.Event) {
		if werr == nil {
			werr = enc.Encode(e)
		}
	})
	if err != nil {
		return err
	}
	if werr != nil {
		return werr
	}
	if !same {
		return fmt.Errorf("replay of %s: the events differ from those of the run that recorded it (%d recorded); was it made by another version of the kiosk?", path, rec.Events)
	}
	fmt.Fprintf(stderr, "replayed %s: %.1f s of play, %d events, the same as the recorded run\n", path, rec.Duration().Seconds(), rec.Events)
	return nil
}

// simClock is simulated time for the watchdog: its waits take no real time.
type simClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *simClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *simClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}
