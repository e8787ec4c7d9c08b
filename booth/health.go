package booth

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/carrierarcade/kiosk/health"
	"github.com/carrierarcade/kiosk/sight"
)

// sourceFresh is how recently a frame must have come for the source to
// count as delivering: the watchdog's own default stall, plus slack.
const sourceFresh = 5 * time.Second

// DetectorHook is a pipeline's Ran for srv; nil (no hook) when srv is nil.
func DetectorHook(srv *health.Server) func(string, sight.Timings, error) {
	if srv == nil {
		return nil
	}
	return func(detector string, t sight.Timings, err error) { srv.DetectorRan(detector, t.Inference, err) }
}

// watchHealth has srv read the booth's parts at each scrape, each from its
// probe's goroutine through the part's own lock, and makes readiness wait
// for a source that delivers frames. Never the link's being up: carriers
// apart is normal, and a probe that failed on it would restart a working
// kiosk.
func (b *Booth) watchHealth(srv *health.Server) {
	eyes, cam := b.parts.Eyes, b.parts.Camera
	fresh := func(st sight.Status, now time.Time) error {
		if st.CapturedAt.IsZero() {
			return fmt.Errorf("no frame yet")
		}
		if ago := now.Sub(st.CapturedAt); ago > sourceFresh {
			return fmt.Errorf("no frame for %.1f s", ago.Seconds())
		}
		return nil
	}
	srv.ReadyWhen("source", func(now time.Time) error {
		if err := fresh(eyes.Status(), now); err != nil {
			if cam != nil {
				if st := cam.State(); !st.Live && st.Reason != "" {
					return fmt.Errorf("%v (%s)", err, st.Reason)
				}
			}
			return err
		}
		return nil
	})
	srv.WatchCamera(func() health.Camera {
		st := eyes.Status()
		c := health.Camera{Up: fresh(st, time.Now()) == nil, Demo: b.demo.Load(), FPS: st.CameraRate}
		if cam != nil {
			cs := cam.State()
			c.Up, c.Outages, c.Recoveries = cs.Live, cs.Outages, cs.Recoveries
		}
		return c
	})
	srv.WatchDetectors(func() []health.Detector {
		st := eyes.Status()
		var ds []health.Detector
		if st.Objects.On {
			ds = append(ds, health.Detector{Name: "objects", RunsPerSecond: st.Objects.Rate})
		}
		if st.Faces.On {
			ds = append(ds, health.Detector{Name: "faces", RunsPerSecond: st.Faces.Rate})
		}
		return ds
	})
	if b.power != nil {
		var names []string
		for _, l := range b.parts.Power.Config.Levels {
			names = append(names, l.Name)
		}
		srv.WatchPower(func() health.Power {
			st := b.power.Status()
			s := st.State
			return health.Power{Read: st.Read, Level: st.Decision.Level, Levels: names, OnAC: s.OnAC,
				Charging: s.Charging, HasBattery: s.HasBattery, Percent: s.Percent, MinutesLeft: st.MinutesLeft,
				HaveMinutes: st.HaveMinutes, DrawWatts: s.DrawWatts, BrightnessPercent: st.Brightness, Lux: st.Lux, HaveLux: st.HaveLux}
		})
	}
	if l := b.parts.Link; l != nil {
		srv.WatchLink(func() health.Link {
			st := l.Status()
			return health.Link{Up: st.Up, Online: len(st.Online), Sent: st.Sent, Queued: st.Queued, Dropped: st.Dropped}
		})
	}
}

// ServeHealth serves srv on addr until ctx ends or the returned stop is
// called (stop waits for it; never nil). key is the setting that named
// addr ("http.listen", "--http"), for the one error line when it cannot be
// listened on: then the kiosk plays on without health and metrics.
func ServeHealth(ctx context.Context, srv *health.Server, key, addr string, log *slog.Logger) func() {
	bound, stop, err := srv.Serve(ctx, addr)
	if err != nil {
		log.Error(fmt.Sprintf("health and metrics not served: cannot listen on %s %q; the kiosk plays on without them", key, addr),
			key, addr, "err", err)
		return func() {}
	}
	log.Info("serving health and metrics", "addr", bound.String(), "paths", health.Paths())
	return stop
}
