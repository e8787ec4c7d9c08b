package model

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// ErrRuntime marks a problem with the ONNX Runtime shared library itself.
var ErrRuntime = errors.New("ONNX Runtime unavailable")

// ONNX Runtime has one environment per process, so its set-up is counted
// here rather than owned by any one detector.
var env struct {
	sync.Mutex
	users int
	lib   string
}

// Runtime is a handle on the process's ONNX Runtime environment. Close it
// when done; the environment goes when the last handle does.
type Runtime struct{ once sync.Once }

// OpenRuntime loads libonnxruntime from lib (a path) and starts the
// environment, or joins the one already started.
func OpenRuntime(lib string) (*Runtime, error) {
	env.Lock()
	defer env.Unlock()
	if env.users > 0 {
		if lib != env.lib {
			return nil, fmt.Errorf("%w: already loaded from %s, cannot load %s too", ErrRuntime, env.lib, lib)
		}
		env.users++
		return &Runtime{}, nil
	}
	if err := CheckLibrary(lib); err != nil {
		return nil, fmt.Errorf("%w: model.library %v", ErrRuntime, err)
	}
	ort.SetSharedLibraryPath(lib)
	if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
		msg := err.Error()
		if strings.Contains(msg, "ORT API base") {
			return nil, fmt.Errorf("%w: model.library is %q, an ONNX Runtime too old for the kiosk (it needs 1.24 or newer); run 'make deps' for a matching one, or set it to one", ErrRuntime, lib)
		}
		return nil, fmt.Errorf("%w: model.library is %q, which ONNX Runtime could not start from (%v); run 'make deps', or set it to libonnxruntime.so 1.24 or newer", ErrRuntime, lib, err)
	}
	env.users, env.lib = 1, lib
	return &Runtime{}, nil
}

// Version is the loaded library's version string.
func (r *Runtime) Version() string { return ort.GetVersion() }

// Close releases this handle; the last one tears the environment down.
func (r *Runtime) Close() error {
	var err error
	r.once.Do(func() {
		env.Lock()
		defer env.Unlock()
		env.users--
		if env.users == 0 {
			err = ort.DestroyEnvironment()
		}
	})
	return err
}
