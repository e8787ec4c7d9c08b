package testenv_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/carrierarcade/kiosk/internal/testenv"
)

// Without a display the window's tests fail with one line that says so,
// not with Ebitengine's panic.
func TestWindowTestsWithoutADisplaySaySo(t *testing.T) {
	t.Parallel()
	cmd := exec.Command("go", "test", "-count=1", "./window/")
	cmd.Dir = testenv.Root()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPLAY=") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("go test ./window/ passed without a display:\n%s", out)
	}
	text := string(out)
	if strings.Contains(text, "panic") || strings.Contains(text, "goroutine ") {
		t.Errorf("a panic instead of a message:\n%s", text)
	}
	if !strings.Contains(text, "no display (DISPLAY is not set): the window tests need one; run them under Xvfb") {
		t.Errorf("no word of the display:\n%s", text)
	}
	var said []string
	for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
		if !strings.HasPrefix(l, "FAIL") {
			said = append(said, l)
		}
	}
	if len(said) != 1 {
		t.Errorf("%d lines besides go test's FAIL, want 1:\n%s", len(said), text)
	}
}
