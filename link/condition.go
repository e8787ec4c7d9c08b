package link

// Condition is how a carrier is, as its heartbeat tells the hub's public
// page: its battery and whether its camera is up. Nothing about people.
type Condition struct {
	// Battery is the battery's charge in percent; -1 when there is no
	// battery or it is not known.
	Battery int
	// Camera is true while frames come from the camera, false while the
	// demo reel plays in its place (turned off, or lost).
	Camera bool
}

// Tell has the heartbeat carry what f says, read at each beat (from the
// link's goroutine: f must not block). Set once, right after Start.
func (c *Carrier) Tell(f func() Condition) {
	c.mu.Lock()
	c.condition = f
	c.mu.Unlock()
}

// withCondition fills p from the condition, when one is told.
func (p *presence) withCondition(f func() Condition) {
	if f == nil {
		return
	}
	cond := f()
	if cond.Battery >= 0 {
		b := min(cond.Battery, 100)
		p.Battery = &b
	}
	cam := cond.Camera
	p.Camera = &cam
}
