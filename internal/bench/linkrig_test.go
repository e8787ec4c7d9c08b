package bench

import (
	"log/slog"
	"net"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/stretchr/testify/require"
)

// kernelBytes is what the kernel says the TCP connections accepted on
// port carried, both ways (bytes received, and bytes sent and acknowledged),
// as 'ss' reads it from the sockets themselves.
func kernelBytes(t *testing.T, ss string, port int) int64 {
	t.Helper()
	out, err := exec.Command(ss, "-tinH", "state", "established", "sport", "=", ":"+strconv.Itoa(port)).Output()
	require.NoError(t, err)
	var n int64
	for _, m := range kernelCount.FindAllStringSubmatch(string(out), -1) {
		v, err := strconv.ParseInt(m[1], 10, 64)
		require.NoError(t, err)
		n += v
	}
	return n
}

var kernelCount = regexp.MustCompile(`bytes_(?:acked|received):(\d+)`)

// 'kiosk bench --link' counts the bytes on the wire: what its proxies
// count for each carrier's link is what the kernel says those connections
// carried, protocol and all, after the carriers linked, found each other
// and shared a result. (It counted message bodies as the hub's server
// does: about half.)
func TestBenchLinkCountsTheWire(t *testing.T) {
	ss := testenv.Program(t, "ss")
	rig, err := startLinkRig(2, t.TempDir(), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer rig.Close()
	a, b := rig.carriers[0], rig.carriers[1]
	require.NoError(t, waitFor(60*time.Second, func() bool {
		return a.Status().Up && b.Status().Up && len(a.Status().Online) == 1 && len(b.Status().Online) == 1
	}), "the carriers link and hear each other")
	a.Hear(game.Event{Kind: game.KindResults, Game: "hunt", Name: "Brave Otter", Score: 300})
	require.NoError(t, waitFor(60*time.Second, func() bool { return len(b.Board().Top("hunt", b.Today())) == 1 }),
		"the result reaches the other carrier")

	for i, tap := range rig.taps {
		_, portStr, err := net.SplitHostPort(tap.Addr())
		require.NoError(t, err)
		port, _ := strconv.Atoi(portStr)
		// Counted and carried agree once the last bytes written are
		// acknowledged (at once on loopback; heartbeats keep coming, so
		// the two are compared until they meet).
		var counted, carried int64
		err = waitFor(30*time.Second, func() bool {
			counted, carried = rig.wire()[i], kernelBytes(t, ss, port)
			return counted == carried && counted > 0
		})
		require.NoError(t, err, "carrier %d: the bench counted %d bytes, the kernel says %d", i+1, counted, carried)
	}
}
