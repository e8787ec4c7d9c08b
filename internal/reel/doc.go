// Package reel makes the demo reel, what the kiosk plays with no camera,
// from the Debian-package pictures and clips, with its item list (what
// shows when), and reads that list back for the games.
package reel
