package link

import (
	"crypto/subtle"
	"encoding/base64"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"
)

// hubGate decides who may connect to the hub: the carriers listed in
// [hub] carriers, as leaf nodes proving their key by signing the server's
// nonce, and the hub's own connection, in process. It is the hub's one
// place that sees which key each connection holds, so it is also where
// the log names carriers: by their names in [hub] carriers, never by a
// key's first characters.
type hubGate struct {
	cfg      HubConfig
	password string // the hub's own connection's, new at each start
	log      *slog.Logger

	mu      sync.Mutex
	linked  map[uint64]string  // connection ID -> public key, while linked
	refused map[string]refusal // by a stranger's key
}

// refusal is a stranger as the gate remembers it.
type refusal struct {
	told  time.Time // last logged
	tries int
}

// refusedEvery is how often the log repeats that the same stranger was
// refused: its leaf link retries every few seconds.
const refusedEvery = 10 * time.Minute

func newHubGate(cfg HubConfig, password string, log *slog.Logger) *hubGate {
	return &hubGate{cfg: cfg, password: password, log: log, linked: map[uint64]string{}, refused: map[string]refusal{}}
}

// Check is the server's question: may this connection in?
func (g *hubGate) Check(c server.ClientAuthentication) bool {
	o := c.GetOpts()
	if c.Kind() == server.CLIENT {
		// Only the hub's own connection: there is no client port, so
		// anything else would be a mistake.
		return o.Username == "hub" && subtle.ConstantTimeCompare([]byte(o.Password), []byte(g.password)) == 1
	}
	if c.Kind() != server.LEAF {
		return false
	}
	if !g.signed(o.Nkey, o.Sig, c.GetNonce()) {
		g.log.Warn("hub: refused a link that did not prove a carrier's key", "from", addr(c))
		return false
	}
	if !g.listed(o.Nkey) {
		g.refuse(o.Nkey, c)
		return false
	}
	g.mu.Lock()
	g.linked[c.GetID()] = o.Nkey
	g.mu.Unlock()
	g.log.Info("carrier linked", "carrier", g.name(o.Nkey), "from", addr(c))
	return true
}

// signed is true when sig is key's signature of the nonce: the carrier
// holds the secret of the public key it names.
func (g *hubGate) signed(key, sig string, nonce []byte) bool {
	if key == "" || sig == "" || len(nonce) == 0 {
		return false
	}
	raw, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil {
		if raw, err = base64.StdEncoding.DecodeString(sig); err != nil {
			return false
		}
	}
	pub, err := nkeys.FromPublicKey(key)
	if err != nil {
		return false
	}
	return pub.Verify(nonce, raw) == nil
}

func (g *hubGate) listed(key string) bool {
	for _, h := range g.cfg.Carriers {
		if h.Key == key {
			return true
		}
	}
	return false
}

// refuse logs a stranger once, then every refusedEvery: its public key
// (public, so safe to print) is what the owner adds to [hub] carriers if
// the carrier is theirs.
func (g *hubGate) refuse(key string, c server.ClientAuthentication) {
	now := time.Now()
	g.mu.Lock()
	r, seen := g.refused[key]
	tell := !seen || now.Sub(r.told) >= refusedEvery
	if tell {
		if len(g.refused) > 256 {
			clear(g.refused)
		}
		r.told = now
	}
	r.tries++
	g.refused[key] = r
	g.mu.Unlock()
	if tell {
		g.log.Warn("hub: refused a carrier that is not in [hub] carriers; if it is yours, add its public key there",
			"public_key", key, "from", addr(c))
	}
}

// name is a carrier's name for the log: as [hub] carriers names it, else
// its public key whole (a key's first characters name nothing a person
// can find).
func (g *hubGate) name(key string) string {
	if n := g.cfg.nameOf(key); n != "" {
		return n
	}
	return "unnamed (" + key + ")"
}

// gone forgets connections no longer linked (ids are those linked now)
// and returns the keys that left, in no order.
func (g *hubGate) gone(ids map[uint64]bool) []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var left []string
	for id, key := range g.linked {
		if !ids[id] {
			left = append(left, key)
			delete(g.linked, id)
		}
	}
	return left
}

// tries is how often a stranger's key was refused.
func (g *hubGate) tries(key string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.refused[key].tries
}

func addr(c server.ClientAuthentication) string {
	if a := c.RemoteAddress(); a != nil {
		return a.String()
	}
	return ""
}
