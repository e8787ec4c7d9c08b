package convert

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/carrierarcade/kiosk/model/onnx"
	"github.com/carrierarcade/kiosk/model/tflite"
)

// The layout rule of the conversion: TFLite keeps every 4-D tensor NHWC,
// ONNX's convolutions want NCHW, so every 4-D tensor computed at run time is
// held NCHW in the ONNX graph, and constants are turned to fit where they
// are used. Operators that care about element order (RESHAPE, a
// FULLY_CONNECTED that flattens, a 4-D graph output) see TFLite's order
// through a Transpose, left out when it would not move an element.
var (
	toNCHW = []int{0, 3, 1, 2}
	toNHWC = []int{0, 2, 3, 1}
)

// conversion is one TFLite subgraph on its way to an ONNX graph.
type conversion struct {
	s *source
	g onnx.Graph
	// names holds every ONNX name given out, for uniqueness; value has
	// the ONNX name of each TFLite tensor computed so far.
	names map[string]bool
	value map[int]string
	// folded holds constants computed by the converter (DEQUANTIZE,
	// DENSIFY), by tensor index, in place of the file's bytes.
	folded map[int]*tensor
	// inits caches the initializers made of a constant, by tensor and form.
	inits map[string]string
	// outputs maps a graph output's tensor to whether it is 4-D (and so
	// needs turning back to NHWC at the end).
	outputs map[int]bool
	op      *operator // the operator being converted, for messages
	nodeN   int
}

func newConversion(s *source) *conversion {
	return &conversion{s: s, names: map[string]bool{}, value: map[int]string{}, folded: map[int]*tensor{},
		inits: map[string]string{}, outputs: map[int]bool{}}
}

func (c *conversion) run() error {
	s := c.s
	for _, i := range s.outputs {
		c.outputs[i] = len(s.tensors[i].shape) == 4
		c.names[s.tensors[i].name] = true // outputs keep TFLite's names
	}
	for _, i := range s.inputs {
		t := &s.tensors[i]
		if t.typ != tflite.TensorTypeFLOAT32 {
			// Named with the operator that reads it: an int8 model's
			// input is quantized, and that is the reason to give.
			for k := range s.ops {
				if slices.Contains(s.ops[k].inputs, i) {
					c.op = &s.ops[k]
					return c.typeProblem(t)
				}
			}
			return fmt.Errorf("%w: %s: input %q is %s; the converter takes float32 inputs only", ErrUnsupported, s.file, t.name, typeName(t.typ))
		}
		if t.data != nil {
			return fmt.Errorf("%w: %s: input %q is a constant", ErrDamaged, s.file, t.name)
		}
		name := c.unique(t.name)
		c.value[i] = name
		c.g.Inputs = append(c.g.Inputs, onnx.ValueInfo{Name: name, Type: onnx.Float, Dims: dims64(layoutShape(t.shape))})
	}
	for k := range s.ops {
		c.op = &s.ops[k]
		if err := c.convert(c.op); err != nil {
			return err
		}
	}
	c.op = nil
	for _, i := range s.outputs {
		t := &s.tensors[i]
		have, ok := c.value[i]
		if !ok {
			return fmt.Errorf("%w: %s: output %q is computed by no operator", ErrUnsupported, s.file, t.name)
		}
		if c.outputs[i] {
			c.node("Transpose", []string{have}, []string{t.name}, onnx.IntsAttr("perm", ints64(toNHWC)...))
		} else if have != t.name {
			c.node("Identity", []string{have}, []string{t.name})
		}
		c.g.Outputs = append(c.g.Outputs, onnx.ValueInfo{Name: t.name, Type: onnx.Float, Dims: dims64(t.shape)})
	}
	return nil
}

// fail is an error about the operator being converted, naming it and the
// file.
func (c *conversion) fail(format string, args ...any) error {
	return fmt.Errorf("%w: %s: operator %d (%s): %s", ErrUnsupported, c.s.file, c.op.index, c.op.name(), fmt.Sprintf(format, args...))
}

// unique returns name, or name with a number after it when taken.
func (c *conversion) unique(name string) string {
	if name == "" {
		name = "t"
	}
	n := name
	for k := 1; c.names[n]; k++ {
		n = name + "#" + strconv.Itoa(k)
	}
	c.names[n] = true
	return n
}

// node appends an ONNX node; its name says which TFLite operator it comes
// from.
func (c *conversion) node(op string, in, out []string, attrs ...onnx.Attr) {
	c.nodeN++
	name := fmt.Sprintf("%s_%d", op, c.nodeN)
	if c.op != nil {
		name = fmt.Sprintf("%d_%s/%s_%d", c.op.index, c.op.name(), op, c.nodeN)
	}
	c.g.Nodes = append(c.g.Nodes, onnx.Node{Name: name, Op: op, Inputs: in, Outputs: out, Attrs: attrs})
}

// tensor is the TFLite tensor i, or what the converter folded it into.
func (c *conversion) tensor(i int) *tensor {
	if f, ok := c.folded[i]; ok {
		return f
	}
	return &c.s.tensors[i]
}

// isConst reports whether tensor i is a constant.
func (c *conversion) isConst(i int) bool { return c.tensor(i).data != nil }

// define names the ONNX value that computes the TFLite tensor i: TFLite's
// own name, except that a 4-D graph output is computed NCHW under another
// name and turned back to NHWC under its own at the end.
func (c *conversion) define(i int) string {
	t := &c.s.tensors[i]
	var name string
	switch four, out := c.outputs[i]; {
	case out && four:
		name = c.unique(t.name + "/nchw")
	case out:
		name = t.name // reserved in run
	default:
		name = c.unique(t.name)
	}
	c.value[i] = name
	return name
}

// input is the ONNX value of tensor i used as a computed input: held NCHW
// when 4-D. A constant becomes an initializer in that layout.
func (c *conversion) input(i int) (string, error) {
	t := c.tensor(i)
	if t.data == nil {
		name, ok := c.value[i]
		if !ok {
			return "", c.fail("input %q is used before any operator computes it", t.name)
		}
		if t.typ != tflite.TensorTypeFLOAT32 {
			return "", c.typeProblem(t)
		}
		return name, nil
	}
	return c.constant(i, len(t.shape))
}

// constant makes an initializer of float constant i for an operand of
// rank: its shape padded with leading ones to rank (numpy broadcasting,
// as TFLite's), then turned NCHW when rank is 4.
func (c *conversion) constant(i, rank int) (string, error) {
	t := c.tensor(i)
	if t.typ != tflite.TensorTypeFLOAT32 {
		return "", c.typeProblem(t)
	}
	if len(t.shape) > rank {
		return "", c.fail("constant %q of shape %v is used where rank %d is wanted", t.name, t.shape, rank)
	}
	key := fmt.Sprintf("%d/rank%d", i, rank)
	if name, ok := c.inits[key]; ok {
		return name, nil
	}
	shape := make([]int, rank-len(t.shape), rank)
	for k := range shape {
		shape[k] = 1
	}
	shape = append(shape, t.shape...)
	data := t.floats()
	if rank == 4 {
		data, shape = transpose(data, shape, toNCHW), permute(shape, toNCHW)
	}
	return c.initializer(key, t.name, shape, data), nil
}

// initializer adds float data as an initializer named after base, kept
// under key for reuse unless key is "".
func (c *conversion) initializer(key, base string, shape []int, data []float32) string {
	name := c.unique(base)
	if key != "" {
		c.inits[key] = name
	}
	c.g.Initializers = append(c.g.Initializers, onnx.FloatTensor(name, dims64(shape), data))
	return name
}

// int64s adds an int64 initializer (shapes, pads, sizes), shared by value.
func (c *conversion) int64s(v []int64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.FormatInt(x, 10)
	}
	key := "i64:" + strings.Join(parts, ",")
	if name, ok := c.inits[key]; ok {
		return name
	}
	name := c.unique("const_" + strings.Join(parts, "_"))
	c.inits[key] = name
	c.g.Initializers = append(c.g.Initializers, onnx.Int64Tensor(name, []int64{int64(len(v))}, v))
	return name
}

// scalar adds a float scalar initializer (Clip's bounds), shared by value.
func (c *conversion) scalar(v float32) string {
	key := "f32:" + strconv.FormatFloat(float64(v), 'g', -1, 32)
	if name, ok := c.inits[key]; ok {
		return name
	}
	name := c.unique("const_" + strconv.FormatFloat(float64(v), 'g', -1, 32))
	c.inits[key] = name
	c.g.Initializers = append(c.g.Initializers, onnx.FloatTensor(name, nil, []float32{v}))
	return name
}

// weights is the float constant i (a kernel, a bias), or an error when it
// is computed at run time.
func (c *conversion) weights(i int, what string) (*tensor, error) {
	if i < 0 {
		return nil, c.fail("has no %s", what)
	}
	t := c.tensor(i)
	if t.data == nil {
		return nil, c.fail("its %s %q is computed at run time; the converter takes constant %ss only", what, t.name, what)
	}
	if t.typ != tflite.TensorTypeFLOAT32 {
		return nil, c.typeProblem(t)
	}
	return t, nil
}

// ints is the integer constant i (a shape, paddings, axes, a size).
func (c *conversion) ints(i int, what string) ([]int64, error) {
	if i < 0 {
		return nil, c.fail("has no %s", what)
	}
	t := c.tensor(i)
	if t.data == nil {
		return nil, c.fail("its %s %q is computed at run time; the converter takes constant %s only", what, t.name, what)
	}
	v, ok := t.ints()
	if !ok {
		return nil, c.typeProblem(t)
	}
	return v, nil
}

// typeProblem says why a tensor's type is refused: quantized models are
// named as such, since that is the usual reason.
func (c *conversion) typeProblem(t *tensor) error {
	if t.quantized || t.typ == tflite.TensorTypeINT8 || t.typ == tflite.TensorTypeUINT8 || t.typ == tflite.TensorTypeINT16 {
		return c.fail("tensor %q is quantized (%s); the converter takes float models only (float32, or float16 weights)", t.name, strings.ToLower(typeName(t.typ)))
	}
	return c.fail("tensor %q is %s, a type the converter does not take here", t.name, typeName(t.typ))
}

// logical is the ONNX value of computed tensor i with its elements in
// TFLite's order: a 4-D one turned back to NHWC unless that moves nothing.
func (c *conversion) logical(i int) (string, error) {
	name, err := c.input(i)
	if err != nil {
		return "", err
	}
	t := c.tensor(i)
	if len(t.shape) != 4 || t.data != nil || sameOrder(t.shape) {
		return name, nil
	}
	out := c.unique(name + "/nhwc")
	c.node("Transpose", []string{name}, []string{out}, onnx.IntsAttr("perm", ints64(toNHWC)...))
	return out, nil
}

// fromLogical writes tensor out from an ONNX value whose elements are in
// TFLite's order: a Reshape to its shape, and for a 4-D tensor a Transpose
// to NCHW unless that moves nothing.
func (c *conversion) fromLogical(src string, srcShape []int, out int) {
	t := &c.s.tensors[out]
	name := c.define(out)
	if len(t.shape) != 4 || sameOrder(t.shape) {
		target := layoutShape(t.shape)
		if slices.Equal(srcShape, target) {
			c.node("Identity", []string{src}, []string{name})
			return
		}
		c.node("Reshape", []string{src, c.int64s(dims64(target))}, []string{name})
		return
	}
	mid := src
	if !slices.Equal(srcShape, t.shape) {
		mid = c.unique(name + "/nhwc")
		c.node("Reshape", []string{src, c.int64s(dims64(t.shape))}, []string{mid})
	}
	c.node("Transpose", []string{mid}, []string{name}, onnx.IntsAttr("perm", ints64(toNCHW)...))
}

// fused writes an operator's node through emit and then its fused
// activation, if any: emit's node writes to the name it is given, the
// activation reads that and writes out.
func (c *conversion) fused(f tflite.ActivationFunctionType, out string, emit func(dst string)) error {
	var act string
	var attrs []string
	switch f {
	case tflite.ActivationFunctionTypeNONE:
		emit(out)
		return nil
	case tflite.ActivationFunctionTypeRELU:
		act = "Relu"
	case tflite.ActivationFunctionTypeRELU6:
		act, attrs = "Clip", []string{c.scalar(0), c.scalar(6)}
	case tflite.ActivationFunctionTypeRELU_N1_TO_1:
		act, attrs = "Clip", []string{c.scalar(-1), c.scalar(1)}
	case tflite.ActivationFunctionTypeTANH:
		act = "Tanh"
	default:
		name := tflite.EnumNamesActivationFunctionType[f]
		if name == "" {
			name = strconv.Itoa(int(f))
		}
		return c.fail("its fused activation %s is not supported (NONE, RELU, RELU6, RELU_N1_TO_1 and TANH are)", name)
	}
	pre := c.unique(out + "/pre_" + strings.ToLower(act))
	emit(pre)
	c.node(act, append([]string{pre}, attrs...), []string{out})
	return nil
}

// layoutShape is a TFLite shape as the ONNX graph holds it.
func layoutShape(shape []int) []int {
	if len(shape) == 4 {
		return permute(shape, toNCHW)
	}
	return shape
}

// sameOrder reports whether an NHWC tensor of shape has its elements in
// the same order as NCHW: when only dimensions of size one move.
func sameOrder(shape []int) bool {
	var a, b []int
	for _, d := range []int{0, 1, 2, 3} {
		if shape[d] != 1 {
			a = append(a, d)
		}
		if shape[toNCHW[d]] != 1 {
			b = append(b, toNCHW[d])
		}
	}
	return slices.Equal(a, b)
}

// permute reorders a shape: out[i] = shape[perm[i]].
func permute(shape, perm []int) []int {
	out := make([]int, len(perm))
	for i, p := range perm {
		out[i] = shape[p]
	}
	return out
}

// transpose reorders row-major data of shape so that output axis i is
// input axis perm[i].
func transpose(data []float32, shape, perm []int) []float32 {
	n := len(shape)
	out := make([]float32, len(data))
	inStrides := make([]int, n)
	acc := 1
	for d := n - 1; d >= 0; d-- {
		inStrides[d] = acc
		acc *= shape[d]
	}
	outShape := permute(shape, perm)
	idx := make([]int, n)
	for o := range out {
		at := 0
		for d := 0; d < n; d++ {
			at += idx[d] * inStrides[perm[d]]
		}
		out[o] = data[at]
		for d := n - 1; d >= 0; d-- {
			if idx[d]++; idx[d] < outShape[d] {
				break
			}
			idx[d] = 0
		}
	}
	return out
}

func dims64(shape []int) []int64 {
	out := make([]int64, len(shape))
	for i, d := range shape {
		out[i] = int64(d)
	}
	return out
}

func ints64(v []int) []int64 { return dims64(v) }
