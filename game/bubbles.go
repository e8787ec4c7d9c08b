package game

import "time"

// BubbleKind is what a bubble is worth.
type BubbleKind string

// The bubbles. Two are special: golden is rare, small and quick, and worth
// five times the points; a clock adds ClockBonus to the round, so a good
// player plays a little longer.
const (
	BubblePlain  BubbleKind = "plain"
	BubbleGolden BubbleKind = "golden"
	BubbleClock  BubbleKind = "clock"
)

const (
	bubblePoints = 10
	// ComboWindow: a pop this soon after the last one continues the combo.
	ComboWindow = 1500 * time.Millisecond
	// comboMax caps the multiplier, so flailing at a crowd of bubbles
	// does not outscore popping them one by one for long.
	comboMax    = 5
	goldenTimes = 5
	// ClockBonus is the round time a clock bubble adds.
	ClockBonus = 3 * time.Second
	// burstTime is how long a popped bubble's burst is drawn for.
	burstTime   = 400 * time.Millisecond
	bubblesMax  = 8
	bubblesOpen = 4 // on screen when the round starts, so there is something to pop at once
)

// Bubble is one bubble drifting up the picture.
type Bubble struct {
	ID     int
	X, Y   float32 // centre, view coordinates
	R      float32 // radius, a fraction of the picture's height (round on screen)
	VX, VY float32 // view units per second; VY < 0 rises
	Kind   BubbleKind
}

// Burst is a bubble just popped, for its burst animation.
type Burst struct {
	Bubble
	Age float64 // 0 when it popped, 1 when the burst is over
}

type burst struct {
	Bubble
	at time.Duration // round time it popped
}

// Bubbles is Bubble Pop: bubbles drift up over the picture and the player
// pops them by moving where they are.
type Bubbles struct {
	round
	cfg     BubblesConfig
	bubbles []Bubble
	bursts  []burst
	nextID  int
	spawnIn time.Duration
	combo   int
	lastPop time.Duration
}

// NewBubbles makes a round of Bubble Pop.
func NewBubbles(b *Arcade) *Bubbles {
	return &Bubbles{round: newRound(b, "bubbles", b.cfg.Bubbles.RoundSeconds), cfg: b.cfg.Bubbles}
}

// Bubbles are the bubbles on screen, for drawing; valid until Update.
func (g *Bubbles) Bubbles() []Bubble { return g.bubbles }

// AppendBursts appends the bubbles popped in the last moment to dst,
// newest last: the screen keeps one slice for every frame instead of
// taking a new one each time.
func (g *Bubbles) AppendBursts(dst []Burst) []Burst {
	for _, b := range g.bursts {
		dst = append(dst, Burst{b.Bubble, fraction(g.elapsed-b.at, burstTime)})
	}
	return dst
}

// Combo is the running combo, 0 once it has lapsed.
func (g *Bubbles) Combo() int {
	if g.combo == 0 || g.elapsed-g.lastPop > ComboWindow {
		return 0
	}
	return g.combo
}

// Update drifts, spawns and pops.
func (g *Bubbles) Update(in *Input, emit func(Event)) Scene {
	obs := observed(in)
	asp := aspect(obs)
	area := playArea(in) // bubbles rise, bounce and are born in what the screen shows
	if g.begin(in, emit) {
		for range bubblesOpen {
			g.spawn(in, asp, area, float32(between(in.Rand, 0.3, 0.9)))
		}
		g.spawnIn = secs(between(in.Rand, 0.5, 1.1))
	}
	g.elapsed += in.Dt
	dt := float32(in.Dt.Seconds())

	live := g.bubbles[:0]
	for _, b := range g.bubbles {
		b.X += b.VX * dt
		b.Y += b.VY * dt
		// Bounce off the sides so a bubble never drifts out of reach.
		if hw := b.R / asp; (b.X < area.X0+hw && b.VX < 0) || (b.X > area.X1-hw && b.VX > 0) {
			b.VX = -b.VX
		}
		if b.Y+b.R > area.Y0 {
			live = append(live, b)
		}
	}
	g.bubbles = live

	if g.spawnIn -= in.Dt; g.spawnIn <= 0 {
		if len(g.bubbles) < bubblesMax {
			g.spawn(in, asp, area, 1.12) // just below what the screen shows
		}
		g.spawnIn = secs(between(in.Rand, 0.5, 1.1))
	}

	live = g.bubbles[:0]
	for _, b := range g.bubbles {
		if float64(motionIn(&obs.Motion, square(b.X, b.Y, 2*b.R, asp))) >= g.cfg.Threshold {
			g.pop(in, emit, b)
			continue
		}
		live = append(live, b)
	}
	g.bubbles = live

	bursts := g.bursts[:0]
	for _, b := range g.bursts {
		if g.elapsed-b.at < burstTime {
			bursts = append(bursts, b)
		}
	}
	g.bursts = bursts

	if g.over() {
		return g.end(in, emit)
	}
	return nil
}

// spawn adds a bubble of a random kind inside area, centred at height y
// (a fraction of the area's height).
func (g *Bubbles) spawn(in *Input, asp float32, area Rect, y float32) {
	r := in.Rand
	b := Bubble{ID: g.nextID + 1, Kind: BubblePlain,
		R:  float32(between(r, 0.07, 0.11)),
		VX: float32(between(r, -0.06, 0.06)),
		VY: -float32(between(r, 0.07, 0.14)),
	}
	switch k := r.Float64(); {
	case k < 0.08:
		b.Kind, b.R, b.VY = BubbleGolden, 0.055, -float32(between(r, 0.16, 0.2))
	case k < 0.14:
		b.Kind, b.R = BubbleClock, 0.08
	}
	hw := b.R / asp
	b.X = area.X0 + hw + float32(r.Float64())*(area.W()-2*hw)
	b.Y = area.Y0 + y*area.H()
	g.nextID++
	g.bubbles = append(g.bubbles, b)
}

// pop scores a bubble: points times the combo (capped), five times again
// for gold; a clock adds time.
func (g *Bubbles) pop(in *Input, emit func(Event), b Bubble) {
	if g.combo > 0 && g.elapsed-g.lastPop <= ComboWindow {
		g.combo++
	} else {
		g.combo = 1
	}
	g.lastPop = g.elapsed
	points := bubblePoints * min(g.combo, comboMax)
	switch b.Kind {
	case BubbleGolden:
		points *= goldenTimes
	case BubbleClock:
		g.length += ClockBonus
	}
	g.score += points
	g.bursts = append(g.bursts, burst{b, g.elapsed})
	emit(Event{At: in.Now(), Kind: KindPop, ID: b.ID, Points: points, Combo: g.combo, Bubble: b.Kind})
}
