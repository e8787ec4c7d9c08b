package game

import (
	"slices"
	"time"
)

// The lights of Freeze.
const (
	LightGreen = "green"
	LightRed   = "red"
)

const (
	// freezePoints a full bar is worth; moving on green earns them.
	freezePoints = 1000
	// Moving on red, once the grace is over, costs this much bar and
	// these points.
	freezePenaltyBar    = 0.2
	freezePenaltyPoints = 150
	// freezeWinBonus is for filling the bar first.
	freezeWinBonus = 500
)

// FreezePlayer is one person playing Freeze.
type FreezePlayer struct {
	ID       int     // the person's track ID
	Color    int     // palette index, 0.., kept while the person is tracked
	Box      Rect    // view coordinates
	Progress float64 // 0..1: a full bar wins
	Score    int
	Caught   bool // moved during this red light (cleared when it changes)
	Primary  bool // whose score is the round's
}

type freezer struct {
	FreezePlayer
	points float64
	here   bool // tracked this tick
}

// Freeze is red light, green light: move on green to fill your bar,
// freeze on red or lose some of it. Everyone in view plays.
type Freeze struct {
	round
	cfg      FreezeConfig
	red      bool
	inLight  time.Duration
	lightLen time.Duration
	players  []*freezer // by ID; players who left keep their score
	primary  int        // ID of the primary player last seen, 0 for none
}

// NewFreeze makes a round of Freeze.
func NewFreeze(b *Arcade) *Freeze {
	return &Freeze{round: newRound(b, "freeze", b.cfg.Freeze.RoundSeconds), cfg: b.cfg.Freeze}
}

// Light is LightGreen or LightRed.
func (f *Freeze) Light() string {
	if f.red {
		return LightRed
	}
	return LightGreen
}

// InLight is how long the light has shown its colour.
func (f *Freeze) InLight() time.Duration { return f.inLight }

// Grace is true during the first moments of red, when moving is still
// allowed.
func (f *Freeze) Grace() bool { return f.red && f.inLight < secs(f.cfg.GraceSeconds) }

// AppendPlayers appends the people in view, by track ID, to dst: the
// screen keeps one slice for every frame instead of taking a new one each
// time.
func (f *Freeze) AppendPlayers(dst []FreezePlayer) []FreezePlayer {
	for _, p := range f.players {
		if p.here {
			dst = append(dst, p.FreezePlayer)
		}
	}
	return dst
}

// Update changes the light when its time is up, follows the players and
// scores their motion.
func (f *Freeze) Update(in *Input, emit func(Event)) Scene {
	if f.begin(in, emit) {
		f.setLight(in, emit, false)
	}
	f.elapsed += in.Dt
	f.inLight += in.Dt
	if f.inLight >= f.lightLen {
		f.setLight(in, emit, !f.red)
	}
	f.follow(in)

	obs := observed(in)
	grace := secs(f.cfg.GraceSeconds)
	dt := in.Dt.Seconds()
	var winner *freezer
	for _, p := range f.players {
		if !p.here {
			continue
		}
		e := float64(motionIn(&obs.Motion, p.Box))
		switch {
		case !f.red:
			// Moving as much as would be caught on red fills at full speed.
			gain := dt / f.cfg.FillSeconds * min(e/f.cfg.Threshold, 1)
			gain = min(gain, 1-p.Progress)
			p.Progress += gain
			p.points += gain * freezePoints
		case f.inLight >= grace && !p.Caught && e >= f.cfg.Threshold:
			p.Caught = true
			p.Progress = max(p.Progress-freezePenaltyBar, 0)
			p.points = max(p.points-freezePenaltyPoints, 0)
			emit(Event{At: in.Now(), Kind: KindMoved, Player: p.ID, Penalty: freezePenaltyPoints})
		}
		if p.Progress >= 1 && winner == nil {
			winner = p
		}
		p.Score = int(p.points)
	}
	if winner != nil {
		winner.points += freezeWinBonus
		winner.Score = int(winner.points)
		emit(Event{At: in.Now(), Kind: KindWin, Player: winner.ID})
	}
	f.score = f.roundScore()
	if winner != nil || f.over() {
		return f.end(in, emit)
	}
	return nil
}

// setLight shows a colour for a random time within its bounds, so the
// change cannot be timed.
func (f *Freeze) setLight(in *Input, emit func(Event), red bool) {
	f.red, f.inLight = red, 0
	lo, hi := f.cfg.GreenMin, f.cfg.GreenMax
	if red {
		lo, hi = f.cfg.RedMin, f.cfg.RedMax
	}
	for _, p := range f.players {
		p.Caught = false
	}
	f.lightLen = max(secs(between(in.Rand, lo, hi)), time.Millisecond)
	emit(Event{At: in.Now(), Kind: KindLight, Color: f.Light()})
}

// follow makes each tracked person a player: new ones get the lowest
// colour nobody in view has, the ones gone stop being shown.
func (f *Freeze) follow(in *Input) {
	obs := observed(in)
	frame := detectionFrame(obs.ObjectsFrame, obs.Frame)
	area := playArea(in)
	for _, p := range f.players {
		p.here = false
	}
	people := 0
	for _, t := range obs.ObjectTracks {
		if t.Label != "person" {
			continue
		}
		box := viewRect(t.Box, frame, f.b.mirror)
		if !area.Holds(box.Centre()) {
			continue // off screen: nobody there sees their bar
		}
		people++
		i, found := slices.BinarySearchFunc(f.players, t.ID, func(p *freezer, id int) int { return p.ID - id })
		if !found {
			f.players = slices.Insert(f.players, i, &freezer{FreezePlayer: FreezePlayer{ID: t.ID, Color: -1}})
		}
		p := f.players[i]
		p.here = true
		p.Box = area.clip(box) // the marker and what moves in it: on screen
	}
	for _, p := range f.players {
		if p.here && p.Color < 0 {
			p.Color = f.freeColor()
		}
	}
	if obs.HasPlayer && obs.Player.Label == "person" {
		f.primary = obs.Player.ID
	}
	for _, p := range f.players {
		// With one person in view, that is who plays.
		p.Primary = p.here && (p.ID == f.primary || people == 1)
		if p.Primary {
			f.primary = p.ID
		}
	}
}

func (f *Freeze) freeColor() int {
	for c := 0; ; c++ {
		if !slices.ContainsFunc(f.players, func(p *freezer) bool { return p.here && p.Color == c }) {
			return c
		}
	}
}

// roundScore is the primary player's, else the best anyone made.
func (f *Freeze) roundScore() int {
	best := 0
	for _, p := range f.players {
		if p.ID == f.primary {
			return p.Score
		}
		best = max(best, p.Score)
	}
	return best
}
