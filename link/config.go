// Package link joins carriers at one conference: each carrier runs an
// embedded NATS server with JetStream, linked as a leaf node to a hub (a
// plain NATS server that stores nothing). Only small typed events cross it
// (round results, finds, a heartbeat for presence), never a picture. Each
// carrier keeps its own events in its own stream and sources the others'
// into a merged one, so after a partition it catches up where it stopped:
// nothing lost, nothing twice. A carrier alone plays on exactly as without
// the link.
package link

import (
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/carrierarcade/kiosk/internal/check"
)

// Config is the [link] section: this carrier's side.
type Config struct {
	// Enabled links this carrier to the others; off, it plays alone.
	Enabled bool `toml:"enabled"`
	// Name is the carrier's name shown to the others ("Kubecon Cat 2");
	// empty: the host name.
	Name string `toml:"name"`
	// Hub is the hub's leaf URL: nats-leaf://host:7422, tls://host:7422 or
	// wss://host/path.
	Hub string `toml:"hub"`
	// KeyFile is this carrier's NKey seed ('kiosk link keygen'); the
	// secret is read from it and never logged.
	KeyFile string `toml:"key_file"`
	// CAFile is the hub's certificate authority, for a tls:// or wss://
	// hub whose certificate the system does not already trust.
	CAFile string `toml:"ca_file"`
	// Store is the JetStream folder; empty: "link" inside game.data_dir.
	Store string `toml:"store"`
	// LocalPort is where 'kiosk link status' asks this carrier how its
	// link is, on 127.0.0.1 only; 0: nowhere.
	LocalPort int `toml:"local_port"`

	// skew sets this carrier's clock off from the machine's, for tests
	// of carriers whose clocks differ.
	skew time.Duration
}

// DefaultConfig is a carrier that plays alone.
func DefaultConfig() Config { return Config{LocalPort: 4233} }

// Validate reports every bad value, keyed relative to [link]. Files are
// checked when the link starts, where a missing one is a message, not a
// stop.
func (c Config) Validate() check.Problems {
	var ps check.Problems
	if len(c.Name) > 40 {
		ps.Addf("name", "is %d characters long; at most 40 fit on a screen", len(c.Name))
	}
	if c.Hub != "" {
		if err := checkURL(c.Hub, "nats-leaf", "tls", "ws", "wss"); err != "" {
			ps.Addf("hub", "%s", err)
		}
	}
	if c.LocalPort < 0 || c.LocalPort > 65535 {
		ps.Addf("local_port", "is %d, allowed 0 (none) to 65535", c.LocalPort)
	}
	if c.Enabled {
		if c.Hub == "" {
			ps.Addf("hub", "is empty but link.enabled is true: give the hub's address, for example \"nats-leaf://hub.local:7422\"")
		}
		if c.KeyFile == "" {
			ps.Addf("key_file", "is empty but link.enabled is true: make one with 'kiosk link keygen --out FILE'")
		}
	}
	return ps
}

// DisplayName is the name shown to other carriers.
func (c Config) DisplayName() string {
	if c.Name != "" {
		return c.Name
	}
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "carrier"
}

func checkURL(s string, schemes ...string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "is " + quote(s) + ", want a URL such as \"nats-leaf://hub.local:7422\""
	}
	for _, sc := range schemes {
		if u.Scheme == sc {
			return ""
		}
	}
	return "has scheme " + quote(u.Scheme) + ", want one of " + strings.Join(schemes, ", ")
}

func quote(s string) string { return `"` + s + `"` }

// Timings of the link: a short ping so a dead link is noticed in under a
// minute, not the default six; heartbeats often enough that "online" means
// heard in the last 15 s.
const (
	pingInterval = 15 * time.Second
	maxPingsOut  = 3
	heartbeat    = 5 * time.Second
	// Online is how recently a carrier must have been heard.
	Online = 15 * time.Second
	// maxPayload is the largest message a carrier's server takes: events
	// are a few hundred bytes and JetStream's own messages a few kB; a
	// camera frame (hundreds of kB) could not pass even by mistake.
	maxPayload = 16 << 10
)
