package game

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/carrierarcade/kiosk/internal/atomicfile"
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
	// boardVersion is the file format this kiosk writes.
	boardVersion = 1
)

// boardData is the file: per day, per game, the top ten, best first.
type boardData struct {
	Version int                           `json:"version"`
	Days    map[string]map[string][]Entry `json:"days"`
}

// Leaderboard keeps each day's top ten of each game. It lives in memory,
// where the rules read and change it without waiting; a board opened from
// a folder also writes itself there, atomically, from a goroutine of its
// own, so a power cut loses at most the last score and never the board,
// and the game loop never waits on the disk. It never reads the clock:
// callers name the day. Safe for concurrent use.
type Leaderboard struct {
	mu   sync.Mutex
	days map[string]map[string][]Entry

	// Saving, for a board opened from a folder; nil wake means in memory.
	dir     string
	file    string // boardFile, or ours beside a newer kiosk's
	log     *slog.Logger
	write   func(data []byte) error // lb.replace, or a test's
	saved   func(file string, err error)
	wake    chan struct{} // a change to write (capacity 1: changes merge)
	changes uint64        // under mu: changes made so far
	problem string        // under mu: why the last write failed, "" when it worked
	written uint64        // under mu: changes on disk (or failed to get there)
	flushed *sync.Cond    // on mu: written moved
	stop    chan struct{}
	done    chan struct{}
}

// NewLeaderboard is a board kept in memory only (simulations, replays),
// starting from days (which it copies; nil for none).
func NewLeaderboard(days map[string]map[string][]Entry) *Leaderboard {
	lb := &Leaderboard{days: map[string]map[string][]Entry{}}
	for day, games := range days {
		for game, top := range games {
			lb.put(day, game, tidy(slices.Clone(top)))
		}
	}
	return lb
}

// maxBoardFile is the largest board read: ten scores a game a day for a
// year is a few hundred kB.
const maxBoardFile = 8 << 20

// OpenLeaderboard reads dir/leaderboard.json, creating dir if need be, and
// starts the goroutine that writes each change back; Close stops it. It
// always gives a board, because a lost board is no reason to close the
// booth: a file that is not a valid board (damaged, a folder, a FIFO) is
// set aside (leaderboard.json.damaged-N) with a warning; a board from a
// newer kiosk is left as it is and this one keeps its scores beside it
// (leaderboard.v1.json); a folder that cannot be made or written leaves the
// board in memory, with one error naming the path, the reason and
// game.data_dir, and writes are tried again now and then. saved, when not
// nil, hears the outcome of every write (from the writer's goroutine).
func OpenLeaderboard(dir string, log *slog.Logger, saved func(file string, err error)) *Leaderboard {
	if log == nil {
		log = slog.Default()
	}
	lb := NewLeaderboard(nil)
	lb.dir, lb.file, lb.log = dir, boardFile, log
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Error("leaderboard: its folder cannot be made, so scores are kept in memory only; set game.data_dir to a folder the kiosk may write",
			"path", dir, "reason", err)
	} else {
		lb.removeTemps()
		lb.load()
	}
	lb.startSaving(lb.replace, saved)
	return lb
}

// load reads the board file, if there is one the kiosk can use.
func (lb *Leaderboard) load() {
	data, err := readRegular(lb.path(), maxBoardFile)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return
	case errors.Is(err, errNotRegular):
		lb.setAside(err)
		return
	case err != nil:
		lb.setAside(err) // unreadable: out of the way, if the folder allows
		return
	}
	var f boardData
	if err := json.Unmarshal(data, &f); err != nil {
		lb.setAside(err)
		return
	}
	if f.Version > boardVersion {
		lb.file = fmt.Sprintf("leaderboard.v%d.json", boardVersion)
		lb.log.Warn("leaderboard: the file is from a newer kiosk; it is left as it is and this kiosk keeps its scores beside it",
			"file", filepath.Join(lb.dir, boardFile), "version", f.Version, "ours", lb.path())
		if data, err = readRegular(lb.path(), maxBoardFile); err != nil || json.Unmarshal(data, &f) != nil {
			return
		}
	}
	for day, games := range f.Days {
		for game, top := range games {
			lb.put(day, game, tidy(top))
		}
	}
}

// errNotRegular marks a board path that is a folder, a FIFO, a device or
// a socket: nothing the kiosk would open (a FIFO would hang it).
var errNotRegular = errors.New("not a regular file")

// readRegular reads a regular file of at most limit bytes, through a
// symbolic link (a board kept elsewhere, linked into data_dir).
func readRegular(path string, limit int64) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%w (%s)", errNotRegular, info.Mode().Type())
	}
	if info.Size() > limit {
		return nil, fmt.Errorf("%d bytes, more than a board can be", info.Size())
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit+1))
}

// startSaving starts the writer goroutine with write as the way to disk.
func (lb *Leaderboard) startSaving(write func([]byte) error, saved func(string, error)) {
	lb.write, lb.saved = write, saved
	lb.wake = make(chan struct{}, 1)
	lb.stop, lb.done = make(chan struct{}), make(chan struct{})
	lb.flushed = sync.NewCond(&lb.mu)
	go lb.saveLoop()
}

// retryEvery is how often a board that could not be written is tried
// again (a folder made writable, a disk with room again).
var retryEvery = 30 * time.Second

// saveLoop writes the newest board after each change until Close, and
// tries again now and then while the last write failed.
func (lb *Leaderboard) saveLoop() {
	defer close(lb.done)
	retry := time.NewTimer(retryEvery)
	defer retry.Stop()
	for {
		select {
		case <-lb.wake:
		case <-retry.C:
		case <-lb.stop:
			lb.saveNow() // the last change, if any
			return
		}
		lb.saveNow()
		retry.Reset(retryEvery)
	}
}

// saveNow writes the board if it changed since the last write. The data
// is taken under the lock, the disk is written outside it.
func (lb *Leaderboard) saveNow() {
	lb.mu.Lock()
	upto := lb.changes
	if upto == lb.written && lb.problem == "" {
		lb.mu.Unlock()
		return
	}
	data, err := json.MarshalIndent(boardData{Version: boardVersion, Days: lb.days}, "", "  ")
	lb.mu.Unlock()
	if err == nil {
		err = lb.write(append(data, '\n'))
	}
	if err != nil {
		err = fmt.Errorf("leaderboard: not saved (the scores stay in memory and the next change tries again): %w", err)
	}
	if lb.saved != nil {
		lb.saved(lb.path(), err)
	}
	lb.mu.Lock()
	lb.problem = ""
	if err != nil {
		lb.problem = errors.Unwrap(err).Error()
	}
	lb.written = upto
	lb.flushed.Broadcast()
	lb.mu.Unlock()
}

// changed notes a change to save, without waiting for it. Called with
// lb.mu held.
func (lb *Leaderboard) changed() {
	if lb.wake == nil {
		return
	}
	lb.changes++
	select {
	case lb.wake <- struct{}{}:
	default: // a write is already due; it will take this change too
	}
}

// Flush waits until every change made so far has been written (or has
// failed to be). In memory, it returns at once.
func (lb *Leaderboard) Flush() {
	if lb.wake == nil {
		return
	}
	lb.mu.Lock()
	defer lb.mu.Unlock()
	upto := lb.changes
	for lb.written < upto {
		lb.flushed.Wait()
	}
}

// Close writes the last change and stops the writer. The board stays
// usable in memory.
func (lb *Leaderboard) Close() {
	if lb.wake == nil {
		return
	}
	select {
	case <-lb.stop:
	default:
		close(lb.stop)
	}
	<-lb.done
}

// Problem is why the board's last write failed ("" when it worked): for
// the operator overlay's "scores not saved".
func (lb *Leaderboard) Problem() string {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	return lb.problem
}

// Days is a copy of the whole board: per day, per game, the top ten.
func (lb *Leaderboard) Days() map[string]map[string][]Entry {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	out := make(map[string]map[string][]Entry, len(lb.days))
	for day, games := range lb.days {
		out[day] = make(map[string][]Entry, len(games))
		for game, top := range games {
			out[day][game] = slices.Clone(top)
		}
	}
	return out
}

func (lb *Leaderboard) path() string { return filepath.Join(lb.dir, lb.file) }

// target is where the board really is: path, or the file it links to, so
// that a board linked into data_dir from elsewhere is written there and
// the link stays. Only a link to a regular file, or to nothing yet, is
// followed: a link to anything else (a device such as /dev/zero, a FIFO,
// a folder) is the damaged board itself, set aside in data_dir; the kiosk
// never renames or writes what it leads to.
func (lb *Leaderboard) target() (string, error) {
	t, err := atomicfile.Target(lb.path())
	if err != nil {
		return "", err
	}
	if info, err := os.Stat(t); err == nil && !info.Mode().IsRegular() {
		return lb.path(), nil
	}
	return t, nil
}

// removeTemps deletes files a crash left between writing and renaming, in
// data_dir and, for a linked board, in its target's folder; the board they
// were to replace is still whole.
func (lb *Leaderboard) removeTemps() {
	dirs := []string{lb.dir}
	if t, err := lb.target(); err == nil && filepath.Dir(t) != filepath.Clean(lb.dir) {
		dirs = append(dirs, filepath.Dir(t))
	}
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), boardTemp) {
				if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
					lb.log.Warn("leaderboard: cannot remove a leftover temporary file", "file", filepath.Join(dir, e.Name()), "err", err)
				}
			}
		}
	}
}

// setAside renames a damaged board out of the way, keeping it for a look
// (where it really is: a link to it stays, and the next write makes a new
// board there).
func (lb *Leaderboard) setAside(why error) {
	path, err := lb.target()
	if err != nil {
		path = lb.path()
	}
	for n := 1; ; n++ {
		aside := path + ".damaged-" + strconv.Itoa(n)
		if _, err := os.Lstat(aside); !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := os.Rename(path, aside); err != nil {
			lb.log.Error("leaderboard: damaged and cannot be set aside, starting empty", "file", path, "why", why, "err", err)
			return
		}
		lb.log.Warn("leaderboard: damaged, set aside, starting empty", "file", path, "aside", aside, "why", why)
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
	lb.changed()
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
	lb.changed()
}

// ResetDay clears every game's board for the day.
func (lb *Leaderboard) ResetDay(day string) {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	delete(lb.days, day)
	lb.changed()
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

// replace writes the file atomically: a temporary file in the same
// folder, synced, renamed over the old one, then the folder synced so the
// rename itself survives a power cut. (Not internal/atomicfile: the
// temporary files' names are what opening a board cleans up.) A board
// linked from elsewhere is written where it is.
func (lb *Leaderboard) replace(data []byte) error {
	path, err := lb.target()
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, boardTemp+"*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	_, err = tmp.Write(data)
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
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
