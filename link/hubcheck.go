package link

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// CheckHub asks the hub at hubURL (a link.hub value) whether it answers
// as a hub: something listens at its address and, for nats-leaf:// and
// tls://, greets as a NATS server whose TLS matches the URL's scheme. It
// does not link (the carrier's key is checked by the hub when the kiosk
// links), so it can run beside a running kiosk. For 'kiosk check-config
// --online'.
func CheckHub(hubURL string, within time.Duration) error {
	u, err := url.Parse(hubURL)
	if err != nil || u.Host == "" {
		return fmt.Errorf("is %q, not a URL such as nats-leaf://hub.local:7422", hubURL)
	}
	addr := hubAddr(hubURL)
	conn, err := net.DialTimeout("tcp", addr, within)
	if err != nil {
		var ne net.Error
		switch {
		case errors.As(err, &ne) && ne.Timeout():
			return fmt.Errorf("is %s: nothing answered at %s within %v (a firewall, or the wrong address?)", hubURL, addr, within)
		default:
			return fmt.Errorf("is %s: nothing listens at %s (%v): start 'kiosk hub' there, or check the address", hubURL, addr, errors.Unwrap(err))
		}
	}
	defer conn.Close()
	if u.Scheme == "ws" || u.Scheme == "wss" {
		return nil // a web socket answers only to an HTTP upgrade: the port is enough
	}
	_ = conn.SetReadDeadline(time.Now().Add(within))
	line, err := bufio.NewReaderSize(conn, 4096).ReadString('\n')
	if err != nil {
		return fmt.Errorf("is %s: something listens at %s but did not greet as a hub within %v", hubURL, addr, within)
	}
	var info struct {
		ServerID    string `json:"server_id"`
		TLSRequired bool   `json:"tls_required"`
		TLSAvail    bool   `json:"tls_available"`
	}
	rest, ok := strings.CutPrefix(line, "INFO ")
	if !ok || json.Unmarshal([]byte(rest), &info) != nil || info.ServerID == "" {
		return fmt.Errorf("is %s: what listens at %s is not a hub (not a NATS server's leaf port)", hubURL, addr)
	}
	switch {
	case info.TLSRequired && u.Scheme != "tls":
		return fmt.Errorf("is %s: the hub speaks TLS: write it tls://%s", hubURL, u.Host)
	case !info.TLSRequired && !info.TLSAvail && u.Scheme == "tls":
		return fmt.Errorf("is %s: the hub does not speak TLS: write it nats-leaf://%s, or give the hub hub.tls_cert and hub.tls_key", hubURL, u.Host)
	}
	return nil
}

// CheckKeyFile checks a carrier's key file as the link reads it: it
// exists, holds a carrier's seed, and only its owner may read it. It
// returns the public key.
func CheckKeyFile(path string) (public string, err error) {
	_, public, err = readSeed(path)
	return public, err
}
