//go:build cgo

package window

// DrawProbe watches the frames the app draws: 'kiosk bench --draw' counts
// the heap allocations between Drawing and Drawn. Both are called on the
// game's goroutine, between two updates, so a probe may also steer the
// session (start a game, press a key) from Drawn.
type DrawProbe interface {
	// Drawing is called just before a frame is drawn.
	Drawing()
	// Drawn is called just after; a file name it returns asks for the
	// frame just drawn as a PNG, written outside the probe's count.
	Drawn() (shot string)
}

// Probe hands every drawn frame to p from now on; call it before Run.
func (a *App) Probe(p DrawProbe) { a.shot.probe = p }
