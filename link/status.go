package link

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
)

// statusSubject is where the carrier answers 'kiosk link status', on its
// loopback port only (the leaf link takes nothing in on arcade.local.>).
const statusSubject = "arcade.local.status"

// Report is the answer to 'kiosk link status': the link and today's
// merged board.
type Report struct {
	Status
	Day   string                  `json:"day"`
	Board map[string][]BoardEntry `json:"board"` // by game, best first
}

// answerStatus replies with the report.
func (c *Carrier) answerStatus(m *nats.Msg) {
	r := Report{Status: c.Status(), Day: c.Today(), Board: map[string][]BoardEntry{}}
	for _, g := range c.board.Games(r.Day) {
		r.Board[g] = c.board.Top(g, r.Day)
	}
	if data, err := json.Marshal(r); err == nil {
		_ = m.Respond(data)
	}
}

// ErrNotRunning is the answer when no carrier listens on the local port.
var ErrNotRunning = errors.New("no kiosk with its link on is running here")

// AskStatus asks the carrier running on this machine, at 127.0.0.1:port.
func AskStatus(port int) (*Report, error) {
	nc, err := nats.Connect("nats://127.0.0.1:"+strconv.Itoa(port), nats.Timeout(2*time.Second),
		nats.MaxReconnects(0), nats.Name("kiosk link status"))
	if err != nil {
		return nil, fmt.Errorf("%w (nothing answers on 127.0.0.1:%d, link.local_port)", ErrNotRunning, port)
	}
	defer nc.Close()
	msg, err := nc.Request(statusSubject, nil, 3*time.Second)
	if err != nil {
		return nil, fmt.Errorf("the kiosk on 127.0.0.1:%d did not answer: %w", port, err)
	}
	var r Report
	if err := json.Unmarshal(msg.Data, &r); err != nil {
		return nil, fmt.Errorf("the kiosk on 127.0.0.1:%d answered something else: %w", port, err)
	}
	return &r, nil
}
