package config

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var updateGolden = flag.Bool("update", false, "write the golden files anew")

// setupKeys are what 'kiosk setup' writes for the carrier's flipped lid.
var setupKeys = []KeySet{{"source.rotation", "270"}, {"source.flip", "true"}, {"display.rotation", "270"}}

// The setup helper's edit of a config.toml (a copy of the shipped one in
// testdata): only the three values change, every comment and the commented
// preset stay (golden file; -update writes it anew).
func TestSetKeysGolden(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "setup", "config.toml"))
	require.NoError(t, err)
	out, err := SetKeys(src, setupKeys)
	require.NoError(t, err)
	golden := filepath.Join("testdata", "setup", "config-lid-flipped.toml")
	if *updateGolden {
		require.NoError(t, os.WriteFile(golden, out, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(out))
}

// On the shipped config.toml, whatever it says today: the same three lines
// change, no comment does, and the result loads as what it says.
func TestSetKeysKeepsEveryComment(t *testing.T) {
	src, err := os.ReadFile(testenv.Path("config.toml"))
	require.NoError(t, err)
	out, err := SetKeys(src, setupKeys)
	require.NoError(t, err)

	before, after := strings.Split(string(src), "\n"), strings.Split(string(out), "\n")
	require.Len(t, after, len(before), "no line added or lost")
	var changed []string
	for i := range before {
		if before[i] != after[i] {
			assert.False(t, strings.HasPrefix(strings.TrimSpace(before[i]), "#"), "comment changed: %q", before[i])
			changed = append(changed, after[i])
		}
	}
	assert.Equal(t, []string{"rotation = 270", "rotation = 270", "flip = true"}, changed)

	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	require.NoError(t, os.WriteFile(path, out, 0o644))
	l, err := Load(path, nil)
	require.NoError(t, err)
	assert.Equal(t, 270, l.Source.Rotation)
	assert.True(t, l.Source.Flip)
	assert.Equal(t, 270, l.Display.Rotation)
}

func TestSetKeysCases(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		sets      []KeySet
		want      string
		err       string
	}{
		{"comment after the value stays", "[source]\nrotation = 0 # how it hangs\n",
			[]KeySet{{"source.rotation", "90"}}, "[source]\nrotation = 90 # how it hangs\n", ""},
		{"a missing key goes after the section's last", "[display]\nwidth = 1\n\n# next\n[source]\nspec = \"camera:0\"\n",
			[]KeySet{{"display.rotation", "180"}}, "[display]\nwidth = 1\nrotation = 180\n\n# next\n[source]\nspec = \"camera:0\"\n", ""},
		{"a missing section goes at the end", "[display]\nwidth = 1",
			[]KeySet{{"source.flip", "true"}}, "[display]\nwidth = 1\n\n[source]\nflip = true\n", ""},
		{"the same key in another section is not touched", "[display]\nrotation = 0\n[source]\nrotation = 0\n",
			[]KeySet{{"source.rotation", "270"}}, "[display]\nrotation = 0\n[source]\nrotation = 270\n", ""},
		{"CRLF lines keep their ends", "[source]\r\nrotation = 0\r\n",
			[]KeySet{{"source.rotation", "90"}}, "[source]\r\nrotation = 90\r\n", ""},
		{"a file that is not TOML", "[source\nrotation = 0\n", []KeySet{{"source.rotation", "90"}}, "", "not valid TOML"},
		{"not a value", "[source]\nrotation = 0\n", []KeySet{{"source.rotation", "ninety"}}, "", "not a TOML value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := SetKeys([]byte(tc.src), tc.sets)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(out))
		})
	}
}

// WriteKeys replaces the file in one rename: its mode stays, no temporary
// file is left, and a file it cannot write stays as it was.
func TestWriteKeysIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	require.NoError(t, os.WriteFile(path, []byte("# mine\n[source]\nrotation = 0\n"), 0o640))
	require.NoError(t, WriteKeys(path, []KeySet{{"source.rotation", "180"}}))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "# mine\n[source]\nrotation = 180\n", string(got))
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o640), info.Mode().Perm())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file left")

	if os.Geteuid() != 0 { // root writes anywhere
		require.NoError(t, os.Chmod(dir, 0o500))
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		assert.Error(t, WriteKeys(path, []KeySet{{"source.rotation", "90"}}))
		got, err = os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, "# mine\n[source]\nrotation = 180\n", string(got), "unchanged")
	}
}
