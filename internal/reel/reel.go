package reel

import (
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/sight"

	"github.com/carrierarcade/kiosk/model"
	"github.com/carrierarcade/kiosk/vision"
	"gocv.io/x/gocv"
)

// The demo reel: what the kiosk plays with no camera. People walking
// (vtest.avi) for the movement games, a face (Megamind.avi) for Head Dodge,
// and between them still pictures of things COCO knows, each held for a few
// seconds with a slow zoom, so the hunt has something to find.
const (
	reelW, reelH = 640, 480
	reelFPS      = 10.0
	stillSeconds = 6
)

// reelPart is one piece of the reel: seconds of a clip from a start
// time, or a still.
type reelPart struct {
	file    string
	from    float64
	seconds float64
	still   bool
	face    bool // a face close up, for Head Dodge
}

// Clips and stills alternate so that any minute of the reel has people
// moving, a face and things to find.
var reelParts = []reelPart{
	{"vtest.avi", 0, 12, false, false},
	{"fruits.jpg", 0, stillSeconds, true, false},
	{"right06.jpg", 0, stillSeconds, true, false},
	{"Megamind.avi", 0, 12, false, true},
	{"box.png", 0, stillSeconds, true, false},
	{"left13.jpg", 0, stillSeconds, true, false},
	{"vtest.avi", 12, 12, false, false},
	{"dog.jpg", 0, stillSeconds, true, false},
	{"messi5.jpg", 0, stillSeconds, true, false},
	{"Megamind.avi", 12, 12, false, true},
}

// ItemsFile is where the reel's item list lives beside the reel: one line
// per stretch of the reel, "LABEL<tab>FROM<tab>TO" in seconds: the COCO
// labels its stills show, "face" for its face parts, and first "reel" for
// the whole reel. The hunt asks only for these labels when the kiosk plays
// the reel, each as the reel is about to show it; Head Dodge starts on a
// face part. (A list of bare labels, from an older kiosk, still gives the
// items.)
func ItemsFile(reel string) string { return strings.TrimSuffix(reel, filepath.Ext(reel)) + ".items" }

// Write writes the reel through a temporary file and returns the
// labels the detector finds in its stills.
func Write(media, out string, det model.Detector) (items []string, err error) {
	var spans []string
	span := func(label string, from, seconds float64) {
		spans = append(spans, fmt.Sprintf("%s\t%g\t%g", label, from, from+seconds))
	}
	at := 0.0 // seconds into the reel
	tmp := out + ".partial.avi"
	w, err := gocv.VideoWriterFile(tmp, "MJPG", reelFPS, reelW, reelH, true)
	if err != nil || !w.IsOpened() {
		return nil, fmt.Errorf("cannot write the demo reel %s: %v", tmp, err)
	}
	defer func() {
		if w != nil {
			w.Close()
		}
		if err != nil {
			os.Remove(tmp)
		}
	}()
	frame := gocv.NewMatWithSize(reelH, reelW, gocv.MatTypeCV8UC3)
	defer frame.Close()
	var found []sight.Detection
	for _, p := range reelParts {
		path := filepath.Join(media, p.file)
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("demo reel: %s is missing; run 'make deps'", path)
		}
		n := int(p.seconds * reelFPS)
		if p.still {
			img := gocv.IMRead(path, gocv.IMReadColor)
			if img.Empty() {
				return nil, fmt.Errorf("demo reel: cannot read %s", path)
			}
			// An item counts when the detector finds it in the still as
			// the reel shows it, at both ends of the zoom.
			var seen [2][]string
			for k, zoom := range [2]float64{1, 0.92} {
				coverCrop(img, &frame, zoom)
				if found, err = det.Detect(frame, found); err != nil {
					img.Close()
					return nil, err
				}
				for _, d := range found {
					seen[k] = append(seen[k], d.Label)
				}
			}
			var here []string
			for _, label := range seen[0] {
				if slices.Contains(seen[1], label) && !slices.Contains(here, label) && label != "person" {
					here = append(here, label)
					span(label, at, p.seconds)
					if !slices.Contains(items, label) {
						items = append(items, label)
					}
				}
			}
			at += p.seconds
			for i := 0; i < n; i++ {
				// A slow zoom from the whole picture to 92 % of it.
				zoom := 1 - 0.08*float64(i)/float64(n)
				coverCrop(img, &frame, zoom)
				if err := w.Write(frame); err != nil {
					img.Close()
					return nil, err
				}
			}
			img.Close()
			continue
		}
		src, err := vision.OpenClip(path, true)
		if err != nil {
			return nil, err
		}
		clip := gocv.NewMat()
		var ts time.Duration
		for i := 0; i < n && err == nil; i++ {
			// Take the clip's frame at this reel frame's time, whatever
			// the clip's own frame rate.
			want := time.Duration((p.from + float64(i)/reelFPS) * float64(time.Second))
			for clip.Empty() || ts < want {
				if ts, err = src.Read(&clip); err != nil {
					break
				}
			}
			if err != nil {
				break
			}
			coverCrop(clip, &frame, 1)
			if err = w.Write(frame); err != nil {
				break
			}
		}
		clip.Close()
		src.Close()
		if err != nil {
			return nil, err
		}
		if p.face {
			span("face", at, p.seconds)
		}
		at += p.seconds
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	w = nil
	if len(items) == 0 {
		return nil, errors.New("demo reel: the detector found nothing in the stills")
	}
	list := fmt.Sprintf("reel\t0\t%g\n", at) + strings.Join(spans, "\n") + "\n"
	if err := os.WriteFile(ItemsFile(out)+".partial", []byte(list), 0o644); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, out); err != nil {
		return nil, err
	}
	return items, os.Rename(ItemsFile(out)+".partial", ItemsFile(out))
}

// coverCrop scales src to cover the reel's frame size, keeping its aspect,
// and crops the centre; zoom below 1 crops further in.
func coverCrop(src gocv.Mat, dst *gocv.Mat, zoom float64) {
	sw, sh := float64(src.Cols()), float64(src.Rows())
	s := max(reelW/sw, reelH/sh) / zoom
	cw, ch := int(reelW/s), int(reelH/s)
	x0, y0 := (src.Cols()-cw)/2, (src.Rows()-ch)/2
	region := src.Region(image.Rect(x0, y0, x0+cw, y0+ch))
	gocv.Resize(region, dst, image.Pt(reelW, reelH), 0, 0, gocv.InterpolationArea)
	region.Close()
}

// Read is what the reel spec plays shows, and when, from the item list
// beside it (see cmdReel): the hunt's items and the schedule. Its Items
// are nil when there is no list, and its schedule is zero for an older
// list of bare labels: the games then play as with a camera.
func Read(l config.Loaded, spec string) game.DemoReel {
	items, reel := readReelList(l, spec)
	reel.Items = items
	return reel
}

func readReelList(l config.Loaded, spec string) (items []string, reel game.DemoReel) {
	sp, err := vision.ParseSpec(spec)
	if err != nil || sp.Kind != "file" {
		return nil, reel
	}
	data, err := os.ReadFile(ItemsFile(l.Resolve(sp.Path)))
	if err != nil {
		return nil, reel
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(strings.TrimSpace(line), "\t")
		label := strings.TrimSpace(f[0])
		if len(f) == 3 {
			from, err1 := strconv.ParseFloat(f[1], 64)
			to, err2 := strconv.ParseFloat(f[2], 64)
			switch {
			case err1 != nil || err2 != nil || to <= from:
			case label == "reel":
				reel.Seconds = to
			default:
				reel.Spans = append(reel.Spans, game.ReelSpan{Label: label, From: from, To: to})
			}
		}
		if label != "" && sight.COCOClass(label) >= 0 && label != "person" && !slices.Contains(items, label) {
			items = append(items, label)
		}
	}
	if reel.Seconds <= 0 {
		reel = game.DemoReel{}
	}
	return items, reel
}
