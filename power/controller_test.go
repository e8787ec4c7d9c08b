package power_test

import (
	"bytes"
	"context"
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

// The presenter's brighter/dimmer keys never wait for the backlight: the
// write happens on the controller's goroutine, newest value last.
func TestControllerNudgeNeverWaitsForTheBacklight(t *testing.T) {
	cfg := power.DefaultConfig()
	cfg.SimulatePercent = 15
	release := make(chan struct{})
	writes := make(chan string, 16)
	bl := &power.Backlight{Dir: t.TempDir(), Max: 100, WriteFile: func(_ string, data []byte) error {
		<-release // sysfs hangs until the test lets it go
		writes <- string(data)
		return nil
	}}
	c := power.NewController(cfg, nil, power.NewDimmer(bl, slog.New(slog.DiscardHandler)), slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); c.Run(ctx) }()
	// The level is decided, and its brightness (60) is being written: the
	// write hangs.
	require.Eventually(t, func() bool { return c.Status().Read }, 10*time.Second, time.Millisecond)
	returned := make(chan struct{})
	go func() {
		defer close(returned)
		for range 5 {
			c.Nudge(+5) // while the first write hangs
		}
	}()
	select {
	case <-returned:
	case <-time.After(time.Minute):
		t.Fatal("Nudge waited for the backlight")
	}
	assert.Equal(t, 85.0, c.Status().Decision.Budget.BrightnessPercent, "the new brightness is known at once")
	close(release)
	require.Eventually(t, func() bool {
		for {
			select {
			case w := <-writes:
				if w == "85\n" || w == "85" {
					return true
				}
			default:
				return false
			}
		}
	}, 10*time.Second, 10*time.Millisecond, "the newest brightness reaches the backlight")
	cancel()
	<-done
}
