// Package sight is what the games see of the booth: detections, faces,
// tracked people, the primary player, the motion grid and the times of the
// frames they came from. It is plain Go with no cgo, so that the rules build
// and test with CGO_ENABLED=0 and a recorded session (observations, never
// pixels) replays with no camera, no model and no ONNX Runtime. The vision
// and model packages fill these types.
package sight

// Box is an axis-aligned rectangle in pixels of the picture it was found in:
// (X0, Y0) top-left, (X1, Y1) bottom-right.
type Box struct{ X0, Y0, X1, Y1 float32 }

// W is the box width.
func (b Box) W() float32 { return b.X1 - b.X0 }

// H is the box height.
func (b Box) H() float32 { return b.Y1 - b.Y0 }

// Area is the box area; an inverted box has none.
func (b Box) Area() float32 {
	if b.X1 <= b.X0 || b.Y1 <= b.Y0 {
		return 0
	}
	return (b.X1 - b.X0) * (b.Y1 - b.Y0)
}

// Center is the box centre.
func (b Box) Center() (x, y float32) { return (b.X0 + b.X1) / 2, (b.Y0 + b.Y1) / 2 }

// IoU is the intersection over union of two boxes, 0 when they do not touch.
func IoU(a, b Box) float32 {
	ix0 := max(a.X0, b.X0)
	iy0 := max(a.Y0, b.Y0)
	ix1 := min(a.X1, b.X1)
	iy1 := min(a.Y1, b.Y1)
	inter := Box{ix0, iy0, ix1, iy1}.Area()
	if inter == 0 {
		return 0
	}
	return inter / (a.Area() + b.Area() - inter)
}

// Point is a position in pixels.
type Point struct{ X, Y float32 }

// Detection is one thing a detector found in one picture.
type Detection struct {
	Class int     // index into the detector's labels (COCO for objects, 0 for a face)
	Label string  // "dog", "cup", "face"
	Score float32 // 0..1
	Box   Box     // in the source picture's own pixels

	// Keypoints are the face landmarks from BlazeFace: right eye, left eye,
	// nose tip, mouth centre, right ear, left ear (as seen by the camera).
	// Zero for object detectors. An array, not a slice, so that a frame's
	// detections cost no allocation each.
	Keypoints [FaceKeypoints]Point
}

// FaceKeypoints is how many landmarks BlazeFace gives per face.
const FaceKeypoints = 6

// Track is one thing followed across frames.
type Track struct {
	ID        int // stable, from 1, never reused within a Tracker
	Detection     // the latest matching detection (box held while missed)
	Seen      int // frames matched so far
	Missed    int // frames in a row without a match, 0 when seen this frame
	Primary   bool
}
