package kiosk

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/carrierarcade/kiosk/model"
	"github.com/carrierarcade/kiosk/vision"
)

// How the camera's mounting is looked at: this many frames, one every
// mountGap, from mountDelay after the start (the camera's exposure
// settles first).
const (
	mountFrames = 10
	mountGap    = 1500 * time.Millisecond
	mountDelay  = 3 * time.Second
)

// mountDetector is a person detector of the mount check's own, on the
// runtime dets opened: a light one, beside the pipeline's.
func mountDetector(l Loaded, dets *Detectors) (model.Detector, error) {
	cfg := l.Model.Objects
	cfg.Threads, cfg.Classes = 1, []string{"person"}
	return model.Open(dets.rt, "objects", l.Resolve(cfg.Path), cfg)
}

// WatchMount looks at the first frames of a camera whose orientation is
// not set (source.rotation 0, no flip) with a person detector of its own,
// the frames upright and turned, and when people are found only turned it
// says so in the log and names the key to set. It does nothing for a clip,
// the demo, or a camera already set. stop ends it early and waits for it.
func WatchMount(ctx context.Context, l Loaded, spec string, dets *Detectors, c *vision.Capture, log *slog.Logger) (stop func()) {
	sp, err := parseSpec(spec)
	if err != nil || sp.Kind != "camera" || !l.Source.Enabled || !l.Source.Orientation().Upright() ||
		dets.rt == nil || dets.Objects == nil {
		return func() {}
	}
	det, err := mountDetector(l, dets)
	if err != nil {
		log.Debug("the camera's mounting is not looked at", "err", err)
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer det.Close()
		t := time.NewTimer(mountDelay)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		tally := vision.CheckMount(ctx, c, det, mountFrames, mountGap)
		if rot, ok := tally.Hint(); ok {
			log.Warn("the camera seems mounted turned: it finds people only when its frames are turned; set source.rotation (or run 'kiosk setup')",
				"source.rotation", rot, "set", "--set source.rotation="+strconv.Itoa(rot), "frames", tally.Frames, "people_upright", tally.People[0], "people_turned", tally.People[rot/90])
			return
		}
		log.Debug("the camera's mounting looks upright", "frames", tally.Frames, "people", tally.People)
	}()
	return func() { cancel(); <-done }
}
