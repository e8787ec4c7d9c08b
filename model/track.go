package model

import (
	"cmp"
	"math"
	"slices"

	"github.com/carrierarcade/kiosk/sight"
)

// TrackerConfig tunes how detections are followed from frame to frame.
type TrackerConfig struct {
	// MatchIoU is the least overlap a detection needs with a track's box,
	// same label, to continue that track.
	MatchIoU float64
	// MaxMissed is how many frames in a row a track survives without a
	// matching detection (its box held), so one missed detection does not
	// change a player's ID.
	MaxMissed int
	// PrimaryAfter is how many frames a person or face must have been seen
	// before it can become the primary player, so a passer-by glimpsed for
	// a frame or two is never picked.
	PrimaryAfter int
}

// DefaultTrackerConfig suits detectors running at 5 to 15 Hz.
func DefaultTrackerConfig() TrackerConfig {
	return TrackerConfig{MatchIoU: 0.3, MaxMissed: 5, PrimaryAfter: 5}
}

// trackPair is a possible match of track i and detection j.
type trackPair struct {
	i, j int
	iou  float32
}

// Tracker gives detections stable IDs across frames by box overlap, and
// names a primary player. Its slices are reused, so Update allocates nothing
// once the number of tracks has settled. Not safe for concurrent use.
type Tracker struct {
	cfg       TrackerConfig
	tracks    []sight.Track
	pairs     []trackPair
	trackDet  []int  // per track, the matched detection or -1
	detUsed   []bool // per detection, matched
	nextID    int
	primaryID int // 0 when there is none
}

// NewTracker makes a Tracker.
func NewTracker(cfg TrackerConfig) *Tracker {
	return &Tracker{cfg: cfg, nextID: 1}
}

// Update matches this frame's detections (boxes in frame pixels, the frame
// w x h) to the tracks and returns the live tracks, ordered by ID, including
// ones missed for up to MaxMissed frames. The slice is the tracker's own,
// valid until the next Update; callers copy what they keep.
func (t *Tracker) Update(dets []sight.Detection, w, h int) []sight.Track {
	t.match(dets)

	// Continue matched tracks, age the others, drop the ones gone too long.
	live := t.tracks[:0]
	for i := range t.tracks {
		tr := t.tracks[i]
		if j := t.trackDet[i]; j >= 0 {
			tr.Detection = dets[j]
			tr.Seen++
			tr.Missed = 0
		} else {
			tr.Missed++
			if tr.Missed > t.cfg.MaxMissed {
				continue
			}
		}
		live = append(live, tr)
	}
	t.tracks = live

	// Whatever is left over is new.
	for j := range dets {
		if !t.detUsed[j] {
			t.tracks = append(t.tracks, sight.Track{ID: t.nextID, Detection: dets[j], Seen: 1})
			t.nextID++
		}
	}

	t.choosePrimary(w, h)
	return t.tracks
}

// match fills t.trackDet and t.detUsed: greedily, best overlap first, each
// track and each detection used at most once.
func (t *Tracker) match(dets []sight.Detection) {
	t.pairs = t.pairs[:0]
	minIoU := float32(t.cfg.MatchIoU)
	for i := range t.tracks {
		for j := range dets {
			if t.tracks[i].Label != dets[j].Label {
				continue
			}
			// Boxes that do not touch never match, whatever MatchIoU says.
			if iou := sight.IoU(t.tracks[i].Box, dets[j].Box); iou > 0 && iou >= minIoU {
				t.pairs = append(t.pairs, trackPair{i, j, iou})
			}
		}
	}
	// Ties go to the older track, then the earlier detection, so the result
	// does not depend on the sort.
	slices.SortFunc(t.pairs, func(a, b trackPair) int {
		if c := cmp.Compare(b.iou, a.iou); c != 0 {
			return c
		}
		if c := cmp.Compare(a.i, b.i); c != 0 {
			return c
		}
		return cmp.Compare(a.j, b.j)
	})

	t.trackDet = slices.Grow(t.trackDet[:0], len(t.tracks))[:len(t.tracks)]
	for i := range t.trackDet {
		t.trackDet[i] = -1
	}
	t.detUsed = slices.Grow(t.detUsed[:0], len(dets))[:len(dets)]
	clear(t.detUsed)
	for _, p := range t.pairs {
		if t.trackDet[p.i] < 0 && !t.detUsed[p.j] {
			t.trackDet[p.i] = p.j
			t.detUsed[p.j] = true
		}
	}
}

// choosePrimary keeps the primary while its track lives, even while it is
// missed, so the game does not switch players because someone larger walked
// past; only when it is gone does the best candidate take over.
func (t *Tracker) choosePrimary(w, h int) {
	keep := false
	for i := range t.tracks {
		if t.tracks[i].ID == t.primaryID {
			keep = true
			break
		}
	}
	if !keep {
		t.primaryID = 0
		best := float32(0)
		for i := range t.tracks {
			tr := &t.tracks[i]
			if !t.candidate(tr) {
				continue
			}
			// Strictly greater: on a tie the older track (lower ID) wins.
			if s := trackPrimaryScore(tr.Box, w, h); s > best || t.primaryID == 0 {
				best, t.primaryID = s, tr.ID
			}
		}
	}
	for i := range t.tracks {
		t.tracks[i].Primary = t.tracks[i].ID == t.primaryID && t.primaryID != 0
	}
}

func (t *Tracker) candidate(tr *sight.Track) bool {
	return (tr.Label == "person" || tr.Label == "face") && tr.Seen >= t.cfg.PrimaryAfter && tr.Missed == 0
}

// trackPrimaryScore favours the player filling most of the frame and standing in
// the middle of it: the box's share of the frame times a weight of 1 at the
// centre falling to 0.5 at the edges and beyond. With no frame size, the
// box area alone.
func trackPrimaryScore(b sight.Box, w, h int) float32 {
	if w <= 0 || h <= 0 {
		return b.Area()
	}
	fw, fh := float32(w), float32(h)
	cx, cy := b.Center()
	dx := (cx - fw/2) / (fw / 2)
	dy := (cy - fh/2) / (fh / 2)
	r := min(float32(math.Sqrt(float64(dx*dx+dy*dy))), 1)
	return b.Area() / (fw * fh) * (1 - 0.5*r)
}

// Primary is the primary player's track, if there is one.
func (t *Tracker) Primary() (sight.Track, bool) {
	if t.primaryID == 0 {
		return sight.Track{}, false
	}
	for _, tr := range t.tracks {
		if tr.ID == t.primaryID {
			return tr, true
		}
	}
	return sight.Track{}, false
}

// Reset forgets every track and the primary, for a new game or a new
// camera. IDs keep counting up, so an old ID held by a caller never names a
// new track.
func (t *Tracker) Reset() {
	t.tracks = t.tracks[:0]
	t.primaryID = 0
}
