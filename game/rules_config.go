package game

import (
	"fmt"

	"github.com/carrierarcade/kiosk/internal/check"
	"github.com/carrierarcade/kiosk/sight"
)

// Config is the [game] section: the order games are played in, the
// scenes between rounds, and one table per game.
type Config struct {
	// Rotation is the order games are played in: a wave on the attract
	// screen, or Start, plays the next one.
	Rotation []string `toml:"rotation"`
	// CountdownSeconds before each round, 0 to 3: enough to get ready,
	// too short for a passer-by to walk on.
	CountdownSeconds int `toml:"countdown_seconds"`
	// ResultsSeconds the score and today's board stay up.
	ResultsSeconds float64 `toml:"results_seconds"`
	// DataDir is the folder the leaderboard (and the camera mount check's
	// verdict) is kept in.
	DataDir string `toml:"data_dir"`
	// PreviewSeconds each game is previewed for on the attract screen.
	PreviewSeconds float64 `toml:"preview_seconds"`
	// WaveThreshold is the motion energy, 0..1, in the middle of the
	// picture that counts as waving; WaveSeconds is how long a wave must
	// last to start a game, so someone walking past does not.
	WaveThreshold float64 `toml:"wave_threshold"`
	WaveSeconds   float64 `toml:"wave_seconds"`
	// IdleSeconds without a player, motion or key end a round early, with
	// its score: the player has walked off.
	IdleSeconds float64 `toml:"idle_seconds"`
	// DemoAutoplaySeconds on the attract screen start the next game by
	// itself while the kiosk plays its demo clip (nobody is there to wave);
	// 0 never. With a camera, only a wave or a key starts a game.
	DemoAutoplaySeconds float64 `toml:"demo_autoplay_seconds"`

	// Demo is what the demo clip shows when, read from its item list by
	// the kiosk (not a setting). The games follow it only while the clip
	// plays in the camera's place (see Arcade.demo).
	Demo DemoReel `toml:"-"`

	Hunt    HuntConfig    `toml:"hunt"`
	Bubbles BubblesConfig `toml:"bubbles"`
	Freeze  FreezeConfig  `toml:"freeze"`
	Dodge   DodgeConfig   `toml:"dodge"`
}

// HuntConfig is [game.hunt]: Object Hunt.
type HuntConfig struct {
	// Items are the COCO labels that may be asked for; easy ones are
	// asked first (see huntTier).
	Items        []string `toml:"items"`
	RoundSeconds float64  `toml:"round_seconds"`
	// HoldSeconds the item must stay in view to count, so a glimpse or a
	// false detection does not.
	HoldSeconds float64 `toml:"hold_seconds"`
	// BonusSeconds added to the round for each find.
	BonusSeconds float64 `toml:"bonus_seconds"`
	// SkipAfterSeconds without a find asks for something else.
	SkipAfterSeconds float64 `toml:"skip_after_seconds"`
}

// BubblesConfig is [game.bubbles]: Bubble Pop.
type BubblesConfig struct {
	RoundSeconds float64 `toml:"round_seconds"`
	// Threshold is the mean motion energy, 0..1, over a bubble that pops it.
	Threshold float64 `toml:"threshold"`
}

// FreezeConfig is [game.freeze]: Freeze.
type FreezeConfig struct {
	RoundSeconds float64 `toml:"round_seconds"`
	// Threshold is the mean motion energy, 0..1, inside a player's box
	// that counts as moving.
	Threshold float64 `toml:"threshold"`
	// GraceSeconds after the light turns red before moving costs: nobody
	// stops in no time.
	GraceSeconds float64 `toml:"grace_seconds"`
	// Each light lasts a random time between its min and max, so it
	// cannot be timed.
	GreenMin float64 `toml:"green_min"`
	GreenMax float64 `toml:"green_max"`
	RedMin   float64 `toml:"red_min"`
	RedMax   float64 `toml:"red_max"`
	// FillSeconds of moving on green fill a player's bar and win.
	FillSeconds float64 `toml:"fill_seconds"`
}

// DodgeConfig is [game.dodge]: Head Dodge.
type DodgeConfig struct {
	RoundSeconds float64 `toml:"round_seconds"`
	Lives        int     `toml:"lives"`
}

// DefaultConfig is what the kiosk plays when config.toml says nothing.
func DefaultConfig() Config {
	return Config{
		Rotation:            GameNames(),
		CountdownSeconds:    3,
		ResultsSeconds:      8,
		DataDir:             "data",
		PreviewSeconds:      6,
		WaveThreshold:       0.1,
		WaveSeconds:         0.7,
		IdleSeconds:         20,
		DemoAutoplaySeconds: 20,
		Hunt: HuntConfig{
			Items: []string{"cup", "bottle", "cell phone", "book", "backpack", "handbag",
				"umbrella", "banana", "apple", "orange", "scissors", "teddy bear",
				"keyboard", "mouse", "remote", "laptop", "clock"},
			RoundSeconds:     60,
			HoldSeconds:      1,
			BonusSeconds:     5,
			SkipAfterSeconds: 15,
		},
		Bubbles: BubblesConfig{RoundSeconds: 45, Threshold: 0.15},
		Freeze: FreezeConfig{RoundSeconds: 60, Threshold: 0.08, GraceSeconds: 0.6,
			GreenMin: 2, GreenMax: 5, RedMin: 1.5, RedMax: 4, FillSeconds: 20},
		Dodge: DodgeConfig{RoundSeconds: 60, Lives: 3},
	}
}

// Validate reports every bad value, keyed relative to [game].
func (c Config) Validate() check.Problems {
	var ps check.Problems
	if len(c.Rotation) == 0 {
		ps.Addf("rotation", "is empty, name at least one game of %q", GameNames())
	}
	for i, g := range c.Rotation {
		ps.OneOf(fmt.Sprintf("rotation[%d]", i), g, GameNames()...)
	}
	ps.Range("countdown_seconds", float64(c.CountdownSeconds), 0, 3)
	ps.Range("results_seconds", c.ResultsSeconds, 2, 60)
	if c.DataDir == "" {
		ps.Addf("data_dir", "is empty, name the folder the leaderboard is kept in")
	}
	ps.Range("preview_seconds", c.PreviewSeconds, 2, 30)
	ps.Range("wave_threshold", c.WaveThreshold, 0.01, 1)
	ps.Range("wave_seconds", c.WaveSeconds, 0.2, 5)
	ps.Range("idle_seconds", c.IdleSeconds, 5, 600)
	ps.Range("demo_autoplay_seconds", c.DemoAutoplaySeconds, 0, 600)
	ps = append(ps, c.Hunt.Validate().Under("hunt")...)
	ps = append(ps, c.Bubbles.Validate().Under("bubbles")...)
	ps = append(ps, c.Freeze.Validate().Under("freeze")...)
	ps = append(ps, c.Dodge.Validate().Under("dodge")...)
	return ps
}

// Validate reports every bad value, keyed relative to [game.hunt].
func (c HuntConfig) Validate() check.Problems {
	var ps check.Problems
	if len(c.Items) == 0 {
		ps.Addf("items", "is empty, name at least one COCO label")
	}
	seen := map[string]bool{}
	for i, item := range c.Items {
		key := fmt.Sprintf("items[%d]", i)
		switch {
		case sight.COCOClass(item) < 0:
			ps.Addf(key, "is %q, not a COCO label (model/coco.go lists them)", item)
		case item == "person":
			ps.Addf(key, "is \"person\": the player is always in view")
		case seen[item]:
			ps.Addf(key, "repeats %q", item)
		}
		seen[item] = true
	}
	roundRange(&ps, c.RoundSeconds)
	ps.Range("hold_seconds", c.HoldSeconds, 0.2, 5)
	ps.Range("bonus_seconds", c.BonusSeconds, 0, 30)
	ps.Range("skip_after_seconds", c.SkipAfterSeconds, 3, 120)
	if c.SkipAfterSeconds <= c.HoldSeconds {
		ps.Addf("skip_after_seconds", "is %v, must be longer than hold_seconds (%v)", c.SkipAfterSeconds, c.HoldSeconds)
	}
	return ps
}

// Validate reports every bad value, keyed relative to [game.bubbles].
func (c BubblesConfig) Validate() check.Problems {
	var ps check.Problems
	roundRange(&ps, c.RoundSeconds)
	ps.Range("threshold", c.Threshold, 0.01, 1)
	return ps
}

// Validate reports every bad value, keyed relative to [game.freeze].
func (c FreezeConfig) Validate() check.Problems {
	var ps check.Problems
	roundRange(&ps, c.RoundSeconds)
	ps.Range("threshold", c.Threshold, 0.01, 1)
	ps.Range("grace_seconds", c.GraceSeconds, 0, 3)
	ps.Range("green_min", c.GreenMin, 0.5, 30)
	ps.Range("green_max", c.GreenMax, 0.5, 30)
	ps.Range("red_min", c.RedMin, 0.5, 30)
	ps.Range("red_max", c.RedMax, 0.5, 30)
	if c.GreenMax < c.GreenMin {
		ps.Addf("green_max", "is %v, less than green_min (%v)", c.GreenMax, c.GreenMin)
	}
	if c.RedMax < c.RedMin {
		ps.Addf("red_max", "is %v, less than red_min (%v)", c.RedMax, c.RedMin)
	}
	// A red light shorter than the grace would never catch anyone.
	if c.RedMin <= c.GraceSeconds {
		ps.Addf("red_min", "is %v, must be longer than grace_seconds (%v)", c.RedMin, c.GraceSeconds)
	}
	ps.Range("fill_seconds", c.FillSeconds, 3, 120)
	return ps
}

// Validate reports every bad value, keyed relative to [game.dodge].
func (c DodgeConfig) Validate() check.Problems {
	var ps check.Problems
	roundRange(&ps, c.RoundSeconds)
	ps.Range("lives", float64(c.Lives), 1, 9)
	return ps
}

// roundRange keeps every round near the minute an attendee will stay for.
func roundRange(ps *check.Problems, v float64) { ps.Range("round_seconds", v, 10, 300) }
