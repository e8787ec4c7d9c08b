package convert

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"

	flatbuffers "github.com/google/flatbuffers/go"

	"github.com/carrierarcade/kiosk/model/tflite"
)

// source is a TFLite file read whole: its one subgraph's tensors and
// operators, in plain Go values, so that converting never touches the
// flatbuffer again (and a damaged one fails here, once).
type source struct {
	file    string // the file's name, for messages
	tensors []tensor
	ops     []operator
	inputs  []int
	outputs []int
}

// tensor is one TFLite tensor. data is set for a constant (a tensor with a
// buffer); its bytes are little-endian in TFLite's (NHWC) order.
type tensor struct {
	name      string
	shape     []int
	typ       tflite.TensorType
	data      []byte
	sparsity  *sparsity
	quantized bool // has quantization scales: an int8 or uint8 model
}

// operator is one TFLite operator with its builtin code and options.
type operator struct {
	index   int
	code    tflite.BuiltinOperator
	custom  string // the custom_code of a CUSTOM operator
	inputs  []int  // -1 for an optional input left out
	outputs []int
	optType tflite.BuiltinOptions
	opts    options
}

// options are the fields of an operator's builtin options the converter
// reads, taken out of the flatbuffer with everything else in readSource.
type options struct {
	padding               tflite.Padding
	strideH, strideW      int32
	dilationH, dilationW  int32
	filterH, filterW      int32
	fused                 tflite.ActivationFunctionType
	alignCorners          bool
	halfPixelCenters      bool
	blockSize             int32
	axis                  int32
	keepDims, keepNumDims bool
	weightsFormat         tflite.FullyConnectedOptionsWeightsFormat
}

// readOptions reads the builtin options of the kinds the converter takes.
func readOptions(typ tflite.BuiltinOptions, t flatbuffers.Table) options {
	var o options
	switch typ {
	case tflite.BuiltinOptionsConv2DOptions:
		v := new(tflite.Conv2DOptions)
		v.Init(t.Bytes, t.Pos)
		o.padding, o.strideH, o.strideW, o.dilationH, o.dilationW, o.fused = v.Padding(), v.StrideH(), v.StrideW(), v.DilationHFactor(), v.DilationWFactor(), v.FusedActivationFunction()
	case tflite.BuiltinOptionsDepthwiseConv2DOptions:
		v := new(tflite.DepthwiseConv2DOptions)
		v.Init(t.Bytes, t.Pos)
		o.padding, o.strideH, o.strideW, o.dilationH, o.dilationW, o.fused = v.Padding(), v.StrideH(), v.StrideW(), v.DilationHFactor(), v.DilationWFactor(), v.FusedActivationFunction()
	case tflite.BuiltinOptionsPool2DOptions:
		v := new(tflite.Pool2DOptions)
		v.Init(t.Bytes, t.Pos)
		o.padding, o.strideH, o.strideW, o.filterH, o.filterW, o.fused = v.Padding(), v.StrideH(), v.StrideW(), v.FilterHeight(), v.FilterWidth(), v.FusedActivationFunction()
	case tflite.BuiltinOptionsAddOptions:
		v := new(tflite.AddOptions)
		v.Init(t.Bytes, t.Pos)
		o.fused = v.FusedActivationFunction()
	case tflite.BuiltinOptionsResizeBilinearOptions:
		v := new(tflite.ResizeBilinearOptions)
		v.Init(t.Bytes, t.Pos)
		o.alignCorners, o.halfPixelCenters = v.AlignCorners(), v.HalfPixelCenters()
	case tflite.BuiltinOptionsDepthToSpaceOptions:
		v := new(tflite.DepthToSpaceOptions)
		v.Init(t.Bytes, t.Pos)
		o.blockSize = v.BlockSize()
	case tflite.BuiltinOptionsConcatenationOptions:
		v := new(tflite.ConcatenationOptions)
		v.Init(t.Bytes, t.Pos)
		o.axis, o.fused = v.Axis(), v.FusedActivationFunction()
	case tflite.BuiltinOptionsReducerOptions:
		v := new(tflite.ReducerOptions)
		v.Init(t.Bytes, t.Pos)
		o.keepDims = v.KeepDims()
	case tflite.BuiltinOptionsFullyConnectedOptions:
		v := new(tflite.FullyConnectedOptions)
		v.Init(t.Bytes, t.Pos)
		o.fused, o.weightsFormat, o.keepNumDims = v.FusedActivationFunction(), v.WeightsFormat(), v.KeepNumDims()
	}
	return o
}

func (o *operator) name() string {
	if n, ok := tflite.EnumNamesBuiltinOperator[o.code]; ok {
		return n
	}
	return fmt.Sprintf("builtin operator %d", o.code)
}

// errDamaged marks a file that is not a TFLite model or is cut short.
var errDamaged = errors.New("damaged")

// readSource reads a TFLite file's bytes. The FlatBuffers Go runtime has no
// verifier and indexes the bytes as the file's offsets say, so a file that
// is cut short or not FlatBuffers makes it index out of range: that panic
// is turned into an error here, and every size the converter relies on
// (each constant's bytes against its shape) is checked after.
func readSource(buf []byte, file string) (s *source, err error) {
	const fix = "it is not a TFLite model, or it is damaged (cut short?): take the file again from its package ('make models')"
	if len(buf) < 8 {
		return nil, fmt.Errorf("%w: %s is %d bytes, too short for a TFLite model; %s", errDamaged, file, len(buf), fix)
	}
	if id := buf[4:8]; !bytes.Equal(id, []byte("TFL3")) {
		what := sniff(buf)
		return nil, fmt.Errorf("%w: %s is %s, not a TFLite model (no \"TFL3\" identifier); give the .tflite file itself", errDamaged, file, what)
	}
	defer func() {
		if r := recover(); r != nil {
			if re, ok := r.(runtime.Error); ok && !isIndexError(re) {
				panic(r) // a bug of ours, not the file's
			}
			s, err = nil, fmt.Errorf("%w: %s could not be read: an offset in it points outside its %d bytes; %s", errDamaged, file, len(buf), fix)
		}
	}()
	if root := int(binary.LittleEndian.Uint32(buf)); root < 8 || root >= len(buf) {
		return nil, fmt.Errorf("%w: %s: its root offset %d lies outside its %d bytes; %s", errDamaged, file, root, len(buf), fix)
	}
	m := tflite.GetRootAsModel(buf, 0)
	if n := m.SubgraphsLength(); n != 1 {
		return nil, fmt.Errorf("%s has %d subgraphs; the converter takes models of exactly one (control flow such as WHILE or IF is not supported)", file, n)
	}
	var sg tflite.SubGraph
	m.Subgraphs(&sg, 0)
	s = &source{file: file}
	var t tflite.Tensor
	var b tflite.Buffer
	for i := 0; i < sg.TensorsLength(); i++ {
		sg.Tensors(&t, i)
		tt := tensor{name: string(t.Name()), typ: t.Type()}
		for j := 0; j < t.ShapeLength(); j++ {
			tt.shape = append(tt.shape, int(t.Shape(j)))
		}
		if err := checkShape(tt.shape); err != nil {
			return nil, fmt.Errorf("%w: %s: tensor %q has shape %v: %v", ErrUnsupported, file, tt.name, tt.shape, err)
		}
		if q := t.Quantization(nil); q != nil && q.ScaleLength() > 0 {
			tt.quantized = true
		}
		if bi := int(t.Buffer()); bi > 0 {
			if bi >= m.BuffersLength() {
				return nil, fmt.Errorf("%w: %s: tensor %q names buffer %d of %d; %s", errDamaged, file, tt.name, bi, m.BuffersLength(), fix)
			}
			m.Buffers(&b, bi)
			if d := b.DataBytes(); len(d) > 0 {
				tt.data = d
			}
		}
		if sp := t.Sparsity(nil); sp != nil {
			tt.sparsity = readSparsity(sp)
		}
		if tt.data != nil {
			if err := checkConstSize(&tt); err != nil {
				return nil, fmt.Errorf("%w: %s: %v; %s", errDamaged, file, err, fix)
			}
		}
		s.tensors = append(s.tensors, tt)
	}
	index := func(what string, v int32, optional bool) (int, error) {
		if v == -1 && optional {
			return -1, nil
		}
		if v < 0 || int(v) >= len(s.tensors) {
			return 0, fmt.Errorf("%w: %s: %s names tensor %d of %d; %s", errDamaged, file, what, v, len(s.tensors), fix)
		}
		return int(v), nil
	}
	for i := 0; i < sg.InputsLength(); i++ {
		k, err := index("an input", sg.Inputs(i), false)
		if err != nil {
			return nil, err
		}
		s.inputs = append(s.inputs, k)
	}
	for i := 0; i < sg.OutputsLength(); i++ {
		k, err := index("an output", sg.Outputs(i), false)
		if err != nil {
			return nil, err
		}
		s.outputs = append(s.outputs, k)
	}
	var op tflite.Operator
	var oc tflite.OperatorCode
	for i := 0; i < sg.OperatorsLength(); i++ {
		sg.Operators(&op, i)
		ci := int(op.OpcodeIndex())
		if ci >= m.OperatorCodesLength() {
			return nil, fmt.Errorf("%w: %s: operator %d names operator code %d of %d; %s", errDamaged, file, i, ci, m.OperatorCodesLength(), fix)
		}
		m.OperatorCodes(&oc, ci)
		// Files from before the code field grew past a byte keep it in
		// deprecated_builtin_code; TFLite takes the larger of the two.
		o := operator{index: i, code: max(tflite.BuiltinOperator(oc.DeprecatedBuiltinCode()), oc.BuiltinCode()),
			custom: string(oc.CustomCode()), optType: op.BuiltinOptionsType()}
		for j := 0; j < op.InputsLength(); j++ {
			k, err := index(fmt.Sprintf("operator %d", i), op.Inputs(j), true)
			if err != nil {
				return nil, err
			}
			o.inputs = append(o.inputs, k)
		}
		for j := 0; j < op.OutputsLength(); j++ {
			k, err := index(fmt.Sprintf("operator %d", i), op.Outputs(j), false)
			if err != nil {
				return nil, err
			}
			o.outputs = append(o.outputs, k)
		}
		if o.optType != tflite.BuiltinOptionsNONE {
			var t flatbuffers.Table
			if op.BuiltinOptions(&t) {
				o.opts = readOptions(o.optType, t)
			}
		}
		s.ops = append(s.ops, o)
	}
	return s, nil
}

func isIndexError(e runtime.Error) bool {
	return strings.Contains(e.Error(), "out of range")
}

// sniff names a few kinds of file people mistake for a model.
func sniff(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG")):
		return "a PNG picture"
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return "a JPEG picture"
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return "a zip archive"
	case bytes.HasPrefix(b, []byte("\x1f\x8b")):
		return "a gzip file (an npm tarball? unpack it first)"
	case len(b) > 1 && b[0] == 0x08 && b[1] < 0x20:
		return "perhaps an ONNX model already"
	}
	return "something else"
}

// elemSize is the bytes of one element of the types the converter reads.
func elemSize(t tflite.TensorType) int {
	switch t {
	case tflite.TensorTypeFLOAT32, tflite.TensorTypeINT32:
		return 4
	case tflite.TensorTypeFLOAT16, tflite.TensorTypeINT16:
		return 2
	case tflite.TensorTypeINT64:
		return 8
	case tflite.TensorTypeINT8, tflite.TensorTypeUINT8, tflite.TensorTypeBOOL:
		return 1
	}
	return 0
}

func typeName(t tflite.TensorType) string {
	if n, ok := tflite.EnumNamesTensorType[t]; ok {
		return n
	}
	return fmt.Sprintf("type %d", t)
}

// checkConstSize checks a constant's bytes against its shape (a sparse
// one's against its stored values) before anything indexes them.
func checkConstSize(t *tensor) error {
	es := elemSize(t.typ)
	if es == 0 {
		return nil // a type the converter refuses anyway, with its name
	}
	want := numel(t.shape) * es
	if t.sparsity != nil {
		n, err := t.sparsity.stored(t.shape)
		if err != nil {
			return fmt.Errorf("sparse tensor %q: %v", t.name, err)
		}
		want = n * es
	}
	if len(t.data) != want {
		return fmt.Errorf("constant tensor %q of shape %v holds %d bytes, not %d", t.name, t.shape, len(t.data), want)
	}
	return nil
}

// checkShape keeps shapes to what a vision model has: up to rank 6, each
// dimension from 1 to 2^20, at most 2^30 elements (TFLite's dynamic -1
// lives in shape_signature, which the converter does not read).
func checkShape(shape []int) error {
	if len(shape) > 6 {
		return fmt.Errorf("rank %d; the converter takes tensors of rank 6 at most", len(shape))
	}
	n := 1
	for _, d := range shape {
		if d < 1 || d > 1<<20 {
			return fmt.Errorf("a dimension of %d; the converter takes fixed shapes of sizes 1 to %d", d, 1<<20)
		}
		if n *= d; n > 1<<30 {
			return fmt.Errorf("more than %d elements", 1<<30)
		}
	}
	return nil
}

func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// floats is a FLOAT32 constant's values.
func (t *tensor) floats() []float32 {
	v := make([]float32, len(t.data)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(t.data[4*i:]))
	}
	return v
}

// ints is an INT32 or INT64 constant's values.
func (t *tensor) ints() ([]int64, bool) {
	switch t.typ {
	case tflite.TensorTypeINT32:
		v := make([]int64, len(t.data)/4)
		for i := range v {
			v[i] = int64(int32(binary.LittleEndian.Uint32(t.data[4*i:])))
		}
		return v, true
	case tflite.TensorTypeINT64:
		v := make([]int64, len(t.data)/8)
		for i := range v {
			v[i] = int64(binary.LittleEndian.Uint64(t.data[8*i:]))
		}
		return v, true
	}
	return nil, false
}

// halfToFloat widens an IEEE 754 half-precision number exactly.
func halfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // infinity or NaN
		return math.Float32frombits(sign | 0xff<<23 | frac<<13)
	case exp != 0: // normal
		return math.Float32frombits(sign | (exp+127-15)<<23 | frac<<13)
	case frac == 0: // zero
		return math.Float32frombits(sign)
	}
	// Subnormal: frac * 2^-24, exact in float32.
	f := float32(frac) * (1.0 / (1 << 24))
	if sign != 0 {
		f = -f
	}
	return f
}
