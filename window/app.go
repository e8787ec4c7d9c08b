//go:build cgo

// Package window is the kiosk's window: the Ebitengine game that draws the
// camera picture, the detections and the overlays. It is kept apart from
// package game because Ebitengine needs a display as soon as it is loaded,
// while game's rules and layout maths must run anywhere.
package window

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"math"
	"runtime/debug"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/internal/atomicfile"
	"github.com/carrierarcade/kiosk/internal/meter"
	"github.com/carrierarcade/kiosk/link"
	"github.com/carrierarcade/kiosk/power"
	"github.com/carrierarcade/kiosk/sight"
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
)

// Budget follows the scene on screen and what the camera sees, so that
// the pipeline runs only what the scene needs and an empty booth sleeps
// lightly (kiosk.Budgeter is one).
type Budget interface {
	// Follow takes the scene and the newest observation after each update.
	Follow(sc game.Scene, obs *sight.Observation, now time.Time)
	// Idle reports whether the booth sleeps lightly, and since when.
	Idle() (bool, time.Time)
}

// Eyes is the vision side as the window sees it: the newest picture and
// observation, taken without waiting, and the draw rate the budget allows.
// vision.Pipeline is one; the window never links OpenCV itself.
type Eyes interface {
	// Picture copies the newest frame, as RGBA, into dst when it is newer
	// than frame number after; dst must hold PictureSize's W*H*4 bytes.
	Picture(dst []byte, after uint64) (sight.Frame, bool)
	// PictureSize is the newest frame's number and size.
	PictureSize() sight.Frame
	// Observe copies the latest observation and status.
	Observe(dst *sight.Observation, st *sight.Status)
	// DrawFPS is the frames a second the budget allows.
	DrawFPS() float64
	// SeesObjects is true while the object detector runs.
	SeesObjects() bool
	// SourceName names the camera or clip.
	SourceName() string
}

// Deps are what the app shows and steers, built by cmd/kiosk-window.
type Deps struct {
	// Ctx ends the app when cancelled (a signal, say).
	Ctx  context.Context
	Eyes Eyes
	// Demo is true when a clip plays instead of the camera from the start
	// (it could not be opened, or source.enabled = false): the screen says
	// so with a small badge, until the presenter turns the camera on.
	Demo bool
	Log  *slog.Logger
	// Session is the booth session the window drives and draws; Sounds
	// plays its events.
	Session *game.Session
	Sounds  *Sounds
	// Power runs the battery policy; nil when there is none.
	Power *power.Controller
	// Link is this carrier's link to the others; nil when it is off.
	Link *link.Carrier
	// Budget follows the scene on screen, so the pipeline runs only what
	// it needs; nil: whatever the pipeline was given.
	Budget Budget
	// Camera reports the camera's state; nil when the source has no
	// watchdog.
	Camera func() CameraStatus
	// Shot, when set, writes what the screen shows at a clip time to a PNG
	// file and ends the app.
	Shot *Shot
	// Meter, when set, hears of the logic ticks played and the frames
	// drawn (the health probes and metrics).
	Meter Meter
	// Setup, when set, makes the window 'kiosk setup': the keys turn the
	// camera and the screen instead of steering the session.
	Setup *SetupMode
	// BoardURL is the hub's public board page (hub.public_url): the
	// results screen shows it as a QR code; empty: no code.
	BoardURL string
}

// Meter hears what the frame loop does. It is called on the frame loop,
// so it may only do atomic work: no lock, no allocation, no I/O.
type Meter interface {
	Ticked(now time.Time, n int)
	Drawn(now time.Time)
}

// CameraStatus is what the screen shows of the camera: whether frames
// flow, and how often they stopped and came back.
type CameraStatus struct {
	Live                bool
	Outages, Recoveries int
	Reason              string // why it was last lost
	// Off is true while the camera is turned off (its device closed, the
	// demo reel playing): the screen shows a CAMERA OFF mark. OffBy is who
	// turned it last ("key K", "source.enabled = false"), Turned when.
	Off    bool
	OffBy  string
	Turned time.Time
	// StandIn is true while the demo reel plays in the camera's place
	// (off, or it could not be opened when turned on): the DEMO badge.
	StandIn bool
}

// Shot asks for a screenshot once the clip has played At.
type Shot struct {
	At  time.Duration
	Out string
}

// camera picture, the detections and the overlays.

// App is the Ebitengine game: it pulls the newest frame and observation
// each tick, never waiting for either, and draws them on a canvas that is
// turned to match the screen's mounting.
type App struct {
	cfg   game.DisplayConfig
	deps  Deps
	fonts *Fonts

	// The video stream: one byte slice and one image, rewritten only
	// when a new frame arrives.
	pixels   []byte
	frameImg *ebiten.Image
	frame    sight.Frame
	obs      sight.Observation
	status   sight.Status

	canvas        *ebiten.Image
	pixImg        *ebiten.Image // the pixelated mode's few blocks
	backdrop      *ebiten.Image // the privacy modes' dotted background, for this size
	art           sceneArt      // the moments the rules told of, for effects
	screenW       int
	screenH       int
	tick          uint64 // logic ticks played (the session's), for animation
	drawn         meter.Rate
	logicRate     float64 // rule ticks per second, measured once a second
	logicFrom     time.Time
	logicTick     uint64
	lastDrawnTick uint64
	lastStats     time.Time

	keys    []binding    // the presenter's keys as configured, for the help
	pressed []ebiten.Key // this update's new key presses
	started time.Time
	rss     uint64          // resident memory, sampled once a second
	link    link.Status     // the carrier link, sampled once a second
	news    []link.NewsItem // other carriers' news, for the ticker, likewise
	across  across          // the results' game's board across carriers, likewise
	// The carrier battle on screen, copied from the link now and then.
	battle      link.BattleView
	battleBoard battleBoard
	battleRead  time.Time
	battleHUD   battleHUD
	dayRead     time.Time // when the leaderboard's day was last read

	// The drawing, kept from frame to frame so that a frame allocates
	// nothing once warm: one drawer per kind of scene, the pause plate,
	// the kiosk's own marks, the people drawn in the privacy modes, the
	// lettering of every face used for changing figures, and the options
	// of the few whole-picture draws.
	white     *ebiten.Image // the shapes' source (see gfx)
	drawers   map[string]sceneDrawer
	frameCtx  frame
	paused    pausePlate
	hud       chrome
	people    gfx
	lettering map[letterKey]*lettering
	pictureOp ebiten.DrawImageOptions
	shrinkOp  ebiten.DrawImageOptions
	turnOp    ebiten.DrawImageOptions

	shotPixels []byte
	shotDone   bool
	probe      DrawProbe // nil but in 'kiosk bench --draw'
	err        error     // from Draw, returned by the next Update
}

// NewApp prepares the app; Run shows it.
func NewApp(cfg game.DisplayConfig, deps Deps) (*App, error) {
	fonts, err := LoadFonts()
	if err != nil {
		return nil, err
	}
	if deps.Log == nil {
		deps.Log = slog.Default()
	}
	keys, err := keyBindings(deps.Session.Keys())
	if err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, deps: deps, fonts: fonts, keys: keys, started: time.Now(),
		white: whiteImage(), lettering: map[letterKey]*lettering{}}
	a.drawers = newDrawers(a)
	if deps.BoardURL != "" {
		// The results screen's QR code of the hub's board page.
		code, err := newBoardCode(deps.BoardURL)
		if err != nil {
			return nil, err
		}
		a.drawers["results"].(*resultsDrawer).code = code
	}
	a.art.reset()
	deps.Session.SetOverlay(cfg.Overlay)
	deps.Session.Listen(a.hear)
	if deps.Sounds != nil {
		deps.Session.Listen(deps.Sounds.Play)
	}
	return a, nil
}

// Run opens the window and runs until the app quits. It must be called
// from the main goroutine.
func (a *App) Run() error {
	ebiten.SetWindowTitle("Carrier Arcade")
	ebiten.SetWindowSize(a.cfg.Width, a.cfg.Height)
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	useMonitor(a.cfg.Monitor, a.deps.Log)
	ebiten.SetFullscreen(a.cfg.Fullscreen)
	ebiten.SetTPS(a.cfg.TPS)
	// Frames skipped by the budget keep showing the last one drawn.
	ebiten.SetScreenClearedEveryFrame(false)
	ebiten.SetRunnableOnUnfocused(true)
	if a.cfg.Fullscreen {
		ebiten.SetCursorMode(ebiten.CursorModeHidden)
	}
	// Frames come when the budget asks for them, not at the display's
	// refresh rate: a frame not drawn costs nothing, not even a present.
	// (The rules keep their own clock, so they do not slow down with it.)
	ebiten.SetFPSMode(ebiten.FPSModeVsyncOffMinimum)
	// Its own context: frames must keep coming after a.deps.Ctx ends, or
	// Update would never run again to see that and end the game.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.frameClock(ctx)
	}()
	err := ebiten.RunGame(a)
	cancel()
	<-done
	if errors.Is(err, ebiten.Termination) {
		return nil
	}
	return err
}

// frameClock asks Ebitengine for a frame at the budget's draw rate.
func (a *App) frameClock(ctx context.Context) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			ebiten.ScheduleFrame()
			t.Reset(time.Duration(float64(time.Second) / max(1, a.deps.Eyes.DrawFPS())))
		}
	}
}

// Update reads the keys, takes the newest frame and observation, and lets
// the session play the logic ticks that wall time says are due.
func (a *App) Update() error {
	if a.err != nil {
		return a.err
	}
	ses := a.deps.Session
	if a.shotDone || a.deps.Ctx.Err() != nil || ses.Quitting() {
		return ebiten.Termination
	}
	a.pullFrame()
	a.deps.Eyes.Observe(&a.obs, &a.status)
	if a.deps.Setup != nil {
		a.setupFocus()
	}
	// Every key counts, bound or not: someone is at the kiosk.
	a.pressed = inpututil.AppendJustPressedKeys(a.pressed[:0])
	for _, k := range a.pressed {
		if a.deps.Setup != nil {
			a.setupKey(k)
			continue
		}
		ses.Press(k.String())
	}
	if a.deps.Setup != nil && a.deps.Setup.Done() {
		return ebiten.Termination
	}
	now := time.Now()
	if now.Sub(a.dayRead) >= time.Second {
		ses.SetDay(today()) // once a second, not a string per tick
		a.dayRead = now
	}
	played := ses.Advance(now, &a.obs)
	if a.deps.Meter != nil {
		a.deps.Meter.Ticked(now, played)
	}
	a.tick = ses.Tick()
	a.followBattle(ses.Scene(), now)
	if a.deps.Budget != nil {
		a.deps.Budget.Follow(ses.Scene(), &a.obs, now)
	}
	// Ticks come in bursts when drawing is slow, so their rate is counted
	// over whole seconds.
	if el := now.Sub(a.logicFrom); el >= time.Second {
		if !a.logicFrom.IsZero() {
			a.logicRate = float64(a.tick-a.logicTick) / el.Seconds()
		}
		a.logicFrom, a.logicTick = now, a.tick
		a.rss, _ = meter.RSS() // once a second: it reads /proc
		if a.deps.Link != nil {
			// Once a second: these copy.
			a.link, a.news = a.deps.Link.Status(), a.deps.Link.News()
			a.across = acrossBoard(a.deps.Link, ses.Scene(), a.link.Name)
		}
	}
	if now.Sub(a.lastStats) >= time.Minute {
		if !a.lastStats.IsZero() {
			a.logStats()
		}
		a.lastStats = now
	}
	if a.deps.Shot != nil && a.status.Ended && a.frame.Time < a.deps.Shot.At {
		return fmt.Errorf("screenshot: the clip ended at %.1fs, before --at %.1fs", a.frame.Time.Seconds(), a.deps.Shot.At.Seconds())
	}
	return nil
}

// pullFrame takes the newest camera frame if there is one, without waiting.
func (a *App) pullFrame() {
	info := a.deps.Eyes.PictureSize()
	if info.Seq == 0 || info.Seq == a.frame.Seq {
		return
	}
	if a.frameImg == nil || info.W != a.frame.W || info.H != a.frame.H {
		if a.frameImg != nil {
			a.frameImg.Deallocate()
		}
		a.frameImg = ebiten.NewImage(info.W, info.H)
		a.pixels = make([]byte, info.W*info.H*4)
	}
	got, ok := a.deps.Eyes.Picture(a.pixels, a.frame.Seq)
	if !ok || got.W != info.W || got.H != info.H {
		return // the size changed between the two calls; next tick
	}
	a.frameImg.WritePixels(a.pixels)
	a.frame = got
}

// showDemo says whether a clip stands in for the camera: one played since
// the start (until the presenter turns the camera on), while the camera is
// turned off, or when it could not be opened again.
func (a *App) showDemo() bool {
	if a.deps.Camera == nil {
		return a.deps.Demo
	}
	st := a.deps.Camera()
	return st.Off || st.StandIn || a.deps.Demo && st.Turned.IsZero()
}

// Layout uses the window's own pixels; the canvas follows the rotation.
// The rules hear the canvas's size, to play in what it shows.
func (a *App) Layout(outsideW, outsideH int) (int, int) {
	cw, ch := game.CanvasSize(outsideW, outsideH, a.cfg.Rotation)
	a.deps.Session.SetCanvas(game.Canvas{W: cw, H: ch})
	return outsideW, outsideH
}

// drawDue says whether this tick's frame is drawn: the budget's draw rate
// divides the fixed logic rate, so drawing less never slows the game.
func (a *App) drawDue() bool {
	fps := a.deps.Eyes.DrawFPS()
	every := uint64(max(1, math.Round(float64(a.cfg.TPS)/max(fps, 1))))
	return a.lastDrawnTick == 0 || a.tick-a.lastDrawnTick >= every
}

// Draw draws when the budget allows; otherwise the last frame stays.
func (a *App) Draw(screen *ebiten.Image) {
	sw, sh := screen.Bounds().Dx(), screen.Bounds().Dy()
	resized := sw != a.screenW || sh != a.screenH
	if !resized && !a.drawDue() && !a.shotDue() {
		return
	}
	a.lastDrawnTick = a.tick
	if a.probe != nil {
		a.probe.Drawing()
	}
	now := time.Now()
	a.drawn.Tick(now)
	if a.deps.Meter != nil {
		a.deps.Meter.Drawn(now)
	}
	a.screenW, a.screenH = sw, sh
	// Upright, the scene is drawn straight onto the screen: every full
	// screen pass costs, and a software renderer (Xvfb) feels each one.
	if a.cfg.Rotation == 0 {
		a.drawCanvas(screen)
	} else {
		cw, ch := game.CanvasSize(sw, sh, a.cfg.Rotation)
		if a.canvas == nil || a.canvas.Bounds().Dx() != cw || a.canvas.Bounds().Dy() != ch {
			if a.canvas != nil {
				a.canvas.Deallocate()
			}
			a.canvas = ebiten.NewImage(cw, ch)
		}
		a.drawCanvas(a.canvas)
		op := &a.turnOp
		*op = ebiten.DrawImageOptions{}
		op.GeoM.Translate(-float64(cw)/2, -float64(ch)/2)
		op.GeoM.Rotate(float64(a.cfg.Rotation) * math.Pi / 180)
		op.GeoM.Translate(float64(sw)/2, float64(sh)/2)
		op.Filter = ebiten.FilterNearest
		// The turned canvas covers the screen exactly: no clearing needed.
		screen.DrawImage(a.canvas, op)
	}
	a.probeDrawn(screen)
	if a.shotDue() {
		a.takeShot(screen)
	}
}

// drawCanvas draws the upright picture: the mirrored frame filling the
// canvas, the detections, the badges and the overlay.
func (a *App) drawCanvas(dst *ebiten.Image) {
	cw, ch := dst.Bounds().Dx(), dst.Bounds().Dy()
	unit := float64(min(cw, ch)) / 100 // layout unit: 1 % of the short side
	if a.frameImg == nil {
		dst.Fill(backdropWaiting)
		drawMessage(dst, &a.hud.waiting, a.fonts.Face(6*unit, false), "Waiting for the camera…")
		return
	}
	fit := game.NewFit(a.frame.W, a.frame.H, cw, ch, a.cfg.Mirror)
	a.drawPicture(dst, fit)
	if a.deps.Setup != nil {
		a.drawDetections(dst, fit, unit)
		a.drawSetup(dst, unit)
		return
	}

	a.drawSceneSafely(dst, fit, unit)
	if a.deps.Session.Overlay() {
		// The presenter sees what the detector sees, whatever the scene.
		a.drawDetections(dst, fit, unit)
	}
	if a.showDemo() {
		a.drawDemoBadge(dst, unit)
	}
	a.drawChrome(dst, unit)
	if a.status.Ended {
		drawMessage(dst, &a.hud.ended, a.fonts.Face(6*unit, false), "The clip has ended")
	}
}

// backdropWaiting is the canvas's colour before the first frame, boxed
// once for Fill.
var backdropWaiting color.Color = colorBackdrop

// drawSceneSafely draws the scene; a panic while drawing it is a failure
// of that scene, handled like one in its rules: logged with its stack, and
// the kiosk goes back to the attract screen.
func (a *App) drawSceneSafely(dst *ebiten.Image, fit game.Fit, unit float64) {
	defer func() {
		if r := recover(); r != nil {
			a.deps.Session.SceneFailed(r, string(debug.Stack()))
		}
	}()
	a.drawScene(dst, fit, unit)
}

// logStats writes one line a minute of how the kiosk keeps up, so a long
// run leaves a record.
func (a *App) logStats() {
	rss, peak := meter.RSS()
	st := &a.status
	a.deps.Log.Info("stats",
		"drawn_fps", round1(a.drawn.Value(time.Now())), "tps", round1(a.logicRate),
		"camera_fps", round1(st.CameraRate), "object_ms", round1(ms(st.Objects.Timings.Inference)),
		"object_hz", round1(st.Objects.Rate), "face_ms", round1(ms(st.Faces.Timings.Inference)),
		"face_hz", round1(st.Faces.Rate), "object_failures", st.Objects.Failures,
		"face_failures", st.Faces.Failures, "rss_mb", rss>>20, "peak_rss_mb", peak>>20)
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// shotDue is true once the clip has reached the asked time and the objects
// on screen were found on a frame at least that late.
func (a *App) shotDue() bool {
	s := a.deps.Shot
	if s == nil || a.shotDone || a.frameImg == nil || a.frame.Time < s.At {
		return false
	}
	return !a.deps.Eyes.SeesObjects() || a.obs.ObjectsFrame.Time >= s.At
}

func (a *App) takeShot(screen *ebiten.Image) {
	if err := a.savePNG(screen, a.deps.Shot.Out); err != nil {
		a.err = err
		return
	}
	a.deps.Log.Info("screenshot written", "file", a.deps.Shot.Out, "clip_time", a.frame.Time.Seconds())
	a.shotDone = true
}

// savePNG writes what the screen shows to a PNG file.
func (a *App) savePNG(screen *ebiten.Image, path string) error {
	b := screen.Bounds()
	if len(a.shotPixels) != 4*b.Dx()*b.Dy() {
		a.shotPixels = make([]byte, 4*b.Dx()*b.Dy())
	}
	screen.ReadPixels(a.shotPixels)
	img := &image.RGBA{Pix: a.shotPixels, Stride: 4 * b.Dx(), Rect: image.Rect(0, 0, b.Dx(), b.Dy())}
	return writePNG(path, img)
}

// writePNG writes atomically: a reader never sees half a picture.
func writePNG(path string, img image.Image) error {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	if err := atomicfile.Write(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("screenshot: cannot write %s: %w", path, err)
	}
	return nil
}

// across is today's board of one game across the linked carriers, as the
// results screen shows it: "Player (Carrier)" lines.
type across struct {
	game string
	top  []game.Entry
	mine int // the player's row, -1 for none
}

// acrossBoard is the board across carriers for the results on screen, if
// any; own is this carrier's name, to find the player's row.
func acrossBoard(c *link.Carrier, sc game.Scene, own string) across {
	r, ok := sc.(*game.Results)
	if !ok {
		return across{}
	}
	out := across{game: r.Game(), mine: -1}
	for i, e := range c.Board().Top(r.Game(), c.Today()) {
		out.top = append(out.top, game.Entry{Name: e.Player + " (" + e.Carrier + ")", Score: e.Score})
		if out.mine < 0 && e.Carrier == own && e.Player == r.PlayerName() && e.Score == r.Score() {
			out.mine = i
		}
	}
	return out
}
