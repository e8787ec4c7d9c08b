package kiosk

import (
	"bufio"
	"encoding/json"
	"image"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/internal/kiosktest"
	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gocv.io/x/gocv"
)

// simEvents runs kiosk sim and returns its events.
func simEvents(t *testing.T, args ...string) []map[string]any {
	t.Helper()
	testenv.ORTLibrary(t)
	testenv.Model(t, "yolox_nano.onnx")
	code, out, errOut := kiosk(t, append([]string{"sim", "--config", testenv.Path("config.toml")}, args...)...)
	require.Equal(t, 0, code, errOut)
	var events []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var e map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &e), sc.Text())
		require.Contains(t, e, "t")
		require.Contains(t, e, "type")
		events = append(events, e)
	}
	return events
}

func ofType(events []map[string]any, typ string) []map[string]any {
	var out []map[string]any
	for _, e := range events {
		if e["type"] == typ {
			out = append(out, e)
		}
	}
	return out
}

// stillClip writes a clip of a still picture with a little camera noise:
// nothing in it moves.
func stillClip(t *testing.T, seconds int) string {
	t.Helper()
	img := gocv.IMRead(testenv.Media(t, "fruits.jpg"), gocv.IMReadColor)
	require.False(t, img.Empty())
	defer img.Close()
	frame := gocv.NewMat()
	defer frame.Close()
	gocv.Resize(img, &frame, image.Pt(640, 480), 0, 0, gocv.InterpolationArea)
	path := filepath.Join(t.TempDir(), "still.avi")
	w, err := gocv.VideoWriterFile(path, "MJPG", 10, 640, 480, true)
	require.NoError(t, err)
	noisy := gocv.NewMat()
	defer noisy.Close()
	noise := gocv.NewMatWithSize(480, 640, gocv.MatTypeCV8UC3)
	defer noise.Close()
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < seconds*10; i++ {
		px, err := noise.DataPtrUint8()
		require.NoError(t, err)
		for j := range px {
			px[j] = byte(r.IntN(5))
		}
		gocv.Add(frame, noise, &noisy)
		require.NoError(t, w.Write(noisy))
	}
	require.NoError(t, w.Close())
	return "file:" + path + "?loop=0"
}

func TestSimStillClipGivesNoPopsAndNoMoves(t *testing.T) {
	t.Parallel()
	still := stillClip(t, 20)
	bubbles := simEvents(t, "--game", "bubbles", "--source", still)
	require.Len(t, ofType(bubbles, "round_start"), 1)
	assert.Empty(t, ofType(bubbles, "pop"))
	assert.Len(t, ofType(bubbles, "camera_lost"), 1, "a clip that ends is a camera that stopped")

	freeze := simEvents(t, "--game", "freeze", "--source", still)
	assert.NotEmpty(t, ofType(freeze, "light"))
	assert.Empty(t, ofType(freeze, "moved"))
}

func TestSimOnPeopleWalking(t *testing.T) {
	t.Parallel()
	vtest := "file:" + testenv.Media(t, "vtest.avi") + "?loop=0"
	bubbles := simEvents(t, "--game", "bubbles", "--source", vtest, "--seconds", "50")
	starts, ends := ofType(bubbles, "round_start"), ofType(bubbles, "round_end")
	require.Len(t, starts, 1)
	require.Len(t, ends, 1)
	assert.LessOrEqual(t, starts[0]["t"].(float64), 3.1, "a countdown of at most 3 s")
	assert.Contains(t, ends[0], "score")
	// How many bubbles the walkers pop depends on what the model sees: the
	// rules are tested on a recording of this run (game/record).

	freeze := simEvents(t, "--game", "freeze", "--source", vtest, "--seconds", "30")
	lights := ofType(freeze, "light")
	require.NotEmpty(t, lights)
	colors := map[any]bool{}
	for _, l := range lights {
		colors[l["color"]] = true
	}
	assert.Equal(t, map[any]bool{"green": true, "red": true}, colors)
}

func TestSimHuntOnTheDemoReel(t *testing.T) {
	t.Parallel()
	reel := testenv.Media(t, "demo-reel.avi")
	// A shorter round: each find adds bonus time, and the demo hunt finds
	// enough to outlast one pass of the reel.
	events := simEvents(t, "--game", "hunt", "--source", "file:"+reel+"?loop=0", "--set", "game.hunt.round_seconds=45")
	prompts := ofType(events, "prompt")
	require.NotEmpty(t, prompts)
	for _, p := range prompts {
		assert.Contains(t, []any{"orange", "laptop", "remote", "bicycle", "car", "dog", "sports ball"}, p["item"],
			"the hunt asks only for what the reel shows")
	}
	require.Len(t, ofType(events, "results"), 1)
}

func TestSimIsReplayable(t *testing.T) {
	t.Parallel()
	vtest := "file:" + testenv.Media(t, "vtest.avi") + "?loop=0"
	a := simEvents(t, "--game", "bubbles", "--source", vtest, "--seconds", "15", "--seed", "7")
	b := simEvents(t, "--game", "bubbles", "--source", vtest, "--seconds", "15", "--seed", "7")
	assert.Equal(t, a, b, "the same seed and clip give the same game")
}

func TestSimScriptedKeys(t *testing.T) {
	t.Parallel()
	vtest := "file:" + testenv.Media(t, "vtest.avi") + "?loop=0"
	events := simEvents(t, "--game", "hunt", "--source", vtest, "--seconds", "12",
		"--keys", "V@5,V@6,Digit2@7")
	keys := ofType(events, "key")
	require.Len(t, keys, 3)
	assert.Equal(t, "privacy", keys[0]["command"])
	modes := ofType(events, "privacy")
	require.Len(t, modes, 2)
	assert.Equal(t, "pixelated", modes[0]["mode"])
	assert.Equal(t, "silhouette", modes[1]["mode"])
	starts := ofType(events, "round_start")
	require.Len(t, starts, 2, "Digit2 starts the second game of the rotation")
	assert.Equal(t, "bubbles", starts[1]["game"])

	code, _, errOut := kiosk(t, "sim", "--config", testenv.Path("config.toml"), "--game", "hunt",
		"--source", vtest, "--keys", "Q@3")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `"Q" is not bound`)
}

func TestSimUsage(t *testing.T) {
	t.Parallel()
	code, _, errOut := kiosk(t, "sim", "--game", "chess")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--game is one of hunt, bubbles, freeze, dodge")
	code, _, errOut = kiosk(t, "sim", "--game", "hunt", "--source", "file:x.avi")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "never ends")
}

func TestSimCameraLostAndBack(t *testing.T) {
	t.Parallel()
	still := stillClip(t, 4)
	events := simEvents(t, "--game", "bubbles", "--source", still, "--seconds", "12")
	lost, back := ofType(events, "camera_lost"), ofType(events, "camera_back")
	require.NotEmpty(t, lost, "the clip's end is a camera that stopped")
	require.NotEmpty(t, back, "the watchdog plays it again")
	assert.Equal(t, "the clip ended", lost[0]["reason"])
	assert.GreaterOrEqual(t, back[0]["t"].(float64), lost[0]["t"].(float64))
}

// A run recorded with its detectors, faces and motion on replays to the
// very same events, every time, with no camera, model or runtime; and the
// recording holds no picture.
func TestSimRecordAndReplay(t *testing.T) {
	t.Parallel()
	vtest := "file:" + testenv.Media(t, "vtest.avi") + "?loop=0"
	rec := filepath.Join(t.TempDir(), "walkers.rec")
	testenv.ORTLibrary(t)
	testenv.Model(t, "yolox_nano.onnx")
	code, want, errOut := kiosk(t, "sim", "--config", testenv.Path("config.toml"), "--game", "freeze",
		"--source", vtest, "--seconds", "20", "--keys", "V@5,C@6", "--record", rec)
	require.Equal(t, 0, code, errOut)
	require.Contains(t, want, `"type":"light"`)
	require.Contains(t, want, `"type":"recalibrate"`)
	for range 3 {
		// No --config: a replay needs nothing but the recording.
		code, got, errOut := kiosk(t, "sim", "--replay", rec)
		require.Equal(t, 0, code, errOut)
		assert.Equal(t, want, got)
		assert.Contains(t, errOut, "the same as the recorded run")
	}
	info, err := os.Stat(rec)
	require.NoError(t, err)
	perMinute := float64(info.Size()) * 3
	t.Logf("recording: %d bytes for 20 s of play, %.0f kB a minute", info.Size(), perMinute/1000)
	assert.Less(t, perMinute, 1e6, "well under 1 MB a minute")
	kiosktest.AssertNoPicture(t, rec)
}

func TestSimReplayRefusesABadFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.rec")
	require.NoError(t, os.WriteFile(bad, []byte("not a recording"), 0o644))
	code, out, errOut := kiosk(t, "sim", "--replay", bad)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "bad.rec")
	assert.Contains(t, errOut, "not a gzip file")
	code, _, errOut = kiosk(t, "sim", "--replay", bad, "--game", "hunt")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "give it alone")
}

// --keys takes keys as a person types them: 2 is Digit2, = is Equal; the
// same check applies (a key bound to nothing is refused).
func TestKeysAsTyped(t *testing.T) {
	t.Parallel()
	keys, err := parseKeys("2@3,=@1,N@2", game.DefaultKeyConfig())
	require.NoError(t, err)
	assert.Equal(t, []game.ScriptedKey{{Key: "Equal", At: time.Second}, {Key: "N", At: 2 * time.Second}, {Key: "Digit2", At: 3 * time.Second}}, keys)
	_, err = parseKeys("Q@1", game.DefaultKeyConfig())
	assert.ErrorContains(t, err, `"Q" is not bound`)
}

// With no camera the kiosk plays the demo reel, and a hunt started at any
// point of it finds things: it asks for what the reel is about to show.
func TestSimDemoHuntScoresFromAnyStart(t *testing.T) {
	t.Parallel()
	reel := testenv.Media(t, "demo-reel.avi")
	for _, start := range []string{"0", "30", "55"} {
		events := simEvents(t, "--game", "hunt", "--source", "file:"+reel+"?start="+start, "--seconds", "64")
		finds, in := 0, false
		for _, e := range events {
			switch e["type"] {
			case "round_start":
				in = true
			case "round_end":
				in = false
			case "find":
				if in {
					finds++
				}
			}
		}
		t.Logf("from %s s: %d finds", start, finds)
		assert.GreaterOrEqual(t, finds, 2, "a demo hunt from %s s into the reel finds at least two things", start)
	}
}
