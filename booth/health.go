package booth

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/carrierarcade/kiosk/health"
	"github.com/carrierarcade/kiosk/link"
	"github.com/carrierarcade/kiosk/power"
	"github.com/carrierarcade/kiosk/sight"
	"github.com/carrierarcade/kiosk/vision"
)

// sourceFresh is how recently a frame must have come for the source to
// count as delivering: the watchdog's own default stall, plus slack.
const sourceFresh = 5 * time.Second

// HealthParts are the parts the health server reads when it is asked,
// each from its probe's goroutine through the part's own lock. Camera,
// Power and Link may be nil (a clip without a watchdog, no power policy,
// no link).
type HealthParts struct {
	Pipe   *vision.Pipeline
	Camera CameraWatch
	Demo   bool // the demo clip plays because the camera could not be opened
	Power  *power.Controller
	Levels []power.Level
	Link   *link.Carrier
}

// CameraWatch tells the camera's state: a Watchdog, or a Switch that can
// turn the camera off.
type CameraWatch interface {
	State() vision.CameraState
}

// DetectorHook is a pipeline's Ran for srv; nil (no hook) when srv is nil.
func DetectorHook(srv *health.Server) func(string, sight.Timings, error) {
	if srv == nil {
		return nil
	}
	return func(detector string, t sight.Timings, err error) { srv.DetectorRan(detector, t.Inference, err) }
}

// WatchHealth has srv read the parts at each scrape, and makes readiness
// wait for a source that delivers frames. Never the link: carriers apart
// is normal, and a probe that failed on it would restart a working kiosk.
func WatchHealth(srv *health.Server, p HealthParts) {
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
		if err := fresh(p.Pipe.Status(), now); err != nil {
			if p.Camera != nil {
				if st := p.Camera.State(); !st.Live && st.Reason != "" {
					return fmt.Errorf("%v (%s)", err, st.Reason)
				}
			}
			return err
		}
		return nil
	})
	srv.WatchCamera(func() health.Camera {
		st := p.Pipe.Status()
		c := health.Camera{Up: fresh(st, time.Now()) == nil, Demo: p.Demo, FPS: st.CameraRate}
		if p.Camera != nil {
			cs := p.Camera.State()
			c.Up, c.Outages, c.Recoveries = cs.Live, cs.Outages, cs.Recoveries
			// The reel plays while the camera is off, or in its place
			// when it could not be opened again; a clip that played
			// from the start until the camera was turned on.
			c.Demo = cs.Off || cs.StandIn || p.Demo && cs.Turned.IsZero()
		}
		return c
	})
	srv.WatchDetectors(func() []health.Detector {
		st := p.Pipe.Status()
		var ds []health.Detector
		if st.Objects.On {
			ds = append(ds, health.Detector{Name: "objects", RunsPerSecond: st.Objects.Rate})
		}
		if st.Faces.On {
			ds = append(ds, health.Detector{Name: "faces", RunsPerSecond: st.Faces.Rate})
		}
		return ds
	})
	if p.Power != nil {
		var names []string
		for _, l := range p.Levels {
			names = append(names, l.Name)
		}
		srv.WatchPower(func() health.Power {
			st := p.Power.Status()
			s := st.State
			return health.Power{Read: st.Read, Level: st.Decision.Level, Levels: names, OnAC: s.OnAC,
				Charging: s.Charging, HasBattery: s.HasBattery, Percent: s.Percent, MinutesLeft: st.MinutesLeft,
				HaveMinutes: st.HaveMinutes, DrawWatts: s.DrawWatts, BrightnessPercent: st.Brightness, Lux: st.Lux, HaveLux: st.HaveLux}
		})
	}
	if p.Link != nil {
		srv.WatchLink(func() health.Link {
			st := p.Link.Status()
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
