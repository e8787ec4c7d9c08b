package game

import (
	"log/slog"
	"time"
)

// EventLog turns a session's events into the presenter's log lines: one
// per round played (game, score, seconds), per mode change, per failure
// (the camera's outages are logged by its watchdog). A leaderboard that cannot be written is
// logged once per reason, not once per score, and again when it can.
type EventLog struct {
	log        *slog.Logger
	roundStart time.Duration
	boardErr   string // the last write failure logged, "" when writes work
}

// NewEventLog logs to log; subscribe its Hear to a session.
func NewEventLog(log *slog.Logger) *EventLog { return &EventLog{log: log} }

// Hear logs one event, if it is one the presenter wants to read.
func (l *EventLog) Hear(e Event) {
	log := l.log
	switch e.Kind {
	case KindRoundStart:
		l.roundStart = e.At
		log.Info("round started", "game", e.Game)
	case KindRoundEnd:
		log.Info("game played", "game", e.Game, "score", e.Score, "seconds", int((e.At - l.roundStart).Seconds()))
	case KindIdle:
		log.Info("nobody in view: the round ends early", "scene", e.Scene)
	case KindSceneFailed:
		log.Error("a scene failed and the kiosk went back to attract mode", "scene", e.Scene, "error", e.Err, "stack", e.Stack)
	case KindGameRetired:
		log.Warn("game taken out of the rotation for today", "game", e.Game, "reason", e.Reason)
	case KindKey:
		log.Debug("key", "key", e.Key, "command", string(e.Command))
	case KindPrivacy:
		log.Info("privacy mode", "mode", e.Mode)
	case KindCamera:
		if e.Mode == "off" {
			log.Info("camera turned off by the presenter: the device is closed and the demo reel plays", "key", e.Key)
		} else {
			log.Info("camera turned on again by the presenter", "key", e.Key)
		}
	case KindDemo:
		if e.Mode == "on" {
			log.Info("the demo reel plays in the camera's place: the hunt asks for its items and the attract screen starts games by itself")
		} else {
			log.Info("the camera plays again: the games play to it")
		}
	case KindMute:
		log.Info("sound", "muted", e.Muted)
	case KindPaused:
		log.Info("games paused by the presenter", "paused", e.Paused)
	case KindRecalibrate:
		log.Info("motion re-calibrating")
	case KindBoardReset:
		log.Info("today's leaderboard reset by the presenter")
	case KindQuit:
		log.Info("quit by the presenter")
	case KindShutdown:
		log.Info("kiosk stopping", "scene", e.Scene) // a round in play is logged as played
	case KindBoardUnsaved:
		if e.Err != l.boardErr {
			log.Error("leaderboard not saved: the scores stay on screen and in memory", "file", e.File, "err", e.Err)
			l.boardErr = e.Err
		}
	case KindBoardSaved:
		if l.boardErr != "" {
			log.Info("leaderboard saved again", "file", e.File)
			l.boardErr = ""
		}
	}
}
