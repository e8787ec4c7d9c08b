package convert_test

import (
	"fmt"
	"math"
	"math/rand"
	"slices"
	"testing"

	flatbuffers "github.com/google/flatbuffers/go"

	"github.com/carrierarcade/kiosk/model/convert"
	"github.com/carrierarcade/kiosk/model/tflite"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each operator the converter takes, one tiny TFLite model per case built
// here, converted, run by ONNX Runtime, and compared with the operator's
// definition computed in Go below (TFLite's reference kernels, NHWC, in
// float64). The cases cover the options and corners the real models use
// and those they might: SAME padding with its odd pixel after, strides and
// dilations, depth multipliers, all three ways RESIZE_BILINEAR places its
// pixels, channel padding, broadcasting constants, reshapes that move
// elements between layouts.

// shape4 is an NHWC shape.
type shape4 [4]int

func (s shape4) n() int { return s[0] * s[1] * s[2] * s[3] }
func (s shape4) at(b, y, x, c int) int {
	return ((b*s[1]+y)*s[2]+x)*s[3] + c
}

func random(r *rand.Rand, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = r.Float32()*2 - 1
	}
	return v
}

// nchw turns NHWC data into NCHW, as the ONNX model takes its input.
func nchw(v []float32, s shape4) []float32 {
	out := make([]float32, len(v))
	for b := 0; b < s[0]; b++ {
		for y := 0; y < s[1]; y++ {
			for x := 0; x < s[2]; x++ {
				for c := 0; c < s[3]; c++ {
					out[((b*s[3]+c)*s[1]+y)*s[2]+x] = v[s.at(b, y, x, c)]
				}
			}
		}
	}
	return out
}

func act(v float64, a tflite.ActivationFunctionType) float64 {
	switch a {
	case tflite.ActivationFunctionTypeRELU:
		return math.Max(v, 0)
	case tflite.ActivationFunctionTypeRELU6:
		return math.Min(math.Max(v, 0), 6)
	case tflite.ActivationFunctionTypeRELU_N1_TO_1:
		return math.Min(math.Max(v, -1), 1)
	case tflite.ActivationFunctionTypeTANH:
		return math.Tanh(v)
	}
	return v
}

// tfPad is TensorFlow's padding for one axis: output size and the padding
// before (SAME puts the odd one after).
func tfPad(in, k, s, d int, same bool) (out, before int) {
	ek := (k-1)*d + 1
	if !same {
		return int(math.Ceil(float64(in-ek+1) / float64(s))), 0
	}
	out = int(math.Ceil(float64(in) / float64(s)))
	total := max((out-1)*s+ek-in, 0)
	return out, total / 2
}

type window struct {
	kh, kw, sh, sw, dh, dw int
	same                   bool
	act                    tflite.ActivationFunctionType
}

// refConv is CONV_2D (w [O,KH,KW,I]) or, with depthwise, DEPTHWISE_CONV_2D
// (w [1,KH,KW,C*M]).
func refConv(src []float32, xs shape4, w []float32, ws shape4, bias []float32, win window, depthwise bool) ([]float32, shape4) {
	oh, pt := tfPad(xs[1], ws[1], win.sh, win.dh, win.same)
	ow, pl := tfPad(xs[2], ws[2], win.sw, win.dw, win.same)
	oc := ws[0]
	if depthwise {
		oc = ws[3]
	}
	os := shape4{xs[0], oh, ow, oc}
	out := make([]float32, os.n())
	for b := 0; b < xs[0]; b++ {
		for y := 0; y < oh; y++ {
			for x := 0; x < ow; x++ {
				for o := 0; o < oc; o++ {
					sum := 0.0
					if bias != nil {
						sum = float64(bias[o])
					}
					for ky := 0; ky < ws[1]; ky++ {
						for kx := 0; kx < ws[2]; kx++ {
							iy, ix := y*win.sh+ky*win.dh-pt, x*win.sw+kx*win.dw-pl
							if iy < 0 || ix < 0 || iy >= xs[1] || ix >= xs[2] {
								continue
							}
							if depthwise {
								c := o / (oc / xs[3])
								sum += float64(x_(src, xs, b, iy, ix, c)) * float64(w[ws.at(0, ky, kx, o)])
								continue
							}
							for i := 0; i < xs[3]; i++ {
								sum += float64(x_(src, xs, b, iy, ix, i)) * float64(w[ws.at(o, ky, kx, i)])
							}
						}
					}
					out[os.at(b, y, x, o)] = float32(act(sum, win.act))
				}
			}
		}
	}
	return out, os
}

func x_(v []float32, s shape4, b, y, x, c int) float32 { return v[s.at(b, y, x, c)] }

func refMaxPool(src []float32, xs shape4, win window) ([]float32, shape4) {
	oh, pt := tfPad(xs[1], win.kh, win.sh, 1, win.same)
	ow, pl := tfPad(xs[2], win.kw, win.sw, 1, win.same)
	os := shape4{xs[0], oh, ow, xs[3]}
	out := make([]float32, os.n())
	for b := 0; b < xs[0]; b++ {
		for y := 0; y < oh; y++ {
			for x := 0; x < ow; x++ {
				for c := 0; c < xs[3]; c++ {
					m := math.Inf(-1)
					for ky := 0; ky < win.kh; ky++ {
						for kx := 0; kx < win.kw; kx++ {
							iy, ix := y*win.sh+ky-pt, x*win.sw+kx-pl
							if iy >= 0 && ix >= 0 && iy < xs[1] && ix < xs[2] {
								m = math.Max(m, float64(x_(src, xs, b, iy, ix, c)))
							}
						}
					}
					out[os.at(b, y, x, c)] = float32(act(m, win.act))
				}
			}
		}
	}
	return out, os
}

// refResize is TFLite's reference ResizeBilinear.
func refResize(src []float32, xs shape4, oh, ow int, alignCorners, halfPixel bool) []float32 {
	scale := func(in, out int) float64 {
		if alignCorners && out > 1 {
			return float64(in-1) / float64(out-1)
		}
		return float64(in) / float64(out)
	}
	hs, wsc := scale(xs[1], oh), scale(xs[2], ow)
	interp := func(v float64, s float64, size int) (float64, int, int) {
		sv := v * s
		if halfPixel {
			sv = (v+0.5)*s - 0.5
		}
		lo := max(int(math.Floor(sv)), 0)
		hi := min(int(math.Ceil(sv)), size-1)
		return sv, lo, hi
	}
	os := shape4{xs[0], oh, ow, xs[3]}
	out := make([]float32, os.n())
	for b := 0; b < xs[0]; b++ {
		for y := 0; y < oh; y++ {
			iy, y0, y1 := interp(float64(y), hs, xs[1])
			for x := 0; x < ow; x++ {
				ix, x0, x1 := interp(float64(x), wsc, xs[2])
				for c := 0; c < xs[3]; c++ {
					dy, dx := iy-float64(y0), ix-float64(x0)
					v := float64(x_(src, xs, b, y0, x0, c))*(1-dy)*(1-dx) + float64(x_(src, xs, b, y1, x0, c))*dy*(1-dx) +
						float64(x_(src, xs, b, y0, x1, c))*(1-dy)*dx + float64(x_(src, xs, b, y1, x1, c))*dy*dx
					out[os.at(b, y, x, c)] = float32(v)
				}
			}
		}
	}
	return out
}

// broadcast computes an elementwise f of a and b with numpy broadcasting.
func broadcast(a []float32, as []int, b []float32, bs []int, f func(x, y float64) float64) ([]float32, []int) {
	n := max(len(as), len(bs))
	pad := func(s []int) []int { return append(slices.Repeat([]int{1}, n-len(s)), s...) }
	pa, pb := pad(as), pad(bs)
	os := make([]int, n)
	for i := range os {
		os[i] = max(pa[i], pb[i])
	}
	total := 1
	for _, d := range os {
		total *= d
	}
	out := make([]float32, total)
	idx := make([]int, n)
	flat := func(s []int) int {
		at := 0
		for i, d := range s {
			v := idx[i]
			if d == 1 {
				v = 0
			}
			at = at*d + v
		}
		return at
	}
	for o := range out {
		out[o] = float32(f(float64(a[flat(pa)]), float64(b[flat(pb)])))
		for d := n - 1; d >= 0; d-- {
			if idx[d]++; idx[d] < os[d] {
				break
			}
			idx[d] = 0
		}
	}
	return out, os
}

// opCase is one operator test: a model, its inputs (TFLite order and
// layout) and the outputs the operator's definition gives.
type opCase struct {
	name   string
	m      tfl
	inputs [][]float32
	shapes [][]int // the inputs' TFLite shapes
	want   map[string][]float32
	tol    float64
}

func in32(s []int) []int32 {
	out := make([]int32, len(s))
	for i, d := range s {
		out[i] = int32(d)
	}
	return out
}

func act4(t tensorDef) tensorDef { t.typ = tflite.TensorTypeFLOAT32; return t }

// single builds a model of one operator: computed inputs (ins), constant
// inputs (consts, placed after), one output.
func single(code tflite.BuiltinOperator, optType tflite.BuiltinOptions, opts func(*flatbuffers.Builder) flatbuffers.UOffsetT,
	ins [][]int, consts []tensorDef, out []int) tfl {
	var m tfl
	var opIn []int32
	for i, s := range ins {
		m.tensors = append(m.tensors, act4(tensorDef{name: fmt.Sprintf("in%d", i), shape: in32(s)}))
		m.inputs = append(m.inputs, int32(i))
		opIn = append(opIn, int32(i))
	}
	for _, c := range consts {
		if c.typ == 0 && c.data == nil {
			opIn = append(opIn, -1)
			continue
		}
		opIn = append(opIn, int32(len(m.tensors)))
		m.tensors = append(m.tensors, c)
	}
	outIdx := int32(len(m.tensors))
	m.tensors = append(m.tensors, act4(tensorDef{name: "out", shape: in32(out)}))
	m.outputs = []int32{outIdx}
	m.ops = []opDef{{code: code, in: opIn, out: []int32{outIdx}, optType: optType, opts: opts}}
	return m
}

func fconst(name string, shape []int, v []float32) tensorDef {
	return tensorDef{name: name, shape: in32(shape), typ: tflite.TensorTypeFLOAT32, data: f32bytes(v)}
}

func iconst(name string, v ...int32) tensorDef {
	return tensorDef{name: name, shape: []int32{int32(len(v))}, typ: tflite.TensorTypeINT32, data: i32bytes(v)}
}

func convOpts(w window) func(*flatbuffers.Builder) flatbuffers.UOffsetT {
	return func(b *flatbuffers.Builder) flatbuffers.UOffsetT {
		tflite.Conv2DOptionsStart(b)
		tflite.Conv2DOptionsAddPadding(b, padding(w.same))
		tflite.Conv2DOptionsAddStrideH(b, int32(w.sh))
		tflite.Conv2DOptionsAddStrideW(b, int32(w.sw))
		tflite.Conv2DOptionsAddDilationHFactor(b, int32(w.dh))
		tflite.Conv2DOptionsAddDilationWFactor(b, int32(w.dw))
		tflite.Conv2DOptionsAddFusedActivationFunction(b, w.act)
		return tflite.Conv2DOptionsEnd(b)
	}
}

func depthwiseOpts(w window, mult int) func(*flatbuffers.Builder) flatbuffers.UOffsetT {
	return func(b *flatbuffers.Builder) flatbuffers.UOffsetT {
		tflite.DepthwiseConv2DOptionsStart(b)
		tflite.DepthwiseConv2DOptionsAddPadding(b, padding(w.same))
		tflite.DepthwiseConv2DOptionsAddStrideH(b, int32(w.sh))
		tflite.DepthwiseConv2DOptionsAddStrideW(b, int32(w.sw))
		tflite.DepthwiseConv2DOptionsAddDilationHFactor(b, int32(w.dh))
		tflite.DepthwiseConv2DOptionsAddDilationWFactor(b, int32(w.dw))
		tflite.DepthwiseConv2DOptionsAddDepthMultiplier(b, int32(mult))
		tflite.DepthwiseConv2DOptionsAddFusedActivationFunction(b, w.act)
		return tflite.DepthwiseConv2DOptionsEnd(b)
	}
}

func poolOpts(w window) func(*flatbuffers.Builder) flatbuffers.UOffsetT {
	return func(b *flatbuffers.Builder) flatbuffers.UOffsetT {
		tflite.Pool2DOptionsStart(b)
		tflite.Pool2DOptionsAddPadding(b, padding(w.same))
		tflite.Pool2DOptionsAddStrideH(b, int32(w.sh))
		tflite.Pool2DOptionsAddStrideW(b, int32(w.sw))
		tflite.Pool2DOptionsAddFilterHeight(b, int32(w.kh))
		tflite.Pool2DOptionsAddFilterWidth(b, int32(w.kw))
		tflite.Pool2DOptionsAddFusedActivationFunction(b, w.act)
		return tflite.Pool2DOptionsEnd(b)
	}
}

func padding(same bool) tflite.Padding {
	if same {
		return tflite.PaddingSAME
	}
	return tflite.PaddingVALID
}

func addOpts(a tflite.ActivationFunctionType) func(*flatbuffers.Builder) flatbuffers.UOffsetT {
	return func(b *flatbuffers.Builder) flatbuffers.UOffsetT {
		tflite.AddOptionsStart(b)
		tflite.AddOptionsAddFusedActivationFunction(b, a)
		return tflite.AddOptionsEnd(b)
	}
}

func convCase(r *rand.Rand, name string, xs, ws shape4, win window, withBias, depthwise bool) opCase {
	x := random(r, xs.n())
	w := random(r, ws.n())
	var bias []float32
	consts := []tensorDef{fconst("filter", ws[:], w)}
	oc := ws[0]
	if depthwise {
		oc = ws[3]
	}
	if withBias {
		bias = random(r, oc)
		consts = append(consts, fconst("bias", []int{oc}, bias))
	} else {
		consts = append(consts, tensorDef{}) // an optional input left out: -1
	}
	want, os := refConv(x, xs, w, ws, bias, win, depthwise)
	var m tfl
	if depthwise {
		m = single(tflite.BuiltinOperatorDEPTHWISE_CONV_2D, tflite.BuiltinOptionsDepthwiseConv2DOptions, depthwiseOpts(win, ws[3]/xs[3]), [][]int{xs[:]}, consts, os[:])
	} else {
		m = single(tflite.BuiltinOperatorCONV_2D, tflite.BuiltinOptionsConv2DOptions, convOpts(win), [][]int{xs[:]}, consts, os[:])
	}
	return opCase{name: name, m: m, inputs: [][]float32{x}, shapes: [][]int{xs[:]}, want: map[string][]float32{"out": want}}
}

func resizeCase(r *rand.Rand, name string, xs shape4, oh, ow int, ac, hpc bool) opCase {
	x := random(r, xs.n())
	opts := func(b *flatbuffers.Builder) flatbuffers.UOffsetT {
		tflite.ResizeBilinearOptionsStart(b)
		tflite.ResizeBilinearOptionsAddAlignCorners(b, ac)
		tflite.ResizeBilinearOptionsAddHalfPixelCenters(b, hpc)
		return tflite.ResizeBilinearOptionsEnd(b)
	}
	m := single(tflite.BuiltinOperatorRESIZE_BILINEAR, tflite.BuiltinOptionsResizeBilinearOptions, opts,
		[][]int{xs[:]}, []tensorDef{iconst("size", int32(oh), int32(ow))}, []int{xs[0], oh, ow, xs[3]})
	return opCase{name: name, m: m, inputs: [][]float32{x}, shapes: [][]int{xs[:]}, want: map[string][]float32{"out": refResize(x, xs, oh, ow, ac, hpc)}}
}

func addCase(r *rand.Rand, name string, as, bs []int, bConst bool, a tflite.ActivationFunctionType) opCase {
	x := random(r, prod(as))
	y := random(r, prod(bs))
	want, os := broadcast(x, as, y, bs, func(p, q float64) float64 { return act(p+q, a) })
	ins, consts := [][]int{as}, []tensorDef{fconst("b", bs, y)}
	inputs, shapes := [][]float32{x}, [][]int{as}
	if !bConst {
		ins, consts = [][]int{as, bs}, nil
		inputs, shapes = [][]float32{x, y}, [][]int{as, bs}
	}
	m := single(tflite.BuiltinOperatorADD, tflite.BuiltinOptionsAddOptions, addOpts(a), ins, consts, os)
	return opCase{name: name, m: m, inputs: inputs, shapes: shapes, want: map[string][]float32{"out": want}}
}

func prod(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

func padCase(r *rand.Rand, name string, xs []int, pads []int32) opCase {
	x := random(r, prod(xs))
	os := make([]int, len(xs))
	for i := range xs {
		os[i] = xs[i] + int(pads[2*i]+pads[2*i+1])
	}
	want := make([]float32, prod(os))
	idx := make([]int, len(xs))
	for i := range x {
		at := 0
		for d := range xs {
			at = at*os[d] + idx[d] + int(pads[2*d])
		}
		want[at] = x[i]
		for d := len(xs) - 1; d >= 0; d-- {
			if idx[d]++; idx[d] < xs[d] {
				break
			}
			idx[d] = 0
		}
	}
	pt := tensorDef{name: "paddings", shape: []int32{int32(len(xs)), 2}, typ: tflite.TensorTypeINT32, data: i32bytes(pads)}
	m := single(tflite.BuiltinOperatorPAD, tflite.BuiltinOptionsNONE, nil, [][]int{xs}, []tensorDef{pt}, os)
	return opCase{name: name, m: m, inputs: [][]float32{x}, shapes: [][]int{xs}, want: map[string][]float32{"out": want}}
}

func reshapeCase(r *rand.Rand, name string, xs, os []int) opCase {
	x := random(r, prod(xs))
	m := single(tflite.BuiltinOperatorRESHAPE, tflite.BuiltinOptionsNONE, nil, [][]int{xs}, []tensorDef{iconst("shape", in32(os)...)}, os)
	return opCase{name: name, m: m, inputs: [][]float32{x}, shapes: [][]int{xs}, want: map[string][]float32{"out": x}}
}

func concatCase(r *rand.Rand, name string, shapes [][]int, axis int, a tflite.ActivationFunctionType) opCase {
	rank := len(shapes[0])
	ax := axis
	if ax < 0 {
		ax += rank
	}
	var inputs [][]float32
	os := slices.Clone(shapes[0])
	os[ax] = 0
	for _, s := range shapes {
		inputs = append(inputs, random(r, prod(s)))
		os[ax] += s[ax]
	}
	// outer: the product of dims before the axis; each input adds its
	// block of s[ax]*inner per outer index.
	outer := prod(os[:ax])
	var want []float32
	for o := 0; o < outer; o++ {
		for k, s := range shapes {
			blk := prod(s[ax:])
			for _, v := range inputs[k][o*blk : (o+1)*blk] {
				want = append(want, float32(act(float64(v), a)))
			}
		}
	}
	opts := func(b *flatbuffers.Builder) flatbuffers.UOffsetT {
		tflite.ConcatenationOptionsStart(b)
		tflite.ConcatenationOptionsAddAxis(b, int32(axis))
		tflite.ConcatenationOptionsAddFusedActivationFunction(b, a)
		return tflite.ConcatenationOptionsEnd(b)
	}
	m := single(tflite.BuiltinOperatorCONCATENATION, tflite.BuiltinOptionsConcatenationOptions, opts, shapes, nil, os)
	return opCase{name: name, m: m, inputs: inputs, shapes: shapes, want: map[string][]float32{"out": want}}
}

func meanCase(r *rand.Rand, name string, xs []int, axes []int32, keep bool) opCase {
	x := random(r, prod(xs))
	reduced := make([]bool, len(xs))
	for _, a := range axes {
		reduced[(int(a)+len(xs))%len(xs)] = true
	}
	var os, kept []int
	for d, n := range xs {
		if !reduced[d] {
			os, kept = append(os, n), append(kept, n)
		} else if keep {
			os = append(os, 1)
		}
	}
	sums := make([]float64, max(prod(kept), 1))
	idx := make([]int, len(xs))
	count := 0.0
	for i := range x {
		at := 0
		for d := range xs {
			if !reduced[d] {
				at = at*xs[d] + idx[d]
			}
		}
		sums[at] += float64(x[i])
		for d := len(xs) - 1; d >= 0; d-- {
			if idx[d]++; idx[d] < xs[d] {
				break
			}
			idx[d] = 0
		}
	}
	count = float64(len(x)) / float64(len(sums))
	want := make([]float32, len(sums))
	for i, s := range sums {
		want[i] = float32(s / count)
	}
	opts := func(b *flatbuffers.Builder) flatbuffers.UOffsetT {
		tflite.ReducerOptionsStart(b)
		tflite.ReducerOptionsAddKeepDims(b, keep)
		return tflite.ReducerOptionsEnd(b)
	}
	m := single(tflite.BuiltinOperatorMEAN, tflite.BuiltinOptionsReducerOptions, opts, [][]int{xs}, []tensorDef{iconst("axes", axes...)}, os)
	return opCase{name: name, m: m, inputs: [][]float32{x}, shapes: [][]int{xs}, want: map[string][]float32{"out": want}}
}

func fcCase(r *rand.Rand, name string, xs []int, units int, keep bool, a tflite.ActivationFunctionType) opCase {
	depth := xs[len(xs)-1]
	if !keep && len(xs) == 4 {
		depth = prod(xs[1:]) // flattened per batch, as the real models' last layers
	}
	x := random(r, prod(xs))
	w := random(r, units*depth)
	bias := random(r, units)
	rows := len(x) / depth
	want := make([]float32, rows*units)
	for row := 0; row < rows; row++ {
		for u := 0; u < units; u++ {
			s := float64(bias[u])
			for k := 0; k < depth; k++ {
				s += float64(x[row*depth+k]) * float64(w[u*depth+k])
			}
			want[row*units+u] = float32(act(s, a))
		}
	}
	os := []int{rows, units}
	if keep {
		os = append(slices.Clone(xs[:len(xs)-1]), units)
	}
	opts := func(b *flatbuffers.Builder) flatbuffers.UOffsetT {
		tflite.FullyConnectedOptionsStart(b)
		tflite.FullyConnectedOptionsAddFusedActivationFunction(b, a)
		tflite.FullyConnectedOptionsAddKeepNumDims(b, keep)
		return tflite.FullyConnectedOptionsEnd(b)
	}
	m := single(tflite.BuiltinOperatorFULLY_CONNECTED, tflite.BuiltinOptionsFullyConnectedOptions, opts, [][]int{xs},
		[]tensorDef{fconst("weights", []int{units, depth}, w), fconst("bias", []int{units}, bias)}, os)
	return opCase{name: name, m: m, inputs: [][]float32{x}, shapes: [][]int{xs}, want: map[string][]float32{"out": want}}
}

func opCases() []opCase {
	r := rand.New(rand.NewSource(21))
	relu6, relu, none := tflite.ActivationFunctionTypeRELU6, tflite.ActivationFunctionTypeRELU, tflite.ActivationFunctionTypeNONE
	cases := []opCase{
		convCase(r, "conv 3x3 same, bias, relu6", shape4{1, 5, 6, 3}, shape4{4, 3, 3, 3}, window{sh: 1, sw: 1, dh: 1, dw: 1, same: true, act: relu6}, true, false),
		convCase(r, "conv 3x3 same stride 2 on an even size: the odd padding pixel after", shape4{1, 6, 6, 2}, shape4{3, 3, 3, 2}, window{sh: 2, sw: 2, dh: 1, dw: 1, same: true}, true, false),
		convCase(r, "conv 2x2 same stride 2: padding after only", shape4{1, 5, 7, 2}, shape4{2, 2, 2, 2}, window{sh: 2, sw: 2, dh: 1, dw: 1, same: true}, true, false),
		convCase(r, "conv 3x3 valid stride 2 dilation 2, no bias, relu", shape4{1, 9, 8, 2}, shape4{3, 3, 3, 2}, window{sh: 2, sw: 1, dh: 2, dw: 2, act: relu}, false, false),
		convCase(r, "conv 1x1, batch 2", shape4{2, 3, 4, 5}, shape4{6, 1, 1, 5}, window{sh: 1, sw: 1, dh: 1, dw: 1, same: true}, true, false),
		convCase(r, "depthwise 3x3 same, multiplier 2, relu6", shape4{1, 5, 5, 3}, shape4{1, 3, 3, 6}, window{sh: 1, sw: 1, dh: 1, dw: 1, same: true, act: relu6}, true, true),
		convCase(r, "depthwise 5x5 same stride 2", shape4{1, 8, 8, 4}, shape4{1, 5, 5, 4}, window{sh: 2, sw: 2, dh: 1, dw: 1, same: true}, true, true),
		convCase(r, "depthwise 3x3 valid stride 2", shape4{1, 7, 9, 2}, shape4{1, 3, 3, 2}, window{sh: 2, sw: 2, dh: 1, dw: 1}, true, true),
		resizeCase(r, "resize x2 half pixel centres", shape4{1, 3, 4, 2}, 6, 8, false, true),
		resizeCase(r, "resize down 5 to 3 half pixel centres", shape4{1, 5, 5, 1}, 3, 3, false, true),
		resizeCase(r, "resize 3 to 7 align corners", shape4{1, 3, 3, 2}, 7, 7, true, false),
		resizeCase(r, "resize to one pixel align corners", shape4{1, 4, 3, 1}, 1, 1, true, false),
		resizeCase(r, "resize 3 to 8 asymmetric (neither)", shape4{1, 3, 3, 2}, 8, 5, false, false),
		resizeCase(r, "resize by 7/3 half pixel centres", shape4{1, 3, 3, 1}, 7, 7, false, true),
		addCase(r, "add same shape relu6", []int{1, 3, 4, 5}, []int{1, 3, 4, 5}, false, relu6),
		addCase(r, "add a constant per channel [C]", []int{1, 3, 4, 5}, []int{5}, true, none),
		addCase(r, "add a constant [1,1,1,C]", []int{1, 3, 4, 5}, []int{1, 1, 1, 5}, true, relu),
		addCase(r, "add a computed [1,1,W,C] to [1,H,W,C]", []int{1, 3, 4, 5}, []int{1, 1, 4, 5}, false, none),
		addCase(r, "add rank 3", []int{1, 6, 3}, []int{1, 6, 3}, false, none),
		padCase(r, "pad height and width unevenly", []int{1, 3, 4, 2}, []int32{0, 0, 0, 1, 2, 0, 0, 0}),
		padCase(r, "pad channels, as the palm model does", []int{1, 3, 3, 4}, []int32{0, 0, 0, 0, 0, 0, 0, 3}),
		padCase(r, "pad every axis", []int{1, 2, 2, 2}, []int32{1, 0, 1, 2, 0, 1, 2, 1}),
		padCase(r, "pad rank 2", []int{3, 4}, []int32{1, 0, 0, 2}),
		reshapeCase(r, "reshape [1,2,3,4] to [1,24]: TFLite's order", []int{1, 2, 3, 4}, []int{1, 24}),
		reshapeCase(r, "reshape [1,4,6] to [1,2,3,4]", []int{1, 4, 6}, []int{1, 2, 3, 4}),
		reshapeCase(r, "reshape [1,28,28,2] to [1,1568,1], as the pose detector's head", []int{1, 28, 28, 2}, []int{1, 1568, 1}),
		reshapeCase(r, "reshape [1,1,1,5] to [1,5]", []int{1, 1, 1, 5}, []int{1, 5}),
		reshapeCase(r, "reshape [1,2,2,3] to [1,3,2,2]", []int{1, 2, 2, 3}, []int{1, 3, 2, 2}),
		concatCase(r, "concat channels relu", [][]int{{1, 2, 3, 2}, {1, 2, 3, 3}}, 3, relu),
		concatCase(r, "concat axis -1", [][]int{{1, 2, 2, 1}, {1, 2, 2, 2}, {1, 2, 2, 1}}, -1, none),
		concatCase(r, "concat height", [][]int{{1, 2, 3, 2}, {1, 1, 3, 2}}, 1, none),
		concatCase(r, "concat rank 3 axis 1, as the detectors' outputs", [][]int{{1, 5, 3}, {1, 2, 3}, {1, 4, 3}}, 1, none),
		meanCase(r, "mean height and width", []int{1, 3, 4, 5}, []int32{1, 2}, false),
		meanCase(r, "mean height and width, kept", []int{1, 3, 4, 5}, []int32{1, 2}, true),
		meanCase(r, "mean height only: [N,W,C] in TFLite's order", []int{2, 3, 4, 5}, []int32{1}, false),
		meanCase(r, "mean rank 2", []int{3, 4}, []int32{-1}, false),
		fcCase(r, "fully connected [1,C]", []int{1, 12}, 5, false, none),
		fcCase(r, "fully connected relu", []int{2, 7}, 3, false, relu),
		fcCase(r, "fully connected flattening [1,2,2,3] in TFLite's order", []int{1, 2, 2, 3}, 4, false, none),
		fcCase(r, "fully connected keep_num_dims rank 3", []int{1, 2, 6}, 4, true, relu6),
	}
	// PRELU: alpha broadcast over the channels, as the palm model's [1,1,C].
	for _, as := range [][]int{{1, 1, 4}, {4}, {3, 5, 4}} {
		xs := []int{1, 3, 5, 4}
		x, alpha := random(r, prod(xs)), random(r, prod(as))
		want, _ := broadcast(x, xs, alpha, as, func(v, a float64) float64 {
			if v >= 0 {
				return v
			}
			return a * v
		})
		cases = append(cases, opCase{name: fmt.Sprintf("prelu alpha %v", as), inputs: [][]float32{x}, shapes: [][]int{xs},
			m:    single(tflite.BuiltinOperatorPRELU, tflite.BuiltinOptionsNONE, nil, [][]int{xs}, []tensorDef{fconst("alpha", as, alpha)}, xs),
			want: map[string][]float32{"out": want}})
	}
	for _, xs := range [][]int{{1, 2, 3, 4}, {1, 1}} {
		x := random(r, prod(xs))
		for i := range x {
			x[i] *= 8
		}
		want := make([]float32, len(x))
		for i, v := range x {
			want[i] = float32(1 / (1 + math.Exp(-float64(v))))
		}
		cases = append(cases, opCase{name: fmt.Sprintf("logistic %v", xs), inputs: [][]float32{x}, shapes: [][]int{xs},
			m: single(tflite.BuiltinOperatorLOGISTIC, tflite.BuiltinOptionsNONE, nil, [][]int{xs}, nil, xs), want: map[string][]float32{"out": want}})
	}
	{
		xs := shape4{1, 2, 3, 8}
		x := random(r, xs.n())
		os := shape4{1, 4, 6, 2}
		want := make([]float32, os.n())
		for y := 0; y < 4; y++ {
			for xx := 0; xx < 6; xx++ {
				for c := 0; c < 2; c++ {
					want[os.at(0, y, xx, c)] = x[xs.at(0, y/2, xx/2, ((y%2)*2+xx%2)*2+c)]
				}
			}
		}
		opts := func(b *flatbuffers.Builder) flatbuffers.UOffsetT {
			tflite.DepthToSpaceOptionsStart(b)
			tflite.DepthToSpaceOptionsAddBlockSize(b, 2)
			return tflite.DepthToSpaceOptionsEnd(b)
		}
		cases = append(cases, opCase{name: "depth to space, block 2", inputs: [][]float32{x}, shapes: [][]int{xs[:]},
			m: single(tflite.BuiltinOperatorDEPTH_TO_SPACE, tflite.BuiltinOptionsDepthToSpaceOptions, opts, [][]int{xs[:]}, nil, os[:]), want: map[string][]float32{"out": want}})
	}
	for _, w := range []window{{kh: 2, kw: 2, sh: 2, sw: 2, same: true}, {kh: 3, kw: 3, sh: 2, sw: 2, same: true, act: relu}, {kh: 3, kw: 2, sh: 2, sw: 1}} {
		xs := shape4{1, 5, 7, 3}
		x := random(r, xs.n())
		want, os := refMaxPool(x, xs, w)
		cases = append(cases, opCase{name: fmt.Sprintf("max pool %dx%d stride %d,%d same=%v", w.kh, w.kw, w.sh, w.sw, w.same), inputs: [][]float32{x}, shapes: [][]int{xs[:]},
			m: single(tflite.BuiltinOperatorMAX_POOL_2D, tflite.BuiltinOptionsPool2DOptions, poolOpts(w), [][]int{xs[:]}, nil, os[:]), want: map[string][]float32{"out": want}})
	}
	return append(cases, foldCases(r)...)
}

// half is the float16 encoding of v (round to nearest even), for weights.
func half(v float32) uint16 {
	b := math.Float32bits(v)
	sign := uint16(b>>16) & 0x8000
	exp := int(b>>23&0xff) - 127 + 15
	frac := b & 0x7fffff
	switch {
	case exp >= 31:
		return sign | 0x7c00
	case exp <= 0:
		if exp < -10 {
			return sign
		}
		frac |= 0x800000
		shift := uint(14 - exp)
		h := frac >> shift
		if rem := frac & (1<<shift - 1); rem > 1<<(shift-1) || rem == 1<<(shift-1) && h&1 == 1 {
			h++
		}
		return sign | uint16(h)
	}
	h := uint32(exp)<<10 | frac>>13
	if rem := frac & 0x1fff; rem > 0x1000 || rem == 0x1000 && h&1 == 1 {
		h++
	}
	return sign | uint16(h)
}

// fromHalf is the exact value of a float16, the reference for DEQUANTIZE.
func fromHalf(h uint16) float32 {
	e := int(h >> 10 & 0x1f)
	f := float64(h & 0x3ff)
	var v float64
	switch e {
	case 0:
		v = f * math.Pow(2, -24)
	case 31:
		v = math.Inf(1)
	default:
		v = (1 + f/1024) * math.Pow(2, float64(e-15))
	}
	if h&0x8000 != 0 {
		v = -v
	}
	return float32(v)
}

// foldCases are DEQUANTIZE of float16 weights and DENSIFY of sparse ones,
// each feeding a convolution as in the real models.
func foldCases(r *rand.Rand) []opCase {
	xs, ws := shape4{1, 3, 3, 4}, shape4{2, 1, 1, 4}
	x := random(r, xs.n())
	// Weights with float16's corners: a subnormal, the largest, zero,
	// negative zero, and ordinary values.
	dense := []float32{6e-8, -1.5, 0, 0.333, 65504 / 65536.0, -0.0, 0.1, -2.75}
	h := make([]byte, 2*len(dense))
	exact := make([]float32, len(dense))
	for i, v := range dense {
		hv := half(v)
		h[2*i], h[2*i+1] = byte(hv), byte(hv>>8)
		exact[i] = fromHalf(hv)
	}
	want, os := refConv(x, xs, exact, ws, nil, window{sh: 1, sw: 1, dh: 1, dw: 1, same: true}, false)
	conv := func(m *tfl, weights int32) {
		out := int32(len(m.tensors))
		m.tensors = append(m.tensors, act4(tensorDef{name: "out", shape: in32(os[:])}))
		m.outputs = []int32{out}
		m.ops = append(m.ops, opDef{code: tflite.BuiltinOperatorCONV_2D, in: []int32{0, weights, -1}, out: []int32{out},
			optType: tflite.BuiltinOptionsConv2DOptions, opts: convOpts(window{sh: 1, sw: 1, dh: 1, dw: 1, same: true})})
	}
	deq := tfl{inputs: []int32{0}, tensors: []tensorDef{
		act4(tensorDef{name: "in", shape: in32(xs[:])}),
		{name: "w16", shape: in32(ws[:]), typ: tflite.TensorTypeFLOAT16, data: h},
		act4(tensorDef{name: "w32", shape: in32(ws[:])}),
	}, ops: []opDef{{code: tflite.BuiltinOperatorDEQUANTIZE, in: []int32{1}, out: []int32{2}}}}
	conv(&deq, 2)

	// The same weights sparse, as the pose detector stores them: three
	// dense dimensions and the last compressed (CSR), zeros left out.
	var values []byte
	var segments, indices []uint8
	segments = append(segments, 0)
	for o := 0; o < ws[0]; o++ {
		for i := 0; i < ws[3]; i++ {
			k := o*ws[3] + i
			if dense[k] == 0 {
				continue
			}
			values = append(values, h[2*k], h[2*k+1])
			indices = append(indices, uint8(i))
		}
		segments = append(segments, uint8(len(indices)))
	}
	sparsity := func(b *flatbuffers.Builder) flatbuffers.UOffsetT {
		u8 := func(v []uint8) flatbuffers.UOffsetT {
			vec := b.CreateByteVector(v)
			tflite.Uint8VectorStart(b)
			tflite.Uint8VectorAddValues(b, vec)
			return tflite.Uint8VectorEnd(b)
		}
		seg, idx := u8(segments), u8(indices)
		dims := make([]flatbuffers.UOffsetT, 4)
		for d := 0; d < 3; d++ {
			tflite.DimensionMetadataStart(b)
			tflite.DimensionMetadataAddFormat(b, tflite.DimensionTypeDENSE)
			tflite.DimensionMetadataAddDenseSize(b, int32(ws[d]))
			dims[d] = tflite.DimensionMetadataEnd(b)
		}
		tflite.DimensionMetadataStart(b)
		tflite.DimensionMetadataAddFormat(b, tflite.DimensionTypeSPARSE_CSR)
		tflite.DimensionMetadataAddArraySegmentsType(b, tflite.SparseIndexVectorUint8Vector)
		tflite.DimensionMetadataAddArraySegments(b, seg)
		tflite.DimensionMetadataAddArrayIndicesType(b, tflite.SparseIndexVectorUint8Vector)
		tflite.DimensionMetadataAddArrayIndices(b, idx)
		dims[3] = tflite.DimensionMetadataEnd(b)
		order := int32Vector(b, []int32{0, 1, 2, 3})
		dm := offsetVector(b, dims)
		tflite.SparsityParametersStart(b)
		tflite.SparsityParametersAddTraversalOrder(b, order)
		tflite.SparsityParametersAddDimMetadata(b, dm)
		return tflite.SparsityParametersEnd(b)
	}
	sparse := tfl{inputs: []int32{0}, tensors: []tensorDef{
		act4(tensorDef{name: "in", shape: in32(xs[:])}),
		{name: "w16sparse", shape: in32(ws[:]), typ: tflite.TensorTypeFLOAT16, data: values, sparsity: sparsity},
		{name: "w16", shape: in32(ws[:]), typ: tflite.TensorTypeFLOAT16},
		act4(tensorDef{name: "w32", shape: in32(ws[:])}),
	}, ops: []opDef{
		{code: tflite.BuiltinOperatorDENSIFY, in: []int32{1}, out: []int32{2}},
		{code: tflite.BuiltinOperatorDEQUANTIZE, in: []int32{2}, out: []int32{3}},
	}}
	conv(&sparse, 3)
	return []opCase{
		{name: "dequantize float16 weights into a convolution", m: deq, inputs: [][]float32{x}, shapes: [][]int{xs[:]}, want: map[string][]float32{"out": want}},
		{name: "densify sparse float16 weights, dequantize, convolve", m: sparse, inputs: [][]float32{x}, shapes: [][]int{xs[:]}, want: map[string][]float32{"out": want}},
	}
}

func TestOperatorsAgainstTheirDefinitions(t *testing.T) {
	runtime(t)
	for _, tc := range opCases() {
		t.Run(tc.name, func(t *testing.T) {
			onnxData, err := convert.Convert(tc.m.bytes(), tc.name+".tflite", convert.Origin{})
			require.NoError(t, err)
			var inputs [][]float32
			for i, x := range tc.inputs {
				if len(tc.shapes[i]) == 4 {
					s := tc.shapes[i]
					x = nchw(x, shape4{s[0], s[1], s[2], s[3]})
				}
				inputs = append(inputs, x)
			}
			got, shapes := runONNX(t, onnxData, inputs, 1)
			for name, want := range tc.want {
				require.Contains(t, got, name, "the output keeps TFLite's name")
				outShape := tc.m.tensors[tc.m.outputs[0]].shape
				assert.Equal(t, dims(outShape), shapes[name], "the output keeps TFLite's shape (NHWC)")
				require.Len(t, got[name], len(want))
				tol := tc.tol
				if tol == 0 {
					tol = 1e-5
				}
				for i := range want {
					if math.Abs(float64(got[name][i]-want[i])) > tol*(1+math.Abs(float64(want[i]))) {
						t.Fatalf("%s[%d] = %v, the definition gives %v (shape %v)", name, i, got[name][i], want[i], outShape)
					}
				}
			}
		})
	}
}

func dims(s []int32) []int64 {
	out := make([]int64, len(s))
	for i, d := range s {
		out[i] = int64(d)
	}
	return out
}
