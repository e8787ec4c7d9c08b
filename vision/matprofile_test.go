//go:build matprofile

package vision_test

import (
	"fmt"
	"os"
	"testing"

	"gocv.io/x/gocv"
)

// With gocv's matprofile tag every Mat is counted; after all the vision
// tests have run, none may be left open.
func TestMain(m *testing.M) {
	code := m.Run()
	if n := gocv.MatProfile.Count(); code == 0 && n != 0 {
		var b = new(stringsBuilder)
		gocv.MatProfile.WriteTo(b, 1)
		fmt.Fprintf(os.Stderr, "%d Mat(s) left open after the vision tests:\n%s", n, b.String())
		code = 1
	}
	os.Exit(code)
}

type stringsBuilder struct{ buf []byte }

func (s *stringsBuilder) Write(p []byte) (int, error) {
	s.buf = append(s.buf, p...)
	return len(p), nil
}
func (s *stringsBuilder) String() string { return string(s.buf) }
