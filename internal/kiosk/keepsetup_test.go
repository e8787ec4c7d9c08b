package kiosk

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What the setup helper keeps goes into the config file; with none, or one
// it cannot write, the --set flags are printed instead.
func TestKeepSetup(t *testing.T) {
	t.Parallel()
	sets := SetupKeys(270, true, 90)
	log := slog.New(slog.DiscardHandler)

	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	src, err := os.ReadFile(testenv.Path("config.toml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, src, 0o644))
	l, err := config.Load(path, nil)
	require.NoError(t, err)
	var out bytes.Buffer
	KeepSetup(l, sets, &out, log)
	assert.Empty(t, out.String(), "written, nothing to print")
	l, err = config.Load(path, nil)
	require.NoError(t, err)
	assert.Equal(t, [3]any{270, true, 90}, [3]any{l.Source.Rotation, l.Source.Flip, l.Display.Rotation})

	want := "--set source.rotation=270\n--set source.flip=true\n--set display.rotation=90\n"
	out.Reset()
	KeepSetup(config.Loaded{Config: config.Default()}, sets, &out, log)
	assert.Equal(t, want, out.String(), "no config file: the flags")

	out.Reset()
	l.Path = filepath.Join(dir, "gone", "config.toml")
	KeepSetup(l, sets, &out, log)
	assert.Equal(t, want, out.String(), "a file that cannot be written: the flags")
}
