package kiosk

import (
	"encoding/json"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/carrierarcade/kiosk/link"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func freeLocalPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// keygen runs 'kiosk link keygen' and returns the key file and public key.
func keygen(t *testing.T, dir, name string) (string, string) {
	t.Helper()
	file := filepath.Join(dir, name+".nk")
	code, out, errOut := kiosk(t, "link", "keygen", "--out", file)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "add it to the hub's [hub] carriers")
	return file, strings.TrimSpace(out)
}

// A carrier playing headless ('kiosk sim --set link.enabled=true') sends
// its result to another carrier through a hub, all on 127.0.0.1; that
// carrier's 'kiosk link status' shows it on today's board across carriers.
func TestLinkSimResultReachesAnotherCarrier(t *testing.T) {
	testenv.ORTLibrary(t)
	testenv.Model(t, "yolox_nano.onnx")
	dir := t.TempDir()
	simKey, simPub := keygen(t, dir, "sim")
	boothKey, boothPub := keygen(t, dir, "booth")
	hubPort := freeLocalPort(t)
	hub, err := link.StartHub(link.HubConfig{Listen: "127.0.0.1:" + strconv.Itoa(hubPort),
		Carriers: link.CarrierKeys(simPub, boothPub)}, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer hub.Close()
	hubURL := "nats-leaf://127.0.0.1:" + strconv.Itoa(hubPort)

	statusPort := freeLocalPort(t)
	booth, err := link.Start(link.Config{Enabled: true, Name: "Booth Cat", Hub: hubURL, KeyFile: boothKey,
		LocalPort: statusPort}, filepath.Join(dir, "booth"), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer booth.Close()

	reel := testenv.Media(t, "demo-reel.avi")
	sets := []string{"--set", "link.enabled=true", "--set", `link.name="Sim Cat"`, "--set", "link.hub=" + strconv.Quote(hubURL),
		"--set", "link.key_file=" + strconv.Quote(simKey), "--set", "link.store=" + strconv.Quote(filepath.Join(dir, "sim-store")),
		"--set", "link.local_port=0"}
	// A short round: the demo hunt finds so much that its bonus time
	// would outlast the reel.
	sets = append(sets, "--set", "game.hunt.round_seconds=15")
	events := simEvents(t, append([]string{"--game", "hunt", "--source", "file:" + reel + "?loop=0"}, sets...)...)
	results := ofType(events, "results")
	require.Len(t, results, 1)
	require.Positive(t, results[0]["score"], "the reel's hunt scores")

	require.Eventually(t, func() bool { return len(booth.Board().Top("hunt", booth.Today())) == 1 }, 60*time.Second, 20*time.Millisecond)
	top := booth.Board().Top("hunt", booth.Today())[0]
	assert.Equal(t, "Sim Cat", top.Carrier)
	assert.Equal(t, results[0]["name"], top.Player)
	assert.EqualValues(t, results[0]["score"], top.Score)

	code, out, errOut := kiosk(t, "link", "status", "--json", "--set", "link.enabled=true",
		"--set", "link.hub="+strconv.Quote(hubURL), "--set", "link.key_file="+strconv.Quote(boothKey),
		"--set", "link.local_port="+strconv.Itoa(statusPort))
	require.Equal(t, 0, code, errOut)
	var st struct {
		Enabled, Running, Up bool
		Name                 string
		Board                map[string][]link.BoardEntry
	}
	require.NoError(t, json.Unmarshal([]byte(out), &st), out)
	assert.True(t, st.Running)
	assert.True(t, st.Up)
	assert.Equal(t, "Booth Cat", st.Name)
	require.Len(t, st.Board["hunt"], 1)
	assert.Equal(t, "Sim Cat", st.Board["hunt"][0].Carrier)
}

func TestLinkCommands(t *testing.T) {
	code, out, _ := kiosk(t, "link", "status")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "link off")
	code, out, _ = kiosk(t, "link", "status", "--json")
	assert.Equal(t, 0, code)
	assert.JSONEq(t, `{"enabled": false}`, out)

	dir := t.TempDir()
	key, _ := keygen(t, dir, "c")
	code, out, errOut := kiosk(t, "link", "status", "--json", "--set", "link.enabled=true", "--set", `link.hub="nats-leaf://127.0.0.1:1"`,
		"--set", "link.key_file="+strconv.Quote(key), "--set", "link.local_port="+strconv.Itoa(freeLocalPort(t)))
	assert.Equal(t, 0, code, errOut)
	assert.JSONEq(t, `{"enabled": true, "running": false}`, out, "no kiosk running")

	code, _, errOut = kiosk(t, "link", "keygen", "--out", key)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "already exists")

	code, _, errOut = kiosk(t, "check-config", "--set", "link.enabled=true")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "link.hub")
	assert.Contains(t, errOut, "link.key_file")
	assert.Contains(t, errOut, "kiosk link keygen")

	code, _, errOut = kiosk(t, "check-config", "--set", `hub.carriers=["not a key"]`, "--set", `link.hub="http://x"`)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "hub.carriers")
	assert.Contains(t, errOut, "link.hub")

	code, _, errOut = kiosk(t, "hub", "--set", "hub.carriers=[]", "--listen", "127.0.0.1:"+strconv.Itoa(freeLocalPort(t)))
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "hub.carriers is empty")
}
