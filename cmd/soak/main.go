// Command soak runs the kiosk as a booth does, for a long time, and watches
// what it costs: the window (under whatever display DISPLAY names, Xvfb in
// 'make soak') on the demo reel with the carrier link on, against a local
// 'kiosk hub' on 127.0.0.1 that is killed (kill -9) and started again on a
// schedule. Every --every it prints the window's memory (RSS), goroutines
// and open files from /metrics and the link's events from 'kiosk link
// status --json', then a summary. It exits 1 when the kiosk died, stopped
// answering or the link never came up.
//
// Fields are read by name, and one that is missing prints "-" (the link's
// status and metrics may gain or rename fields): from /metrics
// process_resident_memory_bytes, go_goroutines, process_open_fds,
// kiosk_link_up, kiosk_link_events_sent_total, kiosk_link_events_acked_total,
// kiosk_link_events_queued; from the status "up", "sent", "acked", "queued",
// "dropped" and "last_error".
package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	kiosk, config, reel, dir string
	length, every            time.Duration
	hubUp, hubDown           time.Duration
	sets                     []string
}

func parse(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("soak", flag.ContinueOnError)
	fs.StringVar(&o.kiosk, "kiosk", "bin/kiosk", "the kiosk program (kiosk-window beside it)")
	fs.StringVar(&o.config, "config", "config.toml", "the configuration the kiosk and the hub start from")
	fs.StringVar(&o.reel, "reel", ".cache/media/demo-reel.avi", "the clip the window plays (the demo reel: games start by themselves)")
	fs.StringVar(&o.dir, "dir", "", "folder for the key, data and logs (default: a new temporary folder, kept)")
	fs.DurationVar(&o.length, "for", 15*time.Minute, "how long to run")
	fs.DurationVar(&o.every, "every", 30*time.Second, "how often to print a sample")
	fs.DurationVar(&o.hubUp, "hub-up", 100*time.Second, "how long the hub runs before it is killed")
	fs.DurationVar(&o.hubDown, "hub-down", 20*time.Second, "how long the hub stays dead")
	fs.Func("set", "a further --set key=value for the kiosk (repeatable)", func(s string) error { o.sets = append(o.sets, s); return nil })
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if o.every <= 0 || o.hubUp <= 0 || o.hubDown <= 0 || o.length <= 0 {
		return o, errors.New("--for, --every, --hub-up and --hub-down must be above zero")
	}
	return o, nil
}

func run(args []string, out io.Writer) error {
	o, err := parse(args)
	if err != nil {
		return err
	}
	if os.Getenv("DISPLAY") == "" {
		return errors.New("no DISPLAY: run it under a display, as 'make soak' does (xvfb-run)")
	}
	if o.dir == "" {
		if o.dir, err = os.MkdirTemp("", "kiosk-soak-"); err != nil {
			return err
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	key := filepath.Join(o.dir, "carrier.nk")
	pub, err := exec.Command(o.kiosk, "link", "keygen", "--out", key).Output()
	if err != nil {
		return fmt.Errorf("kiosk link keygen: %w", err)
	}
	hubPort, statusPort, httpPort := freePort(), freePort(), freePort()
	hubAddr := fmt.Sprintf("127.0.0.1:%d", hubPort)
	hub := &hub{kiosk: o.kiosk, log: filepath.Join(o.dir, "hub.log"),
		args: []string{"hub", "--config", o.config, "--listen", hubAddr,
			"--set", fmt.Sprintf("hub.carriers=[%q]", strings.TrimSpace(string(pub)))}}
	if err := hub.start(); err != nil {
		return err
	}
	defer hub.stop()

	linkSets := []string{
		"link.enabled=true",
		fmt.Sprintf("link.hub=%q", "nats-leaf://"+hubAddr),
		fmt.Sprintf("link.key_file=%q", key),
		fmt.Sprintf("link.local_port=%d", statusPort),
		`link.name="Soak Cat"`,
	}
	sets := append(append([]string{}, linkSets...),
		fmt.Sprintf("http.listen=%q", fmt.Sprintf("127.0.0.1:%d", httpPort)),
		fmt.Sprintf("game.data_dir=%q", filepath.Join(o.dir, "data")),
		// A small window, so that the software renderer keeps up.
		"display.width=640", "display.height=400")
	sets = append(sets, o.sets...)
	kioskArgs := []string{"run", "--windowed", "--config", o.config, "--source", "file:" + o.reel}
	for _, s := range sets {
		kioskArgs = append(kioskArgs, "--set", s)
	}
	logFile, err := os.Create(filepath.Join(o.dir, "kiosk.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	kiosk := exec.Command(o.kiosk, kioskArgs...)
	kiosk.Stdout, kiosk.Stderr = logFile, logFile
	kiosk.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := kiosk.Start(); err != nil {
		return err
	}
	var waitErr error
	exited := make(chan struct{})
	go func() { waitErr = kiosk.Wait(); close(exited) }()
	defer stopKiosk(kiosk, exited)

	metrics := fmt.Sprintf("http://127.0.0.1:%d/metrics", httpPort)
	statusArgs := []string{"link", "status", "--json", "--config", o.config}
	for _, s := range linkSets {
		statusArgs = append(statusArgs, "--set", s)
	}
	status := func() string {
		b, _ := exec.CommandContext(ctx, o.kiosk, statusArgs...).Output()
		return string(b)
	}
	fmt.Fprintf(out, "soak: %s for %s in %s; hub on %s killed every %s for %s; logs kiosk.log, hub.log\n",
		o.reel, o.length, o.dir, hubAddr, o.hubUp, o.hubDown)

	// The window loads its models first: wait for its metrics.
	started := time.Now()
	deadline := started.Add(3 * time.Minute)
	for {
		if _, err := scrape(metrics); err == nil {
			break
		}
		select {
		case <-exited:
			return fmt.Errorf("the kiosk exited before it served metrics (%v); see %s", waitErr, logFile.Name())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no metrics on %s after 3 minutes; see %s", metrics, logFile.Name())
		}
	}

	var samples []sample
	take := func(now time.Time) error {
		text, err := scrape(metrics)
		if err != nil {
			return fmt.Errorf("the kiosk stopped answering at %s: %w", now.Sub(started).Round(time.Second), err)
		}
		s, err := readSample(text, status())
		if err != nil {
			return err
		}
		s.at, s.hubUp = now.Sub(started), hub.running()
		samples = append(samples, s)
		fmt.Fprintln(out, s)
		return nil
	}
	if err := take(time.Now()); err != nil {
		return err
	}
	tick := time.NewTicker(o.every)
	defer tick.Stop()
	end := time.After(o.length)
	hubTurn := time.NewTimer(o.hubUp)
	defer hubTurn.Stop()
	kills := 0
	for done := false; !done; {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-exited:
			return fmt.Errorf("the kiosk exited after %s (%v); see %s", time.Since(started).Round(time.Second), waitErr, logFile.Name())
		case now := <-tick.C:
			if err := take(now); err != nil {
				return err
			}
		case <-hubTurn.C:
			if hub.running() {
				hub.kill()
				kills++
				fmt.Fprintf(out, "%6s  hub killed (kill -9), %d of the run\n", time.Since(started).Round(time.Second), kills)
				hubTurn.Reset(o.hubDown)
			} else {
				if err := hub.start(); err != nil {
					return err
				}
				fmt.Fprintf(out, "%6s  hub started again\n", time.Since(started).Round(time.Second))
				hubTurn.Reset(o.hubUp)
			}
		case <-end:
			done = true
		}
	}
	if !hub.running() {
		if err := hub.start(); err != nil {
			return err
		}
	}
	if err := take(time.Now()); err != nil {
		return err
	}
	return summarize(out, samples, kills, logFile.Name())
}

// sample is one look at the window and its link; nil fields were absent.
type sample struct {
	at                           time.Duration
	hubUp                        bool
	rss, goroutines, fds         *float64
	metricUp, metricSent         *float64
	metricAcked, metricQueued    *float64
	linkUp                       *bool
	sent, acked, queued, dropped *float64
	lastErr                      string
}

// readSample reads a sample from the metrics' text and the link status's
// JSON (empty when it did not answer), each field by name.
func readSample(metrics, status string) (sample, error) {
	var s sample
	parser := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := parser.TextToMetricFamilies(strings.NewReader(metrics))
	if err != nil {
		return s, fmt.Errorf("the metrics cannot be read: %w", err)
	}
	gauge := func(name string) *float64 {
		mf := mfs[name]
		if mf == nil || len(mf.Metric) == 0 {
			return nil
		}
		m := mf.Metric[0]
		switch {
		case m.Gauge != nil:
			return m.Gauge.Value
		case m.Counter != nil:
			return m.Counter.Value
		case m.Untyped != nil:
			return m.Untyped.Value
		}
		return nil
	}
	s.rss, s.goroutines, s.fds = gauge("process_resident_memory_bytes"), gauge("go_goroutines"), gauge("process_open_fds")
	s.metricUp, s.metricSent = gauge("kiosk_link_up"), gauge("kiosk_link_events_sent_total")
	s.metricAcked, s.metricQueued = gauge("kiosk_link_events_acked_total"), gauge("kiosk_link_events_queued")

	var st map[string]any
	if json.Unmarshal([]byte(status), &st) != nil {
		return s, nil // no answer: printed as absent
	}
	if v, ok := st["up"].(bool); ok {
		s.linkUp = &v
	}
	number := func(name string) *float64 {
		if v, ok := st[name].(float64); ok {
			return &v
		}
		return nil
	}
	s.sent, s.acked, s.queued, s.dropped = number("sent"), number("acked"), number("queued"), number("dropped")
	s.lastErr, _ = st["last_error"].(string)
	return s, nil
}

func (s sample) String() string {
	hub := "down"
	if s.hubUp {
		hub = "up"
	}
	line := fmt.Sprintf("%6s  rss %s MB  goroutines %s  fds %s  |  hub %s  link up %s (metric %s)  sent %s (metric %s)  acked %s (metric %s)  queued %s  dropped %s",
		s.at.Round(time.Second), num(s.rss, 1<<20, 1), num(s.goroutines, 1, 0), num(s.fds, 1, 0), hub, yes(s.linkUp), num(s.metricUp, 1, 0),
		num(s.sent, 1, 0), num(s.metricSent, 1, 0), num(s.acked, 1, 0), num(s.metricAcked, 1, 0), num(s.queued, 1, 0), num(s.dropped, 1, 0))
	if s.lastErr != "" {
		line += "  last error: " + s.lastErr
	}
	return line
}

func num(v *float64, unit float64, decimals int) string {
	if v == nil {
		return "-"
	}
	return strconv.FormatFloat(*v/unit, 'f', decimals, 64)
}

func yes(v *bool) string {
	if v == nil {
		return "-"
	}
	return strconv.FormatBool(*v)
}

// summarize prints the first and last samples' figures side by side, and
// fails a run whose link never came up.
func summarize(out io.Writer, samples []sample, kills int, kioskLog string) error {
	first, last := samples[0], samples[len(samples)-1]
	minutes := (last.at - first.at).Minutes()
	fmt.Fprintf(out, "summary over %.1f min, hub killed %d times:\n", minutes, kills)
	fmt.Fprintf(out, "  rss        %s -> %s MB (peak %s)\n", num(first.rss, 1<<20, 1), num(last.rss, 1<<20, 1), num(peak(samples, func(s sample) *float64 { return s.rss }), 1<<20, 1))
	fmt.Fprintf(out, "  goroutines %s -> %s (peak %s)\n", num(first.goroutines, 1, 0), num(last.goroutines, 1, 0), num(peak(samples, func(s sample) *float64 { return s.goroutines }), 1, 0))
	fmt.Fprintf(out, "  fds        %s -> %s (peak %s)\n", num(first.fds, 1, 0), num(last.fds, 1, 0), num(peak(samples, func(s sample) *float64 { return s.fds }), 1, 0))
	fmt.Fprintf(out, "  link       sent %s, acked %s, queued %s, dropped %s at the end\n", num(cmp.Or(last.sent, last.metricSent), 1, 0),
		num(cmp.Or(last.acked, last.metricAcked), 1, 0), num(cmp.Or(last.queued, last.metricQueued), 1, 0), num(last.dropped, 1, 0))
	if data, err := os.ReadFile(kioskLog); err == nil {
		fmt.Fprintf(out, "  kiosk.log  %d ERROR and %d WARN lines (%s)\n", strings.Count(string(data), "level=ERROR"), strings.Count(string(data), "level=WARN"), kioskLog)
	}
	for _, s := range samples {
		if (s.linkUp != nil && *s.linkUp) || (s.metricUp != nil && *s.metricUp == 1) {
			return nil
		}
	}
	return errors.New("the link never came up")
}

func peak(samples []sample, field func(sample) *float64) *float64 {
	var p *float64
	for _, s := range samples {
		if v := field(s); v != nil && (p == nil || *v > *p) {
			p = v
		}
	}
	return p
}

// scrape reads the metrics' text.
func scrape(url string) (string, error) {
	c := http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: %s", url, resp.Status)
	}
	return string(b), nil
}

// freePort is a port on 127.0.0.1 free a moment ago.
func freePort() int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// hub is the 'kiosk hub' process, started and killed on the schedule.
type hub struct {
	kiosk, log string
	args       []string
	cmd        *exec.Cmd
	done       chan struct{}
}

func (h *hub) start() error {
	f, err := os.OpenFile(h.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	h.cmd = exec.Command(h.kiosk, h.args...)
	h.cmd.Stdout, h.cmd.Stderr = f, f
	h.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := h.cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("kiosk hub: %w", err)
	}
	h.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) {
		cmd.Wait()
		f.Close()
		close(done)
	}(h.cmd, h.done)
	return nil
}

func (h *hub) running() bool {
	if h.cmd == nil {
		return false
	}
	select {
	case <-h.done:
		return false
	default:
		return true
	}
}

// kill ends the hub as a power cut would, and waits for it.
func (h *hub) kill() {
	if h.running() {
		_ = h.cmd.Process.Signal(syscall.SIGKILL)
		<-h.done
	}
}

// stop ends the hub cleanly at the end of the run.
func (h *hub) stop() {
	if !h.running() {
		return
	}
	_ = h.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-h.done:
	case <-time.After(10 * time.Second):
		h.kill()
	}
}

// stopKiosk asks the kiosk to stop (it closes its window program) and
// kills its process group if it has not within 30 s.
func stopKiosk(cmd *exec.Cmd, exited <-chan struct{}) {
	select {
	case <-exited:
		return
	default:
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
	}
}
