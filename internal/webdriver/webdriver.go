// Package webdriver drives a real Chromium from Go tests through
// chromedriver's W3C WebDriver HTTP interface: a session, a page, a script
// run in it, a screenshot. The handful of calls needed are written here
// by hand rather than taken from a browser-automation module.
package webdriver

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

// Flags are Chromium's for a headless run on a machine with no display,
// no GPU and no network but loopback: nothing is fetched from outside
// (no component updates, no sync, no background traffic).
var Flags = []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"}

// Browser is one Chromium, with its chromedriver, in one session.
type Browser struct {
	driver  *exec.Cmd
	log     *syncBuffer // chromedriver's own output, for messages
	base    string      // http://127.0.0.1:PORT/session/ID
	profile string      // the new, empty user data folder
	client  http.Client
}

// Options say which programs to run and the window's size in CSS pixels.
type Options struct {
	Chromium, Chromedriver string
	Width, Height          int
	// Mobile emulates a phone: touch, a device pixel ratio of 3 and a
	// phone's user agent.
	Mobile bool
}

// Start starts chromedriver on a free port of 127.0.0.1 and opens a
// session with a new, empty profile. Close ends both.
func Start(o Options) (*Browser, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	profile, err := os.MkdirTemp("", "webdriver-profile-")
	if err != nil {
		return nil, err
	}
	b := &Browser{log: &syncBuffer{}, profile: profile, client: http.Client{Timeout: time.Minute}}
	b.driver = exec.Command(o.Chromedriver, "--port="+strconv.Itoa(port), "--allowed-ips=127.0.0.1")
	b.driver.Stdout, b.driver.Stderr = b.log, b.log
	if err := b.driver.Start(); err != nil {
		os.RemoveAll(profile)
		return nil, fmt.Errorf("starting %s: %w", o.Chromedriver, err)
	}
	root := "http://127.0.0.1:" + strconv.Itoa(port)
	if err := b.waitReady(root, 30*time.Second); err != nil {
		b.Close()
		return nil, err
	}
	args := append([]string{"--user-data-dir=" + profile}, Flags...)
	args = append(args, fmt.Sprintf("--window-size=%d,%d", o.Width, o.Height))
	chrome := map[string]any{"binary": o.Chromium, "args": args}
	if o.Mobile {
		chrome["mobileEmulation"] = map[string]any{
			"deviceMetrics": map[string]any{"width": o.Width, "height": o.Height, "pixelRatio": 3, "touch": true},
			"userAgent":     "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
		}
	}
	var created struct {
		SessionID string `json:"sessionId"`
	}
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName": "chrome", "goog:chromeOptions": chrome}}}
	if err := b.call(http.MethodPost, root+"/session", caps, &created); err != nil {
		b.Close()
		return nil, fmt.Errorf("chromedriver did not open Chromium: %w", err)
	}
	b.base = root + "/session/" + created.SessionID
	return b, nil
}

// waitReady waits, with a deadline, for chromedriver to say it is ready.
func (b *Browser) waitReady(root string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		var st struct {
			Ready bool `json:"ready"`
		}
		if b.call(http.MethodGet, root+"/status", nil, &st) == nil && st.Ready {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("chromedriver was not ready within %v: %s", within, b.log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Open loads url and waits for it to load.
func (b *Browser) Open(url string) error {
	return b.call(http.MethodPost, b.base+"/url", map[string]string{"url": url}, nil)
}

// Eval runs a script's body in the page (as a function: it may return a
// value) and decodes what it returns into out (nil: ignored).
func (b *Browser) Eval(script string, out any) error {
	return b.call(http.MethodPost, b.base+"/execute/sync", map[string]any{"script": script, "args": []any{}}, out)
}

// WaitFor runs script until it returns true or within has passed; what
// says what was waited for, in the error.
func (b *Browser) WaitFor(what, script string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		var ok bool
		err := b.Eval(script, &ok)
		if err == nil && ok {
			return nil
		}
		if time.Now().After(deadline) {
			if err != nil {
				return fmt.Errorf("waited %v for %s: %w", within, what, err)
			}
			return fmt.Errorf("waited %v for %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Screenshot is the viewport as PNG.
func (b *Browser) Screenshot() ([]byte, error) {
	var s string
	if err := b.call(http.MethodGet, b.base+"/screenshot", nil, &s); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(s)
}

// Close ends the session, Chromium and chromedriver, and removes the
// profile.
func (b *Browser) Close() {
	if b.base != "" {
		_ = b.call(http.MethodDelete, b.base, nil, nil)
		b.base = ""
	}
	if b.driver != nil && b.driver.Process != nil {
		_ = b.driver.Process.Kill()
		_ = b.driver.Wait()
		b.driver = nil
	}
	os.RemoveAll(b.profile)
}

// call makes one WebDriver request; the answer's "value" goes into out.
func (b *Browser) call(method, url string, in, out any) error {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var answer struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&answer); err != nil {
		return fmt.Errorf("%s %s: %s: %w", method, url, resp.Status, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		_ = json.Unmarshal(answer.Value, &e)
		return fmt.Errorf("%s: %s", e.Error, e.Message)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(answer.Value, out)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// syncBuffer is chromedriver's output, written by its process while a
// message may read it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.buf.Len() > 1<<20 {
		return len(p), nil
	}
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// ErrNoBrowser is returned by Find when Chromium or chromedriver is
// missing.
var ErrNoBrowser = errors.New("chromium or chromedriver is not installed (Debian packages chromium and chromium-driver; 'make deps' installs them)")

// Find is where Chromium and chromedriver are installed.
func Find() (chromium, chromedriver string, err error) {
	if chromium, err = exec.LookPath("chromium"); err != nil {
		return "", "", ErrNoBrowser
	}
	if chromedriver, err = exec.LookPath("chromedriver"); err != nil {
		return "", "", ErrNoBrowser
	}
	return chromium, chromedriver, nil
}
