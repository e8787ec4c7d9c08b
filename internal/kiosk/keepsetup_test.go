package kiosk

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
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

// The setup is written where the config really is: through a symbolic
// link to its target (the link stays), into a hard-linked file in place
// (both names see it); a read-only config is left alone, the log says why
// and the flags are printed instead.
func TestKeepSetupWritesWhereTheConfigIs(t *testing.T) {
	sets := SetupKeys(270, true, 90)
	src, err := os.ReadFile(testenv.Path("config.toml"))
	require.NoError(t, err)
	loaded := func(path string) config.Loaded {
		l, err := config.Load(path, nil)
		require.NoError(t, err)
		return l
	}
	turned := func(path string) [3]any {
		l := loaded(path)
		return [3]any{l.Source.Rotation, l.Source.Flip, l.Display.Rotation}
	}
	want := [3]any{270, true, 90}
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	var out bytes.Buffer

	dir := t.TempDir()
	real := filepath.Join(dir, "dotfiles", "config.toml")
	require.NoError(t, os.MkdirAll(filepath.Dir(real), 0o755))
	require.NoError(t, os.WriteFile(real, src, 0o644))
	link := filepath.Join(dir, "config.toml")
	require.NoError(t, os.Symlink("dotfiles/config.toml", link))
	KeepSetup(loaded(link), sets, &out, log)
	assert.Empty(t, out.String())
	info, err := os.Lstat(link)
	require.NoError(t, err)
	assert.Equal(t, os.ModeSymlink, info.Mode().Type(), "the link stays a link")
	assert.Equal(t, want, turned(real), "the real file has the setup")

	hard := filepath.Join(dir, "hard.toml")
	other := filepath.Join(dir, "other-name.toml")
	require.NoError(t, os.WriteFile(hard, src, 0o644))
	require.NoError(t, os.Link(hard, other))
	KeepSetup(loaded(hard), sets, &out, log)
	assert.Empty(t, out.String())
	assert.Equal(t, want, turned(other), "the other name sees the setup")

	ro := filepath.Join(dir, "read-only.toml")
	require.NoError(t, os.WriteFile(ro, src, 0o444))
	KeepSetup(loaded(ro), sets, &out, log)
	assert.Equal(t, "--set source.rotation=270\n--set source.flip=true\n--set display.rotation=90\n", out.String())
	kept, err := os.ReadFile(ro)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(src, kept), "a read-only config is left as it was")
	assert.Contains(t, logged.String(), "setup not written into the config file")
	assert.Contains(t, logged.String(), ro+" is read-only (mode -r--r--r--)")
	assert.Equal(t, 2, strings.Count(logged.String(), "setup written into the config file"))
}
