package game

import "time"

// SavingLeaderboard is an empty board that saves through write instead of
// a file: tests inject a slow or failing disk.
func SavingLeaderboard(write func([]byte) error, saved func(string, error)) *Leaderboard {
	lb := NewLeaderboard(nil)
	lb.dir = "test-board"
	lb.startSaving(write, saved)
	return lb
}

// SetRetryEvery changes how often a failed board write is tried again.
func SetRetryEvery(d time.Duration) (restore func()) {
	old := retryEvery
	retryEvery = d
	return func() { retryEvery = old }
}

// PlayingDemo makes b play to the demo reel, as Manager.SetDemo does.
func PlayingDemo(b *Arcade) *Arcade { b.demo = true; return b }
