package sight

import "time"

// Frame names one camera frame: its number, its time on the source's clock
// and its size. A detector's result carries the frame it ran on, so the
// rules can tell how old it is and map its pixels to the screen.
type Frame struct {
	Seq  uint64        // 1 for the first frame, 0 means none yet
	Time time.Duration // source time (clip position, or since the camera opened)
	W, H int
}

// Observation is what the rules know about the booth at one logic tick:
// the newest frame, and the latest result of each detector and of motion,
// each with the frame it was measured on.
type Observation struct {
	Frame Frame // newest frame captured

	Objects      []Detection
	ObjectsFrame Frame

	Faces      []Detection
	FacesFrame Frame

	// Tracks give the detections stable IDs across frames (objects and
	// faces separately).
	ObjectTracks []Track
	FaceTracks   []Track
	// Player is the primary player: the tracked person the games follow,
	// else the tracked face; HasPlayer is false when nobody qualifies.
	Player    Track
	HasPlayer bool

	Motion      MotionGrid
	MotionFrame Frame
}

// CopyFrom copies src into o, reusing o's slices, so a reader can keep an
// observation without allocating per tick.
func (o *Observation) CopyFrom(src *Observation) {
	objects, faces, motion := o.Objects[:0], o.Faces[:0], o.Motion
	otracks, ftracks := o.ObjectTracks[:0], o.FaceTracks[:0]
	*o = *src
	o.Objects = append(objects, src.Objects...)
	o.Faces = append(faces, src.Faces...)
	o.ObjectTracks = append(otracks, src.ObjectTracks...)
	o.FaceTracks = append(ftracks, src.FaceTracks...)
	o.Motion = motion
	o.Motion.CopyFrom(&src.Motion)
}
