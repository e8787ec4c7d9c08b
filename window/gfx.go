//go:build cgo

package window

import (
	"image"
	"image/color"
	"math"
	"slices"

	"github.com/hajimehoshi/ebiten/v2"
)

// gfx draws the scenes' flat shapes as triangle meshes with a one-pixel
// soft edge, which is how they are anti-aliased. Each shape is one
// DrawTriangles call, and Ebitengine merges consecutive ones into a single
// draw: unlike vector's paths, which go through a stencil atlas that is
// cleared at every switch between paths and other drawing, this costs a
// software renderer (Xvfb) next to nothing.
//
// The triangles are drawn from a small white image (see whiteImage) in
// the vertex colours. (A colour matrix that turns any image white would do
// too, but colorm.DrawTriangles makes a map of its uniforms on every call.)
//
// Each drawer keeps its own gfx from frame to frame: its vertex, index and
// outline buffers grow to what the scene needs in its first frames and are
// then reused, so drawing shapes allocates nothing.
type gfx struct {
	dst, src *ebiten.Image
	op       ebiten.DrawTrianglesOptions
	vs       []ebiten.Vertex
	is       []uint16
	// scratch for the shapes' outlines
	pts, ins, outs []float32
	corners        []int // triangulate's corners still to cut
	shape          shape // the icons' free outline, one at a time

	// clip's sub-canvas, kept while its rectangle stays the same (each
	// SubImage is a new image).
	inner     *gfx
	innerOf   *ebiten.Image
	innerRect image.Rectangle
	innerImg  *ebiten.Image
}

// begin points the gfx at this frame's canvas and the white image.
func (g *gfx) begin(dst, white *ebiten.Image) {
	g.op.ColorScaleMode = ebiten.ColorScaleModePremultipliedAlpha
	// The white image looks the same through any filter, so the shapes
	// take the one of the words drawn between them: shapes and words drawn
	// in turn from the same texture atlas then go to Ebitengine in one draw
	// command (each new command allocates).
	g.op.Filter = ebiten.FilterLinear
	g.dst, g.src = dst, white
}

// sharp draws the shapes through the nearest filter, the labels' (see
// begin), until begin or sharp(false).
func (g *gfx) sharp(on bool) {
	g.op.Filter = ebiten.FilterLinear
	if on {
		g.op.Filter = ebiten.FilterNearest
	}
}

// whiteImage is the shapes' source: 3x3 white pixels, sampled in the middle
// of the middle one so that no filter reaches past them.
func whiteImage() *ebiten.Image {
	img := ebiten.NewImage(3, 3)
	img.Fill(color.White)
	return img
}

// clip is a gfx drawing only inside r (canvas pixels) of the same canvas.
func (g *gfx) clip(r image.Rectangle) *gfx {
	if g.innerImg == nil || g.innerOf != g.dst || g.innerRect != r {
		sub, ok := g.dst.SubImage(r).(*ebiten.Image)
		if !ok {
			return g
		}
		g.innerImg, g.innerOf, g.innerRect = sub, g.dst, r
	}
	if g.inner == nil {
		g.inner = &gfx{}
	}
	g.inner.begin(g.innerImg, g.src)
	return g.inner
}

// premul is c as premultiplied float components.
func premul(c color.NRGBA) [4]float32 {
	a := float32(c.A) / 0xff
	return [4]float32{float32(c.R) / 0xff * a, float32(c.G) / 0xff * a, float32(c.B) / 0xff * a, a}
}

// vert adds a vertex of colour c scaled by k (0 for a soft edge's rim).
func (g *gfx) vert(x, y float32, c [4]float32, k float32) uint16 {
	g.vs = append(g.vs, ebiten.Vertex{DstX: x, DstY: y, SrcX: 1.5, SrcY: 1.5,
		ColorR: c[0] * k, ColorG: c[1] * k, ColorB: c[2] * k, ColorA: c[3] * k})
	return uint16(len(g.vs) - 1)
}

func (g *gfx) flush() {
	if len(g.is) > 0 {
		g.dst.DrawTriangles(g.vs, g.is, g.src, &g.op)
	}
	g.vs, g.is = g.vs[:0], g.is[:0]
}

// room flushes when n more vertices would not fit 16-bit indices.
func (g *gfx) room(n int) {
	if len(g.vs)+n > math.MaxUint16 {
		g.flush()
	}
}

// dedupe drops points closer than a hundredth of a pixel to the previous
// one (and the last if it repeats the first), in place.
func dedupe(pts []float32) []float32 {
	out := pts[:0]
	for i := 0; i+1 < len(pts); i += 2 {
		x, y := pts[i], pts[i+1]
		if n := len(out); n >= 2 && abs32(out[n-2]-x) < 0.01 && abs32(out[n-1]-y) < 0.01 {
			continue
		}
		out = append(out, x, y)
	}
	if n := len(out); n >= 6 && abs32(out[0]-out[n-2]) < 0.01 && abs32(out[1]-out[n-1]) < 0.01 {
		out = out[:n-2]
	}
	return out
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

// area2 is twice the signed area of the closed outline: > 0 clockwise on
// screen (y down).
func area2(pts []float32) float32 {
	var s float32
	n := len(pts) / 2
	for i := range n {
		j := (i + 1) % n
		s += pts[2*i]*pts[2*j+1] - pts[2*j]*pts[2*i+1]
	}
	return s
}

// edgeOffsets puts in out, for each corner of the closed outline, the
// vector half a pixel outwards (the mitre of its two sides, limited).
func edgeOffsets(out, pts []float32, closed bool, outward float32) []float32 {
	out = out[:0]
	n := len(pts) / 2
	for i := range n {
		var ax, ay, bx, by float32
		prev, next := i-1, i+1
		if closed {
			prev, next = (i+n-1)%n, (i+1)%n
		}
		if prev >= 0 {
			ax, ay = normal(pts[2*prev], pts[2*prev+1], pts[2*i], pts[2*i+1])
		}
		if next < n {
			bx, by = normal(pts[2*i], pts[2*i+1], pts[2*next], pts[2*next+1])
		}
		if prev < 0 {
			ax, ay = bx, by
		}
		if next >= n {
			bx, by = ax, ay
		}
		mx, my := ax+bx, ay+by
		l := float32(math.Hypot(float64(mx), float64(my)))
		if l < 1e-4 {
			mx, my, l = ax, ay, 1
		}
		mx, my = mx/l, my/l
		// mitre length 1/cos(half angle), capped so spikes stay short
		d := mx*ax + my*ay
		scale := 1 / max(d, 0.35)
		out = append(out, mx*scale*outward, my*scale*outward)
	}
	return out
}

// normal is the unit normal of the segment a->b that points out of an
// outline running clockwise on screen (x right, y down).
func normal(ax, ay, bx, by float32) (float32, float32) {
	dx, dy := bx-ax, by-ay
	l := float32(math.Hypot(float64(dx), float64(dy)))
	if l < 1e-6 {
		return 0, 0
	}
	return dy / l, -dx / l
}

// fill fills the closed outline pts (x, y pairs): any simple polygon,
// convex or not, with a soft one-pixel edge.
func (g *gfx) fill(c color.NRGBA, pts []float32) {
	pts = dedupe(pts)
	n := len(pts) / 2
	if n < 3 {
		return
	}
	col := premul(c)
	if col[3] <= 0 {
		return
	}
	// Make the outline clockwise (on screen), so normals point out.
	if area2(pts) < 0 {
		for i, j := 0, n-1; i < j; i, j = i+1, j-1 {
			pts[2*i], pts[2*j] = pts[2*j], pts[2*i]
			pts[2*i+1], pts[2*j+1] = pts[2*j+1], pts[2*i+1]
		}
	}
	g.outs = edgeOffsets(g.outs, pts, true, 0.5)
	g.room(2 * n)
	base := len(g.vs)
	for i := range n {
		x, y, ox, oy := pts[2*i], pts[2*i+1], g.outs[2*i], g.outs[2*i+1]
		g.vert(x-ox, y-oy, col, 1)
		g.vert(x+ox, y+oy, col, 0)
	}
	in := func(i int) uint16 { return uint16(base + 2*i) }
	out := func(i int) uint16 { return uint16(base + 2*i + 1) }
	for i := range n {
		j := (i + 1) % n
		g.is = append(g.is, in(i), out(i), out(j), in(i), out(j), in(j))
	}
	g.triangulate(pts, func(a, b, c int) { g.is = append(g.is, in(a), in(b), in(c)) })
	g.flush()
}

// triangulate cuts the clockwise outline into triangles by clipping ears;
// a fan when the outline is convex.
func (g *gfx) triangulate(pts []float32, tri func(a, b, c int)) {
	n := len(pts) / 2
	if convex(pts) {
		for i := 1; i+1 < n; i++ {
			tri(0, i, i+1)
		}
		return
	}
	g.corners = g.corners[:0]
	for i := range n {
		g.corners = append(g.corners, i)
	}
	idx := g.corners
	p := func(i int) (float32, float32) { return pts[2*i], pts[2*i+1] }
	for guard := 0; len(idx) > 3 && guard < n*n; guard++ {
		clipped := false
		m := len(idx)
		for k := range m {
			a, b, c := idx[(k+m-1)%m], idx[k], idx[(k+1)%m]
			ax, ay := p(a)
			bx, by := p(b)
			cx, cy := p(c)
			if (bx-ax)*(cy-ay)-(by-ay)*(cx-ax) <= 0 {
				continue // reflex (or flat) corner: not an ear
			}
			ear := true
			for _, o := range idx {
				if o == a || o == b || o == c {
					continue
				}
				if ox, oy := p(o); inTriangle(ox, oy, ax, ay, bx, by, cx, cy) {
					ear = false
					break
				}
			}
			if !ear {
				continue
			}
			tri(a, b, c)
			idx = slices.Delete(idx, k, k+1)
			clipped = true
			break
		}
		if !clipped {
			break // not simple after all: fan the rest
		}
	}
	for i := 1; i+1 < len(idx); i++ {
		tri(idx[0], idx[i], idx[i+1])
	}
}

func convex(pts []float32) bool {
	n := len(pts) / 2
	for i := range n {
		a, b, c := i, (i+1)%n, (i+2)%n
		if (pts[2*b]-pts[2*a])*(pts[2*c+1]-pts[2*a+1])-(pts[2*b+1]-pts[2*a+1])*(pts[2*c]-pts[2*a]) < 0 {
			return false
		}
	}
	return true
}

func inTriangle(px, py, ax, ay, bx, by, cx, cy float32) bool {
	d1 := (px-bx)*(ay-by) - (ax-bx)*(py-by)
	d2 := (px-cx)*(by-cy) - (bx-cx)*(py-cy)
	d3 := (px-ax)*(cy-ay) - (cx-ax)*(py-ay)
	neg := d1 < 0 || d2 < 0 || d3 < 0
	pos := d1 > 0 || d2 > 0 || d3 > 0
	return !(neg && pos)
}

// stroke draws the line through pts of the given width, closed into a
// loop or open with round ends, soft at its edges.
func (g *gfx) stroke(c color.NRGBA, width float32, closed bool, pts []float32) {
	pts = dedupe(pts)
	n := len(pts) / 2
	if n < 2 || width <= 0 {
		return
	}
	col := premul(c)
	if col[3] <= 0 {
		return
	}
	hw := width / 2
	core := hw - 0.5
	if core < 0 { // thinner than a pixel: fainter instead
		col = [4]float32{col[0] * width, col[1] * width, col[2] * width, col[3] * width}
		core, hw = 0, 0.5
	}
	g.outs = edgeOffsets(g.outs, pts, closed, 1)
	g.room(4*n + 128) // and two round ends
	base := len(g.vs)
	for i := range n {
		x, y, ox, oy := pts[2*i], pts[2*i+1], g.outs[2*i], g.outs[2*i+1]
		g.vert(x+ox*(hw+0.5), y+oy*(hw+0.5), col, 0)
		g.vert(x+ox*core, y+oy*core, col, 1)
		g.vert(x-ox*core, y-oy*core, col, 1)
		g.vert(x-ox*(hw+0.5), y-oy*(hw+0.5), col, 0)
	}
	v := func(i, k int) uint16 { return uint16(base + 4*(i%n) + k) }
	segs := n - 1
	if closed {
		segs = n
	}
	for i := range segs {
		for k := range 3 {
			a, b, c, d := v(i, k), v(i, k+1), v(i+1, k), v(i+1, k+1)
			g.is = append(g.is, a, b, d, a, d, c)
		}
	}
	if !closed {
		l := 2 * (n - 1)
		g.cap(pts[0], pts[1], g.outs[0], g.outs[1], pts[0]-pts[2], pts[1]-pts[3], hw, core, col, v(0, 0), v(0, 1), v(0, 2), v(0, 3))
		g.cap(pts[l], pts[l+1], g.outs[l], g.outs[l+1], pts[l]-pts[l-2], pts[l+1]-pts[l-1], hw, core, col, v(n-1, 0), v(n-1, 1), v(n-1, 2), v(n-1, 3))
	}
	g.flush()
}

// cap rounds an open line's end at (x, y): a half circle from the line's
// side 0 (unit normal u, rim vertices o0, i0) round the tip (direction d
// out of the line) to side 1 (i1, o1).
func (g *gfx) cap(x, y, ux, uy, dx, dy, hw, core float32, col [4]float32, o0, i0, i1, o1 uint16) {
	l := float32(math.Hypot(float64(dx), float64(dy)))
	if l < 1e-6 {
		return
	}
	dx, dy = dx/l, dy/l
	steps := int(min(max(hw*0.8, 4), 24))
	centre := g.vert(x, y, col, 1)
	prevIn, prevOut := i0, o0
	for s := 1; s <= steps; s++ {
		sn, cs := math.Sincos(math.Pi * float64(s) / float64(steps+1))
		px := float32(cs)*ux + float32(sn)*dx
		py := float32(cs)*uy + float32(sn)*dy
		in := g.vert(x+px*core, y+py*core, col, 1)
		out := g.vert(x+px*(hw+0.5), y+py*(hw+0.5), col, 0)
		g.is = append(g.is, centre, prevIn, in, prevIn, prevOut, out, prevIn, out, in)
		prevIn, prevOut = in, out
	}
	g.is = append(g.is, centre, prevIn, i1, prevIn, prevOut, o1, prevIn, o1, i1)
}

// Outlines of the common shapes, appended to dst.

// segments is how many straight pieces make a circle of radius r look
// round.
func segments(r float32) int { return int(min(max(r*0.7+10, 16), 120)) }

func circlePts(dst []float32, cx, cy, r float32) []float32 {
	n := segments(r)
	for i := range n {
		sn, cs := math.Sincos(2 * math.Pi * float64(i) / float64(n))
		dst = append(dst, cx+r*float32(cs), cy+r*float32(sn))
	}
	return dst
}

// arcPts follows the circle clockwise from angle a0 to a1.
func arcPts(dst []float32, cx, cy, r, a0, a1 float32) []float32 {
	n := max(2, int(float32(segments(r))*abs32(a1-a0)/(2*math.Pi))+1)
	for i := 0; i <= n; i++ {
		a := float64(a0 + (a1-a0)*float32(i)/float32(n))
		sn, cs := math.Sincos(a)
		dst = append(dst, cx+r*float32(cs), cy+r*float32(sn))
	}
	return dst
}

func ellipsePts(dst []float32, cx, cy, rx, ry float32) []float32 {
	n := segments(max(rx, ry))
	for i := range n {
		sn, cs := math.Sincos(2 * math.Pi * float64(i) / float64(n))
		dst = append(dst, cx+rx*float32(cs), cy+ry*float32(sn))
	}
	return dst
}

func roundRectPts(dst []float32, x, y, w, h, r float32) []float32 {
	r = max(0, min(r, w/2, h/2))
	if r < 0.5 {
		return append(dst, x, y, x+w, y, x+w, y+h, x, y+h)
	}
	const q = math.Pi / 2
	dst = arcPts(dst, x+w-r, y+r, r, -q, 0)
	dst = arcPts(dst, x+w-r, y+h-r, r, 0, q)
	dst = arcPts(dst, x+r, y+h-r, r, q, 2*q)
	dst = arcPts(dst, x+r, y+r, r, 2*q, 3*q)
	return dst
}

// The shapes.

func (g *gfx) disc(cx, cy, r float32, c color.NRGBA) {
	if r <= 0 {
		return
	}
	g.pts = circlePts(g.pts[:0], cx, cy, r)
	g.fill(c, g.pts)
}

func (g *gfx) circleLine(cx, cy, r, width float32, c color.NRGBA) {
	if r <= 0 {
		return
	}
	g.pts = circlePts(g.pts[:0], cx, cy, r)
	g.stroke(c, width, true, g.pts)
}

// arc strokes part of a circle clockwise from angle a0 to a1 (radians, 0
// to the right, y down), with round ends.
func (g *gfx) arc(cx, cy, r, a0, a1, width float32, c color.NRGBA) {
	if a1-a0 <= 0.001 || r <= 0 {
		return
	}
	g.pts = arcPts(g.pts[:0], cx, cy, r, a0, a1)
	g.stroke(c, width, false, g.pts)
}

func (g *gfx) ellipse(cx, cy, rx, ry float32, c color.NRGBA) {
	g.pts = ellipsePts(g.pts[:0], cx, cy, rx, ry)
	g.fill(c, g.pts)
}

func (g *gfx) fillRoundRect(x, y, w, h, r float32, c color.NRGBA) {
	if w <= 0 || h <= 0 {
		return
	}
	g.pts = roundRectPts(g.pts[:0], x, y, w, h, r)
	g.fill(c, g.pts)
}

func (g *gfx) strokeRoundRect(x, y, w, h, r, width float32, c color.NRGBA) {
	if w <= 0 || h <= 0 {
		return
	}
	g.pts = roundRectPts(g.pts[:0], x, y, w, h, r)
	g.stroke(c, width, true, g.pts)
}

// polygon fills the outline through (x0, y0, x1, y1, ...).
func (g *gfx) polygon(c color.NRGBA, pts ...float32) {
	g.pts = append(g.pts[:0], pts...)
	g.fill(c, g.pts)
}

// line is a segment with round ends.
func (g *gfx) line(x0, y0, x1, y1, width float32, c color.NRGBA) {
	g.pts = append(g.pts[:0], x0, y0, x1, y1)
	g.stroke(c, width, false, g.pts)
}

// rect fills a rectangle with hard edges, as Ebitengine's unsmoothed
// vector.FillRect does: bands and frames that line up with pixels.
func (g *gfx) rect(x, y, w, h float32, c color.NRGBA) {
	col := premul(c)
	if w <= 0 || h <= 0 || col[3] <= 0 {
		return
	}
	g.room(4)
	a := g.vert(x, y, col, 1)
	b := g.vert(x+w, y, col, 1)
	d := g.vert(x+w, y+h, col, 1)
	e := g.vert(x, y+h, col, 1)
	g.is = append(g.is, a, b, d, a, d, e)
	g.flush()
}

// frameRect outlines a rectangle with hard-edged bands of the given width
// centred on its edges, as Ebitengine's unsmoothed vector.StrokeRect does.
func (g *gfx) frameRect(x, y, w, h, width float32, c color.NRGBA) {
	if width <= 0 {
		return
	}
	if width >= w || width >= h {
		g.rect(x-width/2, y-width/2, w+width, h+width, c)
		return
	}
	g.rect(x-width/2, y-width/2, w+width, width, c)   // top
	g.rect(x-width/2, y+h-width/2, w+width, width, c) // bottom
	g.rect(x-width/2, y+width/2, width, h-width, c)   // left
	g.rect(x+w-width/2, y+width/2, width, h-width, c) // right
}
