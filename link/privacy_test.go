package link

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/game/record"
	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Everything that crosses the hub while two carriers play recorded booth
// sessions (real detections from the Debian clips) is seen by a listener on
// the hub: the events are only results and finds, each under 1 kB, and
// nothing larger than the link's payload limit passes at all.
func TestLinkCarriesOnlySmallEvents(t *testing.T) {
	f := newFleet(t, "Cat 1", "Cat 2")
	f.allSee(t)
	spyKey, spyPub := newKey(t, f.dir, "spy")
	f.hub.Close()
	f.hub = startHub(t, f.port, nil, append(f.keys, spyPub)...)
	t.Cleanup(func() { f.hub.Close() })
	spy := rogueServer(t, "nats-leaf://127.0.0.1:"+strconv.Itoa(f.port), spyKey)
	var mu sync.Mutex
	var seen []*nats.Msg
	_, err := spy.Subscribe(">", func(m *nats.Msg) {
		mu.Lock()
		seen = append(seen, m)
		mu.Unlock()
	})
	require.NoError(t, err)
	require.NoError(t, spy.Flush())
	f.allSee(t)

	sent := 0
	for _, file := range []string{"hunt-reel.rec", "bubbles-vtest.rec", "freeze-vtest.rec"} {
		rec, err := record.Open(filepath.Join("..", "game", "record", "testdata", file))
		require.NoError(t, err)
		_, _, err = rec.Replay(func(e game.Event) {
			if _, ok := fromEvent(e, ""); ok {
				sent++
			}
			f.carriers[0].Hear(e)
		})
		require.NoError(t, err)
	}
	require.Positive(t, sent)
	require.Eventually(t, func() bool { return merged(t, f.carriers[1]) == uint64(sent) }, 60*time.Second, 20*time.Millisecond)
	// A battle too: its call and live scores cross as plain messages.
	f.carriers[0].call("bubbles")
	require.Eventually(t, func() bool { _, ok := f.carriers[1].Battle(firstBattle(f.carriers[0])); return ok }, 30*time.Second, 10*time.Millisecond)
	f.carriers[0].hearBattle(game.Event{Kind: game.KindBattle, Battle: firstBattle(f.carriers[0]), Game: "bubbles"})
	f.carriers[0].Live(firstBattle(f.carriers[0]), 120)
	require.Eventually(t, func() bool {
		v, _ := f.carriers[1].Battle(firstBattle(f.carriers[0]))
		return len(v.Rows) == 1 && v.Rows[0].Score == 120
	}, 30*time.Second, 10*time.Millisecond)

	mu.Lock()
	defer mu.Unlock()
	events := 0
	for _, m := range seen {
		assert.LessOrEqual(t, len(m.Data), maxPayload, m.Subject)
		var msg Message
		if json.Unmarshal(m.Data, &msg) != nil || msg.Kind == "" {
			continue // heartbeats and JetStream's own small messages
		}
		events++
		assert.Contains(t, []string{KindResult, KindFind}, msg.Kind, m.Subject)
		assert.Less(t, len(m.Data), 1024, m.Subject)
		assert.NotContains(t, strings.ToLower(string(m.Data)), "base64")
	}
	assert.GreaterOrEqual(t, events, sent, "the spy saw the events cross")
	kinds := map[string]int{}
	for _, m := range seen {
		parts := strings.SplitN(m.Subject, ".", 3)
		kind := strings.Join(parts[:min(2, len(parts))], ".")
		kinds[kind]++
		if parts[0] == "arcade" {
			// The kiosk's own subjects: events, presence, battles, time.
			assert.Contains(t, []string{"arcade.ev", "arcade.hb", "arcade.battle", "arcade.live", "arcade.time"}, kind)
			assert.Less(t, len(m.Data), 1024, m.Subject)
		}
	}
	assert.Positive(t, kinds["arcade.battle"], "the battle call crossed")
	assert.Positive(t, kinds["arcade.live"], "the live score crossed")
	// Most of what the spy sees exists only because it listens to
	// everything: JetStream's advisories and the answers to this test's
	// own stream queries.
	t.Logf("%d messages crossed the hub, %d of them events; by subject: %v", len(seen), events, kinds)
}

// firstBattle is the ID of the first battle a carrier knows.
func firstBattle(c *Carrier) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.battleOrder) == 0 {
		return ""
	}
	return c.battleOrder[0]
}
