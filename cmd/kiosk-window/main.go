// Command kiosk-window opens the kiosk's screen: it builds the camera,
// detectors, pipeline and app from the configuration and runs them until the
// window closes. Users start it through 'kiosk run' or 'kiosk screenshot'.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/carrierarcade/kiosk/booth"
	"github.com/carrierarcade/kiosk/budget"
	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/game/record"
	"github.com/carrierarcade/kiosk/health"
	"github.com/carrierarcade/kiosk/internal/bench"
	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/internal/kiosk"
	"github.com/carrierarcade/kiosk/internal/reel"
	"github.com/carrierarcade/kiosk/model"
	"github.com/carrierarcade/kiosk/power"
	"github.com/carrierarcade/kiosk/vision"
	"github.com/carrierarcade/kiosk/window"
)

func main() {
	// OpenCV prints its own warnings for files it cannot open; the kiosk's
	// messages already name the file and the fix. OPENCV_LOG_LEVEL, when
	// set, still has its say.
	if os.Getenv("OPENCV_LOG_LEVEL") == "" {
		vision.QuietOpenCVLog()
	}
	if len(os.Args) > 1 && os.Args[1] == bench.DrawBenchCommand { // started by 'kiosk bench --draw'
		os.Exit(kiosk.DrawBenchMain(os.Args[2:], os.Stdout, os.Stderr, runWindow))
	}
	os.Exit(kiosk.Main(os.Args[1:], os.Stdout, os.Stderr, runWindow))
}

// runWindow builds the whole kiosk, runs the window until it quits, and
// takes everything down again in reverse order.
func runWindow(ctx context.Context, job kiosk.WindowJob, stderr io.Writer) error {
	if job.ListMonitors {
		return window.ListMonitors(os.Stdout)
	}
	l := job.Config
	log := config.NewLogger(l.Log, stderr)
	source := job.Source
	if source == "" {
		source = l.Source.Spec
	}
	dets, err := booth.OpenDetectors(l, "objects", "faces")
	if err != nil {
		return err
	}
	defer dets.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The setup helper opens the camera as the sensor gives it and turns
	// its frames as the presenter asks.
	mount := l.Source.Orientation()
	if job.Setup {
		l.Source.Rotation, l.Source.Flip = 0, false
		l.Source.Enabled = true // the camera is what is being set up
	}
	src, demo, err := booth.SwitchedSource(ctx, l, source, log)
	if err != nil {
		return err
	}
	defer src.Close()
	var frames vision.FrameSource = src
	var setupMode *window.SetupMode
	if job.Setup {
		turn := vision.NewTurnable(src, mount)
		defer turn.Close()
		frames = turn
		setupMode = &window.SetupMode{CameraRotation: mount.Rotation, Flip: mount.Flip, ScreenRotation: l.Display.Rotation,
			TurnCamera: func(r int, flip bool) { turn.Set(vision.Orientation{Rotation: r, Flip: flip}) }}
		log.Info("setup: turn the camera (left, right, F) and the screen (up, down) until people stand upright and the words read; Enter keeps, Esc leaves")
		if demo {
			log.Warn("setup: the camera could not be opened, so the demo clip stands in for it; what is turned now is the clip")
		}
	}
	if demo {
		source = l.Source.Demo
	}
	log.Info("starting", "source", src.Name(), "demo", demo, "fps", src.FPS(), "onnxruntime", dets.RuntimeVersion())
	for _, d := range []model.Detector{dets.Objects, dets.Faces} {
		if d != nil {
			i := d.Info()
			log.Info("detector", "slot", i.Name, "family", i.Kind, "input", fmt.Sprintf("%dx%d", i.InputW, i.InputH), "classes", i.Classes, "file", i.Path)
		}
	}
	// Health and metrics for 'kiosk run' (not for a screenshot or a
	// benchmark, which end by themselves): made before the parts that feed
	// it, served once they all exist.
	var srv *health.Server
	if job.Command == "run" && l.HTTP.Listen != "" {
		srv = health.New(health.Options{Window: true, Log: log})
	}
	motion := vision.NewMotion(l.Motion)
	defer motion.Close()
	pipeParts := vision.PipelineParts{Objects: dets.Objects, Faces: dets.Faces, Motion: motion, Mirror: l.Display.Mirror,
		Log: log, Ran: booth.DetectorHook(srv)}
	// The pipeline runs on its own goroutines beside a capture paced at
	// the clip's rate, or, in a timedemo, a frame at a time on the
	// window's, on clip time.
	var eyes booth.Eyes
	var picture window.Picture
	var feed booth.Feed
	var pipe *vision.Pipeline
	if job.Timedemo {
		pipe = vision.NewPipeline(nil, pipeParts, booth.PipelineRates(l.Budget.Rates()))
		step := vision.NewStepper(frames, pipe, true)
		defer step.Close()
		eyes, picture, feed = step, step, booth.StepFeed(step)
	} else {
		capture := vision.StartCapture(ctx, frames, true)
		defer capture.Stop()
		if !job.Setup && !demo {
			// A camera with no orientation set that finds people only
			// turned: the log names the key.
			defer booth.WatchMount(ctx, l, source, dets, capture, log)()
		}
		pipe = vision.NewPipeline(capture, pipeParts, booth.PipelineRates(l.Budget.Rates()))
		pipe.Start(ctx)
		defer pipe.Stop()
		eyes, picture = pipe, pipe
	}

	// The board tells the booth how each write went (from its own
	// goroutine); the booth is made just below, before any score.
	var b *booth.Booth
	board := game.OpenLeaderboard(l.Resolve(l.Game.DataDir), log, func(file string, err error) {
		e := game.Event{Kind: game.KindBoardSaved, File: file}
		if err != nil {
			e.Kind, e.Err = game.KindBoardUnsaved, err.Error()
		}
		b.Note(e)
	})
	defer board.Close()
	// While the demo reel plays in the camera's place the games follow it
	// (its items as it shows them, the attract screen's autoplay). Its item
	// list is read now, so that the camera key finds it ready; a reel
	// played as the source (a clip with an item list) is played as one.
	games := l.Game
	games.Demo = reel.Read(l, l.Source.Demo)
	playsReel := demo
	if !demo {
		if r := reel.Read(l, source); len(r.Items) > 0 {
			games.Demo, playsReel = r, true
		}
	}
	if len(games.Demo.Items) == 0 {
		log.Warn("the demo reel has no item list beside it: while it plays the hunt asks for [game.hunt] items; 'make run' (kiosk reel) writes it", "reel", l.Source.Demo)
	} else if playsReel {
		log.Info("playing the demo reel: the hunt asks for what it shows, as it comes", "items", games.Demo.Items, "schedule", len(games.Demo.Spans) > 0)
	}
	// The games' random source is seeded from the clock, so rounds differ
	// from day to day; a recording keeps the seed.
	setup := booth.SessionSetup(l, games, uint64(time.Now().UnixNano()))
	setup.Demo = playsReel
	carrier, noLink := kiosk.StartLink(l, log)
	parts := booth.Parts{Setup: setup, Board: board, Eyes: eyes, Feed: feed, Budget: l.Budget,
		Rates:  func(r budget.Rates) { pipe.SetRates(booth.PipelineRates(r)) },
		Camera: booth.SwitchCamera(src), Power: openPower(l, log), NoLink: noLink, Health: srv, Log: log}
	if carrier != nil {
		defer carrier.Close()
		parts.Link = carrier
	}
	b = booth.New(parts)
	defer b.Close()
	kiosk.TellCondition(carrier, src, source, b.PowerPolicy())
	b.Script(job.Keys)
	if job.Record != "" {
		tape, err := record.Create(job.Record, b.Setup(), board.Days(), log)
		if err != nil {
			return err
		}
		log.Info("recording the session (observations and keys, never a picture)", "file", job.Record)
		b.Record(tape)
		// A failure to write it was logged when it happened: the
		// booth played on without it.
		defer tape.Close()
	}
	deps := window.Deps{Ctx: ctx, Booth: b, Picture: picture, Log: log, Sounds: window.NewSounds(l.Sound, log),
		Setup: setupMode, Timedemo: job.Timedemo}
	if job.Command == "screenshot" {
		deps.Shot = &window.Shot{At: job.ShotAt, Out: job.ShotOut}
	}
	if carrier != nil {
		deps.BoardURL = l.Hub.PublicURL // the hub's board page, where this carrier's results go
	}
	if srv != nil {
		// Stopped before the parts it reads are closed (defers run in
		// reverse).
		stopHealth := booth.ServeHealth(ctx, srv, "http.listen", l.HTTP.Listen, log)
		defer stopHealth()
	}
	if job.Game != "" {
		if err := b.StartGame(job.Game); err != nil {
			return err
		}
	}
	app, err := window.NewApp(l.Display, deps)
	if err != nil {
		return err
	}
	if job.Command == bench.DrawBenchCommand {
		probe, err := kiosk.NewDrawBench(job, b, os.Stdout, cancel)
		if err != nil {
			return err
		}
		app.Probe(probe)
	}
	err = app.Run()
	// The window is gone (quit, a signal): a round in play ends with its
	// score, before the board, the link and the recording close.
	b.Shutdown()
	if err == nil && setupMode != nil && setupMode.Keep {
		kiosk.KeepSetup(job.Config, kiosk.SetupKeys(setupMode.CameraRotation, setupMode.Flip, setupMode.ScreenRotation), os.Stdout, log)
		if !demo {
			booth.KeepMountLooked(l, source, vision.Orientation{Rotation: setupMode.CameraRotation, Flip: setupMode.Flip}, log)
		}
	}
	return err
}

// openPower is the power policy's parts: the backlight's dimmer when there
// is one the kiosk may set.
func openPower(l config.Loaded, log *slog.Logger) *booth.Power {
	var dimmer *power.Dimmer
	if bl, err := power.FindBacklight(l.Power.SysfsRoot, l.Power.Backlight); err != nil {
		log.Info("no screen backlight to set; brightness stays as it is", "reason", err)
	} else {
		dimmer = power.NewDimmer(bl, log)
	}
	return &booth.Power{Config: l.Power, Dimmer: dimmer}
}
