// Package atomicfile replaces a user's file whole, where it really is: a
// reader, or the next start after a power cut, finds the old contents or
// the new, never part of either; a symbolic link is written through to
// its target, a hard link stays one file, and a read-only file is left
// alone. It needs no cgo, so the rules' CGO_ENABLED=0 build may use it.
package atomicfile

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// ErrReadOnly marks a file that is not written because its mode (or its
// owner) says it may not be.
var ErrReadOnly = errors.New("read-only")

// Write puts data into the file at path with the permissions perm.
//
// The file is the one path names after following symbolic links (Target),
// so a config linked from elsewhere is changed where it lives and the link
// stays. A file nobody may write (mode 0444), or this user may not, is
// refused with ErrReadOnly. Otherwise a temporary file in the target's
// folder (a rename is atomic only within one file system) is written,
// synced, closed, given the old file's owner, renamed over the target, and
// the folder synced so the rename itself survives a power cut.
//
// A file with more than one hard link cannot be replaced without splitting
// it from its other names, so it is written in place instead, after a copy
// of its old contents is made and synced beside it (.NAME.copy-*); the copy
// is removed once the new contents are synced. A power cut in between
// leaves the copy, so the old contents are never lost.
//
// On any failure the file keeps what it had and no temporary file is left.
func Write(path string, data []byte, perm os.FileMode) error {
	target, err := Target(path)
	if err != nil {
		return err
	}
	info, err := os.Stat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return replace(target, data, perm, nil)
	case err != nil:
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file (%v)", named(path, target), info.Mode().Type())
	}
	if info.Mode().Perm()&0o222 == 0 || syscall.Access(target, 2 /* W_OK */) != nil {
		return fmt.Errorf("%s is %w (mode %v): it is left as it was; 'chmod u+w %s' lets the kiosk write it",
			named(path, target), ErrReadOnly, info.Mode().Perm(), target)
	}
	if st, ok := info.Sys().(*syscall.Stat_t); ok && st.Nlink > 1 {
		return writeInPlace(target, data, perm)
	}
	return replace(target, data, perm, info)
}

// named says which file is meant: path, and where it leads when it is a
// link.
func named(path, target string) string {
	if path == target {
		return path
	}
	return path + " (a link to " + target + ")"
}

// maxLinks is how many symbolic links Target follows, as Linux's
// MAXSYMLINKS.
const maxLinks = 40

// Target is the file path names once symbolic links are followed: path
// itself when it is no link. A link whose target does not exist yet gives
// that target (writing creates it there). The folders on the way are
// resolved too, so that ".." in a link's text means what the kernel takes
// it to mean.
func Target(path string) (string, error) {
	dir, base := filepath.Split(path)
	for hops := 0; ; hops++ {
		real, err := filepath.EvalSymlinks(cmp.Or(dir, "."))
		if err != nil {
			return "", err
		}
		p := filepath.Join(real, base)
		info, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) || (err == nil && info.Mode()&fs.ModeSymlink == 0) {
			return p, nil
		}
		if err != nil {
			return "", err
		}
		if hops == maxLinks {
			return "", fmt.Errorf("%s: more than %d symbolic links in a row (a loop?)", path, maxLinks)
		}
		to, err := os.Readlink(p)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(to) {
			to = real + string(filepath.Separator) + to
		}
		dir, base = filepath.Split(to)
	}
}

// replace writes a new file beside path and renames it over path; old is
// the file it replaces (nil: none), whose owner the new one keeps.
func replace(path string, data []byte, perm os.FileMode, old os.FileInfo) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	_, err = tmp.Write(data)
	if err == nil {
		// CreateTemp makes the file 0600; Chmod, not the umask, sets the
		// rest, as a config file's own mode must survive a rewrite.
		err = tmp.Chmod(perm)
	}
	if st, ok := sysStat(old); ok && err == nil && os.Geteuid() == 0 {
		// Root (sudo kiosk setup) writing a user's config must not leave
		// it root's; anyone else cannot give a file away, and need not.
		err = tmp.Chown(int(st.Uid), int(st.Gid))
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

func sysStat(info os.FileInfo) (*syscall.Stat_t, bool) {
	if info == nil {
		return nil, false
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	return st, ok
}

// syncDir makes a rename or a new name in dir survive a power cut. A
// folder that cannot be synced (some file systems refuse) only weakens
// that promise, so it is not reported as a failed write.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// writeInPlace writes data over the file at path itself, keeping every
// hard link to it: first a synced copy of the old contents beside it, then
// the new contents, then the copy goes. A write that fails puts the old
// contents back; should that fail too, the copy stays and the error names
// it.
func writeInPlace(path string, data []byte, perm os.FileMode) error {
	old, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	cp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".copy-*")
	if err != nil {
		return fmt.Errorf("no room for a copy of %s beside it: %w", path, err)
	}
	_, err = cp.Write(old)
	if err == nil {
		err = cp.Chmod(info.Mode().Perm())
	}
	if err == nil {
		err = cp.Sync()
	}
	if cerr := cp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(cp.Name())
		return fmt.Errorf("no room for a copy of %s beside it: %w", path, err)
	}
	syncDir(dir)

	err = overwrite(path, data, perm)
	if err != nil {
		if rerr := overwrite(path, old, info.Mode().Perm()); rerr != nil {
			return fmt.Errorf("%w; putting the old contents back failed too (%v): they are in %s", err, rerr, cp.Name())
		}
	}
	os.Remove(cp.Name())
	return err
}

// overwrite writes data over the start of the file at path, cuts it to
// that length, sets its mode and syncs it.
func overwrite(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteAt(data, 0)
	if err == nil {
		err = f.Truncate(int64(len(data)))
	}
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
