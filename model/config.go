package model

import (
	"fmt"
	"strings"

	"github.com/carrierarcade/kiosk/sight"

	"github.com/carrierarcade/kiosk/internal/check"
)

// Config is the [model] section: where ONNX Runtime lives, the two
// detectors the kiosk runs, and the body and hand models (MediaPipe's,
// converted from TFLite by 'make models').
type Config struct {
	// Library is libonnxruntime.so (1.24 or newer), relative to the config
	// file's folder when not absolute.
	Library string         `toml:"library"`
	Objects DetectorConfig `toml:"objects"`
	Faces   DetectorConfig `toml:"faces"`
	Pose    PoseConfig     `toml:"pose"`
	Hands   HandsConfig    `toml:"hands"`
}

// PoseConfig is [model.pose]: BlazePose's person detector and its landmark
// model (33 body points).
type PoseConfig struct {
	DetectorPath string `toml:"detector_path"` // ONNX file, relative to the config file's folder
	Path         string `toml:"path"`
}

// HandsConfig is [model.hands]: MediaPipe's palm detector and its hand
// landmark model (21 points).
type HandsConfig struct {
	DetectorPath string `toml:"detector_path"`
	Path         string `toml:"path"`
}

// DetectorConfig configures one detector.
type DetectorConfig struct {
	Enabled bool   `toml:"enabled"`
	Path    string `toml:"path"` // ONNX file, relative to the config file's folder
	// Score is the lowest score a detection needs to be reported.
	Score float64 `toml:"score_threshold"`
	// NMSIoU is the overlap above which the weaker of two same-class boxes
	// is dropped.
	NMSIoU  float64 `toml:"nms_iou"`
	Threads int     `toml:"threads"`
	// Classes, when not empty, keeps only these labels (COCO names).
	Classes []string `toml:"classes"`
}

// DefaultConfig is what the kiosk uses when config.toml says nothing.
func DefaultConfig() Config {
	return Config{
		Library: ".cache/lib/libonnxruntime.so",
		Objects: DetectorConfig{
			Enabled: true,
			Path:    ".cache/models/yolox_nano.onnx",
			Score:   0.35,
			NMSIoU:  0.45,
			Threads: 2,
			Classes: []string{},
		},
		Faces: DetectorConfig{
			Enabled: true,
			Path:    ".cache/models/face_detection_back_256x256_barracuda.onnx",
			Score:   0.7,
			NMSIoU:  0.3,
			Threads: 1,
			Classes: []string{},
		},
		Pose: PoseConfig{
			DetectorPath: ".cache/models/pose_detection.onnx",
			Path:         ".cache/models/pose_landmark_lite.onnx",
		},
		Hands: HandsConfig{
			DetectorPath: ".cache/models/palm_detection_full.onnx",
			Path:         ".cache/models/hand_landmark_lite.onnx",
		},
	}
}

// Validate reports every bad value, keyed relative to [model].
func (c Config) Validate() check.Problems {
	var ps check.Problems
	if c.Library == "" {
		ps.Addf("library", "is empty; set it to the path of libonnxruntime.so (make deps puts one in .cache/lib)")
	}
	ps = append(ps, c.Objects.validate(true).Under("objects")...)
	ps = append(ps, c.Faces.validate(false).Under("faces")...)
	for _, s := range c.Slots()[2:] {
		if s.Path == "" {
			ps.Addf(strings.TrimPrefix(s.Key, "model."), "is empty; set it to the %s model, an ONNX file ('make models' converts MediaPipe's into .cache/models)", s.Name)
		}
	}
	return ps
}

// Slot is one place in [model] that names a model file, and the families
// of model it takes.
type Slot struct {
	Name    string // "objects", "faces", "pose detector", "pose landmarks", "palm detector", "hand landmarks"
	Key     string // its configuration key, "model.pose.detector_path"
	Path    string // as configured
	Enabled bool   // objects and faces can be turned off
	Wants   []Kind
}

// The slots' names, as 'kiosk models list' shows them.
const (
	SlotObjects       = "objects"
	SlotFaces         = "faces"
	SlotPoseDetector  = "pose detector"
	SlotPoseLandmarks = "pose landmarks"
	SlotPalmDetector  = "palm detector"
	SlotHandLandmarks = "hand landmarks"
)

// Slots are every model the configuration names, in the order of config.toml.
func (c Config) Slots() []Slot {
	return []Slot{
		{Name: SlotObjects, Key: "model.objects.path", Path: c.Objects.Path, Enabled: c.Objects.Enabled, Wants: []Kind{KindYOLOX, KindUltralytics}},
		{Name: SlotFaces, Key: "model.faces.path", Path: c.Faces.Path, Enabled: c.Faces.Enabled, Wants: []Kind{KindBlazeFace}},
		{Name: SlotPoseDetector, Key: "model.pose.detector_path", Path: c.Pose.DetectorPath, Enabled: true, Wants: []Kind{KindPoseDetector}},
		{Name: SlotPoseLandmarks, Key: "model.pose.path", Path: c.Pose.Path, Enabled: true, Wants: []Kind{KindPoseLandmarks}},
		{Name: SlotPalmDetector, Key: "model.hands.detector_path", Path: c.Hands.DetectorPath, Enabled: true, Wants: []Kind{KindPalmDetector}},
		{Name: SlotHandLandmarks, Key: "model.hands.path", Path: c.Hands.Path, Enabled: true, Wants: []Kind{KindHandLandmarks}},
	}
}

func (c DetectorConfig) validate(coco bool) check.Problems {
	var ps check.Problems
	if c.Enabled && c.Path == "" {
		ps.Addf("path", "is empty; set it to an ONNX model file (make models puts them in .cache/models)")
	}
	ps.Range("score_threshold", c.Score, 0.01, 1)
	ps.Range("nms_iou", c.NMSIoU, 0.05, 1)
	ps.Range("threads", float64(c.Threads), 1, 16)
	for i, name := range c.Classes {
		if coco && sight.COCOClass(name) < 0 {
			ps.Addf(indexKey("classes", i), "%q is not a COCO class name (for example \"cup\", \"cell phone\", \"teddy bear\")", name)
		}
		if !coco && name != "face" {
			ps.Addf(indexKey("classes", i), "%q: the face detector only knows \"face\"", name)
		}
	}
	return ps
}

func indexKey(key string, i int) string { return fmt.Sprintf("%s[%d]", key, i) }
