// Package convert turns a TensorFlow Lite model into an ONNX model that ONNX
// Runtime runs, for the operators MediaPipe's pose and hand models use and
// no others. The ONNX model takes NCHW float32 input, the convention of the
// kiosk's other models, and gives the TFLite model's outputs with their
// names, shapes and element order (a 4-D output stays NHWC), so decoding
// follows MediaPipe's documentation. The same file gives the same bytes on
// every run and machine.
package convert

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/carrierarcade/kiosk/model/onnx"
	"github.com/carrierarcade/kiosk/model/tflite"
)

// Version is the converter's version, written into every model it makes.
// Anything that changes the bytes it writes changes it, so that 'make
// models' knows a converted file is out of date.
const Version = "1"

// Converter is the converter's name in the files it writes.
const Converter = "carrier-arcade tflite2onnx"

// The metadata keys of a converted model (ONNX metadata_props).
const (
	KeyPackage          = "source.package"
	KeyPackageVersion   = "source.version"
	KeyFile             = "source.file"
	KeySHA256           = "source.sha256"
	KeyConverter        = "converter"
	KeyConverterVersion = "converter.version"
)

// Origin says where a TFLite file came from: the package (an npm name such
// as "@mediapipe/pose"), its version, and the file's path inside it. Empty
// fields are recorded as "unknown".
type Origin struct {
	Package string
	Version string
	File    string
}

// ErrUnsupported marks a model the converter does not take: an operator
// outside its fifteen, a quantized tensor, a custom operator, more than one
// subgraph.
var ErrUnsupported = errors.New("not supported")

// ErrDamaged marks a file that is not a TFLite model, or is cut short.
var ErrDamaged = errDamaged

// Convert converts the TFLite model in src, read from the file named file
// (for messages), into ONNX bytes that record from as their source.
func Convert(src []byte, file string, from Origin) ([]byte, error) {
	s, err := readSource(src, file)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(src)
	c := newConversion(s)
	if err := c.run(); err != nil {
		return nil, err
	}
	unknown := func(v string) string {
		if v == "" {
			return "unknown"
		}
		return v
	}
	if from.File == "" {
		from.File = filepath.Base(file)
	}
	m := onnx.Model{
		IRVersion:       7,
		ProducerName:    Converter,
		ProducerVersion: Version,
		Doc:             fmt.Sprintf("%s from %s %s, converted from TFLite by %s %s", from.File, unknown(from.Package), unknown(from.Version), Converter, Version),
		Graph:           c.g,
		Opset:           opset,
		Metadata: []onnx.Entry{
			{Key: KeyPackage, Value: unknown(from.Package)},
			{Key: KeyPackageVersion, Value: unknown(from.Version)},
			{Key: KeyFile, Value: from.File},
			{Key: KeySHA256, Value: hex.EncodeToString(sum[:])},
			{Key: KeyConverter, Value: Converter},
			{Key: KeyConverterVersion, Value: Version},
		},
	}
	m.Graph.Name = strings.TrimSuffix(filepath.Base(from.File), filepath.Ext(from.File))
	return m.Marshal(), nil
}

// opset is the ONNX operator set the converter writes: 13 has every
// operator it needs with its inputs as used here (Resize by sizes, Pad and
// Clip with tensor inputs, ReduceMean with an axes attribute) and every
// ONNX Runtime since 1.6 runs it.
const opset = 13

// supported is what the converter takes, in the order the message lists
// them: the operators of MediaPipe's pose and hand models.
var supported = []tflite.BuiltinOperator{
	tflite.BuiltinOperatorPAD, tflite.BuiltinOperatorDEQUANTIZE, tflite.BuiltinOperatorCONV_2D,
	tflite.BuiltinOperatorDEPTHWISE_CONV_2D, tflite.BuiltinOperatorDENSIFY, tflite.BuiltinOperatorADD,
	tflite.BuiltinOperatorDEPTH_TO_SPACE, tflite.BuiltinOperatorRESIZE_BILINEAR, tflite.BuiltinOperatorMAX_POOL_2D,
	tflite.BuiltinOperatorRESHAPE, tflite.BuiltinOperatorCONCATENATION, tflite.BuiltinOperatorMEAN,
	tflite.BuiltinOperatorFULLY_CONNECTED, tflite.BuiltinOperatorPRELU, tflite.BuiltinOperatorLOGISTIC,
}

// Supported names the operators the converter takes.
func Supported() []string {
	names := make([]string, len(supported))
	for i, c := range supported {
		names[i] = tflite.EnumNamesBuiltinOperator[c]
	}
	return names
}
