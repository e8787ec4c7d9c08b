package link

import (
	"cmp"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/carrierarcade/kiosk/game"
)

// Public is what the hub's public page shows visitors: today's board
// across carriers, the battles in play or just ended, and the carriers.
// Only fun names, carrier names, scores and states: nothing about people
// and nothing about keys or addresses.
type Public struct {
	Day      string          `json:"day"`
	Games    []PublicGame    `json:"games"`
	Battles  []PublicBattle  `json:"battles"`
	Carriers []PublicCarrier `json:"carriers"`
}

// PublicGame is one game's best scores today across carriers.
type PublicGame struct {
	Game  string        `json:"game"`
	Title string        `json:"title"`
	Top   []PublicScore `json:"top"`
}

// PublicScore is one line of a board.
type PublicScore struct {
	Player  string `json:"player"` // the fun name the score went under
	Carrier string `json:"carrier"`
	Score   int    `json:"score"`
}

// PublicBattle is a carrier battle: "starting", "playing", "won" or
// "draw".
type PublicBattle struct {
	Title  string            `json:"title"`
	Caller string            `json:"caller"`
	State  string            `json:"state"`
	Rows   []PublicBattleRow `json:"rows"`
}

// PublicBattleRow is one carrier in a battle, best first.
type PublicBattleRow struct {
	Carrier string `json:"carrier"`
	Player  string `json:"player,omitempty"`
	Score   int    `json:"score"`
	Final   bool   `json:"final"`
	Winner  bool   `json:"winner,omitempty"`
}

// PublicCarrier is a carrier as its heartbeats tell it. Battery and
// Camera are absent when the carrier does not say (no battery; an older
// kiosk).
type PublicCarrier struct {
	Name    string `json:"name"`
	Online  bool   `json:"online"`
	Battery *int   `json:"battery,omitempty"` // percent
	Camera  *bool  `json:"camera,omitempty"`  // the camera is up (not the demo reel)
	Games   int    `json:"games"`             // results stored today
}

// Timings of the page: how long a battle stays on it after its last news,
// how many are shown, how many lines a board has.
const (
	battleShown  = 10 * time.Minute
	battlesShown = 3
	topShown     = 10
)

// hubView is what the hub knows for its page, from what crosses it:
// every carrier's stored events (followed from the carriers' own
// streams), their heartbeats, and battle calls and live scores. Safe for
// concurrent use; each change wakes the page's watchers.
type hubView struct {
	now  func() time.Time
	keys []HubCarrier // [hub] carriers, for the page's order and names

	mu      sync.Mutex
	board   *Board
	results map[string]map[string]int // day -> carrier ID -> results stored
	names   map[string]string         // carrier ID -> its own name
	beats   map[string]heardBeat      // carrier ID -> last heartbeat
	battles map[string]*hubBattle
	order   []string // battle IDs, oldest first
	online  string   // who was online at the last look, to notice a change
	day     string   // the day at the last look
	changed chan struct{}
}

type heardBeat struct {
	p  presence
	at time.Time
}

// hubBattle is one battle as the hub saw it.
type hubBattle struct {
	game, caller string
	start, last  time.Time
	rows         map[string]*battler // by carrier ID
}

func newHubView(keys []HubCarrier, now func() time.Time) *hubView {
	return &hubView{now: now, keys: keys, board: NewBoard(), results: map[string]map[string]int{},
		names: map[string]string{}, beats: map[string]heardBeat{}, battles: map[string]*hubBattle{}, changed: make(chan struct{})}
}

// tell wakes the watchers. v.mu is held.
func (v *hubView) tell() {
	close(v.changed)
	v.changed = make(chan struct{})
}

// stored takes an event from a carrier's stream.
func (v *hubView) stored(m Message) {
	if m.Kind != KindResult {
		return // finds are not on the page
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.names[m.Carrier] = m.Name
	if v.results[m.Day] == nil {
		v.results[m.Day] = map[string]int{}
	}
	v.results[m.Day][m.Carrier]++
	v.board.Add(m)
	if m.Battle != "" {
		b := v.battle(m.Battle, m.Game)
		r := b.row(m.Carrier)
		r.name, r.player, r.score, r.final = m.Name, m.Player, m.Score, true
		b.last = v.now()
	}
	v.tell()
}

// heard takes a heartbeat.
func (v *hubView) heard(p presence) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.names[p.Carrier] = p.Name
	old, seen := v.beats[p.Carrier]
	v.beats[p.Carrier] = heardBeat{p: p, at: v.now()}
	// A heartbeat that says nothing new changes nothing on the page.
	if !seen || old.p.Name != p.Name || !eqPtr(old.p.Battery, p.Battery) || !eqPtr(old.p.Camera, p.Camera) ||
		v.now().Sub(old.at) > Online {
		v.tell()
	}
}

// called takes a battle call.
func (v *hubView) called(c battleCall) {
	v.mu.Lock()
	defer v.mu.Unlock()
	b := v.battle(c.ID, c.Game)
	b.caller, b.start, b.last = c.Name, c.Start, v.now()
	v.tell()
}

// live takes a carrier's score during a battle round.
func (v *hubView) live(s liveScore) {
	v.mu.Lock()
	defer v.mu.Unlock()
	b := v.battle(s.Battle, "")
	r := b.row(s.Carrier)
	if r.final || (r.name == s.Name && r.score == s.Score) {
		return
	}
	r.name, r.score = s.Name, s.Score
	b.last = v.now()
	v.tell()
}

// battle is the battle by ID, made if new. v.mu is held.
func (v *hubView) battle(id, gameName string) *hubBattle {
	b := v.battles[id]
	if b == nil {
		b = &hubBattle{rows: map[string]*battler{}, last: v.now()}
		v.battles[id] = b
		v.order = append(v.order, id)
		if len(v.order) > battlesKept {
			delete(v.battles, v.order[0])
			v.order = v.order[1:]
		}
	}
	if b.game == "" {
		b.game = gameName
	}
	return b
}

func (b *hubBattle) row(carrier string) *battler {
	r := b.rows[carrier]
	if r == nil {
		r = &battler{}
		b.rows[carrier] = r
	}
	return r
}

// look notices what time alone changes: a carrier no longer heard, a new
// day. The hub calls it every second.
func (v *hubView) look() {
	v.mu.Lock()
	defer v.mu.Unlock()
	day := v.now().Format(dayLayout)
	online, _ := json.Marshal(v.onlineIDs())
	if day != v.day || string(online) != v.online {
		v.day, v.online = day, string(online)
		v.tell()
	}
}

const dayLayout = "2006-01-02"

// onlineIDs are the carriers heard lately, sorted. v.mu is held.
func (v *hubView) onlineIDs() []string {
	var ids []string
	for id, b := range v.beats {
		if v.now().Sub(b.at) <= Online {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// watch is the page now, and a channel closed at its next change.
func (v *hubView) watch() (Public, <-chan struct{}) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.public(), v.changed
}

// public is the page now. v.mu is held.
func (v *hubView) public() Public {
	now := v.now()
	p := Public{Day: now.Format(dayLayout), Games: []PublicGame{}, Battles: []PublicBattle{}, Carriers: []PublicCarrier{}}
	for _, g := range v.board.Games(p.Day) {
		title, _ := game.About(g)
		pg := PublicGame{Game: g, Title: title, Top: []PublicScore{}}
		for i, e := range v.board.Top(g, p.Day) {
			if i == topShown {
				break
			}
			pg.Top = append(pg.Top, PublicScore{Player: e.Player, Carrier: e.Carrier, Score: e.Score})
		}
		p.Games = append(p.Games, pg)
	}
	for i := len(v.order) - 1; i >= 0 && len(p.Battles) < battlesShown; i-- {
		b := v.battles[v.order[i]]
		if now.Sub(b.last) > battleShown || len(b.rows) == 0 {
			continue
		}
		p.Battles = append(p.Battles, b.public(now))
	}
	for _, k := range v.keys {
		id := carrierID(k.Key)
		c := PublicCarrier{Name: cmp.Or(v.names[id], k.Name), Games: v.results[p.Day][id]}
		if c.Name == "" {
			continue // never heard, and no name to show
		}
		if b, ok := v.beats[id]; ok {
			c.Online = now.Sub(b.at) <= Online
			if c.Online {
				c.Battery, c.Camera = b.p.Battery, b.p.Camera
			}
		}
		p.Carriers = append(p.Carriers, c)
	}
	return p
}

// public is the battle for the page: best first, its winner once every
// carrier that played has its result in.
func (b *hubBattle) public(now time.Time) PublicBattle {
	title, _ := game.About(b.game)
	pb := PublicBattle{Title: title, Caller: b.caller, State: "playing"}
	final := true
	for _, r := range b.rows {
		pb.Rows = append(pb.Rows, PublicBattleRow{Carrier: r.name, Player: r.player, Score: r.score, Final: r.final})
		final = final && r.final
	}
	slices.SortFunc(pb.Rows, func(x, y PublicBattleRow) int {
		return cmp.Or(cmp.Compare(y.Score, x.Score), cmp.Compare(x.Carrier, y.Carrier))
	})
	switch {
	case now.Before(b.start):
		pb.State = "starting"
	case final:
		pb.State = "won"
		best := pb.Rows[0].Score
		for i := range pb.Rows {
			if pb.Rows[i].Score == best {
				pb.Rows[i].Winner = true
				if i > 0 {
					pb.State = "draw"
				}
			}
		}
	}
	return pb
}

func eqPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
