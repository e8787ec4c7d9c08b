package convert

import (
	"fmt"

	flatbuffers "github.com/google/flatbuffers/go"

	"github.com/carrierarcade/kiosk/model/tflite"
)

// sparsity is a TFLite tensor's SparsityParameters in plain Go: the dense
// tensor's dimensions (and block dimensions) in traversal order, each dense
// with its size or compressed (CSR) with its segments and indices.
type sparsity struct {
	traversal []int
	blockMap  []int
	dims      []sparseDim
}

type sparseDim struct {
	dense    bool
	size     int   // a dense dimension's size
	segments []int // a compressed dimension's CSR row pointers
	indices  []int // and its column indices
}

func readSparsity(sp *tflite.SparsityParameters) *sparsity {
	s := &sparsity{}
	for i := 0; i < sp.TraversalOrderLength(); i++ {
		s.traversal = append(s.traversal, int(sp.TraversalOrder(i)))
	}
	for i := 0; i < sp.BlockMapLength(); i++ {
		s.blockMap = append(s.blockMap, int(sp.BlockMap(i)))
	}
	var dm tflite.DimensionMetadata
	for i := 0; i < sp.DimMetadataLength(); i++ {
		sp.DimMetadata(&dm, i)
		d := sparseDim{dense: dm.Format() == tflite.DimensionTypeDENSE, size: int(dm.DenseSize())}
		if !d.dense {
			d.segments = indexVector(&dm, dm.ArraySegmentsType(), true)
			d.indices = indexVector(&dm, dm.ArrayIndicesType(), false)
		}
		s.dims = append(s.dims, d)
	}
	return s
}

// indexVector reads one of a dimension's index arrays, whatever its width.
func indexVector(dm *tflite.DimensionMetadata, typ tflite.SparseIndexVector, segments bool) []int {
	var tab flatbuffers.Table
	ok := false
	if segments {
		ok = dm.ArraySegments(&tab)
	} else {
		ok = dm.ArrayIndices(&tab)
	}
	if !ok {
		return nil
	}
	var out []int
	switch typ {
	case tflite.SparseIndexVectorInt32Vector:
		v := new(tflite.Int32Vector)
		v.Init(tab.Bytes, tab.Pos)
		for i := 0; i < v.ValuesLength(); i++ {
			out = append(out, int(v.Values(i)))
		}
	case tflite.SparseIndexVectorUint16Vector:
		v := new(tflite.Uint16Vector)
		v.Init(tab.Bytes, tab.Pos)
		for i := 0; i < v.ValuesLength(); i++ {
			out = append(out, int(v.Values(i)))
		}
	case tflite.SparseIndexVectorUint8Vector:
		v := new(tflite.Uint8Vector)
		v.Init(tab.Bytes, tab.Pos)
		for i := 0; i < v.ValuesLength(); i++ {
			out = append(out, int(v.Values(i)))
		}
	}
	return out
}

// check tells whether the metadata fits a dense tensor of shape, so that
// densify never indexes out of range.
func (s *sparsity) check(shape []int) error {
	n := len(shape)
	if len(s.traversal) < n || len(s.traversal) != n+len(s.blockMap) || len(s.dims) != len(s.traversal) {
		return fmt.Errorf("sparsity of %d traversal dimensions, %d block dimensions and %d dimension records does not fit a tensor of rank %d", len(s.traversal), len(s.blockMap), len(s.dims), n)
	}
	seen := make([]bool, len(s.traversal))
	for _, d := range s.traversal {
		if d < 0 || d >= len(seen) || seen[d] {
			return fmt.Errorf("traversal order %v is not a permutation", s.traversal)
		}
		seen[d] = true
	}
	for _, d := range s.blockMap {
		if d < 0 || d >= n {
			return fmt.Errorf("block map %v names a dimension the tensor lacks", s.blockMap)
		}
	}
	return nil
}

// blockSizes are the sizes of the block dimensions, as TFLite's format
// converter reads them: the dense sizes of the records after the first n.
func (s *sparsity) blockSizes(n int) []int {
	b := make([]int, len(s.blockMap))
	for i := range b {
		b[i] = s.dims[n+i].size
	}
	return b
}

// stored counts the values the sparse tensor stores (its buffer's length
// in elements), checking every index array on the way.
func (s *sparsity) stored(shape []int) (int, error) {
	if err := s.check(shape); err != nil {
		return 0, err
	}
	count := 0
	err := s.walk(shape, func([]int) { count++ })
	return count, err
}

// walk visits the stored values in storage order with each one's index in
// the dense tensor of shape (row-major), as TFLite's FormatConverter does
// when it densifies.
func (s *sparsity) walk(shape []int, visit func(idx []int)) error {
	n := len(shape)
	bs := s.blockSizes(n)
	idx := make([]int, len(s.traversal))
	orig := make([]int, n)
	var level func(l, prev int) error
	level = func(l, prev int) error {
		if l == len(idx) {
			for i := 0; i < n; i++ {
				orig[s.traversal[i]] = idx[i]
			}
			for i := n; i < len(idx); i++ {
				b := s.traversal[i] - n
				if b < 0 || b >= len(bs) {
					return fmt.Errorf("traversal order %v mixes tensor and block dimensions", s.traversal)
				}
				d := s.blockMap[b]
				orig[d] = orig[d]*bs[b] + idx[i]
			}
			for d, v := range orig {
				if v < 0 || v >= shape[d] {
					return fmt.Errorf("a stored value lies at %v, outside the shape %v", orig, shape)
				}
			}
			visit(orig)
			return nil
		}
		d := s.dims[l]
		if d.dense {
			if d.size < 0 || d.size > 1<<24 {
				return fmt.Errorf("dense dimension of size %d", d.size)
			}
			for i := 0; i < d.size; i++ {
				idx[l] = i
				if err := level(l+1, prev*d.size+i); err != nil {
					return err
				}
			}
			return nil
		}
		if prev+1 >= len(d.segments) {
			return fmt.Errorf("compressed dimension %d has %d segments, too few", l, len(d.segments))
		}
		lo, hi := d.segments[prev], d.segments[prev+1]
		if lo < 0 || hi < lo || hi > len(d.indices) {
			return fmt.Errorf("compressed dimension %d: segment %d..%d outside its %d indices", l, lo, hi, len(d.indices))
		}
		for i := lo; i < hi; i++ {
			idx[l] = d.indices[i]
			if err := level(l+1, i); err != nil {
				return err
			}
		}
		return nil
	}
	return level(0, 0)
}

// densify expands a sparse constant into its dense bytes (same type).
func densify(t *tensor) ([]byte, error) {
	es := elemSize(t.typ)
	out := make([]byte, numel(t.shape)*es)
	strides := make([]int, len(t.shape))
	acc := 1
	for d := len(t.shape) - 1; d >= 0; d-- {
		strides[d] = acc
		acc *= t.shape[d]
	}
	src := 0
	err := t.sparsity.walk(t.shape, func(idx []int) {
		at := 0
		for d, v := range idx {
			at += v * strides[d]
		}
		copy(out[at*es:(at+1)*es], t.data[src*es:(src+1)*es])
		src++
	})
	return out, err
}
