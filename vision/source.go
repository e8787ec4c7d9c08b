package vision

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"gocv.io/x/gocv"
)

// FrameSource hands out pictures one at a time. A camera, a clip file and
// the fakes in tests all look the same to the capture loop.
type FrameSource interface {
	// Read blocks until the next frame, writes it into dst as 8-bit BGR
	// and returns the frame's time: the clip position for a file (growing
	// across loops), the time since opening for a camera.
	Read(dst *gocv.Mat) (time.Duration, error)
	// FPS is the source's nominal frame rate.
	FPS() float64
	// Name is what logs and the overlay call the source.
	Name() string
	// Live is true for a camera: frames arrive on their own clock, so
	// the capture loop must not pace them.
	Live() bool
	Close() error
}

// ErrEnd is returned by Read when a clip that does not loop is over.
var ErrEnd = errors.New("end of clip")

// ErrSource marks a source that cannot be opened or read.
var ErrSource = errors.New("source unavailable")

// SourceConfig is the [source] section.
type SourceConfig struct {
	// Enabled false starts the kiosk with the camera off: the device is
	// not opened and the demo clip plays, until the camera key asks.
	Enabled bool `toml:"enabled"`
	// Spec is where frames come from (see ParseSpec).
	Spec string `toml:"spec"`
	// Demo is the clip played when the camera cannot be opened.
	Demo string `toml:"demo"`
	// Width, Height and FPS are asked of a camera; it may pick others.
	Width  int     `toml:"width"`
	Height int     `toml:"height"`
	FPS    float64 `toml:"fps"`
	// Rotation and Flip say how the camera is mounted (see Orientation):
	// its frames are turned upright right after capture. They apply to
	// Spec (a camera, or a clip it recorded), never to the demo clip.
	Rotation int  `toml:"rotation"`
	Flip     bool `toml:"flip"`
}

// Orientation is how the source's frames are turned upright.
func (c SourceConfig) Orientation() Orientation {
	return Orientation{Rotation: c.Rotation, Flip: c.Flip}
}

// DefaultSourceConfig is the webcam, with the Debian sample clip as the demo.
func DefaultSourceConfig() SourceConfig {
	return SourceConfig{Enabled: true, Spec: "camera:0", Demo: "file:.cache/media/demo-reel.avi", Width: 640, Height: 480, FPS: 30}
}

// Open opens the source a spec names, its frames turned upright by the
// configured orientation. Relative file paths are taken from base (the
// config file's folder).
func Open(sp Spec, cfg SourceConfig, base string) (FrameSource, error) {
	var src FrameSource
	var err error
	if sp.Kind == "camera" {
		src, err = openCamera(sp, cfg)
	} else {
		path := sp.Path
		if !filepath.IsAbs(path) && base != "" {
			path = filepath.Join(base, path)
		}
		src, err = OpenClip(path, sp.Loop)
		if err == nil && sp.Start > 0 {
			err = src.(*clip).seek(sp.Start)
			if err != nil {
				src.Close()
			}
		}
	}
	if err != nil {
		return nil, err
	}
	return Oriented(src, cfg.Orientation()), nil
}

// clip plays a video file through OpenCV, the same API as a camera.
type clip struct {
	cap    *gocv.VideoCapture
	path   string
	loop   bool
	fps    float64
	n      int           // frames read since the last rewind
	offset time.Duration // time of the clip's start, grows by a clip each loop
}

// OpenClip opens a video file; with loop it starts again at its end.
func OpenClip(path string, loop bool) (FrameSource, error) {
	// Looked at before OpenCV is: given a folder, OpenCV tries it as a
	// numbered picture series and prints its own error first.
	if err := CheckClipFile(path); err != nil {
		return nil, fmt.Errorf("%w: clip %v (fix source.spec, source.demo or --source)", ErrSource, err)
	}
	cap, err := gocv.VideoCaptureFile(path)
	if err != nil || !cap.IsOpened() {
		if cap != nil {
			cap.Close()
		}
		return nil, fmt.Errorf("%w: clip %s cannot be opened as video (damaged, or a format OpenCV cannot read)", ErrSource, path)
	}
	fps := cap.Get(gocv.VideoCaptureFPS)
	if fps <= 0 || fps > 240 {
		fps = 25 // files without a usable rate: a common camera's pace
	}
	return &clip{cap: cap, path: path, loop: loop, fps: fps}, nil
}

func (c *clip) Read(dst *gocv.Mat) (time.Duration, error) {
	if c.cap.Read(dst) && !dst.Empty() {
		t := c.offset + c.frameTime(c.n)
		c.n++
		return t, nil
	}
	if !c.loop {
		return 0, ErrEnd
	}
	if c.n == 0 {
		return 0, fmt.Errorf("%w: clip %s has no readable frames", ErrSource, c.path)
	}
	c.offset += c.frameTime(c.n)
	c.n = 0
	c.cap.Set(gocv.VideoCapturePosFrames, 0)
	if !c.cap.Read(dst) || dst.Empty() {
		return 0, fmt.Errorf("%w: clip %s could not be rewound", ErrSource, c.path)
	}
	c.n = 1
	return c.offset, nil
}

// seek starts the clip secs in: its frames' times count from there, and a
// loop goes back to its very start.
func (c *clip) seek(secs float64) error {
	n := int(secs * c.fps)
	if total := int(c.cap.Get(gocv.VideoCaptureFrameCount)); total > 0 && n >= total {
		return fmt.Errorf("%w: clip %s is %.1f s long, it cannot start at %g s", ErrSource, c.path, float64(total)/c.fps, secs)
	}
	c.cap.Set(gocv.VideoCapturePosFrames, float64(n))
	c.offset = c.frameTime(n)
	return nil
}

func (c *clip) frameTime(n int) time.Duration {
	return time.Duration(float64(n) / c.fps * float64(time.Second))
}

func (c *clip) FPS() float64 { return c.fps }

func (c *clip) Name() string { return "file:" + filepath.Base(c.path) }
func (c *clip) Live() bool   { return false }
func (c *clip) Close() error { return c.cap.Close() }

// camera reads a webcam through V4L2.
type camera struct {
	cap   *gocv.VideoCapture
	name  string
	fps   float64
	start time.Time
}

func openCamera(sp Spec, cfg SourceConfig) (FrameSource, error) {
	var dev any = sp.Device
	if sp.Device < 0 {
		dev = sp.Path
	}
	cap, err := gocv.OpenVideoCaptureWithAPI(dev, gocv.VideoCaptureV4L2)
	if err != nil || !cap.IsOpened() {
		if cap != nil {
			cap.Close()
		}
		return nil, fmt.Errorf("%w: camera %s cannot be opened (not plugged in, in use by another program, or no permission: add the user to group video)", ErrSource, sp)
	}
	cap.Set(gocv.VideoCaptureFrameWidth, float64(cfg.Width))
	cap.Set(gocv.VideoCaptureFrameHeight, float64(cfg.Height))
	cap.Set(gocv.VideoCaptureFPS, cfg.FPS)
	fps := cap.Get(gocv.VideoCaptureFPS)
	if fps <= 0 || fps > 240 {
		fps = cfg.FPS
	}
	return &camera{cap: cap, name: sp.String(), fps: fps, start: time.Now()}, nil
}

func (c *camera) Read(dst *gocv.Mat) (time.Duration, error) {
	if !c.cap.Read(dst) || dst.Empty() {
		return 0, fmt.Errorf("%w: camera %s stopped delivering frames", ErrSource, c.name)
	}
	return time.Since(c.start), nil
}

func (c *camera) FPS() float64 { return c.fps }
func (c *camera) Name() string { return c.name }
func (c *camera) Live() bool   { return true }
func (c *camera) Close() error { return c.cap.Close() }

// CheckClipFile says what is wrong with path as a video file without
// opening it as video, or nil: it must exist and be a regular file (a
// folder or a FIFO is not a clip).
func CheckClipFile(path string) error {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%q does not exist ('make deps' fetches the sample clips and 'make run' builds the demo reel; or name a video file)", path)
	case err != nil:
		return fmt.Errorf("%q cannot be read (%v); name a video file", path, err)
	case info.IsDir():
		return fmt.Errorf("%q is a folder, not a video file; name the clip itself, for example file:%s", path, filepath.Join(path, "clip.avi"))
	case !info.Mode().IsRegular():
		return fmt.Errorf("%q is not a regular file (a device, FIFO or socket); name a video file", path)
	case info.Size() == 0:
		return fmt.Errorf("%q is an empty file; name a video file", path)
	}
	return nil
}
