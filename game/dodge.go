package game

import (
	"math"
	"time"

	"github.com/carrierarcade/kiosk/sight"
)

// FallerKind is what falls in Head Dodge.
type FallerKind string

// Blocks cost a life when they hit; stars score when caught.
const (
	FallerBlock FallerKind = "block"
	FallerStar  FallerKind = "star"
)

const (
	// DodgeY is the height of the player's row, a fraction of the way down
	// the part of the picture the screen shows.
	DodgeY = 0.85
	// DodgeSize is the player's size, a fraction of the picture's height.
	DodgeSize = 0.14
	// faceAway is how long the face may be missing before the game
	// waits: longer than a missed detection or two, short enough that
	// nobody loses a life to an empty screen.
	faceAway   = 500 * time.Millisecond
	dodgeSteer = 120 * time.Millisecond // smoothing time constant
	// dodgeGain spreads the face's x so that leaning, not walking,
	// reaches the edges.
	dodgeGain   = 1.6
	starPoints  = 50
	blockPoints = 10 // for each block dodged
)

// Faller is a block or a star on its way down.
type Faller struct {
	ID   int
	X, Y float32 // centre, view coordinates
	Size float32 // a fraction of the picture's height
	VY   float32 // view units per second
	Kind FallerKind
}

// Dodge is Head Dodge: the player steers with their head, dodging blocks
// and catching stars.
type Dodge struct {
	round
	cfg     DodgeConfig
	x       float32       // the player's x, smoothed
	away    time.Duration // without a face so far
	fallers []Faller
	nextID  int
	spawnIn time.Duration
	lives   int
	asp     float32 // the picture's aspect, as of the last tick
	area    Rect    // the part of the picture on screen, as of the last tick
}

// NewDodge makes a round of Head Dodge.
func NewDodge(b *Arcade) *Dodge {
	return &Dodge{round: newRound(b, "dodge", b.cfg.Dodge.RoundSeconds), cfg: b.cfg.Dodge,
		x: 0.5, lives: b.cfg.Dodge.Lives, asp: 4.0 / 3, area: wholePicture}
}

// NeedFace is true while the game waits for a face: "Step closer".
func (d *Dodge) NeedFace() bool { return d.away > faceAway }

// PlayerX is the player's x in view coordinates.
func (d *Dodge) PlayerX() float32 { return d.x }

// PlayerBox is the player, in view coordinates: on its row at DodgeY of
// the part of the picture on screen.
func (d *Dodge) PlayerBox() Rect {
	_, y := d.area.at(0, DodgeY)
	return square(d.x, y, DodgeSize, d.asp)
}

// Fallers are the blocks and stars on screen; valid until Update.
func (d *Dodge) Fallers() []Faller { return d.fallers }

// Lives are the lives left.
func (d *Dodge) Lives() int { return d.lives }

// Update steers, and unless the face is gone, drops things and scores.
// Without a face nothing falls and the clock stops: the player stepped
// away, or a new one is stepping in.
func (d *Dodge) Update(in *Input, emit func(Event)) Scene {
	d.begin(in, emit)
	obs := observed(in)
	d.area = playArea(in)
	area := d.area
	if fx, ok := faceX(obs, d.b.mirror, area); ok {
		d.away = 0
		// Steered across what the screen shows, not the whole picture.
		u := (fx - area.X0) / area.W()
		target, _ := area.at(min(max(0.5+(u-0.5)*dodgeGain, 0.05), 0.95), 0)
		k := float32(1 - math.Exp(-float64(in.Dt)/float64(dodgeSteer)))
		d.x += (target - d.x) * k
	} else {
		d.away += in.Dt
	}
	if d.NeedFace() {
		return nil
	}
	d.elapsed += in.Dt
	d.asp = aspect(obs)
	asp := d.asp
	if d.spawnIn -= in.Dt; d.spawnIn <= 0 {
		d.spawn(in, asp, area)
	}

	player := d.PlayerBox()
	dt := float32(in.Dt.Seconds())
	live := d.fallers[:0]
	for _, f := range d.fallers {
		f.Y += f.VY * dt
		switch {
		case square(f.X, f.Y, f.Size, asp).overlaps(player):
			if f.Kind == FallerStar {
				d.score += starPoints
				emit(Event{At: in.Now(), Kind: KindCatch, Points: starPoints})
			} else {
				d.lives--
				emit(Event{At: in.Now(), Kind: KindHit, Lives: d.lives})
			}
		case f.Y-f.Size/2 > area.Y1:
			if f.Kind == FallerBlock {
				d.score += blockPoints
			}
		default:
			live = append(live, f)
		}
	}
	d.fallers = live
	if d.lives <= 0 || d.over() {
		return d.end(in, emit)
	}
	return nil
}

// spawn drops something from the top of area; as the round goes on, more
// often and faster.
func (d *Dodge) spawn(in *Input, asp float32, area Rect) {
	r := in.Rand
	late := fraction(d.elapsed, d.length)
	f := Faller{ID: d.nextID + 1, Kind: FallerBlock, Size: float32(between(r, 0.09, 0.13)),
		VY: float32(0.3 + 0.4*late + between(r, 0, 0.1))}
	if r.Float64() < 0.3 {
		f.Kind, f.Size = FallerStar, 0.08
	}
	hw := f.Size / 2 / asp
	f.X = area.X0 + hw + float32(r.Float64())*(area.W()-2*hw)
	f.Y = area.Y0 - f.Size/2
	d.nextID++
	d.fallers = append(d.fallers, f)
	d.spawnIn = secs((1.0 - 0.55*late) * between(r, 0.7, 1.3))
}

// faceX is the centre x, in view coordinates, of the face the game
// follows: the primary face on screen (in area), else the largest.
func faceX(obs *sight.Observation, mirror bool, area Rect) (float32, bool) {
	var best *sight.Track
	frame := detectionFrame(obs.FacesFrame, obs.Frame)
	for i := range obs.FaceTracks {
		t := &obs.FaceTracks[i]
		if t.Missed > 0 {
			continue // held by the tracker, not seen
		}
		if !area.Holds(viewRect(t.Box, frame, mirror).Centre()) {
			continue // off screen: the player could not see whom they steer
		}
		if best == nil || (t.Primary && !best.Primary) ||
			(t.Primary == best.Primary && t.Box.Area() > best.Box.Area()) {
			best = t
		}
	}
	if best == nil {
		return 0, false
	}
	x, _ := viewRect(best.Box, frame, mirror).Centre()
	return x, true
}
