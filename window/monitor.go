//go:build cgo

package window

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/carrierarcade/kiosk/game"
	"github.com/hajimehoshi/ebiten/v2"
)

// monitorNames are the names of the monitors Ebitengine lists, the
// primary first.
func monitorNames(ms []*ebiten.MonitorType) []string {
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.Name()
	}
	return names
}

// useMonitor puts the window on the monitor display.monitor names; one
// that is not there leaves it on the primary, with a log line that lists
// those that are.
func useMonitor(want string, log *slog.Logger) {
	if want == "" {
		return
	}
	ms := ebiten.AppendMonitors(nil)
	names := monitorNames(ms)
	i, ok := game.PickMonitor(want, names)
	if !ok {
		log.Warn("display.monitor is not there: the kiosk goes on the primary monitor", "monitor", want, "monitors", names)
		return
	}
	ebiten.SetMonitor(ms[i])
	log.Info("screen on monitor", "monitor", names[i], "index", i)
}

// ListMonitors prints the monitors Ebitengine lists, one a line: the index
// and the name display.monitor takes, and the size.
func ListMonitors(w io.Writer) error {
	for i, m := range ebiten.AppendMonitors(nil) {
		mw, mh := m.Size()
		primary := ""
		if i == 0 {
			primary = "   (primary)"
		}
		if _, err := fmt.Fprintf(w, "%d  %-12s %dx%d%s\n", i, m.Name(), mw, mh, primary); err != nil {
			return err
		}
	}
	return nil
}
