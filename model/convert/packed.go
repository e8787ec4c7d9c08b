package convert

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"strings"
)

// PackedFile is one file in an Emscripten file package (the .data file
// beside a *_packed_assets_loader.js): its path and its bytes' start and
// end in the data file.
type PackedFile struct {
	Name  string `json:"filename"`
	Start int64  `json:"start"`
	End   int64  `json:"end"`
}

// PackedFiles reads the file list of an Emscripten file package from its
// loader script: the JSON object the script passes to loadPackage, with
// each file's name and offsets, and the data file's size.
func PackedFiles(loader []byte) (files []PackedFile, size int64, err error) {
	const call = "loadPackage("
	i := bytes.LastIndex(loader, []byte(call))
	if i < 0 {
		return nil, 0, fmt.Errorf("no loadPackage({...}) call in it: not an Emscripten file package loader")
	}
	var meta struct {
		Files []PackedFile `json:"files"`
		Size  int64        `json:"remote_package_size"`
	}
	if err := json.NewDecoder(bytes.NewReader(loader[i+len(call):])).Decode(&meta); err != nil {
		return nil, 0, fmt.Errorf("its loadPackage call does not hold a file list: %v", err)
	}
	if len(meta.Files) == 0 {
		return nil, 0, fmt.Errorf("its file list is empty")
	}
	return meta.Files, meta.Size, nil
}

// ExtractPacked takes the file named name (its base name, or its whole
// path in the package) out of an Emscripten package's data, with the
// offsets its loader script lists. loaderName and dataName are the two
// files' names, for messages.
func ExtractPacked(loader, data []byte, name, loaderName, dataName string) ([]byte, error) {
	files, size, err := PackedFiles(loader)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", loaderName, err)
	}
	if size > 0 && size != int64(len(data)) {
		return nil, fmt.Errorf("%s is %d bytes, but %s says its package is %d: are the two from the same package?", dataName, len(data), loaderName, size)
	}
	var names []string
	for _, f := range files {
		if f.Name != name && path.Base(f.Name) != name {
			names = append(names, path.Base(f.Name))
			continue
		}
		if f.Start < 0 || f.End < f.Start || f.End > int64(len(data)) {
			return nil, fmt.Errorf("%s lists %s at bytes %d..%d, outside the %d bytes of %s", loaderName, f.Name, f.Start, f.End, len(data), dataName)
		}
		return data[f.Start:f.End], nil
	}
	return nil, fmt.Errorf("%s lists no file %q; it has %s", loaderName, name, strings.Join(names, ", "))
}
