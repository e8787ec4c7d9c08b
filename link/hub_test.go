package link

import (
	"bytes"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The hub's own tests: its configuration, its log, its address, its page's
// view. Every server listens on 127.0.0.1 only. The helpers are this
// file's own (hub-prefixed), apart from the carrier tests'.

// hubLogBuf is a log a test reads while servers write to it.
type hubLogBuf struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *hubLogBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *hubLogBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// hubKey makes a carrier key in dir: its file and public key.
func hubKey(t *testing.T, dir, name string) (string, string) {
	t.Helper()
	file := filepath.Join(dir, name+".nk")
	pub, err := Keygen(file)
	require.NoError(t, err)
	return file, pub
}

func hubFreePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// hubCarrier starts a carrier linked to hubURL, closed with the test.
func hubCarrier(t *testing.T, dir, name, keyFile, hubURL string) *Carrier {
	t.Helper()
	c, err := Start(Config{Enabled: true, Name: name, Hub: hubURL, KeyFile: keyFile}, filepath.Join(dir, name), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return c
}

// The hub names carriers in its log by their names in [hub] carriers,
// never by a key's first characters; a stranger is logged once with its
// public key (what the owner would add), however often it retries.
func TestHubLogsCarriersByName(t *testing.T) {
	dir := t.TempDir()
	keyA, pubA := hubKey(t, dir, "a")
	keyS, pubS := hubKey(t, dir, "stranger")
	var log hubLogBuf
	h, err := StartHub(HubConfig{Listen: "127.0.0.1:0", Carriers: []HubCarrier{{Name: "Cat A", Key: pubA}}},
		slog.New(slog.NewTextHandler(&log, nil)))
	require.NoError(t, err)
	defer h.Close()

	a := hubCarrier(t, dir, "Kubecon Cat 2", keyA, h.LeafURL())
	require.Eventually(t, func() bool { return a.Status().Up }, 30*time.Second, 10*time.Millisecond, "carrier A links")
	assert.Contains(t, log.String(), `msg="carrier linked" part=hub carrier="Cat A"`)

	s := hubCarrier(t, dir, "Stranger", keyS, h.LeafURL())
	// Its link retries every two seconds; three tries are enough to see
	// that the log tells it once.
	require.Eventually(t, func() bool { return h.gate.tries(pubS) >= 3 }, 30*time.Second, 10*time.Millisecond, "the stranger tries three times")
	assert.Contains(t, log.String(), "public_key="+pubS)
	assert.False(t, s.Status().Up)

	a.Close()
	require.Eventually(t, func() bool {
		return strings.Contains(log.String(), `msg="carrier link closed" part=hub carrier="Cat A"`)
	},
		30*time.Second, 10*time.Millisecond, "the hub logs carrier A's leaving by name")
	// The stranger's whole public key is printed, for the owner to add;
	// no carrier is named by a key's first characters alone.
	rest := strings.ReplaceAll(log.String(), pubS, "")
	for _, id := range []string{carrierID(pubA), carrierID(pubS)} {
		assert.NotContains(t, rest, id, "no key prefix names a carrier in the hub's log")
	}
	assert.NotContains(t, log.String(), "level=ERROR", "a refused stranger is a warning, once")
	assert.Equal(t, 1, strings.Count(log.String(), "refused a carrier"), "the stranger is told once")
}

// A hub whose port is taken exits at once with one message naming
// hub.listen and the address, and logs nothing (today the server logged
// the bind error, then "Server is ready", and carried on not listening).
func TestHubPortInUse(t *testing.T) {
	_, pub := hubKey(t, t.TempDir(), "a")
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer taken.Close()
	addr := taken.Addr().String()
	var log hubLogBuf
	h, err := StartHub(HubConfig{Listen: addr, Carriers: CarrierKeys(pub)}, slog.New(slog.NewTextHandler(&log, nil)))
	if h != nil {
		h.Close()
	}
	require.Error(t, err)
	assert.Contains(t, err.Error(), "hub.listen "+addr)
	assert.Contains(t, err.Error(), "in use")
	assert.Empty(t, log.String(), "the one message is the error")
}

// A secret key pasted into [hub] carriers is refused, and never printed.
func TestHubRefusesASecretKey(t *testing.T) {
	file, pub := hubKey(t, t.TempDir(), "a")
	seed, _, err := readSeed(file)
	require.NoError(t, err)
	for _, carriers := range [][]HubCarrier{
		{{Key: pub}, {Key: string(seed)}},
		{{Name: "Cat B", Key: string(seed)}},
	} {
		_, err := StartHub(HubConfig{Listen: "127.0.0.1:0", Carriers: carriers}, slog.New(slog.DiscardHandler))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "secret key")
		assert.Contains(t, err.Error(), "kiosk link pubkey")
		assert.NotContains(t, err.Error(), string(seed[:12]), "no part of the secret is printed")
	}
}

// hubWatch waits until the hub's page satisfies ok, waking on each of its
// changes (never on a timer), and returns the page.
func hubWatch(t *testing.T, h *Hub, what string, ok func(Public) bool) Public {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		p, changed := h.Watch()
		if ok(p) {
			return p
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("the hub's page never showed %s; it shows %+v", what, p)
		}
	}
}

// The hub learns the board from the carriers' own streams: a result stored
// before the hub was up is on its page once the carrier links (nothing
// lost), and a new one arrives as it is stored; the heartbeat tells the
// carrier's battery and camera.
func TestHubFollowsTheCarriers(t *testing.T) {
	dir := t.TempDir()
	keyA, pubA := hubKey(t, dir, "a")
	port := hubFreePort(t)
	a := hubCarrier(t, dir, "Cat A", keyA, "nats-leaf://127.0.0.1:"+strconv.Itoa(port))
	a.Tell(func() Condition { return Condition{Battery: 64, Camera: true} })
	a.Hear(game.Event{Kind: game.KindResults, Game: "hunt", Name: "Brave Otter", Score: 300})
	require.Eventually(t, func() bool { return len(a.Board().Top("hunt", a.Today())) == 1 }, 30*time.Second, 10*time.Millisecond,
		"the result is stored on the carrier, with no hub")

	h, err := StartHub(HubConfig{Listen: "127.0.0.1:" + strconv.Itoa(port), Carriers: []HubCarrier{{Name: "A", Key: pubA}}}, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer h.Close()
	p := hubWatch(t, h, "the result stored before the hub was up", func(p Public) bool { return len(p.Games) == 1 })
	assert.Equal(t, []PublicGame{{Game: "hunt", Title: "Object Hunt", Top: []PublicScore{{Player: "Brave Otter", Carrier: "Cat A", Score: 300}}}}, p.Games)

	p = hubWatch(t, h, "carrier A online with its battery and camera", func(p Public) bool { return len(p.Carriers) == 1 && p.Carriers[0].Online })
	require.NotNil(t, p.Carriers[0].Battery)
	require.NotNil(t, p.Carriers[0].Camera)
	assert.Equal(t, 64, *p.Carriers[0].Battery)
	assert.True(t, *p.Carriers[0].Camera)
	assert.Equal(t, "Cat A", p.Carriers[0].Name, "the carrier's own name, as on its screen")
	assert.Equal(t, 1, p.Carriers[0].Games)

	a.Hear(game.Event{Kind: game.KindResults, Game: "hunt", Name: "Shiny Koala", Score: 500})
	p = hubWatch(t, h, "the new result", func(p Public) bool { return len(p.Games) == 1 && len(p.Games[0].Top) == 2 })
	assert.Equal(t, PublicScore{Player: "Shiny Koala", Carrier: "Cat A", Score: 500}, p.Games[0].Top[0])
	assert.Equal(t, 2, p.Carriers[0].Games)
}

// A battle on the page: starting, then playing with live scores, then
// won, or a draw when the best score is shared.
func TestHubViewBattles(t *testing.T) {
	now := time.Date(2026, 5, 4, 12, 0, 0, 0, time.Local)
	v := newHubView(nil, func() time.Time { return now })
	v.called(battleCall{Carrier: "AAAAAAAAAAAA", Name: "Cat A", ID: "b1", Game: "bubbles", Start: now.Add(5 * time.Second)})
	p, _ := v.watch()
	assert.Empty(t, p.Battles, "a battle nobody plays yet has no rows")
	v.live(liveScore{Carrier: "AAAAAAAAAAAA", Name: "Cat A", Battle: "b1", Score: 0})
	p, _ = v.watch()
	require.Len(t, p.Battles, 1)
	assert.Equal(t, "starting", p.Battles[0].State)
	assert.Equal(t, "Bubble Pop", p.Battles[0].Title)
	assert.Equal(t, "Cat A", p.Battles[0].Caller)

	now = now.Add(10 * time.Second)
	v.live(liveScore{Carrier: "BBBBBBBBBBBB", Name: "Cat B", Battle: "b1", Score: 40})
	v.live(liveScore{Carrier: "AAAAAAAAAAAA", Name: "Cat A", Battle: "b1", Score: 20})
	p, _ = v.watch()
	assert.Equal(t, "playing", p.Battles[0].State)
	assert.Equal(t, []PublicBattleRow{{Carrier: "Cat B", Score: 40}, {Carrier: "Cat A", Score: 20}}, p.Battles[0].Rows)

	day := now.Format(dayLayout)
	v.stored(Message{Carrier: "AAAAAAAAAAAA", Name: "Cat A", Kind: KindResult, Game: "bubbles", Score: 90, Player: "Brave Otter", Day: day, Battle: "b1"})
	p, _ = v.watch()
	assert.Equal(t, "playing", p.Battles[0].State, "Cat B's result is not in yet")
	v.stored(Message{Carrier: "BBBBBBBBBBBB", Name: "Cat B", Kind: KindResult, Game: "bubbles", Score: 70, Player: "Shiny Koala", Day: day, Battle: "b1"})
	p, _ = v.watch()
	assert.Equal(t, "won", p.Battles[0].State)
	assert.Equal(t, []PublicBattleRow{{Carrier: "Cat A", Player: "Brave Otter", Score: 90, Final: true, Winner: true},
		{Carrier: "Cat B", Player: "Shiny Koala", Score: 70, Final: true}}, p.Battles[0].Rows)

	v.called(battleCall{Carrier: "BBBBBBBBBBBB", Name: "Cat B", ID: "b2", Game: "freeze", Start: now})
	v.stored(Message{Carrier: "AAAAAAAAAAAA", Name: "Cat A", Kind: KindResult, Game: "freeze", Day: day, Battle: "b2"})
	v.stored(Message{Carrier: "BBBBBBBBBBBB", Name: "Cat B", Kind: KindResult, Game: "freeze", Day: day, Battle: "b2"})
	p, _ = v.watch()
	require.Len(t, p.Battles, 2)
	assert.Equal(t, "draw", p.Battles[0].State, "newest first; both scored 0")

	now = now.Add(battleShown + time.Second)
	p, _ = v.watch()
	assert.Empty(t, p.Battles, "battles leave the page once nothing new came for a while")
}
