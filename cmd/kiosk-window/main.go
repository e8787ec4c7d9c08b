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
	var feed vision.FrameSource = src
	var setup *window.SetupMode
	if job.Setup {
		turn := vision.NewTurnable(src, mount)
		defer turn.Close()
		feed = turn
		setup = &window.SetupMode{CameraRotation: mount.Rotation, Flip: mount.Flip, ScreenRotation: l.Display.Rotation,
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
	capture := vision.StartCapture(ctx, feed, true)
	defer capture.Stop()
	if !job.Setup && !demo {
		// A camera with no orientation set that finds people only turned:
		// the log names the key.
		defer booth.WatchMount(ctx, l, source, dets, capture, log)()
	}
	motion := vision.NewMotion(l.Motion)
	defer motion.Close()
	pipe := vision.NewPipeline(capture, vision.PipelineParts{
		Objects: dets.Objects, Faces: dets.Faces, Motion: motion, Mirror: l.Display.Mirror, Log: log,
		Ran: booth.DetectorHook(srv),
	}, l.Budget.Rates())
	pipe.Start(ctx)
	defer pipe.Stop()

	// The board tells the session how each write went (from its own
	// goroutine); the session is made just below, before any score.
	var ses *game.Session
	board := game.OpenLeaderboard(l.Resolve(l.Game.DataDir), log, func(file string, err error) {
		e := game.Event{Kind: game.KindBoardSaved, File: file}
		if err != nil {
			e.Kind, e.Err = game.KindBoardUnsaved, err.Error()
		}
		ses.Note(e)
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
	// Each scene runs only what it needs, capped by the power level; an
	// idle attract screen sleeps lightly.
	budget := booth.NewBudgeter(l.Budget, games.WaveThreshold, pipe.SetBudget)
	ctl, stopPower := startPower(ctx, l, budget, log)
	defer stopPower()
	// The games' random source is seeded from the clock, so rounds differ
	// from day to day; a recording keeps the seed.
	sesSetup := booth.SessionSetup(l, games, uint64(time.Now().UnixNano()))
	sesSetup.Demo = playsReel
	ses = game.NewSession(sesSetup, board, &booth.BoothHost{Pipe: pipe, Power: ctl, Switch: src, OnQuit: cancel})
	ses.Listen(game.NewEventLog(log).Hear)
	carrier := kiosk.StartLink(l, ses, log)
	if carrier != nil {
		defer carrier.Close()
	}
	kiosk.TellCondition(carrier, src, source, ctl)
	ses.Script(job.Keys)
	src.OnChange(func(st vision.CameraState) { ses.Note(booth.CameraEvent(src.Name(), st)) })
	src.OnStandIn(func(standIn bool) { ses.Note(booth.DemoEvent(standIn)) })
	if job.Record != "" {
		tape, err := record.Create(job.Record, ses.Setup(), board.Days(), log)
		if err != nil {
			return err
		}
		log.Info("recording the session (observations and keys, never a picture)", "file", job.Record)
		ses.Record(tape)
		ses.Listen(tape.Hear)
		// A failure to write it was logged when it happened: the
		// booth played on without it.
		defer tape.Close()
	}
	deps := window.Deps{Ctx: ctx, Eyes: pipe, Demo: demo, Log: log, Session: ses,
		Sounds: window.NewSounds(l.Sound, log), Power: ctl, Link: carrier, Budget: budget,
		Camera: func() window.CameraStatus {
			st := src.State()
			return window.CameraStatus{Live: st.Live, Outages: st.Outages, Recoveries: st.Recoveries, Reason: st.Reason,
				Off: st.Off, OffBy: st.OffBy, Turned: st.Turned, StandIn: st.StandIn}
		}}
	if job.Command == "screenshot" {
		deps.Shot = &window.Shot{At: job.ShotAt, Out: job.ShotOut}
	}
	deps.Setup = setup
	if carrier != nil {
		deps.BoardURL = l.Hub.PublicURL // the hub's board page, where this carrier's results go
	}
	if srv != nil {
		ses.Listen(srv.Hear)
		booth.WatchHealth(srv, booth.HealthParts{Pipe: pipe, Camera: src, Demo: demo, Power: ctl,
			Levels: l.Power.Levels, Link: carrier})
		// Stopped before the parts it reads are closed (defers run in
		// reverse).
		stopHealth := booth.ServeHealth(ctx, srv, "http.listen", l.HTTP.Listen, log)
		defer stopHealth()
		deps.Meter = srv
	}
	if job.Game != "" {
		if err := ses.StartGame(job.Game); err != nil {
			return err
		}
	}
	app, err := window.NewApp(l.Display, deps)
	if err != nil {
		return err
	}
	if job.Command == bench.DrawBenchCommand {
		bench, err := kiosk.NewDrawBench(job, ses, os.Stdout, cancel)
		if err != nil {
			return err
		}
		app.Probe(bench)
	}
	err = app.Run()
	// The window is gone (quit, a signal): a round in play ends with its
	// score, before the board, the link and the recording close.
	ses.Shutdown()
	if err == nil && setup != nil && setup.Keep {
		kiosk.KeepSetup(job.Config, kiosk.SetupKeys(setup.CameraRotation, setup.Flip, setup.ScreenRotation), os.Stdout, log)
		if !demo {
			booth.KeepMountLooked(l, source, vision.Orientation{Rotation: setup.CameraRotation, Flip: setup.Flip}, log)
		}
	}
	return err
}

// startPower runs the power policy: each level's budget goes to the
// budgeter (which caps it by [budget] and the scene's needs), the
// brightness to the backlight when there is one the kiosk may set. The
// returned stop ends its goroutine and waits for it.
func startPower(ctx context.Context, l config.Loaded, budget *booth.Budgeter, log *slog.Logger) (*power.Controller, func()) {
	var dimmer *power.Dimmer
	if bl, err := power.FindBacklight(l.Power.SysfsRoot, l.Power.Backlight); err != nil {
		log.Info("no screen backlight to set; brightness stays as it is", "reason", err)
	} else {
		dimmer = power.NewDimmer(bl, log)
	}
	ctl := power.NewController(l.Power, budget.Level, dimmer, log)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		ctl.Run(ctx)
	}()
	return ctl, func() { cancel(); <-done }
}
