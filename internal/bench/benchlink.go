package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/internal/meter"
)

// LinkBench is what 'kiosk bench --link' measures: a hub and three
// carriers in this process, on 127.0.0.1.
type LinkBench struct {
	Carriers int `json:"carriers"`
	// Bytes per hour on the wire per carrier, with nobody playing and in
	// constant play (a find every 10 s and a result every 30 s on every
	// carrier): the TCP bytes between each carrier and the hub, both ways,
	// counted by a proxy on 127.0.0.1 between them, so the NATS protocol
	// and JetStream's own messages count too. The mean of the carriers,
	// and the busiest one.
	IdleBytesPerHour    float64 `json:"idle_bytes_per_hour_per_carrier"`
	IdleBytesPerHourMax float64 `json:"idle_bytes_per_hour_busiest_carrier"`
	PlayBytesPerHour    float64 `json:"play_bytes_per_hour_per_carrier"`
	PlayBytesPerHourMax float64 `json:"play_bytes_per_hour_busiest_carrier"`
	// The message bodies alone, as the hub's server counts them (in and
	// out, divided among the carriers): what this bench reported before
	// it counted the wire.
	IdleBodyBytesPerHour float64 `json:"idle_body_bytes_per_hour_per_carrier"`
	PlayBodyBytesPerHour float64 `json:"play_body_bytes_per_hour_per_carrier"`
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

// The link's bandwidth goals per carrier, on the wire (issue 20).
const (
	linkIdleGoal = 5e6  // bytes per hour with nobody playing
	linkPlayGoal = 20e6 // bytes per hour in constant play
)

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
	rig, err := startLinkRig(n, dir, quiet)
	if err != nil {
		return err
	}
	defer rig.Close()
	hub, carriers := rig.hub, rig.carriers
	fmt.Fprintf(stderr, "bench --link: a hub and %d carriers on 127.0.0.1, each link through a counting proxy, %.0f s a phase\n", n, seconds)
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
	wire0 := rig.wire()
	cpu0 := cpuTime()
	time.Sleep(phase)
	in1, out1 := hub.Traffic()
	wire1 := rig.wire()
	res.IdleCPUPerCarrier = math.Round((cpuTime()-cpu0).Seconds()/phase.Seconds()/n*1e4) / 1e4
	res.IdleBytesPerHour, res.IdleBytesPerHourMax = wirePerHour(wire0, wire1, phase)
	res.IdleBodyBytesPerHour = perHour(in1-in0+out1-out0, phase) / n

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
	wire2 := rig.wire()
	res.PlayBytesPerHour, res.PlayBytesPerHourMax = wirePerHour(wire1, wire2, time.Since(start))
	res.PlayBodyBytesPerHour = perHour(in2-in1+out2-out1, time.Since(start)) / n
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
	fmt.Fprintf(stdout, "on the wire per carrier (TCP bytes both ways, protocol included): idle %.2f MB/hour (busiest %.2f; goal at most %.0f: %s), constant play %.2f MB/hour (busiest %.2f; goal at most %.0f: %s)\n",
		res.IdleBytesPerHour/1e6, res.IdleBytesPerHourMax/1e6, linkIdleGoal/1e6, goal(res.IdleBytesPerHourMax, linkIdleGoal),
		res.PlayBytesPerHour/1e6, res.PlayBytesPerHourMax/1e6, linkPlayGoal/1e6, goal(res.PlayBytesPerHourMax, linkPlayGoal))
	fmt.Fprintf(stdout, "message bodies alone, as the hub's server counts them: idle %.2f MB/hour, constant play %.2f MB/hour per carrier\n",
		res.IdleBodyBytesPerHour/1e6, res.PlayBodyBytesPerHour/1e6)
	fmt.Fprintf(stdout, "a result reaches the other carriers: p50 %.1f ms, p95 %.1f ms (%d results)\n", res.LatencyP50, res.LatencyP95, len(lat))
	fmt.Fprintf(stdout, "memory %.1f MB per server, idle CPU %.4f s/s per carrier, NATS code %.1f MB of a %.1f MB program\n",
		res.RSSPerServerMB, res.IdleCPUPerCarrier, float64(res.BinaryNATSBytes)/1e6, float64(res.BinaryBytes)/1e6)
	return nil
}

func perHour(bytes int64, d time.Duration) float64 { return round2(float64(bytes) / d.Hours()) }

// wirePerHour is the carriers' wire bytes between two counts, per hour:
// their mean, and the busiest carrier's.
func wirePerHour(from, to []int64, d time.Duration) (mean, most float64) {
	var sum int64
	for i := range to {
		b := to[i] - from[i]
		sum += b
		most = max(most, perHour(b, d))
	}
	return round2(perHour(sum, d) / float64(len(to))), most
}

// goal says whether a figure is within its goal.
func goal(v, most float64) string {
	if v <= most {
		return "met"
	}
	return "NOT MET"
}

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
