// Command kiosk is Carrier Arcade, an offline game kiosk for conference
// booths. It runs the commands that need no screen itself and hands run and
// screenshot to kiosk-window, installed beside it.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"

	"github.com/carrierarcade/kiosk/internal/kiosk"
)

func main() {
	// OpenCV prints its own warnings for files it cannot open; the kiosk's
	// messages already name the file and the fix.
	if os.Getenv("OPENCV_LOG_LEVEL") == "" {
		os.Setenv("OPENCV_LOG_LEVEL", "FATAL")
	}
	os.Exit(kiosk.Main(os.Args[1:], os.Stdout, os.Stderr, execWindow))
}

// execWindow replaces this process with kiosk-window, so signals and the
// exit status are the window program's own.
func execWindow(_ context.Context, job kiosk.WindowJob, _ io.Writer) error {
	path, err := windowProgram()
	if err != nil {
		return err
	}
	argv := append([]string{path, job.Command}, job.Args...)
	if err := syscall.Exec(path, argv, os.Environ()); err != nil {
		return fmt.Errorf("starting %s: %w", path, err)
	}
	return nil
}

// windowProgram finds kiosk-window beside this program, else on PATH.
func windowProgram() (string, error) {
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), "kiosk-window")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if p, err := exec.LookPath("kiosk-window"); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("kiosk-window, the program that opens the screen, is not beside kiosk nor on PATH; build both with 'make build'")
}
