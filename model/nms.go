package model

import (
	"cmp"
	"slices"

	"github.com/carrierarcade/kiosk/sight"
)

// NMS keeps, per class, the highest-scoring detection of each group of
// boxes that overlap by more than iou, and drops the rest. It works in place
// and returns dets shortened to what it kept, highest scores first within
// each class. keep is scratch space, reused across frames.
func NMS(dets []sight.Detection, iou float32, keep []bool) ([]sight.Detection, []bool) {
	// Class first, then score descending: each class is one run, strongest
	// box first, so a weaker box can never suppress a stronger one.
	slices.SortFunc(dets, func(a, b sight.Detection) int {
		if a.Class != b.Class {
			return cmp.Compare(a.Class, b.Class)
		}
		return cmp.Compare(b.Score, a.Score)
	})
	keep = slices.Grow(keep[:0], len(dets))[:len(dets)]
	for i := range keep {
		keep[i] = true
	}
	for i := range dets {
		if !keep[i] {
			continue
		}
		for j := i + 1; j < len(dets) && dets[j].Class == dets[i].Class; j++ {
			if keep[j] && sight.IoU(dets[i].Box, dets[j].Box) > iou {
				keep[j] = false
			}
		}
	}
	n := 0
	for i := range dets {
		if keep[i] {
			dets[n] = dets[i]
			n++
		}
	}
	return dets[:n], keep
}
