package kiosk

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/power"
)

func cmdPower(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("power", "power [--sysfs DIR] [--json] [--apply]", stderr)
	sysfs := fs.String("sysfs", "", "sysfs root to read (default: power.sysfs_root, normally /sys)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	apply := fs.Bool("apply", false, "also set the screen brightness the budget picks")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	l, err := c.load()
	if err != nil {
		return err
	}
	if *sysfs != "" {
		l.Power.SysfsRoot = *sysfs
	}
	log := config.NewLogger(l.Log, stderr)
	state, simulated := power.Simulated(l.Power)
	if !simulated {
		if state, err = (power.Reader{Root: l.Power.SysfsRoot}).Read(); err != nil {
			return err
		}
	}
	minutes, haveMinutes := power.NewEstimator(power.DefaultTau).Observe(state, time.Now())
	d := power.Pick(l.Power.Levels, state.Percent, state.Charging, state.OnAC, minutes, haveMinutes)
	rep := power.NewReport(state, minutes, haveMinutes, d)
	if a, err := power.FindAmbient(l.Power.SysfsRoot); err == nil {
		if lux, err := a.Lux(); err == nil {
			rep.AmbientLux = &lux
		} else {
			log.Warn("cannot read the ambient light", "err", err)
		}
	}
	if *asJSON {
		if err := json.NewEncoder(stdout).Encode(rep); err != nil {
			return err
		}
	} else {
		pct, left := "unknown", "unknown"
		if rep.BatteryPercent != nil {
			pct = fmt.Sprintf("%.0f %%", *rep.BatteryPercent)
		}
		if rep.MinutesLeft != nil {
			left = fmt.Sprintf("%.0f min", *rep.MinutesLeft)
		}
		fmt.Fprintf(stdout, "battery %s, charging %v, on mains %v, left %s\nlevel %s: brightness %.0f %%, draw %.0f fps, objects %.0f/s, faces %.0f/s\n",
			pct, rep.Charging, rep.OnAC, left, rep.Level,
			rep.Budget.BrightnessPercent, rep.Budget.DrawFPS, rep.Budget.ObjectHz, rep.Budget.FaceHz)
		if rep.AmbientLux != nil {
			fmt.Fprintf(stdout, "ambient light %.0f lux: the brightness follows it from %.0f %% up to the level's\n",
				*rep.AmbientLux, l.Power.AmbientMinPercent)
		} else {
			fmt.Fprintln(stdout, "ambient light: no sensor (the level's brightness applies)")
		}
	}
	if *apply {
		bl, err := power.FindBacklight(l.Power.SysfsRoot, l.Power.Backlight)
		if err != nil {
			return err
		}
		if err := power.NewDimmer(bl, log).Set(rep.Budget.BrightnessPercent); err != nil {
			return err
		}
	}
	return nil
}
