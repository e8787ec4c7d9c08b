package power_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierarcade/kiosk/power"
)

func read(t *testing.T, fixture string) power.State {
	t.Helper()
	s, err := power.Reader{Root: filepath.Join("testdata", fixture)}.Read()
	require.NoError(t, err)
	return s
}

func TestReadFramework(t *testing.T) {
	s := read(t, "framework")
	require.Len(t, s.Batteries, 1, "the mouse battery (scope Device) is ignored")
	b := s.Batteries[0]
	assert.Equal(t, "BAT1", b.Name)
	assert.Equal(t, "Discharging", b.Status)
	assert.InDelta(t, 49, b.Percent, 1e-9)
	assert.InDelta(t, 27, b.EnergyNowWh, 1e-9)
	assert.InDelta(t, 55, b.EnergyFullWh, 1e-9)
	assert.InDelta(t, 9, b.PowerW, 1e-9)

	assert.Equal(t, []power.Supply{{Name: "ACAD", Type: "Mains", Online: false}}, s.Adapters)
	assert.True(t, s.HasBattery)
	assert.False(t, s.OnAC)
	assert.False(t, s.Charging)
	assert.InDelta(t, 27.0/55*100, s.Percent, 1e-9, "energy-weighted")
	assert.InDelta(t, 9, s.DrawWatts, 1e-9)
}

func TestReadChargeOnly(t *testing.T) {
	s := read(t, "charge-only")
	require.Len(t, s.Batteries, 1)
	b := s.Batteries[0]
	assert.Equal(t, "Not charging", b.Status)
	assert.InDelta(t, 50, b.Percent, 1e-9, "no capacity file: from charge")
	assert.InDelta(t, 2*11.1, b.EnergyNowWh, 1e-9, "charge times voltage_min_design")
	assert.InDelta(t, 4*11.1, b.EnergyFullWh, 1e-9)
	assert.InDelta(t, 1*11.5, b.PowerW, 1e-9, "current_now times voltage_now")

	assert.True(t, s.OnAC)
	assert.True(t, s.Charging, "not charging while on AC: held at a charge limit")
	assert.InDelta(t, 50, s.Percent, 1e-9)
	assert.Zero(t, s.DrawWatts, "nothing discharges")
}

func TestReadTwoBatteries(t *testing.T) {
	s := read(t, "two-batteries")
	require.Len(t, s.Batteries, 2)
	assert.Equal(t, "BAT0", s.Batteries[0].Name)
	assert.Equal(t, "BAT1", s.Batteries[1].Name)
	// 20 of 24 Wh plus 10 of 72 Wh: 31.25 %, not the 48.5 % mean of 83 and 14.
	assert.InDelta(t, 31.25, s.Percent, 1e-9)
	assert.InDelta(t, 8, s.DrawWatts, 1e-9, "only the discharging battery draws")
	assert.False(t, s.OnAC)
	assert.False(t, s.Charging, "not charging off AC is just idle")
}

func TestReadDesktop(t *testing.T) {
	s := read(t, "desktop")
	assert.Empty(t, s.Batteries)
	assert.False(t, s.HasBattery)
	assert.True(t, s.OnAC)
	assert.Equal(t, -1.0, s.Percent)
	assert.Equal(t, -1.0, s.DrawWatts)
}

func TestReadNoPowerSupplyFolder(t *testing.T) {
	s, err := power.Reader{Root: t.TempDir()}.Read()
	require.NoError(t, err)
	assert.True(t, s.OnAC)
	assert.False(t, s.HasBattery)
	assert.Equal(t, -1.0, s.Percent)
}

func TestReadUnlistable(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "class"), 0o755))
	// A file where the folder should be: listing fails, and not with "not exist".
	require.NoError(t, os.WriteFile(filepath.Join(root, "class", "power_supply"), nil, 0o644))
	s, err := power.Reader{Root: root}.Read()
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(root, "class", "power_supply"))
	assert.Equal(t, -1.0, s.Percent)
}

func TestReadBroken(t *testing.T) {
	s := read(t, "broken")
	require.Len(t, s.Batteries, 1, "BAT1 has present = 0, README is not a folder")
	assert.Equal(t, power.Battery{
		Name: "BAT0", Status: "Unknown",
		Percent: -1, EnergyNowWh: -1, EnergyFullWh: -1, PowerW: -1,
		ChargeNowAh: -1, CurrentA: 1.5, // current_now is fine; no charge_now
	}, s.Batteries[0])
	assert.Equal(t, []power.Supply{{Name: "ADP1", Type: "Mains"}}, s.Adapters)
	assert.False(t, s.OnAC)
	assert.False(t, s.Charging)
	assert.Equal(t, -1.0, s.Percent)
	assert.Equal(t, -1.0, s.DrawWatts, "status unknown off AC counts as draining, at an unknown rate")
}

func TestReadAttributeBounded(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "class", "power_supply", "BAT0")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	for name, v := range map[string]string{"type": "Battery", "status": "Discharging", "energy_full": "50000000"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(v+"\n"), 0o644))
	}
	// A megabyte of digits: only the first 64 bytes are read, and 64 digits
	// overflow int64, so the value is unknown rather than a slow parse.
	long := make([]byte, 1<<20)
	for i := range long {
		long[i] = '1'
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "energy_now"), long, 0o644))
	s, err := power.Reader{Root: root}.Read()
	require.NoError(t, err)
	require.Len(t, s.Batteries, 1)
	assert.Equal(t, -1.0, s.Batteries[0].EnergyNowWh, "64 ones overflow int64: unknown")
}

// A gauge that reports charge and current but no voltage: no energy and no
// watts, yet the time left is charge over current.
func TestChargeAndCurrentWithoutVoltageGiveMinutesLeft(t *testing.T) {
	s := read(t, "charge-no-voltage")
	require.Len(t, s.Batteries, 1)
	b := s.Batteries[0]
	assert.InDelta(t, 75, b.Percent, 1e-9)
	assert.Equal(t, -1.0, b.EnergyNowWh, "no voltage: no energy")
	assert.Equal(t, -1.0, b.PowerW)
	assert.InDelta(t, 3, b.ChargeNowAh, 1e-9)
	assert.InDelta(t, 1.5, b.CurrentA, 1e-9, "the sign is driver convention")

	e := power.NewEstimator(0)
	minutes, ok := e.Observe(s, time.Now())
	require.True(t, ok)
	assert.InDelta(t, 120, minutes, 1e-9, "3 Ah at 1.5 A: two hours")
}
