package power

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// maxAttr bounds every read: sysfs attributes are a number or a word, and a
// bound keeps a mistaken root (a regular file full of junk) harmless.
const maxAttr = 64

// readAttr returns the trimmed text of dir/name, and false when it is
// absent, unreadable or empty. Attributes come and go while a battery is
// removed or a driver rebinds, so every failure just means "unknown".
func readAttr(dir, name string) (string, bool) {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return "", false
	}
	defer f.Close()
	var buf [maxAttr]byte
	n, _ := f.Read(buf[:]) // sysfs answers in one read; an error with n == 0 is "unknown"
	s := strings.TrimSpace(string(buf[:n]))
	return s, s != ""
}

// readInt parses dir/name as a decimal integer.
func readInt(dir, name string) (int64, bool) {
	s, ok := readAttr(dir, name)
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseInt(s, 10, 64)
	return v, err == nil
}

// readNonNeg reads a quantity that cannot be negative (energy, charge,
// capacity); a negative value is garbage, so unknown.
func readNonNeg(dir, name string) (float64, bool) {
	v, ok := readInt(dir, name)
	return float64(v), ok && v >= 0
}

// readPositive reads a quantity that must be above zero to be usable (a full
// energy, a voltage): zero would only divide or multiply into nonsense.
func readPositive(dir, name string) (float64, bool) {
	v, ok := readInt(dir, name)
	return float64(v), ok && v > 0
}

// readMagnitude reads a rate whose sign is driver convention: the ABI says
// current_now is negative while discharging, ACPI reports it positive.
func readMagnitude(dir, name string) (float64, bool) {
	v, ok := readInt(dir, name)
	if v < 0 {
		v = -v
	}
	return float64(v), ok
}

// subdirs lists the device folders in dir, skipping dotfiles and plain
// files. Sysfs entries are symlinks to directories, so they are followed.
func subdirs(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if fi, err := os.Stat(filepath.Join(dir, e.Name())); err == nil && fi.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// sysRoot is the sysfs root, "/sys" when none is set.
func sysRoot(root string) string {
	if root == "" {
		return "/sys"
	}
	return root
}
