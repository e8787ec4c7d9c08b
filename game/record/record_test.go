package record_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/game/record"
	"github.com/carrierarcade/kiosk/sight"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const tps = 30

// scriptedSession plays a minute of a scripted booth: a person with a cup,
// a face that moves, an arm that waves, keys, a camera outage, a scene
// that fails while drawn, and the demo reel standing in for the camera
// (its hunt asks for the reel's items). It records into path when path is set, and
// returns the events as JSON lines.
func scriptedSession(t *testing.T, path string) []string {
	t.Helper()
	return scriptedSessionFor(t, path, 60)
}

// scriptedSessionFor plays the script for seconds (its events all come in
// the first minute; after it the people stay and the arm keeps waving).
func scriptedSessionFor(t *testing.T, path string, seconds int) []string {
	t.Helper()
	setup := game.Setup{Game: game.DefaultConfig(), Keys: game.DefaultKeyConfig(), TPS: tps,
		Mirror: true, Privacy: "live", Seed: 42}
	setup.Game.Hunt.Items = []string{"cup", "book"}
	setup.Game.Demo = game.DemoReel{Items: []string{"book"}}
	board := game.NewLeaderboard(map[string]map[string][]game.Entry{
		"2026-12-01": {"bubbles": {{Name: "Early Bird", Score: 90}}},
	})
	ses := game.NewSession(setup, board, nil)
	var lines []string
	ses.Listen(func(e game.Event) {
		b, err := json.Marshal(e)
		require.NoError(t, err)
		lines = append(lines, string(b))
	})
	var w *record.Writer
	if path != "" {
		var err error
		w, err = record.Create(path, setup, board.Days(), nil)
		require.NoError(t, err)
		ses.Record(w)
		ses.Listen(w.Hear)
	}
	ses.SetDay("2026-12-01")
	require.NoError(t, ses.StartGame("hunt"))
	var o sight.Observation
	o.Motion = sight.MotionGrid{W: 32, H: 24, Energy: make([]float32, 32*24), Calibrated: true}
	for i := range seconds * tps {
		o.Frame = sight.Frame{Seq: uint64(i/3 + 1), Time: time.Duration(i/3) * 100 * time.Millisecond, W: 640, H: 480}
		if i%6 == 0 { // a detector at 5 Hz
			o.ObjectsFrame = o.Frame
			o.Objects = o.Objects[:0]
			o.ObjectTracks = o.ObjectTracks[:0]
			person := sight.Detection{Label: "person", Score: 0.91, Box: sight.Box{X0: 200, Y0: 40, X1: 440, Y1: 470}}
			o.Objects = append(o.Objects, person)
			o.ObjectTracks = append(o.ObjectTracks, sight.Track{ID: 1, Detection: person, Seen: i/6 + 1, Primary: true})
			if (i/30)%3 != 0 {
				cup := sight.Detection{Class: 41, Label: "cup", Score: 0.7, Box: sight.Box{X0: 300, Y0: 200, X1: 340, Y1: 260}}
				o.Objects = append(o.Objects, cup)
			}
			o.Player, o.HasPlayer = o.ObjectTracks[0], true
			o.FacesFrame = o.Frame
			x := float32(200 + (i%120)*2)
			face := sight.Detection{Label: "face", Score: 0.8, Box: sight.Box{X0: x, Y0: 60, X1: x + 80, Y1: 150}}
			face.Keypoints[0] = sight.Point{X: x + 20, Y: 90}
			o.Faces = append(o.Faces[:0], face)
			o.FaceTracks = append(o.FaceTracks[:0], sight.Track{ID: 1, Detection: face, Seen: 3})
		}
		if i%2 == 0 { // motion at 15 Hz: an arm sweeping across
			clear(o.Motion.Energy)
			col := (i / 2) % 32
			for y := 4; y < 18; y++ {
				o.Motion.Energy[y*32+col] = sight.Quantize(0.8)
			}
			o.Motion.Energy[0] = 0.123456 // a scripted value that is no level
			o.Motion.Time = o.Frame.Time
			o.MotionFrame = o.Frame
		}
		switch i {
		case 0:
			ses.SetCanvas(game.Canvas{W: 1280, H: 800})
		case 20 * tps: // turned to a portrait screen: the games play in its middle band
			ses.SetCanvas(game.Canvas{W: 800, H: 1280})
		case 25 * tps:
			ses.Press("V")
		case 26 * tps:
			ses.Press("Digit2")
		case 30 * tps:
			ses.Note(game.Event{Kind: game.KindCameraLost, Source: "camera:0", Reason: "stalled", Outages: 1})
		case 33 * tps:
			ses.Note(game.Event{Kind: game.KindCameraBack, Source: "camera:0", Outages: 1, Back: 1})
		case 40 * tps:
			ses.SceneFailed("boom while drawing", "stack")
		case 41 * tps:
			ses.Press("Q")
			ses.Press("Digit4")
		case 44 * tps:
			ses.Note(game.Event{Kind: game.KindDemo, Mode: "on"})
		case 50 * tps:
			ses.Press("Digit1")
		}
		ses.Step(&o)
	}
	if w != nil {
		require.NoError(t, w.Close())
	}
	return lines
}

func TestRecordAndReplayGiveTheSameEvents(t *testing.T) {
	path := filepath.Join(t.TempDir(), "booth.rec")
	want := scriptedSession(t, path)
	require.Greater(t, len(want), 30)
	assert.Equal(t, want, scriptedSession(t, ""), "the script itself is deterministic")

	rec, err := record.Open(path)
	require.NoError(t, err)
	assert.Equal(t, uint64(60*tps), rec.Ticks)
	assert.Equal(t, len(want), rec.Events)
	var demoAt float64
	var prompts []string
	for _, l := range want {
		var e struct {
			T    float64
			Type string
			Item string
		}
		require.NoError(t, json.Unmarshal([]byte(l), &e))
		switch {
		case e.Type == "demo":
			demoAt = e.T
		case e.Type == "prompt" && demoAt > 0:
			prompts = append(prompts, e.Item)
		}
	}
	require.NotZero(t, demoAt, "the demo note is heard")
	require.NotEmpty(t, prompts, "a hunt played after it")
	for _, p := range prompts {
		assert.Equal(t, "book", p, "with the reel standing in, the hunt asks for the reel's items")
	}
	for range 3 {
		var got []string
		ses, same, err := rec.Replay(func(e game.Event) {
			b, err := json.Marshal(e)
			require.NoError(t, err)
			got = append(got, string(b))
		})
		require.NoError(t, err)
		assert.True(t, same, "the digest matches")
		assert.Equal(t, want, got)
		assert.Equal(t, uint64(60*tps), ses.Tick())
	}
	info, err := os.Stat(path)
	require.NoError(t, err)
	t.Logf("a minute of scripted play: %d bytes", info.Size())
	assert.Less(t, info.Size(), int64(200<<10))
}

// The recording keeps boxes, labels and scores, never a face's landmarks,
// and nothing the size of a picture.
func TestRecordHoldsNoPicture(t *testing.T) {
	path := filepath.Join(t.TempDir(), "booth.rec")
	scriptedSession(t, path)
	raw := gunzip(t, path)
	assert.NotContains(t, string(raw), "Keypoints")
	assert.NotContains(t, string(raw), "\"kp")
	for _, line := range bytes.Split(bytes.TrimSpace(raw), []byte("\n")) {
		assert.Less(t, len(line), 8<<10, "no line could hold a frame")
	}
}

func TestReplayRefusesDamagedAndNewerFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "booth.rec")
	scriptedSession(t, path)
	raw := gunzip(t, path)

	cut := filepath.Join(dir, "cut.rec")
	writeGzip(t, cut, raw[:len(raw)*2/3])
	_, err := record.Open(cut)
	require.ErrorIs(t, err, record.ErrRecording)
	assert.ErrorContains(t, err, "cut.rec")
	assert.ErrorContains(t, err, "cut short")

	whole, err := os.ReadFile(path)
	require.NoError(t, err)
	truncated := filepath.Join(dir, "truncated.rec")
	require.NoError(t, os.WriteFile(truncated, whole[:len(whole)/2], 0o644))
	_, err = record.Open(truncated)
	require.ErrorIs(t, err, record.ErrRecording)
	assert.ErrorContains(t, err, "cut short")

	newer := filepath.Join(dir, "newer.rec")
	writeGzip(t, newer, bytes.Replace(raw, []byte(`"version":1`), []byte(`"version":99`), 1))
	_, err = record.Open(newer)
	require.ErrorIs(t, err, record.ErrRecording)
	assert.ErrorContains(t, err, "version 99")
	assert.ErrorContains(t, err, "newer.rec")

	plain := filepath.Join(dir, "plain.rec")
	require.NoError(t, os.WriteFile(plain, raw, 0o644))
	_, err = record.Open(plain)
	assert.ErrorContains(t, err, "not a gzip file")

	_, err = record.Open(filepath.Join(dir, "missing.rec"))
	assert.ErrorContains(t, err, "missing.rec")
}

func gunzip(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	var out bytes.Buffer
	_, err = out.ReadFrom(zr)
	require.NoError(t, err)
	return out.Bytes()
}

func writeGzip(t *testing.T, path string, data []byte) {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
}

// A carrier battle comes from outside the rules, timed by the wall clock:
// the recording keeps when its countdown began and when its moment came, so
// a replay plays it alike, whatever the clock says then.
func TestRecordKeepsABattle(t *testing.T) {
	setup := game.Setup{Game: game.DefaultConfig(), Keys: game.DefaultKeyConfig(), TPS: tps, Seed: 3}
	path := filepath.Join(t.TempDir(), "battle.rec")
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
	ses.SetDay("2026-12-02")
	// The wall clock is the test's: it moves with the ticks, and jumps
	// where the window stalls.
	wall := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	ses.SetWall(func() time.Time { return wall })
	var o sight.Observation
	for i := range 20 * tps {
		switch i {
		case tps:
			// Counted down by the game clock.
			ses.Battle(game.BattleCall{ID: "b-ticks", Game: "bubbles", Start: wall.Add(2 * time.Second)})
		case 4 * tps:
			// Its moment comes by the wall clock while the game clock
			// stands still (a stalled window).
			ses.Battle(game.BattleCall{ID: "b-wall", Game: "freeze", Start: wall.Add(time.Second)})
			ses.Step(&o)
			wall = wall.Add(1100 * time.Millisecond)
		}
		ses.Step(&o)
		wall = wall.Add(time.Second / tps)
	}
	require.NoError(t, w.Close())
	joined := strings.Join(want, "\n")
	assert.Contains(t, joined, `"battle":"b-ticks"`)
	assert.Contains(t, joined, `{"t":4.067,"type":"round_start","battle":"b-wall","game":"freeze"}`, "started at once when its moment came")

	rec, err := record.Open(path)
	require.NoError(t, err)
	var got []string
	_, same, err := rec.Replay(func(e game.Event) {
		b, err := json.Marshal(e)
		require.NoError(t, err)
		got = append(got, string(b))
	})
	require.NoError(t, err)
	assert.True(t, same)
	assert.Equal(t, want, got)
}

// A recording made before the setup said whether the demo reel played
// (no "demo" in its header): the game settings tell, as that kiosk set
// them only for the reel.
func TestOlderRecordingsKnowTheirDemo(t *testing.T) {
	for _, tc := range []struct {
		name     string
		edit     func(*game.Setup)
		wantDemo bool
	}{
		{"camera", func(s *game.Setup) { s.Game.DemoAutoplaySeconds = 0 }, false},
		{"reel with a schedule", func(s *game.Setup) {
			s.Game.DemoAutoplaySeconds = 0
			s.Game.Demo = game.DemoReel{Seconds: 60, Spans: []game.ReelSpan{{Label: "dog", From: 1, To: 9}}}
		}, true},
		{"reel standing in", func(s *game.Setup) { s.Game.DemoAutoplaySeconds = 20 }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setup := game.Setup{Game: game.DefaultConfig(), Keys: game.DefaultKeyConfig(), TPS: tps, Seed: 1}
			tc.edit(&setup)
			path := filepath.Join(t.TempDir(), "old.rec")
			w, err := record.Create(path, setup, nil, nil)
			require.NoError(t, err)
			ses := game.NewSession(setup, nil, nil)
			ses.Record(w)
			ses.Listen(w.Hear)
			ses.Step(nil)
			require.NoError(t, w.Close())
			raw := gunzip(t, path)
			require.Contains(t, string(raw), `"demo":false,`)
			writeGzip(t, path, bytes.Replace(raw, []byte(`"demo":false,`), nil, 1))
			rec, err := record.Open(path)
			require.NoError(t, err)
			assert.Equal(t, tc.wantDemo, rec.Setup.Demo)
		})
	}
}
