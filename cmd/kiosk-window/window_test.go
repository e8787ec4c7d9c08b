package main

import (
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/carrierarcade/kiosk/internal/kiosktest"
	"github.com/carrierarcade/kiosk/internal/reel"

	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gocv.io/x/gocv"
)

// screenshot runs the real kiosk (both programs, a real window) on a clip
// and returns the PNG it wrote; sets are --set overrides.
func screenshot(t *testing.T, clip string, at string, sets ...string) image.Image {
	t.Helper()
	var args []string
	for _, s := range sets {
		args = append(args, "--set", s)
	}
	return shoot(t, clip, at, args...)
}

// shoot runs kiosk screenshot with more flags and decodes the picture.
func shoot(t *testing.T, clip, at string, flags ...string) image.Image {
	t.Helper()
	img, _ := shootLog(t, clip, at, flags...)
	return img
}

// shootLog is shoot that also returns the kiosk's log.
func shootLog(t *testing.T, clip, at string, flags ...string) (image.Image, string) {
	t.Helper()
	return shootSource(t, "file:"+clip, at, flags...)
}

// shootSource is shootLog on any source: a camera that is not there, say.
func shootSource(t *testing.T, source, at string, flags ...string) (image.Image, string) {
	t.Helper()
	testenv.Display(t)
	testenv.ORTLibrary(t)
	testenv.Model(t, "yolox_nano.onnx")
	bin := testenv.Binaries(t)
	out := filepath.Join(t.TempDir(), "shot.png")
	// On the clip's time, as fast as its frames are computed and drawn; a
	// data folder of its own, so that tests in parallel share no board.
	args := append([]string{"screenshot", "--timedemo", "--config", testenv.Path("config.toml"),
		"--source", source, "--at", at, "--out", out, "--set", "game.data_dir=" + strconv.Quote(t.TempDir())}, flags...)
	log, err := exec.Command(filepath.Join(bin, "kiosk"), args...).CombinedOutput()
	require.NoError(t, err, string(log))
	f, err := os.Open(out)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	return img, string(log)
}

// clipFrame reads frame n of a clip, mirrored like the selfie view and
// scaled to cover w x h as the screen does, as grey.
func clipFrame(t *testing.T, clip string, n, w, h int, mirror bool) gocv.Mat {
	t.Helper()
	cap, err := gocv.VideoCaptureFile(clip)
	require.NoError(t, err)
	defer cap.Close()
	frame := gocv.NewMat()
	defer frame.Close()
	for i := 0; i <= n; i++ {
		require.True(t, cap.Read(&frame))
	}
	if mirror {
		gocv.Flip(frame, &frame, 1)
	}
	s := math.Max(float64(w)/float64(frame.Cols()), float64(h)/float64(frame.Rows()))
	sw, sh := int(math.Round(float64(frame.Cols())*s)), int(math.Round(float64(frame.Rows())*s))
	scaled := gocv.NewMat()
	defer scaled.Close()
	gocv.Resize(frame, &scaled, image.Pt(sw, sh), 0, 0, gocv.InterpolationLinear)
	x0, y0 := (sw-w)/2, (sh-h)/2
	crop := scaled.Region(image.Rect(x0, y0, x0+w, y0+h))
	defer crop.Close()
	grey := gocv.NewMat()
	gocv.CvtColor(crop, &grey, gocv.ColorBGRToGray)
	return grey
}

// meanDiff is the mean absolute grey difference between a screenshot and a
// grey Mat of the same size.
func meanDiff(img image.Image, grey gocv.Mat) float64 {
	b := img.Bounds()
	sum := 0.0
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			g := color.GrayModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y
			sum += math.Abs(float64(g) - float64(grey.GetUCharAt(y, x)))
		}
	}
	return sum / float64(b.Dx()*b.Dy())
}

func TestScreenshotShowsTheClipAndTheBoxes(t *testing.T) {
	t.Parallel()
	clip := testenv.Media(t, "vtest.avi")
	img := screenshot(t, clip, "3", "display.overlay=true") // the overlay shows every detection
	b := img.Bounds()
	require.Greater(t, b.Dx(), 300)

	// Not blank: the grey levels spread widely.
	var sum, sq float64
	boxPixels := 0
	person := color.RGBA{0x2e, 0xcc, 0x71, 0xff} // the class colour of "person"
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			g := float64(color.GrayModel.Convert(c).(color.Gray).Y)
			sum += g
			sq += g * g
			if c == person {
				boxPixels++
			}
		}
	}
	n := float64(b.Dx() * b.Dy())
	std := math.Sqrt(sq/n - (sum/n)*(sum/n))
	assert.Greater(t, std, 20.0, "the screenshot has a picture, not a flat colour")
	assert.Greater(t, boxPixels, 300, "person boxes are drawn (pixels of their colour)")

	// The picture is the clip at about 3 s (frame 30 at 10 fps), mirrored.
	mirrored := clipFrame(t, clip, 30, b.Dx(), b.Dy(), true)
	defer mirrored.Close()
	plain := clipFrame(t, clip, 30, b.Dx(), b.Dy(), false)
	defer plain.Close()
	dm, dp := meanDiff(img, mirrored), meanDiff(img, plain)
	t.Logf("mean grey difference: mirrored %.1f, unmirrored %.1f", dm, dp)
	assert.Less(t, dm, 25.0, "the screen shows the clip's frame")
	assert.Less(t, dm*1.5, dp, "mirrored like a selfie view")
}

func TestScreenshotRotatedCanvas(t *testing.T) {
	t.Parallel()
	clip := testenv.Media(t, "vtest.avi")
	upright := screenshot(t, clip, "2", "display.overlay=false")
	turned := screenshot(t, clip, "2", "display.rotation=180", "display.overlay=false")
	require.Equal(t, upright.Bounds(), turned.Bounds())
	// Turned half way, the top-left corner shows what was bottom-right.
	b := upright.Bounds()
	flipped := 0.0
	same := 0.0
	for y := 0; y < b.Dy(); y += 4 {
		for x := 0; x < b.Dx(); x += 4 {
			a := color.GrayModel.Convert(upright.At(x, y)).(color.Gray).Y
			r := color.GrayModel.Convert(turned.At(b.Dx()-1-x, b.Dy()-1-y)).(color.Gray).Y
			s := color.GrayModel.Convert(turned.At(x, y)).(color.Gray).Y
			flipped += math.Abs(float64(a) - float64(r))
			same += math.Abs(float64(a) - float64(s))
		}
	}
	assert.Less(t, flipped*2, same, "rotation 180 turns the picture over")
}

// bandDiff is the mean grey difference between a screenshot and a grey Mat
// over the rows from y0 to y1 (fractions of the height).
func bandDiff(img image.Image, grey gocv.Mat, y0, y1 float64) float64 {
	b := img.Bounds()
	sum, n := 0.0, 0
	for y := int(y0 * float64(b.Dy())); y < int(y1*float64(b.Dy())); y++ {
		for x := 0; x < b.Dx(); x++ {
			g := color.GrayModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y
			sum += math.Abs(float64(g) - float64(grey.GetUCharAt(y, x)))
			n++
		}
	}
	return sum / float64(n)
}

// Each game draws its own heads-up display over the top of the picture and
// leaves the camera picture visible below it.
func TestEachGameDrawsItsHUD(t *testing.T) {
	t.Parallel()
	clip := testenv.Media(t, "vtest.avi")
	for _, g := range []string{"hunt", "bubbles", "freeze", "dodge"} {
		t.Run(g, func(t *testing.T) {
			testenv.Display(t)
			img := shoot(t, clip, "12", "--game", g)
			b := img.Bounds()
			frame := clipFrame(t, clip, 120, b.Dx(), b.Dy(), true)
			defer frame.Close()
			top, middle := bandDiff(img, frame, 0, 0.16), bandDiff(img, frame, 0.45, 0.6)
			t.Logf("%s: top band differs by %.1f, middle band by %.1f", g, top, middle)
			assert.Greater(t, top, 15.0, "the game's banner, score or time is drawn at the top")
			if g == "dodge" {
				// vtest.avi has no face near the camera: Head Dodge pauses,
				// dims the picture and asks the player to step closer.
				assert.Greater(t, middle, 20.0, "dimmed while no face is in view")
				return
			}
			assert.Less(t, middle, top, "the picture stays visible in the middle")
		})
	}
}

// The camera key closes the camera and the screen says so: a CAMERA OFF
// mark at the top middle (red plate), the log names the key; without the
// key there is no mark. source.enabled = false starts that way.
func TestCameraOffShowsTheMark(t *testing.T) {
	t.Parallel()
	clip := testenv.Media(t, "vtest.avi")
	testenv.Media(t, "demo-reel.avi")
	// Pixels of the mark's plate in the top middle of the screen.
	plate := func(img image.Image) int {
		b := img.Bounds()
		n := 0
		for y := b.Min.Y; y < b.Min.Y+b.Dy()/10; y++ {
			for x := b.Min.X + b.Dx()/3; x < b.Min.X+2*b.Dx()/3; x++ {
				if color.RGBAModel.Convert(img.At(x, y)).(color.RGBA) == (color.RGBA{0xe0, 0x3c, 0x31, 0xff}) {
					n++
				}
			}
		}
		return n
	}
	on := shoot(t, clip, "3")
	off, log := shootLog(t, clip, "3", "--keys", "K@1")
	assert.Less(t, plate(on), 50, "no mark while the camera is on")
	assert.Greater(t, plate(off), 2000, "the CAMERA OFF mark shows")
	assert.Contains(t, log, "camera turned off by the presenter")
	assert.Contains(t, log, "key=K")
	assert.Contains(t, log, "file:demo-reel.avi", "the demo reel plays")
	start := shoot(t, clip, "3", "--set", "source.enabled=false")
	assert.Greater(t, plate(start), 2000, "source.enabled = false starts with the mark")
}

// 'kiosk run --list-monitors' asks the window program, which lists what
// display.monitor can name; a monitor that is not there leaves the kiosk on
// the primary, with a log line naming the ones that are.
func TestMonitors(t *testing.T) {
	t.Parallel()
	testenv.Display(t)
	bin := testenv.Binaries(t)
	out, err := exec.Command(filepath.Join(bin, "kiosk"), "run", "--config", testenv.Path("config.toml"), "--list-monitors").Output()
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	require.NotEmpty(t, lines)
	assert.Regexp(t, `^0  \S+ +\d+x\d+   \(primary\)$`, lines[0])
	primary := strings.Fields(lines[0])[1]

	clip := testenv.Media(t, "vtest.avi")
	_, log := shootLog(t, clip, "1", "--set", `display.monitor="NOT-THERE-9"`)
	assert.Contains(t, log, "display.monitor is not there: the kiosk goes on the primary monitor")
	assert.Contains(t, log, primary)
	_, log = shootLog(t, clip, "1", "--set", `display.monitor="0"`)
	assert.Contains(t, log, "screen on monitor")
}

// The window and the simulator drive the same session: the same scripted
// keys give the same events in both (C re-calibrates motion, V changes the
// privacy mode, O is the operator overlay), and the window's own recording
// replays to exactly what the window did.
func TestWindowAndSimHearKeysAlike(t *testing.T) {
	t.Parallel()
	testenv.Display(t)
	testenv.ORTLibrary(t)
	testenv.Model(t, "yolox_nano.onnx")
	bin := testenv.Binaries(t)
	vtest := testenv.Media(t, "vtest.avi")
	keys := "C@1,O@2,V@3"
	rec := filepath.Join(t.TempDir(), "window.rec")
	out := filepath.Join(t.TempDir(), "shot.png")
	log, err := exec.Command(filepath.Join(bin, "kiosk"), "screenshot", "--timedemo", "--config", testenv.Path("config.toml"),
		"--source", "file:"+vtest, "--at", "6", "--out", out, "--record", rec, "--keys", keys,
		"--set", "game.data_dir="+strconv.Quote(t.TempDir())).CombinedOutput()
	require.NoError(t, err, string(log))

	windowEvents := replayEvents(t, rec)
	kiosktest.AssertNoPicture(t, rec)

	code, out, errOut := kiosktest.Run(t, "sim", "--config", testenv.Path("config.toml"), "--game", "hunt",
		"--source", "file:"+vtest+"?loop=0", "--seconds", "5", "--keys", keys)
	require.Equal(t, 0, code, errOut)
	sim := kiosktest.Events(t, out)
	pick := func(events []map[string]any) []map[string]any {
		var out []map[string]any
		for _, e := range events {
			switch e["type"] {
			case "key", "recalibrate", "privacy":
				out = append(out, e)
			}
		}
		return out
	}
	got := pick(windowEvents)
	assert.Len(t, got, 5, "three keys, a re-calibration and a privacy change")
	assert.Equal(t, pick(sim), got)
}

// The camera key switches the games to the demo reel and back as it
// plays: turned off, the reel stands in (the log says so) and a hunt
// asks for the reel's items; the window's recording replays alike. A
// camera that cannot be opened when the key turns it on again leaves the
// reel playing with its DEMO badge.
func TestCameraKeySwitchesTheGamesToTheReel(t *testing.T) {
	t.Parallel()
	testenv.Display(t)
	testenv.ORTLibrary(t)
	testenv.Model(t, "yolox_nano.onnx")
	vtest := testenv.Media(t, "vtest.avi")
	demo := testenv.Media(t, "demo-reel.avi")
	reelItems := reel.Read(config.Loaded{}, "file:"+demo).Items
	require.NotEmpty(t, reelItems, "the reel's item list")

	// A clip as the camera; K turns it off, 1 starts a hunt.
	rec := filepath.Join(t.TempDir(), "window.rec")
	_, log := shootLog(t, vtest, "6", "--record", rec, "--keys", "K@1,Digit1@3", "--set", "game.countdown_seconds=1")
	assert.Contains(t, log, "the demo reel plays in the camera's place")
	demoAt, prompts := -1.0, 0
	for _, e := range replayEvents(t, rec) {
		switch e["type"] {
		case "demo":
			assert.Equal(t, "on", e["mode"])
			demoAt = e["t"].(float64)
		case "prompt":
			require.GreaterOrEqual(t, demoAt, 0.0, "the reel stood in before the hunt asked")
			assert.Contains(t, reelItems, e["item"], "the hunt asks for what the reel shows")
			prompts++
		}
	}
	assert.Positive(t, prompts, "a hunt played on the reel")

	// No camera at all: the reel plays from the start; K off and on again
	// tries the camera, which still is not there.
	badge := func(img image.Image) int {
		b := img.Bounds()
		n := 0
		for y := b.Min.Y; y < b.Min.Y+b.Dy()/10; y++ {
			for x := b.Min.X; x < b.Min.X+b.Dx()/6; x++ {
				if color.RGBAModel.Convert(img.At(x, y)).(color.RGBA) == (color.RGBA{0xe0, 0x3c, 0x31, 0xff}) {
					n++
				}
			}
		}
		return n
	}
	img, log := shootSource(t, "camera:/dev/video97", "5", "--keys", "K@1,K@2")
	assert.Contains(t, log, "opened the stand-in: the camera could not be opened")
	assert.NotContains(t, log, "the camera plays again", "the games stay on the reel")
	assert.Greater(t, badge(img), 300, "the DEMO badge stays up")
}

// replayEvents plays a window's recording in the simulator, checks it
// plays as recorded, and returns its events.
func replayEvents(t *testing.T, rec string) []map[string]any {
	t.Helper()
	code, out, errOut := kiosktest.Run(t, "sim", "--replay", rec)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "the same as the recorded run")
	return kiosktest.Events(t, out)
}
