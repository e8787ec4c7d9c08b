package model

// Pre-processing: copying a letterboxed 8-bit BGR picture into a float
// tensor. Pure functions on plain slices so they can be tested without
// OpenCV; the loops touch each byte once and allocate nothing.

// FillPlanar writes a w x h BGR picture (pix, rows packed) into a planar
// [3, inH, inW] tensor at (padX, padY). Each value is byte*scale. With rgb
// the planes are R, G, B (Ultralytics); without, B, G, R (YOLOX).
func FillPlanar(dst []float32, inW, inH int, pix []byte, w, h, padX, padY int, rgb bool, scale float32) {
	plane := inW * inH
	c0, c2 := 0, 2*plane // B plane, R plane
	if rgb {
		c0, c2 = 2*plane, 0
	}
	for y := 0; y < h; y++ {
		row := pix[y*w*3 : (y+1)*w*3]
		o := (y+padY)*inW + padX
		for x := 0; x < w; x++ {
			dst[c0+o+x] = float32(row[3*x]) * scale
			dst[plane+o+x] = float32(row[3*x+1]) * scale
			dst[c2+o+x] = float32(row[3*x+2]) * scale
		}
	}
}

// FillInterleavedRGB writes a w x h BGR picture into an interleaved
// [inH, inW, 3] RGB tensor at (padX, padY), each value byte*scale+offset
// (BlazeFace wants -1..1).
func FillInterleavedRGB(dst []float32, inW int, pix []byte, w, h, padX, padY int, scale, offset float32) {
	for y := 0; y < h; y++ {
		row := pix[y*w*3 : (y+1)*w*3]
		o := ((y+padY)*inW + padX) * 3
		for x := 0; x < w; x++ {
			dst[o+3*x] = float32(row[3*x+2])*scale + offset
			dst[o+3*x+1] = float32(row[3*x+1])*scale + offset
			dst[o+3*x+2] = float32(row[3*x])*scale + offset
		}
	}
}
