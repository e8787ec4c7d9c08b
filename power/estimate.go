package power

import (
	"math"
	"time"
)

// DefaultTau is the estimator's smoothing time constant when none is given.
const DefaultTau = 2 * time.Minute

// Estimator turns draw readings into minutes left. The draw jumps with every
// Wi-Fi burst and detector run; an exponential moving average over a couple
// of minutes keeps the estimate from swinging by an hour between polls.
// It is not safe for concurrent use.
type Estimator struct {
	tau   time.Duration
	watts float64 // smoothed draw, valid when have
	have  bool
	at    time.Time // when watts was last updated

	// For drivers without power_now/current_now, draw is derived from the
	// fall of energy_now between two gauge ticks (the gauge only updates
	// every half minute or so, so consecutive equal readings are skipped).
	anchorWh float64
	anchorAt time.Time
	anchored bool // anchorWh is set
	ticked   bool // anchorAt is a real tick, not merely when we first looked

	// For gauges with charge and current but no voltage (so no energy):
	// the smoothed current, in amperes.
	amps     float64
	haveAmps bool
	ampsAt   time.Time
}

// NewEstimator returns an estimator with time constant tau (DefaultTau if
// tau <= 0).
func NewEstimator(tau time.Duration) *Estimator {
	if tau <= 0 {
		tau = DefaultTau
	}
	return &Estimator{tau: tau}
}

// Observe feeds one reading taken at now and returns the minutes left, with
// ok false when unknown: charging or on a desktop, no energy figure, or no
// draw figure yet.
func (e *Estimator) Observe(s State, now time.Time) (minutesLeft float64, ok bool) {
	if s.Charging || !s.HasBattery {
		// Readings from before the charge say nothing about the next discharge.
		*e = Estimator{tau: e.tau}
		return 0, false
	}
	wh := totalEnergy(s.Batteries)
	if wh < 0 {
		if ah, amps, ok := chargeAndCurrent(s.Batteries, s.OnAC); ok {
			// No voltage, so no energy: charge over current is the time
			// left all the same.
			e.amps = smooth(e.amps, amps, e.haveAmps, now.Sub(e.ampsAt), e.tau)
			e.haveAmps, e.ampsAt = true, now
			return ah / e.amps * 60, true
		}
	}
	derived, okDerived := e.fromEnergy(wh, now)
	switch {
	case s.DrawWatts > 0:
		e.sample(s.DrawWatts, now)
	case okDerived:
		e.sample(derived, now)
	}
	if !e.have || wh < 0 || e.watts <= 0 {
		return 0, false
	}
	return wh / e.watts * 60, true
}

// sample folds one draw reading into the average. Polls need not be evenly
// spaced: the weight follows the time since the last sample.
func (e *Estimator) sample(w float64, now time.Time) {
	if !e.have {
		e.watts, e.have, e.at = w, true, now
		return
	}
	if dt := now.Sub(e.at); dt > 0 {
		e.watts += (1 - math.Exp(-float64(dt)/float64(e.tau))) * (w - e.watts)
	}
	e.at = now
}

// smooth folds v into the average avg over dt with time constant tau; the
// first value is taken as it is.
func smooth(avg, v float64, have bool, dt, tau time.Duration) float64 {
	if !have {
		return v
	}
	if dt <= 0 {
		return avg
	}
	return avg + (1-math.Exp(-float64(dt)/float64(tau)))*(v-avg)
}

// chargeAndCurrent is the charge left (Ah) and the discharge current (A)
// over all batteries, when every battery reports its charge and the ones
// draining their current, and something drains.
func chargeAndCurrent(bs []Battery, onAC bool) (ah, amps float64, ok bool) {
	for _, b := range bs {
		if b.ChargeNowAh < 0 {
			return 0, 0, false
		}
		ah += b.ChargeNowAh
		if discharging(b.Status, onAC) {
			if b.CurrentA < 0 {
				return 0, 0, false
			}
			amps += b.CurrentA
		}
	}
	return ah, amps, len(bs) > 0 && amps > 0
}

// fromEnergy tracks the energy total and returns the draw implied by its
// fall since the previous gauge tick.
func (e *Estimator) fromEnergy(wh float64, now time.Time) (float64, bool) {
	switch {
	case wh < 0:
		e.anchored = false
		return 0, false
	case !e.anchored || wh > e.anchorWh || !now.After(e.anchorAt):
		e.anchorWh, e.anchorAt, e.anchored, e.ticked = wh, now, true, false
		return 0, false
	case wh == e.anchorWh:
		return 0, false
	}
	w := (e.anchorWh - wh) / now.Sub(e.anchorAt).Hours()
	ok := e.ticked // the first tick only marks a start: the level had been held for an unknown time before we looked
	e.anchorWh, e.anchorAt, e.ticked = wh, now, true
	return w, ok
}

// totalEnergy is the energy left in all batteries in Wh, -1 when unknown.
func totalEnergy(bs []Battery) float64 {
	if len(bs) == 0 {
		return -1
	}
	sum := 0.0
	for _, b := range bs {
		if b.EnergyNowWh < 0 {
			return -1
		}
		sum += b.EnergyNowWh
	}
	return sum
}
