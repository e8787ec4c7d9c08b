package game_test

import (
	"bufio"
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/carrierarcade/kiosk/game"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLeaderboardKillChild is the kiosk that TestLeaderboardKilledWhileWriting
// kills: it enters scores one after another and prints each one the board
// has written. Each score gets a board of its own (its own game name), so
// that none can fall out of a top ten and every written one must stay.
func TestLeaderboardKillChild(t *testing.T) {
	dir := os.Getenv("BOARD_CHILD_DIR")
	if dir == "" {
		t.Skip("run by TestLeaderboardKilledWhileWriting as its child process")
	}
	lb := game.OpenLeaderboard(dir, slog.New(slog.DiscardHandler), nil)
	for i := 0; ; i++ {
		name := fmt.Sprintf("r%s-%d", os.Getenv("BOARD_CHILD_ROUND"), i)
		lb.Add(name, testDay, "Kill Nine", 100+i)
		lb.Flush()
		if lb.Problem() == "" {
			fmt.Printf("written %s %d\n", name, 100+i)
		}
	}
}

// killCycles is how many times the writer is killed: 20 in every test run;
// BOARD_KILL_CYCLES=500 (make test-kill) for a longer run.
func killCycles(t *testing.T) int {
	if s := os.Getenv("BOARD_KILL_CYCLES"); s != "" {
		n, err := strconv.Atoi(s)
		require.NoError(t, err, "BOARD_KILL_CYCLES")
		return n
	}
	return 20
}

// A kiosk killed (kill -9) while it writes scores loses none it reported
// written, and its board opens cleanly after every kill: the write is a
// synced temporary file renamed over the board. The kill lands after a
// different number of writes each cycle, with the child already busy with
// the next one.
func TestLeaderboardKilledWhileWriting(t *testing.T) {
	dir := t.TempDir()
	written := map[string]int{}
	midWrite := 0
	for cycle := range killCycles(t) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLeaderboardKillChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "BOARD_CHILD_DIR="+dir, fmt.Sprint("BOARD_CHILD_ROUND=", cycle))
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		want := 1 + cycle%5
		sc := bufio.NewScanner(out)
		n := 0
		for n < want && sc.Scan() {
			var name string
			var score int
			if _, err := fmt.Sscanf(sc.Text(), "written %s %d", &name, &score); err == nil {
				written[name] = score
				n++
			}
		}
		require.NoError(t, cmd.Process.Signal(syscall.SIGKILL), "cycle %d", cycle)
		_ = cmd.Wait()
		require.Equal(t, want, n, "cycle %d: the child wrote scores before it was killed", cycle)

		for _, f := range files(t, dir) {
			if strings.Contains(f, ".tmp-") {
				midWrite++ // the kill caught a write between create and rename
				break
			}
		}
		var logged bytes.Buffer
		lb := game.OpenLeaderboard(dir, slog.New(slog.NewTextHandler(&logged, nil)), nil)
		lost := 0
		for name, score := range written {
			if top := lb.Top(name, testDay); len(top) != 1 || top[0].Score != score {
				lost++
			}
		}
		lb.Close()
		assert.Zero(t, lost, "cycle %d: scores reported written and missing after the kill", cycle)
		assert.NotContains(t, logged.String(), "set aside", "cycle %d: the board loads as it is", cycle)
		for _, f := range files(t, dir) {
			assert.NotContains(t, f, ".tmp-", "cycle %d: a half-written temporary %s is cleared at start", cycle, f)
		}
	}
	t.Logf("%d kills (%d of them in the middle of a write, a temporary file left), %d scores reported written, all there after each kill",
		killCycles(t), midWrite, len(written))
}
