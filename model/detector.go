package model

import (
	"errors"
	"fmt"
	"image"
	"strings"
	"time"

	"github.com/carrierarcade/kiosk/sight"

	ort "github.com/yalue/onnxruntime_go"
	"gocv.io/x/gocv"
)

// Detector finds things in a BGR picture. Each owns one ONNX Runtime
// session and its tensors for its whole life; Detect allocates nothing that
// grows with the picture.
type Detector interface {
	// Detect appends what it finds in img (8-bit BGR) to dst[:0] and
	// returns it, boxes in img's own pixels, after per-class NMS.
	Detect(img gocv.Mat, dst []sight.Detection) ([]sight.Detection, error)
	Info() Info
	// Timings are the stage times of the last Detect.
	Timings() sight.Timings
	Close() error
}

// Kind names a family of models, told apart by their tensor shapes.
type Kind string

// The detector families the kiosk knows.
const (
	KindYOLOX       Kind = "yolox"
	KindUltralytics Kind = "ultralytics"
	KindBlazeFace   Kind = "blazeface"
)

// Info describes an open detector.
type Info struct {
	Name          string // "objects" or "faces", from the config
	Kind          Kind
	Path          string
	InputW        int
	InputH        int
	Classes       int
	TensorSummary string // the model's inputs and outputs, for logs
}

// ErrModel marks a model file that is missing, unreadable or of a shape no
// detector understands.
var ErrModel = errors.New("model unusable")

// Open loads the ONNX model at path, picks the detector family from its
// input and output shapes, and prepares its session and tensors.
func Open(rt *Runtime, name, path string, cfg DetectorConfig) (Detector, error) {
	shape, ins, outs, err := inspect(rt, name, path)
	if err != nil {
		return nil, err
	}
	c, err := newCore(name, path, cfg, shape, ins, outs)
	if err != nil {
		return nil, err
	}
	switch shape.kind {
	case KindYOLOX:
		return &yoloxDetector{core: c}, nil
	case KindUltralytics:
		return &ultralyticsDetector{core: c}, nil
	default:
		return &blazeFaceDetector{core: c, anchors: BlazeFaceAnchors()}, nil
	}
}

// Inspect tells what the model at path is and whether it fits the slot
// name, as Open would, without preparing a session to run it: for
// check-config.
func Inspect(rt *Runtime, name, path string) (Info, error) {
	shape, ins, outs, err := inspect(rt, name, path)
	if err != nil {
		return Info{}, err
	}
	return Info{Name: name, Kind: shape.kind, Path: path, InputW: shape.inW, InputH: shape.inH,
		Classes: shape.classes, TensorSummary: summary(ins, outs)}, nil
}

// inspect reads a model's tensors and tells its family. Its messages start
// with the key, model.NAME.path, for the kiosk to place in the config.
func inspect(rt *Runtime, name, path string) (modelShape, []ort.InputOutputInfo, []ort.InputOutputInfo, error) {
	if rt == nil {
		return modelShape{}, nil, nil, fmt.Errorf("%w: no runtime", ErrRuntime)
	}
	if err := CheckModelFile(path); err != nil {
		return modelShape{}, nil, nil, fmt.Errorf("%w: model.%s.path %v", ErrModel, name, err)
	}
	ins, outs, err := ort.GetInputOutputInfo(path)
	if err != nil {
		return modelShape{}, nil, nil, fmt.Errorf("%w: model.%s.path is %q, which could not be read as ONNX (damaged or not a model?): %v; delete it and run 'make models', or set it to an ONNX model file", ErrModel, name, path, err)
	}
	shape, err := classify(ins, outs)
	if err != nil {
		return modelShape{}, nil, nil, fmt.Errorf("%w: model.%s.path is %q: %v", ErrModel, name, path, err)
	}
	if err := fitsSlot(name, path, shape); err != nil {
		return modelShape{}, nil, nil, err
	}
	return shape, ins, outs, nil
}

// fitsSlot refuses a model of the wrong family for its slot: the object
// games need a COCO detector (80 classes, the labels the hunt asks for),
// the face games BlazeFace. Either would run in the other's slot and find
// nonsense ("face" on a dog) without a word.
func fitsSlot(name, path string, shape modelShape) error {
	var want string
	switch {
	case name == "objects" && shape.kind == KindBlazeFace:
		want = "a COCO object detector (YOLOX or an Ultralytics YOLOv8/11 export, 80 classes)"
	case name == "objects" && shape.classes != len(sight.COCOLabels):
		want = fmt.Sprintf("a COCO object detector with %d classes", len(sight.COCOLabels))
	case name == "faces" && shape.kind != KindBlazeFace:
		want = "a BlazeFace face detector (make models fetches face_detection_back_256x256_barracuda.onnx)"
	default:
		return nil
	}
	return fmt.Errorf("%w: model.%s.path is %s, a %s model (%d classes, input %dx%d), but the %s slot wants %s",
		ErrModel, name, path, shape.kind, shape.classes, shape.inW, shape.inH, name, want)
}

// modelShape is what classify learned from a model's tensors.
type modelShape struct {
	kind    Kind
	inW     int
	inH     int
	classes int
	anchors int // YOLOX and Ultralytics: prediction rows
	// outputs in the order the decoder wants them (BlazeFace has four).
	outputs []string
}

// classify decides the detector family from tensor shapes alone: file names
// and tensor names vary between exports, shapes do not.
func classify(ins, outs []ort.InputOutputInfo) (modelShape, error) {
	fail := func(why string) (modelShape, error) {
		return modelShape{}, fmt.Errorf("%s; it has %s. Known: YOLOX input [1,3,H,W] output [1,N,5+C]; Ultralytics YOLOv8/11 input [1,3,H,W] output [1,4+C,N]; BlazeFace input [1,S,S,3] outputs [1,512,1] [1,384,1] [1,512,16] [1,384,16]", why, summary(ins, outs))
	}
	for _, t := range append(append([]ort.InputOutputInfo{}, ins...), outs...) {
		if t.OrtValueType != ort.ONNXTypeTensor || t.DataType != ort.TensorElementDataTypeFloat {
			return fail("every input and output must be a float32 tensor")
		}
	}
	if len(ins) != 1 || len(ins[0].Dimensions) != 4 {
		return fail("fits no known detector (it needs one 4-D image input)")
	}
	d := ins[0].Dimensions
	for _, v := range d {
		if v <= 0 {
			return fail("its input size is not fixed (re-export it with a fixed image size, for example imgsz=640)")
		}
	}
	switch {
	case d[1] == 3 && len(outs) == 1 && len(outs[0].Dimensions) == 3:
		w, h := int(d[3]), int(d[2])
		n := int64(gridCells(w, h))
		o := outs[0].Dimensions
		switch {
		case o[0] == 1 && o[1] == n && o[2] > 5:
			return modelShape{kind: KindYOLOX, inW: w, inH: h, classes: int(o[2] - 5), anchors: int(n), outputs: []string{outs[0].Name}}, nil
		case o[0] == 1 && o[2] == n && o[1] > 4:
			return modelShape{kind: KindUltralytics, inW: w, inH: h, classes: int(o[1] - 4), anchors: int(n), outputs: []string{outs[0].Name}}, nil
		}
	case d[3] == 3 && d[1] == d[2] && len(outs) == 4:
		want := [][]int64{{1, 512, 1}, {1, 384, 1}, {1, 512, 16}, {1, 384, 16}}
		names := make([]string, 4)
		for i, w := range want {
			for _, o := range outs {
				if ort.NewShape(w...).Equals(o.Dimensions) {
					names[i] = o.Name
				}
			}
			if names[i] == "" {
				return fail("looks like BlazeFace but lacks an output of shape " + ort.NewShape(w...).String())
			}
		}
		return modelShape{kind: KindBlazeFace, inW: int(d[2]), inH: int(d[1]), classes: 1, outputs: names}, nil
	}
	return fail("fits no known detector")
}

// gridCells is how many predictions a stride 8/16/32 detection head makes
// for a w x h input: YOLOX and Ultralytics both use these three strides.
func gridCells(w, h int) int {
	n := 0
	for _, s := range []int{8, 16, 32} {
		n += (w / s) * (h / s)
	}
	return n
}

func summary(ins, outs []ort.InputOutputInfo) string {
	var b strings.Builder
	b.WriteString("inputs")
	for _, t := range ins {
		fmt.Fprintf(&b, " %s %v %s", t.Name, t.Dimensions, t.DataType)
	}
	b.WriteString("; outputs")
	for _, t := range outs {
		fmt.Fprintf(&b, " %s %v %s", t.Name, t.Dimensions, t.DataType)
	}
	return b.String()
}

// core is what every detector family shares: the session, its tensors, the
// resized picture and the scratch space of post-processing.
type core struct {
	info    Info
	cfg     DetectorConfig
	session *ort.AdvancedSession
	input   *ort.Tensor[float32]
	outputs []*ort.Tensor[float32]
	labels  []string
	wanted  []bool // nil: every class

	resized  gocv.Mat // the source scaled into the letterbox, reused
	lb       Letterbox
	lbSrc    image.Point // source size lb was made for
	padValue float32     // what the tensor outside the picture holds

	cands   []sight.Detection // decode output before NMS, reused
	keep    []bool
	timings sight.Timings
}

func newCore(name, path string, cfg DetectorConfig, shape modelShape, ins, outs []ort.InputOutputInfo) (c *core, err error) {
	c = &core{
		info: Info{Name: name, Kind: shape.kind, Path: path, InputW: shape.inW, InputH: shape.inH,
			Classes: shape.classes, TensorSummary: summary(ins, outs)},
		cfg:   cfg,
		cands: make([]sight.Detection, 0, 1024),
		keep:  make([]bool, 0, 1024),
	}
	// Free whatever was made so far if a later step fails.
	defer func() {
		if err != nil {
			c.Close()
			c = nil
		}
	}()

	c.labels = make([]string, shape.classes)
	for i := range c.labels {
		switch {
		case shape.kind == KindBlazeFace:
			c.labels[i] = "face"
		case shape.classes == len(sight.COCOLabels):
			c.labels[i] = sight.COCOLabels[i]
		default:
			c.labels[i] = fmt.Sprintf("class %d", i)
		}
	}
	if len(cfg.Classes) > 0 {
		c.wanted = make([]bool, shape.classes)
		for _, want := range cfg.Classes {
			for i, l := range c.labels {
				if l == want {
					c.wanted[i] = true
				}
			}
		}
	}

	c.input, err = ort.NewEmptyTensor[float32](ins[0].Dimensions)
	if err != nil {
		return c, fmt.Errorf("%w: input tensor for %s: %v", ErrRuntime, path, err)
	}
	var outVals []ort.Value
	for _, n := range shape.outputs {
		for _, o := range outs {
			if o.Name != n {
				continue
			}
			t, terr := ort.NewEmptyTensor[float32](o.Dimensions)
			if terr != nil {
				return c, fmt.Errorf("%w: output tensor for %s: %v", ErrRuntime, path, terr)
			}
			c.outputs = append(c.outputs, t)
			outVals = append(outVals, t)
		}
	}

	opts, err := ort.NewSessionOptions()
	if err != nil {
		return c, fmt.Errorf("%w: session options: %v", ErrRuntime, err)
	}
	defer opts.Destroy()
	// Spinning threads keep a core busy between inferences: on a battery
	// kiosk that costs more than the latency it saves.
	for _, kv := range [][2]string{{"session.intra_op.allow_spinning", "0"}, {"session.inter_op.allow_spinning", "0"}} {
		if err := opts.AddSessionConfigEntry(kv[0], kv[1]); err != nil {
			return c, fmt.Errorf("%w: %s: %v", ErrRuntime, kv[0], err)
		}
	}
	if err := opts.SetIntraOpNumThreads(cfg.Threads); err != nil {
		return c, fmt.Errorf("%w: threads: %v", ErrRuntime, err)
	}
	if err := opts.SetInterOpNumThreads(1); err != nil {
		return c, fmt.Errorf("%w: threads: %v", ErrRuntime, err)
	}
	c.session, err = ort.NewAdvancedSession(path, []string{ins[0].Name}, shape.outputs,
		[]ort.Value{c.input}, outVals, opts)
	if err != nil {
		return c, fmt.Errorf("%w: %s model %s could not be loaded: %v; delete it and run 'make models'", ErrModel, name, path, err)
	}
	c.resized = gocv.NewMat()
	return c, nil
}

func (c *core) Info() Info             { return c.info }
func (c *core) Timings() sight.Timings { return c.timings }

// Close frees the session, tensors and Mats. Safe on a partly built core.
func (c *core) Close() error {
	var errs []error
	if c.session != nil {
		errs = append(errs, c.session.Destroy())
		c.session = nil
	}
	if c.input != nil {
		errs = append(errs, c.input.Destroy())
		c.input = nil
	}
	for _, t := range c.outputs {
		errs = append(errs, t.Destroy())
	}
	c.outputs = nil
	if c.resized.Ptr() != nil {
		errs = append(errs, c.resized.Close())
	}
	return errors.Join(errs...)
}

// prepare scales img into c.resized for the letterbox, recomputing the
// letterbox only when the source size changes, and (re)fills the padding.
func (c *core) prepare(img gocv.Mat, center bool) ([]byte, error) {
	if img.Empty() || img.Type() != gocv.MatTypeCV8UC3 {
		return nil, fmt.Errorf("detector %s: picture must be 8-bit BGR, got type %v (%dx%d)", c.info.Name, img.Type(), img.Cols(), img.Rows())
	}
	src := image.Pt(img.Cols(), img.Rows())
	if src != c.lbSrc {
		c.lb = NewLetterbox(src.X, src.Y, c.info.InputW, c.info.InputH, center)
		c.lbSrc = src
		// The picture covers the same region every frame, so the padding
		// only needs writing when the geometry changes.
		data := c.input.GetData()
		for i := range data {
			data[i] = c.padValue
		}
	}
	gocv.Resize(img, &c.resized, image.Pt(c.lb.W, c.lb.H), 0, 0, gocv.InterpolationLinear)
	return c.resized.DataPtrUint8()
}

func (c *core) run() error {
	if err := c.session.Run(); err != nil {
		return fmt.Errorf("detector %s: inference failed: %w", c.info.Name, err)
	}
	return nil
}

// keepClass applies the configured class filter.
func (c *core) keepClass(class int) bool { return c.wanted == nil || c.wanted[class] }

// finish applies NMS, maps boxes to source pixels and appends to dst.
func (c *core) finish(dst []sight.Detection) []sight.Detection {
	c.cands, c.keep = NMS(c.cands, float32(c.cfg.NMSIoU), c.keep)
	dst = dst[:0]
	for _, d := range c.cands {
		d.Box = c.lb.BoxToSource(d.Box, c.lbSrc.X, c.lbSrc.Y)
		if d.Box.Area() == 0 {
			continue
		}
		for i := range d.Keypoints {
			x, y := c.lb.ToSource(d.Keypoints[i].X, d.Keypoints[i].Y)
			d.Keypoints[i] = sight.Point{X: x, Y: y}
		}
		d.Label = c.labels[d.Class]
		dst = append(dst, d)
	}
	return dst
}

// detect is the shared frame: prepare, fill, run, decode, finish, timed.
func (c *core) detect(img gocv.Mat, dst []sight.Detection, center bool, fill func(pix []byte), decode func()) ([]sight.Detection, error) {
	t0 := time.Now()
	pix, err := c.prepare(img, center)
	if err != nil {
		return dst[:0], err
	}
	fill(pix)
	t1 := time.Now()
	if err := c.run(); err != nil {
		return dst[:0], err
	}
	t2 := time.Now()
	c.cands = c.cands[:0]
	decode()
	dst = c.finish(dst)
	c.timings = sight.Timings{Preprocess: t1.Sub(t0), Inference: t2.Sub(t1), Postprocess: time.Since(t2)}
	return dst, nil
}
