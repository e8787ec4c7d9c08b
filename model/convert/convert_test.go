package convert_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/carrierarcade/kiosk/model/convert"
	"github.com/carrierarcade/kiosk/model/onnx"
	"github.com/carrierarcade/kiosk/model/tflite"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The seven models 'make models' converts.
var mediapipeModels = []string{"pose_detection", "pose_landmark_lite", "pose_landmark_full",
	"palm_detection_lite", "palm_detection_full", "hand_landmark_lite", "hand_landmark_full"}

// TestConversionIsReproducible converts every model twice: the same bytes,
// and the same as the file 'make models' wrote in another process (so a
// change to what the converter writes must come with a new
// convert.Version, or make models would keep the old file).
func TestConversionIsReproducible(t *testing.T) {
	for _, name := range mediapipeModels {
		t.Run(name, func(t *testing.T) {
			path := testenv.Model(t, filepath.Join("mediapipe", name+".tflite"))
			src, err := os.ReadFile(path)
			require.NoError(t, err)
			made := testenv.Model(t, name+".onnx")
			old, err := os.ReadFile(made)
			require.NoError(t, err)
			h, err := onnx.ReadHeader(old)
			require.NoError(t, err)
			from := convert.Origin{Package: h.Get(convert.KeyPackage), Version: h.Get(convert.KeyPackageVersion), File: h.Get(convert.KeyFile)}
			a, err := convert.Convert(src, path, from)
			require.NoError(t, err)
			b, err := convert.Convert(src, path, from)
			require.NoError(t, err)
			sa, sb := sha256.Sum256(a), sha256.Sum256(b)
			require.Equal(t, hex.EncodeToString(sa[:]), hex.EncodeToString(sb[:]), "two conversions, one sha256")
			so := sha256.Sum256(old)
			assert.Equal(t, hex.EncodeToString(so[:]), hex.EncodeToString(sa[:]),
				"%s differs from what make models wrote with converter version %s: if the converter's output changed, raise convert.Version", made, h.Get(convert.KeyConverterVersion))
		})
	}
}

func TestProvenanceInMetadata(t *testing.T) {
	path := testenv.Model(t, filepath.Join("mediapipe", "hand_landmark_lite.tflite"))
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	out, err := convert.Convert(src, path, convert.Origin{Package: "@mediapipe/hands", Version: "0.4.1675469240", File: "hand_landmark_lite.tflite"})
	require.NoError(t, err)
	h, err := onnx.ReadHeader(out)
	require.NoError(t, err)
	sum := sha256.Sum256(src)
	assert.Equal(t, "@mediapipe/hands", h.Get(convert.KeyPackage))
	assert.Equal(t, "0.4.1675469240", h.Get(convert.KeyPackageVersion))
	assert.Equal(t, "hand_landmark_lite.tflite", h.Get(convert.KeyFile))
	assert.Equal(t, hex.EncodeToString(sum[:]), h.Get(convert.KeySHA256))
	assert.Equal(t, convert.Converter, h.Get(convert.KeyConverter))
	assert.Equal(t, convert.Version, h.Get(convert.KeyConverterVersion))
	assert.Equal(t, convert.Converter, h.ProducerName)

	// Nothing known: recorded as unknown, the file by its name.
	out, err = convert.Convert(src, "/some/where/x.tflite", convert.Origin{})
	require.NoError(t, err)
	h, err = onnx.ReadHeader(out)
	require.NoError(t, err)
	assert.Equal(t, "unknown", h.Get(convert.KeyPackage))
	assert.Equal(t, "x.tflite", h.Get(convert.KeyFile))
}

// oneOp is a model of one operator on a [1,4,4,2] input.
func oneOp(code tflite.BuiltinOperator, out tensorDef) tfl {
	return tfl{inputs: []int32{0}, outputs: []int32{1}, tensors: []tensorDef{
		act4(tensorDef{name: "input", shape: []int32{1, 4, 4, 2}}), out,
	}, ops: []opDef{{code: code, in: []int32{0}, out: []int32{1}}}}
}

func TestRefusals(t *testing.T) {
	real := func() []byte {
		b, err := os.ReadFile(testenv.Model(t, filepath.Join("mediapipe", "pose_landmark_lite.tflite")))
		require.NoError(t, err)
		return b
	}
	var pngBytes bytes.Buffer
	require.NoError(t, png.Encode(&pngBytes, image.NewGray(image.Rect(0, 0, 8, 8))))
	softmax := oneOp(tflite.BuiltinOperatorSOFTMAX, act4(tensorDef{name: "probs", shape: []int32{1, 4, 4, 2}}))
	custom := oneOp(tflite.BuiltinOperatorCUSTOM, act4(tensorDef{name: "y", shape: []int32{1, 4, 4, 2}}))
	custom.ops[0].custom = "Convolution2DTransposeBias"
	twoGraphs := oneOp(tflite.BuiltinOperatorLOGISTIC, act4(tensorDef{name: "y", shape: []int32{1, 4, 4, 2}}))
	twoGraphs.subgraphs = 2
	// An int8 model: a quantized input, weights and output of CONV_2D.
	int8conv := tfl{inputs: []int32{0}, outputs: []int32{2}, tensors: []tensorDef{
		{name: "input_q", shape: []int32{1, 4, 4, 2}, typ: tflite.TensorTypeINT8, quant: true},
		{name: "filter_q", shape: []int32{3, 1, 1, 2}, typ: tflite.TensorTypeINT8, data: make([]byte, 6), quant: true},
		{name: "conv_q", shape: []int32{1, 4, 4, 3}, typ: tflite.TensorTypeINT8, quant: true},
	}, ops: []opDef{{code: tflite.BuiltinOperatorCONV_2D, in: []int32{0, 1, -1}, out: []int32{2},
		optType: tflite.BuiltinOptionsConv2DOptions, opts: convOpts(window{sh: 1, sw: 1, dh: 1, dw: 1, same: true})}}}
	// A float model with int8 weights dequantized at run time.
	int8weights := tfl{inputs: []int32{0}, outputs: []int32{3}, tensors: []tensorDef{
		act4(tensorDef{name: "input", shape: []int32{1, 4, 4, 2}}),
		{name: "filter_q", shape: []int32{3, 1, 1, 2}, typ: tflite.TensorTypeINT8, data: make([]byte, 6), quant: true},
		act4(tensorDef{name: "filter", shape: []int32{3, 1, 1, 2}}),
		act4(tensorDef{name: "conv", shape: []int32{1, 4, 4, 3}}),
	}, ops: []opDef{{code: tflite.BuiltinOperatorDEQUANTIZE, in: []int32{1}, out: []int32{2}},
		{code: tflite.BuiltinOperatorCONV_2D, in: []int32{0, 2, -1}, out: []int32{3},
			optType: tflite.BuiltinOptionsConv2DOptions, opts: convOpts(window{sh: 1, sw: 1, dh: 1, dw: 1, same: true})}}}

	for _, tc := range []struct {
		name string
		file string
		data []byte
		is   error
		want []string
	}{
		{"an operator outside the fifteen", "softmax.tflite", softmax.bytes(), convert.ErrUnsupported,
			[]string{"softmax.tflite", "operator 0 (SOFTMAX)", "not supported", "PAD, DEQUANTIZE, CONV_2D"}},
		{"a custom operator", "custom.tflite", custom.bytes(), convert.ErrUnsupported,
			[]string{"custom.tflite", "operator 0 (CUSTOM)", `custom operator "Convolution2DTransposeBias"`}},
		{"two subgraphs", "twice.tflite", twoGraphs.bytes(), nil,
			[]string{"twice.tflite has 2 subgraphs", "exactly one"}},
		{"an int8 model", "int8.tflite", int8conv.bytes(), convert.ErrUnsupported,
			[]string{"int8.tflite", "operator 0 (CONV_2D)", "quantized (int8)", "float models only"}},
		{"int8 weights", "weights.tflite", int8weights.bytes(), convert.ErrUnsupported,
			[]string{"weights.tflite", "operator 0 (DEQUANTIZE)", `"filter_q" is quantized (int8)`}},
		{"a PNG renamed .tflite", "photo.tflite", pngBytes.Bytes(), convert.ErrDamaged,
			[]string{"photo.tflite is a PNG picture, not a TFLite model"}},
		{"an empty file", "empty.tflite", nil, convert.ErrDamaged,
			[]string{"empty.tflite is 0 bytes, too short"}},
		{"a truncated model", "cut.tflite", real()[:len(real())/2], convert.ErrDamaged,
			[]string{"cut.tflite", "damaged (cut short?)", "make models"}},
		{"only its header", "head.tflite", real()[:64], convert.ErrDamaged,
			[]string{"head.tflite"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := convert.Convert(tc.data, tc.file, convert.Origin{})
			require.Error(t, err)
			t.Log(err)
			assert.Nil(t, out)
			if tc.is != nil {
				assert.True(t, errors.Is(err, tc.is), "%v is %v", err, tc.is)
			}
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

// TestDamagedFilesNeverPanic cuts a real model at many places, and flips
// every byte of every operator test's model (all flatbuffer tables and
// offsets) seven ways in turn: each gives an error or, where a flipped
// byte lands in weights or a name, a model, never a panic.
func TestDamagedFilesNeverPanic(t *testing.T) {
	src, err := os.ReadFile(testenv.Model(t, filepath.Join("mediapipe", "palm_detection_lite.tflite")))
	require.NoError(t, err)
	for i := 1; i < 60; i++ {
		cut := len(src) * i / 60
		_, err := convert.Convert(src[:cut], "cut.tflite", convert.Origin{})
		require.Error(t, err, "cut at %d of %d", cut, len(src))
		assert.True(t, errors.Is(err, convert.ErrDamaged) || errors.Is(err, convert.ErrUnsupported), "%v", err)
	}
	tried, refused := 0, 0
	for _, c := range opCases() {
		small := c.m.bytes()
		for at := range small {
			for _, flip := range []byte{0x01, 0x02, 0x04, 0x10, 0x40, 0x80, 0xff} {
				bad := bytes.Clone(small)
				bad[at] ^= flip
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Fatalf("%s: flipping byte %d with %#x panicked: %v\n%s", c.name, at, flip, r, debug.Stack())
						}
					}()
					tried++
					if _, err := convert.Convert(bad, "flipped.tflite", convert.Origin{}); err != nil {
						refused++
					}
				}()
			}
		}
	}
	t.Logf("%d damaged models: %d refused, none panicked", tried, refused)
}
