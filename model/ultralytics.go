package model

import (
	"github.com/carrierarcade/kiosk/sight"
	"gocv.io/x/gocv"
)

// ultralyticsDetector runs a YOLOv8/YOLO11 export: RGB 0..1 planar input
// letterboxed in the centre with grey 114 padding; output [1, 4+C, N].
type ultralyticsDetector struct{ *core }

func (d *ultralyticsDetector) Detect(img gocv.Mat, dst []sight.Detection) ([]sight.Detection, error) {
	d.padValue = 114.0 / 255
	in := d.input.GetData()
	return d.detect(img, dst, true,
		func(pix []byte) {
			FillPlanar(in, d.info.InputW, d.info.InputH, pix, d.lb.W, d.lb.H, d.lb.PadX, d.lb.PadY, true, 1.0/255)
		},
		func() {
			n := d.outputs[0].GetShape()[2]
			d.cands = DecodeUltralytics(d.outputs[0].GetData(), int(n), d.info.Classes,
				float32(d.cfg.Score), d.keepClass, d.cands)
		})
}

// DecodeUltralytics turns a [4+C, n] Ultralytics output into candidate
// boxes in input pixels. The layout is column-major per prediction: row 0
// holds every prediction's cx, row 1 every cy, then w, h, then one row per
// class score. There is no objectness; the score is the best class score.
func DecodeUltralytics(out []float32, n, classes int, minScore float32, keep func(int) bool, dst []sight.Detection) []sight.Detection {
	for i := 0; i < n; i++ {
		best, bestScore := -1, float32(0)
		for c := 0; c < classes; c++ {
			if p := out[(4+c)*n+i]; p > bestScore && keep(c) {
				best, bestScore = c, p
			}
		}
		if best < 0 || bestScore < minScore {
			continue
		}
		cx, cy, w, h := out[i], out[n+i], out[2*n+i], out[3*n+i]
		dst = append(dst, sight.Detection{Class: best, Score: bestScore,
			Box: sight.Box{X0: cx - w/2, Y0: cy - h/2, X1: cx + w/2, Y1: cy + h/2}})
	}
	return dst
}
