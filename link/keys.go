package link

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/nats-io/nkeys"
)

// Keygen makes a carrier's key: the seed goes into path (mode 0600,
// written atomically, never over an existing file) and the public key,
// for the hub's [hub] carriers list, is returned.
func Keygen(path string) (public string, err error) {
	if _, err := os.Lstat(path); err == nil {
		return "", fmt.Errorf("%s already exists: a carrier keeps its key; remove the file first to make a new one", path)
	}
	kp, err := nkeys.CreateUser()
	if err != nil {
		return "", err
	}
	defer kp.Wipe()
	seed, err := kp.Seed()
	if err != nil {
		return "", err
	}
	public, err = kp.PublicKey()
	if err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".keygen-*")
	if err != nil {
		return "", fmt.Errorf("cannot write the key into the folder of %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err = tmp.Chmod(0o600); err == nil {
		_, err = tmp.Write(append(seed, '\n'))
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// Link, not rename: it fails rather than replace a file made since.
		err = os.Link(tmp.Name(), path)
	}
	if err != nil {
		return "", fmt.Errorf("cannot write %s: %w", path, err)
	}
	return public, nil
}

// readSeed reads a carrier's seed from path, refusing a file others may
// read: the seed is the carrier's identity.
func readSeed(path string) (seed []byte, public string, err error) {
	fail := func(why string) ([]byte, string, error) {
		return nil, "", fmt.Errorf("link.key_file %s: %s", path, why)
	}
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fail("does not exist; make it with 'kiosk link keygen --out " + path + "'")
	}
	if err != nil {
		return fail(err.Error())
	}
	if !info.Mode().IsRegular() || info.Size() > 4096 {
		return fail("is not a key file")
	}
	if info.Mode().Perm()&0o077 != 0 {
		return fail(fmt.Sprintf("may be read by others (mode %v); 'chmod 600 %s'", info.Mode().Perm(), path))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fail(err.Error())
	}
	seed = []byte(strings.TrimSpace(string(data)))
	kp, err := nkeys.FromSeed(seed)
	if err != nil {
		return fail("does not hold a carrier's seed (make one with 'kiosk link keygen')")
	}
	defer kp.Wipe()
	public, err = kp.PublicKey()
	if err != nil || !isPublicUserKey(public) {
		return fail("holds a seed of the wrong kind (want a user seed, SU...)")
	}
	return seed, public, nil
}

// isPublicUserKey is true for a valid public user NKey.
func isPublicUserKey(k string) bool {
	return nkeys.IsValidPublicUserKey(k)
}

// carrierID is the carrier's name on the wire: its subjects, stream and
// JetStream domain. Taken from the public key, so that a carrier can be
// renamed on screen and still be the same carrier.
func carrierID(public string) string { return public[:12] }
