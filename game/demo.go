package game

import "time"

// ReelSpan is a stretch of the demo reel that shows one thing: a COCO
// label the hunt may ask for, or "face" for the part Head Dodge plays on.
type ReelSpan struct {
	Label string  `json:"label"`
	From  float64 `json:"from"` // seconds into the reel
	To    float64 `json:"to"`
}

// DemoReel is what the demo clip shows, and when: while it plays in the
// camera's place the hunt asks for its items, for what the reel is about
// to show, and Head Dodge starts as the face comes. The zero value (a
// clip without an item list) leaves the games as they play with a camera.
type DemoReel struct {
	Seconds float64    `json:"seconds"` // the reel's length; it loops
	Spans   []ReelSpan `json:"spans,omitempty"`
	// Items are what the hunt asks for while the reel plays: the COCO
	// labels it shows (the camera's are [game.hunt] items).
	Items []string `json:"items,omitempty"`
}

// on is true when there is a schedule to follow.
func (r DemoReel) on() bool { return r.Seconds > 0 && len(r.Spans) > 0 }

// next says, at clip time t, how long until label is on the reel for at
// least lead more (0 when it is now), and how long from t until that
// stretch ends. ok is false when the reel never shows it.
func (r DemoReel) next(label string, t, lead time.Duration) (wait, end time.Duration, ok bool) {
	if !r.on() {
		return 0, 0, false
	}
	length := secs(r.Seconds)
	pos := t % length
	for _, s := range r.Spans {
		if s.Label != label {
			continue
		}
		from, to := secs(s.From), secs(s.To)
		if to-from < lead {
			continue
		}
		w, e := max(from-pos, 0), to-pos
		if pos+lead > to { // over for this pass: the next one
			w, e = from+length-pos, to+length-pos
		}
		if !ok || w < wait {
			wait, end, ok = w, e, true
		}
	}
	return wait, end, ok
}
