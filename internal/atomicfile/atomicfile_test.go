package atomicfile_test

import (
	"bytes"
	"io"
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

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

func inode(t *testing.T, path string) uint64 {
	t.Helper()
	info, err := os.Stat(path)
	require.NoError(t, err)
	return info.Sys().(*syscall.Stat_t).Ino
}

// The file is replaced, not written over: a reader that had the old one
// open still reads the old contents whole, the new one has no tail of the
// old, its mode is perm whatever the umask, and no temporary file is left.
func TestWriteReplacesTheFileWhole(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "verdict.json")
	old := []byte("the old contents, longer than the new ones\n")
	require.NoError(t, os.WriteFile(path, old, 0o600))
	reader, err := os.Open(path)
	require.NoError(t, err)
	defer reader.Close()

	mask := syscall.Umask(0o077) // a umask that would take the group's read away
	defer syscall.Umask(mask)
	require.NoError(t, atomicfile.Write(path, []byte("new\n"), 0o640))

	assert.Equal(t, "new\n", read(t, path))
	kept, err := io.ReadAll(reader)
	require.NoError(t, err)
	assert.Equal(t, string(old), string(kept), "a new file renamed in; the old one untouched")
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o640), info.Mode().Perm())
	assert.Equal(t, []string{"verdict.json"}, names(t, dir), "no temporary file left")

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
	// path is a folder: not a file to write.
	path := filepath.Join(dir, "taken")
	require.NoError(t, os.MkdirAll(filepath.Join(path, "inside"), 0o755))
	assert.ErrorContains(t, atomicfile.Write(path, []byte("x"), 0o644), "not a regular file")
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
		assert.Equal(t, "kept", read(t, file))
	}
}

// A config linked from elsewhere (as a dotfiles folder does) is written
// where it lives: the link stays a link, relative and absolute, through a
// chain of links and a linked folder, and a link to a file not made yet
// makes it there. Nothing is left in either folder.
func TestWriteGoesThroughSymlinks(t *testing.T) {
	root := t.TempDir()
	real := filepath.Join(root, "dotfiles", "kiosk")
	booth := filepath.Join(root, "booth")
	require.NoError(t, os.MkdirAll(real, 0o755))
	require.NoError(t, os.MkdirAll(booth, 0o755))
	target := filepath.Join(real, "config.toml")
	require.NoError(t, os.WriteFile(target, []byte("old = 1\n"), 0o640))
	// A link to the real file's folder: the kernel reads "kiosk-dir/.."
	// as that folder's parent, not as booth.
	require.NoError(t, os.Symlink("../dotfiles/kiosk", filepath.Join(booth, "kiosk-dir")))

	for _, tc := range []struct{ name, link, to string }{
		{"relative", "config.toml", "../dotfiles/kiosk/config.toml"},
		{"absolute", "abs.toml", target},
		{"chain", "chain.toml", "abs.toml"},
		{"through a linked folder", "cfg.toml", "kiosk-dir/../kiosk/config.toml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			link := filepath.Join(booth, tc.link)
			if _, err := os.Lstat(link); err != nil {
				require.NoError(t, os.Symlink(tc.to, link))
			}
			want := "new = \"" + tc.name + "\"\n"
			require.NoError(t, atomicfile.Write(link, []byte(want), 0o640))
			info, err := os.Lstat(link)
			require.NoError(t, err)
			assert.Equal(t, os.ModeSymlink, info.Mode().Type(), "the link is still a link")
			assert.Equal(t, want, read(t, target), "the real file has the new contents")
			info, err = os.Stat(target)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o640), info.Mode().Perm())
			got, err := atomicfile.Target(link)
			require.NoError(t, err)
			assert.Equal(t, target, got)
		})
	}
	assert.ElementsMatch(t, []string{"config.toml"}, names(t, real), "no temporary file left")
	assert.ElementsMatch(t, []string{"config.toml", "abs.toml", "chain.toml", "cfg.toml", "kiosk-dir"}, names(t, booth))

	dangling := filepath.Join(booth, "new.json")
	require.NoError(t, os.Symlink("../dotfiles/kiosk/new.json", dangling))
	require.NoError(t, atomicfile.Write(dangling, []byte("{}\n"), 0o644))
	assert.Equal(t, "{}\n", read(t, filepath.Join(real, "new.json")), "made where the link points")

	loop := filepath.Join(booth, "loop")
	require.NoError(t, os.Symlink("loop", loop))
	assert.ErrorContains(t, atomicfile.Write(loop, []byte("x"), 0o644), "symbolic links")
}

// A file with other names (hard links) stays one file: each name reads the
// new contents, the inode is the same, and the copy made beside it is gone
// once the write is done.
func TestWriteKeepsHardLinks(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	other := filepath.Join(dir, "config.backup-name.toml")
	require.NoError(t, os.WriteFile(path, []byte("a much longer old config = 1\n"), 0o600))
	require.NoError(t, os.Link(path, other))
	ino := inode(t, path)

	require.NoError(t, atomicfile.Write(path, []byte("new = 2\n"), 0o640))
	assert.Equal(t, "new = 2\n", read(t, path))
	assert.Equal(t, "new = 2\n", read(t, other), "the other name sees the change")
	assert.Equal(t, ino, inode(t, path), "written in place")
	info, err := os.Stat(other)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o640), info.Mode().Perm())
	assert.ElementsMatch(t, []string{"config.toml", "config.backup-name.toml"}, names(t, dir), "no copy left")

	// The write in place fails (a file-size limit, as a full disk would):
	// the old contents are put back and the copy goes.
	var lim syscall.Rlimit
	require.NoError(t, syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim))
	small := lim
	small.Cur = 1 << 16
	require.NoError(t, syscall.Setrlimit(syscall.RLIMIT_FSIZE, &small))
	err = atomicfile.Write(path, bytes.Repeat([]byte("x"), 1<<17), 0o640)
	require.NoError(t, syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim))
	require.ErrorIs(t, err, syscall.EFBIG)
	assert.Equal(t, "new = 2\n", read(t, other), "the old contents, whole")
	assert.ElementsMatch(t, []string{"config.toml", "config.backup-name.toml"}, names(t, dir), "no copy left")
}

// A read-only file (mode 0444) is refused with a message naming it and
// the fix, and left as it was, also through a link; root too obeys.
func TestWriteRefusesAReadOnlyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	require.NoError(t, os.WriteFile(path, []byte("kept = true\n"), 0o444))
	err := atomicfile.Write(path, []byte("lost = true\n"), 0o644)
	require.ErrorIs(t, err, atomicfile.ErrReadOnly)
	assert.ErrorContains(t, err, path+" is read-only (mode -r--r--r--)")
	assert.ErrorContains(t, err, "chmod u+w "+path)
	assert.Equal(t, "kept = true\n", read(t, path))

	link := filepath.Join(dir, "link.toml")
	require.NoError(t, os.Symlink("config.toml", link))
	err = atomicfile.Write(link, []byte("lost = true\n"), 0o644)
	require.ErrorIs(t, err, atomicfile.ErrReadOnly)
	assert.ErrorContains(t, err, link+" (a link to "+path+")")
	assert.Equal(t, "kept = true\n", read(t, path))
	assert.ElementsMatch(t, []string{"config.toml", "link.toml"}, names(t, dir))
}

// Root writing a user's file (sudo kiosk setup) leaves it the user's.
func TestWriteKeepsTheOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root can give a file to another user; here the new file is this user's anyway")
	}
	path := filepath.Join(t.TempDir(), "config.toml")
	require.NoError(t, os.WriteFile(path, []byte("old\n"), 0o644))
	require.NoError(t, os.Chown(path, 4321, 4322))
	require.NoError(t, atomicfile.Write(path, []byte("new\n"), 0o644))
	info, err := os.Stat(path)
	require.NoError(t, err)
	st := info.Sys().(*syscall.Stat_t)
	assert.Equal(t, []uint32{4321, 4322}, []uint32{st.Uid, st.Gid})
	assert.Equal(t, "new\n", read(t, path))
}
