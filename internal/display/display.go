// Package display stops a program that links Ebitengine, and the window's
// tests, when there is no X display to open a window on: one line saying
// what is needed, instead of the panic Ebitengine's own set-up ends in.
// Package window imports it for this alone. Go initialises it before
// Ebitengine: packages are initialised in the order of their import
// paths, each after what it imports, and this one sorts before
// github.com/hajimehoshi and imports nothing of it.
package display

import (
	"fmt"
	"os"
	"testing"
)

func init() {
	if os.Getenv("DISPLAY") != "" {
		return
	}
	if testing.Testing() {
		fmt.Fprintln(os.Stderr, "no display (DISPLAY is not set): the window tests need one; run them under Xvfb: xvfb-run -a go test ./... (make test does)")
	} else {
		fmt.Fprintln(os.Stderr, "no display (DISPLAY is not set): start the kiosk from the laptop's desktop session, or try it without a screen under 'xvfb-run -a'")
	}
	os.Exit(1)
}
