package convert_test

import (
	"encoding/binary"
	"math"
	"testing"

	flatbuffers "github.com/google/flatbuffers/go"
	ort "github.com/yalue/onnxruntime_go"

	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/carrierarcade/kiosk/model"
	"github.com/carrierarcade/kiosk/model/tflite"
	"github.com/stretchr/testify/require"
)

// tfl is a TFLite model built in a test with the generated builders: one
// subgraph of the given tensors and operators.
type tfl struct {
	tensors   []tensorDef
	ops       []opDef
	inputs    []int32
	outputs   []int32
	subgraphs int // 0 means 1
}

type tensorDef struct {
	name     string
	shape    []int32
	typ      tflite.TensorType
	data     []byte // a constant's bytes
	sparsity func(b *flatbuffers.Builder) flatbuffers.UOffsetT
	quant    bool // give it int8-style quantization scales
}

type opDef struct {
	code    tflite.BuiltinOperator
	custom  string
	in, out []int32
	optType tflite.BuiltinOptions
	opts    func(b *flatbuffers.Builder) flatbuffers.UOffsetT
}

func int32Vector(b *flatbuffers.Builder, v []int32) flatbuffers.UOffsetT {
	b.StartVector(4, len(v), 4)
	for i := len(v) - 1; i >= 0; i-- {
		b.PrependInt32(v[i])
	}
	return b.EndVector(len(v))
}

func offsetVector(b *flatbuffers.Builder, v []flatbuffers.UOffsetT) flatbuffers.UOffsetT {
	b.StartVector(4, len(v), 4)
	for i := len(v) - 1; i >= 0; i-- {
		b.PrependUOffsetT(v[i])
	}
	return b.EndVector(len(v))
}

// bytes serializes the model as a .tflite file.
func (m tfl) bytes() []byte {
	b := flatbuffers.NewBuilder(1024)
	// Buffer 0 is TFLite's empty sentinel; each constant gets its own.
	bufs := []flatbuffers.UOffsetT{}
	tflite.BufferStart(b)
	bufs = append(bufs, tflite.BufferEnd(b))
	tensors := make([]flatbuffers.UOffsetT, len(m.tensors))
	for i, t := range m.tensors {
		var bufIndex uint32
		if t.data != nil {
			data := b.CreateByteVector(t.data)
			tflite.BufferStart(b)
			tflite.BufferAddData(b, data)
			bufIndex = uint32(len(bufs))
			bufs = append(bufs, tflite.BufferEnd(b))
		}
		name := b.CreateString(t.name)
		shape := int32Vector(b, t.shape)
		var sp, q flatbuffers.UOffsetT
		if t.sparsity != nil {
			sp = t.sparsity(b)
		}
		if t.quant {
			tflite.QuantizationParametersStartScaleVector(b, 1)
			b.PrependFloat32(0.1)
			scale := b.EndVector(1)
			tflite.QuantizationParametersStartZeroPointVector(b, 1)
			b.PrependInt64(0)
			zp := b.EndVector(1)
			tflite.QuantizationParametersStart(b)
			tflite.QuantizationParametersAddScale(b, scale)
			tflite.QuantizationParametersAddZeroPoint(b, zp)
			q = tflite.QuantizationParametersEnd(b)
		}
		tflite.TensorStart(b)
		tflite.TensorAddShape(b, shape)
		tflite.TensorAddType(b, t.typ)
		tflite.TensorAddBuffer(b, bufIndex)
		tflite.TensorAddName(b, name)
		if sp != 0 {
			tflite.TensorAddSparsity(b, sp)
		}
		if q != 0 {
			tflite.TensorAddQuantization(b, q)
		}
		tensors[i] = tflite.TensorEnd(b)
	}
	codes := make([]flatbuffers.UOffsetT, len(m.ops))
	ops := make([]flatbuffers.UOffsetT, len(m.ops))
	for i, o := range m.ops {
		var custom flatbuffers.UOffsetT
		if o.custom != "" {
			custom = b.CreateString(o.custom)
		}
		tflite.OperatorCodeStart(b)
		tflite.OperatorCodeAddDeprecatedBuiltinCode(b, int8(min(o.code, 127)))
		tflite.OperatorCodeAddBuiltinCode(b, o.code)
		tflite.OperatorCodeAddVersion(b, 1)
		if custom != 0 {
			tflite.OperatorCodeAddCustomCode(b, custom)
		}
		codes[i] = tflite.OperatorCodeEnd(b)
		in, out := int32Vector(b, o.in), int32Vector(b, o.out)
		var opts flatbuffers.UOffsetT
		if o.opts != nil {
			opts = o.opts(b)
		}
		tflite.OperatorStart(b)
		tflite.OperatorAddOpcodeIndex(b, uint32(i))
		tflite.OperatorAddInputs(b, in)
		tflite.OperatorAddOutputs(b, out)
		if opts != 0 {
			tflite.OperatorAddBuiltinOptionsType(b, o.optType)
			tflite.OperatorAddBuiltinOptions(b, opts)
		}
		ops[i] = tflite.OperatorEnd(b)
	}
	n := max(m.subgraphs, 1)
	sgs := make([]flatbuffers.UOffsetT, n)
	for k := range sgs {
		tv, ov := offsetVector(b, tensors), offsetVector(b, ops)
		iv, outv := int32Vector(b, m.inputs), int32Vector(b, m.outputs)
		tflite.SubGraphStart(b)
		tflite.SubGraphAddTensors(b, tv)
		tflite.SubGraphAddInputs(b, iv)
		tflite.SubGraphAddOutputs(b, outv)
		tflite.SubGraphAddOperators(b, ov)
		sgs[k] = tflite.SubGraphEnd(b)
	}
	codesV, sgV, bufV := offsetVector(b, codes), offsetVector(b, sgs), offsetVector(b, bufs)
	desc := b.CreateString("built in a test")
	tflite.ModelStart(b)
	tflite.ModelAddVersion(b, 3)
	tflite.ModelAddOperatorCodes(b, codesV)
	tflite.ModelAddSubgraphs(b, sgV)
	tflite.ModelAddDescription(b, desc)
	tflite.ModelAddBuffers(b, bufV)
	b.FinishWithFileIdentifier(tflite.ModelEnd(b), []byte("TFL3"))
	return b.FinishedBytes()
}

func f32bytes(v []float32) []byte {
	out := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(out[4*i:], math.Float32bits(f))
	}
	return out
}

func i32bytes(v []int32) []byte {
	out := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(out[4*i:], uint32(x))
	}
	return out
}

// runtime opens ONNX Runtime from .cache/lib for the test.
func runtime(t testing.TB) {
	t.Helper()
	rt, err := model.OpenRuntime(testenv.ORTLibrary(t))
	require.NoError(t, err)
	t.Cleanup(func() { rt.Close() })
}

// runONNX runs an ONNX model's bytes on inputs (in the graph's order, with
// their ONNX shapes) and returns every output's data and shape by name.
func runONNX(t testing.TB, data []byte, inputs [][]float32, threads int) (map[string][]float32, map[string][]int64) {
	t.Helper()
	ins, outs, err := ort.GetInputOutputInfoWithONNXData(data)
	require.NoError(t, err)
	require.Len(t, ins, len(inputs))
	var inNames, outNames []string
	var inVals, outVals []ort.Value
	for i, info := range ins {
		inNames = append(inNames, info.Name)
		v, err := ort.NewTensor(info.Dimensions, inputs[i])
		require.NoError(t, err)
		defer v.Destroy()
		inVals = append(inVals, v)
	}
	for _, info := range outs {
		outNames = append(outNames, info.Name)
		outVals = append(outVals, nil)
	}
	opts, err := ort.NewSessionOptions()
	require.NoError(t, err)
	defer opts.Destroy()
	require.NoError(t, opts.SetIntraOpNumThreads(max(threads, 1)))
	s, err := ort.NewDynamicAdvancedSessionWithONNXData(data, inNames, outNames, opts)
	require.NoError(t, err)
	defer s.Destroy()
	require.NoError(t, s.Run(inVals, outVals))
	got, shapes := map[string][]float32{}, map[string][]int64{}
	for i, v := range outVals {
		tv := v.(*ort.Tensor[float32])
		got[outNames[i]] = append([]float32(nil), tv.GetData()...)
		shapes[outNames[i]] = tv.GetShape()
		v.Destroy()
	}
	return got, shapes
}
