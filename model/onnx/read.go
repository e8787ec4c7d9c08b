package onnx

import (
	"errors"
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

// Header is what ReadHeader finds at a model file's top level: who wrote
// it and its metadata_props.
type Header struct {
	ProducerName    string
	ProducerVersion string
	Metadata        []Entry
}

// Get is the value of the metadata key, or "".
func (h Header) Get(key string) string {
	for _, e := range h.Metadata {
		if e.Key == key {
			return e.Value
		}
	}
	return ""
}

// ReadHeader reads the producer and the metadata of an ONNX file's bytes,
// skipping the graph. It is pure Go, so 'kiosk models list' can say where
// a model came from even when ONNX Runtime cannot load it.
func ReadHeader(data []byte) (Header, error) {
	var h Header
	for len(data) > 0 {
		num, typ, n := protowire.ConsumeTag(data)
		if n < 0 {
			return h, errNotONNX
		}
		data = data[n:]
		if typ != protowire.BytesType {
			if n = protowire.ConsumeFieldValue(num, typ, data); n < 0 {
				return h, errNotONNX
			}
			data = data[n:]
			continue
		}
		v, n := protowire.ConsumeBytes(data)
		if n < 0 {
			return h, errNotONNX
		}
		data = data[n:]
		switch num {
		case 2:
			h.ProducerName = string(v)
		case 3:
			h.ProducerVersion = string(v)
		case 14:
			e, err := readEntry(v)
			if err != nil {
				return h, err
			}
			h.Metadata = append(h.Metadata, e)
		}
	}
	return h, nil
}

var errNotONNX = errors.New("not an ONNX model (its bytes are not a protocol buffer)")

func readEntry(data []byte) (Entry, error) {
	var e Entry
	for len(data) > 0 {
		num, typ, n := protowire.ConsumeTag(data)
		if n < 0 {
			return e, errNotONNX
		}
		data = data[n:]
		if typ != protowire.BytesType {
			return e, fmt.Errorf("%w: metadata entry field %d is not a string", errNotONNX, num)
		}
		v, n := protowire.ConsumeBytes(data)
		if n < 0 {
			return e, errNotONNX
		}
		data = data[n:]
		switch num {
		case 1:
			e.Key = string(v)
		case 2:
			e.Value = string(v)
		}
	}
	return e, nil
}
