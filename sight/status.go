package sight

import "time"

// Status is how well the seeing goes: for the operator overlay, the log
// and metrics. The rules never read it and recordings do not keep it.
type Status struct {
	CapturedAt time.Time // wall clock when the newest frame was read

	Objects, Faces DetectorStatus
	// TrackTime is how long the last object tracking step took, and
	// MotionTime the last motion measurement.
	TrackTime, MotionTime time.Duration

	CameraRate float64 // measured frames captured per second
	Ended      bool    // the source is a clip that has played to its end
	SourceErr  error   // why the source stopped, if it has
}

// DetectorStatus is how one detector is doing.
type DetectorStatus struct {
	On      bool    // the pipeline has this detector
	Timings Timings // of its last good run
	// Rate is good runs per second: a run that failed found nothing, so it
	// is not counted.
	Rate float64
	// Err is why the last run failed, nil when it worked; Failures counts
	// the failed runs since start.
	Err      error
	Failures int
}

// Timings are how long one detector run took, by step.
type Timings struct {
	Preprocess, Inference, Postprocess time.Duration
}
