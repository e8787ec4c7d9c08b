package health

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Serve listens on addr (host:port) and serves Handler in its own
// goroutine until ctx ends or stop is called. It returns the address bound
// (the port chosen when addr's is 0). stop shuts the server down, letting a
// scrape in flight finish for up to a second, and waits for every goroutine
// Serve started; it may be called more than once. An address that cannot
// be listened on (in use, not this machine's) is the error, and then
// nothing runs.
func (s *Server) Serve(ctx context.Context, addr string) (net.Addr, func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	hs := &http.Server{
		Handler: s.Handler(),
		// Requests are a line and a few headers; anything slower or
		// bigger is not a probe or a scraper.
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       5 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    8 << 10,
		// net/http answers "OPTIONS *" itself with 200; the handler
		// refuses it as any method but GET and HEAD.
		DisableGeneralOptionsHandler: true,
		ErrorLog:                     slog.NewLogLogger(s.opts.Log.Handler(), slog.LevelDebug),
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.opts.Log.Error("health and metrics server stopped", "addr", ln.Addr().String(), "err", err)
		}
	}()
	go func() {
		defer wg.Done()
		<-ctx.Done()
		sctx, done := context.WithTimeout(context.Background(), time.Second)
		defer done()
		if err := hs.Shutdown(sctx); err != nil {
			_ = hs.Close()
		}
	}()
	var once sync.Once
	stop := func() {
		once.Do(cancel)
		wg.Wait()
	}
	return ln.Addr(), stop, nil
}
