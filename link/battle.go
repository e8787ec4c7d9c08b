package link

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/nats-io/nats.go"
)

// A carrier battle: a presenter's key starts the same game on every carrier
// online at the same moment. The call and the live scores are plain NATS
// messages, not stored (a battle is now or never); each carrier's result is
// an ordinary stored result that names the battle, so a carrier cut off
// mid-round still reports it when it is back, and every carrier reckons the
// winner from the same stored results.

// battleLead is how far ahead a battle starts: time for the call to reach
// every carrier and for a full countdown on each.
const battleLead = 5 * time.Second

// battleAhead is the furthest ahead a call may start: a later one is not a
// battle a presenter just called.
const battleAhead = time.Minute

// battlesKept is how many battles a carrier remembers, for their boards.
const battlesKept = 16

// liveEvery is how often a carrier in a battle tells its score, at most;
// liveAgain is how often it tells an unchanged one (for a carrier that
// joined late in listening).
const (
	liveEvery = 500 * time.Millisecond
	liveAgain = 3 * time.Second
)

// skewTold is how far this carrier's clock may be from the hub's before
// the log says so.
const skewTold = time.Second

// clockEvery is how often the carrier asks the hub for its time.
const clockEvery = 30 * time.Second

// timeSubject is where the hub ('kiosk hub') tells the time.
const timeSubject = "arcade.time"

func battleSubject(carrier string) string { return "arcade.battle." + carrier }
func liveSubject(carrier string) string   { return "arcade.live." + carrier }

// battleCall is the call: the game and the moment its rounds start, on the
// hub's clock.
type battleCall struct {
	Carrier string    `json:"carrier"` // who called it
	Name    string    `json:"name"`
	ID      string    `json:"id"`
	Game    string    `json:"game"`
	Start   time.Time `json:"start"`
}

// liveScore is a carrier's score during a battle round (not stored).
type liveScore struct {
	Carrier string `json:"carrier"`
	Name    string `json:"name"`
	Battle  string `json:"battle"`
	Score   int    `json:"score"`
}

// battle is one battle as this carrier knows it.
type battle struct {
	id, game string
	caller   string // its name
	players  map[string]*battler
	told     bool // the winner went on the ticker
}

type battler struct {
	name   string
	player string // the fun name of a result
	score  int
	final  bool // the result is in
}

// BattleView is a battle for the screen: every carrier that plays it, best
// first, and the winner once every result is in.
type BattleView struct {
	ID     string      `json:"id"`
	Game   string      `json:"game"`
	Caller string      `json:"caller"`
	Rows   []BattleRow `json:"rows"`
	// Waiting names the carriers whose result has not arrived yet.
	Waiting []string `json:"waiting,omitempty"`
	// Winners is empty until every result is in; more than one is a draw.
	Winners []BattleRow `json:"winners,omitempty"`
}

// BattleRow is one carrier in a battle.
type BattleRow struct {
	Carrier string `json:"carrier"` // its name on screen
	Player  string `json:"player,omitempty"`
	Score   int    `json:"score"`
	Final   bool   `json:"final"`
	Own     bool   `json:"own"` // this carrier
}

// OnBattle names what a battle call does here: the kiosk hands it to its
// session. Set before the first call can come (right after Start).
func (c *Carrier) OnBattle(f func(game.BattleCall)) {
	c.mu.Lock()
	c.onBattle = f
	c.mu.Unlock()
}

// Live tells the others this carrier's score in a battle round. The screen
// calls it on every frame; it only notes the score, the link's own
// goroutine sends it (at most every half second).
func (c *Carrier) Live(battleID string, score int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if battleID == "" || battleID != c.live.battle || score == c.live.score {
		return
	}
	c.live.score, c.live.dirty = score, true
	if b := c.battles[battleID]; b != nil {
		if p := b.players[c.id]; p != nil && !p.final {
			p.score = score
		}
	}
}

// LiveScene tells the live score of the scene on screen when it is a
// battle round: the window and the simulator call it after each update.
func (c *Carrier) LiveScene(sc game.Scene) {
	if g, ok := sc.(interface {
		Battle() string
		Score() int
	}); ok {
		if id := g.Battle(); id != "" {
			c.Live(id, g.Score())
		}
	}
}

// Battle is what this carrier knows of a battle; false if nothing.
func (c *Carrier) Battle(id string) (BattleView, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.battles[id]
	if b == nil {
		return BattleView{}, false
	}
	return c.view(b), true
}

func (c *Carrier) view(b *battle) BattleView {
	v := BattleView{ID: b.id, Game: b.game, Caller: b.caller}
	for id, p := range b.players {
		v.Rows = append(v.Rows, BattleRow{Carrier: p.name, Player: p.player, Score: p.score, Final: p.final, Own: id == c.id})
		if !p.final {
			v.Waiting = append(v.Waiting, p.name)
		}
	}
	// Best first; equal scores by name, so every carrier lists alike.
	slices.SortFunc(v.Rows, func(x, y BattleRow) int {
		return cmp.Or(cmp.Compare(y.Score, x.Score), cmp.Compare(x.Carrier, y.Carrier))
	})
	slices.Sort(v.Waiting)
	if len(v.Waiting) == 0 && len(v.Rows) > 0 {
		for _, r := range v.Rows {
			if r.Score == v.Rows[0].Score {
				v.Winners = append(v.Winners, r)
			}
		}
	}
	return v
}

// battleFor is the battle by ID, made if new. c.mu is held.
func (c *Carrier) battleFor(id, gameName string) *battle {
	if b := c.battles[id]; b != nil {
		return b
	}
	b := &battle{id: id, game: gameName, players: map[string]*battler{}}
	c.battles[id] = b
	c.battleOrder = append(c.battleOrder, id)
	if len(c.battleOrder) > battlesKept {
		delete(c.battles, c.battleOrder[0])
		c.battleOrder = c.battleOrder[1:]
	}
	return b
}

// hearBattle follows this carrier's own session: the presenter's call, the
// countdown that means it plays, and its result.
func (c *Carrier) hearBattle(e game.Event) {
	switch e.Kind {
	case game.KindBattleCall:
		select {
		case c.calls <- e.Game:
		default: // a call is already on its way
		}
	case game.KindBattle:
		if e.Reason != "" {
			c.log.Warn("battle not played here", "battle", e.Battle, "game", e.Game, "reason", e.Reason)
			return
		}
		c.mu.Lock()
		c.live = liveState{battle: e.Battle, dirty: true}
		b := c.battleFor(e.Battle, e.Game)
		if b.players[c.id] == nil {
			b.players[c.id] = &battler{name: c.name}
		}
		c.mu.Unlock()
	case game.KindResults:
		if e.Battle == "" {
			return
		}
		c.mu.Lock()
		if c.live.battle == e.Battle {
			c.live = liveState{}
		}
		if b := c.battles[e.Battle]; b != nil {
			if p := b.players[c.id]; p != nil {
				p.player, p.score, p.final = e.Name, e.Score, true
			}
		}
		c.mu.Unlock()
	}
}

// liveState is this carrier's score in the battle round it plays.
type liveState struct {
	battle string
	score  int
	dirty  bool
	sent   time.Time
}

// battleLoop sends this carrier's calls and live scores, and keeps the
// hub's time.
func (c *Carrier) battleLoop(ctx context.Context) {
	defer c.wg.Done()
	t := time.NewTicker(liveEvery)
	defer t.Stop()
	var asked time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case g := <-c.calls:
			c.call(g)
		case <-t.C:
			c.sendLive()
			if c.Status().Up && time.Since(asked) >= clockEvery {
				asked = time.Now()
				c.askTime()
			}
		}
	}
}

// call calls a battle of game g on every carrier, this one too (its own
// call comes back to it like the others').
func (c *Carrier) call(g string) {
	c.mu.Lock()
	c.seq++
	id := c.id + "-" + strconv.FormatInt(c.now().Unix(), 36) + strconv.FormatUint(c.seq, 36)
	up := !c.upSince.IsZero()
	online := 0
	for pid, p := range c.peers {
		if pid != c.id && c.now().Sub(p.Heard) <= Online {
			online++
		}
	}
	c.mu.Unlock()
	call := battleCall{Carrier: c.id, Name: c.name, ID: id, Game: g, Start: c.hubNow().Add(battleLead)}
	data, err := json.Marshal(call)
	if err == nil {
		err = c.nc.Publish(battleSubject(c.id), data)
	}
	if err != nil {
		c.fail("battle not called", err)
		return
	}
	if !up {
		c.log.Warn("battle called with the link down: it plays on this carrier only", "battle", id, "game", g)
		return
	}
	c.log.Info("battle called", "battle", id, "game", g, "carriers_online", online)
}

// heardBattle takes a call (this carrier's own too) and hands it to the
// session, with the start turned into this machine's clock.
func (c *Carrier) heardBattle(m *nats.Msg) {
	var call battleCall
	if json.Unmarshal(m.Data, &call) != nil || m.Subject != battleSubject(call.Carrier) || call.ID == "" {
		return // a carrier calls only for itself
	}
	// The start is on the hub's clock; the session plays on this
	// machine's wall clock.
	in := call.Start.Sub(c.hubNow())
	if in > battleAhead {
		c.log.Warn("battle call ignored: it starts too far ahead", "battle", call.ID, "from", call.Name, "in", in.Round(time.Second))
		return
	}
	c.mu.Lock()
	if _, dup := c.battles[call.ID]; dup {
		c.mu.Unlock()
		return
	}
	b := c.battleFor(call.ID, call.Game)
	b.caller = call.Name
	hand := c.onBattle
	c.mu.Unlock()
	c.log.Info("battle", "battle", call.ID, "game", call.Game, "called_by", call.Name, "starts_in", in.Round(10*time.Millisecond))
	if hand != nil {
		hand(game.BattleCall{ID: call.ID, Game: call.Game, Start: time.Now().Add(in)})
	}
}

// sendLive tells this carrier's score in a battle round when it changed,
// and now and then when it did not.
func (c *Carrier) sendLive() {
	c.mu.Lock()
	l := c.live
	due := l.battle != "" && (l.dirty || time.Since(l.sent) >= liveAgain)
	if due {
		c.live.dirty, c.live.sent = false, time.Now()
	}
	c.mu.Unlock()
	if !due {
		return
	}
	data, err := json.Marshal(liveScore{Carrier: c.id, Name: c.name, Battle: l.battle, Score: l.score})
	if err == nil {
		_ = c.nc.Publish(liveSubject(c.id), data) // not stored: a live score is now or never
	}
}

// heardLive notes another carrier's live score.
func (c *Carrier) heardLive(m *nats.Msg) {
	var s liveScore
	if json.Unmarshal(m.Data, &s) != nil || m.Subject != liveSubject(s.Carrier) || s.Carrier == c.id {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.battles[s.Battle]
	if b == nil {
		return // a battle this carrier was not called to
	}
	p := b.players[s.Carrier]
	if p == nil {
		p = &battler{name: s.Name}
		b.players[s.Carrier] = p
	}
	if !p.final {
		p.score = s.Score
	}
}

// battleResult enters a stored result that names a battle: the same on
// every carrier, so all agree on the winner. A battle this carrier did
// not see (it was away) is still entered: its board is kept.
func (c *Carrier) battleResult(m Message) {
	c.mu.Lock()
	b := c.battleFor(m.Battle, m.Game)
	p := b.players[m.Carrier]
	if p == nil {
		p = &battler{}
		b.players[m.Carrier] = p
	}
	p.name, p.player, p.score, p.final = m.Name, m.Player, m.Score, true
	v := c.view(b)
	tell := len(v.Winners) > 0 && !b.told && len(v.Rows) > 1
	if tell {
		b.told = true
	}
	c.mu.Unlock()
	if tell {
		c.news.addText(m.At, battleNews(v))
		c.log.Info("battle won", "battle", v.ID, "game", v.Game, "winner", v.Winners[0].Carrier, "score", v.Winners[0].Score, "carriers", len(v.Rows))
	}
}

// battleNews is the ticker's line for a battle's end.
func battleNews(v BattleView) string {
	title, _ := game.About(v.Game)
	w := v.Winners[0]
	if len(v.Winners) > 1 {
		return fmt.Sprintf("Battle of %s: a draw at %d!", title, w.Score)
	}
	return fmt.Sprintf("Battle of %s won by %s: %s scored %d!", title, w.Carrier, w.Player, w.Score)
}

// hubNow is the hub's time, as well as this carrier knows it: its own
// clock until the hub has told it.
func (c *Carrier) hubNow() time.Time {
	c.mu.Lock()
	off := c.offset
	c.mu.Unlock()
	return c.now().Add(off)
}

// askTime asks the hub for its time and keeps the offset from this
// carrier's clock (the round trip's middle against the hub's answer).
func (c *Carrier) askTime() {
	t0 := c.now()
	msg, err := c.nc.Request(timeSubject, nil, 2*time.Second)
	t1 := c.now()
	if err != nil {
		if errors.Is(err, nats.ErrNoResponders) && !c.clockTold {
			c.clockTold = true // only this goroutine reads and writes it
			c.log.Info("the hub does not tell the time (it is not 'kiosk hub'): battles start by the calling carrier's clock")
		}
		return
	}
	var hub time.Time
	if hub.UnmarshalText(msg.Data) != nil {
		return
	}
	rtt := t1.Sub(t0)
	off := hub.Sub(t0.Add(rtt / 2))
	c.mu.Lock()
	old := c.offset
	c.offset, c.clockKnown = off, true
	c.mu.Unlock()
	far := func(d time.Duration) bool { return d > skewTold || d < -skewTold }
	if far(off) && (!far(old) || (off-old).Abs() > skewTold/2) {
		c.log.Warn("this carrier's clock is off from the hub's: battles start by the hub's time; set the clock right (timedatectl set-ntp true)",
			"ahead_of_hub_by", -off.Round(10*time.Millisecond), "round_trip", rtt.Round(time.Millisecond))
	}
}
