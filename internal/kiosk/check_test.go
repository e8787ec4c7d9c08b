package kiosk

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	require.NoError(t, os.WriteFile(path, []byte(body), 0o644))
	return path
}

// Bounds before decoding: a huge file, deep nesting and thousands of
// unknown keys are refused quickly with a short message.
func TestConfigBounds(t *testing.T) {
	t.Parallel()
	huge := writeConfig(t, "# "+strings.Repeat("x", 2<<20)+"\n")
	code, _, errOut := kiosk(t, "check-config", huge)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "a configuration is a few kB")

	deep := writeConfig(t, "[display]\nwidth = 1280\n\n[game]\nrotation = "+strings.Repeat("[", 5000)+strings.Repeat("]", 5000)+"\n")
	code, _, errOut = kiosk(t, "check-config", deep)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "line 5: values nested 5000 deep", "refused before decoding")

	var b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&b, "unknown_%d = 1\n", i)
	}
	many := writeConfig(t, b.String())
	code, _, errOut = kiosk(t, "check-config", many)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "... and 2950 more")
	assert.Less(t, len(errOut), 20<<10, "a page, not megabytes")
}

func TestSetRefusesMoreThanOneValue(t *testing.T) {
	t.Parallel()
	code, _, errOut := kiosk(t, "check-config", "--set", "display.width=800\n[power]\nsimulate_percent=5")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "give each key its own --set")
}

func TestBadListenNamesKeyAndLine(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, "[display]\nwidth = 1280\n\n[http]\nlisten = \"127.0.0.1\"\n")
	code, _, errOut := kiosk(t, "check-config", path)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `http.listen: is "127.0.0.1", want host:port`)
	assert.Contains(t, errOut, path+" line 5")

	code, _, errOut = kiosk(t, "check-config", "--set", `http.listen="127.0.0.1:70000"`)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "http.listen")
	assert.Contains(t, errOut, "the port is a number from 0 to 65535")
	assert.Contains(t, errOut, "(from --set)")

	// The shipped config, so that the files it names are checked where
	// they are.
	code, out, errOut := kiosk(t, "check-config", testenv.Path("config.toml"), "--set", `http.listen=""`)
	assert.Equal(t, 0, code, errOut)
	assert.Equal(t, "ok\n", out, "empty turns the server off")
}
