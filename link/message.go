package link

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/carrierarcade/kiosk/game"
)

// The kinds of message that cross the link: nothing else is published.
const (
	KindResult = "result" // a round's score under the player's fun name
	KindFind   = "find"   // something found in Object Hunt
)

// Message is one event a carrier tells the others: a few hundred bytes.
type Message struct {
	Carrier string `json:"carrier"` // the sender's ID
	Name    string `json:"name"`    // the sender's name on screen
	Kind    string `json:"kind"`
	Game    string `json:"game"`
	Score   int    `json:"score,omitempty"`
	Player  string `json:"player,omitempty"` // the made-up name the score went under
	Item    string `json:"item,omitempty"`
	Day     string `json:"day"` // the sender's leaderboard day
	// Battle is the carrier battle a result belongs to.
	Battle string    `json:"battle,omitempty"`
	At     time.Time `json:"at"`
	// ID is unique per message from one carrier: JetStream drops a second
	// copy of a retried publish by it.
	ID string `json:"id"`
}

// maxMessage is the largest event a carrier sends.
const maxMessage = 1024

// subject is where m is published: under the sender's own subjects.
func (m *Message) subject() string { return eventSubject(m.Carrier, m.Kind) }

func eventSubject(carrier, kind string) string { return "arcade.ev." + carrier + "." + kind }

// encode is m as JSON, refusing anything larger than an event can be.
func (m *Message) encode() ([]byte, error) {
	b, err := json.Marshal(m)
	if err == nil && len(b) > maxMessage {
		err = fmt.Errorf("a %s message of %d bytes is larger than %d", m.Kind, len(b), maxMessage)
	}
	return b, err
}

// fromEvent is the message a session event makes, if any: a round's
// result, or a find. The current round's game is the one named by the
// event or, for a find, the hunt.
func fromEvent(e game.Event, day string) (Message, bool) {
	switch e.Kind {
	case game.KindResults:
		if e.Score <= 0 && e.Battle == "" {
			return Message{}, false // no board shows a zero, but a battle counts it
		}
		return Message{Kind: KindResult, Game: e.Game, Score: e.Score, Player: e.Name, Day: day, Battle: e.Battle}, true
	case game.KindFind:
		return Message{Kind: KindFind, Game: "hunt", Item: e.Item, Day: day}, true
	}
	return Message{}, false
}

// presence is the heartbeat: who is online (not stored), and how it is
// for the hub's public page (Condition).
type presence struct {
	Carrier string    `json:"carrier"`
	Name    string    `json:"name"`
	At      time.Time `json:"at"`
	Battery *int      `json:"battery,omitempty"` // percent; absent with no battery
	Camera  *bool     `json:"camera,omitempty"`  // the camera is up; absent when not told
}

func heartbeatSubject(carrier string) string { return "arcade.hb." + carrier }
