package power

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// AmbientSensor is the laptop's ambient light sensor, an IIO device under
// <root>/bus/iio/devices: lux = (in_illuminance_raw + offset) * scale, or
// in_illuminance_input already in lux on some drivers.
type AmbientSensor struct {
	Dir string
}

// FindAmbient finds the first IIO device that reads illuminance; an error
// when there is none (most desktops, and these VMs).
func FindAmbient(root string) (*AmbientSensor, error) {
	dir := filepath.Join(sysRoot(root), "bus", "iio", "devices")
	names, err := subdirs(dir)
	if err != nil {
		return nil, fmt.Errorf("no ambient light sensor: %w", err)
	}
	slices.Sort(names)
	for _, n := range names {
		d := filepath.Join(dir, n)
		for _, attr := range []string{"in_illuminance_raw", "in_illuminance_input"} {
			if _, ok := readAttr(d, attr); ok {
				return &AmbientSensor{Dir: d}, nil
			}
		}
	}
	return nil, fmt.Errorf("no ambient light sensor: no device in %s reads illuminance", dir)
}

// maxLux is the most light a reading may give: direct sunlight is about
// 120 000 lux, and the sensors made for laptops stop well before. More is
// a driver's garbage (a raw value times a scale that overflows to +Inf),
// so it counts as no reading.
const maxLux = 1e6

// Lux reads the light now; a reading beyond maxLux is an error, as none.
func (a *AmbientSensor) Lux() (float64, error) {
	if v, ok := readFloat(a.Dir, "in_illuminance_input"); ok {
		return bounded(v, filepath.Join(a.Dir, "in_illuminance_input"))
	}
	raw, ok := readFloat(a.Dir, "in_illuminance_raw")
	if !ok {
		return 0, errors.New("the light sensor gave no reading (" + filepath.Join(a.Dir, "in_illuminance_raw") + ")")
	}
	scale, ok := readFloat(a.Dir, "in_illuminance_scale")
	if !ok {
		scale = 1
	}
	offset, _ := readFloat(a.Dir, "in_illuminance_offset")
	return bounded((raw+offset)*scale, filepath.Join(a.Dir, "in_illuminance_{raw,offset,scale}"))
}

// bounded is lux when it is a light a hall can have (below zero: dark).
func bounded(lux float64, from string) (float64, error) {
	if math.IsNaN(lux) || lux > maxLux {
		return 0, fmt.Errorf("the light sensor's reading is out of range (%g lux from %s; at most %g): taken as no reading", lux, from, float64(maxLux))
	}
	return max(lux, 0), nil
}

// readFloat parses dir/name as a decimal number (IIO scales are "0.1").
func readFloat(dir, name string) (float64, bool) {
	s, ok := readAttr(dir, name)
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return v, err == nil && !math.IsNaN(v) && !math.IsInf(v, 0)
}

// The light the brightness follows: at darkLux or less the screen is at the
// level's floor, at brightLux or more at its ceiling, and in between by the
// logarithm of the light, as the eye sees it.
const (
	darkLux   = 5    // a dim hall, a talk with the lights down
	brightLux = 1000 // an exhibition hall by the windows
)

// lightTau smooths the sensor: someone's shadow passing over it must not
// dim the screen.
const lightTau = 10 * time.Second

// lightStep is how far the brightness must want to move before it moves:
// the hysteresis that keeps it from pumping.
const lightStep = 8.0

// LightFollower turns the sensor's readings into a brightness between a
// floor and a ceiling. Not safe for concurrent use.
type LightFollower struct {
	lux    float64 // smoothed
	have   bool
	at     time.Time
	chosen float64 // the brightness last chosen, -1 before the first
}

// NewLightFollower starts with no reading.
func NewLightFollower() *LightFollower { return &LightFollower{chosen: -1} }

// Lux is the smoothed light, false before the first reading.
func (f *LightFollower) Lux() (float64, bool) { return f.lux, f.have }

// Take folds a reading made at now into the smoothed light.
func (f *LightFollower) Take(lux float64, now time.Time) {
	if !f.have {
		f.lux, f.have, f.at = lux, true, now
		return
	}
	if dt := now.Sub(f.at); dt > 0 {
		f.lux += (1 - math.Exp(-float64(dt)/float64(lightTau))) * (lux - f.lux)
		f.at = now
	}
}

// Brightness is the brightness for the light between floor and ceiling,
// and whether it moved. It moves only by lightStep or more, or to either
// end, or when the bounds themselves changed (a new power level).
func (f *LightFollower) Brightness(floor, ceiling float64) (float64, bool) {
	floor = min(floor, ceiling)
	t := 1.0
	if f.have {
		t = (math.Log10(max(f.lux, 0.01)) - math.Log10(darkLux)) / (math.Log10(brightLux) - math.Log10(darkLux))
		t = max(0, min(1, t))
	}
	want := math.Round(floor + t*(ceiling-floor))
	if f.chosen >= 0 {
		outside := f.chosen < floor || f.chosen > ceiling
		atEnd := want == floor || want == ceiling
		if !outside && math.Abs(want-f.chosen) < lightStep && !(atEnd && want != f.chosen) {
			return f.chosen, false
		}
	}
	moved := want != f.chosen
	f.chosen = want
	return want, moved
}
