package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/internal/meter"
	"github.com/carrierarcade/kiosk/link"
)

// LinkBench is what 'kiosk bench --link' measures: a hub and three
// carriers in this process, on 127.0.0.1.
type LinkBench struct {
	Carriers int `json:"carriers"`
	// Bytes per hour on the wire per carrier (in and out of the hub,
	// divided among the carriers), with nobody playing and in constant
	// play (a find every 10 s and a result every 30 s on every carrier).
	IdleBytesPerHour float64 `json:"idle_bytes_per_hour_per_carrier"`
	PlayBytesPerHour float64 `json:"play_bytes_per_hour_per_carrier"`
	// From a result stored on one carrier to it on the other carriers'
	// boards.
	LatencyP50 float64 `json:"latency_p50_ms"`
	LatencyP95 float64 `json:"latency_p95_ms"`
	// What the link adds: resident memory for one carrier's server (the
	// three carriers' and the hub's growth, per server), CPU while idle
	// per carrier, and the size of the NATS code in the kiosk program.
	RSSPerServerMB    float64 `json:"rss_per_server_mb"`
	IdleCPUPerCarrier float64 `json:"idle_cpu_seconds_per_second_per_carrier"`
	BinaryNATSBytes   int64   `json:"binary_nats_bytes"`
	BinaryBytes       int64   `json:"binary_bytes"`
	Seconds           float64 `json:"seconds_per_phase"`
	Machine           string  `json:"machine"`
}

func Link(seconds float64, asJSON bool, stdout, stderr io.Writer) error {
	const n = 3
	dir, err := os.MkdirTemp("", "kiosk-bench-link-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	quiet := slog.New(slog.DiscardHandler)
	runtime.GC()
	rss0, _ := meter.RSS()
	var keys, pubs []string
	for i := range n {
		k := filepath.Join(dir, fmt.Sprint("carrier", i, ".nk"))
		pub, err := link.Keygen(k)
		if err != nil {
			return err
		}
		keys, pubs = append(keys, k), append(pubs, pub)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	hub, err := link.StartHub(link.HubConfig{Listen: "127.0.0.1:" + strconv.Itoa(port), Carriers: pubs}, quiet)
	if err != nil {
		return err
	}
	defer hub.Close()
	var carriers []*link.Carrier
	for i := range n {
		c, err := link.Start(link.Config{Enabled: true, Name: fmt.Sprint("Bench Cat ", i+1), Hub: hub.LeafURL(), KeyFile: keys[i]},
			filepath.Join(dir, fmt.Sprint("c", i)), quiet)
		if err != nil {
			return err
		}
		defer c.Close()
		carriers = append(carriers, c)
	}
	fmt.Fprintf(stderr, "bench --link: a hub and %d carriers on 127.0.0.1, %.0f s a phase\n", n, seconds)
	if err := waitFor(60*time.Second, func() bool {
		for _, c := range carriers {
			if st := c.Status(); !st.Up || st.Sources != n || len(st.Online) != n-1 {
				return false
			}
		}
		return true
	}); err != nil {
		return fmt.Errorf("the carriers did not find each other: %w", err)
	}
	time.Sleep(2 * time.Second) // sourcing settles
	rss1, _ := meter.RSS()
	res := LinkBench{Carriers: n, Seconds: seconds, Machine: machine(),
		RSSPerServerMB: round2(float64(int64(rss1)-int64(rss0)) / float64(n+1) / (1 << 20))}
	phase := time.Duration(seconds * float64(time.Second))

	// Idle: heartbeats and JetStream's own upkeep only.
	in0, out0 := hub.Traffic()
	cpu0 := cpuTime()
	time.Sleep(phase)
	in1, out1 := hub.Traffic()
	res.IdleCPUPerCarrier = math.Round((cpuTime()-cpu0).Seconds()/phase.Seconds()/n*1e4) / 1e4
	res.IdleBytesPerHour = perHour(in1-in0+out1-out0, phase) / n

	// Constant play, with the latency of each result measured.
	var lat []time.Duration
	start := time.Now()
	for tick := 0; time.Since(start) < phase; tick++ {
		for i, c := range carriers {
			c.Hear(game.Event{Kind: game.KindFind, Item: "cup"})
			if tick%3 == i%3 { // a result every 30 s on each carrier
				// Timed to its arrival on the next carrier's board.
				next, day := carriers[(i+1)%n].Board(), c.Today()
				before := next.Results(day)
				t0 := time.Now()
				c.Hear(game.Event{Kind: game.KindResults, Game: "hunt", Name: fmt.Sprint("Player ", tick), Score: 100 + tick})
				if waitFor(10*time.Second, func() bool { return next.Results(day) > before }) == nil {
					lat = append(lat, time.Since(t0))
				}
			}
		}
		time.Sleep(time.Until(start.Add(time.Duration(tick+1) * 10 * time.Second)))
	}
	in2, out2 := hub.Traffic()
	res.PlayBytesPerHour = perHour(in2-in1+out2-out1, time.Since(start)) / n
	if len(lat) > 0 {
		slices.Sort(lat)
		res.LatencyP50 = round2(millis(lat[len(lat)/2]))
		res.LatencyP95 = round2(millis(lat[min(len(lat)-1, len(lat)*95/100)]))
	}
	res.BinaryBytes, res.BinaryNATSBytes = natsCodeSize()
	if asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	fmt.Fprintf(stdout, "%d carriers and a hub on %s\n", n, res.Machine)
	fmt.Fprintf(stdout, "on the wire per carrier: idle %.2f MB/hour, constant play %.2f MB/hour\n",
		res.IdleBytesPerHour/1e6, res.PlayBytesPerHour/1e6)
	fmt.Fprintf(stdout, "a result reaches the other carriers: p50 %.1f ms, p95 %.1f ms (%d results)\n", res.LatencyP50, res.LatencyP95, len(lat))
	fmt.Fprintf(stdout, "memory %.1f MB per server, idle CPU %.4f s/s per carrier, NATS code %.1f MB of a %.1f MB program\n",
		res.RSSPerServerMB, res.IdleCPUPerCarrier, float64(res.BinaryNATSBytes)/1e6, float64(res.BinaryBytes)/1e6)
	return nil
}

func perHour(bytes int64, d time.Duration) float64 { return round2(float64(bytes) / d.Hours()) }

// waitFor polls cond until it holds or d has passed.
func waitFor(d time.Duration, cond func() bool) error {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("not within %v", d)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return nil
}

// natsCodeSize is this program's size and how much of it is NATS's code
// and data (the symbols of its packages), as 'go tool nm' sizes them.
func natsCodeSize() (total, nats int64) {
	self, err := os.Executable()
	if err != nil {
		return 0, 0
	}
	if info, err := os.Stat(self); err == nil {
		total = info.Size()
	}
	out, err := exec.Command("go", "tool", "nm", "-size", self).Output()
	if err != nil {
		return total, 0
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) >= 4 && strings.Contains(f[3], "nats-io/") {
			if sz, err := strconv.ParseInt(f[1], 10, 64); err == nil {
				nats += sz
			}
		}
	}
	return total, nats
}

func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
