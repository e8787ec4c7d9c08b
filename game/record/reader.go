package record

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// maxLine bounds every line read back, and the input read without a line
// of play between two (blank lines): a damaged or crafted file is refused
// before it costs more memory or time than a recording could. The longest
// real line is the header with a year of leaderboard (well under 1 MB); a
// tick's is a few kB.
const maxLine = 8 << 20

// maxDays bounds the play a recording may say it covers: a replay plays
// every tick, so an end line claiming years would keep it busy for hours.
const maxDays = 7

// reader reads a recording line by line, holding one line at a time: its
// memory does not grow with the recording's length.
type reader struct {
	path string
	f    *os.File
	zr   *gzip.Reader
	sc   *bufio.Scanner
	tick uint64 // the last tick line read
	any  bool   // a tick line was read
}

// openReader opens path and reads its header.
func openReader(path string) (*reader, header, json.RawMessage, error) {
	var h header
	f, err := os.Open(path)
	if err != nil {
		return nil, h, nil, fmt.Errorf("recording: %w", err)
	}
	r := &reader{path: path, f: f}
	if r.zr, err = gzip.NewReader(f); err != nil {
		f.Close()
		return nil, h, nil, r.bad("not a gzip file (%v); make one with 'kiosk run --record FILE' or 'kiosk sim --record FILE'", err)
	}
	r.sc = bufio.NewScanner(r.zr)
	r.sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	raw, err := r.next()
	if err == nil {
		err = strict(raw, &h)
	}
	if err != nil {
		r.close()
		if errors.Is(err, ErrRecording) {
			return nil, h, nil, err
		}
		return nil, h, nil, r.bad("the header cannot be read (%v)", cause(err))
	}
	return r, h, raw, nil
}

func (r *reader) close() {
	r.zr.Close()
	r.f.Close()
}

func (r *reader) bad(format string, a ...any) error {
	return fmt.Errorf("recording %s: %s: %w", r.path, fmt.Sprintf(format, a...), ErrRecording)
}

// next returns the next line that is not blank. A line longer than
// maxLine, or more than maxLine of blank lines in a row, is refused.
func (r *reader) next() ([]byte, error) {
	blank := 0
	for r.sc.Scan() {
		b := r.sc.Bytes()
		if len(bytes.TrimSpace(b)) > 0 {
			return b, nil
		}
		if blank += len(b) + 1; blank > maxLine {
			return nil, r.bad("more than %d MB of blank lines %s (a recording has none)", maxLine>>20, r.where())
		}
	}
	err := r.sc.Err()
	switch {
	case err == nil:
		return nil, io.EOF
	case errors.Is(err, bufio.ErrTooLong):
		return nil, r.bad("a line longer than %d MB %s (a recording has none)", maxLine>>20, r.where())
	}
	return nil, r.bad("cut short or damaged after tick %d of play (%v); the kiosk that wrote it did not close it", r.tick, cause(err))
}

func (r *reader) where() string {
	if !r.any {
		return "at its start"
	}
	return fmt.Sprintf("after tick %d", r.tick)
}

// line reads the next tick line, or the end line (End set): each tick
// after the one before, its motion grid decoded.
func (r *reader) line() (line, error) {
	var l line
	b, err := r.next()
	if errors.Is(err, io.EOF) {
		return l, r.bad("cut short after tick %d of play: it has no end line; the kiosk that wrote it did not close it", r.tick)
	}
	if err != nil {
		return l, err
	}
	if err := strict(b, &l); err != nil {
		return l, r.bad("cut short or damaged after tick %d of play (%v); the kiosk that wrote it did not close it", r.tick, cause(err))
	}
	if r.any && l.Tick <= r.tick {
		if l.End {
			return l, r.bad("it ends at tick %d, before its tick %d", l.Tick, r.tick)
		}
		return l, r.bad("tick %d comes after tick %d", l.Tick, r.tick)
	}
	if l.End {
		return l, nil
	}
	if err := l.check(); err != nil {
		return l, r.bad("tick %d: %v", l.Tick, err)
	}
	r.tick, r.any = l.Tick, true
	return l, nil
}

// strict decodes one line's JSON into v: no unknown field, nothing after
// the value.
func strict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("more after the line's value")
	}
	return nil
}
