package kiosk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/carrierarcade/kiosk/internal/atomicfile"
	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/model"
	"github.com/carrierarcade/kiosk/model/convert"
	"github.com/carrierarcade/kiosk/model/onnx"
)

const modelsUsage = "models convert --from FILE.tflite --out FILE.onnx [--package NAME@VERSION] [--file PATH] | " +
	"models extract --loader NAME_loader.js --name FILE.tflite --out FILE.tflite | models list [--json]"

// cmdModels converts MediaPipe's TFLite models to ONNX, takes the ones
// packed in an Emscripten file package out of it, and lists the models the
// configuration names.
func cmdModels(_ context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: %s", errUsage, modelsUsage)
	}
	switch args[0] {
	case "convert":
		return modelsConvert(args[1:], stdout, stderr)
	case "extract":
		return modelsExtract(args[1:], stdout, stderr)
	case "list":
		return modelsList(args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprintf(stderr, "usage: kiosk %s\n", strings.ReplaceAll(modelsUsage, " | ", "\n       kiosk "))
		return flag.ErrHelp
	}
	return fmt.Errorf("%w: kiosk models has no %q; %s", errUsage, args[0], modelsUsage)
}

func modelsConvert(args []string, stdout, stderr io.Writer) error {
	fs := fileFlags("models convert", "models convert --from FILE.tflite --out FILE.onnx [--package NAME@VERSION] [--file PATH]", stderr)
	from := fs.String("from", "", "the TFLite model to convert")
	out := fs.String("out", "", "the ONNX file to write (replaced whole; left as it is when it is up to date)")
	pkg := fs.String("package", "", "the package the model came from, NAME@VERSION (for example @mediapipe/pose@0.5.1675469404), recorded in the ONNX file")
	file := fs.String("file", "", "the model's path inside its package, recorded in the ONNX file (default: --from's file name)")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	if *from == "" || *out == "" {
		return fmt.Errorf("%w: kiosk models convert needs --from FILE.tflite and --out FILE.onnx", errUsage)
	}
	origin := convert.Origin{File: *file}
	if *pkg != "" {
		// A scoped npm name starts with @: the version follows the last.
		i := strings.LastIndex(*pkg, "@")
		if i <= 0 || i == len(*pkg)-1 {
			return fmt.Errorf("%w: --package is %q; give NAME@VERSION, for example @mediapipe/pose@0.5.1675469404", errUsage, *pkg)
		}
		origin.Package, origin.Version = (*pkg)[:i], (*pkg)[i+1:]
	}
	src, err := readModelSource(*from)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(src)
	if upToDate(*out, hex.EncodeToString(sum[:]), origin) {
		fmt.Fprintf(stdout, "%s is up to date (converted from %s, sha256 %s, by converter %s)\n", *out, *from, hex.EncodeToString(sum[:8]), convert.Version)
		return nil
	}
	start := time.Now()
	data, err := convert.Convert(src, *from, origin)
	if err != nil {
		// The message names the file and the operator; the package's
		// error kind in front of it says nothing more.
		msg := strings.TrimPrefix(strings.TrimPrefix(err.Error(), convert.ErrDamaged.Error()+": "), convert.ErrUnsupported.Error()+": ")
		return errors.New(msg)
	}
	took := time.Since(start)
	if err := atomicfile.Write(*out, data, 0o644); err != nil {
		return fmt.Errorf("cannot write %s: %v", *out, err)
	}
	got := sha256.Sum256(data)
	fmt.Fprintf(stdout, "wrote %s (%d bytes, sha256 %s) from %s in %s\n", *out, len(data), hex.EncodeToString(got[:]), *from, took.Round(time.Millisecond))
	return nil
}

// fileFlags is a flag set for a command that works on files alone: it
// reads no configuration, so it takes no --config or --set.
func fileFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: kiosk %s\n\nflags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// readModelSource reads a file to convert, with a message naming it.
func readModelSource(path string) ([]byte, error) {
	info, err := os.Stat(path)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: --from %s cannot be read (%v); give a .tflite file ('make models' fetches MediaPipe's)", errUsage, path, unwrapPathErr(err))
	case info.IsDir():
		return nil, fmt.Errorf("%w: --from %s is a folder; give the .tflite file itself", errUsage, path)
	case !info.Mode().IsRegular():
		return nil, fmt.Errorf("%w: --from %s is not a plain file", errUsage, path)
	case info.Size() > 1<<30:
		return nil, fmt.Errorf("%w: --from %s is %d bytes; the converter takes models up to 1 GiB", errUsage, path, info.Size())
	}
	return os.ReadFile(path)
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// upToDate reports whether the ONNX file at path was converted from the
// same source bytes and origin by this converter's version.
func upToDate(path, sha string, o convert.Origin) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	h, err := onnx.ReadHeader(data)
	if err != nil {
		return false
	}
	same := func(key, v string) bool { return v == "" || h.Get(key) == v }
	return h.Get(convert.KeySHA256) == sha && h.Get(convert.KeyConverterVersion) == convert.Version &&
		same(convert.KeyPackage, o.Package) && same(convert.KeyPackageVersion, o.Version) && same(convert.KeyFile, o.File)
}

func modelsExtract(args []string, stdout, stderr io.Writer) error {
	fs := fileFlags("models extract", "models extract --loader NAME_loader.js [--data NAME.data] --name FILE.tflite --out FILE.tflite", stderr)
	loader := fs.String("loader", "", "the Emscripten file package's loader script (for example pose_solution_packed_assets_loader.js)")
	dataPath := fs.String("data", "", "its data file (default: beside the loader, NAME.data for NAME_loader.js)")
	name := fs.String("name", "", "the file to take out (for example pose_detection.tflite)")
	out := fs.String("out", "", "where to write it")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	if *loader == "" || *name == "" || *out == "" {
		return fmt.Errorf("%w: kiosk models extract needs --loader, --name and --out", errUsage)
	}
	if *dataPath == "" {
		*dataPath = strings.TrimSuffix(*loader, "_loader.js") + ".data"
	}
	js, err := os.ReadFile(*loader)
	if err != nil {
		return fmt.Errorf("%w: --loader %s cannot be read (%v)", errUsage, *loader, unwrapPathErr(err))
	}
	data, err := os.ReadFile(*dataPath)
	if err != nil {
		return fmt.Errorf("%w: the package's data file %s cannot be read (%v); give it with --data", errUsage, *dataPath, unwrapPathErr(err))
	}
	file, err := convert.ExtractPacked(js, data, *name, *loader, *dataPath)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(*out, file, 0o644); err != nil {
		return fmt.Errorf("cannot write %s: %v", *out, err)
	}
	sum := sha256.Sum256(file)
	fmt.Fprintf(stdout, "wrote %s (%d bytes, sha256 %s) from %s\n", *out, len(file), hex.EncodeToString(sum[:]), *dataPath)
	return nil
}

// modelRow is one model slot in 'kiosk models list'.
type modelRow struct {
	Slot   string `json:"slot"`
	Key    string `json:"key"`
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	Family string `json:"family"`
	Source string `json:"source"`
	Loads  bool   `json:"loads"`
	// Problem says why it does not load or does not fit its slot.
	Problem string `json:"problem,omitempty"`
}

func modelsList(args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("models list", "models list [--json] [--config FILE] [--set k=v]...", stderr)
	asJSON := fs.Bool("json", false, "one JSON object per model and line")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	l, err := c.load()
	if err != nil {
		return err
	}
	var rt *model.Runtime
	var rtErr error
	if p := l.FileProblem(model.CheckLibrary, "model.library", l.Model.Library); len(p) > 0 {
		rtErr = p.Err()
	} else if rt, rtErr = model.OpenRuntime(l.Resolve(l.Model.Library)); rtErr == nil {
		defer rt.Close()
	}
	rows := make([]modelRow, 0, 6)
	for _, s := range l.Model.Slots() {
		rows = append(rows, describeSlot(rt, rtErr, l, s))
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SLOT\tFAMILY\tLOADS\tSOURCE\tSIZE\tSHA256\tFILE")
	for _, r := range rows {
		loads := "yes"
		if !r.Loads {
			loads = "no"
		}
		sum := r.SHA256
		if len(sum) > 12 {
			sum = sum[:12]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", r.Slot, r.Family, loads, r.Source, r.Size, sum, r.File)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range rows {
		if r.Problem != "" {
			fmt.Fprintf(stdout, "%s: %s\n", r.Slot, r.Problem)
		}
	}
	return nil
}

// describeSlot looks at one slot's file: its bytes (size, sha256, the
// source its metadata records) in pure Go, then what ONNX Runtime makes
// of it (whether it loads, its family).
func describeSlot(rt *model.Runtime, rtErr error, l config.Loaded, s model.Slot) modelRow {
	path := l.Resolve(s.Path)
	r := modelRow{Slot: s.Name, Key: s.Key, File: path, Family: "unknown", Source: "unknown"}
	if ps := l.FileProblem(model.CheckModelFile, s.Key, s.Path); len(ps) > 0 {
		r.Problem = strings.TrimPrefix(ps[0].Error(), s.Key+": ")
		return r
	}
	data, err := os.ReadFile(path)
	if err != nil {
		r.Problem = err.Error()
		return r
	}
	sum := sha256.Sum256(data)
	r.SHA256, r.Size = hex.EncodeToString(sum[:]), int64(len(data))
	r.Source = modelSource(data)
	if rt == nil {
		r.Problem = "not loaded: " + rtErr.Error()
		return r
	}
	info, err := model.InspectSlot(rt, s, path)
	if info.Kind != "" {
		r.Family = string(info.Kind)
	}
	r.Loads = info.TensorSummary != ""
	if err != nil {
		r.Problem = strings.TrimPrefix(strings.TrimPrefix(err.Error(), model.ErrModel.Error()+": "), s.Key+" ")
	}
	if !s.Enabled && r.Problem == "" {
		r.Problem = "turned off (enabled = false)"
	}
	return r
}

// modelSource is where a model came from, as its metadata records it: the
// package, its version and the file for a converted model; "unknown" for
// a file that says nothing.
func modelSource(data []byte) string {
	h, err := onnx.ReadHeader(data)
	if err != nil {
		return "unknown"
	}
	pkg, ver, file := h.Get(convert.KeyPackage), h.Get(convert.KeyPackageVersion), h.Get(convert.KeyFile)
	if pkg == "" && file == "" {
		return "unknown"
	}
	if pkg == "" {
		pkg = "unknown"
	}
	src := pkg
	if ver != "" && ver != "unknown" {
		src += "@" + ver
	}
	if file != "" {
		src += " " + file
	}
	return src
}
