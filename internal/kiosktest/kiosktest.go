// Package kiosktest helps the tests that run the kiosk's programs: the
// kiosk command run as a user runs it (the programs make build made, see
// testenv.Binaries), its JSON lines read back, and a recording's bytes
// checked for pictures.
package kiosktest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Run runs bin/kiosk with args and returns its exit status and output.
func Run(t testing.TB, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(filepath.Join(testenv.Binaries(t), "kiosk"), args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("running kiosk %s: %v", strings.Join(args, " "), err)
	}
	return code, out.String(), errOut.String()
}

// Events are the JSON lines of kiosk sim, one map each; each must have
// its time and type.
func Events(t testing.TB, out string) []map[string]any {
	t.Helper()
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

// AssertNoPicture checks a recording's bytes: no line could hold a camera
// frame, and no face landmarks are kept.
func AssertNoPicture(t testing.TB, path string) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	lines := 0
	for sc.Scan() {
		lines++
		// A 768x576 frame is 1.3 MB, even its 32x24 thumbnail in colour is
		// 2.3 kB of bytes; a motion grid is 768 one-byte levels (1 kB in
		// base64) and a tick's detections a few hundred bytes.
		assert.Less(t, len(sc.Bytes()), 8<<10, "line %d", lines)
		assert.NotContains(t, sc.Text(), "Keypoints")
	}
	require.NoError(t, sc.Err())
	assert.Greater(t, lines, 10)
}
