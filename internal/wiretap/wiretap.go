// Package wiretap is a TCP proxy on 127.0.0.1 that counts the bytes crossing
// it each way: put between a carrier and its hub, it measures the link as
// the network carries it, protocol and all, not as the server counts
// message bodies.
package wiretap

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
)

// Tap forwards every connection made to it to one address and counts.
type Tap struct {
	l      net.Listener
	target string
	up     atomic.Int64 // from the connecting side to the target
	down   atomic.Int64 // from the target back

	mu     sync.Mutex
	conns  map[net.Conn]bool
	closed bool
	wg     sync.WaitGroup
}

// Start listens on a free port of 127.0.0.1 and forwards to target
// (host:port).
func Start(target string) (*Tap, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	t := &Tap{l: l, target: target, conns: map[net.Conn]bool{}}
	t.wg.Add(1)
	go t.accept()
	return t, nil
}

// Addr is where to connect instead of the target.
func (t *Tap) Addr() string { return t.l.Addr().String() }

// Bytes are the bytes forwarded so far: up from the connecting side, down
// from the target.
func (t *Tap) Bytes() (up, down int64) { return t.up.Load(), t.down.Load() }

func (t *Tap) accept() {
	defer t.wg.Done()
	for {
		c, err := t.l.Accept()
		if err != nil {
			return
		}
		t.wg.Add(1)
		go t.forward(c)
	}
}

// forward joins c to a new connection to the target until either side
// closes.
func (t *Tap) forward(c net.Conn) {
	defer t.wg.Done()
	s, err := net.Dial("tcp", t.target)
	if err != nil {
		c.Close()
		return
	}
	if !t.hold(c, s) {
		c.Close()
		s.Close()
		return
	}
	var both sync.WaitGroup
	both.Add(2)
	pipe := func(dst, src net.Conn, n *atomic.Int64) {
		defer both.Done()
		// A counting writer: io.Copy then goes through user space, so
		// every byte is seen (a spliced copy would not be).
		_, _ = io.Copy(counter{dst, n}, src)
		// One side is done: so is the other.
		c.Close()
		s.Close()
	}
	go pipe(s, c, &t.up)
	go pipe(c, s, &t.down)
	both.Wait()
	t.mu.Lock()
	delete(t.conns, c)
	delete(t.conns, s)
	t.mu.Unlock()
}

// hold notes a pair of connections for Close; false once closed.
func (t *Tap) hold(c, s net.Conn) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return false
	}
	t.conns[c], t.conns[s] = true, true
	return true
}

// Close stops listening, cuts every connection and waits for its
// goroutines.
func (t *Tap) Close() error {
	err := t.l.Close()
	t.mu.Lock()
	t.closed = true
	for c := range t.conns {
		c.Close()
	}
	t.mu.Unlock()
	t.wg.Wait()
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

type counter struct {
	w io.Writer
	n *atomic.Int64
}

func (c counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n.Add(int64(n))
	return n, err
}
