package model

import (
	"math"

	"github.com/carrierarcade/kiosk/sight"
	"gocv.io/x/gocv"
)

// blazeFaceDetector runs MediaPipe BlazeFace: RGB -1..1 interleaved input
// [1, S, S, 3] letterboxed in the centre (black padding), four outputs:
// scores for 512 and 384 anchors (logits) and their 16 regressors.
type blazeFaceDetector struct {
	*core
	anchors []sight.Point // anchor centres, 0..1
}

func (d *blazeFaceDetector) Detect(img gocv.Mat, dst []sight.Detection) ([]sight.Detection, error) {
	d.padValue = -1
	in := d.input.GetData()
	return d.detect(img, dst, true,
		func(pix []byte) {
			FillInterleavedRGB(in, d.info.InputW, pix, d.lb.W, d.lb.H, d.lb.PadX, d.lb.PadY, 2.0/255, -1)
		},
		func() {
			o := d.outputs
			d.cands = DecodeBlazeFace(d.anchors, float32(d.info.InputW),
				[2][]float32{o[0].GetData(), o[1].GetData()},
				[2][]float32{o[2].GetData(), o[3].GetData()},
				float32(d.cfg.Score), d.cands)
		})
}

// BlazeFaceAnchors are the 896 anchor centres: a 16x16 grid with 2 anchors
// per cell, then an 8x8 grid with 6 per cell, at cell centres.
func BlazeFaceAnchors() []sight.Point {
	a := make([]sight.Point, 0, 896)
	for _, g := range [2]struct{ cells, per int }{{16, 2}, {8, 6}} {
		for y := 0; y < g.cells; y++ {
			for x := 0; x < g.cells; x++ {
				for k := 0; k < g.per; k++ {
					a = append(a, sight.Point{X: (float32(x) + 0.5) / float32(g.cells), Y: (float32(y) + 0.5) / float32(g.cells)})
				}
			}
		}
	}
	return a
}

// DecodeBlazeFace turns BlazeFace outputs into face candidates in input
// pixels (size x size). scores are logits per anchor, in two blocks (512
// then 384); regs hold 16 values per anchor: box centre offset, box size,
// then six keypoint offsets, all in input pixels relative to the anchor.
func DecodeBlazeFace(anchors []sight.Point, size float32, scores, regs [2][]float32, minScore float32, dst []sight.Detection) []sight.Detection {
	i := 0
	for blk := range scores {
		for k, logit := range scores[blk] {
			a := anchors[i]
			i++
			// Logits this low are not faces; skipping them saves the exp.
			if logit < -4 {
				continue
			}
			score := sigmoid(max(-100, min(100, logit)))
			if score < minScore {
				continue
			}
			r := regs[blk][k*16 : k*16+16]
			cx := a.X*size + r[0]
			cy := a.Y*size + r[1]
			w, h := r[2], r[3]
			det := sight.Detection{Class: 0, Score: score, Box: sight.Box{X0: cx - w/2, Y0: cy - h/2, X1: cx + w/2, Y1: cy + h/2}}
			for p := range det.Keypoints {
				det.Keypoints[p] = sight.Point{X: a.X*size + r[4+2*p], Y: a.Y*size + r[5+2*p]}
			}
			dst = append(dst, det)
		}
	}
	return dst
}

// sigmoid turns a logit into a probability.
func sigmoid(x float32) float32 { return float32(1 / (1 + math.Exp(-float64(x)))) }
