package link

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nuid"
)

// Hub is the server the carriers link to: a plain NATS server that stores
// nothing and lets in only the carriers listed in [hub] carriers. It also
// follows what crosses it (every carrier's stored events, heartbeats and
// battles) for its public page (hubview.go).
type Hub struct {
	srv  *server.Server
	opts *server.Options // the server writes the port it took back here
	log  *slog.Logger
	nc   *nats.Conn // the hub's own, in process: it tells the time and follows the carriers
	gate *hubGate
	view *hubView

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// StartHub starts a hub. A bad configuration is refused with its keys
// (a secret key given as a carrier's is not printed), and an address the
// hub cannot listen on with hub.listen and the address.
func StartHub(cfg HubConfig, log *slog.Logger) (*Hub, error) {
	if log == nil {
		log = slog.Default()
	}
	if err := cfg.Validate().Under("hub").Err(); err != nil {
		return nil, err
	}
	if len(cfg.Carriers) == 0 {
		return nil, errors.New("hub.carriers is empty: list each carrier's public key ('kiosk link keygen' prints it); with none, nobody could join")
	}
	host, portStr, _ := net.SplitHostPort(cfg.Listen)
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, fmt.Errorf("hub.listen %q: the port is not a number", cfg.Listen)
	}
	if port == 0 {
		port = -1 // any free port (tests)
	} else if err := canListen(cfg.Listen); err != nil {
		return nil, err
	}
	// The hub's own connection, in process only (there is no client
	// port), with a password made now.
	password := nuid.Next()
	h := &Hub{log: log.With("part", "hub"), view: newHubView(cfg.Carriers, time.Now)}
	h.gate = newHubGate(cfg, password, h.log)
	opts := &server.Options{
		ServerName:   "hub",
		DontListen:   true, // carriers only, as leaf nodes: no client port
		NoSigs:       true,
		MaxPayload:   maxPayload,
		PingInterval: pingInterval,
		MaxPingsOut:  maxPingsOut,
		LeafNode:     server.LeafNodeOpts{Host: host, Port: port},
		// The gate checks each carrier's key, and names it in the log.
		CustomClientAuthentication: h.gate,
	}
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
	h.srv, h.opts = srv, opts
	srv.SetLoggerV2(hubLog{newNatsLog(h.log)}, false, false, false)
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		srv.WaitForShutdown()
		return nil, fmt.Errorf("hub.listen %s: the hub could not listen there (is the port in use?)", cfg.Listen)
	}
	if err := h.connect(password); err != nil {
		h.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.follow(ctx, cfg.Carriers)
	h.wg.Add(1)
	go h.lookLoop(ctx)
	h.log.Info("hub listening", "leaf", h.LeafURL(), "carriers", len(cfg.Carriers))
	return h, nil
}

// canListen tries the address the hub will listen on, so that a port in
// use is one clear message before the server starts (the server itself
// would only log it and carry on without listening).
func canListen(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err == nil {
		return l.Close()
	}
	why := err.Error()
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		why = "the address is in use (is another 'kiosk hub' running?): stop what listens there or choose another port"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		why = "this machine has no such address: give one of its own, or 0.0.0.0 for all"
	case errors.Is(err, syscall.EACCES), errors.Is(err, os.ErrPermission):
		why = "a port below 1024 needs root: choose a port above 1024"
	}
	return fmt.Errorf("hub.listen %s: cannot listen there: %s", addr, why)
}

// connect makes the hub's own connection: it tells the time (a battle
// starts at the same moment on every carrier by the hub's clock, whatever
// theirs say) and hears heartbeats, battle calls and live scores for the
// page. These are plain messages the carriers send each other through the
// hub anyway, so hearing them costs no traffic.
func (h *Hub) connect(password string) error {
	nc, err := nats.Connect("", nats.InProcessServer(h.srv), nats.Name("hub"), nats.UserInfo("hub", password),
		nats.MaxReconnects(-1), nats.NoCallbacksAfterClientClose())
	if err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	h.nc = nc
	subs := map[string]nats.MsgHandler{
		timeSubject: func(m *nats.Msg) {
			if now, err := time.Now().UTC().MarshalText(); err == nil {
				_ = m.Respond(now)
			}
		},
		heartbeatSubject("*"): func(m *nats.Msg) {
			var p presence
			if json.Unmarshal(m.Data, &p) == nil && m.Subject == heartbeatSubject(p.Carrier) {
				h.view.heard(p)
			}
		},
		battleSubject("*"): func(m *nats.Msg) {
			var c battleCall
			if json.Unmarshal(m.Data, &c) == nil && m.Subject == battleSubject(c.Carrier) && c.ID != "" {
				h.view.called(c)
			}
		},
		liveSubject("*"): func(m *nats.Msg) {
			var s liveScore
			if json.Unmarshal(m.Data, &s) == nil && m.Subject == liveSubject(s.Carrier) && s.Battle != "" {
				h.view.live(s)
			}
		},
	}
	for subj, f := range subs {
		if _, err := nc.Subscribe(subj, f); err != nil {
			return fmt.Errorf("hub: %w", err)
		}
	}
	return nc.Flush()
}

// lookLoop notices, once a second, what no message tells: a carrier whose
// link closed (for the log, by name), one no longer heard, a new day (for
// the page).
func (h *Hub) lookLoop(ctx context.Context) {
	defer h.wg.Done()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		h.view.look()
		lz, err := h.srv.Leafz(nil)
		if err != nil {
			continue
		}
		ids := map[uint64]bool{}
		for _, l := range lz.Leafs {
			ids[l.ID] = true
		}
		for _, key := range h.gate.gone(ids) {
			h.log.Info("carrier link closed", "carrier", h.gate.name(key))
		}
	}
}

// Watch is the public page now, and a channel closed at its next change.
func (h *Hub) Watch() (Public, <-chan struct{}) { return h.view.watch() }

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
	if h.cancel != nil {
		h.cancel()
		h.wg.Wait()
	}
	if h.nc != nil {
		h.nc.Close()
	}
	h.srv.Shutdown()
	h.srv.WaitForShutdown()
}

// hubLog keeps the server's own words out of the owner's log where the
// hub says it better: a refused carrier is logged by the gate, once, with
// its key, so the server's "authentication error" and "Authorization
// Violation" for each retry go to debug.
type hubLog struct{ natsLog }

func (l hubLog) Errorf(format string, v ...any) {
	if line := fmt.Sprintf(format, v...); strings.Contains(line, "Authorization Violation") || strings.Contains(line, "authentication error") {
		l.say(slog.LevelDebug, format, v)
		return
	}
	l.natsLog.Errorf(format, v...)
}

// Traffic is the bytes the hub has taken in from carriers and sent out to
// them since it started, as the server counts them: message bodies only,
// not the protocol around them ('kiosk bench --link' counts the wire).
func (h *Hub) Traffic() (in, out int64) {
	v, err := h.srv.Varz(nil)
	if err != nil {
		return 0, 0
	}
	return v.InBytes, v.OutBytes
}
