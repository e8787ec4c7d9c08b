package game

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Entry is one line of a leaderboard.
type Entry struct {
	Name  string `json:"name"`
	Score int    `json:"score"`
}

const (
	boardFile = "leaderboard.json"
	// boardTemp starts the names of files being written; one left over
	// is a write that a crash cut short.
	boardTemp = boardFile + ".tmp-"
	boardSize = 10
)

// boardData is the file: per day, per game, the top ten, best first.
type boardData struct {
	Version int                           `json:"version"`
	Days    map[string]map[string][]Entry `json:"days"`
}

// Leaderboard keeps each day's top ten of each game in one JSON file,
// rewritten atomically on every change, so a power cut loses at most the
// last score and never the board. It never reads the clock: callers name
// the day. Safe for concurrent use.
type Leaderboard struct {
	mu   sync.Mutex
	dir  string
	log  *slog.Logger
	days map[string]map[string][]Entry
}

// OpenLeaderboard reads dir/leaderboard.json, creating dir if need be. A
// file that is not valid JSON is renamed aside (leaderboard.json.damaged-N)
// with a warning, and the board starts empty: a lost board is no reason to
// close the booth. Only a folder that cannot be made or read is an error.
func OpenLeaderboard(dir string, log *slog.Logger) (*Leaderboard, error) {
	if log == nil {
		log = slog.Default()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("leaderboard: %w", err)
	}
	lb := &Leaderboard{dir: dir, log: log, days: map[string]map[string][]Entry{}}
	lb.removeTemps()
	data, err := os.ReadFile(lb.path())
	if errors.Is(err, fs.ErrNotExist) {
		return lb, nil
	}
	if err != nil {
		return nil, fmt.Errorf("leaderboard: %w", err)
	}
	var f boardData
	if err := json.Unmarshal(data, &f); err != nil {
		lb.setAside(err)
		return lb, nil
	}
	for day, games := range f.Days {
		for game, top := range games {
			lb.put(day, game, tidy(top))
		}
	}
	return lb, nil
}

func (lb *Leaderboard) path() string { return filepath.Join(lb.dir, boardFile) }

// removeTemps deletes files a crash left between writing and renaming;
// the board they were to replace is still whole.
func (lb *Leaderboard) removeTemps() {
	entries, err := os.ReadDir(lb.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), boardTemp) {
			if err := os.Remove(filepath.Join(lb.dir, e.Name())); err != nil {
				lb.log.Warn("leaderboard: cannot remove a leftover temporary file", "file", e.Name(), "err", err)
			}
		}
	}
}

// setAside renames a damaged board out of the way, keeping it for a look.
func (lb *Leaderboard) setAside(why error) {
	for n := 1; ; n++ {
		aside := lb.path() + ".damaged-" + strconv.Itoa(n)
		if _, err := os.Lstat(aside); !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := os.Rename(lb.path(), aside); err != nil {
			lb.log.Error("leaderboard: damaged and cannot be set aside, starting empty", "file", lb.path(), "why", why, "err", err)
			return
		}
		lb.log.Warn("leaderboard: damaged, set aside, starting empty", "file", lb.path(), "aside", aside, "why", why)
		return
	}
}

// tidy makes a list read from disk a proper top ten, best first.
func tidy(top []Entry) []Entry {
	slices.SortStableFunc(top, func(a, b Entry) int { return cmp.Compare(b.Score, a.Score) })
	return top[:min(len(top), boardSize)]
}

// Add enters a score and returns its rank among the day's scores of that
// game, 1 for the best, 0 when it did not make the top ten. A tie ranks
// below the scores already there: they got it first.
func (lb *Leaderboard) Add(game, day, name string, score int) (rank int) {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	top := lb.days[day][game]
	i := slices.IndexFunc(top, func(e Entry) bool { return e.Score < score })
	if i < 0 {
		i = len(top)
	}
	if i >= boardSize {
		return 0
	}
	top = slices.Insert(slices.Clone(top), i, Entry{Name: name, Score: score})
	lb.put(day, game, top[:min(len(top), boardSize)])
	lb.save()
	return i + 1
}

// Top is the day's top ten of a game, best first.
func (lb *Leaderboard) Top(game, day string) []Entry {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	return slices.Clone(lb.days[day][game])
}

// Reset clears one game's board for the day.
func (lb *Leaderboard) Reset(game, day string) {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	lb.put(day, game, nil)
	lb.save()
}

// ResetDay clears every game's board for the day.
func (lb *Leaderboard) ResetDay(day string) {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	delete(lb.days, day)
	lb.save()
}

// put sets a list, dropping empty ones so the file holds no clutter.
func (lb *Leaderboard) put(day, game string, top []Entry) {
	if len(top) == 0 {
		delete(lb.days[day], game)
		if len(lb.days[day]) == 0 {
			delete(lb.days, day)
		}
		return
	}
	if lb.days[day] == nil {
		lb.days[day] = map[string][]Entry{}
	}
	lb.days[day][game] = top
}

// save writes the board, logging a failure: the scores stay in memory
// and the next change tries again.
func (lb *Leaderboard) save() {
	if err := lb.write(); err != nil {
		lb.log.Error("leaderboard: not saved", "file", lb.path(), "err", err)
	}
}

// write replaces the file atomically: a temporary file in the same
// folder, synced, renamed over the old one, then the folder synced so the
// rename itself survives a power cut.
func (lb *Leaderboard) write() error {
	data, err := json.MarshalIndent(boardData{Version: 1, Days: lb.days}, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(lb.dir, boardTemp+"*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	_, err = tmp.Write(append(data, '\n'))
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), lb.path()); err != nil {
		return err
	}
	d, err := os.Open(lb.dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
