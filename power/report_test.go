package power_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierarcade/kiosk/power"
)

func nan() float64 { return math.NaN() }

func TestReportJSON(t *testing.T) {
	s := read(t, "framework")
	d := power.Pick(power.DefaultConfig().Levels, s.Percent, s.Charging, s.OnAC, 179.6, true)
	out, err := json.Marshal(power.NewReport(s, 179.6, true, d))
	require.NoError(t, err)
	assert.JSONEq(t, `{
		"battery_percent": 49.1,
		"charging": false,
		"on_ac": false,
		"minutes_left": 180,
		"level": "medium",
		"critical": false,
		"budget": {"brightness_percent": 75, "draw_fps": 30, "object_hz": 6, "face_hz": 5},
		"ambient_lux": null
	}`, string(out))
}

func TestReportUnknowns(t *testing.T) {
	s := read(t, "desktop")
	d := power.Pick(power.DefaultConfig().Levels, s.Percent, s.Charging, s.OnAC, 0, false)
	r := power.NewReport(s, 42, false, d)
	assert.Nil(t, r.BatteryPercent)
	assert.Nil(t, r.MinutesLeft)
	assert.True(t, r.OnAC)
	assert.Equal(t, "mains", r.Level)

	out, err := json.Marshal(r)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"battery_percent":null`)
	assert.Contains(t, string(out), `"minutes_left":null`)

	assert.Nil(t, power.NewReport(s, math.Inf(1), true, d).MinutesLeft)
	assert.Nil(t, power.NewReport(s, nan(), true, d).MinutesLeft)
}

func TestSimulated(t *testing.T) {
	c := power.DefaultConfig()
	_, ok := power.Simulated(c)
	assert.False(t, ok, "off by default")

	c.SimulatePercent = 15
	s, ok := power.Simulated(c)
	require.True(t, ok)
	require.Len(t, s.Batteries, 1)
	assert.Equal(t, "simulated", s.Batteries[0].Name)
	assert.True(t, s.HasBattery)
	assert.False(t, s.OnAC)
	assert.False(t, s.Charging)
	assert.Equal(t, 15.0, s.Percent)
	assert.Equal(t, "low", power.Pick(c.Levels, s.Percent, s.Charging, s.OnAC, 0, false).Level)

	c.SimulateCharging = true
	s, ok = power.Simulated(c)
	require.True(t, ok)
	assert.True(t, s.OnAC)
	assert.True(t, s.Charging)
	assert.Equal(t, "mains", power.Pick(c.Levels, s.Percent, s.Charging, s.OnAC, 0, false).Level)
}
