package link

import (
	"cmp"
	"slices"
	"sync"
)

// BoardEntry is one line of the cross-carrier board.
type BoardEntry struct {
	Player  string `json:"player"`
	Carrier string `json:"carrier"` // the carrier's name on screen
	Score   int    `json:"score"`
}

// Board is today's results from every carrier, by game and day, best
// first. Safe for concurrent use.
type Board struct {
	mu   sync.Mutex
	seen map[string]bool                    // message IDs: a result counts once
	days map[string]map[string][]BoardEntry // day -> game -> entries
}

// NewBoard is an empty board.
func NewBoard() *Board {
	return &Board{seen: map[string]bool{}, days: map[string]map[string][]BoardEntry{}}
}

// Add enters a result message (others are ignored).
func (b *Board) Add(m Message) {
	if m.Kind != KindResult || m.Score <= 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.seen[m.ID] {
		return
	}
	b.seen[m.ID] = true
	if b.days[m.Day] == nil {
		b.days[m.Day] = map[string][]BoardEntry{}
	}
	top := append(b.days[m.Day][m.Game], BoardEntry{Player: m.Player, Carrier: m.Name, Score: m.Score})
	slices.SortStableFunc(top, func(x, y BoardEntry) int { return cmp.Compare(y.Score, x.Score) })
	b.days[m.Day][m.Game] = top[:min(len(top), 10)]
}

// Top is a day's top ten of a game across carriers.
func (b *Board) Top(game, day string) []BoardEntry {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.days[day][game])
}

// Results is how many results the board holds for a day.
func (b *Board) Results(day string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, top := range b.days[day] {
		n += len(top)
	}
	return n
}

// Games are the games with results on a day.
func (b *Board) Games(day string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for g := range b.days[day] {
		out = append(out, g)
	}
	slices.Sort(out)
	return out
}
