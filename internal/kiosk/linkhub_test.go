package kiosk

import (
	"log/slog"
	"net"
	"os"
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

// Setting up the link without friction: 'kiosk link --help' helps, and
// 'kiosk link pubkey' prints an existing key's public key (from --key or
// link.key_file), refusing a key file others may read.
func TestLinkHelpAndPubkey(t *testing.T) {
	code, out, errOut := kiosk(t, "link", "--help")
	assert.Equal(t, 0, code, errOut)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "pubkey [--key FILE]")
	code, _, errOut = kiosk(t, "link")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "usage: kiosk link COMMAND")

	dir := t.TempDir()
	key, pub := keygen(t, dir, "c")
	code, out, errOut = kiosk(t, "link", "pubkey", "--key", key)
	assert.Equal(t, 0, code, errOut)
	assert.Equal(t, pub+"\n", out)
	code, out, errOut = kiosk(t, "link", "pubkey", "--set", "link.key_file="+strconv.Quote(key))
	assert.Equal(t, 0, code, errOut)
	assert.Equal(t, pub+"\n", out)

	require.NoError(t, os.Chmod(key, 0o644))
	code, out, errOut = kiosk(t, "link", "pubkey", "--key", key)
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "chmod 600 "+key)
	code, _, errOut = kiosk(t, "link", "pubkey")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--key FILE")
}

// check-config checks the link's key file (it exists, holds a carrier's
// seed, only its owner may read it) and, with --online, that the hub
// answers.
func TestCheckConfigLinkKeyAndHub(t *testing.T) {
	testenv.ORTLibrary(t)
	testenv.Model(t, "yolox_nano.onnx")
	testenv.Model(t, "face_detection_back_256x256_barracuda.onnx")
	testenv.Media(t, "demo-reel.avi")
	dir := t.TempDir()
	key, pub := keygen(t, dir, "c")
	port := freeLocalPort(t)
	hubURL := "nats-leaf://127.0.0.1:" + strconv.Itoa(port)
	check := func(keyFile string, more ...string) (int, string) {
		args := append([]string{"check-config", testenv.Path("config.toml"), "--set", "link.enabled=true",
			"--set", "link.hub=" + strconv.Quote(hubURL), "--set", "link.key_file=" + strconv.Quote(keyFile)}, more...)
		code, out, errOut := kiosk(t, args...)
		return code, out + errOut
	}
	code, out := check(key)
	assert.Equal(t, 0, code, out)

	code, out = check(filepath.Join(dir, "missing.nk"))
	assert.Equal(t, 2, code)
	assert.Contains(t, out, "link.key_file")
	assert.Contains(t, out, "does not exist; make it with 'kiosk link keygen")

	notSeed := filepath.Join(dir, "not-a-seed.nk")
	require.NoError(t, os.WriteFile(notSeed, []byte(pub+"\n"), 0o600))
	code, out = check(notSeed)
	assert.Equal(t, 2, code)
	assert.Contains(t, out, "does not hold a carrier's seed")

	require.NoError(t, os.Chmod(key, 0o644))
	code, out = check(key)
	assert.Equal(t, 2, code)
	assert.Contains(t, out, "chmod 600")
	require.NoError(t, os.Chmod(key, 0o600))

	code, out = check(key, "--online")
	assert.Equal(t, 2, code, "nothing listens at the hub's address")
	assert.Contains(t, out, "link.hub")
	assert.Contains(t, out, "nothing listens at 127.0.0.1:"+strconv.Itoa(port))

	hub, err := link.StartHub(link.HubConfig{Listen: "127.0.0.1:" + strconv.Itoa(port), Carriers: link.CarrierKeys(pub)}, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer hub.Close()
	code, out = check(key, "--online")
	assert.Equal(t, 0, code, out)
	code, out = check(key, "--online", "--set", `link.hub="tls://127.0.0.1:`+strconv.Itoa(port)+`"`)
	assert.Equal(t, 2, code)
	assert.Contains(t, out, "the hub does not speak TLS: write it nats-leaf://")
}

// A configuration that sets only [hub] is checked as a hub's: no models,
// no clips; its carriers may be named; a secret key in the list is
// refused without being printed.
func TestCheckConfigHubOnly(t *testing.T) {
	dir := t.TempDir()
	key, pub := keygen(t, dir, "c")
	_, pubB := keygen(t, dir, "b")
	cfg := writeConfig(t, "[hub]\nlisten = \"127.0.0.1:7422\"\ncarriers = [\""+pub+"\", { name = \"Cat B\", key = \""+pubB+"\" }]\n")
	code, out, errOut := kiosk(t, "check-config", cfg)
	assert.Equal(t, 0, code, errOut)
	assert.Equal(t, "ok\n", out)
	assert.Contains(t, errOut, "checked as a hub's configuration")
	assert.NotContains(t, errOut, "model.")

	code, _, errOut = kiosk(t, "check-config", writeConfig(t, "[hub]\ncarriers = []\n"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "hub.carriers: is empty")

	seed, err := os.ReadFile(key)
	require.NoError(t, err)
	secret := strings.TrimSpace(string(seed))
	for _, body := range []string{
		"[hub]\ncarriers = [\"" + pub + "\", \"" + secret + "\"]\n",
		"[hub]\ncarriers = [{ name = \"Cat A\", key = \"" + secret + "\" }]\n",
		"[hub]\ncarriers = \"" + secret + "\"\n",
	} {
		code, out, errOut = kiosk(t, "check-config", writeConfig(t, body))
		assert.Equal(t, 2, code, out)
		assert.Contains(t, errOut, "hub.carriers")
		assert.Contains(t, errOut, "secret key")
		assert.NotContains(t, errOut, secret[:10], "no part of the secret is printed")
	}
}

// 'kiosk hub' on a port already in use exits at once with one message
// naming the setting and the address: hub.listen, or hub.http_listen for
// the public page.
func TestHubCommandPortInUse(t *testing.T) {
	_, pub := keygen(t, t.TempDir(), "c")
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer taken.Close()
	addr := taken.Addr().String()
	carriers := "hub.carriers=[\"" + pub + "\"]"
	// A hub that did not exit would run until the test process ends: wait
	// for it with a deadline instead.
	hub := func(args ...string) (int, string, string) {
		t.Helper()
		type result struct {
			code     int
			out, err string
		}
		done := make(chan result, 1)
		go func() {
			code, out, errOut := kiosk(t, append([]string{"hub", "--set", carriers}, args...)...)
			done <- result{code, out, errOut}
		}()
		select {
		case r := <-done:
			return r.code, r.out, r.err
		case <-time.After(60 * time.Second):
			t.Fatalf("kiosk hub %s kept running", strings.Join(args, " "))
			return 0, "", ""
		}
	}

	code, out, errOut := hub("--listen", addr)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Equal(t, 1, strings.Count(errOut, "\n"), "one message: %s", errOut)
	assert.Contains(t, errOut, "hub.listen "+addr)
	assert.Contains(t, errOut, "in use")

	free := "127.0.0.1:" + strconv.Itoa(freeLocalPort(t))
	code, _, errOut = hub("--listen", free, "--set", "hub.http_listen="+strconv.Quote(addr))
	assert.Equal(t, 1, code)
	assert.Equal(t, 1, strings.Count(errOut, "\n"), "one message: %s", errOut)
	assert.Contains(t, errOut, "hub.http_listen "+addr)
	assert.Contains(t, errOut, "in use")
}
