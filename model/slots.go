package model

import (
	"fmt"
	"slices"
	"strings"

	ort "github.com/yalue/onnxruntime_go"
)

// The body and hand model families: MediaPipe's, as the kiosk's converter
// makes them (NCHW float32 input; outputs as in TFLite).
const (
	KindPoseDetector  Kind = "pose-detector"
	KindPoseLandmarks Kind = "pose-landmarks"
	KindPalmDetector  Kind = "palm-detector"
	KindHandLandmarks Kind = "hand-landmarks"
)

// wanted says in words what a family is and where it comes from, for a
// slot's message.
var wanted = map[Kind]string{
	KindYOLOX:         "a COCO object detector (YOLOX or an Ultralytics YOLOv8/11 export)",
	KindUltralytics:   "a COCO object detector (YOLOX or an Ultralytics YOLOv8/11 export)",
	KindBlazeFace:     "a BlazeFace face detector (make models fetches face_detection_back_256x256_barracuda.onnx)",
	KindPoseDetector:  "BlazePose's person detector (make models converts pose_detection.onnx)",
	KindPoseLandmarks: "a BlazePose landmark model (make models converts pose_landmark_lite.onnx and _full)",
	KindPalmDetector:  "MediaPipe's palm detector (make models converts palm_detection_lite.onnx and _full)",
	KindHandLandmarks: "MediaPipe's hand landmark model (make models converts hand_landmark_lite.onnx and _full)",
}

// classifyMediaPipe tells MediaPipe's body and hand models from their
// tensors: one NCHW RGB input; the detectors give regressors [1, N, 4+2K]
// (K keypoints: 4 for the person, 7 for the palm) and scores [1, N, 1];
// the pose landmark model gives a [1, 195] vector (39 points of 5 values)
// among its outputs, the hand landmark model two [1, 63] and two [1, 1].
func classifyMediaPipe(ins, outs []ort.InputOutputInfo) (modelShape, bool) {
	if len(ins) != 1 || len(ins[0].Dimensions) != 4 || ins[0].Dimensions[1] != 3 {
		return modelShape{}, false
	}
	for _, t := range append(slices.Clone(ins), outs...) {
		if t.OrtValueType != ort.ONNXTypeTensor || t.DataType != ort.TensorElementDataTypeFloat {
			return modelShape{}, false
		}
	}
	h, w := int(ins[0].Dimensions[2]), int(ins[0].Dimensions[3])
	count := func(dims ...int64) int {
		n := 0
		for _, o := range outs {
			if ort.NewShape(dims...).Equals(o.Dimensions) {
				n++
			}
		}
		return n
	}
	if len(outs) == 2 && len(outs[0].Dimensions) == 3 && len(outs[1].Dimensions) == 3 {
		n := outs[0].Dimensions[1]
		if outs[1].Dimensions[1] == n && count(1, n, 1) == 1 {
			for _, f := range []struct {
				coords int64
				kind   Kind
			}{{12, KindPoseDetector}, {18, KindPalmDetector}} {
				if count(1, n, f.coords) == 1 {
					return modelShape{kind: f.kind, inW: w, inH: h, anchors: int(n), outputs: []string{outs[0].Name, outs[1].Name}}, true
				}
			}
		}
	}
	if count(1, 195) == 1 {
		return modelShape{kind: KindPoseLandmarks, inW: w, inH: h}, true
	}
	if len(outs) == 4 && count(1, 63) == 2 && count(1, 1) == 2 {
		return modelShape{kind: KindHandLandmarks, inW: w, inH: h}, true
	}
	return modelShape{}, false
}

// InspectSlot tells what the model at path (resolved) is and whether it
// fits the slot, as the kiosk would take it: ONNX Runtime reads the file
// (so a file that does not load says so here) and its family is told from
// its tensors. The Info is filled as far as the file could be read, also
// when the error says it does not fit. Messages start with the slot's key.
func InspectSlot(rt *Runtime, s Slot, path string) (Info, error) {
	info := Info{Name: s.Name, Path: path}
	if rt == nil {
		return info, fmt.Errorf("%w: no runtime", ErrRuntime)
	}
	if err := CheckModelFile(path); err != nil {
		return info, fmt.Errorf("%w: %s %v", ErrModel, s.Key, err)
	}
	ins, outs, err := ort.GetInputOutputInfo(path)
	if err != nil {
		return info, fmt.Errorf("%w: %s is %q, which ONNX Runtime could not load (damaged or not a model?): %v; delete it and run 'make models', or set it to an ONNX model file", ErrModel, s.Key, path, err)
	}
	info.TensorSummary = summary(ins, outs)
	shape, ok := classifyMediaPipe(ins, outs)
	if !ok {
		if shape, err = classify(ins, outs); err != nil {
			return info, fmt.Errorf("%w: %s is %q, which fits no model family the kiosk knows; it has %s", ErrModel, s.Key, path, info.TensorSummary)
		}
	}
	info.Kind, info.InputW, info.InputH, info.Classes = shape.kind, shape.inW, shape.inH, shape.classes
	if s.Name == SlotObjects || s.Name == SlotFaces {
		if err := fitsSlot(s.Name, path, shape); err != nil {
			return info, err
		}
		return info, nil
	}
	if !slices.Contains(s.Wants, shape.kind) {
		var want []string
		for _, k := range s.Wants {
			want = append(want, wanted[k])
		}
		return info, fmt.Errorf("%w: %s is %s, a %s model (input %dx%d), but the %s slot wants %s",
			ErrModel, s.Key, path, shape.kind, shape.inW, shape.inH, s.Name, strings.Join(want, " or "))
	}
	return info, nil
}
