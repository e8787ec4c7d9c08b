package convert

import (
	"encoding/binary"
	"math"
	"slices"
	"strings"

	"github.com/carrierarcade/kiosk/model/onnx"
	"github.com/carrierarcade/kiosk/model/tflite"
)

// convert converts one operator. Each case follows the operator's TFLite
// definition; the tests compare each with that definition computed in Go.
func (c *conversion) convert(op *operator) error {
	if op.code == tflite.BuiltinOperatorCUSTOM {
		return c.fail("custom operator %q is not supported; the converter takes the builtin operators %s", op.custom, strings.Join(Supported(), ", "))
	}
	if !slices.Contains(supported, op.code) {
		return c.fail("this operator is not supported; the converter takes %s (the operators of MediaPipe's pose and hand models)", strings.Join(Supported(), ", "))
	}
	if len(op.outputs) != 1 {
		return c.fail("has %d outputs, not one", len(op.outputs))
	}
	if len(op.inputs) == 0 {
		return c.fail("has no inputs")
	}
	biased := op.code == tflite.BuiltinOperatorCONV_2D || op.code == tflite.BuiltinOperatorDEPTHWISE_CONV_2D || op.code == tflite.BuiltinOperatorFULLY_CONNECTED
	for k, i := range op.inputs {
		if i < 0 && !(biased && k == 2) {
			return c.fail("its input %d is left out; only a bias may be", k)
		}
	}
	out := &c.s.tensors[op.outputs[0]]
	// DEQUANTIZE and DENSIFY of constants are folded: their outputs are
	// constants, whatever their type; every other output is float32.
	if op.code != tflite.BuiltinOperatorDEQUANTIZE && op.code != tflite.BuiltinOperatorDENSIFY && out.typ != tflite.TensorTypeFLOAT32 {
		return c.typeProblem(out)
	}
	switch op.code {
	case tflite.BuiltinOperatorDEQUANTIZE:
		return c.dequantize(op)
	case tflite.BuiltinOperatorDENSIFY:
		return c.densify(op)
	case tflite.BuiltinOperatorCONV_2D:
		return c.conv(op, false)
	case tflite.BuiltinOperatorDEPTHWISE_CONV_2D:
		return c.conv(op, true)
	case tflite.BuiltinOperatorMAX_POOL_2D:
		return c.maxPool(op)
	case tflite.BuiltinOperatorADD:
		return c.add(op)
	case tflite.BuiltinOperatorPRELU:
		return c.prelu(op)
	case tflite.BuiltinOperatorLOGISTIC:
		return c.unary(op, "Sigmoid")
	case tflite.BuiltinOperatorPAD:
		return c.pad(op)
	case tflite.BuiltinOperatorRESIZE_BILINEAR:
		return c.resize(op)
	case tflite.BuiltinOperatorDEPTH_TO_SPACE:
		return c.depthToSpace(op)
	case tflite.BuiltinOperatorRESHAPE:
		return c.reshape(op)
	case tflite.BuiltinOperatorCONCATENATION:
		return c.concat(op)
	case tflite.BuiltinOperatorMEAN:
		return c.mean(op)
	case tflite.BuiltinOperatorFULLY_CONNECTED:
		return c.fullyConnected(op)
	}
	return c.fail("this operator is not supported")
}

// options checks that the operator carries options of the type it should.
func (c *conversion) options(op *operator, want tflite.BuiltinOptions) error {
	if op.optType != want {
		return c.fail("its options are %s, not %s (a damaged file?)", tflite.EnumNamesBuiltinOptions[op.optType], tflite.EnumNamesBuiltinOptions[want])
	}
	return nil
}

// dequantize folds float16 weights into float32 constants; ONNX Runtime
// then holds them as float32, as TFLite's CPU kernels do.
func (c *conversion) dequantize(op *operator) error {
	in := c.tensor(op.inputs[0])
	if in.data == nil {
		return c.fail("its input %q is computed at run time; the converter folds DEQUANTIZE of constant float16 weights only", in.name)
	}
	if in.typ != tflite.TensorTypeFLOAT16 {
		return c.typeProblem(in)
	}
	if in.sparsity != nil {
		return c.fail("its input %q is sparse; a DENSIFY must come first", in.name)
	}
	out := c.s.tensors[op.outputs[0]]
	if out.typ != tflite.TensorTypeFLOAT32 || !slices.Equal(out.shape, in.shape) {
		return c.fail("turns %s %v into %s %v; it should give float32 of the same shape", typeName(in.typ), in.shape, typeName(out.typ), out.shape)
	}
	data := make([]byte, 2*len(in.data))
	for k := 0; k < len(in.data)/2; k++ {
		f := halfToFloat(binary.LittleEndian.Uint16(in.data[2*k:]))
		binary.LittleEndian.PutUint32(data[4*k:], math.Float32bits(f))
	}
	out.data = data
	c.folded[op.outputs[0]] = &out
	return nil
}

// densify folds sparse constant weights into dense ones.
func (c *conversion) densify(op *operator) error {
	in := c.tensor(op.inputs[0])
	if in.data == nil || in.sparsity == nil {
		return c.fail("its input %q is not a sparse constant; the converter folds DENSIFY of sparse constant weights only", in.name)
	}
	if elemSize(in.typ) == 0 || in.quantized {
		return c.typeProblem(in)
	}
	out := c.s.tensors[op.outputs[0]]
	if out.typ != in.typ || !slices.Equal(out.shape, in.shape) {
		return c.fail("turns %s %v into %s %v; it should keep the type and shape", typeName(in.typ), in.shape, typeName(out.typ), out.shape)
	}
	data, err := densify(in)
	if err != nil {
		return c.fail("sparse tensor %q: %v", in.name, err)
	}
	out.data = data
	c.folded[op.outputs[0]] = &out
	return nil
}

// window is a 2-D convolution or pooling window as TFLite defines it.
type window struct {
	kh, kw, sh, sw, dh, dw int
	same                   bool
}

// pads are ONNX's [top, left, bottom, right] for an input of h x w, and
// the output size, as TFLite computes them: SAME puts the odd pixel of
// padding after, VALID pads nothing.
func (w window) pads(h, wd int) (pads []int64, oh, ow int) {
	one := func(in, k, s, d int) (before, after, out int) {
		ek := (k-1)*d + 1
		if !w.same {
			return 0, 0, (in - ek + s) / s
		}
		out = (in + s - 1) / s
		total := max((out-1)*s+ek-in, 0)
		return total / 2, total - total/2, out
	}
	t, b, oh := one(h, w.kh, w.sh, w.dh)
	l, r, ow := one(wd, w.kw, w.sw, w.dw)
	return []int64{int64(t), int64(l), int64(b), int64(r)}, oh, ow
}

func (w window) attrs(h, wd int, kernel bool) ([]onnx.Attr, int, int) {
	pads, oh, ow := w.pads(h, wd)
	a := []onnx.Attr{
		onnx.IntsAttr("kernel_shape", int64(w.kh), int64(w.kw)),
		onnx.IntsAttr("strides", int64(w.sh), int64(w.sw)),
		onnx.IntsAttr("pads", pads...),
	}
	if kernel {
		a = append(a, onnx.IntsAttr("dilations", int64(w.dh), int64(w.dw)))
	}
	return a, oh, ow
}

func (c *conversion) checkWindow(w window) error {
	if w.sh < 1 || w.sw < 1 || w.dh < 1 || w.dw < 1 || w.kh < 1 || w.kw < 1 {
		return c.fail("window %dx%d, strides %d,%d, dilations %d,%d: each must be at least 1", w.kh, w.kw, w.sh, w.sw, w.dh, w.dw)
	}
	return nil
}

// checkOut compares the output shape the converter computes with the one
// the file states: a mismatch means it read the operator wrongly.
func (c *conversion) checkOut(op *operator, want []int) error {
	if have := c.s.tensors[op.outputs[0]].shape; !slices.Equal(have, want) {
		return c.fail("output %q has shape %v, but the operator's definition gives %v", c.s.tensors[op.outputs[0]].name, have, want)
	}
	return nil
}

func (c *conversion) input4(op *operator, k int) (string, []int, error) {
	if k >= len(op.inputs) || op.inputs[k] < 0 {
		return "", nil, c.fail("lacks input %d", k)
	}
	t := c.tensor(op.inputs[k])
	if len(t.shape) != 4 {
		return "", nil, c.fail("input %q has shape %v; it must be 4-D (NHWC)", t.name, t.shape)
	}
	name, err := c.input(op.inputs[k])
	return name, t.shape, err
}

// conv is CONV_2D, or DEPTHWISE_CONV_2D as a grouped convolution with one
// group per input channel.
func (c *conversion) conv(op *operator, depthwise bool) error {
	x, xs, err := c.input4(op, 0)
	if err != nil {
		return err
	}
	if len(op.inputs) < 2 {
		return c.fail("has no filter")
	}
	w, err := c.weights(op.inputs[1], "filter")
	if err != nil {
		return err
	}
	if len(w.shape) != 4 {
		return c.fail("filter %q has shape %v; it must be 4-D", w.name, w.shape)
	}
	var win window
	var fused tflite.ActivationFunctionType
	inC := xs[3]
	var outC, group int
	var wShape []int
	var wData []float32
	if depthwise {
		if err := c.options(op, tflite.BuiltinOptionsDepthwiseConv2DOptions); err != nil {
			return err
		}
		o := op.opts
		win = window{kh: w.shape[1], kw: w.shape[2], sh: int(o.strideH), sw: int(o.strideW), dh: int(o.dilationH), dw: int(o.dilationW), same: o.padding == tflite.PaddingSAME}
		fused = o.fused
		// Filter [1, KH, KW, C*M]: output channel c*M+m reads input
		// channel c, as ONNX's group = C gives.
		outC, group = w.shape[3], inC
		if w.shape[0] != 1 || outC%inC != 0 {
			return c.fail("filter %v does not fit %d input channels", w.shape, inC)
		}
		wShape = []int{outC, 1, w.shape[1], w.shape[2]}
		wData = transpose(w.floats(), w.shape, []int{3, 0, 1, 2})
	} else {
		if err := c.options(op, tflite.BuiltinOptionsConv2DOptions); err != nil {
			return err
		}
		o := op.opts
		win = window{kh: w.shape[1], kw: w.shape[2], sh: int(o.strideH), sw: int(o.strideW), dh: int(o.dilationH), dw: int(o.dilationW), same: o.padding == tflite.PaddingSAME}
		fused = o.fused
		// Filter [O, KH, KW, I] becomes ONNX's [O, I, KH, KW].
		outC, group = w.shape[0], 1
		if w.shape[3] != inC {
			return c.fail("filter %v does not fit %d input channels", w.shape, inC)
		}
		wShape = permute(w.shape, toNCHW)
		wData = transpose(w.floats(), w.shape, toNCHW)
	}
	if err := c.checkWindow(win); err != nil {
		return err
	}
	attrs, oh, ow := win.attrs(xs[1], xs[2], true)
	attrs = append(attrs, onnx.IntAttr("group", int64(group)))
	if err := c.checkOut(op, []int{xs[0], oh, ow, outC}); err != nil {
		return err
	}
	ins := []string{x, c.initializer("", w.name, wShape, wData)}
	if len(op.inputs) > 2 && op.inputs[2] >= 0 {
		b, err := c.weights(op.inputs[2], "bias")
		if err != nil {
			return err
		}
		if numel(b.shape) != outC {
			return c.fail("bias %q has shape %v, not [%d]", b.name, b.shape, outC)
		}
		ins = append(ins, c.initializer("", b.name, []int{outC}, b.floats()))
	}
	return c.fused(fused, c.define(op.outputs[0]), func(dst string) {
		c.node("Conv", ins, []string{dst}, attrs...)
	})
}

func (c *conversion) maxPool(op *operator) error {
	x, xs, err := c.input4(op, 0)
	if err != nil {
		return err
	}
	if err := c.options(op, tflite.BuiltinOptionsPool2DOptions); err != nil {
		return err
	}
	o := op.opts
	win := window{kh: int(o.filterH), kw: int(o.filterW), sh: int(o.strideH), sw: int(o.strideW), dh: 1, dw: 1, same: o.padding == tflite.PaddingSAME}
	if err := c.checkWindow(win); err != nil {
		return err
	}
	// ONNX's MaxPool leaves padding out of the maximum, as TFLite does.
	attrs, oh, ow := win.attrs(xs[1], xs[2], false)
	if err := c.checkOut(op, []int{xs[0], oh, ow, xs[3]}); err != nil {
		return err
	}
	return c.fused(o.fused, c.define(op.outputs[0]), func(dst string) {
		c.node("MaxPool", []string{x}, []string{dst}, attrs...)
	})
}

// operand is input k of op as an operand of an elementwise operator whose
// output has rank: a constant is padded to that rank and laid out to fit,
// a computed tensor of lower rank is reshaped and laid out alike.
func (c *conversion) operand(op *operator, k, rank int) (string, error) {
	i := op.inputs[k]
	if i < 0 {
		return "", c.fail("lacks input %d", k)
	}
	t := c.tensor(i)
	if t.data != nil {
		return c.constant(i, rank)
	}
	if len(t.shape) == rank {
		return c.input(i)
	}
	if len(t.shape) > rank {
		return "", c.fail("input %q of shape %v has a higher rank than the output", t.name, t.shape)
	}
	// A computed tensor of lower rank: in TFLite's order, padded with
	// leading ones, then turned NCHW.
	name, err := c.logical(i)
	if err != nil {
		return "", err
	}
	shape := slices.Repeat([]int{1}, rank-len(t.shape))
	shape = append(shape, t.shape...)
	if rank != 4 || sameOrder(shape) {
		out := c.unique(name + "/broadcast")
		c.node("Reshape", []string{name, c.int64s(dims64(layoutShape(shape)))}, []string{out})
		return out, nil
	}
	mid := c.unique(name + "/broadcast_nhwc")
	c.node("Reshape", []string{name, c.int64s(dims64(shape))}, []string{mid})
	out := c.unique(name + "/broadcast")
	c.node("Transpose", []string{mid}, []string{out}, onnx.IntsAttr("perm", ints64(toNCHW)...))
	return out, nil
}

func (c *conversion) add(op *operator) error {
	if len(op.inputs) != 2 {
		return c.fail("has %d inputs, not 2", len(op.inputs))
	}
	if err := c.options(op, tflite.BuiltinOptionsAddOptions); err != nil {
		return err
	}
	o := op.opts
	out := c.s.tensors[op.outputs[0]]
	if err := c.checkOut(op, broadcastShape(c.tensor(op.inputs[0]).shape, c.tensor(op.inputs[1]).shape)); err != nil {
		return err
	}
	rank := len(out.shape)
	a, err := c.operand(op, 0, rank)
	if err != nil {
		return err
	}
	b, err := c.operand(op, 1, rank)
	if err != nil {
		return err
	}
	return c.fused(o.fused, c.define(op.outputs[0]), func(dst string) {
		c.node("Add", []string{a, b}, []string{dst})
	})
}

// broadcastShape is numpy's (and TFLite's) broadcast of two shapes, or nil
// when they do not broadcast.
func broadcastShape(a, b []int) []int {
	n := max(len(a), len(b))
	out := make([]int, n)
	for i := 0; i < n; i++ {
		da, db := 1, 1
		if k := len(a) - n + i; k >= 0 {
			da = a[k]
		}
		if k := len(b) - n + i; k >= 0 {
			db = b[k]
		}
		switch {
		case da == db || db == 1:
			out[i] = da
		case da == 1:
			out[i] = db
		default:
			return nil
		}
	}
	return out
}

// prelu is PRELU: x where x >= 0, alpha * x elsewhere, alpha broadcast.
func (c *conversion) prelu(op *operator) error {
	if len(op.inputs) != 2 {
		return c.fail("has %d inputs, not 2", len(op.inputs))
	}
	x := c.tensor(op.inputs[0])
	alpha := c.tensor(op.inputs[1])
	if bs := broadcastShape(x.shape, alpha.shape); !slices.Equal(bs, x.shape) {
		return c.fail("alpha %v does not broadcast to the input %v", alpha.shape, x.shape)
	}
	if err := c.checkOut(op, x.shape); err != nil {
		return err
	}
	xn, err := c.input(op.inputs[0])
	if err != nil {
		return err
	}
	an, err := c.operand(op, 1, len(x.shape))
	if err != nil {
		return err
	}
	c.node("PRelu", []string{xn, an}, []string{c.define(op.outputs[0])})
	return nil
}

func (c *conversion) unary(op *operator, onnxOp string) error {
	if err := c.checkOut(op, c.tensor(op.inputs[0]).shape); err != nil {
		return err
	}
	x, err := c.input(op.inputs[0])
	if err != nil {
		return err
	}
	c.node(onnxOp, []string{x}, []string{c.define(op.outputs[0])})
	return nil
}

// axis4 maps an NHWC axis to where the ONNX graph holds it.
func axis4(a int) int { return [4]int{0, 2, 3, 1}[a] }

// pad is PAD with zeros; paddings [rank, 2] hold (before, after) per axis.
func (c *conversion) pad(op *operator) error {
	if len(op.inputs) != 2 {
		return c.fail("has %d inputs, not 2", len(op.inputs))
	}
	x := c.tensor(op.inputs[0])
	p, err := c.ints(op.inputs[1], "paddings")
	if err != nil {
		return err
	}
	rank := len(x.shape)
	if len(p) != 2*rank {
		return c.fail("paddings has %d values; a rank %d input needs %d", len(p), rank, 2*rank)
	}
	want := make([]int, rank)
	pads := make([]int64, 2*rank)
	for a := 0; a < rank; a++ {
		before, after := p[2*a], p[2*a+1]
		if before < 0 || after < 0 {
			return c.fail("paddings %v are negative; the converter takes PAD that adds only", p)
		}
		want[a] = x.shape[a] + int(before+after)
		at := a
		if rank == 4 {
			at = axis4(a)
		}
		pads[at], pads[rank+at] = before, after
	}
	if err := c.checkOut(op, want); err != nil {
		return err
	}
	xn, err := c.input(op.inputs[0])
	if err != nil {
		return err
	}
	c.node("Pad", []string{xn, c.int64s(pads)}, []string{c.define(op.outputs[0])}, onnx.StringAttr("mode", "constant"))
	return nil
}

// resize is RESIZE_BILINEAR. TFLite's three ways of placing pixels are
// ONNX Resize's coordinate transformations of the same names: half pixel
// centres "half_pixel", aligned corners "align_corners", neither
// "asymmetric". Both TFLite and ONNX Runtime clamp a source coordinate
// before the image to its first pixel.
func (c *conversion) resize(op *operator) error {
	x, xs, err := c.input4(op, 0)
	if err != nil {
		return err
	}
	if len(op.inputs) != 2 {
		return c.fail("has %d inputs, not 2", len(op.inputs))
	}
	size, err := c.ints(op.inputs[1], "size")
	if err != nil {
		return err
	}
	if len(size) != 2 || size[0] < 1 || size[1] < 1 {
		return c.fail("size %v is not a height and a width", size)
	}
	if err := c.options(op, tflite.BuiltinOptionsResizeBilinearOptions); err != nil {
		return err
	}
	o := op.opts
	mode := "asymmetric"
	switch {
	case o.alignCorners && o.halfPixelCenters:
		return c.fail("align_corners and half_pixel_centers are both set, which TFLite refuses too")
	case o.alignCorners:
		mode = "align_corners"
	case o.halfPixelCenters:
		mode = "half_pixel"
	}
	want := []int{xs[0], int(size[0]), int(size[1]), xs[3]}
	if err := c.checkOut(op, want); err != nil {
		return err
	}
	c.node("Resize", []string{x, "", "", c.int64s(dims64(layoutShape(want)))}, []string{c.define(op.outputs[0])},
		onnx.StringAttr("coordinate_transformation_mode", mode), onnx.StringAttr("mode", "linear"))
	return nil
}

// depthToSpace is DEPTH_TO_SPACE: TFLite's channel order (block row, block
// column, channel) is ONNX's DCR mode.
func (c *conversion) depthToSpace(op *operator) error {
	x, xs, err := c.input4(op, 0)
	if err != nil {
		return err
	}
	if err := c.options(op, tflite.BuiltinOptionsDepthToSpaceOptions); err != nil {
		return err
	}
	o := op.opts
	bs := int(o.blockSize)
	if bs < 1 || xs[3]%(bs*bs) != 0 {
		return c.fail("block size %d does not divide %d channels", bs, xs[3])
	}
	if err := c.checkOut(op, []int{xs[0], xs[1] * bs, xs[2] * bs, xs[3] / (bs * bs)}); err != nil {
		return err
	}
	c.node("DepthToSpace", []string{x}, []string{c.define(op.outputs[0])}, onnx.IntAttr("blocksize", int64(bs)), onnx.StringAttr("mode", "DCR"))
	return nil
}

// reshape is RESHAPE: the output tensor's shape (fixed in these models) is
// the new shape; elements keep TFLite's order.
func (c *conversion) reshape(op *operator) error {
	in := c.tensor(op.inputs[0])
	out := c.s.tensors[op.outputs[0]]
	if numel(in.shape) != numel(out.shape) {
		return c.fail("turns %v into %v, which holds another number of elements", in.shape, out.shape)
	}
	if in.data != nil {
		return c.fail("reshapes the constant %q; the converter expects constants to feed other operators", in.name)
	}
	x, err := c.logical(op.inputs[0])
	if err != nil {
		return err
	}
	src := in.shape
	if len(in.shape) == 4 && sameOrder(in.shape) {
		src = layoutShape(in.shape)
	}
	c.fromLogical(x, src, op.outputs[0])
	return nil
}

func (c *conversion) concat(op *operator) error {
	if err := c.options(op, tflite.BuiltinOptionsConcatenationOptions); err != nil {
		return err
	}
	o := op.opts
	first := c.tensor(op.inputs[0])
	rank := len(first.shape)
	axis := int(o.axis)
	if axis < 0 {
		axis += rank
	}
	if axis < 0 || axis >= rank {
		return c.fail("axis %d is outside rank %d", o.axis, rank)
	}
	want := slices.Clone(first.shape)
	want[axis] = 0
	names := make([]string, 0, len(op.inputs))
	for k, i := range op.inputs {
		if i < 0 {
			return c.fail("lacks input %d", k)
		}
		t := c.tensor(i)
		if len(t.shape) != rank {
			return c.fail("input %q has shape %v, not of rank %d", t.name, t.shape, rank)
		}
		for d := range t.shape {
			if d != axis && t.shape[d] != first.shape[d] {
				return c.fail("input %q has shape %v, which does not fit %v along axis %d", t.name, t.shape, first.shape, axis)
			}
		}
		want[axis] += t.shape[axis]
		n, err := c.input(i)
		if err != nil {
			return err
		}
		names = append(names, n)
	}
	if err := c.checkOut(op, want); err != nil {
		return err
	}
	at := axis
	if rank == 4 {
		at = axis4(axis)
	}
	return c.fused(o.fused, c.define(op.outputs[0]), func(dst string) {
		c.node("Concat", names, []string{dst}, onnx.IntAttr("axis", int64(at)))
	})
}

// mean is MEAN over constant axes. Without keep_dims, the axes that stay
// of a 4-D input may come out of the NCHW graph in another order than
// TFLite's; a Transpose then puts them back.
func (c *conversion) mean(op *operator) error {
	x := c.tensor(op.inputs[0])
	if len(op.inputs) != 2 {
		return c.fail("has %d inputs, not 2", len(op.inputs))
	}
	axes, err := c.ints(op.inputs[1], "axes")
	if err != nil {
		return err
	}
	if err := c.options(op, tflite.BuiltinOptionsReducerOptions); err != nil {
		return err
	}
	o := op.opts
	rank := len(x.shape)
	reduced := make([]bool, rank)
	for _, a := range axes {
		if a < 0 {
			a += int64(rank)
		}
		if a < 0 || a >= int64(rank) {
			return c.fail("axis %d is outside rank %d", a, rank)
		}
		reduced[a] = true
	}
	var want, kept []int // TFLite's output shape; the NHWC axes kept
	for a := 0; a < rank; a++ {
		switch {
		case !reduced[a]:
			want, kept = append(want, x.shape[a]), append(kept, a)
		case o.keepDims:
			want = append(want, 1)
		}
	}
	if err := c.checkOut(op, want); err != nil {
		return err
	}
	xn, err := c.input(op.inputs[0])
	if err != nil {
		return err
	}
	var onnxAxes []int64
	for a := 0; a < rank; a++ {
		if reduced[a] {
			at := a
			if rank == 4 {
				at = axis4(a)
			}
			onnxAxes = append(onnxAxes, int64(at))
		}
	}
	slices.Sort(onnxAxes)
	keep := int64(0)
	if o.keepDims {
		keep = 1
	}
	out := c.define(op.outputs[0])
	if rank != 4 || o.keepDims {
		c.node("ReduceMean", []string{xn}, []string{out}, onnx.IntsAttr("axes", onnxAxes...), onnx.IntAttr("keepdims", keep))
		return nil
	}
	// The kept axes leave the NCHW graph in NCHW order.
	var heldOrder []int
	for _, a := range toNCHW {
		if !reduced[a] {
			heldOrder = append(heldOrder, a)
		}
	}
	perm := make([]int, len(kept))
	for i, a := range kept {
		perm[i] = slices.Index(heldOrder, a)
	}
	if len(want) == 4 || isIdentity(perm) {
		c.node("ReduceMean", []string{xn}, []string{out}, onnx.IntsAttr("axes", onnxAxes...), onnx.IntAttr("keepdims", 0))
		return nil
	}
	mid := c.unique(out + "/nchw_order")
	c.node("ReduceMean", []string{xn}, []string{mid}, onnx.IntsAttr("axes", onnxAxes...), onnx.IntAttr("keepdims", 0))
	c.node("Transpose", []string{mid}, []string{out}, onnx.IntsAttr("perm", ints64(perm)...))
	return nil
}

func isIdentity(perm []int) bool {
	for i, p := range perm {
		if i != p {
			return false
		}
	}
	return true
}

// fullyConnected is FULLY_CONNECTED: the input flattened to [B, I] in
// TFLite's order, times the weights [O, I] transposed, plus the bias.
func (c *conversion) fullyConnected(op *operator) error {
	if err := c.options(op, tflite.BuiltinOptionsFullyConnectedOptions); err != nil {
		return err
	}
	o := op.opts
	if o.weightsFormat != tflite.FullyConnectedOptionsWeightsFormatDEFAULT {
		return c.fail("its weights are shuffled for int8 kernels; the converter takes float models only")
	}
	if len(op.inputs) < 2 {
		return c.fail("has no weights")
	}
	x := c.tensor(op.inputs[0])
	w, err := c.weights(op.inputs[1], "weights")
	if err != nil {
		return err
	}
	if len(w.shape) != 2 {
		return c.fail("weights %q have shape %v; they must be [outputs, inputs]", w.name, w.shape)
	}
	units, depth := w.shape[0], w.shape[1]
	n := numel(x.shape)
	if depth == 0 || n%depth != 0 {
		return c.fail("input %v does not flatten into rows of %d", x.shape, depth)
	}
	batch := n / depth
	want := []int{batch, units}
	if o.keepNumDims {
		want = append(slices.Clone(x.shape[:len(x.shape)-1]), units)
	}
	if err := c.checkOut(op, want); err != nil {
		return err
	}
	xn, err := c.logical(op.inputs[0])
	if err != nil {
		return err
	}
	flatFrom := x.shape
	if len(x.shape) == 4 && sameOrder(x.shape) {
		flatFrom = layoutShape(x.shape)
	}
	if !slices.Equal(flatFrom, []int{batch, depth}) {
		flat := c.unique(xn + "/flat")
		c.node("Reshape", []string{xn, c.int64s([]int64{int64(batch), int64(depth)})}, []string{flat})
		xn = flat
	}
	ins := []string{xn, c.initializer("", w.name, w.shape, w.floats())}
	if len(op.inputs) > 2 && op.inputs[2] >= 0 {
		b, err := c.weights(op.inputs[2], "bias")
		if err != nil {
			return err
		}
		if numel(b.shape) != units {
			return c.fail("bias %q has shape %v, not [%d]", b.name, b.shape, units)
		}
		ins = append(ins, c.initializer("", b.name, []int{units}, b.floats()))
	}
	gemm := func(dst string) { c.node("Gemm", ins, []string{dst}, onnx.IntAttr("transB", 1)) }
	if len(want) == 2 {
		return c.fused(o.fused, c.define(op.outputs[0]), gemm)
	}
	// keep_num_dims: the [B, O] product takes the output's shape.
	prod := c.unique(c.s.tensors[op.outputs[0]].name + "/gemm")
	if err := c.fused(o.fused, prod, gemm); err != nil {
		return err
	}
	c.fromLogical(prod, []int{batch, units}, op.outputs[0])
	return nil
}
