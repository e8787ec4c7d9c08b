// Package hubpage is the hub's public page: today's board across the
// carriers, the battles in play and the carriers online, for visitors'
// phones. One HTML page, its own script and style (nothing from
// elsewhere: the page's security policy forbids it), kept up to date by
// server-sent events, so a phone shows each new score without reloading.
// It serves only what link.Public holds: fun names, carrier names, scores
// and states.
package hubpage

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"

	"github.com/carrierarcade/kiosk/link"
)

// Source is where the page comes from: a *link.Hub.
type Source interface {
	// Watch is the page now and a channel closed at its next change.
	Watch() (link.Public, <-chan struct{})
}

//go:embed static
var static embed.FS

// Paths are the page's routes; anything else is 404.
func Paths() []string { return []string{"/", "/board.js", "/board.css", "/board.json", "/events"} }

// Limits: how many phones may watch at once (each holds a connection),
// how often one is sent the board at most, and how often an idle stream
// says it is alive (so that proxies and phones keep it open).
const (
	maxWatchers = 500
	sendEvery   = 250 * time.Millisecond
	keepAlive   = 20 * time.Second
	writeWithin = 10 * time.Second
)

// policy lets the page load its own script and style and talk to its own
// server, nothing else.
const policy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Page serves the board.
type Page struct {
	src      Source
	stop     chan struct{} // closed: every stream ends
	stopOnce sync.Once

	mu       sync.Mutex
	watchers int
}

// New is the page for src.
func New(src Source) *Page { return &Page{src: src, stop: make(chan struct{})} }

// ServeHTTP answers GET and HEAD on the page's paths.
func (p *Page) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", policy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "only GET and HEAD", http.StatusMethodNotAllowed)
		return
	}
	switch r.URL.Path {
	case "/":
		p.file(w, "static/index.html", "text/html; charset=utf-8")
	case "/board.js":
		p.file(w, "static/board.js", "text/javascript; charset=utf-8")
	case "/board.css":
		p.file(w, "static/board.css", "text/css; charset=utf-8")
	case "/board.json":
		pub, _ := p.src.Watch()
		h.Set("Content-Type", "application/json")
		h.Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(pub)
	case "/events":
		p.events(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (p *Page) file(w http.ResponseWriter, name, kind string) {
	data, err := static.ReadFile(name)
	if err != nil {
		http.Error(w, "missing", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", kind)
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(data)
}

// events streams the board: now, then at each change (at most every
// sendEvery), with a comment line when nothing changed for a while.
func (p *Page) events(w http.ResponseWriter, r *http.Request) {
	if !p.admit() {
		w.Header().Set("Retry-After", "30")
		http.Error(w, "too many phones watch the board now; try again in a moment", http.StatusServiceUnavailable)
		return
	}
	defer p.leave()
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // a proxy in front must not hold events back
	w.WriteHeader(http.StatusOK)
	keep := time.NewTicker(keepAlive)
	defer keep.Stop()
	send := func(s string) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(writeWithin))
		if _, err := fmt.Fprint(w, s); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send("retry: 3000\n\n") {
		return
	}
	for {
		pub, changed := p.src.Watch()
		data, err := json.Marshal(pub)
		if err != nil || !send("event: board\ndata: "+string(data)+"\n\n") {
			return
		}
		sent := time.Now()
	wait:
		for {
			select {
			case <-r.Context().Done():
				return
			case <-p.stop:
				return
			case <-keep.C:
				if !send(": still here\n\n") {
					return
				}
			case <-changed:
				break wait
			}
		}
		// Live battle scores change twice a second per carrier: a phone
		// needs no more than a few boards a second.
		if d := sendEvery - time.Since(sent); d > 0 {
			select {
			case <-r.Context().Done():
				return
			case <-p.stop:
				return
			case <-time.After(d):
			}
		}
	}
}

func (p *Page) admit() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.watchers >= maxWatchers {
		return false
	}
	p.watchers++
	return true
}

func (p *Page) leave() {
	p.mu.Lock()
	p.watchers--
	p.mu.Unlock()
}

// Watchers is how many phones watch the board now.
func (p *Page) Watchers() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.watchers
}

// Listen takes the page's address (hub.http_listen) before the hub starts,
// so that a port in use is one error naming the setting and the address.
func Listen(addr string) (net.Listener, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		why := err.Error()
		if errors.Is(err, syscall.EADDRINUSE) {
			why = "the address is in use: stop what listens there or choose another port"
		}
		return nil, fmt.Errorf("hub.http_listen %s: cannot serve the board page there: %s", addr, why)
	}
	return l, nil
}

// Serve serves the page on l until the returned stop is called; stop ends
// every stream and waits for the server.
func Serve(l net.Listener, src Source, log *slog.Logger) (stop func()) {
	p := New(src)
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelDebug)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("hub page stopped", "err", err)
		}
	}()
	return func() {
		p.stopOnce.Do(func() { close(p.stop) })
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	}
}
