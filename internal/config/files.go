package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/carrierarcade/kiosk/internal/check"
	"github.com/carrierarcade/kiosk/model"
	"github.com/carrierarcade/kiosk/vision"
	"gocv.io/x/gocv"
)

// clipFile is a clip (a file source) a command will open, by its key.
type clipFile struct {
	key, spec string
	sp        vision.Spec
}

// clipFiles are the clips among clips (key to source spec), in the order
// problems are listed: a camera is not a file, and a spec that does not
// parse is said by validation or the flag's own check.
func clipFiles(clips map[string]string) []clipFile {
	var out []clipFile
	for _, key := range []string{"source.spec", "source.demo", "--source"} {
		spec, ok := clips[key]
		if !ok {
			continue
		}
		if sp, err := vision.ParseSpec(spec); err == nil && sp.Kind == "file" {
			out = append(out, clipFile{key: key, spec: spec, sp: sp})
		}
	}
	return out
}

// FileProblems checks the files a command will open, by their keys: the
// ONNX Runtime library and the model of each enabled slot in slots
// (model.Slot names: "objects", "faces", "pose detector", ...), and each
// clip in clips (key to source spec; a camera is not looked at). It only
// looks at the files (existence, kind, ELF symbols), so every command can
// afford it before it starts.
func (l Loaded) FileProblems(slots []string, clips map[string]string) check.Problems {
	var ps check.Problems
	lib := false
	for _, s := range l.Model.Slots() {
		if !slices.Contains(slots, s.Name) || !s.Enabled || s.Path == "" {
			continue
		}
		if !lib && l.Model.Library != "" {
			lib = true
			l.addFileProblem(&ps, "model.library", l.Model.Library, model.CheckLibrary)
		}
		l.addFileProblem(&ps, s.Key, s.Path, model.CheckModelFile)
	}
	for _, c := range clipFiles(clips) {
		l.addFileProblem(&ps, c.key, c.sp.Path, func(path string) error {
			if err := vision.CheckClipFile(path); err != nil {
				return fmt.Errorf("is %q: the clip %v", c.spec, err)
			}
			return nil
		})
	}
	return ps
}

// FileProblem runs a file check on a configured path, as check-config
// does, keyed ('kiosk models list' reports each slot with it).
func (l Loaded) FileProblem(look func(string) error, key, value string) check.Problems {
	var ps check.Problems
	l.addFileProblem(&ps, key, value, look)
	return ps
}

// addFileProblem runs check on the resolved path; its message names the
// resolved path, which is shown beside the value as written.
func (l Loaded) addFileProblem(ps *check.Problems, key, value string, check func(string) error) {
	path := l.Resolve(value)
	if err := check(path); err != nil {
		msg := err.Error()
		if path != value {
			msg = strings.Replace(msg, fmt.Sprintf("%q", path), fmt.Sprintf("%q (%s)", value, path), 1)
		}
		ps.Addf(key, "%s", msg)
	}
}

// where says where key was set: the config file's line, "from --set", a
// command line flag, or a default.
func (l Loaded) where(p check.Problem) string {
	switch {
	case strings.HasPrefix(p.Key, "--"):
		return ""
	case setBy(l.fromSet, p.Key):
		return " (from --set)"
	}
	if n, ok := lineOf(l.lines, p.Key); ok && l.Path != "" {
		return fmt.Sprintf(" (%s line %d)", l.Path, n)
	}
	if l.Path != "" {
		return " (" + l.Path + ")"
	}
	return " (the default; no config file)"
}

// ProblemsErr is problems as a configuration error, each with where it
// was set.
func (l Loaded) ProblemsErr(ps check.Problems) error {
	if len(ps) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrConfig, listProblems(ps, l.where))
}

// KeyedProblem turns a model or runtime error whose text names a key
// ("model.objects.path is ...") into a problem under that key, so it is
// placed in the config like any other; other errors come back as they are.
func KeyedProblem(err error, keys ...string) (check.Problem, bool) {
	msg := err.Error()
	for _, e := range []error{model.ErrModel, model.ErrRuntime} {
		msg = strings.TrimPrefix(msg, e.Error()+": ")
	}
	for _, k := range keys {
		if rest, ok := strings.CutPrefix(msg, k+" "); ok {
			return check.Problem{Key: k, Msg: rest}, true
		}
	}
	return check.Problem{}, false
}

// CheckDeep opens what check-config cannot judge by looking: it loads ONNX
// Runtime and reads each enabled model's tensors (the family and the slot,
// as the kiosk does at start, and as 'kiosk models list' does for the body
// and hand models), and opens each clip and reads a frame.
func (l Loaded) CheckDeep(clips map[string]string) check.Problems {
	var ps check.Problems
	var rt *model.Runtime
	for _, s := range l.Model.Slots() {
		if !s.Enabled {
			continue
		}
		if rt == nil {
			var err error
			if rt, err = model.OpenRuntime(l.Resolve(l.Model.Library)); err != nil {
				p, ok := KeyedProblem(err, "model.library")
				if !ok {
					p = check.Problem{Key: "model.library", Msg: err.Error()}
				}
				return append(ps, p)
			}
			defer rt.Close()
		}
		var err error
		if s.Name == model.SlotObjects || s.Name == model.SlotFaces {
			_, err = model.Inspect(rt, s.Name, l.Resolve(s.Path))
		} else {
			_, err = model.InspectSlot(rt, s, l.Resolve(s.Path))
		}
		if err != nil {
			p, ok := KeyedProblem(err, s.Key)
			if !ok {
				p = check.Problem{Key: s.Key, Msg: err.Error()}
			}
			ps = append(ps, p)
		}
	}
	for _, c := range clipFiles(clips) {
		if err := readOneFrame(l, c.sp); err != nil {
			ps.Addf(c.key, "is %q: %v", c.spec, strings.TrimPrefix(err.Error(), vision.ErrSource.Error()+": "))
		}
	}
	return ps
}

func readOneFrame(l Loaded, sp vision.Spec) error {
	src, err := vision.Open(sp, l.Source, l.Base)
	if err != nil {
		return err
	}
	defer src.Close()
	frame := gocv.NewMat()
	defer frame.Close()
	if _, err := src.Read(&frame); err != nil {
		if errors.Is(err, vision.ErrEnd) {
			return fmt.Errorf("the clip %s has no frames", sp.Path)
		}
		return err
	}
	return nil
}

// SourceFor is the [source] settings for opening spec: the camera's
// orientation applies to everything but the demo clip, which is made
// upright.
func (l Loaded) SourceFor(spec string) vision.SourceConfig {
	cfg := l.Source
	if l.IsDemo(spec) {
		cfg.Rotation, cfg.Flip = 0, false
	}
	return cfg
}

// IsDemo is true when spec plays the demo clip (source.demo), looped or not.
func (l Loaded) IsDemo(spec string) bool {
	sp, err := vision.ParseSpec(spec)
	demo, derr := vision.ParseSpec(l.Source.Demo)
	return err == nil && derr == nil && sp.Kind == "file" && demo.Kind == "file" &&
		filepath.Clean(l.Resolve(sp.Path)) == filepath.Clean(l.Resolve(demo.Path))
}
