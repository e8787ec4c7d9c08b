package atomicfile_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/carrierarcade/kiosk/internal/atomicfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// names lists a folder's entries.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// The file is replaced, not written over: a hard link to the old one still
// reads the old contents whole, the new one has no tail of the old, its
// mode is perm whatever the umask, and no temporary file is left.
func TestWriteReplacesTheFileWhole(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "verdict.json")
	old := []byte("the old contents, longer than the new ones\n")
	require.NoError(t, os.WriteFile(path, old, 0o600))
	require.NoError(t, os.Link(path, filepath.Join(dir, "old")))

	mask := syscall.Umask(0o077) // a umask that would take the group's read away
	defer syscall.Umask(mask)
	require.NoError(t, atomicfile.Write(path, []byte("new\n"), 0o640))

	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "new\n", string(got))
	kept, err := os.ReadFile(filepath.Join(dir, "old"))
	require.NoError(t, err)
	assert.Equal(t, string(old), string(kept), "a new file renamed in; the old one untouched")
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o640), info.Mode().Perm())
	assert.ElementsMatch(t, []string{"verdict.json", "old"}, names(t, dir), "no temporary file left")

	// A new file, and one made readable by all.
	fresh := filepath.Join(dir, "fresh.png")
	require.NoError(t, atomicfile.Write(fresh, []byte{1, 2, 3}, 0o644))
	info, err = os.Stat(fresh)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), info.Mode().Perm())
}

// A write that fails keeps what was there and leaves no temporary file.
func TestWriteThatFailsLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	// The rename fails: path is a folder that is not empty.
	path := filepath.Join(dir, "taken")
	require.NoError(t, os.MkdirAll(filepath.Join(path, "inside"), 0o755))
	assert.Error(t, atomicfile.Write(path, []byte("x"), 0o644))
	assert.Equal(t, []string{"taken"}, names(t, dir), "no temporary file left")
	assert.DirExists(t, filepath.Join(path, "inside"))

	// The temporary file cannot be made: no such folder.
	assert.Error(t, atomicfile.Write(filepath.Join(dir, "gone", "f"), []byte("x"), 0o644))

	if os.Geteuid() != 0 { // root writes anywhere
		file := filepath.Join(dir, "file")
		require.NoError(t, os.WriteFile(file, []byte("kept"), 0o644))
		require.NoError(t, os.Chmod(dir, 0o500))
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		assert.Error(t, atomicfile.Write(file, []byte("lost"), 0o644))
		got, err := os.ReadFile(file)
		require.NoError(t, err)
		assert.Equal(t, "kept", string(got))
	}
}
