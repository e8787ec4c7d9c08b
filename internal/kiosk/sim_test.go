package kiosk

import (
	"bufio"
	"encoding/json"
	"image"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

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
	vtest := "file:" + testenv.Media(t, "vtest.avi") + "?loop=0"
	bubbles := simEvents(t, "--game", "bubbles", "--source", vtest, "--seconds", "50")
	starts, ends := ofType(bubbles, "round_start"), ofType(bubbles, "round_end")
	require.Len(t, starts, 1)
	require.Len(t, ends, 1)
	assert.LessOrEqual(t, starts[0]["t"].(float64), 3.1, "a countdown of at most 3 s")
	assert.NotEmpty(t, ofType(bubbles, "pop"), "walkers pop bubbles")
	assert.Contains(t, ends[0], "score")

	freeze := simEvents(t, "--game", "freeze", "--source", vtest, "--seconds", "30")
	lights := ofType(freeze, "light")
	require.NotEmpty(t, lights)
	colors := map[any]bool{}
	for _, l := range lights {
		colors[l["color"]] = true
	}
	assert.Equal(t, map[any]bool{"green": true, "red": true}, colors)
	moved := ofType(freeze, "moved")
	require.NotEmpty(t, moved, "walkers keep moving on red")
	assert.Contains(t, moved[0], "player")
}

func TestSimHuntOnTheDemoReel(t *testing.T) {
	reel := testenv.Media(t, "demo-reel.avi")
	events := simEvents(t, "--game", "hunt", "--source", "file:"+reel+"?loop=0")
	prompts := ofType(events, "prompt")
	require.NotEmpty(t, prompts)
	for _, p := range prompts {
		assert.Contains(t, []any{"orange", "laptop", "remote", "bicycle", "car", "dog", "sports ball"}, p["item"],
			"the hunt asks only for what the reel shows")
	}
	finds := ofType(events, "find")
	require.NotEmpty(t, finds, "things held in view are found")
	assert.Contains(t, finds[0], "item")
}

func TestSimIsReplayable(t *testing.T) {
	vtest := "file:" + testenv.Media(t, "vtest.avi") + "?loop=0"
	a := simEvents(t, "--game", "bubbles", "--source", vtest, "--seconds", "15", "--seed", "7")
	b := simEvents(t, "--game", "bubbles", "--source", vtest, "--seconds", "15", "--seed", "7")
	assert.Equal(t, a, b, "the same seed and clip give the same game")
}

func TestSimScriptedKeys(t *testing.T) {
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
	code, _, errOut := kiosk(t, "sim", "--game", "chess")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--game is one of hunt, bubbles, freeze, dodge")
	code, _, errOut = kiosk(t, "sim", "--game", "hunt", "--source", "file:x.avi")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "never ends")
}

func TestSimCameraLostAndBack(t *testing.T) {
	still := stillClip(t, 4)
	events := simEvents(t, "--game", "bubbles", "--source", still, "--seconds", "12")
	lost, back := ofType(events, "camera_lost"), ofType(events, "camera_back")
	require.NotEmpty(t, lost, "the clip's end is a camera that stopped")
	require.NotEmpty(t, back, "the watchdog plays it again")
	assert.Equal(t, "the clip ended", lost[0]["reason"])
	assert.GreaterOrEqual(t, back[0]["t"].(float64), lost[0]["t"].(float64))
}
