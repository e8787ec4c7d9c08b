package power

import (
	"errors"
	"log/slog"
	"sync"
)

// Dimmer sets the backlight for the poll loop. Lacking permission is a setup
// matter, not a failure of the kiosk: it is logged once with the fix, and
// later calls carry on silently.
type Dimmer struct {
	b      *Backlight // nil: no backlight, every Set is a no-op
	log    *slog.Logger
	warned sync.Once
}

// NewDimmer wraps b (which may be nil) and logs to log (nil: discard).
func NewDimmer(b *Backlight, log *slog.Logger) *Dimmer {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Dimmer{b: b, log: log}
}

// Set sets the brightness in percent. A permission error is logged the
// first time and then ignored; other errors are returned.
func (d *Dimmer) Set(percent float64) error {
	if d.b == nil {
		return nil
	}
	err := d.b.SetPercent(percent)
	if errors.Is(err, ErrNoPermission) {
		d.warned.Do(func() {
			d.log.Warn("cannot dim the screen; battery life will be shorter", "dir", d.b.Dir, "err", err)
		})
		return nil
	}
	return err
}
