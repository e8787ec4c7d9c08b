package model_test

import (
	"fmt"
	"testing"

	"github.com/carrierarcade/kiosk/sight"

	"github.com/carrierarcade/kiosk/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const trackW, trackH = 640, 480 // frame size for the scripted scenes

// trackDet is a detection with its box at (x, y), w x h.
func trackDet(label string, x, y, w, h float32) sight.Detection {
	return sight.Detection{Label: label, Score: 0.9, Box: sight.Box{X0: x, Y0: y, X1: x + w, Y1: y + h}}
}

// trackWant is one expected live track: its ID and Missed count.
type trackWant struct{ ID, Missed int }

// trackStep is one frame of a script and what the tracker should say after
// it: the live tracks in order, and the primary's ID (0 for none).
type trackStep struct {
	dets    []sight.Detection
	want    []trackWant
	primary int
}

// trackFrames builds n steps from a function of the frame number.
func trackFrames(n int, f func(i int) trackStep) []trackStep {
	steps := make([]trackStep, n)
	for i := range steps {
		steps[i] = f(i)
	}
	return steps
}

func trackConcat(parts ...[]trackStep) []trackStep {
	var all []trackStep
	for _, p := range parts {
		all = append(all, p...)
	}
	return all
}

func TestTracker(t *testing.T) {
	cfg := model.DefaultTrackerConfig() // MatchIoU 0.3, MaxMissed 5, PrimaryAfter 5
	require.Equal(t, model.TrackerConfig{MatchIoU: 0.3, MaxMissed: 5, PrimaryAfter: 5}, cfg)

	person := func(x float32) sight.Detection { return trackDet("person", x, 100, 100, 240) }

	for _, c := range []struct {
		name  string
		steps []trackStep
	}{
		{
			// The primary waits for PrimaryAfter frames; the cup never
			// becomes one however big it is.
			name: "small motion keeps IDs, primary after 5 frames",
			steps: trackFrames(10, func(i int) trackStep {
				s := trackStep{
					dets: []sight.Detection{
						person(200 + 6*float32(i)),
						trackDet("cup", 20-3*float32(i), 20, 400, 400),
					},
					want: []trackWant{{1, 0}, {2, 0}},
				}
				if i >= 4 {
					s.primary = 1
				}
				return s
			}),
		},
		{
			name: "an ID survives a missed frame",
			steps: []trackStep{
				{dets: []sight.Detection{person(200)}, want: []trackWant{{1, 0}}},
				{dets: []sight.Detection{person(205)}, want: []trackWant{{1, 0}}},
				{dets: nil, want: []trackWant{{1, 1}}},
				{dets: []sight.Detection{person(215)}, want: []trackWant{{1, 0}}},
				// Seen 4 of 5 frames: not yet a primary.
				{dets: []sight.Detection{person(220)}, want: []trackWant{{1, 0}}},
				{dets: []sight.Detection{person(225)}, want: []trackWant{{1, 0}}, primary: 1},
			},
		},
		{
			name: "a track is dropped after MaxMissed, and a return is new",
			steps: trackConcat(
				[]trackStep{{dets: []sight.Detection{person(200)}, want: []trackWant{{1, 0}}}},
				trackFrames(5, func(i int) trackStep { return trackStep{want: []trackWant{{1, i + 1}}} }),
				[]trackStep{
					{want: nil},
					{dets: []sight.Detection{person(200)}, want: []trackWant{{2, 0}}},
				},
			),
		},
		{
			name: "label mismatch never matches",
			steps: []trackStep{
				{dets: []sight.Detection{person(200)}, want: []trackWant{{1, 0}}},
				{dets: []sight.Detection{trackDet("dog", 200, 100, 100, 240)}, want: []trackWant{{1, 1}, {2, 0}}},
				{dets: []sight.Detection{person(200)}, want: []trackWant{{1, 0}, {2, 1}}},
				{dets: []sight.Detection{trackDet("face", 200, 100, 100, 240)}, want: []trackWant{{1, 1}, {2, 2}, {3, 0}}},
			},
		},
		{
			name: "a detection too far from its track starts a new one",
			steps: []trackStep{
				{dets: []sight.Detection{person(100)}, want: []trackWant{{1, 0}}},
				// sight.IoU 20/180 = 0.11, under MatchIoU.
				{dets: []sight.Detection{person(180)}, want: []trackWant{{1, 1}, {2, 0}}},
			},
		},
		{
			// The best overlap wins, not the order of the detections.
			name: "greedy by overlap",
			steps: []trackStep{
				{dets: []sight.Detection{person(100), person(300)}, want: []trackWant{{1, 0}, {2, 0}}},
				{dets: []sight.Detection{person(290), person(110)}, want: []trackWant{{1, 0}, {2, 0}}},
			},
		},
		{
			// The primary is the larger, more central person; when it
			// leaves it stays primary while held, then the other takes over.
			name: "primary moves to the next best after the primary leaves",
			steps: trackConcat(
				trackFrames(6, func(i int) trackStep {
					s := trackStep{
						dets: []sight.Detection{
							trackDet("person", 20, 200, 80, 200),   // small, at the edge
							trackDet("person", 250, 100, 140, 300), // big, central
						},
						want: []trackWant{{1, 0}, {2, 0}},
					}
					if i >= 4 {
						s.primary = 2
					}
					return s
				}),
				trackFrames(5, func(i int) trackStep {
					return trackStep{
						dets:    []sight.Detection{trackDet("person", 20, 200, 80, 200)},
						want:    []trackWant{{1, 0}, {2, i + 1}},
						primary: 2,
					}
				}),
				[]trackStep{{
					dets:    []sight.Detection{trackDet("person", 20, 200, 80, 200)},
					want:    []trackWant{{1, 0}},
					primary: 1,
				}},
			),
		},
		{
			name: "the primary is not chosen before PrimaryAfter, and a miss delays the choice",
			steps: trackConcat(
				trackFrames(3, func(int) trackStep {
					return trackStep{dets: []sight.Detection{person(300)}, want: []trackWant{{1, 0}}}
				}),
				// Seen stays 3 while missed; candidates must be in view.
				[]trackStep{{want: []trackWant{{1, 1}}}},
				[]trackStep{{dets: []sight.Detection{person(300)}, want: []trackWant{{1, 0}}}},
				[]trackStep{{dets: []sight.Detection{person(300)}, want: []trackWant{{1, 0}}, primary: 1}},
			),
		},
		{
			name: "a face can be primary",
			steps: trackFrames(6, func(i int) trackStep {
				s := trackStep{dets: []sight.Detection{trackDet("face", 280, 150, 60, 80)}, want: []trackWant{{1, 0}}}
				if i >= 4 {
					s.primary = 1
				}
				return s
			}),
		},
		{
			// Same size: the one in the middle wins even though it came
			// second.
			name: "centrality",
			steps: trackFrames(5, func(i int) trackStep {
				s := trackStep{
					dets: []sight.Detection{
						trackDet("person", 0, 0, 120, 240),
						trackDet("person", 260, 120, 120, 240),
					},
					want: []trackWant{{1, 0}, {2, 0}},
				}
				if i == 4 {
					s.primary = 2
				}
				return s
			}),
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			tr := model.NewTracker(cfg)
			for i, s := range c.steps {
				live := tr.Update(s.dets, trackW, trackH)
				got := make([]trackWant, len(live))
				primaries := 0
				for k, l := range live {
					got[k] = trackWant{l.ID, l.Missed}
					if l.Primary {
						primaries++
						assert.Equal(t, s.primary, l.ID, "frame %d: primary flag", i)
					}
				}
				require.Equal(t, s.want, trackNilIfEmpty(got), "frame %d: live tracks", i)
				p, ok := tr.Primary()
				assert.Equal(t, s.primary != 0, ok, "frame %d: has primary", i)
				assert.Equal(t, s.primary, p.ID, "frame %d: primary", i)
				if s.primary != 0 {
					assert.Equal(t, 1, primaries, "frame %d: tracks flagged primary", i)
					assert.True(t, p.Primary)
				} else {
					assert.Zero(t, primaries, "frame %d: tracks flagged primary", i)
				}
			}
		})
	}
}

func trackNilIfEmpty(w []trackWant) []trackWant {
	if len(w) == 0 {
		return nil
	}
	return w
}

func TestTrackerHeldBoxAndCounts(t *testing.T) {
	tr := model.NewTracker(model.DefaultTrackerConfig())
	d := trackDet("person", 200, 100, 100, 240)
	d.Keypoints[0] = sight.Point{X: 1, Y: 2}
	tr.Update([]sight.Detection{d}, trackW, trackH)
	live := tr.Update(nil, trackW, trackH)
	require.Len(t, live, 1)
	assert.Equal(t, d, live[0].Detection, "box, label and keypoints held while missed")
	assert.Equal(t, 1, live[0].Seen)
	assert.Equal(t, 1, live[0].Missed)

	moved := trackDet("person", 210, 100, 100, 240)
	live = tr.Update([]sight.Detection{moved}, trackW, trackH)
	require.Len(t, live, 1)
	assert.Equal(t, moved, live[0].Detection, "the latest detection when seen")
	assert.Equal(t, 2, live[0].Seen)
	assert.Equal(t, 0, live[0].Missed)
}

// Two people walk past each other in opposite directions, at different
// heights, so their boxes overlap part of the way: each keeps its ID.
func TestTrackerCrossing(t *testing.T) {
	for _, c := range []struct {
		dy   float32 // vertical offset between the two
		step float32 // pixels per frame each walks
	}{
		{dy: 120, step: 20},
		{dy: 80, step: 15},
		{dy: 60, step: 10},
	} {
		t.Run(fmt.Sprintf("offset %v step %v", c.dy, c.step), func(t *testing.T) {
			tr := model.NewTracker(model.DefaultTrackerConfig())
			var maxOverlap float32
			for i := 0; i < int(440/c.step); i++ {
				a := trackDet("person", 50+c.step*float32(i), 100, 100, 240)
				b := trackDet("person", 490-c.step*float32(i), 100+c.dy, 100, 240)
				maxOverlap = max(maxOverlap, sight.IoU(a.Box, b.Box))
				// The detector's order changes from frame to frame.
				dets := []sight.Detection{a, b}
				if i%2 == 1 {
					dets[0], dets[1] = b, a
				}
				live := tr.Update(dets, trackW, trackH)
				require.Len(t, live, 2, "frame %d", i)
				require.Equal(t, 1, live[0].ID)
				require.Equal(t, a.Box, live[0].Box, "frame %d: track 1 follows the walker going right", i)
				require.Equal(t, 2, live[1].ID)
				require.Equal(t, b.Box, live[1].Box, "frame %d: track 2 follows the walker going left", i)
			}
			assert.Greater(t, maxOverlap, float32(0.2), "the two boxes did overlap")
		})
	}
}

// The player stands in the middle; someone much larger walks close past the
// camera, in view long enough to qualify, and the player's detection drops
// out twice while they pass: the primary stays the player.
func TestTrackerPrimaryIgnoresPasserBy(t *testing.T) {
	tr := model.NewTracker(model.DefaultTrackerConfig())
	player := trackDet("person", 280, 140, 80, 200)
	for i := 0; i < 30; i++ {
		var dets []sight.Detection
		if i != 12 && i != 13 {
			dets = append(dets, player)
		}
		if i >= 8 {
			dets = append(dets, trackDet("person", -100+15*float32(i-8), 20, 300, 460))
		}
		tr.Update(dets, trackW, trackH)
		p, ok := tr.Primary()
		if i < 4 {
			assert.False(t, ok, "frame %d", i)
			continue
		}
		require.True(t, ok, "frame %d", i)
		assert.Equal(t, 1, p.ID, "frame %d: primary", i)
	}
}

func TestTrackerReset(t *testing.T) {
	tr := model.NewTracker(model.DefaultTrackerConfig())
	for i := 0; i < 6; i++ {
		tr.Update([]sight.Detection{trackDet("person", 200, 100, 100, 240)}, trackW, trackH)
	}
	_, ok := tr.Primary()
	require.True(t, ok)
	tr.Reset()
	_, ok = tr.Primary()
	assert.False(t, ok)
	live := tr.Update([]sight.Detection{trackDet("person", 200, 100, 100, 240)}, trackW, trackH)
	require.Len(t, live, 1)
	assert.Equal(t, 2, live[0].ID, "IDs are not reused after Reset")
	assert.False(t, live[0].Primary)
}

// trackCrowd is ten things drifting a little each frame.
func trackCrowd(dets []sight.Detection, i int) {
	for k := range dets {
		label := "person"
		if k%3 == 2 {
			label = "cup"
		}
		x := float32(k%5)*120 + float32(i%7)
		y := float32(k/5)*220 + float32(i%5)
		dets[k] = trackDet(label, x, y, 100, 200)
	}
}

func TestTrackerNoAllocs(t *testing.T) {
	tr := model.NewTracker(model.DefaultTrackerConfig())
	dets := make([]sight.Detection, 10)
	i := 0
	step := func() {
		trackCrowd(dets, i)
		// Drop one now and then, so missed tracks are exercised too.
		n := len(dets)
		if i%4 == 0 {
			n--
		}
		tr.Update(dets[:n], trackW, trackH)
		i++
	}
	for ; i < 20; i++ {
		step()
	}
	assert.Zero(t, testing.AllocsPerRun(100, step))
	live := tr.Update(dets, trackW, trackH)
	assert.Len(t, live, 10, "no track lost or duplicated")
	assert.Equal(t, 10, live[len(live)-1].ID)
}

func BenchmarkTrackerUpdate(b *testing.B) {
	tr := model.NewTracker(model.DefaultTrackerConfig())
	frames := make([][]sight.Detection, 8)
	for i := range frames {
		frames[i] = make([]sight.Detection, 10)
		trackCrowd(frames[i], i)
	}
	for i := range frames {
		tr.Update(frames[i], trackW, trackH)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tr.Update(frames[i%len(frames)], trackW, trackH)
	}
}
