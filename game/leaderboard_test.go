package game_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestLeaderboardRanks(t *testing.T) {
	dir := t.TempDir()
	lb := game.OpenLeaderboard(dir, nil, nil)
	for _, tc := range []struct {
		name  string
		score int
		rank  int
	}{
		{"A", 100, 1},
		{"B", 300, 1},
		{"C", 200, 2},
		{"D", 200, 3}, // a tie ranks below who got there first
		{"E", 50, 5},
		{"F", 60, 5},
		{"G", 70, 5},
		{"H", 80, 5},
		{"I", 90, 5},
		{"J", 10, 10},
		{"K", 5, 0}, // the board is full
		{"L", 400, 1},
		{"M", 10, 0}, // ties the last one, who got there first
	} {
		assert.Equal(t, tc.rank, lb.Add("hunt", testDay, tc.name, tc.score), tc.name)
	}
	top := lb.Top("hunt", testDay)
	require.Len(t, top, 10)
	var names []string
	for i, e := range top {
		names = append(names, e.Name)
		if i > 0 {
			assert.GreaterOrEqual(t, top[i-1].Score, e.Score)
		}
	}
	assert.Equal(t, "L B C D A I H G F E", strings.Join(names, " "), "J fell off")

	assert.Empty(t, lb.Top("bubbles", testDay), "games apart")
	assert.Empty(t, lb.Top("hunt", "2025-06-02"), "days apart")
	assert.Equal(t, 1, lb.Add("hunt", "2025-06-02", "N", 1))
	lb.Flush()

	again := game.OpenLeaderboard(dir, nil, nil)
	assert.Equal(t, top, again.Top("hunt", testDay), "kept on disk")
	assert.Len(t, again.Top("hunt", "2025-06-02"), 1)

	top[0].Name = "changed"
	assert.Equal(t, "L", lb.Top("hunt", testDay)[0].Name, "Top is a copy")
}

func TestLeaderboardReset(t *testing.T) {
	dir := t.TempDir()
	lb := game.OpenLeaderboard(dir, nil, nil)
	lb.Add("hunt", testDay, "A", 1)
	lb.Add("dodge", testDay, "B", 2)
	lb.Add("hunt", "2025-06-02", "C", 3)

	lb.Reset("hunt", testDay)
	assert.Empty(t, lb.Top("hunt", testDay))
	assert.Len(t, lb.Top("dodge", testDay), 1)

	lb.ResetDay(testDay)
	assert.Empty(t, lb.Top("dodge", testDay))
	assert.Len(t, lb.Top("hunt", "2025-06-02"), 1)
	lb.Close()

	again := game.OpenLeaderboard(dir, nil, nil)
	assert.Empty(t, again.Top("dodge", testDay))
	assert.Len(t, again.Top("hunt", "2025-06-02"), 1)
}

func TestLeaderboardWritesLeaveNoTempFiles(t *testing.T) {
	dir := t.TempDir()
	lb := game.OpenLeaderboard(dir, nil, nil)
	assert.Empty(t, files(t, dir), "nothing written before a score")
	r := rand.New(rand.NewPCG(1, 1))
	for i := range 30 {
		lb.Add("bubbles", testDay, game.FunName(r), i*7%50)
	}
	lb.Flush()
	assert.Equal(t, []string{"leaderboard.json"}, files(t, dir))
}

func TestLeaderboardSurvivesACrashBeforeTheRename(t *testing.T) {
	dir := t.TempDir()
	lb := game.OpenLeaderboard(dir, nil, nil)
	lb.Add("hunt", testDay, "Old Otter", 120)
	lb.Close()

	// The crash: the new board written to its temporary file, never renamed.
	tmp := filepath.Join(dir, "leaderboard.json.tmp-12345")
	require.NoError(t, os.WriteFile(tmp, []byte(`{"version":1,"days":{"2025-06-01":{"hunt":[{"name":"New`), 0o644))

	again := game.OpenLeaderboard(dir, nil, nil)
	assert.Equal(t, []game.Entry{{Name: "Old Otter", Score: 120}}, again.Top("hunt", testDay))
	assert.Equal(t, []string{"leaderboard.json"}, files(t, dir), "the leftover is cleared away")
}

// A board linked into data_dir from elsewhere (a USB stick, a synced
// folder) is read and written there: the link stays a link, a crash's
// leftover beside the real file is cleared, and a damaged real file is set
// aside where it is, the next write making a new board there.
func TestLeaderboardWritesThroughALink(t *testing.T) {
	root := t.TempDir()
	dataDir, stick := filepath.Join(root, "data"), filepath.Join(root, "stick")
	require.NoError(t, os.MkdirAll(dataDir, 0o755))
	require.NoError(t, os.MkdirAll(stick, 0o755))
	real := filepath.Join(stick, "scores.json")
	require.NoError(t, os.WriteFile(real, []byte(`{"version":1,"days":{"2025-06-01":{"hunt":[{"name":"Old Otter","score":120}]}}}`), 0o644))
	link := filepath.Join(dataDir, "leaderboard.json")
	require.NoError(t, os.Symlink("../stick/scores.json", link))
	require.NoError(t, os.WriteFile(filepath.Join(stick, "leaderboard.json.tmp-777"), []byte("cut short"), 0o644))

	lb := game.OpenLeaderboard(dataDir, nil, nil)
	assert.Equal(t, []game.Entry{{Name: "Old Otter", Score: 120}}, lb.Top("hunt", testDay), "read through the link")
	lb.Add("hunt", testDay, "New Newt", 90)
	lb.Close()
	info, err := os.Lstat(link)
	require.NoError(t, err)
	assert.Equal(t, os.ModeSymlink, info.Mode().Type(), "the link stays a link")
	data, err := os.ReadFile(real)
	require.NoError(t, err)
	assert.Contains(t, string(data), "New Newt", "written where the board really is")
	assert.Equal(t, []string{"scores.json"}, files(t, stick), "no temporary file left, the crash's cleared")
	assert.Equal(t, []string{"leaderboard.json"}, files(t, dataDir))

	require.NoError(t, os.WriteFile(real, []byte(`{"days": broken`), 0o644))
	lb = game.OpenLeaderboard(dataDir, nil, nil)
	assert.Empty(t, lb.Top("hunt", testDay))
	lb.Add("hunt", testDay, "Fresh Fox", 10)
	lb.Close()
	assert.Equal(t, []string{"scores.json", "scores.json.damaged-1"}, files(t, stick), "set aside beside the real file")
	data, err = os.ReadFile(link)
	require.NoError(t, err)
	assert.Contains(t, string(data), "Fresh Fox", "a new board behind the same link")
}

// A board that links to something that is not a file (a FIFO here; a
// device such as /dev/zero alike) is the damaged board: the link is set
// aside in data_dir and what it leads to is never renamed nor written.
// (Following it once renamed /dev/zero, as root, and wrote a board there.)
func TestLeaderboardLeavesWhatALinkLeadsToAlone(t *testing.T) {
	root := t.TempDir()
	fifo := filepath.Join(root, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	dataDir := filepath.Join(root, "data")
	require.NoError(t, os.MkdirAll(dataDir, 0o755))
	link := filepath.Join(dataDir, "leaderboard.json")
	require.NoError(t, os.Symlink(fifo, link))

	lb := game.OpenLeaderboard(dataDir, nil, nil)
	lb.Add("hunt", testDay, "Still Playing", 42)
	lb.Close()
	info, err := os.Lstat(fifo)
	require.NoError(t, err, "the FIFO is where it was")
	assert.Equal(t, os.ModeNamedPipe, info.Mode().Type(), "and still a FIFO")
	assert.Equal(t, []string{"data", "fifo"}, files(t, root), "nothing beside it")
	aside, err := os.Lstat(link + ".damaged-1")
	require.NoError(t, err, "the link itself is set aside")
	assert.Equal(t, os.ModeSymlink, aside.Mode().Type())
	info, err = os.Lstat(link)
	require.NoError(t, err)
	assert.True(t, info.Mode().IsRegular(), "a new board in data_dir")
	data, err := os.ReadFile(link)
	require.NoError(t, err)
	assert.Contains(t, string(data), "Still Playing")
}

func TestLeaderboardSetsADamagedFileAside(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "leaderboard.json")
	for n := 1; n <= 2; n++ {
		bad := fmt.Sprintf(`{"days": broken %d`, n)
		require.NoError(t, os.WriteFile(path, []byte(bad), 0o644))
		var logged bytes.Buffer
		lb := game.OpenLeaderboard(dir, slog.New(slog.NewTextHandler(&logged, nil)), nil)
		assert.Empty(t, lb.Top("hunt", testDay))
		assert.Contains(t, logged.String(), "level=WARN")
		assert.Contains(t, logged.String(), "damaged")

		aside, err := os.ReadFile(fmt.Sprintf("%s.damaged-%d", path, n))
		require.NoError(t, err)
		assert.Equal(t, bad, string(aside), "kept for a look")
		_, err = os.Stat(path)
		assert.True(t, os.IsNotExist(err))

		assert.Equal(t, 1, lb.Add("hunt", testDay, "Fresh Start", 10), "works on")
		lb.Close()
	}
}

func TestFunName(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	names := map[string]bool{}
	for range 50 {
		n := game.FunName(r)
		words := strings.Fields(n)
		require.Len(t, words, 2, n)
		names[n] = true
	}
	assert.Greater(t, len(names), 40, "varied")
}

// A disk that hangs does not hold up the game: scores go on the board in
// memory at once, the write happens on the board's own goroutine, and its
// outcome is reported when it is known.
func TestLeaderboardWritesNeverWait(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	var outcomes []error
	lb := game.SavingLeaderboard(func([]byte) error {
		<-release // the disk hangs until the test lets it go
		return errors.New("disk full")
	}, func(_ string, err error) {
		mu.Lock()
		outcomes = append(outcomes, err)
		mu.Unlock()
	})
	for i := range 50 {
		lb.Add("hunt", testDay, fmt.Sprint("P", i), 10+i)
	}
	assert.Equal(t, 59, lb.Top("hunt", testDay)[0].Score, "in memory at once")
	close(release)
	lb.Close()
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, outcomes)
	assert.LessOrEqual(t, len(outcomes), 3, "changes made while a write hangs are written together")
	assert.ErrorContains(t, outcomes[len(outcomes)-1], "disk full")
}

// Every leaderboard fault the kiosk met: it still opens a board and plays,
// and says once what is wrong and where.
func TestLeaderboardFaultsNeverStopTheKiosk(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setUp func(t *testing.T, dir string) string // returns the data_dir to open
		log   string                                // in the log
		check func(t *testing.T, dataDir string)
	}{
		{"the board is a folder", func(t *testing.T, dir string) string {
			require.NoError(t, os.Mkdir(filepath.Join(dir, "leaderboard.json"), 0o755))
			return dir
		}, "set aside", func(t *testing.T, dir string) {
			info, err := os.Stat(filepath.Join(dir, "leaderboard.json.damaged-1"))
			require.NoError(t, err)
			assert.True(t, info.IsDir(), "kept for a look")
		}},
		{"the board is a FIFO", func(t *testing.T, dir string) string {
			require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "leaderboard.json"), 0o644))
			return dir
		}, "not a regular file", nil},
		{"data_dir is a file", func(t *testing.T, dir string) string {
			file := filepath.Join(dir, "data")
			require.NoError(t, os.WriteFile(file, []byte("x"), 0o644))
			return file
		}, "game.data_dir", nil},
		{"a board from a newer kiosk", func(t *testing.T, dir string) string {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "leaderboard.json"), []byte(`{"version": 99, "days": {}}`), 0o644))
			return dir
		}, "newer kiosk", func(t *testing.T, dir string) {
			data, err := os.ReadFile(filepath.Join(dir, "leaderboard.json"))
			require.NoError(t, err)
			assert.JSONEq(t, `{"version": 99, "days": {}}`, string(data), "left as it is")
			again := game.OpenLeaderboard(dir, nil, nil)
			defer again.Close()
			assert.Len(t, again.Top("hunt", testDay), 1, "our scores, from beside it")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			dataDir := tc.setUp(t, dir)
			var logged bytes.Buffer
			done := make(chan *game.Leaderboard)
			go func() { done <- game.OpenLeaderboard(dataDir, slog.New(slog.NewTextHandler(&logged, nil)), nil) }()
			var lb *game.Leaderboard
			select {
			case lb = <-done:
			case <-time.After(time.Minute):
				t.Fatal("opening the board hangs")
			}
			assert.Contains(t, logged.String(), tc.log)
			assert.Equal(t, 1, lb.Add("hunt", testDay, "Still Playing", 50), "the board works")
			// The kiosk keeps playing: a whole round, headless, on this board.
			score := playBubblesRound(t, lb)
			assert.Positive(t, score, "the round scored")
			assert.Equal(t, score, lb.Top("bubbles", testDay)[0].Score, "its score is on the board")
			lb.Close()
			assert.Equal(t, []game.Entry{{Name: "Still Playing", Score: 50}}, lb.Top("hunt", testDay), "and shows the score")
			if tc.check != nil {
				tc.check(t, dataDir)
			}
		})
	}
}

// playBubblesRound plays one round of Bubble Pop on board, waving all the
// while, through its results, and returns the score.
func playBubblesRound(t *testing.T, board *game.Leaderboard) int {
	t.Helper()
	ses, results := startBubblesRound(t, board)
	waveThrough(ses)
	require.Len(t, *results, 1, "the round ended with its results")
	return (*results)[0].Score
}

// startBubblesRound starts a 5 s round of Bubble Pop on board; results
// gathers the round's results events as they come.
func startBubblesRound(t *testing.T, board *game.Leaderboard) (ses *game.Session, results *[]game.Event) {
	t.Helper()
	setup := testSetup()
	setup.Game.Bubbles.RoundSeconds = 5
	ses = game.NewSession(setup, board, nil)
	ses.SetDay(testDay)
	results = new([]game.Event)
	ses.Listen(func(e game.Event) {
		if e.Kind == game.KindResults {
			*results = append(*results, e)
		}
	})
	require.NoError(t, ses.StartGame("bubbles"))
	return ses, results
}

// waveThrough waves across the picture through a round's countdown, the
// round and its results.
func waveThrough(ses *game.Session) {
	o := obs()
	for i := range 20 * 12 {
		moving(o, game.Rect{X0: float32(i%20) / 20, Y0: 0, X1: float32(i%20)/20 + 0.2, Y1: 1})
		ses.Step(o)
	}
}

// A board that cannot be written keeps its scores, says why, and is
// written once the disk takes it again.
func TestLeaderboardTriesAgainUntilWritten(t *testing.T) {
	defer game.SetRetryEvery(10 * time.Millisecond)()
	var mu sync.Mutex
	full := true
	var wrote [][]byte
	lb := game.SavingLeaderboard(func(data []byte) error {
		mu.Lock()
		defer mu.Unlock()
		if full {
			return errors.New("no space left on device")
		}
		wrote = append(wrote, data)
		return nil
	}, nil)
	defer lb.Close()
	lb.Add("hunt", testDay, "Patient Panda", 70)
	require.Eventually(t, func() bool { return lb.Problem() != "" }, 10*time.Second, time.Millisecond)
	assert.Contains(t, lb.Problem(), "no space left")
	mu.Lock()
	full = false
	mu.Unlock()
	require.Eventually(t, func() bool { return lb.Problem() == "" }, 10*time.Second, time.Millisecond, "written on a retry, without a new score")
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, wrote)
	assert.Contains(t, string(wrote[len(wrote)-1]), "Patient Panda")
}
