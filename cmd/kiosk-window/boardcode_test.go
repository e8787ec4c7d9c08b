package main

import (
	"image/png"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/carrierarcade/kiosk/link"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The results screen shows the hub's public page (hub.public_url) as a QR
// code a phone can read: the screenshot, read by zbarimg (Debian's
// zbar-tools), gives the address back. In the carrier's portrait, where the
// code has least room (landscape draws the same code larger; one
// screenshot costs about twenty seconds).
func TestResultsShowTheBoardCode(t *testing.T) {
	zbarimg := testenv.Program(t, "zbarimg")
	reel := testenv.Media(t, "demo-reel.avi")
	dir := t.TempDir()
	key := filepath.Join(dir, "c.nk")
	_, err := link.Keygen(key)
	require.NoError(t, err)
	const page = "http://192.168.1.20:8080/board"
	for _, rotation := range []string{"270"} {
		// A ten-second round with no countdown, then a minute of results:
		// on clip time they show from 10 s of the clip on.
		img, log := shootLog(t, reel, "20", "--game", "freeze", "--set", "game.freeze.round_seconds=10",
			"--set", "game.countdown_seconds=0", "--set", "game.results_seconds=60", "--set", "display.rotation="+rotation,
			"--set", "game.data_dir="+strconv.Quote(filepath.Join(dir, "data"+rotation)),
			"--set", "link.enabled=true", "--set", `link.hub="nats-leaf://127.0.0.1:`+strconv.Itoa(unusedPort(t))+`"`,
			"--set", "link.key_file="+strconv.Quote(key), "--set", "link.local_port=0",
			"--set", "hub.public_url="+strconv.Quote(page))
		require.Contains(t, log, "scene=results", "the shot is of the results screen")
		out := filepath.Join(t.TempDir(), "results.png")
		f, err := os.Create(out)
		require.NoError(t, err)
		require.NoError(t, png.Encode(f, img))
		require.NoError(t, f.Close())
		read, err := exec.Command(zbarimg, "--raw", "-q", out).Output()
		require.NoError(t, err, "zbarimg finds a code in the %s° screenshot", rotation)
		assert.Equal(t, page, strings.TrimSpace(string(read)))
	}
}

// unusedPort is a port on 127.0.0.1 where nothing listens: the hub the
// carrier tries, and fails, to reach.
func unusedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
