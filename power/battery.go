package power

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
)

// Supply is an external power source (AC adapter, USB-C port, charging pad).
type Supply struct {
	Name   string // folder under class/power_supply: "ACAD", "ucsi-source-psy-USBC000:001"
	Type   string // "Mains", "USB", "USB_C", "USB_PD", "Wireless", ...
	Online bool
}

// Battery is one battery as read from sysfs. Negative numbers mean unknown,
// so that a missing figure is never mistaken for an empty battery.
type Battery struct {
	Name         string
	Status       string  // "Discharging", "Charging", "Full", "Not charging", "Unknown"
	Percent      float64 // 0..100, -1 unknown
	EnergyNowWh  float64 // -1 unknown
	EnergyFullWh float64 // -1 unknown
	PowerW       float64 // charge or discharge rate, -1 unknown
	// ChargeNowAh and CurrentA are for gauges that report charge and
	// current but no voltage: the time left is then charge over current,
	// with no energy in between. -1 unknown.
	ChargeNowAh float64
	CurrentA    float64
}

// State is everything the policy needs from one reading.
type State struct {
	Batteries []Battery
	Adapters  []Supply
	// OnAC: an adapter is online, or there is no battery at all (a desktop).
	OnAC       bool
	HasBattery bool
	// Percent is energy-weighted over the batteries (sum now / sum full)
	// when every battery has both figures, else the mean capacity; -1 unknown.
	Percent float64
	// Charging: a battery is charging, or is full / held at a charge limit
	// ("Not charging") while on AC. Either way the battery is not draining.
	Charging bool
	// DrawWatts is the total discharge power, -1 unknown; 0 when nothing
	// discharges.
	DrawWatts float64
}

// Reader reads the power supplies under a sysfs root.
type Reader struct {
	Root string // sysfs root: "/sys" normally (and when empty), a testdata tree in tests
}

// Read takes one reading. It fails only when class/power_supply exists but
// cannot be listed; when it does not exist the machine is a desktop without
// battery information: OnAC, Percent -1.
func (r Reader) Read() (State, error) {
	dir := filepath.Join(sysRoot(r.Root), "class", "power_supply")
	names, err := subdirs(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return summarize(State{}), fmt.Errorf("power: listing %s: %w", dir, err)
	}
	var s State
	for _, name := range names {
		d := filepath.Join(dir, name)
		// Wireless mice and keyboards report their batteries here too.
		if scope, _ := readAttr(d, "scope"); strings.EqualFold(scope, "Device") {
			continue
		}
		typ, _ := readAttr(d, "type")
		switch {
		case typ == "Battery":
			// An empty second slot (ThinkPads) is listed with present = 0.
			if p, ok := readInt(d, "present"); ok && p == 0 {
				continue
			}
			s.Batteries = append(s.Batteries, readBattery(d, name))
		case isAdapter(typ):
			online, _ := readInt(d, "online") // 1 fixed, 2 programmable supply
			s.Adapters = append(s.Adapters, Supply{Name: name, Type: typ, Online: online > 0})
		}
	}
	return summarize(s), nil
}

// isAdapter reports whether a power_supply type feeds the machine.
func isAdapter(typ string) bool {
	switch typ {
	case "Mains", "Wireless", "BrickID":
		return true
	}
	return strings.HasPrefix(typ, "USB") // USB, USB_C, USB_PD, USB_PD_DRP, USB_DCP, ...
}

// readBattery reads one battery folder. Drivers expose either energy_*
// (µWh) or charge_* (µAh), and not always capacity, so each figure has a
// fallback.
func readBattery(dir, name string) Battery {
	b := Battery{Name: name, Status: "Unknown", Percent: -1, EnergyNowWh: -1, EnergyFullWh: -1, PowerW: -1, ChargeNowAh: -1, CurrentA: -1}
	if st, ok := readAttr(dir, "status"); ok {
		b.Status = st
	}
	vNow, okNow := readPositive(dir, "voltage_now") // µV
	// Charge is converted at the design voltage, which is what the pack's
	// Wh rating uses; the present voltage sags with load.
	volt, okVolt := readPositive(dir, "voltage_min_design")
	if !okVolt {
		volt, okVolt = vNow, okNow
	}
	b.EnergyNowWh = readEnergy(dir, "energy_now", "charge_now", volt, okVolt)
	b.EnergyFullWh = readEnergy(dir, "energy_full", "charge_full", volt, okVolt)
	if b.EnergyFullWh == 0 {
		b.EnergyFullWh = -1 // a full energy of 0 is a missing figure
	}

	cn, okCN := readNonNeg(dir, "charge_now")
	cf, okCF := readPositive(dir, "charge_full")
	switch c, ok := readNonNeg(dir, "capacity"); {
	case ok:
		b.Percent = min(c, 100) // some gauges say 101 while topping off
	case b.EnergyNowWh >= 0 && b.EnergyFullWh > 0:
		b.Percent = clampPercent(b.EnergyNowWh / b.EnergyFullWh * 100)
	case okCN && okCF:
		b.Percent = clampPercent(cn / cf * 100)
	}

	if okCN {
		b.ChargeNowAh = cn / 1e6
	}
	if c, ok := readMagnitude(dir, "current_now"); ok { // µA
		b.CurrentA = c / 1e6
	}
	if p, ok := readMagnitude(dir, "power_now"); ok { // µW
		b.PowerW = p / 1e6
	} else if c, ok := readMagnitude(dir, "current_now"); ok && okNow { // µA
		b.PowerW = c * vNow / 1e12
	}
	return b
}

// readEnergy reads an energy attribute in µWh, or else the matching charge
// attribute in µAh times volt in µV; the result is in Wh, -1 when unknown.
func readEnergy(dir, energy, charge string, volt float64, okVolt bool) float64 {
	if e, ok := readNonNeg(dir, energy); ok {
		return e / 1e6
	}
	if c, ok := readNonNeg(dir, charge); ok && okVolt {
		return c * volt / 1e12
	}
	return -1
}

// summarize fills the combined fields of s from its batteries and adapters.
func summarize(s State) State {
	s.HasBattery = len(s.Batteries) > 0
	s.OnAC = !s.HasBattery
	for _, a := range s.Adapters {
		s.OnAC = s.OnAC || a.Online
	}
	s.Percent = combinedPercent(s.Batteries)
	s.Charging = false
	draw, drawKnown := 0.0, s.HasBattery
	for _, b := range s.Batteries {
		switch b.Status {
		case "Charging":
			s.Charging = true
		case "Full", "Not charging":
			s.Charging = s.Charging || s.OnAC
		}
		if discharging(b.Status, s.OnAC) {
			if b.PowerW < 0 {
				drawKnown = false
			}
			draw += b.PowerW
		}
	}
	s.DrawWatts = -1
	if drawKnown {
		s.DrawWatts = draw
	}
	return s
}

// discharging reports whether a battery with this status is draining. A
// battery off AC whose status is unknown is assumed to be.
func discharging(status string, onAC bool) bool {
	return status == "Discharging" || (!onAC && (status == "Unknown" || status == ""))
}

func combinedPercent(bs []Battery) float64 {
	var now, full, sum float64
	n, energy := 0, len(bs) > 0
	for _, b := range bs {
		if b.EnergyNowWh < 0 || b.EnergyFullWh <= 0 {
			energy = false
		}
		now += b.EnergyNowWh
		full += b.EnergyFullWh
		if b.Percent >= 0 {
			sum += b.Percent
			n++
		}
	}
	switch {
	case energy:
		// Weighting by energy makes a small internal battery and a big
		// external one add up to what is really left.
		return clampPercent(now / full * 100)
	case n > 0:
		return sum / float64(n)
	}
	return -1
}

func clampPercent(p float64) float64 { return max(0, min(100, p)) }
