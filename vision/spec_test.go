package vision_test

import (
	"testing"

	"github.com/carrierarcade/kiosk/vision"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseSpec(t *testing.T) {
	ok := []struct {
		in   string
		want vision.Spec
	}{
		{"camera:0", vision.Spec{Kind: "camera", Device: 0}},
		{"camera:2", vision.Spec{Kind: "camera", Device: 2}},
		{"camera:/dev/video4", vision.Spec{Kind: "camera", Device: -1, Path: "/dev/video4"}},
		{"file:clip.avi", vision.Spec{Kind: "file", Device: -1, Path: "clip.avi", Loop: true}},
		{"file:/tmp/a b.mp4?loop=0", vision.Spec{Kind: "file", Device: -1, Path: "/tmp/a b.mp4", Loop: false}},
		{"file:x.avi?loop=1", vision.Spec{Kind: "file", Device: -1, Path: "x.avi", Loop: true}},
	}
	for _, c := range ok {
		t.Run(c.in, func(t *testing.T) {
			got, err := vision.ParseSpec(c.in)
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
			again, err := vision.ParseSpec(got.String())
			require.NoError(t, err)
			assert.Equal(t, got, again, "String gives back what ParseSpec reads")
		})
	}
	bad := map[string]string{
		"":                   "use camera:0",
		"webcam":             "use camera:0",
		"camera:":            "use camera:0",
		"camera:-1":          "0 or more",
		"camera:front":       "device node",
		"file:":              "use camera:0",
		"file:x.avi?speed=2": `unknown option "speed=2"`,
		"rtsp://host/x":      `unknown kind "rtsp"`,
		"file:?loop=0":       "no file path",
	}
	for in, msg := range bad {
		t.Run("bad "+in, func(t *testing.T) {
			_, err := vision.ParseSpec(in)
			require.Error(t, err)
			assert.Contains(t, err.Error(), msg)
		})
	}
}

func TestSpecStart(t *testing.T) {
	sp, err := vision.ParseSpec("file:a.avi?start=40&loop=0")
	if err != nil || sp.Start != 40 || sp.Loop || sp.String() != "file:a.avi?loop=0&start=40" {
		t.Fatalf("got %+v, %v", sp, err)
	}
	if _, err := vision.ParseSpec("file:a.avi?start=-1"); err == nil {
		t.Fatal("a negative start is refused")
	}
}
