package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"

	"github.com/carrierarcade/kiosk/booth"
	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/internal/config"
)

// DrawBenchCommand is kiosk-window's mode for 'kiosk bench --draw': the
// real window, steered through every scene by a DrawBench.
const DrawBenchCommand = "bench-draw"

// DrawWarmup is how many frames a scene is drawn before its frames count:
// its first frames lay out its words, fill the glyph caches and grow the
// drawers' buffers, which a scene does once, not per frame. Each time the
// scene comes back (a new round, the next countdown) its first drawSettle
// frames are not counted either: a new round lays out its own words once.
const (
	DrawWarmup = 60
	drawSettle = 2
)

// DrawFigure is one scene's line of 'kiosk bench --draw': the heap
// allocations (objects and bytes) per drawn frame once warm.
type DrawFigure struct {
	Scene          string  `json:"scene"`
	AllocsPerFrame float64 `json:"allocs_per_frame"`
	BytesPerFrame  float64 `json:"bytes_per_frame"`
	Frames         int     `json:"frames"`
	// MaxAllocs is the most one counted frame allocated: a scene that
	// allocates now and then (a number changing) shows here.
	MaxAllocs uint64 `json:"max_allocs"`
	Error     string `json:"error,omitempty"`
}

// drawScene is one row of the bench: a scene of the session and the
// presenter's pause, help, operator overlay and privacy mode over it.
type drawScene struct {
	name                  string
	scene                 string // the session's scene name: attract, countdown, results or a game
	paused, help, overlay bool
	privacy               string
}

// drawPlan is every scene the bench puts on screen, in order: the ones
// between rounds, each game of the registry (a new game is measured
// without a change here), then the presenter's plates and the privacy
// modes.
func drawPlan() []drawScene {
	games := game.GameNames()
	plan := []drawScene{{name: "attract", scene: "attract"}, {name: "countdown", scene: "countdown"}}
	for _, g := range games {
		plan = append(plan, drawScene{name: g, scene: g})
	}
	plan = append(plan,
		drawScene{name: "results", scene: "results"},
		drawScene{name: "paused", scene: games[0], paused: true},
		drawScene{name: "help", scene: "attract", help: true},
		drawScene{name: "overlay", scene: games[0], overlay: true})
	for _, mode := range game.PrivacyModes {
		if mode != "live" {
			plan = append(plan, drawScene{name: mode, scene: "attract", privacy: mode})
		}
	}
	for i := range plan {
		if plan[i].privacy == "" {
			plan[i].privacy = "live"
		}
	}
	return plan
}

// DrawSets are the settings the bench runs with, before the user's
// own --set: a small window (so that a software renderer keeps up; the
// allocations do not depend on the size), no sound, rounds of the shortest length so that
// results come soon, results that stay up, an attract screen that no wave
// in the clip leaves, and a leaderboard of its own so that no score of the
// bench reaches the booth's.
func DrawSets(dataDir string) []string {
	sets := []string{"display.fullscreen=false", "display.width=640", "display.height=400", "display.overlay=false", `display.privacy="live"`,
		"sound.mute=true", `log.level="warn"`,
		"game.wave_threshold=1", "game.wave_seconds=5", "game.idle_seconds=600",
		"game.demo_autoplay_seconds=0", "game.results_seconds=60",
		"game.data_dir=" + strconv.Quote(dataDir)}
	for _, g := range game.GameNames() {
		sets = append(sets, fmt.Sprintf("game.%s.round_seconds=10", g))
	}
	return sets
}

// Draw is 'kiosk bench --draw': it runs kiosk-window in its draw
// bench mode and passes on its lines, checking that every scene got one.
func Draw(ctx context.Context, windowProgram func() (string, error), l config.Loaded, sets []string, source string, frames int, stdout, stderr io.Writer) error {
	if os.Getenv("DISPLAY") == "" {
		return fmt.Errorf("bench --draw runs the real window: run it under 'xvfb-run -a' or on the desktop")
	}
	prog, err := windowProgram()
	if err != nil {
		return err
	}
	args := []string{DrawBenchCommand, "--source", source, "--frames", strconv.Itoa(frames)}
	cmd := exec.CommandContext(ctx, prog, withConfig(args, l, sets)...)
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", prog, err)
	}
	seen := map[string]bool{}
	var failed []error
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		var f DrawFigure
		if err := json.Unmarshal(lines.Bytes(), &f); err != nil {
			failed = append(failed, fmt.Errorf("%s printed %q: %w", prog, lines.Text(), err))
			continue
		}
		if f.Error != "" {
			failed = append(failed, fmt.Errorf("scene %s: %s", f.Scene, f.Error))
		}
		seen[f.Scene] = true
		fmt.Fprintln(stdout, lines.Text())
	}
	if err := cmd.Wait(); err != nil {
		failed = append(failed, fmt.Errorf("%s: %w", prog, err))
	}
	for _, s := range drawPlan() {
		if !seen[s.name] {
			failed = append(failed, fmt.Errorf("scene %s was not measured", s.name))
		}
	}
	return errors.Join(failed...)
}

// DrawBench steers the session through every scene of drawPlan and counts
// the heap allocations of each drawn frame, from just before the app
// draws to just after. It is the app's draw probe (screen.DrawProbe);
// everything runs on the game's goroutine.
//
// The count is runtime.ReadMemStats' Mallocs, which stops the world and
// flushes every processor's allocation cache, so each frame's figure is
// exact. runtime/metrics' "/gc/heap/allocs:objects" is cheaper but counts a
// small object only when the cache's span of its size is swapped, so it
// cannot say which 16 ms an allocation happened in. The count is the whole
// process's: the capture and detection goroutines allocate nothing per
// frame (BENCHMARKS.md), so what is counted is the drawing.
type DrawBench struct {
	booth  Steered
	out    io.Writer
	done   func()
	plan   []drawScene
	keys   drawKeys
	frames int    // counted per scene
	shots  string // a folder for each scene's first counted frame, "" for none
	stats  runtime.MemStats

	step     int    // the scene being measured, in plan
	onFor    int    // frames drawn in a row in the wanted scene
	warm     int    // frames drawn in the wanted scene since the step began
	waited   int    // frames drawn since the step began
	actedAt  uint64 // the session's tick when the bench last pressed a key
	acted    bool
	mallocs  uint64 // at Drawing
	bytes    uint64
	fig      DrawFigure
	sumBytes uint64
	sumObjs  uint64
}

// drawKeys are the presenter's keys the bench presses, as configured.
type drawKeys struct{ attract, pause, help, overlay, privacy string }

// NewDrawBench prepares the bench: keys are the presenter's keys it
// presses, frames the frames counted per scene, shots a folder for each
// scene's first counted frame ("" for none); done ends the window once
// every scene is measured.
func NewDrawBench(k game.KeyConfig, frames int, shots string, b Steered, out io.Writer, done func()) (*DrawBench, error) {
	first := func(name string, keys []string) (string, error) {
		if len(keys) == 0 {
			return "", fmt.Errorf("the draw bench presses keys.%s, which has no key", name)
		}
		return keys[0], nil
	}
	var keys drawKeys
	var errs []error
	for _, f := range []struct {
		name string
		keys []string
		to   *string
	}{{"attract", k.Attract, &keys.attract}, {"pause", k.Pause, &keys.pause}, {"help", k.Help, &keys.help},
		{"overlay", k.Overlay, &keys.overlay}, {"privacy", k.Privacy, &keys.privacy}} {
		key, err := first(f.name, f.keys)
		*f.to = key
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	bench := &DrawBench{booth: b, out: out, done: done, plan: drawPlan(), keys: keys, frames: frames, shots: shots}
	bench.fig.Scene = bench.plan[0].name
	return bench, nil
}

// Steered is the booth the draw bench steers (*booth.Booth): it presses
// keys, starts games and reads the snapshot.
type Steered interface {
	Press(key string)
	StartGame(name string) error
	Snapshot() *booth.Snapshot
}

// Drawing notes the allocation count before a frame.
func (b *DrawBench) Drawing() {
	runtime.ReadMemStats(&b.stats)
	b.mallocs, b.bytes = b.stats.Mallocs, b.stats.TotalAlloc
}

// Drawn counts the frame if the scene measured was on screen, and
// otherwise does the next thing that brings it there.
func (b *DrawBench) Drawn() (shot string) {
	runtime.ReadMemStats(&b.stats)
	objs, bytes := b.stats.Mallocs-b.mallocs, b.stats.TotalAlloc-b.bytes
	if b.step >= len(b.plan) {
		return ""
	}
	s := b.plan[b.step]
	b.waited++
	if !b.showing(s) {
		b.onFor = 0
		if b.waited > 40*(DrawWarmup+b.frames) {
			b.fig.Error = fmt.Sprintf("not on screen after %d drawn frames (the session shows %s)", b.waited, b.booth.Snapshot().Scene.Name())
			b.next()
			return ""
		}
		b.bring(s)
		return ""
	}
	b.onFor++
	b.warm++
	if b.warm <= DrawWarmup || b.onFor <= drawSettle {
		return ""
	}
	if b.fig.Frames == 0 && b.shots != "" {
		shot = filepath.Join(b.shots, s.name+".png")
	}
	b.fig.Frames++
	b.sumObjs += objs
	b.sumBytes += bytes
	b.fig.MaxAllocs = max(b.fig.MaxAllocs, objs)
	if b.fig.Frames >= b.frames {
		b.next()
	}
	return shot
}

// showing is true when the session shows exactly the scene s.
func (b *DrawBench) showing(s drawScene) bool {
	snap := b.booth.Snapshot()
	p := &snap.Presenter
	return snap.Scene.Name() == s.scene && p.Paused == s.paused && p.Help == s.help &&
		p.Overlay == s.overlay && p.Privacy == s.privacy
}

// bring does one thing towards scene s: start a game, or press one of the
// presenter's keys. It then waits for the session to play a tick, so that a
// key is never pressed twice before the first press is seen.
func (b *DrawBench) bring(s drawScene) {
	snap, bo := b.booth.Snapshot(), b.booth
	if b.acted && snap.Tick <= b.actedAt {
		return
	}
	b.acted, b.actedAt = true, snap.Tick
	cur, p := snap.Scene, &snap.Presenter
	switch {
	case p.Paused && !(s.paused && cur.Name() == s.scene):
		bo.Press(b.keys.pause) // a paused scene never moves on
	case cur.Name() != s.scene:
		b.toScene(s.scene, cur)
	case p.Paused != s.paused:
		bo.Press(b.keys.pause)
	case p.Help != s.help:
		bo.Press(b.keys.help)
	case p.Overlay != s.overlay:
		bo.Press(b.keys.overlay)
	case p.Privacy != s.privacy:
		bo.Press(b.keys.privacy) // it cycles through the modes
	}
}

// toScene starts what leads to the scene named want from the scene cur.
func (b *DrawBench) toScene(want string, cur game.Scene) {
	first := game.GameNames()[0]
	switch want {
	case "attract":
		b.booth.Press(b.keys.attract)
	case "countdown":
		_ = b.booth.StartGame(first) // a known game
	case "results":
		if g := resultsGame(); b.playing(cur) != g {
			_ = b.booth.StartGame(g) // its short round ends in the results
		}
	default:
		if b.playing(cur) == want {
			return // its countdown is on: it starts by itself
		}
		if err := b.booth.StartGame(want); err != nil {
			b.fig.Error = err.Error()
		}
	}
}

// resultsGame is the game whose round the bench lets end for the results:
// Bubble Pop, which scores on any clip with people moving, so the results
// show a rank, confetti and today's top ten; else the first game.
func resultsGame() string {
	if slices.Contains(game.GameNames(), "bubbles") {
		return "bubbles"
	}
	return game.GameNames()[0]
}

// playing is the game on screen or counted down to, "" for none.
func (b *DrawBench) playing(cur game.Scene) string {
	switch s := cur.(type) {
	case *game.Countdown:
		if s.Game() != nil {
			return s.Game().Name()
		}
	case game.Game:
		return s.Name()
	}
	return ""
}

// next prints the scene's line and moves on to the next scene; after the
// last, it ends the window.
func (b *DrawBench) next() {
	if n := b.fig.Frames; n > 0 {
		b.fig.AllocsPerFrame = round2(float64(b.sumObjs) / float64(n))
		b.fig.BytesPerFrame = math.Round(float64(b.sumBytes) / float64(n))
	}
	line, _ := json.Marshal(b.fig)
	fmt.Fprintf(b.out, "%s\n", line)
	b.step++
	b.onFor, b.warm, b.waited, b.sumObjs, b.sumBytes = 0, 0, 0, 0, 0
	b.fig = DrawFigure{}
	if b.step >= len(b.plan) {
		b.done()
		return
	}
	b.fig.Scene = b.plan[b.step].name
}
