package model

import (
	"math"

	"github.com/carrierarcade/kiosk/sight"

	"gocv.io/x/gocv"
)

// yoloxDetector runs a YOLOX model: BGR 0..255 planar input letterboxed at
// the top-left with grey 114 padding; output [1, N, 5+C].
type yoloxDetector struct{ *core }

func (d *yoloxDetector) Detect(img gocv.Mat, dst []sight.Detection) ([]sight.Detection, error) {
	d.padValue = 114
	in := d.input.GetData()
	return d.detect(img, dst, false,
		func(pix []byte) {
			FillPlanar(in, d.info.InputW, d.info.InputH, pix, d.lb.W, d.lb.H, d.lb.PadX, d.lb.PadY, false, 1)
		},
		func() {
			d.cands = DecodeYOLOX(d.outputs[0].GetData(), d.info.InputW, d.info.InputH, d.info.Classes,
				float32(d.cfg.Score), d.keepClass, d.cands)
		})
}

// DecodeYOLOX turns raw YOLOX rows into candidate boxes in input pixels.
// Each row is [x, y, w, h, objectness, C class scores] for one cell of the
// stride 8, 16 and 32 grids, in that order; objectness and class scores are
// probabilities. A row becomes a candidate for its best class when
// objectness * class score reaches minScore and keep allows the class.
func DecodeYOLOX(out []float32, inW, inH, classes int, minScore float32, keep func(int) bool, dst []sight.Detection) []sight.Detection {
	stride := 5 + classes
	row := 0
	for _, s := range [3]int{8, 16, 32} {
		gw, gh := inW/s, inH/s
		for gy := 0; gy < gh; gy++ {
			for gx := 0; gx < gw; gx++ {
				r := out[row*stride : (row+1)*stride]
				row++
				obj := r[4]
				if obj < minScore {
					continue // no class score can lift it over the bar
				}
				best, bestScore := -1, float32(0)
				for c, p := range r[5:] {
					if p > bestScore && keep(c) {
						best, bestScore = c, p
					}
				}
				score := obj * bestScore
				if best < 0 || score < minScore {
					continue
				}
				fs := float32(s)
				cx := (r[0] + float32(gx)) * fs
				cy := (r[1] + float32(gy)) * fs
				w := float32(math.Exp(float64(r[2]))) * fs
				h := float32(math.Exp(float64(r[3]))) * fs
				dst = append(dst, sight.Detection{Class: best, Score: score,
					Box: sight.Box{X0: cx - w/2, Y0: cy - h/2, X1: cx + w/2, Y1: cy + h/2}})
			}
		}
	}
	return dst
}
