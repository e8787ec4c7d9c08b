// Package health is the kiosk's HTTP side: /healthz (liveness), /readyz
// (readiness) and /metrics (Prometheus text format), for a cluster's probes,
// a scraper and a presenter's curl. It serves short text about the kiosk and
// nothing else: no picture, no file, and it reads nothing from a request
// but its method and path.
//
// The kiosk feeds it without slowing the game: the frame loop only makes
// atomic stores and increments (Ticked, Drawn), the session's events come
// through its listener seam (Hear), the detectors tell their run times from
// their own goroutines (DetectorRan), and everything else (the camera, the
// power level, the link) is read when a scrape asks, through functions that
// must be safe to call from any goroutine.
package health

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// The paths served; every other path is 404.
const (
	LivePath    = "/healthz"
	ReadyPath   = "/readyz"
	MetricsPath = "/metrics"
)

// Paths are the routes the handler serves, for manifests' probes.
func Paths() []string { return []string{LivePath, ReadyPath, MetricsPath} }

// Options tune the probes. The zero value is what the kiosk uses.
type Options struct {
	// Now is the probes' clock; nil: time.Now. Tests pass a fake one, and
	// then hand Ticked and Drawn times from it too.
	Now func() time.Time
	// LiveWithin: alive while the logic clock ticked this recently
	// (default 5 s; the rules tick 30 to 240 times a second).
	LiveWithin time.Duration
	// StartGrace: before the first tick (models loading, the window
	// opening) the kiosk counts as alive for this long (default 60 s).
	StartGrace time.Duration
	// Window: readiness needs a frame drawn within DrawnWithin (default
	// 10 s; the slowest power level still draws 15 a second). The window
	// process sets it; a headless simulation does not.
	Window      bool
	DrawnWithin time.Duration
	// Log receives the HTTP server's own complaints (a malformed request);
	// nil: discarded.
	Log *slog.Logger
}

// Server holds the probes' state and the metrics registry. Make it with
// New; serve its Handler, or call Serve.
type Server struct {
	opts    Options
	start   time.Time
	reg     *prometheus.Registry
	m       *metrics
	metrics http.Handler

	// Offsets from start, in nanoseconds, of the newest tick and drawn
	// frame; -1 before the first. Offsets keep the monotonic clock's
	// differences, so a wall clock set at boot never looks like a hang.
	tickAt atomic.Int64
	drawAt atomic.Int64

	mu     sync.Mutex
	checks []readyCheck
}

type readyCheck struct {
	name  string
	check func(now time.Time) error
}

// New makes a server with nothing fed yet: it serves its three paths at
// once (liveness within its start grace, readiness by its checks, the Go
// and process metrics and the kiosk's own families).
func New(opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.LiveWithin <= 0 {
		opts.LiveWithin = 5 * time.Second
	}
	if opts.StartGrace <= 0 {
		opts.StartGrace = 60 * time.Second
	}
	if opts.DrawnWithin <= 0 {
		opts.DrawnWithin = 10 * time.Second
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	s := &Server{opts: opts, start: opts.Now(), reg: prometheus.NewRegistry()}
	s.tickAt.Store(-1)
	s.drawAt.Store(-1)
	s.m = newMetrics(s.reg)
	s.metrics = promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(opts.Log.Handler(), slog.LevelWarn),
		ErrorHandling: promhttp.ContinueOnError,
		// A kiosk has a few scrapers at most; more at once wait their turn
		// rather than pile up work beside the game.
		MaxRequestsInFlight: 2,
		Timeout:             5 * time.Second,
		DisableCompression:  true,
	})
	return s
}

// Registry is where the metrics live (not the global default), for tests
// and for collectors of the kiosk's own.
func (s *Server) Registry() *prometheus.Registry { return s.reg }

// Ticked tells of n logic ticks played at now. The frame loop calls it:
// an atomic add and an atomic store, nothing that waits.
func (s *Server) Ticked(now time.Time, n int) {
	if n <= 0 {
		return
	}
	s.m.ticks.Add(float64(n))
	s.tickAt.Store(int64(now.Sub(s.start)))
}

// Drawn tells of one frame drawn at now; likewise atomic only.
func (s *Server) Drawn(now time.Time) {
	s.m.drawn.Inc()
	s.drawAt.Store(int64(now.Sub(s.start)))
}

// ReadyWhen adds a condition of readiness: check returns nil when it is
// met, else why not. It is called on the probe's goroutine, so it must be
// safe there (read through locks or atomics).
func (s *Server) ReadyWhen(name string, check func(now time.Time) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checks = append(s.checks, readyCheck{name, check})
}

// Handler serves the three paths.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	// The method first: OPTIONS * and CONNECT host:port name no path, and
	// are no more allowed than a POST.
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		text(w, http.StatusMethodNotAllowed, "GET or HEAD only\n")
		return
	}
	path := r.URL.Path
	switch path {
	case LivePath, ReadyPath, MetricsPath:
	default:
		text(w, http.StatusNotFound, "not found: this kiosk serves "+strings.Join(Paths(), ", ")+"\n")
		return
	}
	if r.Method == http.MethodHead {
		w = headWriter{w}
	}
	switch path {
	case LivePath:
		ok, msg := s.live(s.opts.Now())
		text(w, status(ok), msg+"\n")
	case ReadyPath:
		ok, msg := s.ready(s.opts.Now())
		text(w, status(ok), msg)
	case MetricsPath:
		// The exposition handler would read Accept and Accept-Encoding;
		// it gets a request with the method and path alone, so it always
		// writes plain text, which every scraper reads.
		bare := &http.Request{Method: r.Method, URL: &url.URL{Path: path}, Header: http.Header{},
			Proto: r.Proto, ProtoMajor: r.ProtoMajor, ProtoMinor: r.ProtoMinor, RemoteAddr: r.RemoteAddr}
		s.metrics.ServeHTTP(w, bare.WithContext(r.Context()))
	}
}

// headWriter answers HEAD with the headers GET would have, and no body.
type headWriter struct{ http.ResponseWriter }

func (headWriter) Write(p []byte) (int, error) { return len(p), nil }

func status(ok bool) int {
	if ok {
		return http.StatusOK
	}
	return http.StatusServiceUnavailable
}

func text(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}

// live: the logic clock ticked within LiveWithin (or, before its first
// tick, the kiosk started within StartGrace). Never anything else: a lost
// camera or link is the kiosk working as designed, not a reason to restart
// it.
func (s *Server) live(now time.Time) (bool, string) {
	up := now.Sub(s.start)
	at := s.tickAt.Load()
	if at < 0 {
		if up <= s.opts.StartGrace {
			return true, fmt.Sprintf("ok: starting, no logic tick yet (%s since start, allowed %s)", secs(up), secs(s.opts.StartGrace))
		}
		return false, fmt.Sprintf("the logic clock has not ticked in the %s since start", secs(up))
	}
	ago := up - time.Duration(at)
	if ago > s.opts.LiveWithin {
		return false, fmt.Sprintf("the logic clock last ticked %s ago (allowed %s)", secs(ago), secs(s.opts.LiveWithin))
	}
	return true, fmt.Sprintf("ok: the logic clock ticked %s ago", secs(max(ago, 0)))
}

// ready: the window drew lately (where there is one) and every check
// passes. One line per condition.
func (s *Server) ready(now time.Time) (bool, string) {
	var b strings.Builder
	ok := true
	line := func(name string, err error) {
		if err != nil {
			ok = false
			fmt.Fprintf(&b, "%s: %v\n", name, err)
			return
		}
		fmt.Fprintf(&b, "%s: ok\n", name)
	}
	if s.opts.Window {
		line("window", s.windowUp(now))
	}
	s.mu.Lock()
	checks := append([]readyCheck(nil), s.checks...)
	s.mu.Unlock()
	for _, c := range checks {
		line(c.name, c.check(now))
	}
	if b.Len() == 0 {
		b.WriteString("ok: nothing to wait for\n")
	}
	return ok, b.String()
}

func (s *Server) windowUp(now time.Time) error {
	at := s.drawAt.Load()
	if at < 0 {
		return fmt.Errorf("no frame drawn yet")
	}
	if ago := now.Sub(s.start) - time.Duration(at); ago > s.opts.DrawnWithin {
		return fmt.Errorf("no frame drawn for %s (allowed %s)", secs(ago), secs(s.opts.DrawnWithin))
	}
	return nil
}

// secs writes a duration as seconds with one decimal: "3.2 s".
func secs(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }
