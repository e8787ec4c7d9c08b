package bench

import (
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"

	"github.com/carrierarcade/kiosk/internal/wiretap"
	"github.com/carrierarcade/kiosk/link"
)

// linkRig is a hub and its carriers in this process, on 127.0.0.1, each
// carrier's link to the hub through a tap of its own, so that the bytes on
// the wire are counted as the network carries them: the NATS protocol and
// JetStream's own messages included, not only the message bodies the
// server counts ('kiosk bench --link', and its test).
type linkRig struct {
	hub      *link.Hub
	carriers []*link.Carrier
	taps     []*wiretap.Tap
}

// startLinkRig starts a hub and n carriers ("Bench Cat 1"...) with their
// keys and stores in dir.
func startLinkRig(n int, dir string, log *slog.Logger) (_ *linkRig, err error) {
	r := &linkRig{}
	defer func() {
		if err != nil {
			r.Close()
		}
	}()
	var keys, pubs []string
	for i := range n {
		k := filepath.Join(dir, fmt.Sprint("carrier", i, ".nk"))
		pub, err := link.Keygen(k)
		if err != nil {
			return nil, err
		}
		keys, pubs = append(keys, k), append(pubs, pub)
	}
	if r.hub, err = link.StartHub(link.HubConfig{Listen: "127.0.0.1:0", Carriers: link.CarrierKeys(pubs...)}, log); err != nil {
		return nil, err
	}
	hubAddr := strings.TrimPrefix(r.hub.LeafURL(), "nats-leaf://")
	for i := range n {
		tap, err := wiretap.Start(hubAddr)
		if err != nil {
			return nil, err
		}
		r.taps = append(r.taps, tap)
		c, err := link.Start(link.Config{Enabled: true, Name: fmt.Sprint("Bench Cat ", i+1), Hub: "nats-leaf://" + tap.Addr(), KeyFile: keys[i]},
			filepath.Join(dir, fmt.Sprint("c", i)), log)
		if err != nil {
			return nil, err
		}
		r.carriers = append(r.carriers, c)
	}
	return r, nil
}

// wire is the bytes each carrier's link has carried so far, both ways.
func (r *linkRig) wire() []int64 {
	out := make([]int64, len(r.taps))
	for i, t := range r.taps {
		up, down := t.Bytes()
		out[i] = up + down
	}
	return out
}

// Close stops the carriers, the taps and the hub.
func (r *linkRig) Close() error {
	var errs []error
	for _, c := range r.carriers {
		c.Close()
	}
	for _, t := range r.taps {
		errs = append(errs, t.Close())
	}
	if r.hub != nil {
		r.hub.Close()
	}
	return errors.Join(errs...)
}
