package game

import (
	"math"
	"time"

	"github.com/carrierarcade/kiosk/sight"
)

// huntTier is how hard a thing is to find at a conference booth: 0 is in
// most bags and hands, 2 is rare. Labels not listed are rare.
var huntTier = map[string]int{
	"cup": 0, "bottle": 0, "cell phone": 0, "book": 0, "backpack": 0, "laptop": 0,
	"handbag": 1, "keyboard": 1, "mouse": 1, "remote": 1, "clock": 1,
	"banana": 1, "apple": 1, "orange": 1,
	"umbrella": 2, "scissors": 2, "teddy bear": 2,
}

func tierOf(item string) int {
	if t, ok := huntTier[item]; ok {
		return t
	}
	return 2
}

// Hunt is Object Hunt: the kiosk names a thing, the player finds one and
// holds it up to the camera until the ring fills.
type Hunt struct {
	round
	cfg   HuntConfig
	items []string

	queue []string      // still to ask, easiest first
	item  string        // asked now
	asked time.Duration // the current item has been asked for
	held  time.Duration // in view so far, towards HoldSeconds
	finds int

	// Playing the demo reel: the reel, and the clip time at which the
	// stretch showing the item asked for ends (then it is skipped).
	reel  DemoReel
	until time.Duration
}

// NewHunt makes a round of Object Hunt over the configured items.
func NewHunt(b *Arcade) *Hunt {
	return &Hunt{round: newRound(b, "hunt", b.cfg.Hunt.RoundSeconds), cfg: b.cfg.Hunt, items: b.huntItems(), reel: b.reel()}
}

// Item is the thing asked for.
func (h *Hunt) Item() string { return h.item }

// Hold is how far the hold-it ring has filled, 0..1.
func (h *Hunt) Hold() float64 { return fraction(h.held, secs(h.cfg.HoldSeconds)) }

// Finds is how many things were found so far.
func (h *Hunt) Finds() int { return h.finds }

// Update asks, watches and scores. A find needs the item in view for
// HoldSeconds; when it drops out (a missed detection, a turned hand) the
// hold falls back at half speed instead of starting over.
func (h *Hunt) Update(in *Input, emit func(Event)) Scene {
	if h.begin(in, emit) {
		h.queue = h.order(in)
		h.ask(in, emit)
	}
	if h.item == "" {
		return h.end(in, emit) // nothing to ask for
	}
	h.elapsed += in.Dt
	h.asked += in.Dt
	obs := observed(in)
	if inView(obs.Objects, h.item, detectionFrame(obs.ObjectsFrame, obs.Frame), h.b.mirror, playArea(in)) {
		h.held += in.Dt
	} else {
		h.held = max(h.held-in.Dt/2, 0)
	}
	switch {
	case h.held >= secs(h.cfg.HoldSeconds):
		points := h.points()
		h.score += points
		h.finds++
		h.length += secs(h.cfg.BonusSeconds)
		emit(Event{At: in.Now(), Kind: KindFind, Item: h.item, Points: points})
		if len(h.queue) == 0 {
			return h.end(in, emit) // everything found
		}
		h.ask(in, emit)
	case h.skipDue(obs):
		emit(Event{At: in.Now(), Kind: KindSkip, Item: h.item})
		h.queue = append(h.queue, h.item) // a second chance at the end
		h.ask(in, emit)
	}
	if h.over() {
		return h.end(in, emit)
	}
	return nil
}

// order is the items easiest first, shuffled within each tier so that
// rounds differ.
func (h *Hunt) order(in *Input) []string {
	var queue []string
	for tier := 0; tier <= 2; tier++ {
		start := len(queue)
		for _, it := range h.items {
			if tierOf(it) == tier {
				queue = append(queue, it)
			}
		}
		in.Rand.Shuffle(len(queue)-start, func(i, j int) {
			queue[start+i], queue[start+j] = queue[start+j], queue[start+i]
		})
	}
	return queue
}

// skipDue is true when the item asked for is given up: after
// SkipAfterSeconds, or playing the demo reel, once its stretch is over.
func (h *Hunt) skipDue(obs *sight.Observation) bool {
	if h.reel.on() && h.until > 0 {
		return obs.Frame.Time > h.until
	}
	return h.asked >= secs(h.cfg.SkipAfterSeconds)
}

// ask takes the next item off the queue: the first, or playing the demo
// reel, the one the reel shows soonest (for long enough to be held).
func (h *Hunt) ask(in *Input, emit func(Event)) {
	if len(h.queue) == 0 {
		return
	}
	pick := 0
	h.until = 0
	if h.reel.on() {
		now := observed(in).Frame.Time
		lead := secs(h.cfg.HoldSeconds) + time.Second
		best := time.Duration(-1)
		for i, it := range h.queue {
			if wait, end, ok := h.reel.next(it, now, lead); ok && (best < 0 || wait < best) {
				pick, best, h.until = i, wait, now+end
			}
		}
	}
	h.item = h.queue[pick]
	h.queue = append(h.queue[:pick:pick], h.queue[pick+1:]...)
	h.asked, h.held = 0, 0
	emit(Event{At: in.Now(), Kind: KindPrompt, Item: h.item})
}

// points are 100 for a find plus up to 100 for speed: all of it for a
// find in the hold time itself, none at the skip.
func (h *Hunt) points() int {
	hold, skip := secs(h.cfg.HoldSeconds), secs(h.cfg.SkipAfterSeconds)
	if skip <= hold {
		return 200
	}
	late := float64(max(h.asked-hold, 0)) / float64(skip-hold)
	return 100 + int(math.Round(100*max(1-late, 0)))
}

// inView is true when the latest detections include the item on screen:
// its centre in the part of the picture the screen shows (area), where the
// player sees it held up.
func inView(objects []sight.Detection, item string, frame sight.Frame, mirror bool, area Rect) bool {
	for _, d := range objects {
		if d.Label == item && area.Holds(viewRect(d.Box, frame, mirror).Centre()) {
			return true
		}
	}
	return false
}
