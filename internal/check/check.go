// Package check collects configuration problems so that validation can report
// every bad value at once, each under the key a user would write in
// config.toml.
package check

import (
	"errors"
	"fmt"
	"strings"
)

// Problem is one bad configuration value.
type Problem struct {
	Key string // dotted key, as in config.toml: "model.objects.nms_iou"
	Msg string // what is wrong and what is allowed
}

func (p Problem) Error() string { return p.Key + ": " + p.Msg }

// Problems is a list of configuration problems, built up by Validate methods.
type Problems []Problem

// Addf records a problem with key.
func (ps *Problems) Addf(key, format string, args ...any) {
	*ps = append(*ps, Problem{Key: key, Msg: fmt.Sprintf(format, args...)})
}

// Range records a problem when v is outside [lo, hi]. NaN, which TOML can
// spell, is outside every range.
func (ps *Problems) Range(key string, v, lo, hi float64) {
	if !(v >= lo && v <= hi) {
		ps.Addf(key, "is %v, allowed %v to %v", v, lo, hi)
	}
}

// OneOf records a problem when v is not one of allowed.
func (ps *Problems) OneOf(key, v string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	ps.Addf(key, "is %q, allowed %s", v, quoteAll(allowed))
}

// Under prefixes every key with section, for a package Config that lives
// under a table such as [model].
func (ps Problems) Under(section string) Problems {
	out := make(Problems, len(ps))
	for i, p := range ps {
		out[i] = Problem{Key: section + "." + p.Key, Msg: p.Msg}
	}
	return out
}

// Err joins the problems into one error, or returns nil when there are none.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	errs := make([]error, len(ps))
	for i, p := range ps {
		errs[i] = p
	}
	return errors.Join(errs...)
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
