package health

import (
	"net"
	"strconv"
	"strings"

	"github.com/carrierarcade/kiosk/internal/check"
)

// Config is the [http] section: where the probes and metrics are served.
type Config struct {
	// Listen is host:port; "" serves nothing. Port 0 takes any free port
	// (the log says which).
	Listen string `toml:"listen"`
}

// DefaultConfig serves on the loopback only: a presenter's curl and a
// scraper on the same machine reach it, the hall's network does not.
func DefaultConfig() Config { return Config{Listen: "127.0.0.1:9090"} }

// Validate checks Listen.
func (c Config) Validate() check.Problems {
	var ps check.Problems
	if msg := CheckListen(c.Listen); msg != "" {
		ps.Addf("listen", "%s", msg)
	}
	return ps
}

// CheckListen says what is wrong with a listen address, or "" when it is
// fine (or empty: off). The port must be a number: a service name
// ("http") depends on /etc/services, which an image may not have.
func CheckListen(addr string) string {
	if addr == "" {
		return ""
	}
	const want = `want host:port, for example "127.0.0.1:9090" (this machine only) or "0.0.0.0:9090" (every address, as a pod's probes need), or "" for off`
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "is " + strconv.Quote(addr) + ", " + want
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 || strings.HasPrefix(port, "+") {
		return "is " + strconv.Quote(addr) + ": the port is a number from 0 to 65535 (0: any free port), " + want
	}
	if host != "" && net.ParseIP(host) == nil && !hostname(host) {
		return "is " + strconv.Quote(addr) + ": " + strconv.Quote(host) + " is neither an IP address nor a host name, " + want
	}
	return ""
}

// hostname is a plausible DNS name: labels of letters, digits and
// hyphens.
func hostname(h string) bool {
	if len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}
