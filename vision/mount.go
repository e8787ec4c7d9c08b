package vision

import (
	"context"
	"time"

	"github.com/carrierarcade/kiosk/model"
	"github.com/carrierarcade/kiosk/sight"
	"gocv.io/x/gocv"
)

// MountTally counts, over a camera's first frames, the people the person
// detector found with each frame as the camera gave it and turned each
// quarter turn clockwise (People[0] as given, [1] turned 90 degrees, [2]
// 180, [3] 270). The detector finds some people upside down or sideways
// too, only fewer: the counts are compared, not whether any was found.
type MountTally struct {
	Frames int
	People [4]int
}

// mountMinPeople is how many people a turn must find before the tally
// says anything.
const mountMinPeople = 5

// Hint is the rotation that turns the camera's frames so people stand
// upright, when that turn finds at least 1.5 times as many people as the
// frames as given and as every other turn (on vtest.avi turned, the right
// turn finds about twice as many as the next): a camera mounted turned that
// source.rotation does not know of. ok is false when nothing is clear
// (nobody in view, people found as given, two turns alike).
func (t MountTally) Hint() (rotation int, ok bool) {
	best := 0
	for i := 1; i < 4; i++ {
		if t.People[i] > t.People[best] {
			best = i
		}
	}
	if best == 0 || t.People[best] < mountMinPeople {
		return 0, false
	}
	for i, n := range t.People {
		if i != best && 3*n > 2*t.People[best] {
			return 0, false
		}
	}
	return best * 90, true
}

// Upright is true when the frames as given find at least mountMinPeople,
// and at least 1.5 times as many as every turn (Hint's margin the other
// way round): people are in view and the camera stands as it should. Hint
// and Upright are never both true; with neither the look says nothing
// (nobody in view, or no way round clearly ahead) and is worth doing again.
func (t MountTally) Upright() bool {
	if t.People[0] < mountMinPeople {
		return false
	}
	for _, n := range t.People[1:] {
		if 3*n > 2*t.People[0] {
			return false
		}
	}
	return true
}

// CheckMount looks at n of the capture's frames, one every gap, with det
// (a detector of its own: the pipeline's is not shared), upright and
// turned. It returns early, with what it has, when ctx ends.
func CheckMount(ctx context.Context, c *Capture, det model.Detector, n int, gap time.Duration) MountTally {
	var t MountTally
	frame, turned := gocv.NewMat(), gocv.NewMat()
	defer frame.Close()
	defer turned.Close()
	var buf []sight.Detection
	var seq uint64
	wait := time.NewTimer(gap)
	defer wait.Stop()
	for t.Frames < n {
		select {
		case <-ctx.Done():
			return t
		case <-wait.C:
		}
		wait.Reset(gap)
		info, ok := c.Latest(&frame, seq)
		if !ok {
			continue
		}
		seq = info.Seq
		t.Frames++
		for i := range 4 {
			Orientation{Rotation: i * 90}.Turn(frame, &turned)
			var err error
			if buf, err = det.Detect(turned, buf); err != nil {
				return t
			}
			for _, d := range buf {
				if d.Label == "person" {
					t.People[i]++
				}
			}
		}
	}
	return t
}
