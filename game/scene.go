package game

import (
	"math/rand/v2"
	"time"

	"github.com/carrierarcade/kiosk/sight"
)

// Action is what the presenter (or a scripted run) asks for, already turned
// from keys into intent by the screen or the simulator.
type Action int

// The presenter's actions. Choose1..Choose9 pick a game from the rotation.
const (
	ActNone Action = iota
	ActStart
	ActNextGame
	ActAttract
	ActPause
	ActRecalibrate
	ActChoose1
	ActChoose2
	ActChoose3
	ActChoose4
	ActChoose5
	ActChoose6
	ActChoose7
	ActChoose8
	ActChoose9
)

// Input is everything a scene may look at in one logic tick. Scenes never
// read the wall clock, the global random source or the window.
type Input struct {
	Tick    uint64        // logic ticks since the app started
	Dt      time.Duration // length of one tick (1/TPS)
	Obs     *sight.Observation
	Actions []Action
	// Pressed is true when a key went down this tick, bound to a command
	// or not: someone is at the kiosk.
	Pressed bool
	Rand    *rand.Rand // seeded by the caller, so a run can be replayed
	// Day names today for the leaderboard ("2006-01-02"): the caller reads
	// the clock so that the rules never do.
	Day string
	// Canvas is what the screen draws on; with the picture's size it says
	// which part of the picture is on screen (see PlayArea). Zero: all.
	Canvas Canvas
}

// Now is the game time of this tick.
func (in *Input) Now() time.Duration { return time.Duration(in.Tick) * in.Dt }

// Scene is one screen of the kiosk: attract, countdown, a game, results.
// Update advances it by one tick and returns the scene to switch to, or
// nil to stay. The screen package draws a scene by looking at its exported
// state; scenes draw nothing themselves.
type Scene interface {
	Name() string
	Update(in *Input, emit func(Event)) Scene
}
