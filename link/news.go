package link

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/carrierarcade/kiosk/game"
)

// NewsItem is one line of the ticker: what another carrier did.
type NewsItem struct {
	At   time.Time
	Text string // "Kubecon Cat 2: Brave Otter scored 500 in Object Hunt!"
}

// newsKept is how many lines the ticker remembers.
const newsKept = 8

// news is the last few things other carriers did. Safe for concurrent use.
type news struct {
	mu   sync.Mutex
	list []NewsItem
}

func (n *news) add(m Message) {
	text := ""
	switch m.Kind {
	case KindResult:
		if m.Score <= 0 {
			return // a battle's zero: the battle's own line tells it
		}
		title, _ := game.About(m.Game)
		text = fmt.Sprintf("%s: %s scored %d in %s!", m.Name, m.Player, m.Score, title)
	case KindFind:
		text = fmt.Sprintf("%s: someone found a %s!", m.Name, m.Item)
	default:
		return
	}
	n.addText(m.At, text)
}

func (n *news) addText(at time.Time, text string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.list = append(n.list, NewsItem{At: at, Text: text})
	if len(n.list) > newsKept {
		n.list = slices.Delete(n.list, 0, len(n.list)-newsKept)
	}
}

func (n *news) items() []NewsItem {
	n.mu.Lock()
	defer n.mu.Unlock()
	return slices.Clone(n.list)
}
