package game_test

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/sight"
	"github.com/stretchr/testify/require"

	"github.com/carrierarcade/kiosk/game"
)

// The camera of the tests: 640x480, a 32x24 motion grid.
const (
	frameW, frameH = 640, 480
	gridW, gridH   = 32, 24
	aspect         = float32(frameW) / frameH
	testDay        = "2025-06-01"
)

// rig drives a scene tick by tick and records what it emits.
type rig struct {
	in     game.Input
	events []game.Event
}

func newRig(dt time.Duration, seed uint64) *rig {
	return &rig{in: game.Input{Dt: dt, Rand: rand.New(rand.NewPCG(seed, 7)), Day: testDay}}
}

func (r *rig) emit(e game.Event) { r.events = append(r.events, e) }

// step runs one tick of s on obs and returns the scene it switches to.
func (r *rig) step(s game.Scene, obs *sight.Observation) game.Scene {
	r.in.Obs = obs
	next := s.Update(&r.in, r.emit)
	r.in.Tick++
	return next
}

// manage runs one tick of a manager.
func (r *rig) manage(m *game.Manager, obs *sight.Observation, actions ...game.Action) {
	r.in.Obs, r.in.Actions = obs, actions
	m.Update(&r.in, r.emit)
	r.in.Tick++
}

// since is the events emitted from index i on.
func (r *rig) since(i int) []game.Event { return r.events[i:] }

// ofType is the events of one type.
func ofType(events []game.Event, typ game.Kind) []game.Event {
	var out []game.Event
	for _, e := range events {
		if e.Kind == typ {
			out = append(out, e)
		}
	}
	return out
}

// arcade is an arcade with the default config changed by edit, no board,
// mirrored like the kiosk.
func arcade(edit func(*game.Config)) *game.Arcade {
	cfg := game.DefaultConfig()
	if edit != nil {
		edit(&cfg)
	}
	return game.NewArcade(cfg, nil, true)
}

// obs is an observation of a still scene: calibrated motion, nothing seen.
func obs() *sight.Observation {
	f := sight.Frame{Seq: 1, W: frameW, H: frameH}
	return &sight.Observation{Frame: f, ObjectsFrame: f, FacesFrame: f, MotionFrame: f,
		Motion: sight.MotionGrid{W: gridW, H: gridH, Energy: make([]float32, gridW*gridH), Calibrated: true}}
}

// moving sets full energy in every cell whose centre lies in one of the
// rects (view coordinates).
func moving(o *sight.Observation, rects ...game.Rect) *sight.Observation {
	for cy := range gridH {
		for cx := range gridW {
			x, y := (float32(cx)+0.5)/gridW, (float32(cy)+0.5)/gridH
			for _, r := range rects {
				if x >= r.X0 && x <= r.X1 && y >= r.Y0 && y <= r.Y1 {
					o.Motion.Energy[cy*gridW+cx] = 1
				}
			}
		}
	}
	return o
}

var everywhere = game.Rect{X0: 0, Y0: 0, X1: 1, Y1: 1}

// seeing adds detections of these labels, in the middle of the frame.
func seeing(o *sight.Observation, labels ...string) *sight.Observation {
	for _, l := range labels {
		o.Objects = append(o.Objects, sight.Detection{Class: sight.COCOClass(l), Label: l, Score: 0.8,
			Box: sight.Box{X0: 250, Y0: 200, X1: 390, Y1: 320}})
	}
	return o
}

// viewRect is a frame box in view coordinates, mirrored.
func viewRect(b sight.Box) game.Rect {
	x0, y0, x1, y1 := game.ViewBox(b, frameW, frameH, true)
	return game.Rect{X0: x0, Y0: y0, X1: x1, Y1: y1}
}

// jsonLines is each event as the simulator prints it.
func jsonLines(t *testing.T, events []game.Event) []string {
	t.Helper()
	out := make([]string, len(events))
	for i, e := range events {
		b, err := json.Marshal(e)
		require.NoError(t, err)
		out[i] = string(b)
	}
	return out
}
