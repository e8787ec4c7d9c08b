package kiosk

import (
	"log/slog"
	"net"

	"github.com/carrierarcade/kiosk/link"
	"github.com/carrierarcade/kiosk/link/hubpage"
)

// listenHubPage takes hub.http_listen, when set, before the hub starts:
// a port in use is then the one message 'kiosk hub' exits with.
func listenHubPage(cfg link.HubConfig) (net.Listener, error) {
	if cfg.HTTPListen == "" {
		return nil, nil
	}
	return hubpage.Listen(cfg.HTTPListen)
}

// serveHubPage serves the public board page on l (nil: none) and returns
// what stops it.
func serveHubPage(l net.Listener, h *link.Hub, cfg link.HubConfig, log *slog.Logger) func() {
	if l == nil {
		return func() {}
	}
	stop := hubpage.Serve(l, h, log)
	log.Info("serving the public board page", "part", "hub", "http_listen", l.Addr().String(), "public_url", cfg.PublicURL)
	return stop
}
