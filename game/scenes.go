package game

import "time"

// waveArea is where a wave counts: the middle of what the screen shows,
// where the player in front stands, not the aisle at the sides (fractions
// of the play area).
var waveArea = Rect{0.25, 0.1, 0.75, 0.9}

// within is r, given as fractions of area, in view coordinates.
func within(area, r Rect) Rect {
	x0, y0 := area.at(r.X0, r.Y0)
	x1, y1 := area.at(r.X1, r.Y1)
	return Rect{x0, y0, x1, y1}
}

// Attract is the screen between players: it previews each game in turn
// and invites whoever is in front to wave.
type Attract struct {
	b    *Arcade
	t    time.Duration // shown for
	wave time.Duration // of waving, towards WaveSeconds
}

// NewAttract makes the attract screen.
func NewAttract(b *Arcade) *Attract { return &Attract{b: b} }

// Name is "attract".
func (a *Attract) Name() string { return "attract" }

// Invitation is the big line on screen.
func (a *Attract) Invitation() string { return "Wave to play" }

// Next is the game a wave starts.
func (a *Attract) Next() string { return a.b.upcoming() }

// Preview is the game being previewed, starting with the next one.
func (a *Attract) Preview() string {
	rot := a.b.cfg.Rotation
	n := int(a.t / a.previewLen())
	return rot[(a.b.next+n)%len(rot)]
}

// Phase is how far the preview has run, 0..1, to animate it.
func (a *Attract) Phase() float64 {
	p := a.previewLen()
	return fraction(a.t%p, p)
}

// Wave is how far a wave has got to starting a game, 0..1.
func (a *Attract) Wave() float64 { return fraction(a.wave, secs(a.b.cfg.WaveSeconds)) }

func (a *Attract) previewLen() time.Duration { return max(secs(a.b.cfg.PreviewSeconds), time.Second) }

// Update follows the wave: it rises while the middle of the picture moves
// and falls twice as fast when it stops, so one still frame in a wave does
// not start over and a walk past never adds up.
func (a *Attract) Update(in *Input, emit func(Event)) Scene {
	a.t += in.Dt
	if float64(motionIn(&observed(in).Motion, within(playArea(in), waveArea))) >= a.b.cfg.WaveThreshold {
		a.wave += in.Dt
	} else {
		a.wave = max(a.wave-2*in.Dt, 0)
	}
	if a.wave >= secs(a.b.cfg.WaveSeconds) {
		return newCountdown(a.b, a.b.advance())
	}
	if auto := a.b.autoplay(); auto > 0 && a.t >= auto && a.demoReady(in) {
		return newCountdown(a.b, a.b.advance())
	}
	return nil
}

// faceLead is how much of the reel's face part must be left for Head Dodge
// to start on it.
const faceLead = 5 * time.Second

// demoReady is true when the demo's next game can start now: Head Dodge
// waits until the reel's face part comes, so that its round starts on it;
// the other games start whenever.
func (a *Attract) demoReady(in *Input) bool {
	if a.b.upcoming() != "dodge" {
		return true
	}
	wait, _, ok := a.b.reel().next("face", observed(in).Frame.Time, faceLead)
	return !ok || wait <= time.Duration(a.b.cfg.CountdownSeconds)*time.Second
}

// Countdown counts the seconds to a round, showing what to do.
type Countdown struct {
	game   Game
	left   time.Duration
	said   int    // the last number announced
	battle string // the carrier battle it counts down to, "" for none
}

func newCountdown(b *Arcade, name string) *Countdown {
	return &Countdown{game: b.newGame(name), left: time.Duration(b.cfg.CountdownSeconds) * time.Second}
}

// Name is "countdown".
func (c *Countdown) Name() string { return "countdown" }

// Game is the round that follows, for its title and instruction.
func (c *Countdown) Game() Game { return c.game }

// Left is the time to the start.
func (c *Countdown) Left() time.Duration { return max(c.left, 0) }

// Battle is the carrier battle the countdown leads to, "" for none.
func (c *Countdown) Battle() string { return c.battle }

// Seconds is the number on screen: 3, 2, 1.
func (c *Countdown) Seconds() int { return int((c.Left() + time.Second - 1) / time.Second) }

// Update emits "countdown" once for each number, for its beep.
func (c *Countdown) Update(in *Input, emit func(Event)) Scene {
	if n := c.Seconds(); n > 0 && n != c.said {
		c.said = n
		emit(Event{At: in.Now(), Kind: KindCountdown, N: n, Game: c.game.Name(), Battle: c.battle})
	}
	c.left -= in.Dt
	if c.left <= 0 {
		return c.game
	}
	return nil
}

// Results shows the round's score, the player's made-up name, their rank
// and today's top ten, then goes back to the attract screen.
type Results struct {
	b      *Arcade
	game   string
	score  int
	name   string
	rank   int
	top    []Entry
	left   time.Duration
	shown  bool
	battle string
}

// newResults enters the score on today's board. A round that scored
// nothing is not entered: a board of zeros cheers nobody.
func newResults(b *Arcade, in *Input, game string, score int) *Results {
	r := &Results{b: b, game: game, score: score, name: FunName(in.Rand), left: secs(b.cfg.ResultsSeconds)}
	if b.board != nil {
		if score > 0 {
			r.rank = b.board.Add(game, in.Day, r.name, score)
		}
		r.top = b.board.Top(game, in.Day)
	}
	return r
}

// Name is "results".
func (r *Results) Name() string { return "results" }

// Game is the game that was played.
func (r *Results) Game() string { return r.game }

// Title is that game's title.
func (r *Results) Title() string { t, _ := About(r.game); return t }

// Score is the round's score.
func (r *Results) Score() int { return r.score }

// PlayerName is the fun name the score was entered under.
func (r *Results) PlayerName() string { return r.name }

// Rank is 1 for today's best, 0 when the score did not make the top ten.
func (r *Results) Rank() int { return r.rank }

// Top is today's top ten of this game, best first.
func (r *Results) Top() []Entry { return r.top }

// Battle is the carrier battle the round was part of, "" for none.
func (r *Results) Battle() string { return r.battle }

// Left is how long the results stay up.
func (r *Results) Left() time.Duration { return max(r.left, 0) }

// Length is how long the results stay up in all.
func (r *Results) Length() time.Duration { return secs(r.b.cfg.ResultsSeconds) }

// Update emits "results" once, for the log, and counts down.
func (r *Results) Update(in *Input, emit func(Event)) Scene {
	if !r.shown {
		r.shown = true
		emit(Event{At: in.Now(), Kind: KindResults, Game: r.game, Score: r.score, Name: r.name, Rank: r.rank, Battle: r.battle})
	}
	r.left -= in.Dt
	if r.left <= 0 {
		return NewAttract(r.b)
	}
	return nil
}
