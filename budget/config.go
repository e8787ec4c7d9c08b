package budget

import "github.com/carrierarcade/kiosk/internal/check"

// Config is [budget]: how much work the kiosk does each second at most.
// The power policy lowers it at run time and each scene runs only what it
// needs of it; the game's logic rate never changes.
type Config struct {
	DrawFPS  float64 `toml:"draw_fps"`  // frames drawn per second
	ObjectHz float64 `toml:"object_hz"` // object detections per second
	FaceHz   float64 `toml:"face_hz"`   // face detections per second
	MotionHz float64 `toml:"motion_hz"` // motion measurements per second
	// ByScene runs in each scene only what it uses; false runs every scene
	// at the full rates, as the kiosk did before scenes said what they
	// need.
	ByScene bool `toml:"by_scene"`
	// Idle is [budget.idle]: the attract screen's budget with nobody in
	// view.
	Idle Idle `toml:"idle"`
}

// Idle is what an idle booth spends: after AfterSeconds of nobody in view
// on the attract screen, these rates (each capped by the power level's).
// 0 after_seconds never idles.
type Idle struct {
	AfterSeconds float64 `toml:"after_seconds"`
	DrawFPS      float64 `toml:"draw_fps"`
	ObjectHz     float64 `toml:"object_hz"`
	FaceHz       float64 `toml:"face_hz"`
	MotionHz     float64 `toml:"motion_hz"`
}

// Default is the full-power budget. Idle: a smooth enough attract screen,
// a person looked for twice a second, no faces, motion kept so that a
// wave is seen at once.
func Default() Config {
	return Config{DrawFPS: 60, ObjectHz: 15, FaceHz: 10, MotionHz: 30, ByScene: true,
		Idle: Idle{AfterSeconds: 60, DrawFPS: 20, ObjectHz: 2, FaceHz: 0, MotionHz: 15}}
}

// Validate reports every bad value, keyed relative to [budget].
func (b Config) Validate() check.Problems {
	var ps check.Problems
	ps.Range("draw_fps", b.DrawFPS, 1, 240)
	ps.Range("object_hz", b.ObjectHz, 0, 60)
	ps.Range("face_hz", b.FaceHz, 0, 60)
	ps.Range("motion_hz", b.MotionHz, 0, 120)
	ps.Range("idle.after_seconds", b.Idle.AfterSeconds, 0, 86400)
	ps.Range("idle.draw_fps", b.Idle.DrawFPS, 1, 240)
	ps.Range("idle.object_hz", b.Idle.ObjectHz, 0, 60)
	ps.Range("idle.face_hz", b.Idle.FaceHz, 0, 60)
	ps.Range("idle.motion_hz", b.Idle.MotionHz, 1, 120)
	return ps
}

// Rates are what the budget allows now: how often the window draws and
// each stage of the pipeline runs, per second.
type Rates struct {
	DrawFPS  float64 `json:"draw_fps"`
	ObjectHz float64 `json:"object_hz"`
	FaceHz   float64 `json:"face_hz"`
	MotionHz float64 `json:"motion_hz"`
}

// Rates are the full budget's rates.
func (b Config) Rates() Rates {
	return Rates{DrawFPS: b.DrawFPS, ObjectHz: b.ObjectHz, FaceHz: b.FaceHz, MotionHz: b.MotionHz}
}
