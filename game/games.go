package game

// gameInfo is one game of the kiosk: its name in config.toml, what the
// screen says of it, and how a round of it is made. A new game is added
// here, and its drawer in the screen's table; nothing else switches on
// game names.
type gameInfo struct {
	name, title, instruction string
	make                     func(*Booth) Game
}

// registry holds the games in the order DefaultConfig's rotation plays them.
var registry = []gameInfo{
	{"hunt", "Object Hunt", "Show me the object!", func(b *Booth) Game { return NewHunt(b) }},
	{"bubbles", "Bubble Pop", "Wave to pop the bubbles!", func(b *Booth) Game { return NewBubbles(b) }},
	{"freeze", "Freeze", "Move on green, freeze on red!", func(b *Booth) Game { return NewFreeze(b) }},
	{"dodge", "Head Dodge", "Move your head to dodge!", func(b *Booth) Game { return NewDodge(b) }},
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
func (b *Booth) newGame(name string) Game {
	if g, ok := lookupGame(name); ok {
		return g.make(b)
	}
	return nil
}
