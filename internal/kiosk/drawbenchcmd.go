package kiosk

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/carrierarcade/kiosk/internal/bench"
	"github.com/carrierarcade/kiosk/internal/config"
)

// drawBenchOptions are the draw bench's own flags, read by kiosk-window's
// DrawBenchMain and again by NewDrawBench from the job's arguments.
type drawBenchOptions struct {
	source string
	frames int
	shots  string
}

func drawBenchFlags(args []string, stderr io.Writer) (*drawBenchOptions, *common, error) {
	fs, c := newFlags(bench.DrawBenchCommand, bench.DrawBenchCommand+" [--source SPEC] [--frames N] [--shots DIR] [--config FILE] [--set k=v]...", stderr)
	o := &drawBenchOptions{}
	fs.StringVar(&o.source, "source", "", "where frames come from (default: source.demo)")
	fs.IntVar(&o.frames, "frames", 300, fmt.Sprintf("frames counted per scene, after %d frames of warm-up", bench.DrawWarmup))
	fs.StringVar(&o.shots, "shots", "", "also save each scene's first counted frame as DIR/SCENE.png, to check the look")
	if err := parseFlagsOnly(fs, args); err != nil {
		return nil, nil, err
	}
	if o.frames < 10 {
		return nil, nil, fmt.Errorf("%w: --frames must be at least 10", errUsage)
	}
	return o, c, nil
}

// DrawBenchMain is kiosk-window's draw bench mode, which 'kiosk bench
// --draw' starts: it reads the flags and configuration and hands the job
// to window, which attaches a DrawBench to the app. It returns the exit
// status.
func DrawBenchMain(args []string, stdout, stderr io.Writer, window Window) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := drawBenchWindow(ctx, args, stderr, window)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errUsage), errors.Is(err, config.ErrConfig):
		fmt.Fprintf(stderr, "kiosk-window %s: %v\n", bench.DrawBenchCommand, err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "kiosk-window %s: %v\n", bench.DrawBenchCommand, err)
		return exitFailure
	}
}

func drawBenchWindow(ctx context.Context, args []string, stderr io.Writer, window Window) error {
	o, c, err := drawBenchFlags(args, stderr)
	if err != nil {
		return err
	}
	dataDir, err := os.MkdirTemp("", "kiosk-drawbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dataDir)
	c.sets = append(bench.DrawSets(dataDir), c.sets...) // the user's own come last and win
	l, err := c.load()
	if err != nil {
		return err
	}
	if o.source == "" {
		o.source = l.Source.Demo
	}
	if err := checkSource(o.source); err != nil {
		return err
	}
	if o.shots != "" {
		if err := os.MkdirAll(o.shots, 0o755); err != nil {
			return err
		}
	}
	return startWindow(ctx, WindowJob{Command: bench.DrawBenchCommand, Args: args, Config: l, Source: o.source}, stderr, window)
}

// NewDrawBench prepares the draw bench for a draw bench job; done ends the
// window once every scene is measured.
func NewDrawBench(job WindowJob, b bench.Steered, out io.Writer, done func()) (*bench.DrawBench, error) {
	o, _, err := drawBenchFlags(job.Args, io.Discard)
	if err != nil {
		return nil, err
	}
	return bench.NewDrawBench(job.Config.Keys, o.frames, o.shots, b, out, done)
}
