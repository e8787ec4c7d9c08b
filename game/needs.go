package game

import (
	"time"

	"github.com/carrierarcade/kiosk/sight"
)

// Needs is what a scene uses of the camera: for objects, faces and motion,
// the rate past which more stops helping the scene (0: it does not use them
// at all, so the detector does no work). The kiosk runs the least of this,
// the power level's budget and [budget].
type Needs struct {
	ObjectHz float64
	FaceHz   float64
	MotionHz float64
}

// The scenes between rounds say what they need here; each game says it in
// its registry entry (games.go). Why:
//   - attract: a wave is motion, at full rate so it starts a game at once;
//     people in front get a marker and keep the booth awake, which a few
//     person detections a second do; faces are not used.
//   - results: nothing is played; a little of everything keeps the trackers
//     and motion's noise floor warm for the attract screen that follows.
//
// The countdown needs what its game needs, so the trackers are warm when
// the round starts.
var (
	attractNeeds = Needs{ObjectHz: 4, FaceHz: 0, MotionHz: 30}
	resultsNeeds = Needs{ObjectHz: 2, FaceHz: 0, MotionHz: 10}
)

// allNeeds is what an unknown scene gets: everything.
var allNeeds = Needs{ObjectHz: 60, FaceHz: 60, MotionHz: 120}

// NeedsOf is what the scene on screen needs.
func NeedsOf(sc Scene) Needs {
	switch s := sc.(type) {
	case *Attract:
		return attractNeeds
	case *Results:
		return resultsNeeds
	case *Countdown:
		if s.game != nil {
			return NeedsOf(s.game)
		}
	case Game:
		if g, ok := lookupGame(s.Name()); ok {
			return g.needs
		}
	}
	return allNeeds
}

// Quiet follows whether anybody is in front of an attract screen: nobody
// tracked (person or face) and no motion in the middle reaching the wave
// threshold. After a while of that the booth may sleep lightly; the first
// motion or person wakes it. It is outside the rules (it changes what the
// camera does, not how anything plays), so a session does not record it.
type Quiet struct {
	after     time.Duration
	threshold float64
	quiet     time.Duration // of nobody, so far
	idle      bool
}

// NewQuiet sleeps after this long with nobody in view; threshold is the
// rules' wave threshold ([game] wave_threshold). after <= 0 never sleeps.
func NewQuiet(after time.Duration, threshold float64) *Quiet {
	return &Quiet{after: after, threshold: threshold}
}

// Update takes the scene on screen and the newest observation, dt after
// the last call, and reports whether the booth is idle now.
func (q *Quiet) Update(sc Scene, obs *sight.Observation, dt time.Duration) bool {
	_, attract := sc.(*Attract)
	if !attract || someoneThere(obs, q.threshold) || q.after <= 0 {
		q.quiet, q.idle = 0, false
		return false
	}
	q.quiet += dt
	q.idle = q.quiet >= q.after
	return q.idle
}

// someoneThere: a person or a face tracked, or motion in the middle of the
// picture that a wave would make. A parked car or a chair is nobody.
func someoneThere(obs *sight.Observation, threshold float64) bool {
	if obs == nil {
		return false
	}
	if obs.HasPlayer || len(obs.FaceTracks) > 0 || float64(motionIn(&obs.Motion, waveArea)) >= threshold {
		return true
	}
	for i := range obs.ObjectTracks {
		if obs.ObjectTracks[i].Label == "person" {
			return true
		}
	}
	return false
}

// Idle is the last Update's answer.
func (q *Quiet) Idle() bool { return q.idle }
