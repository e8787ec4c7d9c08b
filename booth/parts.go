//go:build cgo

package booth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/carrierarcade/kiosk/internal/check"
	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/model"
	"github.com/carrierarcade/kiosk/vision"
)

// detectors are the runtime and the detectors a command uses. Close frees
// them in reverse order, whatever was opened.
type Detectors struct {
	rt      *model.Runtime // nil when no detector is enabled
	Objects model.Detector // nil when disabled
	Faces   model.Detector // nil when disabled
}

// RuntimeVersion is the ONNX Runtime library's version, for the start-up
// log; "" when no detector is enabled.
func (d *Detectors) RuntimeVersion() string {
	if d.rt == nil {
		return ""
	}
	return d.rt.Version()
}

// OpenDetectors opens the runtime and the enabled detectors named in want
// ("objects", "faces").
func OpenDetectors(l config.Loaded, want ...string) (d *Detectors, err error) {
	d = &Detectors{}
	defer func() {
		if err != nil {
			d.Close()
		}
	}()
	if err := l.ProblemsErr(l.FileProblems(want, nil)); err != nil {
		return d, err
	}
	for _, name := range want {
		cfg := l.Model.Objects
		if name == "faces" {
			cfg = l.Model.Faces
		}
		if !cfg.Enabled {
			continue
		}
		if d.rt == nil {
			if d.rt, err = model.OpenRuntime(l.Resolve(l.Model.Library)); err != nil {
				if p, ok := config.KeyedProblem(err, "model.library"); ok {
					return d, l.ProblemsErr(check.Problems{p})
				}
				return d, err
			}
		}
		det, err := model.Open(d.rt, name, l.Resolve(cfg.Path), cfg)
		if err != nil {
			// A model of the wrong family, or not a model: the config's
			// to fix, placed like any other problem.
			if p, ok := config.KeyedProblem(err, "model."+name+".path"); ok && errors.Is(err, model.ErrModel) {
				return d, l.ProblemsErr(check.Problems{p})
			}
			return d, err
		}
		if name == "faces" {
			d.Faces = det
		} else {
			d.Objects = det
		}
	}
	return d, nil
}

func (d *Detectors) Close() {
	if d.Faces != nil {
		d.Faces.Close()
	}
	if d.Objects != nil {
		d.Objects.Close()
	}
	if d.rt != nil {
		d.rt.Close()
	}
}

// WatchedSource opens spec (falling back to the demo clip when a camera
// cannot be opened) behind a watchdog that reopens it whenever it stops,
// freezes or ends. demo reports whether the fallback happened.
func WatchedSource(ctx context.Context, l config.Loaded, spec string, log *slog.Logger) (*vision.Watchdog, bool, error) {
	first, demo, err := OpenSource(l, spec, log)
	if err != nil {
		return nil, false, err
	}
	sp, _ := parseSpec(spec)
	if demo {
		sp, _ = parseSpec(l.Source.Demo)
	}
	return watched(ctx, l, sp, first, log), demo, nil
}

// watched is sp behind a watchdog that starts on first, already open.
func watched(ctx context.Context, l config.Loaded, sp vision.Spec, first vision.FrameSource, log *slog.Logger) *vision.Watchdog {
	open := func() (vision.FrameSource, error) {
		if first != nil {
			src := first
			first = nil
			return src, nil
		}
		return vision.Open(sp, l.SourceFor(sp.String()), l.Base)
	}
	return vision.NewWatchdog(ctx, open, l.Watchdog, nil, log)
}

// cameraRetry is how often a camera that could not be opened is tried
// again while the demo clip stands in for it: a camera plugged in after
// the start plays within this long, with no key.
const cameraRetry = 10 * time.Second

// SwitchedSource is WatchedSource behind a switch the presenter's camera
// key turns: off, the camera's device is closed and the demo clip plays.
// With source.enabled = false it starts off, and the camera is not opened
// until the key asks. demo reports whether the demo clip plays at start
// (the camera is off, or could not be opened).
func SwitchedSource(ctx context.Context, l config.Loaded, spec string, log *slog.Logger) (*vision.Switch, bool, error) {
	open := func(ctx context.Context, on bool) (*vision.Watchdog, bool, error) {
		s := l.Source.Demo
		if on {
			s = spec
		}
		w, demo, err := WatchedSource(ctx, l, s, log)
		return w, demo || !on, err
	}
	on, by := l.Source.Enabled, ""
	if !on {
		by = "source.enabled = false"
		log.Info("the camera is off (source.enabled = false): the demo clip plays; the camera key turns it on", "demo", l.Source.Demo, "keys", l.Keys.Camera)
	}
	start := spec
	if !on {
		start = l.Source.Demo
	}
	first, demo, err := WatchedSource(ctx, l, start, log)
	if err != nil {
		return nil, false, err
	}
	demo = demo || !on
	sides := vision.SwitchSides{Open: open}
	if sp, err := parseSpec(spec); err == nil && sp.Kind == "camera" {
		sides.RetryEvery = cameraRetry
		sides.Camera = func(ctx context.Context) (*vision.Watchdog, error) {
			src, err := vision.Open(sp, l.SourceFor(spec), l.Base)
			if err != nil {
				return nil, err
			}
			return watched(ctx, l, sp, src, log), nil
		}
	}
	return vision.NewSwitch(ctx, vision.SwitchStart{Side: first, On: on, StandIn: demo, By: by}, sides, nil, log), demo, nil
}

// OpenSource opens spec, falling back to the demo clip when a camera cannot
// be opened. demo reports whether the fallback happened.
func OpenSource(l config.Loaded, spec string, log *slog.Logger) (src vision.FrameSource, demo bool, err error) {
	sp, err := parseSpec(spec)
	if err != nil {
		return nil, false, fmt.Errorf("%w: %v", config.ErrConfig, err)
	}
	src, err = vision.Open(sp, l.SourceFor(spec), l.Base)
	if err == nil {
		return src, false, nil
	}
	if sp.Kind != "camera" {
		return nil, false, err
	}
	log.Warn("camera unavailable, playing the demo clip instead", "camera", sp.String(), "demo", l.Source.Demo, "reason", err)
	demoSpec, derr := vision.ParseSpec(l.Source.Demo)
	if derr != nil {
		return nil, false, fmt.Errorf("%w: source.demo: %v", config.ErrConfig, derr)
	}
	src, derr = vision.Open(demoSpec, l.SourceFor(l.Source.Demo), l.Base)
	if derr != nil {
		return nil, false, errors.Join(err, fmt.Errorf("and the demo clip failed too: %w", derr))
	}
	return src, true, nil
}

func parseSpec(s string) (vision.Spec, error) { return vision.ParseSpec(s) }
