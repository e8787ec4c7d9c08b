package link

import (
	"fmt"
	"maps"
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/carrierarcade/kiosk/internal/check"
)

// HubConfig is the [hub] section, for 'kiosk hub'.
type HubConfig struct {
	// Listen is where carriers connect (host:port).
	Listen string `toml:"listen"`
	// Carriers are the carriers let in: each one's public key ('kiosk link
	// keygen' and 'kiosk link pubkey' print it), with a name for the
	// hub's log and page when given.
	Carriers []HubCarrier `toml:"carriers"`
	// TLSCert and TLSKey make the hub speak TLS (carriers then use
	// tls://); both or neither.
	TLSCert string `toml:"tls_cert"`
	TLSKey  string `toml:"tls_key"`
	// HTTPListen is where the hub serves the public board page for
	// visitors' phones (host:port); empty: no page.
	HTTPListen string `toml:"http_listen"`
	// PublicURL is that page's address as visitors' phones reach it; a
	// carrier's results screen shows it as a QR code; empty: no QR code.
	PublicURL string `toml:"public_url"`
}

// HubCarrier is one carrier the hub lets in. In config.toml it is its
// public key alone ("U...") or a table that names it
// ({ name = "Cat A", key = "U..." }).
type HubCarrier struct {
	Name string `toml:"name"`
	Key  string `toml:"key"`
}

// CarrierKeys lists carriers by their public keys alone.
func CarrierKeys(keys ...string) []HubCarrier {
	out := make([]HubCarrier, len(keys))
	for i, k := range keys {
		out[i].Key = k
	}
	return out
}

// UnmarshalTOML takes either spelling of a carrier.
func (h *HubCarrier) UnmarshalTOML(v any) error {
	if msg := h.CheckShape(v); msg != "" {
		return fmt.Errorf("%s", msg)
	}
	switch x := v.(type) {
	case string:
		*h = HubCarrier{Key: x}
	case map[string]any:
		name, _ := x["name"].(string)
		key, _ := x["key"].(string)
		*h = HubCarrier{Name: name, Key: key}
	}
	return nil
}

// CheckShape says what is wrong with a value given for one carrier, ""
// when it has the right shape. It never quotes the value: a secret key
// pasted here by mistake must not be printed back.
func (h *HubCarrier) CheckShape(v any) string {
	want := h.ShapeWanted()
	switch x := v.(type) {
	case string:
		return ""
	case map[string]any:
		var ps []string
		for _, k := range slices.Sorted(maps.Keys(x)) {
			val := x[k]
			switch k {
			case "name", "key":
				if _, ok := val.(string); !ok {
					ps = append(ps, k+" is not text in quotes")
				}
			default:
				ps = append(ps, fmt.Sprintf("%q is not a key of a carrier (name, key)", k))
			}
		}
		if _, ok := x["key"]; !ok {
			ps = append(ps, "key is missing")
		}
		if len(ps) > 0 {
			return strings.Join(ps, "; ") + ": " + want
		}
		return ""
	}
	return "is neither text nor a table: " + want
}

// ShapeWanted says what a carrier's entry looks like.
func (*HubCarrier) ShapeWanted() string {
	return `each carrier its public key in quotes ("U...") or { name = "Cat A", key = "U..." }`
}

// DefaultHubConfig listens on the leaf node port on every address and
// serves no page.
func DefaultHubConfig() HubConfig {
	return HubConfig{Listen: "0.0.0.0:7422", Carriers: []HubCarrier{}}
}

// Validate reports every bad value, keyed relative to [hub]. A secret key
// given as a carrier's is refused without being printed.
func (c HubConfig) Validate() check.Problems {
	var ps check.Problems
	if _, port, err := net.SplitHostPort(c.Listen); err != nil || port == "" {
		ps.Addf("listen", "is %q, want host:port, for example \"0.0.0.0:7422\"", c.Listen)
	}
	keys, names := map[string]int{}, map[string]int{}
	for i, h := range c.Carriers {
		key := fmt.Sprintf("carriers[%d]", i)
		switch {
		case LooksSecret(h.Key):
			ps.Addf(key, "is a carrier's secret key (a seed), not shown here: it must stay on its carrier. "+
				"Put its public key here instead: 'kiosk link pubkey --key FILE' on that carrier prints it")
			continue
		case h.Key == "":
			ps.Addf(key, "has no key: give the carrier's public key (56 characters starting with U, as 'kiosk link keygen' prints)")
			continue
		case !isPublicUserKey(h.Key):
			ps.Addf(key, "key %s is not a carrier's public key (56 characters starting with U, as 'kiosk link keygen' prints)", brief(h.Key))
			continue
		}
		if j, dup := keys[h.Key]; dup {
			ps.Addf(key, "has the same key as carriers[%d]: list each carrier once", j)
		}
		keys[h.Key] = i
		if len(h.Name) > 40 {
			ps.Addf(key, "name is %d characters long; at most 40 fit on a page", len(h.Name))
		}
		if j, dup := names[h.Name]; dup && h.Name != "" {
			ps.Addf(key, "has the same name as carriers[%d] (%q): give each carrier its own", j, h.Name)
		}
		names[h.Name] = i
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		ps.Addf("tls_cert", "and tls_key go together: give both files, or neither")
	}
	if c.HTTPListen != "" {
		if _, port, err := net.SplitHostPort(c.HTTPListen); err != nil || port == "" {
			ps.Addf("http_listen", "is %q, want host:port, for example \"0.0.0.0:8080\", or \"\" for no page", c.HTTPListen)
		}
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		switch {
		case err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https"):
			ps.Addf("public_url", "is %s, want the page's address as phones reach it, for example \"http://192.168.1.20:8080/\", or \"\" for no QR code", brief(c.PublicURL))
		case len(c.PublicURL) > maxPublicURL:
			ps.Addf("public_url", "is %d characters long; a QR code a phone reads across a booth holds at most %d", len(c.PublicURL), maxPublicURL)
		}
	}
	return ps
}

// maxPublicURL is the longest page address shown as a QR code: longer
// ones make a code too fine to scan from a step away.
const maxPublicURL = 120

// Name is the carrier's name for the hub's log and page: the one given in
// [hub] carriers, else "" (the carrier's own name, from its heartbeat,
// stands in).
func (c HubConfig) nameOf(key string) string {
	for _, h := range c.Carriers {
		if h.Key == key {
			return h.Name
		}
	}
	return ""
}

// LooksSecret is true for a value that looks like an NKey seed (the
// secret 'kiosk link keygen' writes: 58 characters starting with S), so
// that messages about it never print it.
func LooksSecret(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < 50 || s[0] != 'S' {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '2' && r <= '7') {
			return false
		}
	}
	return true
}

// brief quotes a value, cut short.
func brief(s string) string {
	if len(s) > 60 {
		return fmt.Sprintf("%q...", s[:60])
	}
	return fmt.Sprintf("%q", s)
}
