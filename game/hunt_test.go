package game_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Hunt tests tick at 10 Hz so that the hold (1 s) is ten ticks.
const huntTick = 100 * time.Millisecond

// cupThenScissors asks for a cup (easy), then scissors (hard): an order no
// shuffle can change.
func cupThenScissors(c *game.Config) { c.Hunt.Items = []string{"scissors", "cup"} }

// script is what the camera sees tick by tick: 'c' a cup, '.' nothing.
func script(s string, tick int) bool { return tick < len(s) && s[tick] == 'c' }

func TestHuntFindNeedsTheHold(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script string
		find   int // tick of the find, -1 for none
	}{
		{"held from the start", "cccccccccc", 9},
		{"held for the hold", ".....cccccccccc", 14},
		{"a glimpse", ".....ccccc", -1},
		{"one tick short", "ccccccccc", -1},
		{"one missed inference does not start over", ".....ccccc.cccccc", 16},
		{"a long gap drains it", "ccccc..........ccccccccc", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(huntTick, 1)
			h := game.NewHunt(arcade(cupThenScissors))
			found := -1
			for i := range 40 {
				o := obs()
				if script(tc.script, i) {
					seeing(o, "cup")
				}
				n := len(r.events)
				require.Nil(t, r.step(h, o))
				if f := ofType(r.since(n), "find"); len(f) > 0 {
					require.Equal(t, -1, found, "found twice")
					found = i
					assert.Equal(t, "cup", f[0].Item)
				}
			}
			assert.Equal(t, tc.find, found)
			if tc.find >= 0 {
				assert.Equal(t, "scissors", h.Item(), "the next item is asked")
				assert.Equal(t, 1, h.Finds())
			}
		})
	}
}

func TestHuntHoldRingRisesAndDecays(t *testing.T) {
	r := newRig(huntTick, 1)
	h := game.NewHunt(arcade(cupThenScissors))
	for range 5 {
		r.step(h, seeing(obs(), "cup"))
	}
	assert.InDelta(t, 0.5, h.Hold(), 1e-9)
	r.step(h, obs())
	assert.InDelta(t, 0.45, h.Hold(), 1e-9, "falls back at half speed")
}

func TestHuntPointsFallWithTimeTaken(t *testing.T) {
	for _, tc := range []struct {
		wait   int // ticks before the cup shows
		points int
	}{
		{0, 200},  // found in the hold time itself
		{50, 164}, // 5 s late of 14: 100 + 64
		{100, 129},
		{139, 101},
	} {
		r := newRig(huntTick, 1)
		h := game.NewHunt(arcade(cupThenScissors))
		for i := 0; len(ofType(r.events, "find")) == 0; i++ {
			o := obs()
			if i >= tc.wait {
				seeing(o, "cup")
			}
			r.step(h, o)
		}
		assert.Equal(t, tc.points, ofType(r.events, "find")[0].Points, "wait %d", tc.wait)
		assert.Equal(t, tc.points, h.Score())
	}
}

func TestHuntSkipsAfterAWhile(t *testing.T) {
	r := newRig(huntTick, 1)
	h := game.NewHunt(arcade(cupThenScissors))
	for range 149 {
		r.step(h, obs())
	}
	assert.Empty(t, ofType(r.events, "skip"), "not before 15 s")
	n := len(r.events)
	r.step(h, obs())
	got := r.since(n)
	require.Len(t, got, 2)
	assert.Equal(t, game.KindSkip, got[0].Kind)
	assert.Equal(t, "cup", got[0].Item)
	assert.Equal(t, game.KindPrompt, got[1].Kind)
	assert.Equal(t, "scissors", got[1].Item)
	assert.Equal(t, "scissors", h.Item())
	assert.Zero(t, h.Hold())
}

func TestHuntFindAddsBonusTime(t *testing.T) {
	r := newRig(huntTick, 1)
	h := game.NewHunt(arcade(cupThenScissors))
	for range 9 {
		r.step(h, seeing(obs(), "cup"))
	}
	before := h.Left()
	r.step(h, seeing(obs(), "cup"))
	require.Len(t, ofType(r.events, "find"), 1)
	assert.Equal(t, before-huntTick+5*time.Second, h.Left())
}

func TestHuntAsksEasyThingsFirst(t *testing.T) {
	tier := map[string]int{"cup": 0, "bottle": 0, "cell phone": 0, "book": 0, "backpack": 0, "laptop": 0,
		"handbag": 1, "keyboard": 1, "mouse": 1, "remote": 1, "clock": 1, "banana": 1, "apple": 1, "orange": 1,
		"umbrella": 2, "scissors": 2, "teddy bear": 2}
	orders := map[string]bool{}
	for seed := range uint64(5) {
		r := newRig(huntTick, seed)
		h := game.NewHunt(arcade(nil))
		var next game.Scene
		for next == nil {
			// Whatever is asked for is shown at once.
			next = r.step(h, seeing(obs(), h.Item()))
		}
		var asked []string
		for _, e := range ofType(r.events, "prompt") {
			asked = append(asked, e.Item)
		}
		require.Len(t, asked, len(game.DefaultConfig().Hunt.Items), "everything asked once, then the round ends")
		assert.True(t, slices.IsSortedFunc(asked, func(a, b string) int { return tier[a] - tier[b] }), "%v", asked)
		assert.Equal(t, len(asked), h.Finds())
		orders[strings.Join(asked[:3], ",")] = true
	}
	assert.Greater(t, len(orders), 1, "shuffled within a tier")
}

// TestHuntGolden is the whole event log of a short scripted round.
func TestHuntGolden(t *testing.T) {
	r := newRig(huntTick, 1)
	h := game.NewHunt(arcade(func(c *game.Config) {
		cupThenScissors(c)
		c.Hunt.RoundSeconds = 20
	}))
	// The cup shows for half a second, drops out for one inference, and
	// comes back.
	cup := ".....ccccc.cccccc"
	var next game.Scene
	for i := 0; next == nil; i++ {
		o := obs()
		if script(cup, i) {
			seeing(o, "cup")
		}
		next = r.step(h, o)
	}
	assert.Equal(t, []string{
		`{"t":0,"type":"round_start","game":"hunt"}`,
		`{"t":0,"type":"prompt","item":"cup"}`,
		`{"t":1.6,"type":"find","item":"cup","points":195}`,
		`{"t":1.6,"type":"prompt","item":"scissors"}`,
		`{"t":16.6,"type":"skip","item":"scissors"}`,
		`{"t":16.6,"type":"prompt","item":"scissors"}`,
		`{"t":24.9,"type":"round_end","game":"hunt","score":195}`,
	}, jsonLines(t, r.events))
	res, ok := next.(*game.Results)
	require.True(t, ok)
	assert.Equal(t, 195, res.Score())
	assert.Equal(t, "hunt", res.Game())
}
