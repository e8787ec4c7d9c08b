package booth

import (
	"time"

	"github.com/carrierarcade/kiosk/budget"
	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/link"
	"github.com/carrierarcade/kiosk/power"
	"github.com/carrierarcade/kiosk/sight"
)

// Snapshot is what a drawer needs of the booth after a Tick: the scene and
// its state, what the camera sees, demo or camera, the link's view, the
// budget, the power level and the figures of the operator overlay. The
// booth keeps one and fills it in place; a driver reads it, never the
// session, the link or the budget.
type Snapshot struct {
	Scene game.Scene // the scene on screen; its exported state is what to draw
	Tick  uint64     // logic ticks played: the animation clock
	TPS   int        // logic ticks a second
	// Presenter is the presenter's side of the session.
	Presenter Presenter
	// Demo is true while the demo reel plays in the camera's place and
	// the games follow it (the DEMO badge, /metrics).
	Demo   bool
	Camera CameraStatus
	Obs    *sight.Observation // the newest observation the rules played on
	Status *sight.Status      // how the pipeline is doing
	Source string             // the camera or clip, by name
	Budget BudgetView
	Power  PowerView
	Link   LinkView
	Stats  Stats
	// Over is true once a booth on clip time has played its clip (or its
	// limit): Tick plays nothing more.
	Over bool
}

// Presenter is the presenter's side of the session: the plates on screen
// and the mode.
type Presenter struct {
	Paused, Help, Overlay bool
	Privacy               string // live, pixelated, silhouette, none
	Question              string // a question waiting for the confirm key, "" for none
	Quit                  bool   // the presenter confirmed quit
}

// CameraStatus is what the screen shows of the camera: whether frames
// flow, and how often they stopped and came back.
type CameraStatus struct {
	Known               bool // false: a source without a watchdog (a clip)
	Live                bool
	Outages, Recoveries int
	Reason              string // why it was last lost
	// Off is true while the camera is turned off (its device closed, the
	// demo reel playing): the screen shows a CAMERA OFF mark. OffBy is who
	// turned it last ("key K", "source.enabled = false"), Turned when.
	Off    bool
	OffBy  string
	Turned time.Time
	// StandIn is true while the demo reel plays in the camera's place
	// (off, or it could not be opened when turned on).
	StandIn bool
}

// BudgetView is the budget in force: the draw rate, the pipeline's rates,
// and whether the booth sleeps lightly with nobody in view.
type BudgetView struct {
	Rates       budget.Rates
	Idle        bool
	IdleSince   time.Time
	SeesObjects bool // the object detector runs
}

// PowerView is the power policy's state; Known is false without one.
type PowerView struct {
	Known     bool
	Status    power.Status
	Backlight bool // the kiosk sets the screen's backlight itself
}

// LinkView is the carrier link as the screen shows it, copied from the
// link now and then; On is false for a carrier alone.
type LinkView struct {
	On     bool
	Status link.Status
	News   []link.NewsItem
	// Across is today's board of the results' game across carriers.
	Across Across
	// Battle is the carrier battle of the scene on screen (its ID "" for
	// none); BattleSeq changes with each fresh copy.
	Battle    link.BattleView
	BattleSeq uint64
}

// Across is today's board of one game across the linked carriers, as the
// results screen shows it: "Player (Carrier)" lines.
type Across struct {
	Game string
	Top  []game.Entry
	Mine int // the player's row, -1 for none
}

// Stats are the operator overlay's figures of how the kiosk keeps up,
// taken once a second (the drawn rate at each frame drawn).
type Stats struct {
	LogicRate, DrawnRate float64 // rule ticks and frames drawn a second
	RSS                  uint64  // resident memory, bytes
	Started              time.Time
	Played               int      // rounds ended
	Disabled             []string // games retired for the day
	Rotation             []string // the games in play, in order
	BoardProblem         string   // why the leaderboard's last write failed, "" when it worked
}
