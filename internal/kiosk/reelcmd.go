package kiosk

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/carrierarcade/kiosk/booth"
	"github.com/carrierarcade/kiosk/internal/reel"
)

func cmdReel(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("reel", "reel --media DIR --out FILE.avi", stderr)
	media := fs.String("media", ".cache/media", "folder with the Debian-package pictures and clips (make deps)")
	out := fs.String("out", ".cache/media/demo-reel.avi", "the reel to write; its item list goes beside it (.items)")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	l, err := c.load()
	if err != nil {
		return err
	}
	l.Model.Objects.Enabled = true
	dets, err := booth.OpenDetectors(l, "objects")
	if err != nil {
		return err
	}
	defer dets.Close()
	items, err := reel.Write(*media, *out, dets.Objects)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s; its stills show: %s\n", *out, strings.Join(items, ", "))
	return nil
}
