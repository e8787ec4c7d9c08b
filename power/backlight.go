package power

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
)

// ErrNoBacklight is wrapped by FindBacklight when there is no usable device.
var ErrNoBacklight = errors.New("no backlight")

// ErrNoPermission is wrapped by SetPercent when the brightness file may not
// be written; the message says how to grant access.
var ErrNoPermission = errors.New("no permission to set the screen brightness")

// UdevRule is the file shipped next to this package that lets group video
// write the brightness.
const UdevRule = "power/99-carrier-arcade-backlight.rules"

// Backlight is one device under class/backlight.
type Backlight struct {
	Dir string // e.g. /sys/class/backlight/intel_backlight
	Max int    // max_brightness

	// WriteFile writes the brightness; nil means a plain write to the
	// existing file. Tests inject failures through it.
	WriteFile func(path string, data []byte) error
}

// backlightRank orders types as the kernel documentation advises: firmware
// (ACPI) knows the panel's curve, platform drivers are next, raw GPU
// registers last.
var backlightRank = map[string]int{"firmware": 0, "platform": 1, "raw": 2}

// FindBacklight opens backlight name under root/class/backlight, or picks
// one when name is "": the best-ranked type, then the largest max_brightness
// (finer steps).
func FindBacklight(root, name string) (*Backlight, error) {
	dir := filepath.Join(sysRoot(root), "class", "backlight")
	if name != "" {
		if filepath.Base(name) != name || name == "." || name == ".." {
			return nil, fmt.Errorf("%w: power.backlight is %q, want a device name in %s", ErrNoBacklight, name, dir)
		}
		b, ok := openBacklight(filepath.Join(dir, name))
		if !ok {
			return nil, fmt.Errorf("%w: %s has no readable max_brightness; set power.backlight to one of the devices in %s, or \"\" to pick one", ErrNoBacklight, filepath.Join(dir, name), dir)
		}
		return b, nil
	}
	names, _ := subdirs(dir) // a missing folder is just "none found"
	var best *Backlight
	bestRank := 0
	for _, n := range names {
		b, ok := openBacklight(filepath.Join(dir, n))
		if !ok {
			continue
		}
		typ, _ := readAttr(b.Dir, "type")
		rank, known := backlightRank[typ]
		if !known {
			rank = len(backlightRank)
		}
		if best == nil || rank < bestRank || (rank == bestRank && b.Max > best.Max) {
			best, bestRank = b, rank
		}
	}
	if best == nil {
		return nil, fmt.Errorf("%w: no device with a max_brightness in %s; set power.backlight to the screen's device name", ErrNoBacklight, dir)
	}
	return best, nil
}

func openBacklight(dir string) (*Backlight, bool) {
	m, ok := readInt(dir, "max_brightness")
	if !ok || m <= 0 || m > math.MaxInt32 {
		return nil, false
	}
	return &Backlight{Dir: dir, Max: int(m)}, true
}

// Percent is the current brightness in percent of Max.
func (b *Backlight) Percent() (float64, error) {
	if b.Max <= 0 {
		return 0, fmt.Errorf("power: backlight %s: max_brightness is %d", b.Dir, b.Max)
	}
	// actual_brightness is what the hardware reports; brightness is the
	// last request, and the only one some drivers have.
	v, ok := readInt(b.Dir, "actual_brightness")
	if !ok {
		v, ok = readInt(b.Dir, "brightness")
	}
	if !ok || v < 0 {
		return 0, fmt.Errorf("power: backlight %s: brightness unreadable", b.Dir)
	}
	return clampPercent(float64(v) / float64(b.Max) * 100), nil
}

// SetPercent sets the brightness to round(p/100*Max), at least 1 so the
// screen never goes fully dark. A permission failure wraps ErrNoPermission
// (and the fs error) and says how to fix it.
func (b *Backlight) SetPercent(p float64) error {
	if math.IsNaN(p) || b.Max <= 0 {
		return fmt.Errorf("power: backlight %s: cannot set %v%% of max_brightness %d", b.Dir, p, b.Max)
	}
	v := max(1, int(math.Round(clampPercent(p)/100*float64(b.Max))))
	path := filepath.Join(b.Dir, "brightness")
	write := b.WriteFile
	if write == nil {
		write = writeExisting
	}
	err := write(path, []byte(strconv.Itoa(v)))
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("%w (%w). To grant it: sudo cp %s /etc/udev/rules.d/ && "+
			"sudo udevadm trigger --subsystem-match=backlight --action=add && "+
			"sudo usermod -aG video $USER, then log out and in again",
			ErrNoPermission, err, UdevRule)
	}
	return fmt.Errorf("power: setting backlight: %w", err)
}

// writeExisting writes data to an existing file; unlike os.WriteFile it never
// creates one, so a wrong path is an error rather than a stray file.
func writeExisting(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
