//go:build cgo

// Package window is the kiosk's window: the Ebitengine game that draws the
// booth (package booth) from its snapshot: the camera picture, the scene,
// the detections and the overlays. It decides nothing the rules decide and
// calls neither the link nor the budget. It is kept apart from package
// game because Ebitengine needs a display as soon as it is loaded, while
// the rules must run anywhere.
package window

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"log/slog"
	"math"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/carrierarcade/kiosk/booth"
	"github.com/carrierarcade/kiosk/game"
	_ "github.com/carrierarcade/kiosk/internal/display" // before Ebitengine: one line without a display
	"github.com/carrierarcade/kiosk/sight"
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
)

// Booth is the running kiosk as the window drives it (*booth.Booth is
// one): advanced once per update, told of keys, the canvas and the frames
// drawn.
type Booth interface {
	Tick(now time.Time) *booth.Snapshot
	Snapshot() *booth.Snapshot
	Press(key string)
	SetCanvas(c game.Canvas)
	SetOverlay(on bool)
	Listen(f func(game.Event))
	Drawn(now time.Time)
	SceneFailed(cause any, stack string)
	Keys() game.KeyConfig
}

// Picture is the newest camera frame, taken without waiting.
// vision.Pipeline and vision.Stepper are Pictures; the window never links
// OpenCV itself.
type Picture interface {
	// Picture copies the newest frame, as RGBA, into dst when it is newer
	// than frame number after; dst must hold PictureSize's W*H*4 bytes.
	Picture(dst []byte, after uint64) (sight.Frame, bool)
	// PictureSize is the newest frame's number and size.
	PictureSize() sight.Frame
}

// Deps are what the window draws and steers, built by cmd/kiosk-window.
type Deps struct {
	// Ctx ends the window when cancelled (a signal, say).
	Ctx     context.Context
	Booth   Booth
	Picture Picture
	Log     *slog.Logger
	// Sounds plays the booth's events; nil: silent.
	Sounds *Sounds
	// Shot, when set, writes what the screen shows at a clip time to a PNG
	// file and ends the window.
	Shot *Shot
	// Setup, when set, makes the window 'kiosk setup': the keys turn the
	// camera and the screen instead of steering the booth.
	Setup *SetupMode
	// BoardURL is the hub's public board page (hub.public_url): the
	// results screen shows it as a QR code; empty: no code.
	BoardURL string
	// Timedemo draws every update's frame at once, as fast as frames are
	// drawn: the booth is on clip time (a Feed), so a clip costs what its
	// frames cost to compute, not its length.
	Timedemo bool
}

// App is the Ebitengine game: each update it advances the booth and takes
// the newest frame, never waiting for either, and draws the snapshot on a
// canvas turned to match the screen's mounting.
type App struct {
	cfg  game.DisplayConfig
	deps Deps
	snap *booth.Snapshot

	pic    picture
	ts     *typeset
	scenes *scenes
	hud    *chrome
	people *people
	shot   shooter
	setup  *setupDrawer // nil but in 'kiosk setup'
	screen screen

	pressed []ebiten.Key // this update's new key presses
	fps     atomic.Uint64
	err     error // from Draw, returned by the next Update
}

// picture is the video stream: one byte slice and one image, rewritten
// only when a new frame arrives.
type picture struct {
	pixels []byte
	img    *ebiten.Image
	frame  sight.Frame
}

// screen is what the window keeps of the screen itself: its size, the
// turned canvas and when a frame was last drawn.
type screen struct {
	w, h      int
	canvas    *ebiten.Image // the upright picture, when the screen is turned
	turnOp    ebiten.DrawImageOptions
	drawnTick uint64 // the logic tick of the last frame drawn
}

// NewApp prepares the window; Run shows it.
func NewApp(cfg game.DisplayConfig, deps Deps) (*App, error) {
	ts, err := newTypeset()
	if err != nil {
		return nil, err
	}
	if deps.Log == nil {
		deps.Log = slog.Default()
	}
	keys, err := keyBindings(deps.Booth.Keys())
	if err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, deps: deps, ts: ts, scenes: newScenes(ts), hud: &chrome{ts: ts, keys: keys},
		people: &people{white: ts.white, mirror: cfg.Mirror}, shot: shooter{want: deps.Shot, log: deps.Log}}
	if deps.BoardURL != "" {
		// The results screen's QR code of the hub's board page.
		code, err := newBoardCode(deps.BoardURL)
		if err != nil {
			return nil, err
		}
		a.scenes.drawers["results"].(*resultsDrawer).code = code
	}
	if deps.Setup != nil {
		a.setup = &setupDrawer{mode: deps.Setup, ts: ts, log: deps.Log}
	}
	deps.Booth.SetOverlay(cfg.Overlay)
	deps.Booth.Listen(a.scenes.hear)
	if deps.Sounds != nil {
		deps.Booth.Listen(deps.Sounds.Play)
	}
	a.snap = deps.Booth.Snapshot()
	a.setFPS()
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
	// Frames skipped by the budget keep showing the last one drawn.
	ebiten.SetScreenClearedEveryFrame(false)
	ebiten.SetRunnableOnUnfocused(true)
	if a.cfg.Fullscreen {
		ebiten.SetCursorMode(ebiten.CursorModeHidden)
	}
	if a.deps.Timedemo {
		// One update and one frame drawn per frame of the clip, as fast as
		// they come: the booth's clock is the clip's.
		ebiten.SetTPS(ebiten.SyncWithFPS)
		ebiten.SetVsyncEnabled(false)
		err := ebiten.RunGame(a)
		if errors.Is(err, ebiten.Termination) {
			return nil
		}
		return err
	}
	ebiten.SetTPS(a.cfg.TPS)
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
			t.Reset(time.Duration(float64(time.Second) / max(1, math.Float64frombits(a.fps.Load()))))
		}
	}
}

// setFPS hands the snapshot's draw rate to the frame clock's goroutine.
func (a *App) setFPS() { a.fps.Store(math.Float64bits(a.snap.Budget.Rates.DrawFPS)) }

// Update reads the keys, advances the booth and takes the newest frame.
func (a *App) Update() error {
	if a.err != nil {
		return a.err
	}
	if a.shot.done || a.deps.Ctx.Err() != nil || a.snap.Presenter.Quit {
		return ebiten.Termination
	}
	if a.setup != nil {
		a.setup.focus()
	}
	// Every key counts, bound or not: someone is at the kiosk.
	a.pressed = inpututil.AppendJustPressedKeys(a.pressed[:0])
	for _, k := range a.pressed {
		if a.setup == nil {
			a.deps.Booth.Press(k.String())
		} else if a.setup.key(k) {
			a.cfg.Rotation = a.setup.mode.ScreenRotation
		}
	}
	if a.setup != nil && a.setup.mode.Done() {
		return ebiten.Termination
	}
	a.snap = a.deps.Booth.Tick(time.Now())
	a.setFPS()
	a.pullFrame()
	if a.shot.want != nil && a.snap.Status.Ended && a.pic.frame.Time < a.shot.want.At {
		return fmt.Errorf("screenshot: the clip ended at %.1fs, before --at %.1fs", a.pic.frame.Time.Seconds(), a.shot.want.At.Seconds())
	}
	if a.deps.Timedemo && a.snap.Over && !a.shot.done {
		if a.shot.want != nil {
			return fmt.Errorf("screenshot: the clip ended at %.1fs, before --at %.1fs", a.pic.frame.Time.Seconds(), a.shot.want.At.Seconds())
		}
		return ebiten.Termination
	}
	return nil
}

// pullFrame takes the newest camera frame if there is one, without waiting.
func (a *App) pullFrame() {
	p := &a.pic
	info := a.deps.Picture.PictureSize()
	if info.Seq == 0 || info.Seq == p.frame.Seq {
		return
	}
	if p.img == nil || info.W != p.frame.W || info.H != p.frame.H {
		if p.img != nil {
			p.img.Deallocate()
		}
		p.img = ebiten.NewImage(info.W, info.H)
		p.pixels = make([]byte, info.W*info.H*4)
	}
	got, ok := a.deps.Picture.Picture(p.pixels, p.frame.Seq)
	if !ok || got.W != info.W || got.H != info.H {
		return // the size changed between the two calls; next tick
	}
	p.img.WritePixels(p.pixels)
	p.frame = got
}

// Layout uses the window's own pixels; the canvas follows the rotation.
// The rules hear the canvas's size, to play in what it shows.
func (a *App) Layout(outsideW, outsideH int) (int, int) {
	cw, ch := game.CanvasSize(outsideW, outsideH, a.cfg.Rotation)
	a.deps.Booth.SetCanvas(game.Canvas{W: cw, H: ch})
	return outsideW, outsideH
}

// drawDue says whether this update's frame is drawn: the budget's draw
// rate divides the fixed logic rate, so drawing less never slows the game.
// A timedemo draws every frame.
func (a *App) drawDue() bool {
	if a.deps.Timedemo {
		return true
	}
	fps := a.snap.Budget.Rates.DrawFPS
	every := uint64(max(1, math.Round(float64(a.cfg.TPS)/max(fps, 1))))
	return a.screen.drawnTick == 0 || a.snap.Tick-a.screen.drawnTick >= every
}

// Draw draws when the budget allows; otherwise the last frame stays.
func (a *App) Draw(dst *ebiten.Image) {
	sc := &a.screen
	sw, sh := dst.Bounds().Dx(), dst.Bounds().Dy()
	resized := sw != sc.w || sh != sc.h
	shot := a.shot.due(&a.pic, a.snap)
	if !resized && !a.drawDue() && !shot {
		return
	}
	sc.drawnTick = a.snap.Tick
	if a.shot.probe != nil {
		a.shot.probe.Drawing()
	}
	a.deps.Booth.Drawn(time.Now())
	sc.w, sc.h = sw, sh
	// Upright, the scene is drawn straight onto the screen: every full
	// screen pass costs, and a software renderer (Xvfb) feels each one.
	if a.cfg.Rotation == 0 {
		a.drawCanvas(dst)
	} else {
		cw, ch := game.CanvasSize(sw, sh, a.cfg.Rotation)
		if sc.canvas == nil || sc.canvas.Bounds().Dx() != cw || sc.canvas.Bounds().Dy() != ch {
			if sc.canvas != nil {
				sc.canvas.Deallocate()
			}
			sc.canvas = ebiten.NewImage(cw, ch)
		}
		a.drawCanvas(sc.canvas)
		op := &sc.turnOp
		*op = ebiten.DrawImageOptions{}
		op.GeoM.Translate(-float64(cw)/2, -float64(ch)/2)
		op.GeoM.Rotate(float64(a.cfg.Rotation) * math.Pi / 180)
		op.GeoM.Translate(float64(sw)/2, float64(sh)/2)
		op.Filter = ebiten.FilterNearest
		// The turned canvas covers the screen exactly: no clearing needed.
		dst.DrawImage(sc.canvas, op)
	}
	if err := a.shot.drawn(dst); err != nil {
		a.err = err
	}
	if shot {
		if err := a.shot.take(dst, &a.pic); err != nil {
			a.err = err
		}
	}
}

// drawCanvas draws the upright picture: the mirrored frame filling the
// canvas, the scene, the badges and the overlay.
func (a *App) drawCanvas(dst *ebiten.Image) {
	cw, ch := dst.Bounds().Dx(), dst.Bounds().Dy()
	unit := float64(min(cw, ch)) / 100 // layout unit: 1 % of the short side
	snap, hud := a.snap, a.hud
	if a.pic.img == nil {
		dst.Fill(backdropWaiting)
		drawMessage(dst, &hud.waiting, a.ts.fonts.Face(6*unit, false), "Waiting for the camera…")
		return
	}
	fit := game.NewFit(a.pic.frame.W, a.pic.frame.H, cw, ch, a.cfg.Mirror)
	a.people.draw(dst, fit, &a.pic, snap)
	if a.setup != nil {
		hud.drawDetections(dst, fit, unit, snap.Obs)
		a.setup.draw(dst, unit)
		return
	}

	if !a.drawSceneSafely(dst, fit, unit) || snap.Presenter.Overlay {
		// A scene without a drawer, and the presenter's overlay, show what
		// the detector sees.
		hud.drawDetections(dst, fit, unit, snap.Obs)
	}
	if snap.Demo {
		hud.drawDemoBadge(dst, unit)
	}
	hud.draw(dst, unit, snap)
	if snap.Status.Ended {
		drawMessage(dst, &hud.ended, a.ts.fonts.Face(6*unit, false), "The clip has ended")
	}
}

// backdropWaiting is the canvas's colour before the first frame, boxed
// once for Fill.
var backdropWaiting color.Color = colorBackdrop

// drawSceneSafely draws the scene; a panic while drawing it is a failure
// of that scene, handled like one in its rules: logged with its stack, and
// the kiosk goes back to the attract screen. It reports whether the scene
// had a drawer.
func (a *App) drawSceneSafely(dst *ebiten.Image, fit game.Fit, unit float64) (drawn bool) {
	defer func() {
		if r := recover(); r != nil {
			a.deps.Booth.SceneFailed(r, string(debug.Stack()))
			drawn = true
		}
	}()
	return a.scenes.draw(dst, fit, unit, a.snap, a.pic.frame.H)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
