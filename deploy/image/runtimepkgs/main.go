// Command runtimepkgs derives the Debian packages the kiosk needs at run
// time from what its programs really load: the shared libraries ldd lists
// for each program and library given, plus the libraries named in a file of
// sonames the programs open with dlopen (ldd cannot see those). Each library
// is traced to its package with dpkg -S; the list is then cut down to the
// packages no other listed package already depends on, since apt brings the
// rest. Both image builds (mmdebstrap and the Containerfile) install this
// list, so it is written to one file:
//
//	go run ./deploy/image/runtimepkgs -dlopen deploy/image/dlopen.txt \
//	    -out deploy/image/runtime-packages.txt bin/kiosk bin/kiosk-window LIB...
//
// With -check it writes nothing and fails when the file differs from what
// it would write, so a build never runs with a stale list.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	dlopen := flag.String("dlopen", "", "file of sonames the programs dlopen, one a line (# comments)")
	out := flag.String("out", "", "write the package list here (default: standard output)")
	check := flag.Bool("check", false, "fail when -out differs from the derived list instead of writing it")
	status := flag.String("status", "/var/lib/dpkg/status", "dpkg's status file (installed packages and their dependencies)")
	flag.Parse()
	if err := run(flag.Args(), *dlopen, *out, *status, *check); err != nil {
		fmt.Fprintln(os.Stderr, "runtimepkgs:", err)
		os.Exit(1)
	}
}

func run(files []string, dlopenFile, out, statusFile string, check bool) error {
	if len(files) == 0 {
		return errors.New("name the programs and libraries to derive packages for")
	}
	libs := map[string]bool{}
	var sonames []string
	if dlopenFile != "" {
		var err error
		if sonames, err = readList(dlopenFile); err != nil {
			return err
		}
	}
	for _, so := range sonames {
		p, err := findSoname(so)
		if err != nil {
			return fmt.Errorf("%s (from %s): %w", so, dlopenFile, err)
		}
		files = append(files, p)
		libs[p] = true
	}
	for _, f := range files {
		deps, err := ldd(f)
		if err != nil {
			return err
		}
		for _, d := range deps {
			libs[d] = true
		}
	}
	owners, err := ownersOf(libs)
	if err != nil {
		return err
	}
	graph, err := readStatus(statusFile)
	if err != nil {
		return err
	}
	top := topLevel(owners, graph)

	var b bytes.Buffer
	b.WriteString("# Debian packages the kiosk's programs load at run time, derived by\n")
	b.WriteString("# deploy/image/runtimepkgs from ldd and deploy/image/dlopen.txt (do not edit;\n")
	b.WriteString("# 'make image' derives it again and says when it changed). Both image builds\n")
	b.WriteString("# install exactly these, with what they depend on.\n")
	for _, p := range top {
		b.WriteString(p + "\n")
	}
	if out == "" {
		_, err := os.Stdout.Write(b.Bytes())
		return err
	}
	if check {
		have, err := os.ReadFile(out)
		if err != nil {
			return err
		}
		if !bytes.Equal(have, b.Bytes()) {
			return fmt.Errorf("%s is not what the programs load now; run 'make image-packages' and commit it", out)
		}
		return nil
	}
	return os.WriteFile(out, b.Bytes(), 0o644)
}

// readList reads one word a line, skipping blank lines and # comments.
func readList(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var words []string
	for _, line := range strings.Split(string(data), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if w := strings.TrimSpace(line); w != "" {
			words = append(words, w)
		}
	}
	return words, nil
}

// findSoname finds where the dynamic loader would find a soname.
func findSoname(so string) (string, error) {
	out, err := exec.Command("ldconfig", "-p").Output()
	if err != nil {
		return "", fmt.Errorf("ldconfig -p: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		// "	libGL.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libGL.so.1"
		f := strings.Fields(sc.Text())
		if len(f) >= 4 && f[0] == so && strings.Contains(f[1], "x86-64") {
			return f[len(f)-1], nil
		}
	}
	return "", errors.New("not installed (the build machine needs the package that ships it)")
}

// ldd lists the libraries a program or library loads, resolved to files.
func ldd(path string) ([]string, error) {
	out, err := exec.Command("ldd", path).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("ldd %s: %v: %s", path, err, out)
	}
	var libs []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "not found") {
			return nil, fmt.Errorf("ldd %s: %s", path, strings.TrimSpace(line))
		}
		f := strings.Fields(line)
		// "libfoo.so.1 => /lib/x86_64-linux-gnu/libfoo.so.1 (0x...)" or the loader by path
		switch {
		case len(f) >= 3 && f[1] == "=>" && strings.HasPrefix(f[2], "/"):
			libs = append(libs, f[2])
		case len(f) == 2 && strings.HasPrefix(f[0], "/"):
			libs = append(libs, f[0])
		}
	}
	return libs, nil
}

// ownersOf maps each library file to its Debian package with dpkg -S.
// Debian 12 merges /lib into /usr/lib, but dpkg knows each file by the path
// its package ships, so both spellings are asked for.
func ownersOf(libs map[string]bool) ([]string, error) {
	var paths []string
	for l := range libs {
		real, err := filepath.EvalSymlinks(l)
		if err != nil {
			return nil, err
		}
		for _, p := range []string{l, real} {
			paths = append(paths, p)
			if rest, ok := strings.CutPrefix(p, "/usr/lib/"); ok {
				paths = append(paths, "/lib/"+rest)
			} else if rest, ok := strings.CutPrefix(p, "/lib/"); ok {
				paths = append(paths, "/usr/lib/"+rest)
			}
		}
	}
	sort.Strings(paths)
	out, _ := exec.Command("dpkg", append([]string{"-S"}, paths...)...).Output() // exits 1 when some spelling is unknown
	found := map[string]bool{}
	pkgs := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		name, path, ok := strings.Cut(line, ": ")
		if !ok || strings.HasPrefix(line, "diversion") {
			continue
		}
		found[path] = true
		for _, p := range strings.Split(name, ", ") {
			pkgs[strings.SplitN(p, ":", 2)[0]] = true
		}
	}
	var missing []string
	for l := range libs {
		real, _ := filepath.EvalSymlinks(l)
		if !found[l] && !found[real] && !found[swapLib(l)] && !found[swapLib(real)] {
			missing = append(missing, l)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("no Debian package owns %s: the image would lack it (install it from a package, or ship it like the ONNX Runtime library)", strings.Join(missing, ", "))
	}
	var list []string
	for p := range pkgs {
		list = append(list, p)
	}
	sort.Strings(list)
	return list, nil
}

func swapLib(p string) string {
	if rest, ok := strings.CutPrefix(p, "/usr/lib/"); ok {
		return "/lib/" + rest
	}
	if rest, ok := strings.CutPrefix(p, "/lib/"); ok {
		return "/usr/lib/" + rest
	}
	return p
}

// readStatus reads the installed packages' Depends and Pre-Depends from
// dpkg's status file, each alternative resolved to the one installed (or
// providing it), so the graph is the one this machine really has.
func readStatus(path string) (map[string][]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	type stanza struct{ name, deps string }
	var all []stanza
	provides := map[string]string{}
	for _, para := range strings.Split(string(data), "\n\n") {
		var s stanza
		installed := false
		var prov string
		for _, line := range strings.Split(para, "\n") {
			k, v, ok := strings.Cut(line, ": ")
			if !ok {
				continue
			}
			switch k {
			case "Package":
				s.name = v
			case "Status":
				installed = strings.HasSuffix(v, " installed")
			case "Depends", "Pre-Depends":
				s.deps += "," + v
			case "Provides":
				prov = v
			}
		}
		if s.name == "" || !installed {
			continue
		}
		all = append(all, s)
		for _, p := range strings.Split(prov, ",") {
			if n := depName(p); n != "" {
				provides[n] = s.name
			}
		}
	}
	installed := map[string]bool{}
	for _, s := range all {
		installed[s.name] = true
	}
	graph := map[string][]string{}
	for _, s := range all {
		for _, dep := range strings.Split(s.deps, ",") {
			for _, alt := range strings.Split(dep, "|") {
				n := depName(alt)
				if installed[n] {
					graph[s.name] = append(graph[s.name], n)
					break
				}
				if p, ok := provides[n]; ok {
					graph[s.name] = append(graph[s.name], p)
					break
				}
			}
		}
	}
	return graph, nil
}

// depName is the package name of "libfoo1 (>= 1.2)" or "libbar:any".
func depName(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return strings.SplitN(f[0], ":", 2)[0]
}

// topLevel keeps the packages that no other kept package depends on,
// directly or not. Of packages that depend on each other (a cycle, as libc6
// and libgcc-s1 do), the first by name is kept.
func topLevel(pkgs []string, graph map[string][]string) []string {
	reach := func(from string) map[string]bool {
		seen := map[string]bool{}
		stack := []string{from}
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, d := range graph[p] {
				if !seen[d] {
					seen[d] = true
					stack = append(stack, d)
				}
			}
		}
		return seen
	}
	closure := map[string]map[string]bool{}
	for _, p := range pkgs {
		closure[p] = reach(p)
	}
	var top []string
	for _, q := range pkgs {
		redundant := false
		for _, p := range pkgs {
			if p != q && closure[p][q] && (!closure[q][p] || p < q) {
				redundant = true
				break
			}
		}
		if !redundant {
			top = append(top, q)
		}
	}
	return top
}
