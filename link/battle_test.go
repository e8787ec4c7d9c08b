package link

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/sight"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// booth is a session played on the wall clock by its own goroutine, as the
// window plays one, with the carrier's link listening.
type booth struct {
	c    *Carrier
	ses  *game.Session
	obs  sight.Observation
	stop chan struct{}
	done chan struct{}

	mu        sync.Mutex
	press     []string
	events    []game.Event
	startedAt time.Time // wall clock of the frame that started the battle round
	liveSeen  int       // the best live score of another carrier seen before its result
}

// motionEverywhere is a picture in motion all over: every bubble pops.
func motionEverywhere(part float32) sight.Observation {
	g := sight.MotionGrid{W: 16, H: 12, Calibrated: true, Energy: make([]float32, 16*12)}
	for i := range g.Energy {
		if float32(i%16) < part*16 {
			g.Energy[i] = 1
		}
	}
	return sight.Observation{Motion: g}
}

func playBooth(t *testing.T, c *Carrier, obs sight.Observation) *booth {
	t.Helper()
	setup := game.Setup{Game: game.DefaultConfig(), Keys: game.DefaultKeyConfig(), TPS: 60, Seed: 1}
	setup.Game.Rotation = []string{"bubbles", "hunt", "freeze", "dodge"}
	setup.Game.Bubbles.RoundSeconds = 4
	setup.Game.CountdownSeconds = 3
	b := &booth{c: c, obs: obs, stop: make(chan struct{}), done: make(chan struct{})}
	b.ses = game.NewSession(setup, nil, nil)
	b.ses.SetDay(testDay)
	b.ses.Listen(c.Hear)
	b.ses.Listen(func(e game.Event) {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.events = append(b.events, e)
		if e.Kind == game.KindRoundStart && e.Battle != "" {
			b.startedAt = time.Now()
		}
	})
	c.OnBattle(b.ses.Battle)
	go b.run()
	t.Cleanup(func() { close(b.stop); <-b.done })
	return b
}

func (b *booth) run() {
	defer close(b.done)
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-t.C:
		}
		b.mu.Lock()
		for _, k := range b.press {
			b.ses.Press(k)
		}
		b.press = nil
		b.mu.Unlock()
		b.ses.Advance(time.Now(), &b.obs)
		// What the window does on each frame: tell the live score, read
		// the others'.
		b.c.LiveScene(b.ses.Scene())
		if g, ok := b.ses.Scene().(game.Game); ok && g.(interface{ Battle() string }).Battle() != "" {
			if v, ok := b.c.Battle(g.(interface{ Battle() string }).Battle()); ok {
				for _, r := range v.Rows {
					if !r.Own && !r.Final {
						b.mu.Lock()
						b.liveSeen = max(b.liveSeen, r.Score)
						b.mu.Unlock()
					}
				}
			}
		}
	}
}

func (b *booth) pressKey(k string) {
	b.mu.Lock()
	b.press = append(b.press, k)
	b.mu.Unlock()
}

func (b *booth) of(kind game.Kind) []game.Event {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []game.Event
	for _, e := range b.events {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// A presenter's key on one carrier starts the same game on all three at
// the same moment, though one carrier's clock is 3 s fast (it goes by the
// hub's time, and its log says so); during the round each sees the
// others' live scores; one is cut off mid-round and still ends its round,
// and once it is back every carrier names the same winner.
func TestBattleThreeCarriersStartTogetherAndAgree(t *testing.T) {
	f := newFleetWith(t, map[string]time.Duration{"Cat 3": 3 * time.Second}, "Cat 1", "Cat 2", "Cat 3")
	f.allSee(t)
	fast := f.carriers[2]
	require.Eventually(t, func() bool { return fast.Status().ClockOffset != nil }, 30*time.Second, 20*time.Millisecond,
		"the fast carrier asked the hub's time")
	assert.InDelta(t, -3, *fast.Status().ClockOffset, 0.1)
	assert.Contains(t, f.logs["Cat 3"].String(), "clock is off from the hub")
	assert.InDelta(t, 0, *f.carriers[0].Status().ClockOffset, 0.1)
	assert.NotContains(t, f.logs["Cat 1"].String(), "clock is off")

	booths := []*booth{
		playBooth(t, f.carriers[0], motionEverywhere(1)),
		playBooth(t, f.carriers[1], sight.Observation{}),
		playBooth(t, f.carriers[2], motionEverywhere(0.5)),
	}
	booths[1].pressKey("B") // the presenter at Cat 2
	for _, b := range booths {
		require.Eventually(t, func() bool { return len(b.of(game.KindRoundStart)) == 1 }, 30*time.Second, 5*time.Millisecond)
	}
	var first, last time.Time
	id := booths[0].of(game.KindRoundStart)[0].Battle
	for i, b := range booths {
		rs := b.of(game.KindRoundStart)[0]
		assert.Equal(t, "bubbles", rs.Game, "the upcoming game of the caller's rotation")
		assert.Equal(t, id, rs.Battle, "carrier %d", i+1)
		b.mu.Lock()
		at := b.startedAt
		b.mu.Unlock()
		if first.IsZero() || at.Before(first) {
			first = at
		}
		if at.After(last) {
			last = at
		}
	}
	t.Logf("the three rounds started within %v", last.Sub(first))
	assert.Less(t, last.Sub(first), 100*time.Millisecond, "all countdowns end together")
}

// battleEnd follows the battle to its end: one carrier cut off mid-round
// still ends its round; its result reaches the others when it is back, and
// then all three name the same winner.
func TestBattleCarrierCutOffStillEndsAndAllAgree(t *testing.T) {
	f := newFleet(t, "Cat 1", "Cat 2", "Cat 3")
	f.allSee(t)
	booths := []*booth{
		playBooth(t, f.carriers[0], motionEverywhere(1)),
		playBooth(t, f.carriers[1], sight.Observation{}),
		playBooth(t, f.carriers[2], motionEverywhere(0.5)),
	}
	booths[0].pressKey("B")
	for _, b := range booths {
		require.Eventually(t, func() bool { return len(b.of(game.KindRoundStart)) == 1 }, 30*time.Second, 5*time.Millisecond)
	}
	id := booths[0].of(game.KindRoundStart)[0].Battle

	// Cut Cat 3 off from the hub a second into the round.
	time.Sleep(time.Second)
	cut := f.carriers[2]
	require.NoError(t, cut.setLeaf(false))
	require.Eventually(t, func() bool { return !cut.Status().Up }, 30*time.Second, 10*time.Millisecond)

	for i, b := range booths {
		require.Eventually(t, func() bool { return len(b.of(game.KindResults)) == 1 }, 30*time.Second, 10*time.Millisecond,
			"carrier %d ends its round", i+1)
		assert.Equal(t, id, b.of(game.KindResults)[0].Battle)
	}
	// The two still linked have each other's results and wait for Cat 3.
	require.Eventually(t, func() bool {
		v, _ := f.carriers[1].Battle(id)
		return len(v.Rows) == 3 && len(v.Waiting) == 1
	}, 30*time.Second, 10*time.Millisecond)
	v, _ := f.carriers[1].Battle(id)
	assert.Equal(t, []string{"Cat 3"}, v.Waiting)
	assert.Empty(t, v.Winners, "no winner while a result is missing")
	booths[1].mu.Lock()
	liveSeen := booths[1].liveSeen
	booths[1].mu.Unlock()
	assert.Positive(t, liveSeen, "Cat 2 saw the others' live scores during the round")

	require.NoError(t, cut.setLeaf(true))
	var views []BattleView
	for _, c := range f.carriers {
		require.Eventually(t, func() bool {
			v, ok := c.Battle(id)
			return ok && len(v.Winners) > 0
		}, 60*time.Second, 20*time.Millisecond, "%s names a winner", c.name)
		v, _ := c.Battle(id)
		views = append(views, v)
	}
	who := func(rows []BattleRow) (out []string) {
		for _, r := range rows {
			out = append(out, fmt.Sprint(r.Carrier, " ", r.Player, " ", r.Score))
		}
		return out
	}
	for i, v := range views {
		assert.Equal(t, who(views[0].Winners), who(v.Winners), "carrier %d agrees on the winner", i+1)
		assert.Equal(t, who(views[0].Rows), who(v.Rows), "carrier %d lists alike", i+1)
	}
	scores := map[string]int{}
	for _, r := range views[0].Rows {
		scores[r.Carrier] = r.Score
		assert.True(t, r.Final)
	}
	assert.Greater(t, scores["Cat 1"], scores["Cat 2"], "motion everywhere pops more than none")
	assert.Equal(t, "Cat 1", views[0].Winners[0].Carrier)
	assert.Equal(t, 0, scores["Cat 2"], "a battle's zero is a result too")
	require.Eventually(t, func() bool {
		for _, n := range f.carriers[1].News() {
			if n.Text == battleNews(views[0]) {
				return true
			}
		}
		return false
	}, 10*time.Second, 20*time.Millisecond, "the ticker tells who won")
	t.Logf("battle %s: %+v", id, views[0].Rows)
}

// A leaf link that stays down while the hub answers is restarted by the
// carrier itself.
func TestLinkRestartsALeafStuckDown(t *testing.T) {
	old := leafRestart
	leafRestart = time.Second
	t.Cleanup(func() { leafRestart = old })
	f := newFleet(t, "Cat 1", "Cat 2")
	f.allSee(t)
	c := f.carriers[0]
	// Stuck: the remote turned off, so the server's own retries never
	// bring it back.
	require.NoError(t, c.setLeaf(false))
	require.Eventually(t, func() bool { return !c.Status().Up }, 30*time.Second, 10*time.Millisecond)
	require.Eventually(t, func() bool { return c.Status().Up }, 30*time.Second, 10*time.Millisecond, "restarted by itself")
	assert.Contains(t, f.logs["Cat 1"].String(), "the hub answers but the link stayed down: restarting it")
	// Messages cross again: a battle call reaches the other carrier.
	c.call("hunt")
	require.Eventually(t, func() bool {
		f.carriers[1].mu.Lock()
		defer f.carriers[1].mu.Unlock()
		return len(f.carriers[1].battles) == 1
	}, 30*time.Second, 10*time.Millisecond)
}
