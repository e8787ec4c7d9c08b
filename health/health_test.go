package health_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/health"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock is the probes' clock, moved by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) Add(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)} }

// get asks the handler for path and returns the status and body.
func get(t *testing.T, h http.Handler, method, path string) (int, http.Header, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec.Code, rec.Header(), rec.Body.String()
}

func TestLivenessFollowsTheLogicClock(t *testing.T) {
	clk := newClock()
	s := health.New(health.Options{Now: clk.Now, LiveWithin: 5 * time.Second, StartGrace: 30 * time.Second})
	h := s.Handler()
	for _, step := range []struct {
		name    string
		advance time.Duration
		tick    bool
		code    int
		says    string
	}{
		{"starting, within the grace", 10 * time.Second, false, 200, "starting"},
		{"never ticked, grace over", 25 * time.Second, false, 503, "has not ticked in the 35.0 s since start"},
		{"a tick", 0, true, 200, "ticked 0.0 s ago"},
		{"fresh", 4 * time.Second, false, 200, "ticked 4.0 s ago"},
		{"stale", 2 * time.Second, false, 503, "last ticked 6.0 s ago (allowed 5.0 s)"},
		{"ticking again", time.Second, true, 200, "ok"},
	} {
		now := clk.Add(step.advance)
		if step.tick {
			s.Ticked(now, 3)
		}
		code, hdr, body := get(t, h, http.MethodGet, health.LivePath)
		assert.Equal(t, step.code, code, step.name)
		assert.Contains(t, body, step.says, step.name)
		assert.Equal(t, "text/plain; charset=utf-8", hdr.Get("Content-Type"))
	}
}

func TestReadinessNeedsTheWindowAndEveryCheck(t *testing.T) {
	clk := newClock()
	s := health.New(health.Options{Now: clk.Now, Window: true, DrawnWithin: 10 * time.Second})
	var sourceErr error
	var mu sync.Mutex
	s.ReadyWhen("source", func(time.Time) error { mu.Lock(); defer mu.Unlock(); return sourceErr })
	h := s.Handler()

	code, _, body := get(t, h, http.MethodGet, health.ReadyPath)
	assert.Equal(t, 503, code)
	assert.Equal(t, "window: no frame drawn yet\nsource: ok\n", body)

	s.Drawn(clk.Add(time.Second))
	code, _, body = get(t, h, http.MethodGet, health.ReadyPath)
	assert.Equal(t, 200, code, body)
	assert.Equal(t, "window: ok\nsource: ok\n", body)

	mu.Lock()
	sourceErr = errors.New("no frame for 4.0 s")
	mu.Unlock()
	code, _, body = get(t, h, http.MethodGet, health.ReadyPath)
	assert.Equal(t, 503, code)
	assert.Contains(t, body, "source: no frame for 4.0 s")

	mu.Lock()
	sourceErr = nil
	mu.Unlock()
	clk.Add(11 * time.Second)
	code, _, body = get(t, h, http.MethodGet, health.ReadyPath)
	assert.Equal(t, 503, code)
	assert.Contains(t, body, "window: no frame drawn for 11.0 s (allowed 10.0 s)")

	// Readiness never asks about liveness, nor the other way round: a
	// probe answers for its own condition only.
	code, _, _ = get(t, h, http.MethodGet, health.LivePath)
	assert.Equal(t, 200, code, "still within the start grace")
}

// A server with nothing fed serves its three paths, and nothing else: the
// handler the manifests' probes are checked against.
func TestZeroServerServesItsPathsOnly(t *testing.T) {
	h := health.New(health.Options{}).Handler()
	for _, p := range health.Paths() {
		code, _, body := get(t, h, http.MethodGet, p)
		assert.Equal(t, 200, code, p)
		assert.NotEmpty(t, body, p)
		code, _, body = get(t, h, http.MethodHead, p)
		assert.Equal(t, 200, code, p)
		assert.Empty(t, body, "HEAD has no body: %s", p)
		code, hdr, _ := get(t, h, http.MethodPost, p)
		assert.Equal(t, http.StatusMethodNotAllowed, code, p)
		assert.Equal(t, "GET, HEAD", hdr.Get("Allow"))
	}
	for _, p := range []string{"/", "/healthz/", "/metrics/", "/debug/pprof/", "/snapshot.jpg", "/frame", "/favicon.ico"} {
		code, _, _ := get(t, h, http.MethodGet, p)
		assert.Equal(t, http.StatusNotFound, code, p)
	}
	_, _, body := get(t, h, http.MethodGet, health.ReadyPath)
	assert.Equal(t, "ok: nothing to wait for\n", body)
}

// The server reads nothing but the method and path: a query or an Accept
// header changes nothing, the metrics always come as plain text.
func TestRequestsAreReadForTheirPathOnly(t *testing.T) {
	clk := newClock()
	s := health.New(health.Options{Now: clk.Now})
	s.Ticked(clk.Now(), 1)
	h := s.Handler()
	for _, p := range health.Paths() {
		plain := httptest.NewRecorder()
		h.ServeHTTP(plain, httptest.NewRequest(http.MethodGet, p, nil))
		fancy := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, p+"?format=protobuf&name[]=go_goroutines&debug=1", strings.NewReader("ignored"))
		r.Header.Set("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited")
		r.Header.Set("Accept-Encoding", "gzip")
		h.ServeHTTP(fancy, r)
		assert.Equal(t, plain.Code, fancy.Code, p)
		assert.Equal(t, plain.Header().Get("Content-Type"), fancy.Header().Get("Content-Type"), p)
		assert.Empty(t, fancy.Header().Get("Content-Encoding"), p)
		assert.True(t, strings.HasPrefix(fancy.Header().Get("Content-Type"), "text/plain"), p)
		if p != health.MetricsPath { // the metrics' own figures move between two scrapes
			assert.Equal(t, plain.Body.String(), fancy.Body.String(), p)
		}
	}
}

// scrape parses /metrics with the Prometheus text parser.
func scrape(t *testing.T, h http.Handler) map[string]*dto.MetricFamily {
	t.Helper()
	code, hdr, body := get(t, h, http.MethodGet, health.MetricsPath)
	require.Equal(t, 200, code, body)
	require.True(t, strings.HasPrefix(hdr.Get("Content-Type"), "text/plain; version=0.0.4"), hdr.Get("Content-Type"))
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(strings.NewReader(body))
	require.NoError(t, err)
	return mfs
}

// value is the value of the series of family name whose labels are
// pairs (name, value, ...); ok is false when there is none.
func value(mfs map[string]*dto.MetricFamily, name string, pairs ...string) (float64, bool) {
	mf := mfs[name]
	if mf == nil {
		return 0, false
	}
next:
	for _, m := range mf.GetMetric() {
		for i := 0; i+1 < len(pairs); i += 2 {
			found := false
			for _, l := range m.GetLabel() {
				if l.GetName() == pairs[i] && l.GetValue() == pairs[i+1] {
					found = true
				}
			}
			if !found {
				continue next
			}
		}
		switch mf.GetType() {
		case dto.MetricType_COUNTER:
			return m.GetCounter().GetValue(), true
		case dto.MetricType_GAUGE:
			return m.GetGauge().GetValue(), true
		case dto.MetricType_HISTOGRAM:
			return float64(m.GetHistogram().GetSampleCount()), true
		}
	}
	return 0, false
}

func TestMetricsFromEventsAndWatchedParts(t *testing.T) {
	clk := newClock()
	s := health.New(health.Options{Now: clk.Now})
	s.Ticked(clk.Now(), 60)
	s.Ticked(clk.Now(), 0)
	for range 3 {
		s.Drawn(clk.Now())
	}
	s.Hear(game.Event{Kind: game.KindRoundStart, Game: "bubbles"})
	s.Hear(game.Event{Kind: game.KindRoundEnd, Game: "bubbles", Score: 120})
	s.Hear(game.Event{Kind: game.KindRoundEnd, Game: "hunt", Score: 700})
	s.Hear(game.Event{Kind: game.KindSceneFailed, Scene: "dodge"})
	s.DetectorRan("objects", 30*time.Millisecond, nil)
	s.DetectorRan("objects", 40*time.Millisecond, nil)
	s.DetectorRan("faces", 0, errors.New("broken"))
	s.WatchCamera(func() health.Camera { return health.Camera{Up: true, Demo: true, Outages: 2, Recoveries: 2, FPS: 10} })
	s.WatchDetectors(func() []health.Detector {
		return []health.Detector{{Name: "objects", RunsPerSecond: 14.5}, {Name: "faces", RunsPerSecond: 9}}
	})
	power := health.Power{}
	var mu sync.Mutex
	s.WatchPower(func() health.Power { mu.Lock(); defer mu.Unlock(); return power })
	s.WatchLink(func() health.Link { return health.Link{Up: false, Online: 2, Sent: 5} })

	mfs := scrape(t, s.Handler())
	for _, want := range []struct {
		name  string
		pairs []string
		v     float64
	}{
		{"kiosk_logic_ticks_total", nil, 60},
		{"kiosk_frames_drawn_total", nil, 3},
		{"kiosk_games_played_total", []string{"game", "bubbles"}, 1},
		{"kiosk_games_played_total", []string{"game", "hunt"}, 1},
		{"kiosk_games_played_total", []string{"game", "dodge"}, 0},
		{"kiosk_game_score", []string{"game", "hunt"}, 1},
		{"kiosk_scene_failures_total", nil, 1},
		{"kiosk_detector_inference_seconds", []string{"detector", "objects"}, 2},
		{"kiosk_detector_failures_total", []string{"detector", "faces"}, 1},
		{"kiosk_detector_runs_per_second", []string{"detector", "objects"}, 14.5},
		{"kiosk_camera_up", nil, 1},
		{"kiosk_camera_demo", nil, 1},
		{"kiosk_camera_outages_total", nil, 2},
		{"kiosk_camera_recoveries_total", nil, 2},
		{"kiosk_camera_frames_per_second", nil, 10},
		{"kiosk_link_up", nil, 0},
		{"kiosk_link_carriers_online", nil, 2},
		{"kiosk_link_events_sent_total", nil, 5},
	} {
		v, ok := value(mfs, want.name, want.pairs...)
		if assert.True(t, ok, "%s %v", want.name, want.pairs) {
			assert.InDelta(t, want.v, v, 1e-9, "%s %v", want.name, want.pairs)
		}
	}
	h := mfs["kiosk_game_score"].GetMetric()
	for _, m := range h {
		if m.GetLabel()[0].GetValue() == "bubbles" {
			assert.InDelta(t, 120, m.GetHistogram().GetSampleSum(), 1e-9)
		}
	}
	inf := mfs["kiosk_detector_inference_seconds"].GetMetric()[0].GetHistogram()
	assert.InDelta(t, 0.07, inf.GetSampleSum(), 1e-9)
	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_resident_memory_bytes", "process_cpu_seconds_total"} {
		assert.Contains(t, mfs, name)
	}
	assert.NotContains(t, mfs, "kiosk_power_level", "nothing before the first power reading")

	mu.Lock()
	power = health.Power{Read: true, Level: "medium", Levels: []string{"mains", "high", "medium"}, HasBattery: true,
		Percent: 42, MinutesLeft: 55, HaveMinutes: true, DrawWatts: -1, BrightnessPercent: 75}
	mu.Unlock()
	mfs = scrape(t, s.Handler())
	for _, want := range []struct {
		name  string
		pairs []string
		v     float64
	}{
		{"kiosk_power_level", []string{"level", "medium"}, 1},
		{"kiosk_power_level", []string{"level", "mains"}, 0},
		{"kiosk_power_on_ac", nil, 0},
		{"kiosk_battery_percent", nil, 42},
		{"kiosk_battery_minutes_left", nil, 55},
		{"kiosk_screen_brightness_percent", nil, 75},
	} {
		v, ok := value(mfs, want.name, want.pairs...)
		if assert.True(t, ok, "%s %v", want.name, want.pairs) {
			assert.InDelta(t, want.v, v, 1e-9, "%s %v", want.name, want.pairs)
		}
	}
	assert.NotContains(t, mfs, "kiosk_battery_draw_watts", "unknown draw is absent, not 0")
}

// The feeding methods are called from the frame loop, the session and the
// detectors' goroutines while scrapes read: under -race this must be
// clean.
func TestFeedingWhileScraping(t *testing.T) {
	s := health.New(health.Options{Window: true})
	s.WatchCamera(func() health.Camera { return health.Camera{Up: true} })
	h := s.Handler()
	var wg sync.WaitGroup
	done := make(chan struct{})
	wg.Add(3)
	go func() {
		defer wg.Done()
		for i := 0; i < 2000; i++ {
			now := time.Now()
			s.Ticked(now, 1)
			s.Drawn(now)
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < 200; i++ {
			s.Hear(game.Event{Kind: game.KindRoundEnd, Game: "freeze", Score: i})
			s.DetectorRan("faces", time.Millisecond, nil)
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < 20; i++ {
			for _, p := range health.Paths() {
				get(t, h, http.MethodGet, p)
			}
		}
	}()
	go func() { wg.Wait(); close(done) }()
	<-done
	v, _ := value(scrape(t, h), "kiosk_games_played_total", "game", "freeze")
	assert.Equal(t, 200.0, v)
}

func TestServeAndStop(t *testing.T) {
	s := health.New(health.Options{})
	addr, stop, err := s.Serve(context.Background(), "127.0.0.1:0")
	require.NoError(t, err)
	resp, err := http.Get("http://" + addr.String() + health.MetricsPath)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.True(t, bytes.Contains(body, []byte("kiosk_logic_ticks_total 0")))

	// The same address again: a clear error, nothing served twice.
	_, _, err = health.New(health.Options{}).Serve(context.Background(), addr.String())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "address already in use")

	stop()
	stop() // twice is harmless
	_, err = net.DialTimeout("tcp", addr.String(), time.Second)
	assert.Error(t, err, "nothing listens once stopped")
}

// Every method but GET and HEAD is 405 with an Allow header, as the README
// promises, through the real server: also "OPTIONS *" (which net/http would
// answer 200 by itself) and CONNECT (which names no path, so was a 404).
func TestServeRefusesOtherMethods(t *testing.T) {
	addr, stop, err := health.New(health.Options{}).Serve(context.Background(), "127.0.0.1:0")
	require.NoError(t, err)
	defer stop()
	for _, req := range []string{
		"OPTIONS * HTTP/1.1",
		"CONNECT 127.0.0.1:9 HTTP/1.1",
		"OPTIONS /healthz HTTP/1.1",
		"POST /metrics HTTP/1.1",
		"DELETE /nowhere HTTP/1.1",
	} {
		conn, err := net.Dial("tcp", addr.String())
		require.NoError(t, err)
		_, err = io.WriteString(conn, req+"\r\nHost: "+addr.String()+"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		require.NoError(t, err)
		resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: strings.Fields(req)[0]})
		require.NoError(t, err, req)
		resp.Body.Close()
		conn.Close()
		assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, req)
		assert.Equal(t, "GET, HEAD", resp.Header.Get("Allow"), req)
	}
	resp, err := http.Get("http://" + addr.String() + "/nowhere")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "a GET elsewhere is still not found")
}

func TestServeStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	addr, stop, err := health.New(health.Options{}).Serve(ctx, "127.0.0.1:0")
	require.NoError(t, err)
	cancel()
	stop() // waits for the goroutines the context ended
	_, err = net.DialTimeout("tcp", addr.String(), time.Second)
	assert.Error(t, err)
}

func TestCheckListen(t *testing.T) {
	for addr, ok := range map[string]bool{
		"":                true,
		"127.0.0.1:9090":  true,
		"0.0.0.0:9090":    true,
		":9090":           true,
		"[::1]:9090":      true,
		"localhost:9090":  true,
		"127.0.0.1:0":     true,
		"127.0.0.1":       false,
		"9090":            false,
		"127.0.0.1:http":  false,
		"127.0.0.1:99999": false,
		"127.0.0.1:-1":    false,
		"bad host:9090":   false,
		"http://x:9090":   false,
	} {
		msg := health.CheckListen(addr)
		assert.Equal(t, ok, msg == "", "%q: %s", addr, msg)
	}
	ps := health.Config{Listen: "127.0.0.1"}.Validate().Under("http")
	require.Len(t, ps, 1)
	assert.Equal(t, "http.listen", ps[0].Key)
}

// What the frame loop pays per update and per frame drawn.
func BenchmarkTickedAndDrawn(b *testing.B) {
	s := health.New(health.Options{})
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		s.Ticked(now, 1)
		s.Drawn(now)
	}
}

// What one scrape of /metrics costs, with every part watched.
func BenchmarkScrape(b *testing.B) {
	s := health.New(health.Options{})
	s.WatchCamera(func() health.Camera { return health.Camera{Up: true, FPS: 30} })
	s.WatchDetectors(func() []health.Detector { return []health.Detector{{Name: "objects"}, {Name: "faces"}} })
	s.WatchPower(func() health.Power {
		return health.Power{Read: true, Level: "mains", Levels: []string{"mains", "high", "medium", "low", "critical"}, OnAC: true, Percent: -1, DrawWatts: -1}
	})
	s.WatchLink(func() health.Link { return health.Link{} })
	for _, d := range []string{"objects", "faces"} {
		s.DetectorRan(d, 10*time.Millisecond, nil)
	}
	h := s.Handler()
	b.ReportAllocs()
	size := 0
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, health.MetricsPath, nil))
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size), "bytes/scrape")
}
