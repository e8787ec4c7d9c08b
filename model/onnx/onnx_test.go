package onnx_test

import (
	"testing"

	"github.com/carrierarcade/kiosk/model/onnx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHeaderReadsBackWhatMarshalWrote(t *testing.T) {
	m := onnx.Model{IRVersion: 7, ProducerName: "p", ProducerVersion: "1", Opset: 13,
		Graph: onnx.Graph{Name: "g", Nodes: []onnx.Node{{Name: "n", Op: "Relu", Inputs: []string{"x"}, Outputs: []string{"y"},
			Attrs: []onnx.Attr{onnx.IntsAttr("perm", 0, 3, 1, 2), onnx.FloatAttr("alpha", 0.5), onnx.StringAttr("mode", "DCR")}}},
			Initializers: []onnx.Tensor{onnx.FloatTensor("w", []int64{2}, []float32{1, -2})},
			Inputs:       []onnx.ValueInfo{{Name: "x", Type: onnx.Float, Dims: []int64{1, 2}}},
			Outputs:      []onnx.ValueInfo{{Name: "y", Type: onnx.Float, Dims: []int64{1, 2}}}},
		Metadata: []onnx.Entry{{Key: "a", Value: "1"}, {Key: "b", Value: ""}, {Key: "c", Value: "three"}}}
	data := m.Marshal()
	assert.Equal(t, data, m.Marshal(), "the same model, the same bytes")
	h, err := onnx.ReadHeader(data)
	require.NoError(t, err)
	assert.Equal(t, "p", h.ProducerName)
	assert.Equal(t, "1", h.ProducerVersion)
	assert.Equal(t, m.Metadata, h.Metadata, "in order, an empty value kept")
	assert.Equal(t, "three", h.Get("c"))
	assert.Equal(t, "", h.Get("missing"))
	// Field 1 (ir_version) is the file's first byte pair: varint 7.
	assert.Equal(t, []byte{0x08, 0x07}, data[:2])
}

func TestHeaderRefusesWhatIsNotProtobuf(t *testing.T) {
	for _, bad := range [][]byte{[]byte("\x89PNG\r\n\x1a\n"), {0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f}, {0x72, 0x05, 0x0a}} {
		_, err := onnx.ReadHeader(bad)
		assert.Error(t, err, "%q", bad)
	}
}
