package kiosk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/link"
)

// StartLink starts this carrier's link when [link] enables it. A link that
// cannot start is one clear log line and nil: the carrier plays alone, as
// it always may; why says why there is no link (for the battle key), and
// the booth wires the link it is given to the session.
func StartLink(l config.Loaded, log *slog.Logger) (c *link.Carrier, why string) {
	if !l.Link.Enabled {
		return nil, "the carrier link is off: set link.enabled = true, link.hub and link.key_file ([link] in config.toml)"
	}
	cfg := l.Link
	cfg.KeyFile, cfg.CAFile, cfg.Store = l.Resolve(cfg.KeyFile), l.Resolve(cfg.CAFile), l.Resolve(cfg.Store)
	c, err := link.Start(cfg, l.Resolve(l.Game.DataDir), log)
	if err != nil {
		log.Error("link not started: this carrier plays alone", "err", err)
		return nil, "the carrier link did not start (see the error above)"
	}
	return c, ""
}

func cmdHub(ctx context.Context, args []string, _, stderr io.Writer) error {
	fs, c := newFlags("hub", "hub [--listen ADDR] [--config FILE] [--set k=v]...", stderr)
	listen := fs.String("listen", "", "where carriers connect, host:port (default: hub.listen)")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	l, err := c.load()
	if err != nil {
		return err
	}
	cfg := l.Hub
	if *listen != "" {
		cfg.Listen = *listen
		if ps := cfg.Validate().Under("hub"); len(ps) > 0 {
			return fmt.Errorf("%w: --listen: %v", errUsage, ps.Err())
		}
	}
	cfg.TLSCert, cfg.TLSKey = l.Resolve(cfg.TLSCert), l.Resolve(cfg.TLSKey)
	log := config.NewLogger(l.Log, stderr)
	page, err := listenHubPage(cfg)
	if err != nil {
		return err
	}
	h, err := link.StartHub(cfg, log)
	if err != nil {
		if page != nil {
			page.Close()
		}
		return err
	}
	defer h.Close()
	defer serveHubPage(page, h, cfg, log)()
	<-ctx.Done()
	log.Info("hub stopping")
	return nil
}

func cmdLink(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, linkUsage)
		return fmt.Errorf("%w: link needs one of keygen, pubkey, status", errUsage)
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stderr, linkUsage)
		return nil
	case "keygen":
		return cmdLinkKeygen(args[1:], stdout, stderr)
	case "pubkey":
		return cmdLinkPubkey(args[1:], stdout, stderr)
	case "status":
		return cmdLinkStatus(args[1:], stdout, stderr)
	}
	return fmt.Errorf("%w: link has keygen, pubkey and status, not %q ('kiosk link --help')", errUsage, args[0])
}

func cmdLinkKeygen(args []string, stdout, stderr io.Writer) error {
	fs, _ := newFlags("link keygen", "link keygen --out FILE", stderr)
	out := fs.String("out", "", "file for the carrier's secret key (mode 0600); name it in link.key_file")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("%w: --out FILE names where the key goes", errUsage)
	}
	pub, err := link.Keygen(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s\n", pub)
	fmt.Fprintf(stderr, "the secret key is in %s (keep it there: link.key_file = %q); the line above is its public key: add it to the hub's [hub] carriers\n", *out, *out)
	return nil
}

func cmdLinkStatus(args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("link status", "link status [--json] [--config FILE]", stderr)
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	l, err := c.load()
	if err != nil {
		return err
	}
	if !l.Link.Enabled {
		if *asJSON {
			return json.NewEncoder(stdout).Encode(map[string]any{"enabled": false})
		}
		fmt.Fprintln(stdout, "link off (link.enabled = false): this carrier plays alone")
		return nil
	}
	if l.Link.LocalPort == 0 {
		return fmt.Errorf("%w: link.local_port is 0, so the running kiosk cannot be asked", config.ErrConfig)
	}
	r, err := link.AskStatus(l.Link.LocalPort)
	if errors.Is(err, link.ErrNotRunning) && *asJSON {
		return json.NewEncoder(stdout).Encode(map[string]any{"enabled": true, "running": false})
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(struct {
			Enabled bool `json:"enabled"`
			Running bool `json:"running"`
			*link.Report
		}{true, true, r})
	}
	printLinkReport(stdout, r)
	return nil
}

func printLinkReport(w io.Writer, r *link.Report) {
	state := "down (playing alone; events are kept)"
	if r.Up {
		state = "up since " + r.UpSince.Local().Format("15:04:05")
	}
	fmt.Fprintf(w, "carrier  %s (%s)\nhub      %s: %s\n", r.Name, r.Carrier, r.Hub, state)
	var names []string
	for _, p := range r.Online {
		names = append(names, p.Name)
	}
	fmt.Fprintf(w, "online   %d: %s\n", len(r.Online), strings.Join(names, ", "))
	fmt.Fprintf(w, "events   %d sent, %d queued, %d dropped\n", r.Sent, r.Queued, r.Dropped)
	if r.ClockOffset != nil {
		fmt.Fprintf(w, "clock    the hub's is %+.2f s from this carrier's (battles start by the hub's)\n", *r.ClockOffset)
	}
	if r.LastErr != "" {
		fmt.Fprintf(w, "error    %s\n", r.LastErr)
	}
	fmt.Fprintf(w, "today (%s) across carriers:\n", r.Day)
	if len(r.Board) == 0 {
		fmt.Fprintln(w, "  no results yet")
	}
	for g, top := range r.Board {
		title, _ := game.About(g)
		fmt.Fprintf(w, "  %s\n", title)
		for i, e := range top {
			fmt.Fprintf(w, "  %2d. %-24s %-20s %6d\n", i+1, e.Player, e.Carrier, e.Score)
		}
	}
}
