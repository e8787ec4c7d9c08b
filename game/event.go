package game

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
)

// newEvent is an event of this tick; fields are key, value pairs.
func newEvent(in *Input, typ string, fields ...any) Event {
	// Milliseconds are plenty, and keep 1.6 from printing as 1.6000000000000001.
	e := Event{T: math.Round(in.Now().Seconds()*1000) / 1000, Type: typ}
	if len(fields) > 0 {
		e.Fields = make(map[string]any, len(fields)/2)
		for i := 0; i+1 < len(fields); i += 2 {
			e.Fields[fields[i].(string)] = fields[i+1]
		}
	}
	return e
}

// MarshalJSON writes one flat object: "t", "type", then the fields in key
// order, so that two runs that did the same write the same bytes. A field
// named "t" or "type" is dropped rather than written twice.
func (e Event) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	write := func(key string, v any) error {
		val, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("event %s: %s: %w", e.Type, key, err)
		}
		k, _ := json.Marshal(key)
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(val)
		return nil
	}
	buf.WriteByte('{')
	if err := write("t", e.T); err != nil {
		return nil, err
	}
	if err := write("type", e.Type); err != nil {
		return nil, err
	}
	for _, k := range slices.Sorted(maps.Keys(e.Fields)) {
		if k == "t" || k == "type" {
			continue
		}
		if err := write(k, e.Fields[k]); err != nil {
			return nil, err
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
