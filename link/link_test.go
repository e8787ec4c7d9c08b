package link

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every server here listens on 127.0.0.1 only, on ports the system picks.

// testDay is the board's day: the carriers name it from their clocks.
var testDay = time.Now().Format("2006-01-02")

// syncLog is a log a test can read while servers write to it.
type syncLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// newKey makes a carrier key in dir and returns its file and public key.
func newKey(t *testing.T, dir, name string) (string, string) {
	t.Helper()
	path := filepath.Join(dir, name+".nk")
	pub, err := Keygen(path)
	require.NoError(t, err)
	return path, pub
}

// freePort is a port on 127.0.0.1 nobody listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func startHub(t *testing.T, port int, log *syncLog, keys ...string) *Hub {
	t.Helper()
	out := slog.New(slog.DiscardHandler)
	if log != nil {
		out = slog.New(slog.NewTextHandler(log, nil))
	}
	h, err := StartHub(HubConfig{Listen: "127.0.0.1:" + strconv.Itoa(port), Carriers: CarrierKeys(keys...)}, out)
	require.NoError(t, err)
	return h
}

// fleet is a hub and its carriers, torn down with the test.
type fleet struct {
	hub      *Hub
	port     int
	dir      string
	keys     []string // public keys the hub lets in
	carriers []*Carrier
	skew     map[string]time.Duration
	logs     map[string]*syncLog
}

func newFleet(t *testing.T, names ...string) *fleet {
	t.Helper()
	return newFleetWith(t, nil, names...)
}

// newFleetWith starts carriers whose clocks are off by skew[name].
func newFleetWith(t *testing.T, skew map[string]time.Duration, names ...string) *fleet {
	t.Helper()
	f := &fleet{port: freePort(t), dir: t.TempDir(), skew: skew}
	var files []string
	for _, n := range names {
		file, pub := newKey(t, f.dir, n)
		files = append(files, file)
		f.keys = append(f.keys, pub)
	}
	f.hub = startHub(t, f.port, nil, f.keys...)
	t.Cleanup(func() { f.hub.Close() })
	for i, n := range names {
		f.carriers = append(f.carriers, f.start(t, n, files[i]))
	}
	return f
}

// start starts a carrier with its store in the fleet's folder.
func (f *fleet) start(t *testing.T, name, keyFile string) *Carrier {
	t.Helper()
	if f.logs == nil {
		f.logs = map[string]*syncLog{}
	}
	log := &syncLog{}
	f.logs[name] = log
	c, err := Start(Config{Enabled: true, Name: name, Hub: "nats-leaf://127.0.0.1:" + strconv.Itoa(f.port),
		KeyFile: keyFile, skew: f.skew[name]}, filepath.Join(f.dir, name), slog.New(slog.NewTextHandler(log, nil)))
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return c
}

// allSee waits until every carrier sources every other one.
func (f *fleet) allSee(t *testing.T) {
	t.Helper()
	require.Eventually(t, func() bool {
		for _, c := range f.carriers {
			if st := c.Status(); !st.Up || st.Sources != len(f.carriers) || len(st.Online) != len(f.carriers)-1 {
				return false
			}
		}
		return true
	}, 30*time.Second, 20*time.Millisecond, "the carriers find each other")
}

// result is a round's result as the session tells it.
func result(gameName, player string, score int) game.Event {
	return game.Event{Kind: game.KindResults, Game: gameName, Name: player, Score: score}
}

// merged is how many messages a carrier's merged stream holds.
func merged(t *testing.T, c *Carrier) uint64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := c.js.Stream(ctx, mergedStream)
	require.NoError(t, err)
	info, err := s.Info(ctx)
	require.NoError(t, err)
	return info.State.Msgs
}

func TestLinkThreeCarriersShareResults(t *testing.T) {
	f := newFleet(t, "Cat 1", "Cat 2", "Cat 3")
	f.allSee(t)
	start := time.Now()
	f.carriers[0].Hear(result("hunt", "Brave Otter", 300))
	f.carriers[0].Hear(game.Event{Kind: game.KindFind, Item: "cup"})
	f.carriers[0].Hear(result("hunt", "Nobody", 0)) // no board shows a zero: not sent
	for _, c := range f.carriers {
		require.Eventually(t, func() bool { return len(c.Board().Top("hunt", testDay)) == 1 }, 30*time.Second, 5*time.Millisecond)
		top := c.Board().Top("hunt", testDay)
		assert.Equal(t, BoardEntry{Player: "Brave Otter", Carrier: "Cat 1", Score: 300}, top[0])
	}
	t.Logf("a result reached every carrier's board in %v", time.Since(start).Round(time.Millisecond))
	f.carriers[2].Hear(result("hunt", "Quick Fox", 500))
	require.Eventually(t, func() bool { return len(f.carriers[1].Board().Top("hunt", testDay)) == 2 }, 30*time.Second, 5*time.Millisecond)
	assert.Equal(t, "Cat 3", f.carriers[1].Board().Top("hunt", testDay)[0].Carrier, "best first, with its carrier")
	require.Eventually(t, func() bool { return merged(t, f.carriers[1]) == 3 }, 30*time.Second, 10*time.Millisecond,
		"two results and a find, each once")
	assert.Equal(t, 2, f.carriers[0].Status().Sent, "the result and the find; a zero is not sent")
}

// With the hub down the carriers play on alone and keep their results;
// when it is back every result reaches every carrier, none twice.
func TestLinkPartitionLosesNothing(t *testing.T) {
	f := newFleet(t, "Cat 1", "Cat 2", "Cat 3")
	f.allSee(t)
	f.carriers[0].Hear(result("bubbles", "Before Split", 100))
	for _, c := range f.carriers {
		require.Eventually(t, func() bool { return c.Board().Results(testDay) == 1 }, 30*time.Second, 10*time.Millisecond)
	}

	f.hub.Close()
	require.Eventually(t, func() bool { return !f.carriers[0].Status().Up && !f.carriers[1].Status().Up }, 30*time.Second, 20*time.Millisecond)
	for i := range 5 {
		f.carriers[0].Hear(result("bubbles", fmt.Sprint("Alone A", i), 10+i))
		f.carriers[1].Hear(result("freeze", fmt.Sprint("Alone B", i), 20+i))
	}
	require.Eventually(t, func() bool { return f.carriers[0].Status().Sent == 6 && f.carriers[1].Status().Sent == 5 },
		30*time.Second, 10*time.Millisecond, "stored locally while the hub is down")
	require.Eventually(t, func() bool { return f.carriers[0].Board().Results(testDay) == 6 }, 30*time.Second, 10*time.Millisecond,
		"a carrier alone sees its own results")

	f.hub = startHub(t, f.port, nil, f.keys...)
	t.Cleanup(func() { f.hub.Close() })
	for _, c := range f.carriers {
		require.Eventually(t, func() bool { return merged(t, c) == 11 && c.Board().Results(testDay) == 11 }, 60*time.Second, 50*time.Millisecond,
			"every result everywhere after the hub is back, stored and on the board")
	}
	time.Sleep(time.Second) // anything sent twice would arrive by now
	for _, c := range f.carriers {
		assert.Equal(t, uint64(11), merged(t, c), "none twice")
	}
}

// rogueServer is a server an attacker set up with a carrier's stolen key:
// a leaf of the hub with no denied imports at all.
func rogueServer(t *testing.T, hub, keyFile string) *nats.Conn {
	t.Helper()
	seed, _, err := readSeed(keyFile)
	require.NoError(t, err)
	u, err := url.Parse(hub)
	require.NoError(t, err)
	srv, err := server.NewServer(&server.Options{ServerName: "rogue", DontListen: true, NoSigs: true,
		LeafNode: server.LeafNodeOpts{Remotes: []*server.RemoteLeafOpts{{URLs: []*url.URL{u}, Nkey: string(seed)}}}})
	require.NoError(t, err)
	srv.Start()
	require.True(t, srv.ReadyForConnections(10*time.Second))
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	nc, err := nats.Connect("", nats.InProcessServer(srv))
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	require.Eventually(t, func() bool { return srv.NumLeafNodes() == 1 }, 30*time.Second, 20*time.Millisecond)
	return nc
}

// Only carriers on the hub's list get in; one that is in cannot store
// events under another carrier's name, however its server is set up.
func TestLinkOnlyCarriersSpeakAndOnlyForThemselves(t *testing.T) {
	f := newFleet(t, "Cat 1", "Cat 2")
	f.allSee(t)
	victim, other := f.carriers[0], f.carriers[1]

	// A stranger with a key the hub does not list is refused.
	var hubLog syncLog
	port := freePort(t)
	h := startHub(t, port, &hubLog, f.keys...)
	t.Cleanup(h.Close)
	strangerKey, strangerPub := newKey(t, f.dir, "stranger")
	defer func(p time.Duration) { linkPatience = p }(linkPatience)
	linkPatience = time.Second
	var strangerLog syncLog
	stranger, err := Start(Config{Enabled: true, Name: "Stranger", Hub: "nats-leaf://127.0.0.1:" + strconv.Itoa(port),
		KeyFile: strangerKey}, filepath.Join(f.dir, "stranger"), slog.New(slog.NewTextHandler(&strangerLog, nil)))
	require.NoError(t, err)
	t.Cleanup(stranger.Close)
	require.Eventually(t, func() bool {
		return strings.Contains(hubLog.String(), "refused a carrier that is not in [hub] carriers")
	},
		30*time.Second, 20*time.Millisecond, "the hub refuses the stranger: %s", hubLog.String())
	assert.False(t, stranger.Status().Up)
	assert.Zero(t, h.Carriers())
	require.Eventually(t, func() bool {
		return strings.Contains(strangerLog.String(), "[hub] carriers lists this carrier's public key")
	},
		30*time.Second, 20*time.Millisecond, "the stranger's own log says what to check")
	assert.Contains(t, strangerLog.String(), strangerPub)
	assert.Equal(t, 1, strings.Count(strangerLog.String(), "does not let this carrier in"), "once per outage")

	// A server with a listed key (a third carrier's, stolen) publishes a
	// score as if it were the victim, on the victim's own subjects.
	rogueKey, roguePub := newKey(t, f.dir, "rogue")
	f.hub.Close()
	f.hub = startHub(t, f.port, nil, append(f.keys, roguePub)...)
	t.Cleanup(func() { f.hub.Close() })
	f.allSee(t)
	rogue := rogueServer(t, "nats-leaf://127.0.0.1:"+strconv.Itoa(f.port), rogueKey)
	fake := Message{Carrier: victim.id, Name: "Cat 1", Kind: KindResult, Game: "hunt", Score: 99999,
		Player: "Injected", Day: testDay, At: time.Now().UTC(), ID: "fake-1"}
	data, err := json.Marshal(fake)
	require.NoError(t, err)
	for i := range 5 {
		fake.ID = fmt.Sprint("fake-", i)
		require.NoError(t, rogue.Publish(fake.subject(), data))
		require.NoError(t, rogue.Publish(eventSubject(other.id, KindResult), data))
	}
	require.NoError(t, rogue.Flush())
	other.Hear(result("hunt", "Honest Cat", 10)) // a real result, which does arrive
	require.Eventually(t, func() bool { return victim.Board().Results(testDay) == 1 }, 60*time.Second, 10*time.Millisecond, "sourcing resumes after the hub restarted")
	time.Sleep(500 * time.Millisecond) // anything injected would be stored by now
	for _, c := range f.carriers {
		for _, e := range c.Board().Top("hunt", testDay) {
			assert.NotEqual(t, "Injected", e.Player)
		}
		assert.Equal(t, uint64(1), merged(t, c), "only the honest result is stored on %s", c.name)
	}
}

func TestLinkKeygen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "carrier.nk")
	pub, err := Keygen(path)
	require.NoError(t, err)
	assert.True(t, isPublicUserKey(pub))
	_, got, err := readSeed(path)
	require.NoError(t, err)
	assert.Equal(t, pub, got)
	_, err = Keygen(path)
	assert.ErrorContains(t, err, "already exists", "a key is never overwritten")
}

func TestLinkRefusesABadKeyFile(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, content string
		mode          os.FileMode
		want          string
	}{
		{"missing", "", 0, "does not exist; make it with 'kiosk link keygen"},
		{"readable by others", "", 0o644, "may be read by others"},
		{"not a seed", "hello", 0o600, "does not hold a carrier's seed"},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
		switch {
		case tc.mode != 0 && tc.content == "":
			_, err := Keygen(path)
			require.NoError(t, err)
			require.NoError(t, os.Chmod(path, tc.mode))
		case tc.mode != 0:
			require.NoError(t, os.WriteFile(path, []byte(tc.content), tc.mode))
		}
		_, err := Start(Config{Enabled: true, Hub: "nats-leaf://127.0.0.1:1", KeyFile: path}, dir, slog.New(slog.DiscardHandler))
		require.Error(t, err, tc.name)
		assert.ErrorContains(t, err, "link.key_file", tc.name)
		assert.ErrorContains(t, err, tc.want, tc.name)
		assert.NotContains(t, err.Error(), "SU", "the secret is never in a message")
	}
}
