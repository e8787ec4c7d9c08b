package config

import (
	"errors"
	"testing"

	"github.com/carrierarcade/kiosk/internal/config/configtest"
)

// FuzzLoadConfig feeds the config decoder any file and any --set value:
// it must never panic, and every rejection must be a bounded message in
// the booth's words that names a key or a line. The seeds are in
// testdata/fuzz/FuzzLoadConfig; 'make test' fuzzes for a short while.
func FuzzLoadConfig(f *testing.F) {
	f.Add([]byte("[display]\nwidth = 1280\n"), "display.rotation=90")
	f.Fuzz(func(t *testing.T, data []byte, set string) {
		if len(data) > maxConfigBytes {
			return // refused unread by readConfigFile
		}
		var sets []string
		if set != "" {
			sets = []string{set}
		}
		_, err := decode("fuzz.toml", data, sets)
		if err == nil {
			return
		}
		if !errors.Is(err, ErrConfig) {
			t.Fatalf("a rejection that is not a configuration error: %v", err)
		}
		if why := configtest.CheckMessage(err.Error()); why != "" {
			t.Fatalf("%s\nmessage: %.2000s", why, err.Error())
		}
	})
}
