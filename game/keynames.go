package game

import (
	"slices"
	"strings"
)

// keyNames are the key names the presenter may use in [keys], compared
// without regard to case: Ebitengine's names (v2.9), kept here so that
// check-config can check them without linking the window's graphics
// library. The window's tests check that this list and Ebitengine's agree.
var keyNames = []string{
	"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f", "g", "h", "i",
	"j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "alt",
	"altleft", "altright", "apostrophe", "arrowdown", "arrowleft", "arrowright", "arrowup",
	"backquote", "backslash", "backspace", "bracketleft", "bracketright", "capslock", "comma",
	"contextmenu", "control", "controlleft", "controlright", "delete", "digit0", "digit1", "digit2",
	"digit3", "digit4", "digit5", "digit6", "digit7", "digit8", "digit9", "down", "end", "enter",
	"equal", "escape", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12",
	"f13", "f14", "f15", "f16", "f17", "f18", "f19", "f20", "f21", "f22", "f23", "f24", "graveaccent",
	"home", "insert", "intlbackslash", "kp0", "kp1", "kp2", "kp3", "kp4", "kp5", "kp6", "kp7", "kp8",
	"kp9", "kpadd", "kpdecimal", "kpdivide", "kpenter", "kpequal", "kpmultiply", "kpsubtract", "left",
	"leftbracket", "menu", "meta", "metaleft", "metaright", "minus", "numlock", "numpad0", "numpad1",
	"numpad2", "numpad3", "numpad4", "numpad5", "numpad6", "numpad7", "numpad8", "numpad9",
	"numpadadd", "numpaddecimal", "numpaddivide", "numpadenter", "numpadequal", "numpadmultiply",
	"numpadsubtract", "pagedown", "pageup", "pause", "period", "printscreen", "quote", "right",
	"rightbracket", "scrolllock", "semicolon", "shift", "shiftleft", "shiftright", "slash", "space",
	"tab", "up",
}

// KeyNames are the valid key names, lower case.
func KeyNames() []string { return slices.Clone(keyNames) }

// IsKeyName reports whether name is a key the window knows.
func IsKeyName(name string) bool { return slices.Contains(keyNames, strings.ToLower(name)) }

// typedKeys are keys by what a person types, for the few that are not
// their own key name.
var typedKeys = map[string]string{"=": "Equal", "-": "Minus", "/": "Slash", ".": "Period", ";": "Semicolon", "'": "Quote",
	"[": "BracketLeft", "]": "BracketRight", "\\": "Backslash", "`": "Backquote", " ": "Space"}

// KeyByTyping is the key name for what a person types: "2" is Digit2, "="
// is Equal; a key name is itself.
func KeyByTyping(s string) string {
	if len(s) == 1 && s[0] >= '0' && s[0] <= '9' {
		return "Digit" + s
	}
	if k, ok := typedKeys[s]; ok {
		return k
	}
	return s
}
