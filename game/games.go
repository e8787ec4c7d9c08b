package game

// gameInfo is one game of the kiosk: its name in config.toml, what the
// screen says of it, what it uses of the camera (Needs: the kiosk runs no
// more than that), and how a round of it is made. A new game is added
// here, and its drawer in the window's table; nothing else switches on
// game names.
type gameInfo struct {
	name, title, instruction string
	needs                    Needs
	make                     func(*Arcade) Game
}

// registry holds the games in the order DefaultConfig's rotation plays them.
// Their needs:
//   - hunt: objects at full rate (the hold time counts detections); no
//     faces; motion only for "is anyone still playing".
//   - bubbles: motion at full rate (every pop); objects for the player's
//     marker and presence only.
//   - freeze: motion at full rate inside each player's box; the boxes move
//     with the players, so objects at a middling rate.
//   - dodge: faces at full rate (the head is the paddle); no objects (the
//     face tracker names the player).
var registry = []gameInfo{
	{"hunt", "Object Hunt", "Show me the object!", Needs{ObjectHz: 15, FaceHz: 0, MotionHz: 10},
		func(b *Arcade) Game { return NewHunt(b) }},
	{"bubbles", "Bubble Pop", "Wave to pop the bubbles!", Needs{ObjectHz: 3, FaceHz: 0, MotionHz: 30},
		func(b *Arcade) Game { return NewBubbles(b) }},
	{"freeze", "Freeze", "Move on green, freeze on red!", Needs{ObjectHz: 6, FaceHz: 0, MotionHz: 30},
		func(b *Arcade) Game { return NewFreeze(b) }},
	{"dodge", "Head Dodge", "Move your head to dodge!", Needs{ObjectHz: 0, FaceHz: 10, MotionHz: 10},
		func(b *Arcade) Game { return NewDodge(b) }},
}

// GameNames are the games the kiosk knows, for config.toml's rotation.
func GameNames() []string {
	names := make([]string, len(registry))
	for i, g := range registry {
		names[i] = g.name
	}
	return names
}

func lookupGame(name string) (gameInfo, bool) {
	for _, g := range registry {
		if g.name == name {
			return g, true
		}
	}
	return gameInfo{}, false
}

func isGame(name string) bool { _, ok := lookupGame(name); return ok }

// About is a game's title and its instruction (at most 8 words, read from
// across an aisle), for previews and menus; empty for a name that is not a
// game.
func About(name string) (title, instruction string) {
	g, _ := lookupGame(name)
	return g.title, g.instruction
}

// newGame makes a fresh round of a game, nil for an unknown name.
func (b *Arcade) newGame(name string) Game {
	if g, ok := lookupGame(name); ok {
		return g.make(b)
	}
	return nil
}
