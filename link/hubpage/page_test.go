package hubpage_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/carrierarcade/kiosk/internal/webdriver"
	"github.com/carrierarcade/kiosk/link"
	"github.com/carrierarcade/kiosk/link/hubpage"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every server here listens on 127.0.0.1 only.

// booth is a hub with one carrier linked and the page served.
type booth struct {
	hub     *link.Hub
	carrier *link.Carrier
	pub     string // the carrier's public key
	url     string // the page
}

func newBooth(t *testing.T) *booth {
	t.Helper()
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "cat.nk")
	pub, err := link.Keygen(keyFile)
	require.NoError(t, err)
	quiet := slog.New(slog.DiscardHandler)
	hub, err := link.StartHub(link.HubConfig{Listen: "127.0.0.1:0", Carriers: []link.HubCarrier{{Name: "Cat A", Key: pub}}}, quiet)
	require.NoError(t, err)
	t.Cleanup(hub.Close)
	c, err := link.Start(link.Config{Enabled: true, Name: "Kubecon Cat", Hub: hub.LeafURL(), KeyFile: keyFile}, filepath.Join(dir, "cat"), quiet)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	c.Tell(func() link.Condition { return link.Condition{Battery: 64, Camera: true} })
	l, err := hubpage.Listen("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(hubpage.Serve(l, hub, quiet))
	return &booth{hub: hub, carrier: c, pub: pub, url: "http://" + l.Addr().String() + "/"}
}

// stored has the carrier play a round and waits, on the hub's own change
// signal, until the hub's page holds its result.
func (b *booth) stored(t *testing.T, player string, score int) {
	t.Helper()
	b.carrier.Hear(game.Event{Kind: game.KindResults, Game: "hunt", Name: player, Score: score})
	deadline := time.After(30 * time.Second)
	for {
		p, changed := b.hub.Watch()
		for _, g := range p.Games {
			for _, s := range g.Top {
				if s.Player == player && s.Score == score {
					return
				}
			}
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("the hub never had %s's result", player)
		}
	}
}

// The page in a real browser (Debian's Chromium, headless): it shows a
// result stored a moment before, and a new one as it arrives, without
// reloading; it loads nothing from anywhere but the hub.
func TestPageInARealBrowser(t *testing.T) {
	chromium := testenv.Program(t, "chromium")
	driver := testenv.Program(t, "chromedriver")
	b := newBooth(t)
	b.stored(t, "Brave Otter", 300)

	br, err := webdriver.Start(webdriver.Options{Chromium: chromium, Chromedriver: driver, Width: 390, Height: 844, Mobile: true})
	require.NoError(t, err)
	defer br.Close()
	require.NoError(t, br.Open(b.url))
	require.NoError(t, br.WaitFor("the stored result on the page",
		`return document.getElementById('games').textContent.includes('Brave Otter')`, 30*time.Second))
	var text string
	require.NoError(t, br.Eval(`return document.body.innerText`, &text))
	assert.Contains(t, text, "300")
	assert.Contains(t, text, "Kubecon Cat", "the carrier's own name")
	require.NoError(t, br.WaitFor("the carrier online with its battery",
		`return document.getElementById('carriers').textContent.includes('64 %')`, 30*time.Second))

	// A mark only this load of the page has: a reload would lose it.
	require.NoError(t, br.Eval(`window.keptMark = 'this load'; return null`, nil))
	b.carrier.Hear(game.Event{Kind: game.KindResults, Game: "hunt", Name: "Shiny Koala", Score: 500})
	require.NoError(t, br.WaitFor("the new result on the page",
		`return document.getElementById('games').textContent.includes('Shiny Koala')`, 30*time.Second))
	var mark string
	require.NoError(t, br.Eval(`return window.keptMark || ''`, &mark))
	assert.Equal(t, "this load", mark, "the page updated itself, without reloading")
	var first string
	require.NoError(t, br.Eval(`return document.querySelector('#games .score .player').textContent`, &first))
	assert.Equal(t, "Shiny Koala", first, "best first")

	var elsewhere []string
	require.NoError(t, br.Eval(`return performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin))`, &elsewhere))
	assert.Empty(t, elsewhere, "nothing loaded from outside the hub")

	shot, err := br.Screenshot()
	require.NoError(t, err)
	_, err = png.Decode(bytes.NewReader(shot))
	require.NoError(t, err)
	if dir := os.Getenv("HUBPAGE_SHOTS"); dir != "" {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "hubpage-phone.png"), shot, 0o644))
	}
}

// Every route answers as it should, with the page's security policy, and
// none holds more than fun names, carrier names, scores and states: no
// key, no carrier ID.
func TestPageRoutes(t *testing.T) {
	b := newBooth(t)
	b.stored(t, "Brave Otter", 300)
	kinds := map[string]string{"/": "text/html", "/board.js": "text/javascript", "/board.css": "text/css",
		"/board.json": "application/json", "/events": "text/event-stream"}
	for _, path := range hubpage.Paths() {
		resp, err := http.Get(strings.TrimSuffix(b.url, "/") + path)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode, path)
		assert.True(t, strings.HasPrefix(resp.Header.Get("Content-Type"), kinds[path]), "%s: %s", path, resp.Header.Get("Content-Type"))
		assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "default-src 'none'", path)
		var body string
		if path == "/events" {
			// The stream's first board, then hang up.
			r := bufio.NewReader(resp.Body)
			for !strings.HasPrefix(body, "data: ") {
				line, err := r.ReadString('\n')
				require.NoError(t, err)
				body = line
			}
			var p link.Public
			require.NoError(t, json.Unmarshal([]byte(strings.TrimPrefix(body, "data: ")), &p))
			require.Len(t, p.Games, 1)
			assert.Equal(t, "Brave Otter", p.Games[0].Top[0].Player)
		} else {
			data, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			body = string(data)
		}
		resp.Body.Close()
		assert.NotContains(t, body, b.pub[:12], "%s holds no key and no carrier ID", path)
	}
	resp, err := http.Get(b.url + "nope")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	resp, err = http.Post(b.url, "text/plain", strings.NewReader("x"))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}
