package config

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carrierarcade/kiosk/internal/check"
	"github.com/carrierarcade/kiosk/link"
)

// checkShape compares a TOML document, decoded without a destination, with
// the Config struct before the real decoding, so that a wrong key or a value
// of the wrong kind is told in the booth's words (the key, the value given,
// what it must be, an example) instead of the decoder's Go types. def holds
// the defaults at the same place, for examples.
func checkShape(doc map[string]any, t reflect.Type, def reflect.Value, prefix string, ps *check.Problems) {
	keys := make([]string, 0, len(doc))
	for k := range doc {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		full := JoinKey(prefix, k)
		f, ok := fieldByTag(t, k)
		if !ok {
			if !bareKey(k) {
				// A name TOML only takes in quotes ('' or ' '): quoted, or
				// the message would seem to name nothing.
				full = JoinKey(prefix, strconv.Quote(k))
			}
			ps.Addf(full, "unknown key%s", unknownHint(t, prefix, k))
			continue
		}
		var d reflect.Value
		if def.IsValid() {
			d = def.FieldByIndex(f.Index)
		}
		checkValue(doc[k], f.Type, d, full, ps)
	}
}

func checkValue(v any, t reflect.Type, def reflect.Value, key string, ps *check.Problems) {
	// A setting that takes more than one shape (a carrier's key alone or
	// a table) says itself what is wrong.
	if sc, ok := reflect.New(t).Interface().(shapeChecker); ok {
		if msg := sc.CheckShape(v); msg != "" {
			ps.Addf(key, "%s", msg)
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			var keys []string
			for _, k := range tagsOf(t) {
				keys = append(keys, JoinKey(key, k))
			}
			ps.Addf(key, "is %s, but %s is a section, not one value: set one of its keys instead (%s)",
				describeValue(v), key, strings.Join(keys, ", "))
			return
		}
		checkShape(m, t, def, key, ps)
	case reflect.Slice:
		items, ok := asList(v)
		if !ok {
			ps.Addf(key, "is %s; it must be %s", describeValue(v), wants(t, def))
			return
		}
		for i, it := range items {
			var d reflect.Value
			if def.IsValid() && i < def.Len() {
				d = def.Index(i)
			}
			ik := fmt.Sprintf("%s[%d]", key, i)
			if t.Elem().Kind() == reflect.Struct && !checksShape(t.Elem()) {
				m, ok := it.(map[string]any)
				if !ok {
					ps.Addf(ik, "is %s; each item of %s must be a section of keys (%s)", describeValue(it), key, strings.Join(tagsOf(t.Elem()), ", "))
					continue
				}
				checkShape(m, t.Elem(), d, ik, ps)
				continue
			}
			checkValue(it, t.Elem(), d, ik, ps)
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			ps.Addf(key, "is %s; it must be %s", describeValue(v), wants(t, def))
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			ps.Addf(key, "is %s; it must be %s", describeValue(v), wants(t, def))
		}
	case reflect.Int:
		if _, ok := v.(int64); !ok {
			ps.Addf(key, "is %s; it must be %s", describeValue(v), wants(t, def))
		}
	case reflect.Float64:
		switch n := v.(type) {
		case float64:
		case int64:
			// The decoder refuses whole numbers a float64 cannot hold exactly.
			if n > 1<<53 || n < -(1<<53) {
				ps.Addf(key, "is %d, too large to be held exactly; it must be %s", n, wants(t, def))
			}
		default:
			ps.Addf(key, "is %s; it must be %s", describeValue(v), wants(t, def))
		}
	default:
		// Config holds only the kinds above; a new kind needs words here.
		ps.Addf(key, "cannot be checked (the kiosk does not know this kind of setting)")
	}
}

// shapeChecker is a setting that checks its own shape (link.HubCarrier),
// and says what it wants.
type shapeChecker interface {
	CheckShape(v any) string
	ShapeWanted() string
}

func checksShape(t reflect.Type) bool {
	_, ok := reflect.New(t).Interface().(shapeChecker)
	return ok
}

// fieldByTag finds the field a TOML key names, exactly as written: the
// decoder would also take "Width" for "width", but config.toml's keys are
// lower case and a check that lets other spellings through hides typos.
func fieldByTag(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("toml"), ","); name == key && f.IsExported() {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// tagsOf lists a section's keys in the order config.toml gives them.
func tagsOf(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ","); name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// unknownHint suggests the key meant, or lists the section's keys.
func unknownHint(t reflect.Type, prefix, key string) string {
	tags := tagsOf(t)
	best, dist := "", 3
	for _, k := range tags {
		if d := editDistance(strings.ToLower(key), k); d < dist {
			best, dist = k, d
		}
	}
	if best != "" {
		return fmt.Sprintf(": did you mean %s?", JoinKey(prefix, best))
	}
	where := "the top level"
	if prefix != "" {
		where = "[" + prefix + "]"
	}
	return fmt.Sprintf(" (check its spelling against config.toml's comments; %s has %s)", where, strings.Join(tags, ", "))
}

// editDistance is Levenshtein's, on short keys; long keys are never close.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// wants says what a setting of type t must be, with the default as an
// example where there is one.
func wants(t reflect.Type, def reflect.Value) string {
	var what string
	switch t.Kind() {
	case reflect.String:
		what = "text in quotes"
	case reflect.Bool:
		what = "true or false"
	case reflect.Int:
		what = "a whole number"
	case reflect.Float64:
		what = "a number"
	case reflect.Slice:
		if sc, ok := reflect.New(t.Elem()).Interface().(shapeChecker); ok {
			return "a list in [], " + sc.ShapeWanted()
		}
		if t.Elem().Kind() == reflect.Struct {
			return "a list of sections, each with the keys " + strings.Join(tagsOf(t.Elem()), ", ")
		}
		what = "a list of " + strings.TrimPrefix(wants(t.Elem(), reflect.Value{}), "a ") + ` in [], like ["a", "b"]`
		if def.IsValid() && def.Len() > 0 {
			what = "a list of " + strings.TrimPrefix(wants(t.Elem(), reflect.Value{}), "a ") + " in []"
		}
	}
	if ex := exampleValue(def); ex != "" {
		what += ", for example " + ex + " (the default)"
	}
	return what
}

// exampleValue writes a default in TOML syntax, briefly.
func exampleValue(v reflect.Value) string {
	if !v.IsValid() {
		return ""
	}
	switch v.Kind() {
	case reflect.String:
		return strconv.Quote(v.String())
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case reflect.Slice:
		if v.Len() == 0 || v.Type().Elem().Kind() == reflect.Struct {
			return ""
		}
		var parts []string
		for i := range min(v.Len(), 3) {
			parts = append(parts, exampleValue(v.Index(i)))
		}
		if v.Len() > 3 {
			parts = append(parts, "...")
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return ""
}

// asList is a TOML array of values or of tables.
func asList(v any) ([]any, bool) {
	switch l := v.(type) {
	case []any:
		return l, true
	case []map[string]any:
		out := make([]any, len(l))
		for i, m := range l {
			out[i] = m
		}
		return out, true
	}
	return nil, false
}

// describeValue names a TOML value as a user wrote it, briefly: the value
// and, for anything but a number, what kind of value it is.
func describeValue(v any) string {
	const most = 40
	cut := func(s string) string {
		if len(s) > most {
			return s[:most] + "..."
		}
		return s
	}
	switch x := v.(type) {
	case string:
		if link.LooksSecret(x) {
			return "a secret key (text, not shown)"
		}
		return cut(strconv.Quote(x)) + " (text)"
	case bool:
		return strconv.FormatBool(x) + " (true or false)"
	case int64:
		return strconv.FormatInt(x, 10) + " (a whole number)"
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64) + " (a number with a point)"
	case time.Time:
		return tomlTime(x) + " (a date or time)"
	case map[string]any:
		return "{...} (a table of keys)"
	}
	if l, ok := asList(v); ok {
		var b strings.Builder
		b.WriteString("[")
		for i, it := range l {
			if i > 0 {
				b.WriteString(", ")
			}
			if b.Len() > most {
				b.WriteString("...")
				break
			}
			b.WriteString(briefValue(it))
		}
		b.WriteString("]")
		return cut(b.String()) + " (a list)"
	}
	return "a value of another kind"
}

func briefValue(v any) string {
	switch x := v.(type) {
	case string:
		if link.LooksSecret(x) {
			return "(a secret key, not shown)"
		}
		return strconv.Quote(x)
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case map[string]any:
		return "{...}"
	}
	if _, ok := asList(v); ok {
		return "[...]"
	}
	return "?"
}

// bareKey is true for a key TOML takes without quotes: letters, digits,
// '_' and '-', at least one.
func bareKey(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func JoinKey(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// tomlTime writes a TOML date or time back as it was written: the decoder
// marks local ones by the name of their time zone.
func tomlTime(t time.Time) string {
	switch t.Location().String() {
	case "date-local":
		return t.Format("2006-01-02")
	case "time-local":
		return t.Format("15:04:05.999999999")
	case "datetime-local":
		return t.Format("2006-01-02T15:04:05.999999999")
	}
	return t.Format(time.RFC3339Nano)
}
