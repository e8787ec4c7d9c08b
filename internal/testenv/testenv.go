// Package testenv finds what tests need from the set-up (the ONNX Runtime
// library, models, media) and decides what happens when it is missing: a
// skip with the reason on a developer machine, a failure in CI.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// Root is the repository's top folder.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Path is a path under the repository's top folder.
func Path(parts ...string) string { return filepath.Join(append([]string{Root()}, parts...)...) }

// Need returns path when it exists. Otherwise it skips the test, or fails
// it when CI is set, naming the make target that provides the file.
func Need(t testing.TB, path, target string) string {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		Missing(t, path+" is missing; run 'make "+target+"'")
	}
	return path
}

// Missing skips, or fails in CI, for a missing dependency.
func Missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set and %s", why)
	}
	t.Skip(why)
}

// ORTLibrary is the ONNX Runtime library make deps installs.
func ORTLibrary(t testing.TB) string {
	return Need(t, Path(".cache", "lib", "libonnxruntime.so"), "deps")
}

// Model is a model file make models installs.
func Model(t testing.TB, name string) string {
	return Need(t, Path(".cache", "models", name), "models")
}

// Media is a picture or clip make deps takes from Debian packages.
func Media(t testing.TB, name string) string {
	return Need(t, Path(".cache", "media", name), "deps")
}

// Display skips, or fails in CI, when there is no X display to open a
// window on.
func Display(t testing.TB) {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		Missing(t, "no DISPLAY for window tests; run them under xvfb-run (make test does)")
	}
}

// Program is the path of a program make deps installs from a Debian
// package (xdotool); without it the test skips, or fails in CI.
func Program(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, name+" is not installed; run 'make deps'")
	}
	return p
}

// BinEnv names the folder that holds kiosk and kiosk-window for the tests
// that run the programs: make test sets it to the bin/ that make build
// has just made, so no test builds them again.
const BinEnv = "KIOSK_BIN"

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// Binaries is the folder with kiosk and kiosk-window: $KIOSK_BIN when it
// is set (both programs must be there), else both built once per test
// process into a temporary folder.
func Binaries(t testing.TB) string {
	t.Helper()
	if dir := os.Getenv(BinEnv); dir != "" {
		for _, p := range []string{"kiosk", "kiosk-window"} {
			if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
				t.Fatalf("%s=%s has no %s: run 'make build', or unset %s to build them for the test", BinEnv, dir, p, BinEnv)
			}
		}
		return dir
	}
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "kiosk-bin-")
		if buildErr != nil {
			return
		}
		for _, cmd := range []string{"kiosk", "kiosk-window"} {
			out, err := exec.Command("go", "build", "-o", filepath.Join(binDir, cmd), "github.com/carrierarcade/kiosk/cmd/"+cmd).CombinedOutput()
			if err != nil {
				buildErr = fmt.Errorf("building %s: %v\n%s", cmd, err, out)
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binDir
}
