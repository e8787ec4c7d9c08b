package booth_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/carrierarcade/kiosk/internal/testenv"
)

// advancing are the session's methods that play ticks.
var advancing = []string{"Advance", "Step", "Play", "Shutdown"}

// mayAdvance are the packages whose code may play a session's ticks: the
// booth, its one per-frame driver; the game itself; and the replay of a
// recording, which plays what was taken in.
var mayAdvance = []string{
	"github.com/carrierarcade/kiosk/booth",
	"github.com/carrierarcade/kiosk/game",
	"github.com/carrierarcade/kiosk/game/record",
}

// listed is one package as 'go list -json' tells it.
type listed struct {
	ImportPath, Dir, Export string
	GoFiles, CgoFiles       []string
	Module                  *struct{ Path string }
}

// Nothing outside the booth drives a session frame by frame: no package of
// the kiosk but those of mayAdvance calls a method of game.Session that
// plays ticks. A second driver (a window, a simulator or a bench with its
// own loop) fails here, naming the call. The kiosk's code is type-checked
// against the export data 'go list -export' leaves in the build cache.
func TestTheBoothIsTheOnlyDriver(t *testing.T) {
	root := testenv.Root()
	cmd := exec.Command("go", "list", "-export", "-deps", "-json=ImportPath,Dir,Export,GoFiles,CgoFiles,Module", "./...")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	must(t, err == nil, "go list: %v\n%s", err, stderr.String())
	var pkgs []listed
	exports := map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		exports[p.ImportPath] = p.Export
		if p.Module != nil && p.Module.Path == "github.com/carrierarcade/kiosk" {
			pkgs = append(pkgs, p)
		}
	}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		f, ok := exports[path]
		if !ok || f == "" {
			return nil, errors.New("no export data for " + path)
		}
		return os.Open(f)
	})
	checked := 0
	var drivers []string
	for _, p := range pkgs {
		if slices.Contains(mayAdvance, p.ImportPath) {
			continue
		}
		var files []*ast.File
		for _, name := range append(p.GoFiles, p.CgoFiles...) {
			f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
		info := &types.Info{Selections: map[*ast.SelectorExpr]*types.Selection{}}
		conf := types.Config{Importer: imp, FakeImportC: true, Error: func(error) {}}
		if _, err := conf.Check(p.ImportPath, fset, files, info); err != nil {
			t.Fatalf("type-checking %s: %v", p.ImportPath, err)
		}
		checked++
		for sel, s := range info.Selections {
			if s.Kind() != types.MethodVal || !slices.Contains(advancing, s.Obj().Name()) || !isSession(s.Recv()) {
				continue
			}
			drivers = append(drivers, fset.Position(sel.Pos()).String()+": "+types.ExprString(sel))
		}
	}
	must(t, checked >= 10, "only %d packages checked", checked)
	slices.Sort(drivers)
	if len(drivers) > 0 {
		t.Errorf("the session is advanced outside the booth (drive a booth.Booth instead):\n  %s", strings.Join(drivers, "\n  "))
	}
}

// isSession is true for game.Session and a pointer to one.
func isSession(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "github.com/carrierarcade/kiosk/game" && n.Obj().Name() == "Session"
}

func must(t *testing.T, ok bool, format string, args ...any) {
	t.Helper()
	if !ok {
		t.Fatalf(format, args...)
	}
}
