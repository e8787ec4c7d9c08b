package game

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
)

// Kind is what happened. The names are those of the simulator's JSON
// lines ("type"), which tests and users read.
type Kind string

// The events of a booth session. Rounds: countdown, round_start, the
// games' own (prompt, find, skip, pop, light, moved, win, hit, catch),
// round_end, results. The kiosk: idle (a round ended early), scene_failed,
// game_disabled (retired for the day), key, privacy, mute, paused,
// recalibrate, board_reset, quit, shutdown (the kiosk stopping: a round in
// play ends with its score). Carrier battles: battle_call (the presenter
// asked for one), battle (one starts here: its countdown). From outside the rules, told to the
// session by the host: camera_lost, camera_back, board_saved,
// board_not_saved.
const (
	KindCountdown    Kind = "countdown"
	KindRoundStart   Kind = "round_start"
	KindPrompt       Kind = "prompt"
	KindFind         Kind = "find"
	KindSkip         Kind = "skip"
	KindPop          Kind = "pop"
	KindLight        Kind = "light"
	KindMoved        Kind = "moved"
	KindWin          Kind = "win"
	KindHit          Kind = "hit"
	KindCatch        Kind = "catch"
	KindRoundEnd     Kind = "round_end"
	KindResults      Kind = "results"
	KindIdle         Kind = "idle"
	KindSceneFailed  Kind = "scene_failed"
	KindGameRetired  Kind = "game_disabled"
	KindKey          Kind = "key"
	KindPrivacy      Kind = "privacy"
	KindCamera       Kind = "camera"
	KindMute         Kind = "mute"
	KindPaused       Kind = "paused"
	KindRecalibrate  Kind = "recalibrate"
	KindBoardReset   Kind = "board_reset"
	KindQuit         Kind = "quit"
	KindShutdown     Kind = "shutdown"
	KindCameraLost   Kind = "camera_lost"
	KindCameraBack   Kind = "camera_back"
	KindBoardSaved   Kind = "board_saved"
	KindBoardUnsaved Kind = "board_not_saved"
	KindBattleCall   Kind = "battle_call"
	KindBattle       Kind = "battle"
	// KindDemo: the demo reel began ("on") or stopped ("off") playing in
	// the camera's place; the games follow it from this tick.
	KindDemo Kind = "demo"
)

// Kinds are every kind of event, in the order the list above gives them.
func Kinds() []Kind {
	return []Kind{KindCountdown, KindRoundStart, KindPrompt, KindFind, KindSkip, KindPop, KindLight, KindMoved,
		KindWin, KindHit, KindCatch, KindRoundEnd, KindResults, KindIdle, KindSceneFailed, KindGameRetired, KindKey,
		KindPrivacy, KindCamera, KindMute, KindPaused, KindRecalibrate, KindBoardReset, KindQuit, KindShutdown,
		KindCameraLost, KindCameraBack, KindBoardSaved, KindBoardUnsaved, KindBattleCall, KindBattle, KindDemo}
}

// Event is something that happened in the booth, for sounds, the log, the
// screen's effects, the simulator's JSON lines and whatever else listens.
// One struct with named fields, so emitting one allocates nothing.
//
// The tags are the event schema, its one place: json is the field's name
// in a JSON line (and in a recording's notes), kinds the kinds whose lines
// carry it (a kind with "?" carries it only when it is not empty: a round
// outside a battle writes what it always wrote). A line is "t" (seconds),
// "type", then its kind's fields sorted by name.
type Event struct {
	At   time.Duration // game time of the tick it happened in: "t"
	Kind Kind          // "type"

	Game    string     `json:"game" kinds:"countdown,round_start,round_end,results,game_disabled,battle_call,battle"` // the game's name in config.toml
	Scene   string     `json:"scene" kinds:"idle,scene_failed,shutdown"`                                              // a scene's name
	Score   int        `json:"score" kinds:"round_end,results"`                                                       // the round's score
	Points  int        `json:"points" kinds:"find,pop,catch"`                                                         // what this find, pop or catch scored
	N       int        `json:"n" kinds:"countdown,battle"`                                                            // the countdown's number
	Item    string     `json:"item" kinds:"prompt,find,skip"`                                                         // the hunt's item
	ID      int        `json:"id" kinds:"pop"`                                                                        // the bubble's
	Combo   int        `json:"combo" kinds:"pop"`
	Bubble  BubbleKind `json:"kind" kinds:"pop"`
	Color   string     `json:"color" kinds:"light"`      // the light's
	Player  int        `json:"player" kinds:"moved,win"` // the player's track ID
	Penalty int        `json:"penalty" kinds:"moved"`
	Lives   int        `json:"lives" kinds:"hit"` // left
	Name    string     `json:"name" kinds:"results"`
	Rank    int        `json:"rank" kinds:"results"`
	Key     string     `json:"key" kinds:"key,camera"`           // Ebitengine's name of the key pressed
	Command Command    `json:"command" kinds:"key"`              // what the key does, "" for none
	Mode    string     `json:"mode" kinds:"privacy,camera,demo"` // privacy mode; the camera's or the demo reel's "on" or "off"
	Muted   bool       `json:"muted" kinds:"mute"`
	Paused  bool       `json:"paused" kinds:"paused"`
	Source  string     `json:"source" kinds:"camera_lost,camera_back"` // camera or clip
	Reason  string     `json:"reason" kinds:"game_disabled,camera_lost,battle?"`
	Outages int        `json:"outages" kinds:"camera_lost,camera_back"`
	Back    int        `json:"recoveries" kinds:"camera_back"`
	Err     string     `json:"error" kinds:"scene_failed,board_not_saved"`
	Stack   string     `json:"stack"` // of a panic: for the log, not the JSON lines
	File    string     `json:"file" kinds:"board_saved,board_not_saved"`
	Battle  string     `json:"battle" kinds:"countdown?,round_start?,round_end?,results?,battle"` // the carrier battle a round belongs to, "" for none
}

// eventField is one field of Event as the schema has it.
type eventField struct {
	name     string
	index    int
	optional bool // in this kind's lines only when not empty
}

// eventSchema is Event's tags read once: each kind's fields sorted by
// name, and every field by name.
type eventSchema struct {
	lines  map[Kind][]eventField
	fields map[string]eventField
	order  []eventField // every named field, in Event's order
}

var schema = sync.OnceValue(func() eventSchema {
	known := map[Kind]bool{}
	for _, k := range Kinds() {
		known[k] = true
	}
	sc := eventSchema{lines: map[Kind][]eventField{}, fields: map[string]eventField{}}
	t := reflect.TypeFor[Event]()
	for i := range t.NumField() {
		f := t.Field(i)
		name := f.Tag.Get("json")
		if name == "" {
			continue // At and Kind: "t" and "type"
		}
		sc.fields[name] = eventField{name: name, index: i}
		sc.order = append(sc.order, eventField{name: name, index: i})
		for _, k := range strings.Split(f.Tag.Get("kinds"), ",") {
			if k == "" {
				continue
			}
			k, optional := strings.CutSuffix(k, "?")
			if !known[Kind(k)] {
				panic(fmt.Sprintf("game: Event.%s's tag names the kind %q, which Kinds does not list", f.Name, k))
			}
			sc.lines[Kind(k)] = append(sc.lines[Kind(k)], eventField{name: name, index: i, optional: optional})
		}
	}
	for _, fs := range sc.lines {
		slices.SortFunc(fs, func(a, b eventField) int { return strings.Compare(a.name, b.name) })
	}
	return sc
})

// Seconds is the event's game time in seconds, to the millisecond:
// plenty, and 1.6 does not print as 1.6000000000000001.
func (e Event) Seconds() float64 { return math.Round(e.At.Seconds()*1000) / 1000 }

// MarshalJSON writes one flat object: "t" (seconds), "type", then the
// kind's fields, so that two runs that did the same write the same bytes.
func (e Event) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	if err := writeField(&buf, "t", e.Seconds()); err != nil {
		return nil, err
	}
	if err := writeField(&buf, "type", e.Kind); err != nil {
		return nil, err
	}
	v := reflect.ValueOf(e)
	for _, f := range schema().lines[e.Kind] {
		fv := v.Field(f.index)
		if f.optional && fv.IsZero() {
			continue
		}
		if err := writeField(&buf, f.name, fv.Interface()); err != nil {
			return nil, fmt.Errorf("event %s: %w", e.Kind, err)
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalJSON reads what MarshalJSON wrote. A field the event's kind
// does not carry is refused, as is a field no event has.
func (e *Event) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*e = Event{}
	var secs float64
	if err := json.Unmarshal(raw["t"], &secs); err != nil {
		return fmt.Errorf("event: \"t\": %w", err)
	}
	if err := json.Unmarshal(raw["type"], &e.Kind); err != nil {
		return fmt.Errorf("event: \"type\": %w", err)
	}
	e.At = time.Duration(math.Round(secs*1000)) * time.Millisecond
	carried := map[string]bool{"t": true, "type": true}
	for _, f := range schema().lines[e.Kind] {
		carried[f.name] = true
	}
	for name := range raw {
		if !carried[name] {
			return fmt.Errorf("event %s: no field %q", e.Kind, name)
		}
	}
	return e.setFields(raw, "t", "type")
}

// MarshalNote writes the event as a recording keeps what the host told the
// session: "type", then every field that is not empty, by its JSON name.
func (e Event) MarshalNote() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	if err := writeField(&buf, "type", e.Kind); err != nil {
		return nil, err
	}
	v := reflect.ValueOf(e)
	for _, f := range schema().order {
		if fv := v.Field(f.index); !fv.IsZero() {
			if err := writeField(&buf, f.name, fv.Interface()); err != nil {
				return nil, fmt.Errorf("note %s: %w", e.Kind, err)
			}
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalNote reads what MarshalNote wrote, and the notes of recordings
// made before it: those named the kind "kind" (no note had a bubble, the
// field of that name now) and their fields as now.
func (e *Event) UnmarshalNote(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*e = Event{}
	kind := "type"
	if _, ok := raw[kind]; !ok {
		kind = "kind"
	}
	if err := json.Unmarshal(raw[kind], &e.Kind); err != nil {
		return fmt.Errorf("note: %q: %w", kind, err)
	}
	return e.setFields(raw, kind)
}

// setFields sets each field of raw by its JSON name, but for skip.
func (e *Event) setFields(raw map[string]json.RawMessage, skip ...string) error {
	v := reflect.ValueOf(e).Elem()
	for name, val := range raw {
		if slices.Contains(skip, name) {
			continue
		}
		f, ok := schema().fields[name]
		if !ok {
			return fmt.Errorf("event %s: no field %q", e.Kind, name)
		}
		if err := json.Unmarshal(val, v.Field(f.index).Addr().Interface()); err != nil {
			return fmt.Errorf("event %s: %q: %w", e.Kind, name, err)
		}
	}
	return nil
}

// writeField writes "key":value after a comma when the object has begun.
func writeField(buf *bytes.Buffer, key string, v any) error {
	val, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	if buf.Len() > 1 {
		buf.WriteByte(',')
	}
	fmt.Fprintf(buf, "%q:", key)
	buf.Write(val)
	return nil
}
