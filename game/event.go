package game

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
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

// Event is something that happened in the booth, for sounds, the log, the
// screen's effects, the simulator's JSON lines and whatever else listens.
// One struct with named fields, so emitting one allocates nothing; which
// fields an event of a kind carries is eventFields' business.
type Event struct {
	At   time.Duration // game time of the tick it happened in
	Kind Kind

	Game    string // the game's name in config.toml
	Scene   string // a scene's name
	Score   int    // the round's score
	Points  int    // what this find, pop or catch scored
	N       int    // the countdown's number
	Item    string // the hunt's item
	ID      int    // the bubble's
	Combo   int
	Bubble  BubbleKind
	Color   string // the light's
	Player  int    // the player's track ID
	Penalty int
	Lives   int // left
	Name    string
	Rank    int
	Key     string  // Ebitengine's name of the key pressed
	Command Command // what the key does, "" for none
	Mode    string  // privacy mode; the camera's "on" or "off"
	Muted   bool
	Paused  bool
	Source  string // camera or clip
	Reason  string
	Outages int
	Back    int // recoveries
	Err     string
	Stack   string // of a panic: for the log, not the JSON lines
	File    string
	Battle  string // the carrier battle a round belongs to, "" for none
}

// eventFields are the JSON fields of each kind, in the order written
// (sorted, as the simulator always wrote them). A kind not listed writes
// only "t" and "type". A name ending in "?" is written only when it is not
// empty (only string fields are): a round outside a battle writes what it
// always wrote.
var eventFields = map[Kind][]string{
	KindCountdown:    {"battle?", "game", "n"},
	KindRoundStart:   {"battle?", "game"},
	KindPrompt:       {"item"},
	KindFind:         {"item", "points"},
	KindSkip:         {"item"},
	KindPop:          {"combo", "id", "kind", "points"},
	KindLight:        {"color"},
	KindMoved:        {"penalty", "player"},
	KindWin:          {"player"},
	KindHit:          {"lives"},
	KindCatch:        {"points"},
	KindRoundEnd:     {"battle?", "game", "score"},
	KindResults:      {"battle?", "game", "name", "rank", "score"},
	KindIdle:         {"scene"},
	KindSceneFailed:  {"error", "scene"},
	KindGameRetired:  {"game", "reason"},
	KindKey:          {"command", "key"},
	KindPrivacy:      {"mode"},
	KindCamera:       {"key", "mode"},
	KindMute:         {"muted"},
	KindPaused:       {"paused"},
	KindShutdown:     {"scene"},
	KindCameraLost:   {"outages", "reason", "source"},
	KindCameraBack:   {"outages", "recoveries", "source"},
	KindBoardSaved:   {"file"},
	KindBoardUnsaved: {"error", "file"},
	KindBattleCall:   {"game"},
	KindBattle:       {"battle", "game", "n", "reason?"},
	KindDemo:         {"mode"},
}

// field is the value of one JSON field of e.
func (e *Event) field(name string) any {
	switch name {
	case "game":
		return e.Game
	case "scene":
		return e.Scene
	case "score":
		return e.Score
	case "points":
		return e.Points
	case "n":
		return e.N
	case "item":
		return e.Item
	case "id":
		return e.ID
	case "combo":
		return e.Combo
	case "kind":
		return string(e.Bubble)
	case "color":
		return e.Color
	case "player":
		return e.Player
	case "penalty":
		return e.Penalty
	case "lives":
		return e.Lives
	case "name":
		return e.Name
	case "rank":
		return e.Rank
	case "key":
		return e.Key
	case "command":
		return string(e.Command)
	case "mode":
		return e.Mode
	case "muted":
		return e.Muted
	case "paused":
		return e.Paused
	case "source":
		return e.Source
	case "reason":
		return e.Reason
	case "outages":
		return e.Outages
	case "recoveries":
		return e.Back
	case "error":
		return e.Err
	case "file":
		return e.File
	case "battle":
		return e.Battle
	}
	panic("game: no event field " + name) // a typo in eventFields
}

// Seconds is the event's game time in seconds, to the millisecond:
// plenty, and 1.6 does not print as 1.6000000000000001.
func (e Event) Seconds() float64 { return math.Round(e.At.Seconds()*1000) / 1000 }

// MarshalJSON writes one flat object: "t" (seconds), "type", then the
// kind's fields, so that two runs that did the same write the same bytes.
func (e Event) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	write := func(key string, v any) error {
		val, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("event %s: %s: %w", e.Kind, key, err)
		}
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, "%q:", key)
		buf.Write(val)
		return nil
	}
	buf.WriteByte('{')
	if err := write("t", e.Seconds()); err != nil {
		return nil, err
	}
	if err := write("type", e.Kind); err != nil {
		return nil, err
	}
	for _, k := range eventFields[e.Kind] {
		k, optional := strings.CutSuffix(k, "?")
		v := e.field(k)
		if optional && v == "" { // the optional fields are strings
			continue
		}
		if err := write(k, v); err != nil {
			return nil, err
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
