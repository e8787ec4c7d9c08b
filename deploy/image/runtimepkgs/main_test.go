package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// A dpkg status file in miniature: alternatives resolve to what is
// installed, virtual packages to their provider, and libc6/libgcc-s1
// depend on each other as they really do.
const status = `Package: libc6
Status: install ok installed
Depends: libgcc-s1

Package: libgcc-s1
Status: install ok installed
Depends: libc6 (>= 2.35)

Package: libopencv-core406
Status: install ok installed
Depends: libc6 (>= 2.34), libtbb12 | libtbb2

Package: libtbb12
Status: install ok installed
Depends: libc6

Package: libopencv-videoio406
Status: install ok installed
Depends: libopencv-core406 (= 4.6.0), libavcodec59 | libavcodec-extra59

Package: libavcodec-extra59
Status: install ok installed
Provides: libavcodec59 (= 7:5.1.6)
Depends: libc6

Package: libasound2
Status: install ok installed
Pre-Depends: libc6:any

Package: removed-lib
Status: deinstall ok config-files
Depends: libc6
`

func TestTopLevel(t *testing.T) {
	path := filepath.Join(t.TempDir(), "status")
	if err := os.WriteFile(path, []byte(status), 0o644); err != nil {
		t.Fatal(err)
	}
	graph, err := readStatus(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(graph["libopencv-videoio406"], "libavcodec-extra59") {
		t.Errorf("libavcodec59 should resolve to its installed provider: %v", graph["libopencv-videoio406"])
	}
	if _, ok := graph["removed-lib"]; ok {
		t.Error("a package that is not installed is in the graph")
	}
	cases := []struct {
		name string
		in   []string
		want []string
	}{
		{"dependencies of a listed package drop out",
			[]string{"libasound2", "libavcodec-extra59", "libc6", "libgcc-s1", "libopencv-core406", "libopencv-videoio406", "libtbb12"},
			[]string{"libasound2", "libopencv-videoio406"}},
		{"of a cycle the first by name stays", []string{"libc6", "libgcc-s1"}, []string{"libc6"}},
		{"alone", []string{"libtbb12"}, []string{"libtbb12"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := topLevel(c.in, graph); !slices.Equal(got, c.want) {
				t.Errorf("topLevel(%v) = %v, want %v", c.in, got, c.want)
			}
		})
	}
}
