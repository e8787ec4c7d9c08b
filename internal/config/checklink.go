package config

import (
	"crypto/tls"
	"strings"
	"time"

	"github.com/carrierarcade/kiosk/internal/check"
	"github.com/carrierarcade/kiosk/link"
)

// HubOnly is true for a configuration file that sets [hub] and nothing a
// carrier needs (only [log] beside it): one made for 'kiosk hub' on a
// machine with no camera and no models, checked as a hub's.
func (l Loaded) HubOnly() bool {
	if l.Path == "" {
		return false
	}
	hub := false
	for k := range l.lines {
		section, _, _ := strings.Cut(k, ".")
		section, _, _ = strings.Cut(section, "[")
		switch section {
		case "hub":
			hub = true
		case "log":
		default:
			return false
		}
	}
	return hub
}

// hubOnline is how long check-config --online waits for the hub.
const hubOnline = 3 * time.Second

// LinkProblems checks what the carrier link will open: its key file (it
// exists, holds a carrier's seed, only its owner may read it) and, when
// online, that the hub answers at link.hub.
func (l Loaded) LinkProblems(online bool) check.Problems {
	var ps check.Problems
	if !l.Link.Enabled {
		return ps
	}
	if l.Link.KeyFile != "" {
		if _, err := link.CheckKeyFile(l.Resolve(l.Link.KeyFile)); err != nil {
			ps.Addf("link.key_file", "%s", strings.TrimPrefix(err.Error(), "link.key_file "))
		}
	}
	if online && l.Link.Hub != "" {
		if err := link.CheckHub(l.Link.Hub, hubOnline); err != nil {
			ps.Addf("link.hub", "%v", err)
		}
	}
	return ps
}

// HubProblems checks what 'kiosk hub' will open, when this configuration
// is a hub's: carriers to let in, and its TLS files.
func (l Loaded) HubProblems() check.Problems {
	var ps check.Problems
	if len(l.Hub.Carriers) == 0 {
		ps.Addf("hub.carriers", "is empty: list each carrier's public key ('kiosk link pubkey --key FILE' on the carrier prints it); with none, nobody could join")
	}
	if l.Hub.TLSCert != "" && l.Hub.TLSKey != "" {
		if _, err := tls.LoadX509KeyPair(l.Resolve(l.Hub.TLSCert), l.Resolve(l.Hub.TLSKey)); err != nil {
			ps.Addf("hub.tls_cert", "with hub.tls_key: %v", err)
		}
	}
	return ps
}
