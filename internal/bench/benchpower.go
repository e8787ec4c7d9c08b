package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/power"
)

// PowerLevelResult is the CPU one power level costs the whole kiosk.
type PowerLevelResult struct {
	Level         string       `json:"level"`
	Simulated     float64      `json:"simulated_percent"`
	Budget        power.Budget `json:"budget"`
	Seconds       float64      `json:"seconds"`
	CPUSeconds    float64      `json:"cpu_seconds"`
	CPUPerSecond  float64      `json:"cpu_seconds_per_second"`
	RatioToMains  float64      `json:"ratio_to_mains"`
	PeakRSSMB     float64      `json:"peak_rss_mb"`
	WindowedWxH   string       `json:"window"`
	MachineString string       `json:"machine"`
}

// withConfig adds to the arguments of a window program a bench starts the
// config file l came from and the bench's --set overrides, after the
// bench's own, so that the program plays what the bench was asked to.
func withConfig(args []string, l config.Loaded, sets []string) []string {
	if l.Path != "" {
		args = append(args, "--config", l.Path)
	}
	for _, set := range sets {
		args = append(args, "--set", set)
	}
	return args
}

// Power runs the real kiosk (window, pipeline, games) on the same clip
// for the same time at each power level, with a simulated battery, and
// measures the CPU time the whole process used.
func Power(ctx context.Context, windowProgram func() (string, error), l config.Loaded, sets []string, source string, seconds float64, asJSON bool, stdout, stderr io.Writer) error {
	if os.Getenv("DISPLAY") == "" {
		return fmt.Errorf("bench --power runs the real window: run it under 'xvfb-run -a' or on the desktop")
	}
	prog, err := windowProgram()
	if err != nil {
		return err
	}
	var results []PowerLevelResult
	for _, lv := range l.Power.Levels {
		pct, charging := lv.MinPercent+1, false
		if lv.OnAC {
			pct, charging = 80, true
		}
		args := []string{"run", "--windowed", "--source", source,
			"--set", fmt.Sprintf("power.simulate_percent=%g", pct),
			"--set", fmt.Sprintf("power.simulate_charging=%v", charging),
			"--set", "sound.mute=true", "--set", "log.level=\"warn\"",
			// The reel played as the source is a demo, which starts games
			// by itself; the levels are compared on what the clip alone
			// makes the kiosk do, as they always were.
			"--set", "game.demo_autoplay_seconds=0",
			// Nobody scrapes a benchmark, and a kiosk running beside it
			// may hold the port.
			"--set", "http.listen=\"\""}
		cmd := exec.CommandContext(ctx, prog, withConfig(args, l, sets)...)
		cmd.Stderr = stderr
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("starting %s: %w", prog, err)
		}
		start := time.Now()
		select {
		case <-ctx.Done():
		case <-time.After(time.Duration(seconds * float64(time.Second))):
		}
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		wall := time.Since(start).Seconds()
		ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		if !ok {
			return fmt.Errorf("no resource usage for %s", prog)
		}
		cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
		results = append(results, PowerLevelResult{Level: lv.Name, Simulated: pct, Budget: lv.Budget(),
			Seconds: round2(wall), CPUSeconds: round2(cpu), CPUPerSecond: round2(cpu / wall),
			PeakRSSMB: round2(float64(ru.Maxrss) / 1024), WindowedWxH: fmt.Sprintf("%dx%d", l.Display.Width, l.Display.Height),
			MachineString: machine()})
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	var mains float64
	for _, lv := range l.Power.Levels {
		if lv.OnAC {
			for _, r := range results {
				if r.Level == lv.Name {
					mains = r.CPUPerSecond
				}
			}
		}
	}
	for i := range results {
		if mains > 0 {
			results[i].RatioToMains = round2(results[i].CPUPerSecond / mains)
		}
	}
	if asJSON {
		return json.NewEncoder(stdout).Encode(results)
	}
	fmt.Fprintf(stdout, "%-10s %7s %8s %8s %9s %8s %6s\n", "level", "bright", "draw fps", "objects", "faces", "CPU s/s", "ratio")
	for _, r := range results {
		fmt.Fprintf(stdout, "%-10s %6.0f%% %8.0f %7.0f/s %8.0f/s %8.2f %6.2f\n", r.Level, r.Budget.BrightnessPercent,
			r.Budget.DrawFPS, r.Budget.ObjectHz, r.Budget.FaceHz, r.CPUPerSecond, r.RatioToMains)
	}
	return nil
}
