//go:build cgo

package booth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/carrierarcade/kiosk/internal/atomicfile"
	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/model"
	"github.com/carrierarcade/kiosk/vision"
)

// How the camera's mounting is looked at: this many frames, one every
// mountGap, from mountDelay after the start (the camera's exposure
// settles first).
const (
	mountFrames = 10
	mountGap    = 1500 * time.Millisecond
	mountDelay  = 3 * time.Second
)

// mountFile is the file in game.data_dir that keeps what the mount check
// found, so that a camera is looked at once, not on every start. Deleting
// it makes the next start look again.
const mountFile = "mount-check.json"

// The verdicts a look can reach.
const (
	mountUpright = "upright"
	mountTurned  = "turned"
)

// mountVerdict is what a look at a camera's first frames found, as kept in
// mountFile.
type mountVerdict struct {
	Camera   string    `json:"camera"`   // the source spec looked at, as vision.Spec.String gives it
	Verdict  string    `json:"verdict"`  // mountUpright or mountTurned
	Rotation int       `json:"rotation"` // the source.rotation to set; 0 when upright
	Frames   int       `json:"frames"`
	People   [4]int    `json:"people"` // as given and turned 90, 180, 270 degrees (vision.MountTally)
	LookedAt time.Time `json:"looked_at"`
}

// verdictOf is the verdict a tally reaches, if any: nobody in view, or no
// way round clearly ahead, is none.
func verdictOf(camera string, t vision.MountTally, at time.Time) (mountVerdict, bool) {
	v := mountVerdict{Camera: camera, Frames: t.Frames, People: t.People, LookedAt: at}
	if rot, ok := t.Hint(); ok {
		v.Verdict, v.Rotation = mountTurned, rot
		return v, true
	}
	if t.Upright() {
		v.Verdict = mountUpright
		return v, true
	}
	return mountVerdict{}, false
}

// valid refuses a file that parses but could not have been written by
// verdictOf (edited by hand, or from another version).
func (v mountVerdict) valid() error {
	switch {
	case v.Camera == "":
		return errors.New("no camera")
	case v.Verdict == mountUpright && v.Rotation == 0:
	case v.Verdict == mountTurned && (v.Rotation == 90 || v.Rotation == 180 || v.Rotation == 270):
	default:
		return fmt.Errorf("verdict %q with rotation %d", v.Verdict, v.Rotation)
	}
	return nil
}

// mountCheck is the mount check of one start, for a camera whose
// orientation is not set.
type mountCheck struct {
	camera  string // the source spec, normalised
	file    string // mountFile in the data folder
	dataDir string // game.data_dir as configured, for messages
	// look looks at the camera's first frames; a tally of fewer than
	// frames (the kiosk closing) is not a verdict.
	look   func(ctx context.Context) vision.MountTally
	frames int
	now    func() time.Time
	log    *slog.Logger
}

// start tells the verdict kept for this camera again, at once, without
// looking; with none it looks in a goroutine and keeps what it finds. stop
// ends the look early and waits for it.
func (m mountCheck) start(ctx context.Context) (stop func()) {
	if v, ok := m.load(); ok && v.Camera == m.camera {
		m.tell(v, true)
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tally := m.look(ctx)
		v, ok := verdictOf(m.camera, tally, m.now())
		if !ok {
			m.log.Debug("the camera's mounting is not clear yet; the next start looks again", "frames", tally.Frames, "people", tally.People)
			return
		}
		m.tell(v, false)
		if tally.Frames >= m.frames {
			m.save(v)
		}
	}()
	return func() { cancel(); <-done }
}

// tell logs a verdict: a turned camera at warning, naming the key to set.
func (m mountCheck) tell(v mountVerdict, kept bool) {
	attrs := []any{"frames", v.Frames, "people", v.People}
	if kept {
		attrs = append(attrs, "looked_at", v.LookedAt.Format(time.DateOnly), "file", m.file)
	}
	if v.Verdict == mountUpright {
		m.log.Debug("the camera's mounting looks upright", attrs...)
		return
	}
	msg := "the camera seems mounted turned: it finds people only when its frames are turned; set source.rotation (or run 'kiosk setup')"
	if kept {
		msg += "; as found when it was looked at on " + v.LookedAt.Format(time.DateOnly) + " (delete the file to look again)"
	}
	m.log.Warn(msg, append([]any{"source.rotation", v.Rotation, "set", "--set source.rotation=" + strconv.Itoa(v.Rotation)}, attrs...)...)
}

// load reads the kept verdict. A file missing is the first start; one that
// cannot be read or parsed is as good as missing (the check looks again
// and writes it anew).
func (m mountCheck) load() (mountVerdict, bool) {
	data, err := os.ReadFile(m.file)
	if errors.Is(err, fs.ErrNotExist) {
		return mountVerdict{}, false
	}
	var v mountVerdict
	if err == nil {
		err = json.Unmarshal(data, &v)
	}
	if err == nil {
		err = v.valid()
	}
	if err != nil {
		m.log.Debug("the mount check's file is not read; the camera is looked at again", "file", m.file, "err", err)
		return mountVerdict{}, false
	}
	return v, true
}

// save keeps a verdict. A failure costs only a look on the next start, so
// it is a warning, once, naming what to fix.
func (m mountCheck) save(v mountVerdict) {
	data, err := json.MarshalIndent(v, "", "  ")
	if err == nil {
		err = os.MkdirAll(filepath.Dir(m.file), 0o755)
	}
	if err == nil {
		err = atomicfile.Write(m.file, append(data, '\n'), 0o644)
	}
	if err != nil {
		m.log.Warn("the mount check's verdict is not kept, so the next start looks at the camera again; make game.data_dir writable",
			"file", m.file, "game.data_dir", m.dataDir, "err", err)
	}
}

// cameraMountCheck is the mount check of camera sp, kept in l's data folder.
func cameraMountCheck(l config.Loaded, sp vision.Spec, log *slog.Logger) mountCheck {
	return mountCheck{camera: sp.String(), file: filepath.Join(l.Resolve(l.Game.DataDir), mountFile), dataDir: l.Game.DataDir, log: log}
}

// mountDetector is a person detector of the mount check's own, on the
// runtime dets opened: a light one, beside the pipeline's.
func mountDetector(l config.Loaded, dets *Detectors) (model.Detector, error) {
	cfg := l.Model.Objects
	cfg.Threads, cfg.Classes = 1, []string{"person"}
	return model.Open(dets.rt, "objects", l.Resolve(cfg.Path), cfg)
}

// WatchMount checks, once per camera, whether a camera whose orientation
// is not set (source.rotation 0, no flip) is mounted turned: a person
// detector of its own looks at its first frames, upright and turned, and
// when people are found only turned it says so in the log and names the
// key to set. A verdict is kept in game.data_dir (mountFile); later starts
// with the same camera tell a turned one again from there without looking,
// and say nothing for an upright one. It does nothing for a clip, the
// demo, or a camera already set. stop ends it early and waits for it.
func WatchMount(ctx context.Context, l config.Loaded, spec string, dets *Detectors, c *vision.Capture, log *slog.Logger) (stop func()) {
	sp, err := parseSpec(spec)
	if err != nil || sp.Kind != "camera" || !l.Source.Enabled || !l.Source.Orientation().Upright() ||
		dets.rt == nil || dets.Objects == nil {
		return func() {}
	}
	look := func(ctx context.Context) vision.MountTally {
		t := time.NewTimer(mountDelay)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return vision.MountTally{}
		case <-t.C:
		}
		det, err := mountDetector(l, dets)
		if err != nil {
			log.Debug("the camera's mounting is not looked at", "err", err)
			return vision.MountTally{}
		}
		defer det.Close()
		return vision.CheckMount(ctx, c, det, mountFrames, mountGap)
	}
	m := cameraMountCheck(l, sp, log)
	m.look, m.frames, m.now = look, mountFrames, time.Now
	return m.start(ctx)
}

// KeepMountLooked records that the presenter looked at the camera spec in
// 'kiosk setup' and kept its frames as given (rotation 0, no flip): the
// mount check's verdict becomes upright, so a turned verdict found before
// (a crowd walking past upside down in a poster, say) no longer warns at
// every start. Nothing for a clip, or a camera kept turned (the check
// does not run then).
func KeepMountLooked(l config.Loaded, spec string, o vision.Orientation, log *slog.Logger) {
	sp, err := parseSpec(spec)
	if err != nil || sp.Kind != "camera" || !o.Upright() {
		return
	}
	m := cameraMountCheck(l, sp, log)
	m.save(mountVerdict{Camera: m.camera, Verdict: mountUpright, LookedAt: time.Now()})
}
