package game_test

import (
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/sight"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The demo reel as 'kiosk reel' lists it.
var reel = game.DemoReel{Seconds: 84, Spans: []game.ReelSpan{
	{Label: "orange", From: 12, To: 18}, {Label: "laptop", From: 18, To: 24},
	{Label: "face", From: 24, To: 36}, {Label: "remote", From: 36, To: 42},
	{Label: "dog", From: 60, To: 66}, {Label: "face", From: 72, To: 84},
}, Items: []string{"laptop", "dog", "orange", "remote"}}

// demoArcade is an arcade playing to the demo reel.
func demoArcade(edit func(*game.Config)) *game.Arcade { return game.PlayingDemo(arcade(edit)) }

// at is an observation of the reel at clip time t, showing labels.
func at(t time.Duration, labels ...string) *sight.Observation {
	o := seeing(obs(), labels...)
	o.Frame.Time = t
	return o
}

// Playing the reel, the hunt asks for what the reel shows next, whatever
// the order of its items, and gives up on one once its stretch is over.
func TestDemoHuntAsksForWhatComesNext(t *testing.T) {
	b := demoArcade(func(c *game.Config) { c.Demo = reel })
	for _, tc := range []struct {
		start time.Duration
		first string
	}{{0, "orange"}, {13 * time.Second, "orange"}, {17500 * time.Millisecond, "laptop"}, {50 * time.Second, "dog"}, {70 * time.Second, "orange"}} {
		r := newRig(tick, 1)
		h := game.NewHunt(b)
		r.step(h, at(tc.start))
		prompts := ofType(r.events, game.KindPrompt)
		require.Len(t, prompts, 1)
		assert.Equal(t, tc.first, prompts[0].Item, "at %v", tc.start)
	}

	r := newRig(tick, 1)
	h := game.NewHunt(b)
	var shown []string
	for i := 0; i < 84*20; i++ {
		clip := time.Duration(i) * tick
		var labels []string
		for _, s := range reel.Spans {
			if s.Label != "face" && clip >= time.Duration(s.From*float64(time.Second)) && clip < time.Duration(s.To*float64(time.Second)) {
				labels = append(labels, s.Label)
			}
		}
		if r.step(h, at(clip, labels...)) != nil {
			break
		}
	}
	for _, f := range ofType(r.events, game.KindFind) {
		shown = append(shown, f.Item)
	}
	assert.Equal(t, []string{"orange", "laptop", "remote", "dog"}, shown, "each found as the reel shows it")
}

// A stretch that passes without a find is given up at its end, not after
// skip_after_seconds, and the next thing on the reel is asked for.
func TestDemoHuntSkipsWhenTheStretchIsOver(t *testing.T) {
	b := demoArcade(func(c *game.Config) {
		c.Demo = reel
		c.Demo.Items = []string{"orange", "laptop"}
	})
	r := newRig(tick, 1)
	h := game.NewHunt(b)
	for i := 0; i < 20*20; i++ {
		r.step(h, at(time.Duration(i)*tick)) // nothing seen
	}
	var asked []string
	for _, e := range r.events {
		if e.Kind == game.KindPrompt || e.Kind == game.KindSkip {
			asked = append(asked, string(e.Kind)+" "+e.Item)
		}
	}
	assert.Equal(t, []string{"prompt orange", "skip orange", "prompt laptop"}, asked)
}

// Playing the reel, the attract screen starts Head Dodge so that its round
// begins as the reel's face part comes, not before.
func TestDemoDodgeWaitsForTheFace(t *testing.T) {
	b := demoArcade(func(c *game.Config) {
		c.Rotation = []string{"dodge"}
		c.DemoAutoplaySeconds = 2
		c.Demo = reel
	})
	r := newRig(tick, 1)
	var a game.Scene = game.NewAttract(b)
	var started time.Duration
	for i := 0; i < 84*20; i++ {
		clip := time.Duration(i) * tick
		if next := r.step(a, at(clip)); next != nil {
			started = clip
			break
		}
	}
	assert.Equal(t, 21*time.Second, started, "the countdown of 3 s ends as the face part starts at 24 s")
}

// With the camera playing, the reel's items and schedule are not used (a
// kiosk knows its reel while the camera plays, to be ready for the camera
// key): the hunt asks for [game.hunt] items, skips by time, and nothing
// starts by itself.
func TestDemoSettingsWaitWhileTheCameraPlays(t *testing.T) {
	b := arcade(func(c *game.Config) {
		c.Demo = reel
		c.Hunt.Items = []string{"cup"}
		c.Hunt.SkipAfterSeconds = 3
		c.DemoAutoplaySeconds = 2
	})
	r := newRig(tick, 1)
	h := game.NewHunt(b)
	for i := range 20 * 20 {
		r.step(h, at(time.Duration(i)*tick))
	}
	prompts, skips := ofType(r.events, game.KindPrompt), ofType(r.events, game.KindSkip)
	require.NotEmpty(t, prompts)
	for _, p := range prompts {
		assert.Equal(t, "cup", p.Item, "the camera's items")
	}
	require.NotEmpty(t, skips)
	assert.InDelta(t, 3, skips[0].At.Seconds(), 0.1, "skipped after skip_after_seconds, not by the reel")

	r = newRig(tick, 1)
	a := game.NewAttract(b)
	for i := range 60 * 20 {
		require.Nil(t, r.step(a, at(time.Duration(i)*tick)), "no autoplay with a camera")
	}
}
