package power

import (
	"context"
	"log/slog"
	"math"
	"sync"
	"time"
)

// Status is what the kiosk shows of power: the last reading and the level
// in force.
type Status struct {
	State       State
	MinutesLeft float64
	HaveMinutes bool
	Decision    Decision
	Simulated   bool
	Read        bool // false until the first reading
	// The ambient light, smoothed (HaveLux false without a sensor or
	// before its first reading), and the brightness last set.
	Lux        float64
	HaveLux    bool
	Brightness float64
}

// Controller runs the power policy in its own goroutine: it reads the
// battery every poll interval (a read never blocks the game), picks the
// level, and hands the budget to apply and the brightness to the dimmer.
type Controller struct {
	cfg    Config
	read   func() (State, error)
	apply  func(Budget)
	dimmer *Dimmer
	log    *slog.Logger

	mu     sync.Mutex
	policy *Policy
	est    *Estimator
	status Status

	// bright carries the presenter's brightness to Run's goroutine, which
	// writes the backlight: the game loop never waits on sysfs. The
	// newest value wins.
	bright chan float64

	// The ambient light sensor, nil when there is none; the follower is
	// used on Run's goroutine (and by Poll under mu).
	ambient  *AmbientSensor
	light    *LightFollower
	lightErr string // the last read failure logged
}

// lightEvery is how often the ambient light is read.
const lightEvery = 2 * time.Second

// NewController builds the controller. apply receives each new budget (the
// pipeline's); dimmer may be nil when there is no backlight to set.
func NewController(cfg Config, apply func(Budget), dimmer *Dimmer, log *slog.Logger) *Controller {
	c := &Controller{cfg: cfg, apply: apply, dimmer: dimmer, log: log,
		policy: NewPolicy(cfg), est: NewEstimator(DefaultTau), bright: make(chan float64, 1)}
	reader := Reader{Root: cfg.SysfsRoot}
	c.read = reader.Read
	if _, ok := Simulated(cfg); ok {
		c.read = func() (State, error) { s, _ := Simulated(c.cfg); return s, nil }
	}
	if a, err := FindAmbient(cfg.SysfsRoot); err == nil {
		c.ambient, c.light = a, NewLightFollower()
		log.Info("ambient light sensor: the brightness follows the hall's light", "sensor", a.Dir,
			"dimmest_percent", cfg.AmbientMinPercent)
	}
	return c
}

// Run polls until ctx ends, and writes the brightness the presenter asks
// for with Nudge.
func (c *Controller) Run(ctx context.Context) {
	t := time.NewTicker(c.cfg.PollInterval())
	defer t.Stop()
	var lightTick <-chan time.Time
	if c.ambient != nil {
		lt := time.NewTicker(lightEvery)
		defer lt.Stop()
		lightTick = lt.C
		c.FollowLight(time.Now())
	}
	for {
		c.Poll(time.Now())
		for polled := false; !polled; {
			select {
			case <-ctx.Done():
				return
			case b := <-c.bright:
				c.setBrightness(b)
			case now := <-lightTick:
				c.FollowLight(now)
			case <-t.C:
				polled = true
			}
		}
	}
}

// FollowLight reads the ambient light and moves the brightness with it,
// between [power] ambient_min_percent and the level's brightness, unless
// the presenter set the brightness (that holds until the level changes).
func (c *Controller) FollowLight(now time.Time) {
	if c.ambient == nil {
		return
	}
	lux, err := c.ambient.Lux()
	if err != nil {
		if err.Error() != c.lightErr {
			c.lightErr = err.Error()
			c.log.Warn("cannot read the ambient light; the brightness stays", "err", err)
		}
		return
	}
	c.lightErr = ""
	c.mu.Lock()
	c.light.Take(lux, now)
	c.status.Lux, c.status.HaveLux = c.light.Lux()
	if c.policy.Overridden() || !c.status.Read {
		c.mu.Unlock()
		return
	}
	b, moved := c.light.Brightness(c.cfg.AmbientMinPercent, c.status.Decision.Budget.BrightnessPercent)
	if moved {
		c.status.Brightness = b
	}
	c.mu.Unlock()
	if moved {
		c.log.Debug("brightness follows the light", "lux", math.Round(lux), "percent", b)
		c.setBrightness(b)
	}
}

// Poll takes one reading at now and applies the policy's decision.
func (c *Controller) Poll(now time.Time) {
	s, err := c.read()
	if err != nil {
		c.log.Warn("cannot read the battery", "err", err)
		return
	}
	c.mu.Lock()
	minutes, have := c.est.Observe(s, now)
	d, changed := c.policy.Update(s.Percent, s.Charging, s.OnAC, minutes, have, now)
	_, simulated := Simulated(c.cfg)
	lux, haveLux, bright := c.status.Lux, c.status.HaveLux, c.status.Brightness
	c.status = Status{State: s, MinutesLeft: minutes, HaveMinutes: have, Decision: d, Simulated: simulated, Read: true,
		Lux: lux, HaveLux: haveLux, Brightness: bright}
	if changed {
		// A new level: its brightness, or with a light sensor the
		// brightness for the hall's light under the new ceiling.
		bright = d.Budget.BrightnessPercent
		if c.light != nil {
			bright, _ = c.light.Brightness(c.cfg.AmbientMinPercent, d.Budget.BrightnessPercent)
		}
		c.status.Brightness = bright
	}
	c.mu.Unlock()
	if changed {
		c.log.Info("power level", "level", d.Level, "battery_percent", s.Percent, "on_ac", s.OnAC,
			"brightness", bright, "draw_fps", d.Budget.DrawFPS,
			"object_hz", d.Budget.ObjectHz, "face_hz", d.Budget.FaceHz)
		c.put(d.Budget, bright)
	}
}

// Nudge applies the presenter's brightness keys (delta in percent) until
// the level changes. It returns at once: Run's goroutine writes the
// backlight.
func (c *Controller) Nudge(delta float64) {
	c.mu.Lock()
	b := c.policy.Nudge(delta)
	c.status.Decision.Budget.BrightnessPercent, c.status.Brightness = b, b
	c.mu.Unlock()
	c.log.Info("brightness set by the presenter", "percent", b)
	for {
		select {
		case c.bright <- b:
			return
		default: // an older value not yet written: the newest wins
			select {
			case <-c.bright:
			default:
			}
		}
	}
}

func (c *Controller) setBrightness(b float64) {
	if c.dimmer != nil {
		if err := c.dimmer.Set(b); err != nil {
			c.log.Warn("cannot set the brightness", "err", err)
		}
	}
}

// HasBacklight reports whether the controller sets a real backlight.
func (c *Controller) HasBacklight() bool { return c.dimmer != nil && c.dimmer.b != nil }

// Status is the latest reading and decision.
func (c *Controller) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

func (c *Controller) put(b Budget, brightness float64) {
	if c.apply != nil {
		c.apply(b)
	}
	c.setBrightness(brightness)
}
