package kiosk

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/carrierarcade/kiosk/booth"
	"github.com/carrierarcade/kiosk/internal/bench"
	"github.com/carrierarcade/kiosk/model"
	"github.com/carrierarcade/kiosk/vision"
)

func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("bench", "bench [--source SPEC] [--frames N] [--json] [--compare-opencv] | bench --power [--seconds S] | bench --scenes [--seconds S] | bench --draw [--frames N] | bench --link [--seconds S]", stderr)
	source := fs.String("source", "", "clip to measure on (default: source.demo)")
	frames := fs.Int("frames", 300, "frames to measure after 20 frames of warm-up")
	asJSON := fs.Bool("json", false, "print one JSON object")
	compare := fs.Bool("compare-opencv", false, "also run the object model through OpenCV's DNN module with the same thread count")
	levels := fs.Bool("power", false, "instead, run the real kiosk window at each power level (simulated battery) and measure its CPU")
	seconds := fs.Float64("seconds", 60, "with --power: seconds per level; with --link: seconds per phase; with --scenes: seconds per measurement (default 15)")
	scenes := fs.Bool("scenes", false, "instead, measure the CPU of each scene at the mains and the lowest battery level, headless and (with a display) in the window, as it runs now and as it ran before scenes said what they need")
	linkBench := fs.Bool("link", false, "instead, measure the carrier link: a hub and three carriers on 127.0.0.1 (bytes on the wire, latency, memory)")
	draw := fs.Bool("draw", false, "instead, run the real kiosk window through every scene and print each one's heap allocations per drawn frame (--frames per scene), one JSON line per scene")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	if *linkBench {
		return bench.Link(*seconds, *asJSON, stdout, stderr)
	}
	if *frames < 10 {
		return fmt.Errorf("%w: --frames must be at least 10", errUsage)
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
	if *levels {
		return bench.Power(ctx, WindowProgram, l, c.sets, sp.String(), *seconds, *asJSON, stdout, stderr)
	}
	if *scenes {
		if sp.Kind != "file" {
			return fmt.Errorf("%w: bench --scenes measures a clip (file:PATH), not %s", errUsage, sp)
		}
		per := 15.0
		fs.Visit(func(f *flag.Flag) {
			if f.Name == "seconds" {
				per = *seconds
			}
		})
		return bench.Scenes(ctx, WindowProgram, l, c.sets, l.Resolve(sp.Path), per, *asJSON, stdout, stderr)
	}
	if *draw {
		return bench.Draw(ctx, WindowProgram, l, c.sets, sp.String(), *frames, stdout, stderr)
	}
	if sp.Kind != "file" {
		return fmt.Errorf("%w: bench measures a clip (file:PATH), not %s", errUsage, sp)
	}
	l.Model.Objects.Enabled = true
	dets, err := booth.OpenDetectors(l, "objects", "faces")
	if err != nil {
		return err
	}
	defer dets.Close()
	res, err := bench.Pipeline(l, sp, dets, *frames)
	if err != nil {
		return err
	}
	if *compare {
		if dets.Objects.Info().Kind != model.KindYOLOX {
			return fmt.Errorf("--compare-opencv runs YOLOX models; %s is %s", dets.Objects.Info().Path, dets.Objects.Info().Kind)
		}
		cv, err := bench.OpenCV(l, sp, dets.Objects.Info(), min(*frames, 60))
		if err != nil {
			return err
		}
		res.OpenCV = cv
		res.Speedup = bench.Ratio(cv.InferenceP50, res.Stages["inference"].P50)
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	bench.PrintPipeline(stdout, res)
	return nil
}
