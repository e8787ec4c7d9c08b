package power

import "math"

// Report is what `kiosk power --json` prints.
type Report struct {
	BatteryPercent *float64 `json:"battery_percent"` // null when unknown; one decimal
	Charging       bool     `json:"charging"`
	OnAC           bool     `json:"on_ac"`
	MinutesLeft    *float64 `json:"minutes_left"` // null when unknown; whole minutes
	Level          string   `json:"level"`
	Critical       bool     `json:"critical"`
	Budget         Budget   `json:"budget"`
	// AmbientLux is the ambient light sensor's reading, null without one.
	AmbientLux *float64 `json:"ambient_lux"`
}

// NewReport builds the report for a reading, its estimate and the decision.
func NewReport(s State, minutesLeft float64, haveMinutes bool, d Decision) Report {
	r := Report{
		Charging: s.Charging,
		OnAC:     s.OnAC,
		Level:    d.Level,
		Critical: d.Critical,
		Budget:   d.Budget,
	}
	if s.Percent >= 0 && s.Percent <= 100 {
		r.BatteryPercent = new(math.Round(s.Percent*10) / 10)
	}
	if haveMinutes && minutesLeft >= 0 && !math.IsInf(minutesLeft, 0) {
		r.MinutesLeft = new(math.Round(minutesLeft))
	}
	return r
}

// Simulated returns the battery cfg asks to pretend (simulate_percent >= 0),
// for demos on machines without one; false when simulation is off.
func Simulated(cfg Config) (State, bool) {
	p := cfg.SimulatePercent
	if !(p >= 0) {
		return State{}, false
	}
	status := "Discharging"
	if cfg.SimulateCharging {
		status = "Charging"
	}
	return summarize(State{
		Batteries: []Battery{{Name: "simulated", Status: status, Percent: clampPercent(p), EnergyNowWh: -1, EnergyFullWh: -1, PowerW: -1,
			ChargeNowAh: -1, CurrentA: -1}},
		Adapters: []Supply{{Name: "simulated", Type: "Mains", Online: cfg.SimulateCharging}},
	}), true
}
