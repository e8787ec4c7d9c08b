// Package record keeps a booth session as what it took in, tick by tick,
// so that it can be played again exactly: the session's setup and seed,
// the leaderboard it started from, and for each tick the parts of the
// observation that changed, the keys pressed and what the host told it.
// Never a picture: detections are boxes, labels and scores (no face
// landmarks), and motion is a grid of 32x24 numbers, from which no face or
// person could be rebuilt.
//
// The file is gzip-compressed JSON lines (see Format). The first line is
// the header, then one line per tick that took in something new, then an
// end line with the number of ticks and a digest of every event the
// session emitted, so a replay can tell that it played the same.
package record

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/sight"
)

// Format names the file type in its header; Version is the one this kiosk
// writes and reads.
const (
	Format  = "carrier-arcade-session"
	Version = 1
)

// header is the first line.
type header struct {
	Format  string                             `json:"format"`
	Version int                                `json:"version"`
	Setup   game.Setup                         `json:"setup"`
	Board   map[string]map[string][]game.Entry `json:"board,omitempty"`
	Made    string                             `json:"made,omitempty"` // wall clock, for people
}

// line is one tick's intake, or (with End set) the end.
type line struct {
	Tick     uint64            `json:"tick"`
	Day      *string           `json:"day,omitempty"`
	Keys     []string          `json:"keys,omitempty"`
	Notes    []noteRec         `json:"notes,omitempty"`
	Failures []game.Failure    `json:"failures,omitempty"`
	Start    string            `json:"start,omitempty"`
	Shutdown bool              `json:"shutdown,omitempty"`
	Battle   *game.BattleStart `json:"battle,omitempty"`
	BattleGo string            `json:"battle_go,omitempty"`
	Canvas   *game.Canvas      `json:"canvas,omitempty"`
	Obs      *obsRec           `json:"obs,omitempty"`

	End    bool   `json:"end,omitempty"`
	Events int    `json:"events,omitempty"`
	Digest string `json:"sha256,omitempty"` // of the events' JSON lines
}

// obsRec holds the parts of an observation that changed since the last
// line that had them.
type obsRec struct {
	Frame   *frameRec `json:"frame,omitempty"`
	Objects *found    `json:"objects,omitempty"`
	Faces   *found    `json:"faces,omitempty"`
	Player  *player   `json:"player,omitempty"`
	Motion  *motion   `json:"motion,omitempty"`
}

// frameRec is a sight.Frame: number, time in nanoseconds, width, height.
type frameRec [4]int64

func frameOf(f sight.Frame) *frameRec {
	return &frameRec{int64(f.Seq), int64(f.Time), int64(f.W), int64(f.H)}
}

func (r *frameRec) frame() sight.Frame {
	return sight.Frame{Seq: uint64(r[0]), Time: time.Duration(r[1]), W: int(r[2]), H: int(r[3])}
}

// found is one detector's latest result: the frame it ran on, what it
// found and the tracks.
type found struct {
	Frame  frameRec `json:"frame"`
	Dets   []det    `json:"dets,omitempty"`
	Tracks []track  `json:"tracks,omitempty"`
}

// det is a detection without its landmarks.
type det struct {
	Class int        `json:"c"`
	Label string     `json:"l"`
	Score float32    `json:"s"`
	Box   [4]float32 `json:"b"`
}

type track struct {
	ID      int  `json:"id"`
	Det     det  `json:"d"`
	Seen    int  `json:"seen"`
	Missed  int  `json:"missed,omitempty"`
	Primary bool `json:"primary,omitempty"`
}

type player struct {
	Has   bool  `json:"has"`
	Track track `json:"track"`
}

// motion is the grid: energies as steps of 1/sight.MotionLevels, base64,
// or as plain numbers when they are not such steps (scripted tests).
type motion struct {
	Frame      frameRec  `json:"frame"`
	W          int       `json:"w"`
	H          int       `json:"h"`
	Calibrated bool      `json:"calibrated"`
	Time       int64     `json:"t"`
	Levels     string    `json:"levels,omitempty"`
	Energy     []float32 `json:"energy,omitempty"`
}

// noteRec is what the host told the session, as game.Event writes a note:
// the event's own field names, so a new field needs nothing here.
type noteRec struct{ game.Event }

func (n noteRec) MarshalJSON() ([]byte, error) { return n.Event.MarshalNote() }

func (n *noteRec) UnmarshalJSON(b []byte) error { return n.Event.UnmarshalNote(b) }

func detOf(d sight.Detection) det {
	return det{Class: d.Class, Label: d.Label, Score: d.Score, Box: [4]float32{d.Box.X0, d.Box.Y0, d.Box.X1, d.Box.Y1}}
}

func (d det) detection() sight.Detection {
	return sight.Detection{Class: d.Class, Label: d.Label, Score: d.Score, Box: sight.Box{X0: d.Box[0], Y0: d.Box[1], X1: d.Box[2], Y1: d.Box[3]}}
}

func trackOf(t sight.Track) track {
	return track{ID: t.ID, Det: detOf(t.Detection), Seen: t.Seen, Missed: t.Missed, Primary: t.Primary}
}

func (t track) track() sight.Track {
	return sight.Track{ID: t.ID, Detection: t.Det.detection(), Seen: t.Seen, Missed: t.Missed, Primary: t.Primary}
}

func foundOf(frame sight.Frame, dets []sight.Detection, tracks []sight.Track) *found {
	f := &found{Frame: *frameOf(frame)}
	for _, d := range dets {
		f.Dets = append(f.Dets, detOf(d))
	}
	for _, t := range tracks {
		f.Tracks = append(f.Tracks, trackOf(t))
	}
	return f
}

func motionOf(frame sight.Frame, g *sight.MotionGrid) *motion {
	m := &motion{Frame: *frameOf(frame), W: g.W, H: g.H, Calibrated: g.Calibrated, Time: int64(g.Time)}
	levels := make([]byte, len(g.Energy))
	for i, e := range g.Energy {
		levels[i] = sight.Level(e)
		if sight.FromLevel(levels[i]) != e {
			m.Energy = slices.Clone(g.Energy)
			return m
		}
	}
	m.Levels = base64.StdEncoding.EncodeToString(levels)
	return m
}

// Writer records a session into a file. Make it with Create, hand it to
// the session's Record and its Hear to the session's Listen, and Close it
// when the session ends. Take and Hear run on the session's goroutine (the
// window's frame loop) and only encode into memory; a goroutine of the
// writer's own compresses and writes, so the game never waits on the disk.
// The first failure (a full disk, /dev/full, a value JSON cannot hold)
// stops the recording there with one ERROR line naming the file and the
// reason; the booth plays on, and Close returns that failure.
type Writer struct {
	path    string
	log     *slog.Logger
	f       *os.File
	stopped atomic.Bool // the recording failed: Take and Hear do nothing

	pending bytes.Buffer // encoded, not yet handed to the disk goroutine
	enc     *json.Encoder
	handed  time.Time // when pending was last handed over

	last   sight.Observation // as last written
	day    string
	tick   uint64 // the next tick
	digest eventDigest

	mu   sync.Mutex
	disk [][]byte // handed over, not yet written
	werr error    // the first failure, encoding's or the disk's
	wake chan struct{}
	stop chan struct{}
	done chan struct{}
}

// handEvery is how often encoded lines go to the disk goroutine, which
// writes and flushes them: a kiosk killed mid-run leaves a recording that
// holds all but its last seconds.
const handEvery = time.Second

// Create starts a recording at path (replacing any file there) of a
// session made with setup and starting from board (nil: none); log (nil:
// slog's default) hears a failure to write it.
func Create(path string, setup game.Setup, board map[string]map[string][]game.Entry, log *slog.Logger) (*Writer, error) {
	// Written in place, through a link and keeping hard links; a file
	// made read-only is kept, even from root.
	if info, err := os.Stat(path); err == nil && info.Mode().IsRegular() && info.Mode().Perm()&0o222 == 0 {
		return nil, fmt.Errorf("recording: %s is read-only (mode %v): it is left as it was; give --record another file, or 'chmod u+w %s'", path, info.Mode().Perm(), path)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("recording: %w (give --record a file in a folder the kiosk may write)", err)
	}
	w := &Writer{path: path, log: cmp.Or(log, slog.Default()), f: f, digest: newEventDigest(),
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	w.enc = json.NewEncoder(&w.pending)
	setup.Game.DataDir = local(setup.Game.DataDir)
	w.put(header{Format: Format, Version: Version, Setup: setup, Board: board, Made: time.Now().UTC().Format(time.RFC3339)})
	go w.write()
	return w, nil
}

func (w *Writer) put(v any) {
	if w.stopped.Load() {
		return
	}
	if err := w.enc.Encode(v); err != nil {
		w.fail(err)
	}
}

// fail stops the recording at its first failure, and says so once.
func (w *Writer) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.werr != nil {
		return
	}
	w.werr = err
	w.stopped.Store(true)
	w.disk = nil
	w.log.Error("recording stopped: the file cannot be written; the booth plays on without it", "file", w.path, "reason", err)
}

// hand gives what is pending to the disk goroutine.
func (w *Writer) hand() {
	if w.pending.Len() == 0 {
		return
	}
	w.mu.Lock()
	w.disk = append(w.disk, bytes.Clone(w.pending.Bytes()))
	w.mu.Unlock()
	w.pending.Reset()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// write compresses and writes what it is handed, flushing after each
// batch, until Close; a failure stops it.
func (w *Writer) write() {
	defer close(w.done)
	zw := gzip.NewWriter(w.f)
	batch := func() error {
		w.mu.Lock()
		chunks := w.disk
		w.disk = nil
		w.mu.Unlock()
		if len(chunks) == 0 || w.stopped.Load() {
			return nil
		}
		for _, c := range chunks {
			if _, err := zw.Write(c); err != nil {
				return err
			}
		}
		return zw.Flush()
	}
	for {
		select {
		case <-w.wake:
			if err := batch(); err != nil {
				w.fail(err)
			}
		case <-w.stop:
			err := batch()
			if err == nil && !w.stopped.Load() {
				err = zw.Close()
			}
			if err != nil {
				w.fail(err)
			}
			return
		}
	}
}

// Take records one tick's intake: the parts that changed.
func (w *Writer) Take(in *game.Intake) {
	if w.stopped.Load() {
		return
	}
	l := line{Tick: in.Tick, Keys: in.Keys, Failures: localFailures(in.Failures), Start: in.Start, Shutdown: in.Shutdown, Battle: in.Battle, BattleGo: in.BattleGo, Canvas: in.Canvas}
	if in.Day != w.day || in.Tick == 0 {
		day := in.Day
		l.Day, w.day = &day, in.Day
	}
	for _, n := range in.Notes {
		l.Notes = append(l.Notes, noteRec{localEvent(n)})
	}
	if in.Obs != nil {
		l.Obs = w.changes(in.Obs)
	}
	w.tick = in.Tick + 1
	if l.Day == nil && len(l.Keys) == 0 && len(l.Notes) == 0 && len(l.Failures) == 0 && l.Start == "" && !l.Shutdown && l.Battle == nil && l.BattleGo == "" && l.Canvas == nil && l.Obs == nil {
		return // nothing new: the replay plays this tick on what it has
	}
	w.put(l)
	if now := time.Now(); now.Sub(w.handed) >= handEvery {
		w.handed = now
		w.hand()
	}
}

// changes is the parts of o that differ from the last written, nil when
// none does; it remembers o as written.
func (w *Writer) changes(o *sight.Observation) *obsRec {
	var r obsRec
	last := &w.last
	if o.Frame != last.Frame {
		r.Frame = frameOf(o.Frame)
	}
	if o.ObjectsFrame != last.ObjectsFrame || !slices.Equal(o.Objects, last.Objects) || !slices.Equal(o.ObjectTracks, last.ObjectTracks) {
		r.Objects = foundOf(o.ObjectsFrame, o.Objects, o.ObjectTracks)
	}
	if o.FacesFrame != last.FacesFrame || !slices.Equal(o.Faces, last.Faces) || !slices.Equal(o.FaceTracks, last.FaceTracks) {
		r.Faces = foundOf(o.FacesFrame, o.Faces, o.FaceTracks)
	}
	if o.HasPlayer != last.HasPlayer || o.Player != last.Player {
		r.Player = &player{Has: o.HasPlayer, Track: trackOf(o.Player)}
	}
	g, lg := &o.Motion, &last.Motion
	if o.MotionFrame != last.MotionFrame || g.W != lg.W || g.H != lg.H || g.Calibrated != lg.Calibrated ||
		g.Time != lg.Time || !slices.Equal(g.Energy, lg.Energy) {
		r.Motion = motionOf(o.MotionFrame, g)
	}
	if r == (obsRec{}) {
		return nil
	}
	last.CopyFrom(o)
	return &r
}

// Hear adds an event to the digest the end line carries, as its replay
// will emit it (from notes with no folders in them).
func (w *Writer) Hear(e game.Event) {
	if !w.stopped.Load() {
		w.digest.add(localEvent(e))
	}
}

// Close writes the end line, waits for the disk goroutine and closes the
// file. The recording is whole only once Close has returned without error;
// a failure it returns has been logged already, when it happened.
func (w *Writer) Close() error {
	w.put(line{Tick: w.tick, End: true, Events: w.digest.n, Digest: w.digest.sum()})
	w.hand()
	close(w.stop)
	<-w.done
	if err := w.f.Close(); err != nil {
		w.fail(err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.werr != nil {
		return fmt.Errorf("recording %s: %w", w.path, w.werr)
	}
	return nil
}

// eventDigest counts events and hashes their JSON lines (as the simulator
// prints them): the recorder and the replay compare the two.
type eventDigest struct {
	n int
	h hash.Hash
}

func newEventDigest() eventDigest { return eventDigest{h: sha256.New()} }

func (d *eventDigest) add(e game.Event) {
	b, err := json.Marshal(e)
	if err != nil {
		return // the simulator would have failed on it too
	}
	d.n++
	d.h.Write(b)
	d.h.Write([]byte{'\n'})
}

func (d *eventDigest) sum() string { return hex.EncodeToString(d.h.Sum(nil)) }

// Recording is a recording read back: its setup, the board it started
// from, and what its end line says. Its ticks stay in the file: Replay
// reads them again as it plays, one line at a time.
type Recording struct {
	Path   string
	Setup  game.Setup
	Board  map[string]map[string][]game.Entry
	Made   string
	Ticks  uint64 // ticks the session played
	Events int    // events it emitted
	Digest string // sha256 of their JSON lines
}

// ErrRecording marks a file that is not a whole recording this kiosk can
// play: damaged, cut short, too big to be one, or from a newer kiosk.
var ErrRecording = errors.New("not a recording this kiosk can play")

// Open reads a recording through once, checking every line, and keeps its
// header and end: memory that does not grow with its length.
func Open(path string) (*Recording, error) {
	rd, h, raw, err := openReader(path)
	if err != nil {
		return nil, err
	}
	defer rd.close()
	// A recording made before the setup said whether the demo reel
	// played: the game settings tell (see game.Setup.LegacyDemo).
	var keys struct{ Setup map[string]json.RawMessage }
	if json.Unmarshal(raw, &keys) == nil {
		if _, ok := keys.Setup["demo"]; !ok {
			h.Setup.Demo = h.Setup.LegacyDemo()
		}
	}
	if h.Format != Format {
		return nil, rd.bad("it is not a %s file (format %q)", Format, h.Format)
	}
	if h.Version != Version {
		return nil, rd.bad("it is version %d and this kiosk reads version %d; play it with the kiosk that made it, or a newer one", h.Version, Version)
	}
	if h.Setup.TPS < 0 || h.Setup.TPS > 10000 {
		return nil, rd.bad("a logic rate of %d ticks a second", h.Setup.TPS)
	}
	r := &Recording{Path: path, Setup: h.Setup, Board: h.Board, Made: h.Made}
	for {
		l, err := rd.line()
		if err != nil {
			return nil, err
		}
		if l.End {
			r.Ticks, r.Events, r.Digest = l.Tick, l.Events, l.Digest
			if r.Duration() > maxDays*24*time.Hour {
				return nil, rd.bad("it says it holds %.0f days of play; a recording holds at most %d", r.Duration().Hours()/24, maxDays)
			}
			return r, nil
		}
	}
}

// cause names a gzip stream that ends early as such.
func cause(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("the file ends in the middle")
	}
	return err
}

// Duration is the game time the recording covers.
func (r *Recording) Duration() time.Duration {
	return time.Duration(r.Ticks) * (time.Second / time.Duration(max(r.Setup.TPS, 1)))
}

// Replay plays the recording through a new session (no camera, no model,
// no hardware), with listen hearing every event, and returns the session.
// It reports whether the events matched the recorded run's digest. It
// reads the file again as it plays, one line at a time; an error is a file
// that changed since Open.
func (r *Recording) Replay(listen func(game.Event)) (*game.Session, bool, error) {
	rd, _, _, err := openReader(r.Path)
	if err != nil {
		return nil, false, err
	}
	defer rd.close()
	board := game.NewLeaderboard(r.Board)
	ses := game.NewSession(r.Setup, board, game.NoHost{})
	digest := newEventDigest()
	ses.Listen(digest.add)
	if listen != nil {
		ses.Listen(listen)
	}
	var obs sight.Observation
	in := game.Intake{Obs: &obs}
	next, err := rd.line()
	for t := uint64(0); t < r.Ticks; t++ {
		if err != nil {
			return ses, false, fmt.Errorf("%w (was it changed while it played?)", err)
		}
		in.Tick, in.Keys, in.Notes, in.Failures, in.Start, in.Shutdown, in.Battle, in.BattleGo, in.Canvas = t, nil, nil, nil, "", false, nil, "", nil
		if !next.End && next.Tick == t {
			next.apply(&in, &obs)
			next, err = rd.line()
		}
		ses.Play(&in)
	}
	same := digest.n == r.Events && digest.sum() == r.Digest
	return ses, same, nil
}

// check decodes the motion grid's levels into energies, and refuses a
// line the rules could not take.
func (l *line) check() error {
	if l.Obs == nil || l.Obs.Motion == nil {
		return nil
	}
	m := l.Obs.Motion
	if m.W < 0 || m.H < 0 || m.W*m.H > 1<<16 {
		return fmt.Errorf("a motion grid of %dx%d cells", m.W, m.H)
	}
	if m.Energy == nil {
		levels, err := base64.StdEncoding.DecodeString(m.Levels)
		if err != nil {
			return fmt.Errorf("the motion grid is damaged (%v)", err)
		}
		m.Energy = make([]float32, len(levels))
		for i, q := range levels {
			m.Energy[i] = sight.FromLevel(q)
		}
	}
	if len(m.Energy) != m.W*m.H {
		return fmt.Errorf("a %dx%d motion grid with %d cells", m.W, m.H, len(m.Energy))
	}
	return nil
}

// apply sets what the line changed.
func (l *line) apply(in *game.Intake, obs *sight.Observation) {
	if l.Day != nil {
		in.Day = *l.Day
	}
	in.Keys, in.Failures, in.Start, in.Shutdown, in.Battle, in.BattleGo, in.Canvas = l.Keys, l.Failures, l.Start, l.Shutdown, l.Battle, l.BattleGo, l.Canvas
	for _, n := range l.Notes {
		in.Notes = append(in.Notes, n.Event)
	}
	o := l.Obs
	if o == nil {
		return
	}
	if o.Frame != nil {
		obs.Frame = o.Frame.frame()
	}
	if o.Objects != nil {
		obs.ObjectsFrame, obs.Objects, obs.ObjectTracks = o.Objects.apply(obs.Objects, obs.ObjectTracks)
	}
	if o.Faces != nil {
		obs.FacesFrame, obs.Faces, obs.FaceTracks = o.Faces.apply(obs.Faces, obs.FaceTracks)
	}
	if o.Player != nil {
		obs.HasPlayer, obs.Player = o.Player.Has, o.Player.Track.track()
	}
	if m := o.Motion; m != nil {
		obs.MotionFrame = m.Frame.frame()
		g := &obs.Motion
		g.W, g.H, g.Calibrated, g.Time = m.W, m.H, m.Calibrated, time.Duration(m.Time)
		g.Energy = append(g.Energy[:0], m.Energy...)
	}
}

func (f *found) apply(dets []sight.Detection, tracks []sight.Track) (sight.Frame, []sight.Detection, []sight.Track) {
	dets, tracks = dets[:0], tracks[:0]
	for _, d := range f.Dets {
		dets = append(dets, d.detection())
	}
	for _, t := range f.Tracks {
		tracks = append(tracks, t.track())
	}
	return f.Frame.frame(), dets, tracks
}
