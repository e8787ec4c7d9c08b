package link

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nuid"
)

// Hub is the server the carriers link to: a plain NATS server that stores
// nothing and lets in only the carriers whose public keys it lists.
type Hub struct {
	srv  *server.Server
	opts *server.Options // the server writes the port it took back here
	log  *slog.Logger
	nc   *nats.Conn // the hub's own, in process: it tells the time
}

// StartHub starts a hub; cfg should have passed Validate.
func StartHub(cfg HubConfig, log *slog.Logger) (*Hub, error) {
	if log == nil {
		log = slog.Default()
	}
	host, portStr, err := net.SplitHostPort(cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("hub.listen %q: %w", cfg.Listen, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, fmt.Errorf("hub.listen %q: the port is not a number", cfg.Listen)
	}
	if port == 0 {
		port = -1 // any free port (tests)
	}
	if len(cfg.Carriers) == 0 {
		return nil, errors.New("hub.carriers is empty: list each carrier's public key ('kiosk link keygen' prints it); with none, nobody could join")
	}
	opts := &server.Options{
		ServerName:   "hub",
		DontListen:   true, // carriers only, as leaf nodes: no client port
		NoSigs:       true,
		MaxPayload:   maxPayload,
		PingInterval: pingInterval,
		MaxPingsOut:  maxPingsOut,
		LeafNode:     server.LeafNodeOpts{Host: host, Port: port},
	}
	for _, k := range cfg.Carriers {
		opts.Nkeys = append(opts.Nkeys, &server.NkeyUser{Nkey: k})
	}
	// The hub's own connection, in process only (there is no client
	// port), with a password made now.
	password := nuid.Next()
	opts.Users = []*server.User{{Username: "hub", Password: password}}
	if cfg.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
		if err != nil {
			return nil, fmt.Errorf("hub.tls_cert/hub.tls_key: %w", err)
		}
		opts.LeafNode.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("hub: %w", err)
	}
	h := &Hub{srv: srv, opts: opts, log: log.With("part", "hub")}
	srv.SetLoggerV2(hubLog{newNatsLog(h.log)}, false, false, false)
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		return nil, fmt.Errorf("hub: cannot listen on %s (is the port in use?)", cfg.Listen)
	}
	if err := h.tellTime(password); err != nil {
		h.Close()
		return nil, err
	}
	h.log.Info("hub listening", "leaf", h.LeafURL(), "carriers", len(cfg.Carriers))
	return h, nil
}

// tellTime answers the carriers' "what time is it": a battle starts at the
// same moment on every carrier by the hub's clock, whatever theirs say.
func (h *Hub) tellTime(password string) error {
	nc, err := nats.Connect("", nats.InProcessServer(h.srv), nats.Name("hub"), nats.UserInfo("hub", password),
		nats.MaxReconnects(-1), nats.NoCallbacksAfterClientClose())
	if err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	if _, err := nc.Subscribe(timeSubject, func(m *nats.Msg) {
		if now, err := time.Now().UTC().MarshalText(); err == nil {
			_ = m.Respond(now)
		}
	}); err != nil {
		nc.Close()
		return fmt.Errorf("hub: %w", err)
	}
	h.nc = nc
	return nc.Flush()
}

// LeafURL is where carriers connect, as a link.hub value.
func (h *Hub) LeafURL() string {
	host := h.opts.LeafNode.Host
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	scheme := "nats-leaf"
	if h.opts.LeafNode.TLSConfig != nil {
		scheme = "tls"
	}
	return scheme + "://" + net.JoinHostPort(host, strconv.Itoa(h.opts.LeafNode.Port))
}

// Carriers is how many carriers are linked now.
func (h *Hub) Carriers() int { return h.srv.NumLeafNodes() }

// Close stops the hub.
func (h *Hub) Close() {
	if h.nc != nil {
		h.nc.Close()
	}
	h.srv.Shutdown()
	h.srv.WaitForShutdown()
}

// hubLog tells who connects: the server's notices of leaf connections and
// refused logins at info, the rest as natsLog does.
type hubLog struct{ natsLog }

func (l hubLog) Noticef(format string, v ...any) { l.say(slog.LevelInfo, format, v) }

// Traffic is the bytes the hub has taken in from carriers and sent out to
// them since it started: everything on the wire between carriers.
func (h *Hub) Traffic() (in, out int64) {
	v, err := h.srv.Varz(nil)
	if err != nil {
		return 0, 0
	}
	return v.InBytes, v.OutBytes
}
