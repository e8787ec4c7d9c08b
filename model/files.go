package model

import (
	"debug/elf"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
)

// The checks below look at files without loading them, in pure Go, so that
// check-config and the start of every command say what is wrong with a
// path in the booth's words: ONNX Runtime's own words for a folder are
// advice about model packages, and the dynamic loader's for libc are empty.
// Each message is what follows "KEY: " and ends with the fix.

// CheckModelFile says what is wrong with path as a model file, or nil.
func CheckModelFile(path string) error {
	info, err := statFile(path, "an ONNX model file", "'make models'")
	if err != nil {
		return err
	}
	if info.IsDir() {
		return fmt.Errorf("is %s, a folder, not a model file; set it to the .onnx file itself%s", quoted(path), inFolder(path, func(n string) bool { return strings.HasSuffix(n, ".onnx") }))
	}
	if info.Size() == 0 {
		return fmt.Errorf("is %s, an empty file (a download that failed?); delete it and run 'make models'", quoted(path))
	}
	return nil
}

// CheckLibrary says what is wrong with path as ONNX Runtime's shared
// library, or nil: it must be an ELF shared object for this machine that
// exports OrtGetApiBase.
func CheckLibrary(path string) error {
	const fix = "set it to libonnxruntime.so, version 1.24 or newer ('make deps' puts one in .cache/lib)"
	info, err := statFile(path, "libonnxruntime.so", "'make deps'")
	if err != nil {
		return err
	}
	if info.IsDir() {
		return fmt.Errorf("is %s, a folder, not a library; set it to the libonnxruntime.so file itself%s", quoted(path), inFolder(path, func(n string) bool { return strings.HasPrefix(n, "libonnxruntime.so") }))
	}
	f, err := elf.Open(path)
	if err != nil {
		var fe *elf.FormatError
		if errors.As(err, &fe) {
			return fmt.Errorf("is %s, which is not a shared library; %s", quoted(path), fix)
		}
		return fmt.Errorf("is %s, which cannot be read (%v); %s", quoted(path), unwrapPath(err), fix)
	}
	defer f.Close()
	if want, ok := machines[runtime.GOARCH]; ok && (f.Machine != want || f.Class != elf.ELFCLASS64) {
		return fmt.Errorf("is %s, a library for %v, not for this machine (%s); %s", quoted(path), f.Machine, runtime.GOARCH, fix)
	}
	if f.Type != elf.ET_DYN {
		return fmt.Errorf("is %s, a program, not a shared library; %s", quoted(path), fix)
	}
	syms, _ := f.DynamicSymbols()
	if !slices.ContainsFunc(syms, func(s elf.Symbol) bool { return s.Name == "OrtGetApiBase" }) {
		what := "a program or library"
		if names, _ := f.DynString(elf.DT_SONAME); len(names) > 0 {
			what = names[0]
		}
		return fmt.Errorf("is %s, which is %s, not ONNX Runtime (it has no OrtGetApiBase); %s", quoted(path), what, fix)
	}
	return nil
}

var machines = map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}

// statFile is os.Stat in words: missing, unreadable, or not a regular file
// (a FIFO would block the reader, a device is never a model).
func statFile(path, what, target string) (fs.FileInfo, error) {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("is %s, which does not exist; run %s, or set it to %s", quoted(path), target, what)
	case err != nil:
		return nil, fmt.Errorf("is %s, which cannot be read (%v); set it to %s", quoted(path), unwrapPath(err), what)
	case info.IsDir():
		return info, nil
	case !info.Mode().IsRegular():
		return nil, fmt.Errorf("is %s, which is not a regular file (%s); set it to %s", quoted(path), kindOf(info.Mode()), what)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("is %s, which cannot be read (%v); set it to %s", quoted(path), unwrapPath(err), what)
	}
	f.Close()
	return info, nil
}

// inFolder suggests the files in dir that match, briefly.
func inFolder(dir string, match func(string) bool) string {
	entries, _ := os.ReadDir(dir)
	var found []string
	for _, e := range entries {
		if !e.IsDir() && match(e.Name()) {
			found = append(found, quoted(filepath.Join(dir, e.Name())))
		}
		if len(found) == 3 {
			break
		}
	}
	if len(found) == 0 {
		return ""
	}
	return ", for example " + strings.Join(found, " or ")
}

func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a plain file"
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func quoted(path string) string { return fmt.Sprintf("%q", path) }
