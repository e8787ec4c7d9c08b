package record_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/game/record"
	"github.com/carrierarcade/kiosk/sight"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// heapInUse is the live heap after a collection.
func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// allocated is the bytes allocated while f ran.
func allocated(f func()) int64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return int64(after.TotalAlloc - before.TotalAlloc)
}

// A replay reads the file as it plays, one line at a time: what Open keeps
// and what the replay holds as it plays do not grow with the recording's
// length (a five-minute recording against a one-minute one, measured in
// this run), and a file cut after Open stops the replay with a message
// naming it.
func TestReplayStreamsTheFile(t *testing.T) {
	dir := t.TempDir()
	short, long := filepath.Join(dir, "minute.rec"), filepath.Join(dir, "five-minutes.rec")
	scriptedSessionFor(t, short, 60)
	scriptedSessionFor(t, long, 300)

	// held is the live heap, over what it was before Open, after Open and
	// at its most while the replay plays (looked at every tenth event).
	held := func(path string) (opened, playing int64) {
		base := heapInUse()
		rec, err := record.Open(path)
		require.NoError(t, err)
		opened = heapInUse() - base
		n := 0
		_, same, err := rec.Replay(func(game.Event) {
			if n++; n%10 == 0 {
				playing = max(playing, heapInUse()-base)
			}
		})
		require.NoError(t, err)
		require.True(t, same)
		runtime.KeepAlive(rec)
		return opened, playing
	}
	shortOpened, shortPlaying := held(short)
	longOpened, longPlaying := held(long)
	t.Logf("live heap after Open: %d B (1 min), %d B (5 min); while playing: %d B, %d B", shortOpened, longOpened, shortPlaying, longPlaying)
	assert.Less(t, longOpened, max(shortOpened, 0)+256<<10, "Open keeps nothing per tick")
	assert.Less(t, longPlaying, max(shortPlaying, 0)+512<<10, "the replay holds one line at a time")

	rec, err := record.Open(long)
	require.NoError(t, err)
	whole, err := os.ReadFile(long)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(long, whole[:len(whole)/2], 0o644))
	_, same, err := rec.Replay(nil)
	require.ErrorIs(t, err, record.ErrRecording)
	assert.ErrorContains(t, err, long)
	assert.ErrorContains(t, err, "changed while it played")
	assert.False(t, same)
}

// gzipFile writes a gzip file at path from parts, each written as many
// times as it says (so a bomb is made without holding it).
type part struct {
	data  []byte
	times int
}

func gzipFile(t *testing.T, path string, parts ...part) {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	require.NoError(t, err)
	for _, p := range parts {
		for range max(p.times, 1) {
			_, err := zw.Write(p.data)
			require.NoError(t, err)
		}
	}
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())
}

// A file that would eat the machine is refused early, with a message
// naming it: a gzip bomb of blank lines (at the start and after some
// play), a line of tens of MB, and an end line claiming years of play.
// Each costs a few MB at most.
func TestReplayRefusesBombsAndHugeLines(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.rec")
	scriptedSession(t, good)
	lines := bytes.SplitAfter(gunzip(t, good), []byte("\n"))
	head, body := bytes.Join(lines[:10], nil), bytes.Join(lines[10:], nil)
	blanks := bytes.Repeat([]byte("\n"), 1<<20)
	spaces := bytes.Repeat([]byte(" "), 1<<20)

	for _, tc := range []struct {
		name  string
		parts []part
		want  string
	}{
		{"blank lines first", []part{{blanks, 40}, {head, 1}, {body, 1}}, "more than 8 MB of blank lines at its start"},
		{"blank lines after some play", []part{{head, 1}, {blanks, 40}, {body, 1}}, "more than 8 MB of blank lines after tick "},
		{"a huge line", []part{{head, 1}, {[]byte(`{"tick":999999,"keys":["`), 1}, {spaces, 40}, {[]byte("\"]}\n"), 1}, {body, 1}},
			"a line longer than 8 MB after tick "},
		{"a huge header", []part{{[]byte(`{"format":"carrier-arcade-session","made":"`), 1}, {spaces, 40}, {[]byte("\"}\n"), 1}},
			"a line longer than 8 MB at its start"},
		{"years of play", []part{{lines[0], 1}, {[]byte(`{"tick":3000000000000,"end":true}` + "\n"), 1}}, "days of play; a recording holds at most 7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".rec")
			gzipFile(t, path, tc.parts...)
			info, err := os.Stat(path)
			require.NoError(t, err)
			var openErr error
			cost := allocated(func() { _, openErr = record.Open(path) })
			t.Logf("%d B of gzip: refused after %.1f MB allocated: %v", info.Size(), float64(cost)/(1<<20), openErr)
			require.ErrorIs(t, openErr, record.ErrRecording)
			assert.ErrorContains(t, openErr, path)
			assert.ErrorContains(t, openErr, tc.want)
			assert.Less(t, cost, int64(24<<20), "what a refusal costs is bounded, not the file's unpacked size (40 MB)")
		})
	}
}

// syncBuffer is a log that the writer's goroutine and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A recording that cannot be written stops at the first failure with one
// ERROR line naming the file and the reason, while the session plays on
// to a round's results; Close returns the failure. Real failures: the
// disk that is always full (/dev/full), and a file that hits a size limit
// (as a filling disk does) after some seconds were written.
func TestRecordingStopsAtTheFirstWriteFailure(t *testing.T) {
	for _, tc := range []struct {
		name   string
		path   func(t *testing.T) string
		limit  uint64 // RLIMIT_FSIZE while it plays, 0: none
		reason string
	}{
		{"/dev/full", func(*testing.T) string { return "/dev/full" }, 0, "no space left on device"},
		{"a file-size limit mid-run", func(t *testing.T) string { return filepath.Join(t.TempDir(), "booth.rec") }, 16 << 10, "file too large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path(t)
			var logged syncBuffer
			log := slog.New(slog.NewTextHandler(&logged, nil))
			setup := game.Setup{Game: game.DefaultConfig(), Keys: game.DefaultKeyConfig(), TPS: tps, Seed: 7}
			setup.Game.Bubbles.RoundSeconds = 5
			ses := game.NewSession(setup, nil, nil)
			var results []game.Event
			ses.Listen(func(e game.Event) {
				if e.Kind == game.KindResults {
					results = append(results, e)
				}
			})
			if tc.limit > 0 {
				var lim syscall.Rlimit
				require.NoError(t, syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim))
				small := lim
				small.Cur = tc.limit
				require.NoError(t, syscall.Setrlimit(syscall.RLIMIT_FSIZE, &small))
				t.Cleanup(func() { require.NoError(t, syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim)) })
			}
			w, err := record.Create(path, setup, nil, log)
			require.NoError(t, err)
			ses.Record(w)
			ses.Listen(w.Hear)
			ses.SetDay("2026-12-03")

			// Play (a motion grid that changes every tick, so each tick
			// is a line) until the failure is logged: at once for
			// /dev/full, after the first 16 kB for the limit.
			var o sight.Observation
			o.Motion = sight.MotionGrid{W: 32, H: 24, Energy: make([]float32, 32*24), Calibrated: true}
			played := 0
			step := func() {
				o.Motion.Energy[played%len(o.Motion.Energy)] = sight.FromLevel(byte(played))
				o.MotionFrame.Seq++
				ses.Step(&o)
				played++
			}
			deadline := time.Now().Add(time.Minute)
			for !strings.Contains(logged.String(), "recording stopped") {
				require.True(t, time.Now().Before(deadline), "waited a minute for the write failure to be logged")
				step()
			}
			if tc.limit > 0 {
				assert.Greater(t, played, tps, "some seconds were written before the limit")
			}
			// The booth plays on: a whole round, to its results.
			before := len(results)
			require.NoError(t, ses.StartGame("bubbles"))
			for range 12 * tps {
				step()
			}
			require.Len(t, results, before+1, "the round played to its results")

			err = w.Close()
			require.Error(t, err)
			assert.ErrorContains(t, err, path)
			assert.ErrorContains(t, err, tc.reason)
			out := logged.String()
			t.Log(out)
			assert.Equal(t, 1, strings.Count(out, "level=ERROR"), "one ERROR line")
			assert.Contains(t, out, fmt.Sprintf("file=%s", path))
			assert.Contains(t, out, tc.reason)
		})
	}
}

// A recording made read-only is not written over, even by root.
func TestRecordingLeavesAReadOnlyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kept.rec")
	require.NoError(t, os.WriteFile(path, []byte("kept"), 0o444))
	setup := game.Setup{Game: game.DefaultConfig(), Keys: game.DefaultKeyConfig(), TPS: tps}
	_, err := record.Create(path, setup, nil, nil)
	require.ErrorContains(t, err, path+" is read-only (mode -r--r--r--)")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "kept", string(data))
}

// A recording keeps no folder of the machine that made it: not data_dir,
// not the board's file, not a clip's folder, not the source files in a
// panic's stack; only the names. A device keeps its path. The replay gives
// the same digest, and the notes as the recording keeps them.
func TestRecordingKeepsNoFolder(t *testing.T) {
	home := "/home/ann/booth"
	setup := game.Setup{Game: game.DefaultConfig(), Keys: game.DefaultKeyConfig(), TPS: tps, Seed: 9}
	setup.Game.DataDir = home + "/data"
	path := filepath.Join(t.TempDir(), "booth.rec")
	ses := game.NewSession(setup, nil, nil)
	w, err := record.Create(path, setup, nil, nil)
	require.NoError(t, err)
	ses.Record(w)
	ses.Listen(w.Hear)
	var want []string
	ses.Listen(func(e game.Event) {
		b, err := json.Marshal(e)
		require.NoError(t, err)
		want = append(want, string(b))
	})
	ses.SetDay("2026-12-03")
	ses.Note(game.Event{Kind: game.KindBoardSaved, File: home + "/data/leaderboard.json"})
	ses.Note(game.Event{Kind: game.KindBoardUnsaved, File: home + "/data/leaderboard.json",
		Err: "leaderboard: not saved: open " + home + "/data/.leaderboard.json.tmp-1: permission denied"})
	ses.Note(game.Event{Kind: game.KindCameraLost, Source: "file:" + home + "/clips/vtest.avi?loop=0", Reason: "the clip ended"})
	ses.Note(game.Event{Kind: game.KindCameraLost, Source: "camera:/dev/video0", Reason: "stalled"})
	ses.Step(nil)
	ses.SceneFailed("boom", "goroutine 1 [running]:\ngithub.com/carrierarcade/kiosk/game.(*Hunt).Draw(...)\n\t"+home+"/src/game/hunt.go:42 +0x1d\n")
	for range tps {
		ses.Step(nil)
	}
	require.NoError(t, w.Close())

	raw := string(gunzip(t, path))
	assert.NotContains(t, raw, "/home")
	abs := regexp.MustCompile(`[\s:="'(,\[]/[^\s/"]+/`)
	for _, m := range abs.FindAllString(raw, -1) {
		assert.Contains(t, m, "/dev/", "only a device keeps its path")
	}
	assert.Contains(t, raw, `"DataDir":"data"`)
	assert.Contains(t, raw, `"file":"leaderboard.json"`)
	assert.Contains(t, raw, `open .leaderboard.json.tmp-1: permission denied`)
	assert.Contains(t, raw, `"source":"file:vtest.avi?loop=0"`)
	assert.Contains(t, raw, `"source":"camera:/dev/video0"`)
	assert.Contains(t, raw, `hunt.go:42 +0x1d`)

	rec, err := record.Open(path)
	require.NoError(t, err)
	var got []string
	_, same, err := rec.Replay(func(e game.Event) {
		b, err := json.Marshal(e)
		require.NoError(t, err)
		got = append(got, string(b))
	})
	require.NoError(t, err)
	assert.True(t, same, "the digest is of the events as the replay gives them")
	require.Len(t, got, len(want))
	assert.Contains(t, strings.Join(got, "\n"), `"file":"leaderboard.json"`)
}
