package kiosk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/vision"
	"gocv.io/x/gocv"
)

// keyPress is one scripted key of --keys: KEY@SECONDS.
type keyPress struct {
	key string
	at  time.Duration
}

func parseKeys(s string, keys game.KeyConfig) ([]keyPress, error) {
	if s == "" {
		return nil, nil
	}
	var out []keyPress
	for _, item := range strings.Split(s, ",") {
		k, at, ok := strings.Cut(strings.TrimSpace(item), "@")
		secs, err := strconv.ParseFloat(at, 64)
		if !ok || k == "" || err != nil || secs < 0 {
			return nil, fmt.Errorf("%w: --keys wants KEY@SECONDS,... (for example N@12,V@20), got %q", errUsage, item)
		}
		if keys.Lookup(k) == "" {
			return nil, fmt.Errorf("%w: --keys: %q is not bound to any command in [keys]", errUsage, k)
		}
		out = append(out, keyPress{key: k, at: time.Duration(secs * float64(time.Second))})
	}
	slices.SortStableFunc(out, func(a, b keyPress) int { return int(a.at - b.at) })
	return out, nil
}

func cmdSim(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("sim", "sim --game NAME [--source SPEC] [--seed N] [--seconds S] [--keys KEY@SECONDS,...]", stderr)
	name := fs.String("game", "", "the game to start at once: "+strings.Join(game.GameNames(), ", "))
	source := fs.String("source", "", "clip to play (default: source.demo); file:PATH?loop=0 ends with the clip")
	seed := fs.Uint64("seed", 1, "seed of the games' random source: the same seed and clip give the same game")
	seconds := fs.Float64("seconds", 0, "stop after this much game time (0: when a non-looping clip ends)")
	keysFlag := fs.String("keys", "", "scripted presenter keys, KEY@SECONDS,... by [keys] names (N@12,V@20,Digit2@30)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if !slices.Contains(game.GameNames(), *name) {
		return fmt.Errorf("%w: --game is one of %s, not %q", errUsage, strings.Join(game.GameNames(), ", "), *name)
	}
	l, err := c.load()
	if err != nil {
		return err
	}
	if *source == "" {
		*source = l.Source.Demo
	}
	sp, err := parseSpec(*source)
	if err != nil || sp.Kind != "file" {
		return fmt.Errorf("%w: --source must be a clip, file:PATH[?loop=0]", errUsage)
	}
	if sp.Loop && *seconds <= 0 {
		return fmt.Errorf("%w: a looping clip never ends: give --seconds, or use file:PATH?loop=0", errUsage)
	}
	presses, err := parseKeys(*keysFlag, l.Keys)
	if err != nil {
		return err
	}
	dets, err := OpenDetectors(l, "objects", "faces")
	if err != nil {
		return err
	}
	defer dets.Close()
	var src vision.FrameSource
	var watch *vision.Watchdog
	if !sp.Loop && *seconds > 0 {
		// Past the clip's end the clip is a camera that stopped: the
		// watchdog notices, waits (on simulated time) and plays it again.
		watch = vision.NewWatchdog(ctx, func() (vision.FrameSource, error) {
			return vision.Open(sp, l.Source, l.Base)
		}, l.Watchdog, &simClock{t: time.Unix(0, 0)}, nil)
		src = watch
	} else if src, err = vision.Open(sp, l.Source, l.Base); err != nil {
		return err
	}
	defer src.Close()
	motion := vision.NewMotion(l.Motion)
	defer motion.Close()
	pipe := vision.NewPipeline(nil, vision.PipelineParts{Objects: dets.Objects, Faces: dets.Faces,
		Motion: motion, Mirror: l.Display.Mirror}, l.Budget)

	cfg := l.Game
	cfg.DemoAutoplaySeconds = 0 // the simulation plays the one game it was asked for
	if items := DemoItems(l, *source); len(items) > 0 {
		cfg.Hunt.Items = items
	}
	sim := &simulation{
		games:   game.NewManager(cfg, nil, l.Display.Mirror),
		pipe:    pipe,
		src:     src,
		keys:    l.Keys,
		presses: presses,
		privacy: l.Display.Privacy,
		dt:      time.Second / time.Duration(l.Display.TPS),
		rng:     rand.New(rand.NewPCG(*seed, *seed^0x9e3779b97f4a7c15)),
		enc:     json.NewEncoder(stdout),
		limit:   time.Duration(*seconds * float64(time.Second)),
	}
	if watch != nil {
		watch.OnChange(func(st vision.CameraState) {
			if st.Live {
				sim.event("camera_back", "source", sp.String(), "outages", st.Outages, "recoveries", st.Recoveries)
			} else {
				sim.event("camera_lost", "source", sp.String(), "reason", st.Reason, "outages", st.Outages)
			}
		})
	}
	if err := sim.games.StartGame(*name); err != nil {
		return err
	}
	return sim.run(ctx)
}

// simulation plays the game rules on a clip as fast as it can, with game
// time taken from the clip's timestamps, and prints every event.
type simulation struct {
	games   *game.Manager
	pipe    *vision.Pipeline
	src     vision.FrameSource
	keys    game.KeyConfig
	presses []keyPress
	privacy string
	dt      time.Duration
	rng     *rand.Rand
	enc     *json.Encoder
	limit   time.Duration

	tick    uint64
	obs     vision.Observation
	actions []game.Action
	err     error
}

func (s *simulation) emit(e game.Event) {
	if s.err == nil {
		s.err = s.enc.Encode(e)
	}
}

// event emits a simulator event (not from the rules) at the current tick.
func (s *simulation) event(typ string, kv ...any) {
	e := game.Event{T: s.now().Seconds(), Type: typ, Fields: map[string]any{}}
	for i := 0; i+1 < len(kv); i += 2 {
		e.Fields[kv[i].(string)] = kv[i+1]
	}
	s.emit(e)
}

func (s *simulation) now() time.Duration { return time.Duration(s.tick) * s.dt }

func (s *simulation) run(ctx context.Context) error {
	frame := gocv.NewMat()
	defer frame.Close()
	var seq uint64
	for ctx.Err() == nil && s.err == nil {
		ts, err := s.src.Read(&frame)
		if errors.Is(err, vision.ErrEnd) {
			// A clip that ends is a camera that stopped.
			s.event("camera_lost", "source", s.src.Name(), "reason", "the clip ended")
			return s.err
		}
		if err != nil {
			return err
		}
		seq++
		s.pipe.Step(frame, vision.FrameInfo{Seq: seq, Time: ts, W: frame.Cols(), H: frame.Rows()})
		s.pipe.Observe(&s.obs)
		// Play every tick up to this frame's time.
		for s.now() <= ts && s.err == nil {
			if s.limit > 0 && s.now() >= s.limit {
				return s.err
			}
			s.step()
		}
	}
	return s.err
}

// step plays one tick with the scripted keys that fall due.
func (s *simulation) step() {
	s.actions = s.actions[:0]
	for len(s.presses) > 0 && s.presses[0].at <= s.now() {
		p := s.presses[0]
		s.presses = s.presses[1:]
		cmd := s.keys.Lookup(p.key)
		s.event("key", "key", p.key, "command", string(cmd))
		if a, ok := cmd.Action(); ok {
			s.actions = append(s.actions, a)
		}
		if cmd == game.CmdPrivacy {
			s.privacy = game.NextPrivacy(s.privacy)
			s.event("privacy", "mode", s.privacy)
		}
	}
	in := game.Input{Tick: s.tick, Dt: s.dt, Obs: &s.obs, Actions: s.actions, Rand: s.rng, Day: "sim"}
	s.games.Update(&in, s.emit)
	s.tick++
}

// simClock is simulated time for the watchdog: its waits take no real time.
type simClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *simClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *simClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}
