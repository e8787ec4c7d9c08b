package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gocv.io/x/gocv"
)

// The setup screen: the clip turned as source.rotation says (here half
// way round, so the picture is the clip upside down), an UP arrow at the
// top middle.
func TestSetupScreen(t *testing.T) {
	t.Parallel()
	clip := testenv.Media(t, "vtest.avi")
	img := shoot(t, clip, "3", "--setup", "--set", "source.rotation=180")
	b := img.Bounds()
	arrow := 0
	for y := b.Min.Y; y < b.Min.Y+b.Dy()/5; y++ {
		for x := b.Min.X + 2*b.Dx()/5; x < b.Min.X+3*b.Dx()/5; x++ {
			if color.RGBAModel.Convert(img.At(x, y)).(color.RGBA) == (color.RGBA{0xe0, 0x3c, 0x31, 0xff}) {
				arrow++
			}
		}
	}
	assert.Greater(t, arrow, 1500, "the UP arrow")

	upright := clipFrame(t, clip, 30, b.Dx(), b.Dy(), true)
	defer upright.Close()
	turned := gocv.NewMat()
	defer turned.Close()
	gocv.Rotate(upright, &turned, gocv.Rotate180Clockwise)
	dt, du := meanDiff(img, turned), meanDiff(img, upright)
	t.Logf("mean grey difference: turned %.1f, upright %.1f", dt, du)
	assert.Less(t, dt*1.5, du, "the camera's frames are turned as source.rotation says")
}

// logTail collects a program's log lines as they come, for a test to wait
// on one.
type logTail struct {
	mu      sync.Mutex
	lines   []string
	eof     bool
	changed chan struct{} // a token after each new line and at the end
}

func (l *logTail) add(line string, eof bool) {
	l.mu.Lock()
	if eof {
		l.eof = true
	} else {
		l.lines = append(l.lines, line)
	}
	l.mu.Unlock()
	select {
	case l.changed <- struct{}{}:
	default:
	}
}

// waitFor waits for a line, after line from, that holds want, and returns
// its index. It fails the test when the program ends or timeout passes
// first.
func (l *logTail) waitFor(t *testing.T, from int, want string, timeout time.Duration) int {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		l.mu.Lock()
		for i := from; i < len(l.lines); i++ {
			if strings.Contains(l.lines[i], want) {
				l.mu.Unlock()
				return i
			}
		}
		eof, all := l.eof, strings.Join(l.lines, "\n")
		l.mu.Unlock()
		if eof {
			t.Fatalf("the kiosk ended before logging %q:\n%s", want, all)
		}
		select {
		case <-l.changed:
		case <-deadline.C:
			t.Fatalf("no %q in the kiosk's log after %v:\n%s", want, timeout, all)
		}
	}
}

// count is how many lines have come so far.
func (l *logTail) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.lines)
}

// text is the whole log so far.
func (l *logTail) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// setupWindow is 'kiosk setup' running in a real window on the test's
// display, pressed by xdotool as a keyboard would (XTEST, to the focused
// window).
type setupWindow struct {
	xdotool string
	cmd     *exec.Cmd
	log     *logTail
	stdout  bytes.Buffer
	done    chan struct{} // closed once the kiosk has exited
	err     error         // its exit, once done
}

// Generous for a loaded machine: nothing waits this long unless it is
// broken.
const (
	windowTimeout = 2 * time.Minute
	keyTimeout    = time.Minute
)

// startSetup starts 'kiosk setup' with the config file at config on
// vtest.avi and waits until its window is shown and has the keyboard.
func startSetup(t *testing.T, config string) *setupWindow {
	t.Helper()
	testenv.Display(t)
	testenv.ORTLibrary(t)
	testenv.Model(t, "yolox_nano.onnx")
	w := &setupWindow{xdotool: testenv.Program(t, "xdotool"), log: &logTail{changed: make(chan struct{}, 1)}, done: make(chan struct{})}
	holdDisplay(t, w.xdotool)
	clip := testenv.Media(t, "vtest.avi")
	w.cmd = exec.Command(filepath.Join(testenv.Binaries(t), "kiosk"), "setup", "--config", config, "--source", "file:"+clip)
	w.cmd.Stdout = &w.stdout
	stderr, err := w.cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, w.cmd.Start())
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			w.log.add(sc.Text(), false)
		}
		w.err = w.cmd.Wait() // after the last read, as exec wants
		w.log.add("", true)
		close(w.done)
	}()
	t.Cleanup(func() {
		select {
		case <-w.done:
			return
		default:
		}
		// Still running after a failure: SIGQUIT has Go print every
		// goroutine's stack into the log, to tell a window stuck in its
		// loop from keys that went astray.
		_ = w.cmd.Process.Signal(syscall.SIGQUIT)
		select {
		case <-w.done:
			if t.Failed() {
				t.Logf("the kiosk's log, ended by SIGQUIT:\n%s", w.log.text())
			}
		case <-time.After(10 * time.Second):
			_ = w.cmd.Process.Kill()
			<-w.done
		}
	})

	// kiosk replaces itself with kiosk-window, so the window is the pid's.
	ctx, cancel := context.WithTimeout(context.Background(), windowTimeout)
	defer cancel()
	go func() {
		select {
		case <-w.done: // no window will come
			cancel()
		case <-ctx.Done():
		}
	}()
	out, err := exec.CommandContext(ctx, w.xdotool, "search", "--sync", "--onlyvisible", "--pid", strconv.Itoa(w.cmd.Process.Pid)).Output()
	require.NoError(t, err, "no window from the kiosk (%v):\n%s", ctx.Err(), w.log.text())
	win := strings.Fields(string(out))
	require.NotEmpty(t, win)
	// No window manager gives the window the keyboard under Xvfb; ask for
	// it and wait until the server says it has it.
	out, err = exec.CommandContext(ctx, w.xdotool, "windowfocus", "--sync", win[0]).CombinedOutput()
	require.NoError(t, err, "%s", out)
	// A key pressed in the moment the window appears was lost about once
	// in thirty starts; the kiosk says when its window has the keyboard
	// (an Update that found it focused), and from then on none was lost
	// in hundreds.
	w.log.waitFor(t, 0, `msg="setup: the window has the keyboard"`, windowTimeout)
	return w
}

// holdDisplay keeps a connection to the X server open until the test
// ends. An X server resets when its last client leaves (xvfb-run starts
// Xvfb without -noreset), and a client connecting meanwhile is refused
// (xdotool's "Can't open display"): between two window tests that is
// every time. Held open, no reset falls inside the test. Connecting may
// itself meet the reset after the test before, so it is tried again.
func holdDisplay(t *testing.T, xdotool string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), windowTimeout)
	defer cancel()
	for {
		// getdisplaygeometry prints once connected; sleep then holds on.
		cmd := exec.Command(xdotool, "getdisplaygeometry", "sleep", "3600")
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		stop := context.AfterFunc(ctx, func() { _ = cmd.Process.Kill() })
		line, _ := bufio.NewReader(out).ReadString('\n')
		stop()
		if line != "" {
			t.Cleanup(func() {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
			})
			return
		}
		_ = cmd.Wait()
		if ctx.Err() != nil {
			t.Fatalf("cannot connect to the X display %q: %s", os.Getenv("DISPLAY"), stderr.String())
		}
		time.Sleep(100 * time.Millisecond) // not to spin while the server resets
	}
}

// press presses an X key and holds it until the setup logs want, then
// lets go: a press and release in one frame could pass unseen, and
// waiting for the log, not a guessed time, keeps it true on a slow
// machine.
func (w *setupWindow) press(t *testing.T, xkey, want string) {
	t.Helper()
	from := w.log.count()
	out, err := exec.Command(w.xdotool, "keydown", xkey).CombinedOutput()
	require.NoError(t, err, "%s", out)
	w.log.waitFor(t, from, want, keyTimeout)
	out, err = exec.Command(w.xdotool, "keyup", xkey).CombinedOutput()
	require.NoError(t, err, "%s", out)
}

// wait waits for the kiosk to end by itself and requires it ended well.
func (w *setupWindow) wait(t *testing.T) {
	t.Helper()
	select {
	case <-w.done:
	case <-time.After(windowTimeout):
		t.Fatalf("the kiosk did not end after the last key:\n%s", w.log.text())
	}
	require.NoError(t, w.err, w.log.text())
}

// setupConfig is a copy of config.toml in a folder of its own, with the
// repository's .cache beside it so its relative paths still find the
// library and models.
func setupConfig(t *testing.T) (path string, text []byte) {
	t.Helper()
	dir := t.TempDir()
	src, err := os.ReadFile(testenv.Path("config.toml"))
	require.NoError(t, err)
	path = filepath.Join(dir, "config.toml")
	require.NoError(t, os.WriteFile(path, src, 0o644))
	require.NoError(t, os.Symlink(testenv.Path(".cache"), filepath.Join(dir, ".cache")))
	return path, src
}

// The setup helper end to end: keys pressed on a real keyboard (X events
// under Xvfb) turn the camera and the screen, and Enter writes the three
// keys into the config file, every other line (each comment) as it was.
func TestSetupKeysWriteTheConfig(t *testing.T) {
	path, before := setupConfig(t)
	was, err := config.Load(path, nil)
	require.NoError(t, err)
	w := startSetup(t, path)
	// Right twice turns the camera half way, F mirrors it, Up turns the
	// screen a quarter, Enter keeps.
	rot, flip, screen := was.Source.Rotation, was.Source.Flip, was.Display.Rotation
	var want []string
	for _, k := range []struct{ x, name string }{{"Right", "ArrowRight"}, {"Right", "ArrowRight"}, {"f", "F"}, {"Up", "ArrowUp"}, {"Return", "Enter"}} {
		switch k.name {
		case "ArrowRight":
			rot = (rot + 90) % 360
		case "F":
			flip = !flip
		case "ArrowUp":
			screen = (screen + 90) % 360
		}
		line := fmt.Sprintf("msg=setup key=%s source.rotation=%d source.flip=%t display.rotation=%d", k.name, rot, flip, screen)
		want = append(want, line)
		w.press(t, k.x, line)
	}
	w.wait(t)
	log := w.log.text()
	var got []string
	for _, line := range strings.Split(log, "\n") {
		if i := strings.Index(line, "msg=setup key="); i >= 0 {
			got = append(got, line[i:])
		}
	}
	assert.Equal(t, want, got, "each key once, in order")
	assert.Contains(t, log, "setup written into the config file")
	assert.Empty(t, w.stdout.String(), "written, no flags to print")

	l, err := config.Load(path, nil)
	require.NoError(t, err)
	assert.Equal(t, [3]any{rot, flip, screen}, [3]any{l.Source.Rotation, l.Source.Flip, l.Display.Rotation})
	if was.Source.Rotation == 0 && !was.Source.Flip && was.Display.Rotation == 0 { // config.toml as committed
		assert.Equal(t, [3]any{180, true, 90}, [3]any{l.Source.Rotation, l.Source.Flip, l.Display.Rotation})
	}
	// Nothing else changed: the settings, and the file line by line but
	// for the three values.
	was.Source.Rotation, was.Source.Flip, was.Display.Rotation = rot, flip, screen
	assert.Equal(t, was.Config, l.Config)
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	old, cur := strings.Split(string(before), "\n"), strings.Split(string(after), "\n")
	require.Equal(t, len(old), len(cur), "no line added or lost")
	var changed []string // key=value of each line changed, in file order
	for i := range old {
		if old[i] == cur[i] {
			continue
		}
		was, now := keyLine.FindStringSubmatch(old[i]), keyLine.FindStringSubmatch(cur[i])
		require.NotNil(t, was, old[i])
		require.NotNil(t, now, cur[i])
		assert.Equal(t, []string{was[1], was[2], was[3], was[5]}, []string{now[1], now[2], now[3], now[5]},
			"only the value changes on its line: %q to %q", old[i], cur[i])
		changed = append(changed, now[2]+"="+now[4])
	}
	assert.ElementsMatch(t, []string{fmt.Sprintf("rotation=%d", screen), fmt.Sprintf("rotation=%d", rot), fmt.Sprintf("flip=%t", flip)},
		changed, "only the three values' lines, comments and all else kept")
}

// keyLine is a line that sets a key: indent, key, " = ", value, comment.
// The test's own reading, apart from the writer's.
var keyLine = regexp.MustCompile(`^(\s*)([A-Za-z0-9_-]+)(\s*=\s*)([^#"'\[{]*?)(\s*#.*)?$`)

// Escape leaves the setup without writing: the config file stays byte for
// byte as it was.
func TestSetupEscapeWritesNothing(t *testing.T) {
	path, before := setupConfig(t)
	w := startSetup(t, path)
	w.press(t, "Left", "msg=setup key=ArrowLeft ")
	w.press(t, "Escape", "msg=setup key=Escape ")
	w.wait(t)
	assert.NotContains(t, w.log.text(), "setup written")
	assert.Empty(t, w.stdout.String())
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after))
}
