package record

import (
	"path"
	"strings"

	"github.com/carrierarcade/kiosk/game"
)

// A recording carries no folder of the machine that made it (game.data_dir,
// the user's home, where a clip was): an absolute path in what it keeps is
// cut to its last element ("/home/ann/kiosk/data/leaderboard.json" becomes
// "leaderboard.json"). A device (/dev/video0) names no one's folder and is
// kept. The writer's digest hears events cut the same way, so a replay,
// which plays the cut notes, gives the same digest.

// pathStart are the bytes after which a '/' starts a path; pathEnd end it.
const (
	pathStart = " \t\n:=\"'(,["
	pathEnd   = " \t\n:\"'),;]"
)

// local is s with every absolute path in it cut to its last element.
func local(s string) string {
	if !strings.Contains(s, "/") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '/' || (i > 0 && !strings.ContainsRune(pathStart, rune(s[i-1]))) {
			b.WriteByte(s[i])
			i++
			continue
		}
		end := len(s)
		if n := strings.IndexAny(s[i:], pathEnd); n >= 0 {
			end = i + n
		}
		p := s[i:end]
		if !strings.HasPrefix(p, "/dev/") && strings.Trim(p, "/") != "" {
			p = path.Base(p)
		}
		b.WriteString(p)
		i = end
	}
	return b.String()
}

// localEvent is e with the host's words (a note's file, source, reason,
// error) cut of folders.
func localEvent(e game.Event) game.Event {
	e.File, e.Source, e.Reason, e.Err, e.Stack = local(e.File), local(e.Source), local(e.Reason), local(e.Err), local(e.Stack)
	return e
}

// localFailures is fs, cut of folders (a panic's stack names the source
// files where the kiosk was built).
func localFailures(fs []game.Failure) []game.Failure {
	var out []game.Failure
	for _, f := range fs {
		out = append(out, game.Failure{Cause: local(f.Cause), Stack: local(f.Stack)})
	}
	return out
}
