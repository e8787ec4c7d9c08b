// Command kiosk is Carrier Arcade, an offline game kiosk for conference
// booths. It runs the commands that need no screen itself and hands run and
// screenshot to kiosk-window, installed beside it.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/carrierarcade/kiosk/internal/kiosk"
	"github.com/carrierarcade/kiosk/vision"
)

func main() {
	// OpenCV prints its own warnings for files it cannot open; the kiosk's
	// messages already name the file and the fix. OPENCV_LOG_LEVEL, when
	// set, still has its say.
	if os.Getenv("OPENCV_LOG_LEVEL") == "" {
		vision.QuietOpenCVLog()
	}
	os.Exit(kiosk.Main(os.Args[1:], os.Stdout, os.Stderr, execWindow))
}

// execWindow replaces this process with kiosk-window, so signals and the
// exit status are the window program's own.
func execWindow(_ context.Context, job kiosk.WindowJob, _ io.Writer) error {
	path, err := kiosk.WindowProgram()
	if err != nil {
		return err
	}
	argv := append([]string{path, job.Command}, job.Args...)
	if err := syscall.Exec(path, argv, os.Environ()); err != nil {
		return fmt.Errorf("starting %s: %w", path, err)
	}
	return nil
}
