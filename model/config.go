package model

import (
	"fmt"

	"github.com/carrierarcade/kiosk/sight"

	"github.com/carrierarcade/kiosk/internal/check"
)

// Config is the [model] section: where ONNX Runtime lives and the two
// detectors the kiosk runs.
type Config struct {
	// Library is libonnxruntime.so (1.24 or newer), relative to the config
	// file's folder when not absolute.
	Library string         `toml:"library"`
	Objects DetectorConfig `toml:"objects"`
	Faces   DetectorConfig `toml:"faces"`
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
	return ps
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
