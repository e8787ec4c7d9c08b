package kiosk

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/carrierarcade/kiosk/booth"
	"github.com/carrierarcade/kiosk/health"
	"github.com/carrierarcade/kiosk/internal/testenv"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hang is how long a test waits for a kiosk before it calls it hung. It
// bounds a broken run; nothing is timed against it.
const hang = 3 * time.Minute

// served is a kiosk process a test started, with the address its health
// server logged.
type served struct {
	cmd    *exec.Cmd
	addr   string
	done   chan struct{} // closed once the process has exited
	mu     sync.Mutex
	stderr bytes.Buffer
	err    error // from Wait
}

var servingLine = regexp.MustCompile(`msg="serving health and metrics" addr=(\S+)`)

// serveKiosk starts bin/kiosk with args (which ask for port 0 on
// 127.0.0.1) and waits until its health server says where it listens.
func serveKiosk(t *testing.T, args ...string) *served {
	t.Helper()
	s := &served{cmd: exec.Command(filepath.Join(testenv.Binaries(t), "kiosk"), args...), done: make(chan struct{})}
	s.cmd.Stdout = io.Discard
	pipe, err := s.cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, s.cmd.Start())
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			s.mu.Lock()
			s.stderr.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
		s.err = s.cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	})
	select {
	case s.addr = <-addr:
	case <-s.done:
		t.Fatalf("the kiosk ended before serving: %v\n%s", s.err, s.log())
	case <-time.After(hang):
		t.Fatalf("no health server after %s:\n%s", hang, s.log())
	}
	require.True(t, strings.HasPrefix(s.addr, "127.0.0.1:"), s.addr)
	return s
}

func (s *served) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderr.String()
}

// get fetches a path from the kiosk: status, content type and body.
func (s *served) get(t *testing.T, path string) (int, string, []byte) {
	t.Helper()
	resp, err := (&http.Client{Timeout: time.Minute}).Get("http://" + s.addr + path)
	require.NoError(t, err, path)
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	require.NoError(t, err)
	return resp.StatusCode, resp.Header.Get("Content-Type"), body
}

// scrape parses /metrics with the Prometheus text parser.
func (s *served) scrape(t *testing.T) map[string]*dto.MetricFamily {
	t.Helper()
	code, ctype, body := s.get(t, health.MetricsPath)
	require.Equal(t, 200, code, string(body))
	require.True(t, strings.HasPrefix(ctype, "text/plain; version=0.0.4"), ctype)
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(bytes.NewReader(body))
	require.NoError(t, err)
	return mfs
}

// until scrapes until ok says the metrics show what the test waits for.
func (s *served) until(t *testing.T, what string, ok func(map[string]*dto.MetricFamily) bool) map[string]*dto.MetricFamily {
	t.Helper()
	deadline := time.Now().Add(hang)
	for {
		mfs := s.scrape(t)
		if ok(mfs) {
			return mfs
		}
		select {
		case <-s.done:
			t.Fatalf("the kiosk ended before %s: %v\n%s", what, s.err, s.log())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s after %s:\n%s", what, hang, s.log())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop interrupts the kiosk as a terminal or a kubelet would and wants a
// clean exit.
func (s *served) stop(t *testing.T) {
	t.Helper()
	require.NoError(t, s.cmd.Process.Signal(os.Interrupt))
	select {
	case <-s.done:
	case <-time.After(hang):
		t.Fatalf("the kiosk did not stop on SIGINT:\n%s", s.log())
	}
	require.NoError(t, s.err, s.log())
	_, err := net.DialTimeout("tcp", s.addr, time.Second)
	assert.Error(t, err, "nothing listens after the kiosk stopped")
}

// metric is one series' value (a histogram's sample count); ok is false
// when the family or the series is missing.
func metric(mfs map[string]*dto.MetricFamily, name string, pairs ...string) (float64, bool) {
	mf := mfs[name]
	if mf == nil {
		return 0, false
	}
	for _, m := range mf.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		match := true
		for i := 0; i+1 < len(pairs); i += 2 {
			match = match && labels[pairs[i]] == pairs[i+1]
		}
		if !match {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue(), true
		case m.Gauge != nil:
			return m.GetGauge().GetValue(), true
		case m.Histogram != nil:
			return float64(m.GetHistogram().GetSampleCount()), true
		}
	}
	return 0, false
}

// meanSeconds is a histogram series' mean.
func meanSeconds(mfs map[string]*dto.MetricFamily, name string, pairs ...string) float64 {
	for _, m := range mfs[name].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == pairs[0] && l.GetValue() == pairs[1] {
				h := m.GetHistogram()
				return h.GetSampleSum() / float64(h.GetSampleCount())
			}
		}
	}
	return -1
}

// assertServesNoPicture asks for every route and a few a curious client
// might try: each answer is short UTF-8 text, nothing a browser would take
// for a picture. A 768x576 frame is 1.3 MB raw.
func assertServesNoPicture(t *testing.T, s *served) int {
	t.Helper()
	total := 0
	for _, p := range append(health.Paths(), "/", "/frame.jpg", "/snapshot.png", "/video", "/debug/pprof/", "/metrics?format=jpeg") {
		code, ctype, body := s.get(t, p)
		total += len(body)
		assert.True(t, strings.HasPrefix(ctype, "text/plain"), "%s: %s", p, ctype)
		assert.True(t, strings.HasPrefix(http.DetectContentType(body), "text/plain"), "%s sniffs as %s", p, http.DetectContentType(body))
		assert.True(t, utf8.Valid(body), "%s: not UTF-8 text", p)
		assert.NotContains(t, string(body), "\x00", p)
		for _, magic := range []string{"\xff\xd8\xff", "\x89PNG", "RIFF", "GIF8", "P6\n"} {
			assert.NotContains(t, string(body), magic, p)
		}
		assert.Less(t, len(body), 64<<10, p)
		if !strings.HasPrefix(p, "/metrics") && p != health.LivePath && p != health.ReadyPath {
			assert.Equal(t, http.StatusNotFound, code, p)
		}
	}
	return total
}

// A kiosk sim with --http serves its metrics while it plays: a round of
// bubbles on the pedestrians clip shows up as a game played with a score,
// the detectors' inference times as histograms, the logic clock as ticks;
// the probes say alive and ready; nothing served is a picture; SIGINT
// stops it cleanly.
func TestSimServesMetricsWhilePlaying(t *testing.T) {
	t.Parallel()
	testenv.ORTLibrary(t)
	testenv.Model(t, "yolox_nano.onnx")
	testenv.Model(t, "face_detection_back_256x256_barracuda.onnx")
	vtest := testenv.Media(t, "vtest.avi")
	s := serveKiosk(t, "sim", "--config", testenv.Path("config.toml"), "--game", "bubbles",
		"--source", "file:"+vtest, "--seconds", "1000000", "--http", "127.0.0.1:0",
		"--set", "game.bubbles.round_seconds=10", "--set", "budget.object_hz=2", "--set", "budget.face_hz=2",
		// Both detectors in the bubbles round (which by itself runs no
		// faces), so that both report.
		"--set", "budget.by_scene=false")

	mfs := s.until(t, "a round played", func(mfs map[string]*dto.MetricFamily) bool {
		n, _ := metric(mfs, "kiosk_games_played_total", "game", "bubbles")
		return n >= 1
	})
	for _, c := range []struct {
		name  string
		pairs []string
		check func(float64) bool
		want  string
	}{
		{"kiosk_games_played_total", []string{"game", "bubbles"}, func(v float64) bool { return v >= 1 }, ">= 1"},
		{"kiosk_games_played_total", []string{"game", "hunt"}, func(v float64) bool { return v == 0 }, "0, another game"},
		{"kiosk_game_score", []string{"game", "bubbles"}, func(v float64) bool { return v >= 1 }, "a score per round"},
		{"kiosk_logic_ticks_total", nil, func(v float64) bool { return v >= 60*10 }, "a 10 s round at 60 ticks a second"},
		{"kiosk_frames_drawn_total", nil, func(v float64) bool { return v == 0 }, "0: no window"},
		{"kiosk_detector_inference_seconds", []string{"detector", "objects"}, func(v float64) bool { return v >= 10 }, "runs at 2 a second of clip"},
		{"kiosk_detector_inference_seconds", []string{"detector", "faces"}, func(v float64) bool { return v >= 10 }, "runs"},
		{"kiosk_detector_failures_total", []string{"detector", "objects"}, func(v float64) bool { return v == 0 }, "0 (or absent)"},
		{"kiosk_detector_runs_per_second", []string{"detector", "objects"}, func(v float64) bool { return v >= 0 }, "present"},
		{"kiosk_camera_up", nil, func(v float64) bool { return v == 1 }, "1: the clip plays"},
		{"kiosk_camera_demo", nil, func(v float64) bool { return v == 0 }, "0: the clip was asked for"},
		{"kiosk_camera_outages_total", nil, func(v float64) bool { return v == 0 }, "0: a looping clip"},
		{"kiosk_scene_failures_total", nil, func(v float64) bool { return v == 0 }, "0"},
		{"go_goroutines", nil, func(v float64) bool { return v > 0 }, "> 0"},
		{"process_resident_memory_bytes", nil, func(v float64) bool { return v > 10<<20 }, "> 10 MB with two models"},
	} {
		v, ok := metric(mfs, c.name, c.pairs...)
		if c.name == "kiosk_detector_failures_total" && !ok {
			continue // a detector that never failed has no series
		}
		if assert.True(t, ok, "%s %v missing", c.name, c.pairs) {
			assert.True(t, c.check(v), "%s %v = %v, want %s", c.name, c.pairs, v, c.want)
		}
	}
	for _, d := range []string{"objects", "faces"} {
		mean := meanSeconds(mfs, "kiosk_detector_inference_seconds", "detector", d)
		assert.True(t, mean > 0 && mean < 5, "%s: mean inference %v s", d, mean)
	}
	assert.NotContains(t, mfs, "kiosk_power_level", "a simulation has no power policy")
	assert.NotContains(t, mfs, "kiosk_link_up", "nor a link unless asked")

	code, _, body := s.get(t, health.LivePath)
	assert.Equal(t, 200, code, string(body))
	code, _, body = s.get(t, health.ReadyPath)
	assert.Equal(t, 200, code, string(body))
	assert.Equal(t, "source: ok\n", string(body), "headless: no window to wait for")

	total := assertServesNoPicture(t, s)
	t.Logf("every route together: %d bytes", total)
	s.stop(t)
	assert.NotContains(t, s.log(), "level=ERROR")
}

// The window serves too ('kiosk run'): frames drawn, the window and the
// clip ready, the power level, and still no picture while the live
// camera picture is on screen.
func TestWindowServesHealthAndMetrics(t *testing.T) {
	t.Parallel()
	testenv.Display(t)
	testenv.ORTLibrary(t)
	testenv.Model(t, "yolox_nano.onnx")
	vtest := testenv.Media(t, "vtest.avi")
	s := serveKiosk(t, "run", "--windowed", "--config", testenv.Path("config.toml"), "--source", "file:"+vtest,
		"--set", "http.listen=\"127.0.0.1:0\"", "--set", "display.width=640", "--set", "display.height=400",
		"--set", "game.data_dir=\""+t.TempDir()+"\"", "--set", "display.privacy=\"live\"")
	mfs := s.until(t, "frames drawn and ticks played", func(mfs map[string]*dto.MetricFamily) bool {
		drawn, _ := metric(mfs, "kiosk_frames_drawn_total")
		ticks, _ := metric(mfs, "kiosk_logic_ticks_total")
		return drawn > 0 && ticks > 0
	})
	up, _ := metric(mfs, "kiosk_camera_up")
	assert.Equal(t, 1.0, up)
	_, ok := metric(mfs, "kiosk_games_played_total", "game", "freeze")
	assert.True(t, ok, "every game has a series from the start")

	// Readiness waits for the first frame drawn and the first frame read.
	deadline := time.Now().Add(hang)
	for {
		code, _, body := s.get(t, health.ReadyPath)
		if code == 200 {
			assert.Equal(t, "window: ok\nsource: ok\n", string(body))
			break
		}
		require.True(t, time.Now().Before(deadline), "never ready: %s\n%s", body, s.log())
		time.Sleep(100 * time.Millisecond)
	}
	code, _, body := s.get(t, health.LivePath)
	assert.Equal(t, 200, code, string(body))
	mfs = s.until(t, "the power level", func(mfs map[string]*dto.MetricFamily) bool {
		_, ok := metric(mfs, "kiosk_power_on_ac")
		return ok
	})
	levels := 0.0
	for _, m := range mfs["kiosk_power_level"].GetMetric() {
		levels += m.GetGauge().GetValue()
	}
	assert.Equal(t, 1.0, levels, "one power level in force")
	assertServesNoPicture(t, s)
	s.stop(t)
	assert.NotContains(t, s.log(), "level=ERROR")
}

// A port in use is one error line naming the setting and the address,
// and the kiosk plays on without metrics.
func TestHealthPortInUse(t *testing.T) {
	t.Parallel()
	held, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer held.Close()
	addr := held.Addr().String()

	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	stop := booth.ServeHealth(context.Background(), health.New(health.Options{}), "http.listen", addr, log)
	stop()
	assert.Contains(t, buf.String(), `level=ERROR msg="health and metrics not served: cannot listen on http.listen \"`+addr+`\"; the kiosk plays on without them"`)
	assert.Contains(t, buf.String(), "address already in use")
	assert.Equal(t, 1, strings.Count(buf.String(), "\n"), "one line")

	testenv.ORTLibrary(t)
	testenv.Model(t, "yolox_nano.onnx")
	vtest := testenv.Media(t, "vtest.avi")
	code, out, errOut := kiosk(t, "sim", "--config", testenv.Path("config.toml"), "--game", "bubbles",
		"--source", "file:"+vtest+"?loop=0", "--seconds", "4", "--http", addr)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, 1, strings.Count(errOut, "level=ERROR"), errOut)
	assert.Contains(t, errOut, `cannot listen on --http \"`+addr+`\"`)
	assert.Contains(t, out, `"type":"round_start"`, "the game played on")
}

func TestSimHTTPFlag(t *testing.T) {
	t.Parallel()
	code, _, errOut := kiosk(t, "sim", "--game", "bubbles", "--http", "9090")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `--http is "9090", want host:port`)
	code, _, errOut = kiosk(t, "sim", "--replay", "x.rec", "--http", "127.0.0.1:0")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "give it alone")
}
