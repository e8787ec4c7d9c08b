package link

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLinkCarrierChild is the carrier that TestLinkCarrierKilled kills: it
// stores results one after another and says which are written.
func TestLinkCarrierChild(t *testing.T) {
	if os.Getenv("LINK_CHILD_STORE") == "" {
		t.Skip("run by TestLinkCarrierKilledLosesNothingWritten as its child process")
	}
	c, err := Start(Config{Enabled: true, Name: "Child", Hub: "nats-leaf://127.0.0.1:1", KeyFile: os.Getenv("LINK_CHILD_KEY")},
		os.Getenv("LINK_CHILD_STORE"), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	for i := 0; ; i++ {
		m := Message{Carrier: c.id, Name: c.name, Kind: KindResult, Game: "hunt", Score: 100 + i,
			Player: fmt.Sprint("Player ", i), Day: c.Today(), At: time.Now().UTC(), ID: fmt.Sprint("child-", os.Getenv("LINK_CHILD_ROUND"), "-", i)}
		require.NoError(t, c.publish(context.Background(), m))
		fmt.Printf("written %s\n", m.ID)
	}
}

// A carrier killed (kill -9) while it stores results starts again on its
// store and has every result it reported written.
func TestLinkCarrierKilledLosesNothingWritten(t *testing.T) {
	dir := t.TempDir()
	key, _ := newKey(t, dir, "child")
	store := filepath.Join(dir, "data")
	written := map[string]bool{}
	for round := range 2 { // killed twice, the second time on the store the first kill left
		cmd := exec.Command(os.Args[0], "-test.run=^TestLinkCarrierChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "LINK_CHILD_STORE="+store, "LINK_CHILD_KEY="+key, fmt.Sprint("LINK_CHILD_ROUND=", round))
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		sc := bufio.NewScanner(out)
		n := 0
		for sc.Scan() && n < 30 {
			if id, ok := strings.CutPrefix(sc.Text(), "written "); ok {
				written[id] = true
				n++
			}
		}
		require.NoError(t, cmd.Process.Signal(syscall.SIGKILL), "round %d", round)
		_ = cmd.Wait()
		require.Equal(t, 30, n, "the child wrote results before it was killed")
	}

	c, err := Start(Config{Enabled: true, Name: "Child", Hub: "nats-leaf://127.0.0.1:1", KeyFile: key}, store, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cons, err := c.js.OrderedConsumer(ctx, ownStream(c.id), jetstream.OrderedConsumerConfig{})
	require.NoError(t, err)
	stored := map[string]bool{}
	for {
		msg, err := cons.Next(jetstream.FetchMaxWait(time.Second))
		if err != nil {
			break
		}
		stored[msg.Headers().Get(jetstream.MsgIDHeader)] = true
	}
	for id := range written {
		assert.True(t, stored[id], "%s was reported written and is stored", id)
	}
	t.Logf("%d results reported written, %d stored", len(written), len(stored))
}
