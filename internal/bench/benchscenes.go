package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/carrierarcade/kiosk/booth"
	"github.com/carrierarcade/kiosk/budget"
	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/power"
	"github.com/carrierarcade/kiosk/vision"
	"gocv.io/x/gocv"
)

// SceneCPU is what one scene costs at one power level: CPU seconds per
// second of the whole process, and that as a ratio to a full-rate hunt (the
// hunt as the kiosk ran it before scenes said what they need: every
// detector at the mains rates) measured in the same run and mode.
type SceneCPU struct {
	Mode         string       `json:"mode"` // headless or window
	Scene        string       `json:"scene"`
	Level        string       `json:"level"`
	Before       bool         `json:"before"` // [budget] by_scene = false: as the kiosk ran before
	Seconds      float64      `json:"seconds"`
	CPUPerSecond float64      `json:"cpu_seconds_per_second"`
	RatioToHunt  float64      `json:"ratio_to_full_rate_hunt"`
	Budget       budget.Rates `json:"budget"` // the rates in force at the end (headless)
	Machine      string       `json:"machine"`
}

// benchScene is one scene to measure: the game to play ("" for the attract
// screen) and whether the clip is a still picture of an empty place.
type benchScene struct {
	name  string
	game  string
	still bool
}

var benchScenes = []benchScene{
	{name: "attract"}, {name: "attract idle", still: true},
	{name: "hunt", game: "hunt"}, {name: "bubbles", game: "bubbles"}, {name: "freeze", game: "freeze"}, {name: "dodge", game: "dodge"},
}

// benchWarm is how long each measurement settles first: detectors warm,
// and the idle budget (after_seconds set to 2 for the bench) in force.
const benchWarm = 4 * time.Second

// Scenes measures every scene at the mains level and the lowest
// battery level, headless (the real pipeline, session, rules and budgeter
// at real time on a clip, nothing drawn), each as it runs now and as it ran
// before; then, with a display, in the real window (now, and the full-rate
// hunt for the ratio).
func Scenes(ctx context.Context, windowProgram func() (string, error), l config.Loaded, sets []string, clip string, seconds float64, asJSON bool, stdout, stderr io.Writer) error {
	mains, lowest, err := benchLevels(l.Power)
	if err != nil {
		return err
	}
	still, err := writeStillClip(filepath.Join(l.Resolve(l.Game.DataDir), "bench"), l.Resolve(".cache/media/box.png"))
	if err != nil {
		return err
	}
	defer os.Remove(still)
	l.Model.Objects.Enabled = true
	dets, err := booth.OpenDetectors(l, "objects", "faces")
	if err != nil {
		return err
	}
	defer dets.Close()
	measure := time.Duration(seconds * float64(time.Second))
	var results []SceneCPU
	report := func(r SceneCPU) {
		results = append(results, r)
		fmt.Fprintf(stderr, "%-8s %-13s %-9s before=%-5v %.3f CPU s/s\n", r.Mode, r.Scene, r.Level, r.Before, r.CPUPerSecond)
	}
	for _, before := range []bool{false, true} {
		for _, lv := range []power.Level{mains, lowest} {
			for _, sc := range benchScenes {
				src := clip
				if sc.still {
					src = still
				}
				r, err := headlessScene(ctx, l, dets, src, sc, lv, before, measure)
				if err != nil {
					return err
				}
				report(r)
			}
		}
	}
	if os.Getenv("DISPLAY") == "" {
		fmt.Fprintln(stderr, "no display: the window table is left out (run under 'xvfb-run -a' for it)")
	} else {
		for _, lv := range []power.Level{mains, lowest} {
			for _, sc := range benchScenes {
				src := clip
				if sc.still {
					src = still
				}
				r, err := windowScene(ctx, windowProgram, l, sets, src, sc, lv, false, measure, stderr)
				if err != nil {
					return err
				}
				report(r)
			}
		}
		r, err := windowScene(ctx, windowProgram, l, sets, clip, benchScenes[2], mains, true, measure, stderr)
		if err != nil {
			return err
		}
		report(r)
	}
	for i := range results {
		for _, ref := range results {
			if ref.Mode == results[i].Mode && ref.Scene == "hunt" && ref.Before && ref.Level == mains.Name && ref.CPUPerSecond > 0 {
				results[i].RatioToHunt = round2(results[i].CPUPerSecond / ref.CPUPerSecond)
			}
		}
	}
	if asJSON {
		return json.NewEncoder(stdout).Encode(results)
	}
	printSceneCPU(stdout, results, mains.Name, lowest.Name)
	return nil
}

// benchLevels are the mains level and the lowest battery level.
func benchLevels(cfg power.Config) (mains, lowest power.Level, err error) {
	lowest.MinPercent = math.Inf(1)
	found := false
	for _, lv := range cfg.Levels {
		switch {
		case lv.OnAC:
			mains = lv
		case lv.MinPercent < lowest.MinPercent:
			lowest, found = lv, true
		}
	}
	if mains.Name == "" || !found {
		return mains, lowest, fmt.Errorf("bench --scenes needs an on_ac level and a battery level in [power]")
	}
	return mains, lowest, nil
}

// benchSetup keeps a scene on screen for the whole measurement: no wave
// starts a game, no round ends early for want of a player, rounds as long
// as allowed.
func benchSetup(l config.Loaded) game.Setup {
	g := l.Game
	g.WaveThreshold, g.IdleSeconds, g.DemoAutoplaySeconds = 1, 600, 0
	g.Hunt.RoundSeconds, g.Bubbles.RoundSeconds, g.Freeze.RoundSeconds, g.Dodge.RoundSeconds = 300, 300, 300, 300
	return booth.SessionSetup(l, g, 1)
}

// headlessScene runs the pipeline (capture paced at the clip's rate, each
// stage in its goroutine), a session on the wall clock and the budgeter,
// drawing nothing, and measures the process's CPU after the warm-up.
func headlessScene(ctx context.Context, l config.Loaded, dets *booth.Detectors, clip string, sc benchScene, lv power.Level, before bool, measure time.Duration) (SceneCPU, error) {
	src, err := vision.OpenClip(clip, true)
	if err != nil {
		return SceneCPU{}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	capture := vision.StartCapture(ctx, src, true)
	defer capture.Stop()
	motion := vision.NewMotion(l.Motion)
	defer motion.Close()
	pipe := vision.NewPipeline(capture, vision.PipelineParts{Objects: dets.Objects, Faces: dets.Faces, Motion: motion,
		Mirror: l.Display.Mirror}, booth.PipelineRates(l.Budget.Rates()))
	pipe.Start(ctx)
	defer pipe.Stop()
	full := l.Budget
	full.ByScene, full.Idle.AfterSeconds = !before, 2
	if before {
		full.Idle.AfterSeconds = 0
	}
	b := booth.New(booth.Parts{Setup: benchSetup(l), Eyes: pipe, Budget: full,
		Rates: func(r budget.Rates) { pipe.SetRates(booth.PipelineRates(r)) }})
	defer b.Close()
	b.Budgeter().Level(lv.Budget())
	if sc.game != "" {
		if err := b.StartGame(sc.game); err != nil {
			return SceneCPU{}, err
		}
	}
	tick := time.NewTicker(time.Second / 60)
	defer tick.Stop()
	start := time.Now()
	var cpu0 time.Duration
	var t0 time.Time
	for {
		select {
		case <-ctx.Done():
			return SceneCPU{}, ctx.Err()
		case now := <-tick.C:
			snap := b.Tick(now)
			switch {
			case t0.IsZero() && now.Sub(start) >= benchWarm:
				t0, cpu0 = now, cpuTime()
			case !t0.IsZero() && now.Sub(t0) >= measure:
				wall := now.Sub(t0).Seconds()
				if name := snap.Scene.Name(); !sceneIs(name, sc) {
					return SceneCPU{}, fmt.Errorf("bench --scenes: %s ended up on %s", sc.name, name)
				}
				return SceneCPU{Mode: "headless", Scene: sc.name, Level: lv.Name, Before: before, Seconds: round2(wall),
					CPUPerSecond: round2((cpuTime() - cpu0).Seconds() / wall), Budget: snap.Budget.Rates, Machine: machine()}, nil
			}
		}
	}
}

func sceneIs(name string, sc benchScene) bool {
	if sc.game == "" {
		return name == "attract"
	}
	return name == sc.game
}

// windowScene runs the real kiosk window (kiosk-window run) on the clip at
// a simulated level, playing the scene's game (by its digit key), and
// measures the child's CPU after the warm-up from /proc.
func windowScene(ctx context.Context, windowProgram func() (string, error), l config.Loaded, sets []string, clip string, sc benchScene, lv power.Level, before bool, measure time.Duration, stderr io.Writer) (SceneCPU, error) {
	prog, err := windowProgram()
	if err != nil {
		return SceneCPU{}, err
	}
	pct, charging := lv.MinPercent+1, false
	if lv.OnAC {
		pct, charging = 80, true
	}
	args := []string{"run", "--windowed", "--source", "file:" + clip,
		"--set", fmt.Sprintf("power.simulate_percent=%g", pct), "--set", fmt.Sprintf("power.simulate_charging=%v", charging),
		"--set", "sound.mute=true", "--set", `log.level="warn"`,
		"--set", "game.wave_threshold=1", "--set", "game.idle_seconds=600", "--set", "game.demo_autoplay_seconds=0",
		"--set", fmt.Sprintf("budget.by_scene=%v", !before), "--set", "budget.idle.after_seconds=2"}
	if before {
		args = append(args, "--set", "budget.idle.after_seconds=0")
	}
	for _, g := range game.GameNames() {
		args = append(args, "--set", fmt.Sprintf("game.%s.round_seconds=300", g))
	}
	if sc.game != "" {
		rot := l.Game.Rotation
		for i, g := range rot {
			if g == sc.game {
				args = append(args, "--keys", strconv.Itoa(i+1)+"@0.5")
			}
		}
	}
	cmd := exec.CommandContext(ctx, prog, withConfig(args, l, sets)...)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		return SceneCPU{}, fmt.Errorf("starting %s: %w", prog, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		<-exited
	}()
	// A window that stops early (a bad setting, no display) measured
	// nothing: that is an error, not a figure.
	sleep := func(d time.Duration) error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-exited:
			exited <- err // for the deferred wait
			return fmt.Errorf("bench --scenes: the window stopped early (%v); its log above says why", err)
		case <-time.After(d):
			return nil
		}
	}
	// The window's start-up (models, the first frames) is not the scene.
	if err := sleep(benchWarm + 4*time.Second); err != nil {
		return SceneCPU{}, err
	}
	c0, err := procCPU(cmd.Process.Pid)
	if err != nil {
		return SceneCPU{}, err
	}
	t0 := time.Now()
	if err := sleep(measure); err != nil {
		return SceneCPU{}, err
	}
	c1, err := procCPU(cmd.Process.Pid)
	if err != nil {
		return SceneCPU{}, fmt.Errorf("the window stopped during the measurement: %w", err)
	}
	wall := time.Since(t0).Seconds()
	return SceneCPU{Mode: "window", Scene: sc.name, Level: lv.Name, Before: before, Seconds: round2(wall),
		CPUPerSecond: round2((c1 - c0).Seconds() / wall), Machine: machine()}, nil
}

// procCPU is a process's user and system time so far, from /proc.
func procCPU(pid int) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name may hold spaces: the fields follow its ')'.
	s := string(data)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: too few fields", pid)
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: %q %q", pid, f[11], f[12])
	}
	const hz = 100 // USER_HZ on Linux
	return time.Duration(ut+st) * time.Second / hz, nil
}

// writeStillClip writes ten seconds of one picture of an empty place (no
// person, nothing moving, a little sensor noise): the attract screen's
// idle case.
func writeStillClip(dir, picture string) (string, error) {
	img := gocv.IMRead(picture, gocv.IMReadColor)
	if img.Empty() {
		return "", fmt.Errorf("bench --scenes: cannot read %s (make deps fetches it)", picture)
	}
	defer img.Close()
	frame := gocv.NewMat()
	defer frame.Close()
	gocv.Resize(img, &frame, image.Pt(640, 480), 0, 0, gocv.InterpolationLinear)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "still.avi")
	w, err := gocv.VideoWriterFile(path, "MJPG", 10, 640, 480, true)
	if err != nil || !w.IsOpened() {
		return "", fmt.Errorf("cannot write the still clip %s: %v", path, err)
	}
	defer w.Close()
	// A camera's sensor noise: no two frames the same (the watchdog takes
	// a run of identical frames for a frozen camera), far below what motion
	// counts as movement.
	noise := gocv.NewMatWithSize(480, 640, gocv.MatTypeCV8UC3)
	defer noise.Close()
	noisy := gocv.NewMat()
	defer noisy.Close()
	for range 100 {
		gocv.RandU(&noise, gocv.NewScalar(0, 0, 0, 0), gocv.NewScalar(4, 4, 4, 0))
		gocv.Add(frame, noise, &noisy)
		if err := w.Write(noisy); err != nil {
			return "", err
		}
	}
	return path, nil
}

// printSceneCPU prints the two tables: headless and window, each scene at
// both levels as a ratio to the full-rate hunt, then the booth hour.
func printSceneCPU(w io.Writer, rs []SceneCPU, mains, lowest string) {
	find := func(mode, scene, level string, before bool) (SceneCPU, bool) {
		for _, r := range rs {
			if r.Mode == mode && r.Scene == scene && r.Level == level && r.Before == before {
				return r, true
			}
		}
		return SceneCPU{}, false
	}
	for _, mode := range []string{"headless", "window"} {
		if _, ok := find(mode, "hunt", mains, true); !ok {
			continue
		}
		fmt.Fprintf(w, "%s: CPU seconds per second, and as a ratio to a full-rate hunt\n", mode)
		fmt.Fprintf(w, "%-14s %16s %16s %16s %16s\n", "scene", mains+" now", lowest+" now", mains+" before", lowest+" before")
		for _, sc := range benchScenes {
			fmt.Fprintf(w, "%-14s", sc.name)
			for _, c := range []struct {
				level  string
				before bool
			}{{mains, false}, {lowest, false}, {mains, true}, {lowest, true}} {
				if r, ok := find(mode, sc.name, c.level, c.before); ok {
					fmt.Fprintf(w, " %7.3f (%5.2f)", r.CPUPerSecond, r.RatioToHunt)
				} else {
					fmt.Fprintf(w, " %16s", "-")
				}
			}
			fmt.Fprintln(w)
		}
		// A booth hour: 70 % idle attract, 30 % play spread over the games;
		// 0 when a scene was not measured (the window runs only the
		// full-rate hunt as before).
		hour := func(level string, before bool) float64 {
			idle, ok := find(mode, "attract idle", level, before)
			if !ok {
				return 0
			}
			play := 0.0
			for _, g := range game.GameNames() {
				r, ok := find(mode, g, level, before)
				if !ok {
					return 0
				}
				play += r.CPUPerSecond / float64(len(game.GameNames()))
			}
			return 0.7*idle.CPUPerSecond + 0.3*play
		}
		if now, was := hour(mains, false), hour(mains, true); now > 0 && was > 0 {
			fmt.Fprintf(w, "booth hour at %s (70%% idle attract, 30%% play): %.3f CPU s/s now, %.3f before: %.2f of before\n",
				mains, now, was, now/was)
		}
		if m, lo := hour(mains, false), hour(lowest, false); m > 0 {
			fmt.Fprintf(w, "booth hour at %s: %.2f of %s\n", lowest, lo/m, mains)
		}
		fmt.Fprintln(w)
	}
}
