// Package atomicfile replaces a file whole: a reader, or the next start
// after a power cut, finds the old contents or the new, never part of
// either. It needs no cgo, so the rules' CGO_ENABLED=0 build may use it.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write puts data into path with the permissions perm: a temporary file in
// the same folder (a rename is atomic only within one file system), written,
// synced and closed, then renamed over path, then the folder synced so the
// rename itself survives a power cut. On any failure path keeps what it had
// and no temporary file is left.
func Write(path string, data []byte, perm os.FileMode) error {
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
	// The new contents are in place from here on; a folder that cannot be
	// synced (some file systems refuse) only weakens the power-cut promise,
	// so it is not reported as a failed write.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}
