// Package onnx writes the part of the ONNX model format (onnx.proto) that a
// converted vision model needs, and reads back a model file's metadata.
//
// The encoding is written field by field with protowire rather than through
// code generated from onnx.proto: the bytes are then this package's alone
// (fields in number order, repeated numbers unpacked as proto2 writes them,
// floats as their bits), so the same model gives the same file with any
// protobuf library version, and a dozen message types need no generated
// file of thousands of lines. Field numbers are those of onnx.proto; they
// have not changed since IR version 3.
package onnx

import (
	"encoding/binary"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// DataType is TensorProto.DataType.
type DataType int32

// The element types the converter writes.
const (
	Float DataType = 1
	Int64 DataType = 7
)

// Model is a ModelProto with one graph and one opset (the default domain).
type Model struct {
	IRVersion       int64
	ProducerName    string
	ProducerVersion string
	Doc             string
	Graph           Graph
	Opset           int64
	// Metadata are the model's metadata_props, written in this order.
	Metadata []Entry
}

// Entry is a StringStringEntryProto.
type Entry struct{ Key, Value string }

// Graph is a GraphProto.
type Graph struct {
	Name         string
	Nodes        []Node
	Initializers []Tensor
	Inputs       []ValueInfo
	Outputs      []ValueInfo
}

// Node is a NodeProto of the default domain.
type Node struct {
	Name    string
	Op      string
	Inputs  []string // "" for an optional input left out
	Outputs []string
	Attrs   []Attr
}

// Attr is an AttributeProto holding one int, float, string, or a list of
// ints: the kinds the converter's operators take.
type Attr struct {
	Name string
	Kind AttrKind
	I    int64
	F    float32
	S    string
	Ints []int64
}

// AttrKind is AttributeProto.AttributeType.
type AttrKind int32

// The attribute kinds the converter writes.
const (
	AttrFloat  AttrKind = 1
	AttrInt    AttrKind = 2
	AttrString AttrKind = 3
	AttrInts   AttrKind = 7
)

// IntAttr, IntsAttr, FloatAttr and StringAttr make attributes.
func IntAttr(name string, v int64) Attr     { return Attr{Name: name, Kind: AttrInt, I: v} }
func IntsAttr(name string, v ...int64) Attr { return Attr{Name: name, Kind: AttrInts, Ints: v} }
func FloatAttr(name string, v float32) Attr { return Attr{Name: name, Kind: AttrFloat, F: v} }
func StringAttr(name string, v string) Attr { return Attr{Name: name, Kind: AttrString, S: v} }

// Tensor is a TensorProto with its data in raw_data (little-endian).
type Tensor struct {
	Name string
	Type DataType
	Dims []int64
	Raw  []byte
}

// FloatTensor makes a float32 tensor of v.
func FloatTensor(name string, dims []int64, v []float32) Tensor {
	raw := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(f))
	}
	return Tensor{Name: name, Type: Float, Dims: dims, Raw: raw}
}

// Int64Tensor makes an int64 tensor of v.
func Int64Tensor(name string, dims []int64, v []int64) Tensor {
	raw := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(raw[8*i:], uint64(x))
	}
	return Tensor{Name: name, Type: Int64, Dims: dims, Raw: raw}
}

// ValueInfo is a graph input or output: a tensor of fixed shape.
type ValueInfo struct {
	Name string
	Type DataType
	Dims []int64
}

// Marshal encodes the model as an ONNX file's bytes.
func (m *Model) Marshal() []byte {
	var b []byte
	b = appendInt(b, 1, m.IRVersion)
	b = appendString(b, 2, m.ProducerName)
	b = appendString(b, 3, m.ProducerVersion)
	b = appendString(b, 6, m.Doc)
	b = appendMessage(b, 7, m.Graph.marshal())
	var opset []byte
	opset = appendString(opset, 1, "")
	opset = appendInt(opset, 2, m.Opset)
	b = appendMessage(b, 8, opset)
	for _, e := range m.Metadata {
		b = appendMessage(b, 14, e.marshal())
	}
	return b
}

func (e Entry) marshal() []byte {
	var b []byte
	b = appendString(b, 1, e.Key)
	return appendString(b, 2, e.Value)
}

func (g *Graph) marshal() []byte {
	var b []byte
	for i := range g.Nodes {
		b = appendMessage(b, 1, g.Nodes[i].marshal())
	}
	b = appendString(b, 2, g.Name)
	for i := range g.Initializers {
		b = appendMessage(b, 5, g.Initializers[i].marshal())
	}
	for _, v := range g.Inputs {
		b = appendMessage(b, 11, v.marshal())
	}
	for _, v := range g.Outputs {
		b = appendMessage(b, 12, v.marshal())
	}
	return b
}

func (n *Node) marshal() []byte {
	var b []byte
	for _, s := range n.Inputs {
		b = protowire.AppendTag(b, 1, protowire.BytesType)
		b = protowire.AppendString(b, s) // "" kept: it marks a skipped input
	}
	for _, s := range n.Outputs {
		b = protowire.AppendTag(b, 2, protowire.BytesType)
		b = protowire.AppendString(b, s)
	}
	b = appendString(b, 3, n.Name)
	b = appendString(b, 4, n.Op)
	for _, a := range n.Attrs {
		b = appendMessage(b, 5, a.marshal())
	}
	return b
}

func (a Attr) marshal() []byte {
	var b []byte
	b = appendString(b, 1, a.Name)
	switch a.Kind {
	case AttrFloat:
		b = protowire.AppendTag(b, 2, protowire.Fixed32Type)
		b = protowire.AppendFixed32(b, math.Float32bits(a.F))
	case AttrInt:
		b = protowire.AppendTag(b, 3, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(a.I))
	case AttrString:
		b = protowire.AppendTag(b, 4, protowire.BytesType)
		b = protowire.AppendString(b, a.S)
	case AttrInts:
		for _, v := range a.Ints {
			b = protowire.AppendTag(b, 8, protowire.VarintType)
			b = protowire.AppendVarint(b, uint64(v))
		}
	}
	b = protowire.AppendTag(b, 20, protowire.VarintType)
	return protowire.AppendVarint(b, uint64(a.Kind))
}

func (t *Tensor) marshal() []byte {
	var b []byte
	for _, d := range t.Dims {
		b = protowire.AppendTag(b, 1, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(d))
	}
	b = appendInt(b, 2, int64(t.Type))
	b = appendString(b, 8, t.Name)
	b = protowire.AppendTag(b, 9, protowire.BytesType)
	return protowire.AppendBytes(b, t.Raw)
}

func (v ValueInfo) marshal() []byte {
	var shape []byte
	for _, d := range v.Dims {
		var dim []byte
		dim = protowire.AppendTag(dim, 1, protowire.VarintType)
		dim = protowire.AppendVarint(dim, uint64(d))
		shape = appendMessage(shape, 1, dim)
	}
	var tensor []byte
	tensor = appendInt(tensor, 1, int64(v.Type))
	tensor = appendMessage(tensor, 2, shape)
	var typ []byte
	typ = appendMessage(typ, 1, tensor)
	var b []byte
	b = appendString(b, 1, v.Name)
	return appendMessage(b, 2, typ)
}

// appendInt writes a varint field, leaving out a zero as proto does.
func appendInt(b []byte, num protowire.Number, v int64) []byte {
	if v == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, uint64(v))
}

// appendString writes a string field, leaving out an empty one.
func appendString(b []byte, num protowire.Number, s string) []byte {
	if s == "" {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

func appendMessage(b []byte, num protowire.Number, msg []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, msg)
}
