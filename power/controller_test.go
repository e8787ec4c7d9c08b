package power_test

import (
	"bytes"
	"log/slog"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/power"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestControllerAppliesTheSimulatedLevel(t *testing.T) {
	cfg := power.DefaultConfig()
	cfg.SimulatePercent = 15
	var got []power.Budget
	var logs bytes.Buffer
	c := power.NewController(cfg, func(b power.Budget) { got = append(got, b) }, nil, slog.New(slog.NewTextHandler(&logs, nil)))
	now := time.Now()
	c.Poll(now)
	require.Len(t, got, 1)
	assert.Equal(t, "low", c.Status().Decision.Level)
	assert.Equal(t, 20.0, got[0].DrawFPS)
	assert.True(t, c.Status().Simulated)
	assert.Contains(t, logs.String(), "level=low")

	c.Poll(now.Add(time.Second))
	assert.Len(t, got, 1, "no new budget while the level stays")

	c.Nudge(+10)
	assert.Equal(t, 70.0, c.Status().Decision.Budget.BrightnessPercent)
}

func TestControllerReadsTheFixture(t *testing.T) {
	cfg := power.DefaultConfig()
	cfg.SysfsRoot = "testdata/framework"
	var got power.Budget
	c := power.NewController(cfg, func(b power.Budget) { got = b }, nil, slog.New(slog.DiscardHandler))
	c.Poll(time.Now())
	assert.Equal(t, "medium", c.Status().Decision.Level)
	assert.Equal(t, 30.0, got.DrawFPS)
	assert.InDelta(t, 49.1, c.Status().State.Percent, 0.1)
}
