package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/carrierarcade/kiosk/internal/atomicfile"
)

// KeySet is one key of config.toml and its new value in TOML syntax:
// {"source.rotation", "270"}.
type KeySet struct {
	Key   string // section.key
	Value string
}

// SetLine is the --set flag that gives the same.
func (s KeySet) SetLine() string { return "--set " + s.Key + "=" + s.Value }

var (
	tomlHeader = regexp.MustCompile(`^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]\s*(#.*)?$`)
	tomlTables = regexp.MustCompile(`^\s*\[\[`)
	tomlKey    = regexp.MustCompile(`^(\s*)([A-Za-z0-9_-]+)(\s*=\s*)([^#"'\[{]*?)(\s*#.*)?$`)
	tomlAnyKey = regexp.MustCompile(`^\s*([A-Za-z0-9_-]+)\s*=`)
)

// SetKeys returns the TOML text src with each key set to its value. A
// key's line is rewritten in place, its value only (a comment after it
// stays); a key its section lacks goes after the section's last key; a
// section the file lacks goes at its end. Every other byte (comments,
// blank lines, order, the commented presets) is kept. The result is
// decoded again and must hold the new values and nothing else changed.
func SetKeys(src []byte, sets []KeySet) ([]byte, error) {
	lines := strings.SplitAfter(string(src), "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for _, s := range sets {
		var v map[string]any
		if _, err := toml.Decode("v = "+s.Value, &v); err != nil || strings.ContainsAny(s.Value, "\r\n") {
			return nil, fmt.Errorf("%s: %q is not a TOML value", s.Key, s.Value)
		}
		dot := strings.LastIndex(s.Key, ".")
		if dot <= 0 {
			return nil, fmt.Errorf("%s: a key in a section (section.key)", s.Key)
		}
		section, key := s.Key[:dot], s.Key[dot+1:]
		var err error
		if lines, err = setKeyLine(lines, section, key, s.Value); err != nil {
			return nil, fmt.Errorf("%s: %w", s.Key, err)
		}
	}
	out := []byte(strings.Join(lines, ""))
	if err := sameBut(src, out, sets); err != nil {
		return nil, err
	}
	return out, nil
}

// setKeyLine sets one key in lines.
func setKeyLine(lines []string, section, key, value string) ([]string, error) {
	cur := ""      // the section of the line looked at
	found := false // the section has been seen
	last := -1     // the section's last key line (or its header)
	for i, line := range lines {
		text := strings.TrimRight(line, "\r\n")
		if tomlTables.MatchString(text) {
			cur = "[[" // an array of tables: never ours
			continue
		}
		if m := tomlHeader.FindStringSubmatch(text); m != nil {
			cur = m[1]
			if cur == section {
				if found {
					return nil, errors.New("the section appears twice")
				}
				found, last = true, i
			}
			continue
		}
		if cur != section {
			continue
		}
		if m := tomlAnyKey.FindStringSubmatch(text); m != nil {
			last = i
			if m[1] != key {
				continue
			}
			k := tomlKey.FindStringSubmatch(text)
			if k == nil {
				return nil, errors.New("its value is not a plain number or true/false; set it by hand")
			}
			lines[i] = k[1] + k[2] + k[3] + value + k[5] + line[len(text):]
			return lines, nil
		}
	}
	if !found {
		if n := len(lines); n > 0 && !strings.HasSuffix(lines[n-1], "\n") {
			lines[n-1] += "\n"
		}
		return append(lines, "\n["+section+"]\n", key+" = "+value+"\n"), nil
	}
	add := key + " = " + value + "\n"
	if !strings.HasSuffix(lines[last], "\n") {
		lines[last] += "\n"
	}
	return append(lines[:last+1], append([]string{add}, lines[last+1:]...)...), nil
}

// sameBut checks that out decodes to src's settings with only sets
// changed, each to its value.
func sameBut(src, out []byte, sets []KeySet) error {
	var before, after map[string]any
	if _, err := toml.Decode(string(src), &before); err != nil {
		return fmt.Errorf("the file is not valid TOML: %w", err)
	}
	if _, err := toml.Decode(string(out), &after); err != nil {
		return fmt.Errorf("the edit would break the file (%v); set the keys by hand", err)
	}
	for _, s := range sets {
		var want map[string]any
		if _, err := toml.Decode("v = "+s.Value, &want); err != nil {
			return fmt.Errorf("%s: %q is not a TOML value", s.Key, s.Value)
		}
		path := strings.Split(s.Key, ".")
		if got, ok := dig(after, path); !ok || !reflect.DeepEqual(got, want["v"]) {
			return fmt.Errorf("%s: the edit did not take; set it by hand", s.Key)
		}
		put(before, path, want["v"])
	}
	if !reflect.DeepEqual(before, after) {
		return errors.New("the edit would change other keys; set the keys by hand")
	}
	return nil
}

func dig(m map[string]any, path []string) (any, bool) {
	for _, p := range path[:len(path)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			return nil, false
		}
		m = next
	}
	v, ok := m[path[len(path)-1]]
	return v, ok
}

func put(m map[string]any, path []string, v any) {
	for _, p := range path[:len(path)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	m[path[len(path)-1]] = v
}

// WriteKeys sets keys in the config file at path and writes it
// atomically (internal/atomicfile), keeping its mode. A failure at any
// point leaves the file as it was.
func WriteKeys(path string, sets []KeySet) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := SetKeys(src, sets)
	if err != nil {
		return err
	}
	if bytes.Equal(src, out) {
		return nil
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	return atomicfile.Write(path, out, info.Mode().Perm())
}
