package power_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/carrierarcade/kiosk/power"
)

// discharging is a one-battery reading: energy left in Wh, draw in W (-1 unknown).
func discharging(wh, watts float64) power.State {
	return power.State{
		Batteries:  []power.Battery{{Name: "BAT0", Status: "Discharging", Percent: wh, EnergyNowWh: wh, EnergyFullWh: 100, PowerW: watts}},
		HasBattery: true,
		Percent:    wh,
		DrawWatts:  watts,
	}
}

func TestEstimatorFromFixture(t *testing.T) {
	s := read(t, "framework")
	m, ok := power.NewEstimator(0).Observe(s, time.Unix(0, 0))
	assert.True(t, ok)
	assert.InDelta(t, 27.0/9*60, m, 1e-9, "27 Wh at 9 W: three hours")
}

func TestEstimatorSmoothing(t *testing.T) {
	e := power.NewEstimator(2 * time.Minute)
	t0 := time.Unix(1000, 0)

	m, ok := e.Observe(discharging(50, 10), t0)
	assert.True(t, ok)
	assert.InDelta(t, 300, m, 1e-9)

	// One time constant later a jump to 20 W has moved the average 63 % of the way.
	m, ok = e.Observe(discharging(50, 20), t0.Add(2*time.Minute))
	assert.True(t, ok)
	w := 10 + (1-math.Exp(-1))*10
	assert.InDelta(t, 50/w*60, m, 1e-9)

	// A burst lasting one 10 s poll barely moves it.
	before := m
	m, _ = e.Observe(discharging(50, 60), t0.Add(2*time.Minute+10*time.Second))
	assert.Less(t, before-m, 0.3*before)
	assert.Greater(t, m, 50/60.0*60)

	// The same instant twice does not count twice.
	again, _ := e.Observe(discharging(50, 60), t0.Add(2*time.Minute+10*time.Second))
	assert.InDelta(t, m, again, 1e-9)
}

func TestEstimatorUnknown(t *testing.T) {
	t0 := time.Unix(1000, 0)
	charging := discharging(50, 10)
	charging.Charging = true
	charging.Batteries[0].Status = "Charging"
	noEnergy := discharging(50, 10)
	noEnergy.Batteries[0].EnergyNowWh = -1

	tests := []struct {
		name string
		s    power.State
	}{
		{"charging", charging},
		{"desktop", power.State{OnAC: true, Percent: -1, DrawWatts: -1}},
		{"no draw figure", discharging(50, -1)},
		{"zero draw", discharging(50, 0)},
		{"no energy figure", noEnergy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ok := power.NewEstimator(time.Minute).Observe(tt.s, t0)
			assert.False(t, ok)
		})
	}
}

func TestEstimatorChargingResets(t *testing.T) {
	e := power.NewEstimator(2 * time.Minute)
	t0 := time.Unix(1000, 0)
	_, ok := e.Observe(discharging(50, 30), t0)
	assert.True(t, ok)

	charging := discharging(50, 30)
	charging.Charging = true
	_, ok = e.Observe(charging, t0.Add(time.Minute))
	assert.False(t, ok)

	// After the charge the old 30 W average is gone: 10 W counts in full.
	m, ok := e.Observe(discharging(60, 10), t0.Add(2*time.Minute))
	assert.True(t, ok)
	assert.InDelta(t, 360, m, 1e-9)
}

func TestEstimatorFromEnergyChange(t *testing.T) {
	e := power.NewEstimator(2 * time.Minute)
	t0 := time.Unix(1000, 0)
	obs := func(at time.Duration, wh float64) (float64, bool) {
		return e.Observe(discharging(wh, -1), t0.Add(at))
	}

	_, ok := obs(0, 50)
	assert.False(t, ok, "one reading: no change yet")
	_, ok = obs(time.Minute, 50)
	assert.False(t, ok, "the gauge has not ticked")
	_, ok = obs(2*time.Minute, 49.9)
	assert.False(t, ok, "first tick: 50 Wh may have been held since long before we looked")
	m, ok := obs(8*time.Minute, 49.0)
	assert.True(t, ok)
	assert.InDelta(t, 49/9.0*60, m, 1e-9, "0.9 Wh in 6 minutes: 9 W")

	m, ok = obs(9*time.Minute, 49.0)
	assert.True(t, ok, "between ticks the last average still holds")
	assert.InDelta(t, 49/9.0*60, m, 1e-9)
}
