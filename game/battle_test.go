package game_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// advanceUntil drives b from the wall clock at from in frame steps until
// an event of kind is heard; it returns the wall time of that frame.
func (b *kioskRig) advanceUntil(t *testing.T, from time.Time, frame time.Duration, kind game.Kind) time.Time {
	t.Helper()
	now := from
	for range 10000 {
		before := len(b.events)
		b.Advance(now, obs())
		for _, e := range b.events[before:] {
			if e.Kind == kind {
				return now
			}
		}
		now = now.Add(frame)
	}
	t.Fatalf("no %s event", kind)
	return time.Time{}
}

func TestBattleRoundStartsAtTheCalledMoment(t *testing.T) {
	for _, frame := range []time.Duration{time.Second / 60, 70 * time.Millisecond, 130 * time.Millisecond} {
		b := newKiosk(t, testSetup())
		t0 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
		b.Advance(t0, obs())
		start := t0.Add(5*time.Second + 321*time.Millisecond)
		b.Battle(game.BattleCall{ID: "b1", Game: "bubbles", Start: start})
		at := b.advanceUntil(t, t0.Add(frame), frame, game.KindRoundStart)
		// The frame that played the round's first tick is at most a tick
		// (and the frame it fell in) after the called moment.
		assert.False(t, at.Before(start), "frame %v: started %v before the call", frame, start.Sub(at))
		assert.Less(t, at.Sub(start), b.Dt()+frame, "frame %v", frame)

		battle := ofType(b.events, game.KindBattle)
		require.Len(t, battle, 1)
		assert.Equal(t, "b1", battle[0].Battle)
		assert.Equal(t, 5, battle[0].N, "the countdown's seconds")
		starts := ofType(b.events, game.KindRoundStart)
		assert.Equal(t, "bubbles", starts[0].Game)
		assert.Equal(t, "b1", starts[0].Battle)
	}
}

func TestBattleEndsTheRoundInPlayWithItsScore(t *testing.T) {
	b := newKiosk(t, testSetup())
	require.NoError(t, b.StartGame("hunt"))
	b.play(200, obs()) // countdown and into the round
	require.Equal(t, "hunt", b.Scene().Name())
	b.Battle(game.BattleCall{ID: "b2", Game: "freeze", Start: time.Now().Add(3 * time.Second)})
	b.play(1, obs())
	ends := ofType(b.events, game.KindRoundEnd)
	require.Len(t, ends, 1, "the hunt ended")
	assert.Equal(t, "hunt", ends[0].Game)
	assert.Empty(t, ends[0].Battle)
	require.Len(t, ofType(b.events, game.KindResults), 1, "its results were told (and its score kept)")
	cd, ok := b.Scene().(*game.Countdown)
	require.True(t, ok, "the battle's countdown is on screen, not the results")
	assert.Equal(t, "b2", cd.Battle())

	// The battle round's end and results carry the battle, for the link.
	for i := 0; i < 10000 && len(ofType(b.events, game.KindResults)) < 2; i++ {
		b.play(1, obs())
	}
	res := ofType(b.events, game.KindResults)
	require.Len(t, res, 2)
	assert.Equal(t, "freeze", res[1].Game)
	assert.Equal(t, "b2", res[1].Battle)
	lines := jsonLines(t, res)
	assert.NotContains(t, lines[0], `"battle"`, "a round outside a battle writes what it always wrote")
	assert.Contains(t, lines[1], `"battle":"b2"`)
}

func TestBattleCalledTooLateIsNotPlayed(t *testing.T) {
	b := newKiosk(t, testSetup())
	t0 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	b.Advance(t0, obs())
	b.Battle(game.BattleCall{ID: "b3", Game: "hunt", Start: t0.Add(-10 * time.Second)})
	b.Advance(t0.Add(time.Second), obs())
	battle := ofType(b.events, game.KindBattle)
	require.Len(t, battle, 1)
	assert.Contains(t, battle[0].Reason, "after the start")
	assert.Equal(t, "attract", b.Scene().Name())

	// A game this carrier does not have: said, and nothing starts.
	b.Battle(game.BattleCall{ID: "b4", Game: "chess", Start: t0.Add(4 * time.Second)})
	b.Advance(t0.Add(2*time.Second), obs())
	battle = ofType(b.events, game.KindBattle)
	require.Len(t, battle, 2)
	assert.Contains(t, battle[1].Reason, `no game "chess"`)
	assert.Equal(t, "attract", b.Scene().Name())
}

func TestBattleKeyCallsTheUpcomingGame(t *testing.T) {
	b := newKiosk(t, testSetup())
	b.Press("B")
	b.play(1, obs())
	calls := ofType(b.events, game.KindBattleCall)
	require.Len(t, calls, 1)
	assert.Equal(t, game.DefaultConfig().Rotation[0], calls[0].Game)
	assert.Equal(t, "attract", b.Scene().Name(), "nothing starts until the link calls it back")
	data, err := json.Marshal(calls[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"t":0,"type":"battle_call","game":"`+calls[0].Game+`"}`, string(data))
}

// When drawing is so slow that the game clock falls behind the wall clock
// (the session drops what it cannot catch up), the battle still starts at
// its moment by the wall clock: the other carriers start then.
func TestBattleStartsOnTimeWhenTheGameClockLags(t *testing.T) {
	setup := testSetup()
	setup.TPS = 60 // 30 ticks at most per frame: half a second
	b := newKiosk(t, setup)
	t0 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	b.Advance(t0, obs())
	start := t0.Add(5 * time.Second)
	b.Battle(game.BattleCall{ID: "slow", Game: "bubbles", Start: start})
	frame := 900 * time.Millisecond
	at := b.advanceUntil(t, t0.Add(frame), frame, game.KindRoundStart)
	assert.False(t, at.Before(start))
	assert.Less(t, at.Sub(start), frame, "the first frame at or after the moment starts it")
	assert.Less(t, b.Now(), 5*time.Second, "the game clock did lag")
}
