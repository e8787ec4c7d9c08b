package game

import "math/rand/v2"

// Fun names stand in for the player's own on the leaderboard: nobody types
// at a booth, and a name like "Brave Otter" is one to point at and laugh.
var (
	funAdjectives = []string{
		"Brave", "Sparkly", "Jolly", "Clever", "Zippy", "Sunny", "Mighty", "Cosmic",
		"Bouncy", "Swift", "Gentle", "Lucky", "Happy", "Fuzzy", "Dazzling", "Nimble",
		"Plucky", "Breezy", "Cheery", "Witty", "Snappy", "Radiant", "Daring", "Giggly",
		"Peppy", "Shiny", "Bold", "Curious", "Speedy", "Groovy",
	}
	funAnimals = []string{
		"Otter", "Llama", "Panda", "Koala", "Penguin", "Fox", "Owl", "Dolphin",
		"Tiger", "Hedgehog", "Raccoon", "Falcon", "Turtle", "Badger", "Lemur", "Puffin",
		"Walrus", "Gecko", "Bunny", "Moose", "Beaver", "Squirrel", "Alpaca", "Narwhal",
		"Capybara", "Meerkat", "Parrot", "Seal", "Kitten", "Yak",
	}
)

// FunName is a family-friendly made-up name, "Brave Otter".
func FunName(r *rand.Rand) string {
	return funAdjectives[r.IntN(len(funAdjectives))] + " " + funAnimals[r.IntN(len(funAnimals))]
}
