package game_test

import (
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/sight"

	"github.com/carrierarcade/kiosk/game"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Two people: Ana on the camera's left (the screen's right, mirrored) and
// Ben on its right.
var (
	anaBox = sight.Box{X0: 40, Y0: 60, X1: 240, Y1: 470}
	benBox = sight.Box{X0: 400, Y0: 60, X1: 600, Y1: 470}
)

func person(id int, b sight.Box) sight.Track {
	return sight.Track{ID: id, Detection: sight.Detection{Label: "person", Score: 0.9, Box: b}, Seen: 10}
}

// pair is Ana (ID 1, the primary player) and Ben (ID 2) in view.
func pair() *sight.Observation {
	o := obs()
	o.ObjectTracks = []sight.Track{person(1, anaBox), person(2, benBox)}
	o.Player, o.HasPlayer = o.ObjectTracks[0], true
	o.Player.Primary = true
	return o
}

// playFreeze runs a round of Freeze; anaMoves says, from the light before
// the tick, whether Ana moves during it.
func playFreeze(t *testing.T, seed uint64, anaMoves func(f *game.Freeze) bool) (*rig, *game.Freeze) {
	t.Helper()
	r := newRig(tick, seed)
	f := game.NewFreeze(arcade(nil))
	for range 2000 {
		o := pair()
		if anaMoves(f) {
			moving(o, viewRect(anaBox))
		}
		if r.step(f, o) != nil {
			return r, f
		}
	}
	t.Fatal("the round did not end")
	return nil, nil
}

func player(t *testing.T, f *game.Freeze, id int) game.FreezePlayer {
	t.Helper()
	for _, p := range f.AppendPlayers(nil) {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("no player %d", id)
	return game.FreezePlayer{}
}

func TestFreezeMovingOnRedCostsThatPlayerOnly(t *testing.T) {
	grace := 600 * time.Millisecond
	var reds []float64
	r, f := playFreeze(t, 1, func(f *game.Freeze) bool { return f.Light() == game.LightRed })
	for _, e := range r.events {
		if e.Kind == "light" && e.Color == "red" {
			reds = append(reds, e.Seconds())
		}
	}
	moved := ofType(r.events, "moved")
	require.NotEmpty(t, moved)
	assert.LessOrEqual(t, len(moved), len(reds), "at most once per red light")
	for _, e := range moved {
		assert.Equal(t, 1, e.Player, "Ana moved, not Ben")
		assert.Equal(t, 150, e.Penalty)
		var red float64
		for _, t0 := range reds {
			if t0 <= e.Seconds() {
				red = t0
			}
		}
		assert.GreaterOrEqual(t, e.Seconds()-red, grace.Seconds()-1e-9, "not within the grace")
	}
	assert.Zero(t, player(t, f, 2).Progress)
}

func TestFreezeMovingOnGreenFillsTheBar(t *testing.T) {
	r, f := playFreeze(t, 1, func(f *game.Freeze) bool { return f.Light() == game.LightGreen })
	assert.Empty(t, ofType(r.events, "moved"))
	ana, ben := player(t, f, 1), player(t, f, 2)
	assert.Positive(t, ana.Progress)
	assert.Positive(t, ana.Score)
	assert.Zero(t, ben.Progress, "players are scored apart")
	assert.Zero(t, ben.Score)
	end := ofType(r.events, "round_end")
	require.Len(t, end, 1)
	assert.Equal(t, ana.Score, end[0].Score, "the primary player's score")
	if ana.Progress >= 1 {
		win := ofType(r.events, "win")
		require.Len(t, win, 1)
		assert.Equal(t, 1, win[0].Player)
	}
}

func TestFreezeMovingWithinTheGraceIsFine(t *testing.T) {
	grace := 600 * time.Millisecond
	r, _ := playFreeze(t, 1, func(f *game.Freeze) bool {
		return f.Light() == game.LightRed && f.InLight()+tick < grace
	})
	assert.NotEmpty(t, ofType(r.events, "light"))
	assert.Empty(t, ofType(r.events, "moved"))
}

func TestFreezeLightsAlternateWithinBounds(t *testing.T) {
	cfg := game.DefaultConfig().Freeze
	for seed := range uint64(5) {
		r, _ := playFreeze(t, seed, func(*game.Freeze) bool { return false })
		lights := ofType(r.events, "light")
		require.Greater(t, len(lights), 8)
		lens := map[string][]float64{}
		for i, e := range lights {
			want := []string{"green", "red"}[i%2]
			require.Equal(t, want, e.Color, "light %d", i)
			if i > 0 {
				prev := lights[i-1]
				lens[prev.Color] = append(lens[prev.Color], e.Seconds()-prev.Seconds())
			}
		}
		for _, d := range lens["green"] {
			assert.True(t, d >= cfg.GreenMin-1e-9 && d <= cfg.GreenMax+tick.Seconds()+1e-9, "green %v", d)
		}
		for _, d := range lens["red"] {
			assert.True(t, d >= cfg.RedMin-1e-9 && d <= cfg.RedMax+tick.Seconds()+1e-9, "red %v", d)
		}
	}
}

func TestFreezePlayersKeepTheirColours(t *testing.T) {
	r := newRig(tick, 1)
	f := game.NewFreeze(arcade(nil))
	r.step(f, pair())
	ps := f.AppendPlayers(nil)
	require.Len(t, ps, 2)
	assert.Equal(t, []int{1, 2}, []int{ps[0].ID, ps[1].ID})
	assert.Equal(t, []int{0, 1}, []int{ps[0].Color, ps[1].Color})
	assert.True(t, ps[0].Primary)
	assert.False(t, ps[1].Primary)
	assert.Equal(t, viewRect(anaBox), ps[0].Box)

	// Ana leaves; a newcomer takes her colour, Ben keeps his.
	o := obs()
	o.ObjectTracks = []sight.Track{person(2, benBox), person(3, anaBox)}
	r.step(f, o)
	ps = f.AppendPlayers(nil)
	require.Len(t, ps, 2)
	assert.Equal(t, 2, ps[0].ID)
	assert.Equal(t, 1, ps[0].Color)
	assert.Equal(t, 3, ps[1].ID)
	assert.Equal(t, 0, ps[1].Color)

	// Alone, Ben is the one who plays.
	o = obs()
	o.ObjectTracks = []sight.Track{person(2, benBox)}
	r.step(f, o)
	require.Len(t, f.AppendPlayers(nil), 1)
	assert.True(t, f.AppendPlayers(nil)[0].Primary)
}
