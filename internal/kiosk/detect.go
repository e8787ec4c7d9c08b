package kiosk

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/carrierarcade/kiosk/booth"
	"github.com/carrierarcade/kiosk/model"
	"github.com/carrierarcade/kiosk/sight"

	"gocv.io/x/gocv"
)

// detectLine is one detection in --json output.
type detectLine struct {
	Image string     `json:"image"`
	Model string     `json:"model"`
	Label string     `json:"label"`
	Class int        `json:"class"`
	Score float64    `json:"score"`
	Box   [4]float64 `json:"box"`
}

func cmdDetect(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("detect", "detect [--model objects|faces] [--json] IMAGE...", stderr)
	which := fs.String("model", "objects", "which configured detector: objects or faces")
	asJSON := fs.Bool("json", false, "one JSON object per detection and line")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *which != "objects" && *which != "faces" {
		return fmt.Errorf("%w: --model is objects or faces, not %q", errUsage, *which)
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: name at least one image", errUsage)
	}
	l, err := c.load()
	if err != nil {
		return err
	}
	if *which == "objects" {
		l.Model.Objects.Enabled = true
	} else {
		l.Model.Faces.Enabled = true
	}
	dets, err := booth.OpenDetectors(l, *which)
	if err != nil {
		return err
	}
	defer dets.Close()
	d := dets.Objects
	if *which == "faces" {
		d = dets.Faces
	}
	name := strings.TrimSuffix(filepath.Base(d.Info().Path), ".onnx")
	// Which model runs, on stderr: stdout stays one JSON line per find.
	fmt.Fprintf(stderr, "%s\n", describeModel(d.Info()))

	img := gocv.NewMat()
	defer img.Close()
	var found []sight.Detection
	enc := json.NewEncoder(stdout)
	for _, path := range fs.Args() {
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("cannot read image %s: %v", path, err)
		}
		img.Close()
		img = gocv.IMRead(path, gocv.IMReadColor)
		if img.Empty() {
			return fmt.Errorf("cannot read image %s (missing, or not a picture OpenCV can decode)", path)
		}
		found, err = d.Detect(img, found)
		if err != nil {
			return err
		}
		for _, f := range found {
			box := [4]float64{round1(f.Box.X0), round1(f.Box.Y0), round1(f.Box.X1), round1(f.Box.Y1)}
			if *asJSON {
				if err := enc.Encode(detectLine{Image: path, Model: name, Label: f.Label, Class: f.Class,
					Score: float64(int(f.Score*1000+0.5)) / 1000, Box: box}); err != nil {
					return err
				}
				continue
			}
			fmt.Fprintf(stdout, "%s: %s %.2f [%.0f %.0f %.0f %.0f]\n", path, f.Label, f.Score, box[0], box[1], box[2], box[3])
		}
		if len(found) == 0 && !*asJSON {
			fmt.Fprintf(stdout, "%s: nothing found\n", path)
		}
	}
	return nil
}

func round1(v float32) float64 { return float64(int(v*10+0.5)) / 10 }

// describeModel names a detector's family and input size, for the log and
// 'kiosk detect'.
func describeModel(i model.Info) string {
	return fmt.Sprintf("model.%s: %s, a %s model, input %dx%d, %d classes", i.Name, i.Path, i.Kind, i.InputW, i.InputH, i.Classes)
}
