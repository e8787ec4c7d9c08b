// Package configtest helps the tests of the configuration and of the
// commands that read it: the check that a message to the user is in the
// booth's words.
package configtest

import (
	"regexp"
	"strings"
)

// goWords are what a message must never say: Go's types and the decoder's
// own phrases, which mean nothing to a presenter. A package name before a
// capital is a Go type only with a type's name ("power.Level"): "power.A"
// is a key the user wrote (the fuzzer found that one).
var goWords = regexp.MustCompile(`\[\]any|\[\]interface|map\[string\]|\bu?int(8|16|32|64)\b|\bfloat(32|64)\b|interface \{\}|reflect\.|TOML value has type|destination has type|type mismatch for|\b(game|vision|model|link|power|kiosk|config|budget|check|toml)\.[A-Z]\w*(Config|Budget|Level|Problems|Primitive|MetaData|Decoder|Error)\b|\bline 0\b`)

// whereWords: every problem names a line or a key ("KEY: ..." in the list,
// "--set KEY: ..."), or is about the file as a whole (its size).
var (
	lineWords = regexp.MustCompile(`\bline [1-9][0-9]*\b`)
	keyFirst  = regexp.MustCompile(`^(--set )?"?[A-Za-z0-9_.\-\[\]" ]+"?(\.\.\.)?: `)
)

// CheckMessage holds one rejection to the rules of booth words; it returns
// what is wrong, or "".
func CheckMessage(msg string) string {
	switch {
	case len(msg) > 64<<10:
		return "more than 64 kB of message"
	case goWords.MatchString(msg):
		return "Go words: " + goWords.FindString(msg)
	}
	body := strings.TrimPrefix(msg, "configuration: ")
	if lineWords.MatchString(body) {
		return ""
	}
	if strings.Contains(body, "a configuration is a few kB") {
		return ""
	}
	if _, list, ok := strings.Cut(body, "problem(s):\n"); ok {
		for _, p := range strings.Split(list, "\n") {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			if !keyFirst.MatchString(p) && !strings.HasPrefix(p, "... and ") {
				return "a problem names neither a key nor a line: " + p
			}
		}
		return ""
	}
	// A whole --set argument refused: it is quoted, key and all.
	if keyFirst.MatchString(body) || strings.HasPrefix(body, `--set "`) {
		return ""
	}
	return "names neither a key nor a line"
}
