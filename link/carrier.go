package link

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"
)

// mergedStream holds every carrier's events: this carrier's own stream and
// the others', sourced over the hub.
const mergedStream = "ARCADE"

func ownStream(carrier string) string { return "EV_" + carrier }

// queueLen is how many events may wait for the local server; the local
// server is in this process, so the queue only fills if it is stuck.
const queueLen = 256

// Carrier is this carrier's side of the link: its own NATS server with
// JetStream, the leaf link to the hub, the publisher of its events and
// the merged board of today. The game never waits for it: Hear only puts
// an event in a queue.
type Carrier struct {
	cfg    Config
	id     string
	public string // the key the hub must list
	name   string
	store  string
	log    *slog.Logger
	now    func() time.Time

	srv      *server.Server
	opts     *server.Options // the server's, for turning the leaf off and on
	nc       *nats.Conn
	js       jetstream.JetStream
	password string // of the kiosk's own connection, new at each start

	queue   chan Message
	beatNow chan struct{} // a new carrier was heard: say hello back
	cancel  context.CancelFunc
	wg      sync.WaitGroup

	leafMu sync.Mutex // one change of the leaf link at a time

	mu        sync.Mutex
	seq       uint64
	peers     map[string]peer // by carrier ID, from heartbeats
	sources   []string        // carriers sourced into the merged stream
	board     *Board
	news      news
	sent      int
	lastSent  time.Time
	dropped   int
	lastErr   string
	upSince   time.Time // leaf link up since, zero while down
	downSince time.Time // down since (start, or the last drop)
	told      bool      // the log has said what to check in this outage
	restarted time.Time // the leaf link was last restarted
	probing   bool      // a probe of the hub is under way
	restarts  int

	// Battles (battle.go).
	calls       chan string // games the presenter called a battle of
	onBattle    func(game.BattleCall)
	battles     map[string]*battle
	battleOrder []string // IDs, oldest first
	live        liveState
	offset      time.Duration // the hub's clock minus this carrier's
	clockKnown  bool
	clockTold   bool // the log said the hub does not tell the time

	condition func() Condition // for the heartbeat (condition.go)
}

// peer is another carrier as last heard.
type peer struct {
	Name  string
	Heard time.Time
}

// Start starts this carrier's server (its store under dataDir when
// cfg.Store is empty) and its link to the hub. The hub need not be up: the
// server keeps trying, and events are stored meanwhile.
func Start(cfg Config, dataDir string, log *slog.Logger) (*Carrier, error) {
	if log == nil {
		log = slog.Default()
	}
	seed, public, err := readSeed(cfg.KeyFile)
	if err != nil {
		return nil, err
	}
	hub, err := url.Parse(cfg.Hub)
	if err != nil || hub.Host == "" {
		return nil, fmt.Errorf("link.hub %q is not a URL such as nats-leaf://hub.local:7422", cfg.Hub)
	}
	c := &Carrier{cfg: cfg, id: carrierID(public), public: public, name: cfg.DisplayName(), log: log.With("part", "link"),
		now: time.Now, queue: make(chan Message, queueLen), beatNow: make(chan struct{}, 1), peers: map[string]peer{}, board: NewBoard(),
		calls: make(chan string, 1), battles: map[string]*battle{}}
	if cfg.skew != 0 {
		c.now = func() time.Time { return time.Now().Add(cfg.skew) }
	}
	c.store = cfg.Store
	if c.store == "" {
		c.store = filepath.Join(dataDir, "link")
	}
	if err := os.MkdirAll(c.store, 0o700); err != nil {
		return nil, fmt.Errorf("link.store %s: %w (give a folder the kiosk may write)", c.store, err)
	}
	opts, err := c.serverOptions(hub, string(seed))
	if err != nil {
		return nil, err
	}
	if err := c.startServer(opts); err != nil {
		return nil, err
	}
	if err := c.setUp(); err != nil {
		c.shutdown()
		return nil, err
	}
	c.downSince = c.now()
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	c.wg.Add(3)
	go c.publishLoop(ctx)
	go c.heartbeatLoop(ctx)
	go c.battleLoop(ctx)
	c.log.Info("link started", "carrier", c.id, "name", c.name, "hub", hub.Redacted(), "store", c.store)
	return c, nil
}

// serverOptions are this carrier's server: JetStream in its own domain, a
// stable name so a restart finds its store, no client port (the kiosk
// talks to it in process), and one leaf link to the hub. Events never
// cross the link as plain messages, only by JetStream sourcing, so the link
// takes in none on the event subjects: no other server, however it is set
// up, can store an event in this carrier's stream. Nor may it delete,
// purge or rewrite that stream through this carrier's JetStream API.
func (c *Carrier) serverOptions(hub *url.URL, seed string) (*server.Options, error) {
	remote := &server.RemoteLeafOpts{
		URLs: []*url.URL{hub},
		Nkey: seed,
		DenyImports: []string{
			"arcade.ev.>",
			"arcade.local.>",
			"$JS." + c.id + ".API.STREAM.DELETE.>",
			"$JS." + c.id + ".API.STREAM.PURGE.>",
			"$JS." + c.id + ".API.STREAM.UPDATE.>",
			"$JS." + c.id + ".API.STREAM.MSG.DELETE.>",
		},
	}
	if hub.Scheme == "tls" || hub.Scheme == "wss" {
		tc := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: hub.Hostname()}
		if c.cfg.CAFile != "" {
			pem, err := os.ReadFile(c.cfg.CAFile)
			if err != nil {
				return nil, fmt.Errorf("link.ca_file: %w", err)
			}
			tc.RootCAs = x509.NewCertPool()
			if !tc.RootCAs.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("link.ca_file %s holds no PEM certificate", c.cfg.CAFile)
			}
		}
		remote.TLS, remote.TLSConfig = true, tc
	}
	// The kiosk's own connection, in process, may do anything; a program
	// on this machine that connects to the loopback port without a
	// password ('kiosk link status') may only ask for the status.
	c.password = nuid.Next()
	users := []*server.User{
		{Username: "kiosk", Password: c.password},
		{Username: "status", Permissions: &server.Permissions{
			Publish:   &server.SubjectPermission{Allow: []string{statusSubject}},
			Subscribe: &server.SubjectPermission{Allow: []string{"_INBOX.>"}},
		}},
	}
	return &server.Options{
		ServerName:      "carrier-" + c.id,
		Host:            "127.0.0.1",
		Port:            c.cfg.LocalPort,
		DontListen:      c.cfg.LocalPort == 0,
		Users:           users,
		NoAuthUser:      "status",
		JetStream:       true,
		JetStreamDomain: c.id,
		StoreDir:        c.store,
		// A result reported written is on disk, not only in the page cache.
		SyncAlways:   true,
		NoSigs:       true,
		MaxPayload:   maxPayload,
		PingInterval: pingInterval,
		MaxPingsOut:  maxPingsOut,
		LeafNode: server.LeafNodeOpts{
			Remotes:           []*server.RemoteLeafOpts{remote},
			ReconnectInterval: 2 * time.Second,
		},
	}, nil
}

// startServer starts the server; a store it cannot open (left damaged by
// a kill -9, say) is set aside with a log line and a new one started.
func (c *Carrier) startServer(opts *server.Options) error {
	err := c.tryServer(opts)
	if err == nil {
		return nil
	}
	aside := c.store + ".damaged-" + strconv.FormatInt(c.now().Unix(), 10)
	if rerr := os.Rename(c.store, aside); rerr != nil {
		return fmt.Errorf("link: the server does not start (%v), and its store %s cannot be set aside: %w", err, c.store, rerr)
	}
	c.log.Error("link store could not be opened: set aside, starting a new one", "store", c.store, "aside", aside, "err", err)
	if err := os.MkdirAll(c.store, 0o700); err != nil {
		return fmt.Errorf("link.store %s: %w", c.store, err)
	}
	return c.tryServer(opts)
}

func (c *Carrier) tryServer(opts *server.Options) error {
	srv, err := server.NewServer(opts)
	if err != nil {
		return fmt.Errorf("link: %w", err)
	}
	srv.SetLoggerV2(newNatsLog(c.log), false, false, false)
	srv.Start()
	if !srv.ReadyForConnections(10*time.Second) || !srv.JetStreamEnabled() {
		srv.Shutdown()
		srv.WaitForShutdown()
		return errors.New("the link's server did not start")
	}
	nc, err := nats.Connect("", nats.InProcessServer(srv), nats.Name("kiosk"), nats.UserInfo("kiosk", c.password),
		nats.MaxReconnects(-1), nats.NoCallbacksAfterClientClose())
	if err != nil {
		srv.Shutdown()
		srv.WaitForShutdown()
		return fmt.Errorf("link: %w", err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		srv.Shutdown()
		srv.WaitForShutdown()
		return fmt.Errorf("link: %w", err)
	}
	c.srv, c.opts, c.nc, c.js = srv, opts, nc, js
	return nil
}

// setUp makes the streams (never deleting them: sourcing could stall),
// listens for heartbeats and starts following the merged stream.
func (c *Carrier) setUp() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        ownStream(c.id),
		Description: "this carrier's own events: " + c.name,
		Subjects:    []string{"arcade.ev." + c.id + ".>"},
		Storage:     jetstream.FileStorage,
		Duplicates:  time.Hour,
		MaxAge:      30 * 24 * time.Hour,
		MaxMsgSize:  maxMessage,
	}); err != nil {
		return fmt.Errorf("link: own stream: %w", err)
	}
	// The merged stream keeps the sources it had: a restart resumes each
	// where it stopped.
	merged, err := c.js.Stream(ctx, mergedStream)
	switch {
	case errors.Is(err, jetstream.ErrStreamNotFound):
		if _, err := c.js.CreateStream(ctx, c.mergedConfig([]string{c.id})); err != nil {
			return fmt.Errorf("link: merged stream: %w", err)
		}
		c.sources = []string{c.id}
	case err != nil:
		return fmt.Errorf("link: merged stream: %w", err)
	default:
		for _, s := range merged.CachedInfo().Config.Sources {
			c.sources = append(c.sources, s.Name[len("EV_"):])
		}
	}
	if _, err := c.nc.Subscribe("arcade.hb.>", c.heard); err != nil {
		return fmt.Errorf("link: %w", err)
	}
	if _, err := c.nc.Subscribe(statusSubject, c.answerStatus); err != nil {
		return fmt.Errorf("link: %w", err)
	}
	if _, err := c.nc.Subscribe(battleSubject("*"), c.heardBattle); err != nil {
		return fmt.Errorf("link: %w", err)
	}
	if _, err := c.nc.Subscribe(liveSubject("*"), c.heardLive); err != nil {
		return fmt.Errorf("link: %w", err)
	}
	return c.followBoard(ctx)
}

// mergedConfig sources these carriers' streams, this carrier's locally and
// the others' through their JetStream domains.
func (c *Carrier) mergedConfig(carriers []string) jetstream.StreamConfig {
	cfg := jetstream.StreamConfig{
		Name:        mergedStream,
		Description: "every carrier's events, sourced",
		Storage:     jetstream.FileStorage,
		MaxAge:      30 * 24 * time.Hour,
	}
	for _, id := range carriers {
		src := &jetstream.StreamSource{Name: ownStream(id)}
		if id != c.id {
			src.External = &jetstream.ExternalStream{APIPrefix: "$JS." + id + ".API"}
		}
		cfg.Sources = append(cfg.Sources, src)
	}
	return cfg
}

// heard notes a heartbeat, and sources a carrier heard for the first time.
func (c *Carrier) heard(m *nats.Msg) {
	var p presence
	if err := json.Unmarshal(m.Data, &p); err != nil || p.Carrier == "" || len(p.Carrier) != 12 {
		return
	}
	if m.Subject != heartbeatSubject(p.Carrier) {
		return // a carrier speaks only for itself
	}
	c.mu.Lock()
	c.peers[p.Carrier] = peer{Name: p.Name, Heard: c.now()}
	known := slices.Contains(c.sources, p.Carrier)
	if !known {
		c.sources = append(c.sources, p.Carrier)
	}
	sources := slices.Clone(c.sources)
	c.mu.Unlock()
	if known {
		return
	}
	select {
	case c.beatNow <- struct{}{}:
	default:
	}
	// Not on the heartbeat's own goroutine: the update waits for the
	// JetStream API.
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := c.js.UpdateStream(ctx, c.mergedConfig(sources)); err != nil {
			c.fail("cannot source a new carrier", err)
			c.mu.Lock()
			c.sources = slices.DeleteFunc(c.sources, func(s string) bool { return s == p.Carrier })
			c.mu.Unlock()
			return
		}
		c.log.Info("carrier joined", "carrier", p.Carrier, "name", p.Name)
	}()
}

// followBoard reads today's results from the merged stream, and every new
// one as it arrives.
func (c *Carrier) followBoard(ctx context.Context) error {
	now := c.now()
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	started := c.now()
	cons, err := c.js.OrderedConsumer(ctx, mergedStream, jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverByStartTimePolicy,
		OptStartTime:  &midnight,
	})
	if err != nil {
		return fmt.Errorf("link: board: %w", err)
	}
	_, err = cons.Consume(func(msg jetstream.Msg) {
		var m Message
		if json.Unmarshal(msg.Data(), &m) != nil || msg.Subject() != m.subject() {
			return
		}
		c.board.Add(m)
		if m.Kind == KindResult && m.Battle != "" {
			c.battleResult(m)
		}
		// News is what other carriers did since this one started: the
		// attract screen's ticker.
		if m.Carrier != c.id && !m.At.Before(started) {
			c.news.add(m)
		}
	})
	if err != nil {
		return fmt.Errorf("link: board: %w", err)
	}
	return nil
}

// Today is the board's day on this carrier's clock: local midnight starts
// a new one, as the leaderboard's does.
func (c *Carrier) Today() string { return c.now().Format("2006-01-02") }

// Hear takes a session event; a result or a find is queued for the other
// carriers. It never waits: a full queue drops the event and counts it.
func (c *Carrier) Hear(e game.Event) {
	c.hearBattle(e)
	c.mu.Lock()
	m, ok := fromEvent(e, c.Today())
	if !ok {
		c.mu.Unlock()
		return
	}
	c.seq++
	m.Carrier, m.Name, m.At = c.id, c.name, c.now().UTC()
	m.ID = c.id + "-" + strconv.FormatInt(m.At.UnixNano(), 36) + "-" + strconv.FormatUint(c.seq, 36)
	c.mu.Unlock()
	select {
	case c.queue <- m:
	default:
		c.mu.Lock()
		c.dropped++
		c.mu.Unlock()
	}
}

// publishLoop stores queued events in this carrier's stream, retrying
// until the local server takes each (it is in this process, so it only
// refuses while starting or stopping).
func (c *Carrier) publishLoop(ctx context.Context) {
	defer c.wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-c.queue:
			for wait := 100 * time.Millisecond; ; wait = min(2*wait, 5*time.Second) {
				err := c.publish(ctx, m)
				if err == nil || ctx.Err() != nil {
					break
				}
				c.fail("cannot store an event", err)
				select {
				case <-ctx.Done():
					return
				case <-time.After(wait):
				}
			}
		}
	}
}

func (c *Carrier) publish(ctx context.Context, m Message) error {
	data, err := m.encode()
	if err != nil {
		c.fail("event not sent", err)
		return nil // it would never fit
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := c.js.Publish(ctx, m.subject(), data, jetstream.WithMsgID(m.ID)); err != nil {
		return err
	}
	c.mu.Lock()
	c.sent++
	c.lastSent = c.now()
	c.mu.Unlock()
	return nil
}

// heartbeatLoop tells the others this carrier is here: every few seconds,
// at once when the link comes up, and when asked to (a new carrier heard).
func (c *Carrier) heartbeatLoop(ctx context.Context) {
	defer c.wg.Done()
	t := time.NewTicker(heartbeat / 10)
	defer t.Stop()
	var last time.Time
	for {
		upNow := c.watchLink()
		select {
		case <-c.beatNow:
			upNow = true
		default:
		}
		if upNow || time.Since(last) >= heartbeat {
			c.beat()
			last = time.Now()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-c.beatNow:
			c.beat()
			last = time.Now()
		}
	}
}

// watchLink notes whether the leaf link is up; true when it just came up.
func (c *Carrier) watchLink() bool {
	up := c.srv.NumLeafNodes() > 0
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case up && c.upSince.IsZero():
		c.upSince = c.now()
		c.log.Info("link up", "hub", c.cfg.Hub)
		return true
	case !up && !c.upSince.IsZero():
		c.upSince, c.downSince, c.told = time.Time{}, c.now(), false
		c.log.Warn("link down: playing on alone, events are kept until it is back", "hub", c.cfg.Hub)
	case !up && !c.probing && c.now().Sub(c.downSince) >= leafRestart && c.now().Sub(c.restarted) >= leafRestart:
		// Down for long: if the hub answers, the link is stuck, not cut
		// (a known failure of leaf links on flaky networks).
		c.probing = true
		c.wg.Add(1)
		go c.restartIfHubAnswers()
	}
	if !up && !c.told && c.now().Sub(c.downSince) >= linkPatience {
		// Once per outage: the server's own lines do not name the setting
		// to check.
		c.told = true
		c.log.Warn("link: the hub is not reachable or does not let this carrier in; playing on alone. "+
			"Check link.hub, that 'kiosk hub' runs there, and that its [hub] carriers lists this carrier's public key",
			"hub", c.cfg.Hub, "public_key", c.public, "down_for", c.now().Sub(c.downSince).Round(time.Second))
	}
	return false
}

// leafRestart is how long the leaf link may stay down, with the hub
// answering, before it is restarted.
var leafRestart = time.Minute

// restartIfHubAnswers restarts the leaf link when the hub's port takes a
// connection: the link should be up, and its own retries are not getting
// it there.
func (c *Carrier) restartIfHubAnswers() {
	defer c.wg.Done()
	defer func() {
		c.mu.Lock()
		c.probing = false
		c.mu.Unlock()
	}()
	addr := hubAddr(c.cfg.Hub)
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return // the hub is away: the link's own retries will do
	}
	conn.Close()
	c.mu.Lock()
	c.restarted = c.now()
	c.restarts++
	first := c.restarts == 1
	down := c.now().Sub(c.downSince).Round(time.Second)
	c.mu.Unlock()
	level := slog.LevelDebug
	if first {
		level = slog.LevelWarn
	}
	c.log.Log(context.Background(), level, "link: the hub answers but the link stayed down: restarting it", "hub", c.cfg.Hub, "down_for", down)
	if err := c.restartLeaf(); err != nil {
		c.fail("cannot restart the link", err)
	}
}

// hubAddr is the host:port a hub URL connects to.
func hubAddr(hub string) string {
	u, err := url.Parse(hub)
	if err != nil {
		return hub
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"ws": "80", "wss": "443"}[u.Scheme]
		if port == "" {
			port = "7422"
		}
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// restartLeaf drops the leaf link and makes it again, by turning its
// remote off and on in the server's options: the store, the streams and
// the kiosk's connection stay as they are.
func (c *Carrier) restartLeaf() error {
	if err := c.setLeaf(false); err != nil {
		return err
	}
	return c.setLeaf(true)
}

// setLeaf turns the leaf link off or on.
func (c *Carrier) setLeaf(on bool) error {
	c.leafMu.Lock()
	defer c.leafMu.Unlock()
	o := c.opts.Clone()
	r := *c.opts.LeafNode.Remotes[0] // Clone shares the remotes
	r.Disabled = !on
	o.LeafNode.Remotes = []*server.RemoteLeafOpts{&r}
	if err := c.srv.ReloadOptions(o); err != nil {
		return err
	}
	c.opts = o
	return nil
}

// linkPatience is how long the link may take to come up before the log
// says what to check.
var linkPatience = 20 * time.Second

func (c *Carrier) beat() {
	p := presence{Carrier: c.id, Name: c.name, At: c.now().UTC()}
	c.mu.Lock()
	cond := c.condition
	c.mu.Unlock()
	p.withCondition(cond)
	if data, err := json.Marshal(p); err == nil {
		_ = c.nc.Publish(heartbeatSubject(c.id), data) // not stored: presence is now or never
	}
}

// fail remembers an error for the overlay and logs it.
func (c *Carrier) fail(what string, err error) {
	c.mu.Lock()
	changed := c.lastErr != err.Error()
	c.lastErr = err.Error()
	c.mu.Unlock()
	if changed {
		c.log.Warn("link: "+what, "err", err)
	}
}

// ID is the carrier's name on the wire.
func (c *Carrier) ID() string { return c.id }

// Board is today's merged board: every carrier's results since local
// midnight.
func (c *Carrier) Board() *Board { return c.board }

// News is what other carriers did lately, newest last: for the attract
// screen's ticker.
func (c *Carrier) News() []NewsItem { return c.news.items() }

// Status is what the operator overlay and 'kiosk link status' show.
type Status struct {
	Carrier string       `json:"carrier"`
	Name    string       `json:"name"`
	Hub     string       `json:"hub"`
	Up      bool         `json:"up"`
	UpSince time.Time    `json:"up_since,omitzero"`
	Online  []OnlinePeer `json:"online"`
	Sent    int          `json:"sent"`
	Queued  int          `json:"queued"`
	Dropped int          `json:"dropped"`
	Sources int          `json:"sources"`
	LastErr string       `json:"last_error,omitempty"`
	Store   string       `json:"store"`
	// ClockOffset is the hub's clock minus this carrier's, once the hub
	// has told its time (battles start by the hub's time).
	ClockOffset *float64 `json:"clock_offset_seconds,omitempty"`
}

// OnlinePeer is another carrier heard in the last 15 s.
type OnlinePeer struct {
	Carrier string `json:"carrier"`
	Name    string `json:"name"`
}

// Status is the link as it is now.
func (c *Carrier) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	u, _ := url.Parse(c.cfg.Hub)
	st := Status{Carrier: c.id, Name: c.name, Hub: u.Redacted(), Up: !c.upSince.IsZero(), UpSince: c.upSince,
		Sent: c.sent, Queued: len(c.queue), Dropped: c.dropped, Sources: len(c.sources), LastErr: c.lastErr, Store: c.store}
	if c.clockKnown {
		off := c.offset.Seconds()
		st.ClockOffset = &off
	}
	now := c.now()
	for id, p := range c.peers {
		if id != c.id && now.Sub(p.Heard) <= Online {
			st.Online = append(st.Online, OnlinePeer{Carrier: id, Name: p.Name})
		}
	}
	slices.SortFunc(st.Online, func(a, b OnlinePeer) int { return cmp.Compare(a.Name, b.Name) })
	return st
}

// Close stores what is queued (for a moment), gives the others a moment
// to take a result just stored, then stops the publisher, the heartbeat and
// the server. What they miss they take when this carrier is back.
func (c *Carrier) Close() {
	deadline := time.Now().Add(2 * time.Second)
	for len(c.queue) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	c.mu.Lock()
	linger := !c.upSince.IsZero() && c.now().Sub(c.lastSent) < 5*time.Second
	c.mu.Unlock()
	if linger {
		time.Sleep(2 * time.Second)
	}
	c.cancel()
	c.wg.Wait()
	c.shutdown()
}

func (c *Carrier) shutdown() {
	if c.nc != nil {
		c.nc.Close()
	}
	if c.srv != nil {
		c.srv.Shutdown()
		c.srv.WaitForShutdown()
	}
}

// natsLog passes the embedded server's warnings and errors to the kiosk's
// log, and its notices at debug; its debug and trace lines are dropped. A
// line the same as one logged in the last minute is dropped too: with the
// hub away the server says the same every few seconds.
type natsLog struct {
	log  *slog.Logger
	seen *recentLines
}

func newNatsLog(log *slog.Logger) natsLog {
	return natsLog{log: log, seen: &recentLines{at: map[string]time.Time{}}}
}

type recentLines struct {
	mu sync.Mutex
	at map[string]time.Time
}

// fresh is true when line was not logged in the last minute.
func (r *recentLines) fresh(line string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	if t, ok := r.at[line]; ok && now.Sub(t) < time.Minute {
		return false
	}
	if len(r.at) > 256 {
		clear(r.at)
	}
	r.at[line] = now
	return true
}

func (l natsLog) say(level slog.Level, format string, v []any) {
	line := fmt.Sprintf(format, v...)
	if line == plaintextNotice {
		// The only passwords are those of the kiosk's and the hub's own
		// connections, in process: made new at each start, never
		// written anywhere. The warning would send the owner looking for
		// a secret in a file that has none.
		return
	}
	if l.seen.fresh(line) {
		l.log.Log(context.Background(), level, line)
	}
}

// plaintextNotice is the server's warning about passwords in its options.
const plaintextNotice = "Plaintext passwords detected, use nkeys or bcrypt"

func (l natsLog) Noticef(format string, v ...any) { l.say(slog.LevelDebug, format, v) }
func (l natsLog) Warnf(format string, v ...any)   { l.say(slog.LevelWarn, format, v) }
func (l natsLog) Fatalf(format string, v ...any)  { l.say(slog.LevelError, format, v) }
func (l natsLog) Errorf(format string, v ...any)  { l.say(slog.LevelError, format, v) }
func (l natsLog) Debugf(string, ...any)           {}
func (l natsLog) Tracef(string, ...any)           {}
