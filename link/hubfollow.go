package link

import (
	"context"
	"encoding/json"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// How the hub learns the board: it follows each listed carrier's own
// stream with an ordered consumer through that carrier's JetStream domain,
// from local midnight on. The hub keeps no store of its own (a restarted
// hub reads today again from the carriers), and a carrier that was away
// is caught up from where the hub stopped, by JetStream's own consumer:
// nothing lost, nothing twice. A stream sourced on the hub would do the
// same but needs a store on the hub and sends a flow-control heartbeat
// every second per carrier; plain notifications would lose what a
// carrier stored while it was cut off. The ordered consumer's pull and
// heartbeat cost about one small message every five seconds per carrier
// ('kiosk bench --link' counts it on the wire).

// followRetry bounds the wait between tries to reach a carrier that is
// away; JetStream's consumer takes over once it is reached.
const followRetry = 10 * time.Second

// follow starts following every carrier, each on its own goroutine.
func (h *Hub) follow(ctx context.Context, carriers []HubCarrier) {
	for _, c := range carriers {
		h.wg.Add(1)
		go h.followOne(ctx, carrierID(c.Key))
	}
}

// followOne reaches the carrier's stream (trying again while it is away)
// and feeds its events to the page until ctx ends.
func (h *Hub) followOne(ctx context.Context, id string) {
	defer h.wg.Done()
	js, err := jetstream.NewWithDomain(h.nc, id)
	if err != nil {
		h.log.Error("hub: cannot follow a carrier", "carrier", id, "err", err)
		return
	}
	var cc jetstream.ConsumeContext
	for wait := 250 * time.Millisecond; cc == nil; wait = min(2*wait, followRetry) {
		cc = h.consume(ctx, js, id)
		if cc != nil {
			break
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
	<-ctx.Done()
	cc.Stop()
}

// consume starts the ordered consumer on the carrier's stream; nil while
// the carrier cannot be reached.
func (h *Hub) consume(ctx context.Context, js jetstream.JetStream, id string) jetstream.ConsumeContext {
	now := time.Now()
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	reach, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	cons, err := js.OrderedConsumer(reach, ownStream(id), jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverByStartTimePolicy,
		OptStartTime:  &midnight,
	})
	if err != nil {
		h.log.Debug("hub: carrier not reached yet", "carrier", id, "err", err)
		return nil
	}
	cc, err := cons.Consume(func(msg jetstream.Msg) {
		var m Message
		// A carrier's stream holds only its own subjects; the check keeps
		// the page to what the carrier said of itself.
		if json.Unmarshal(msg.Data(), &m) != nil || m.Carrier != id || msg.Subject() != m.subject() {
			return
		}
		h.view.stored(m)
	}, jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
		h.log.Debug("hub: following a carrier", "carrier", id, "err", err)
	}))
	if err != nil {
		h.log.Debug("hub: carrier not followed yet", "carrier", id, "err", err)
		return nil
	}
	return cc
}
