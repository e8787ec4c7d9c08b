package health

import (
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the families fed as things happen; the ones read at scrape
// time are collectors added by the Watch methods.
type metrics struct {
	ticks, drawn  prometheus.Counter
	played        *prometheus.CounterVec
	scores        *prometheus.HistogramVec
	sceneFailures prometheus.Counter
	inference     *prometheus.HistogramVec
	detectFails   *prometheus.CounterVec
}

// scoreBuckets span the games' scores: a bubble is 10, a find about 100,
// a freeze win 1000.
var scoreBuckets = []float64{0, 50, 100, 250, 500, 1000, 2500, 5000, 10000}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		ticks: prometheus.NewCounter(prometheus.CounterOpts{Name: "kiosk_logic_ticks_total",
			Help: "Logic ticks played by the booth session (the rules' fixed-rate clock); rate() is the tick rate."}),
		drawn: prometheus.NewCounter(prometheus.CounterOpts{Name: "kiosk_frames_drawn_total",
			Help: "Frames the window drew; rate() is the frame rate the power budget allows. 0 in a headless simulation."}),
		played: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kiosk_games_played_total",
			Help: "Rounds played to their end (time up, or ended early when the player left), by game."}, []string{"game"}),
		scores: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "kiosk_game_score",
			Help: "Scores of the rounds played, by game.", Buckets: scoreBuckets}, []string{"game"}),
		sceneFailures: prometheus.NewCounter(prometheus.CounterOpts{Name: "kiosk_scene_failures_total",
			Help: "Scenes that failed (a panic) and sent the kiosk back to the attract screen."}),
		inference: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "kiosk_detector_inference_seconds",
			Help:    "Time of each good detector run in ONNX Runtime (inference only), by detector; the _count's rate() is the detector's rate.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 11)}, []string{"detector"}),
		detectFails: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kiosk_detector_failures_total",
			Help: "Detector runs that failed (the games keep its last good result), by detector."}, []string{"detector"}),
	}
	for _, g := range game.GameNames() {
		// Every game shows from the start, with 0 rounds, so a query
		// need not handle a missing series.
		m.played.WithLabelValues(g)
		m.scores.WithLabelValues(g)
	}
	reg.MustRegister(m.ticks, m.drawn, m.played, m.scores, m.sceneFailures, m.inference, m.detectFails,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector())
	return m
}

// Hear is a session listener: it counts rounds and scores. It runs on the
// session's goroutine and only touches counters and histograms, which are
// lock-free to update.
func (s *Server) Hear(e game.Event) {
	switch e.Kind {
	case game.KindRoundEnd:
		s.m.played.WithLabelValues(e.Game).Inc()
		s.m.scores.WithLabelValues(e.Game).Observe(float64(e.Score))
	case game.KindSceneFailed:
		s.m.sceneFailures.Inc()
	}
}

// DetectorRan tells of one run of a detector ("objects", "faces"): its
// inference time when it worked, err when it failed. Called from the
// detector's own goroutine.
func (s *Server) DetectorRan(detector string, inference time.Duration, err error) {
	if err != nil {
		s.m.detectFails.WithLabelValues(detector).Inc()
		return
	}
	s.m.inference.WithLabelValues(detector).Observe(inference.Seconds())
}

// Camera is how the frames come, read at scrape time.
type Camera struct {
	Up                  bool    // frames are flowing
	Demo                bool    // the demo clip plays because no camera could be opened
	Outages, Recoveries int     // times the source stopped and came back
	FPS                 float64 // frames captured per second, measured
}

// Detector is one detector's measured rate, read at scrape time.
type Detector struct {
	Name          string
	RunsPerSecond float64
}

// Power is the power policy's latest reading and decision, read at scrape
// time.
type Power struct {
	Read              bool     // false until the first reading: nothing is reported
	Level             string   // the level in force
	Levels            []string // every configured level, so that each has a series
	OnAC, Charging    bool
	HasBattery        bool
	Percent           float64 // -1 unknown
	MinutesLeft       float64
	HaveMinutes       bool
	DrawWatts         float64 // -1 unknown
	BrightnessPercent float64 // as set: the level's, the hall's light's or the presenter's
	Lux               float64 // the ambient light, when HaveLux
	HaveLux           bool
}

// Link is the carrier link's state, read at scrape time.
type Link struct {
	Up                    bool // connected to the hub
	Online                int  // other carriers heard lately
	Sent, Queued, Dropped int  // events
}

// WatchCamera reports the camera through read at each scrape. Call once.
func (s *Server) WatchCamera(read func() Camera) {
	up := desc("kiosk_camera_up", "1 while frames flow from the camera or clip, 0 while it is lost (the games go on).")
	demo := desc("kiosk_camera_demo", "1 when the demo clip plays because no camera could be opened.")
	outages := desc("kiosk_camera_outages_total", "Times the camera (or clip) stopped, stalled or froze.")
	back := desc("kiosk_camera_recoveries_total", "Times it came back.")
	fps := desc("kiosk_camera_frames_per_second", "Frames captured per second, measured over the last second.")
	s.reg.MustRegister(collectFunc{[]*prometheus.Desc{up, demo, outages, back, fps}, func(ch chan<- prometheus.Metric) {
		c := read()
		ch <- gauge(up, boolf(c.Up))
		ch <- gauge(demo, boolf(c.Demo))
		ch <- counter(outages, float64(c.Outages))
		ch <- counter(back, float64(c.Recoveries))
		ch <- gauge(fps, c.FPS)
	}})
}

// WatchDetectors reports the detectors' rates through read at each
// scrape. Call once.
func (s *Server) WatchDetectors(read func() []Detector) {
	rate := desc("kiosk_detector_runs_per_second", "Good detector runs per second, measured over the last second, by detector.", "detector")
	s.reg.MustRegister(collectFunc{[]*prometheus.Desc{rate}, func(ch chan<- prometheus.Metric) {
		for _, d := range read() {
			ch <- gauge(rate, d.RunsPerSecond, d.Name)
		}
	}})
}

// WatchPower reports the power policy through read at each scrape. Call
// once.
func (s *Server) WatchPower(read func() Power) {
	level := desc("kiosk_power_level", "1 for the power level in force, 0 for the others.", "level")
	ac := desc("kiosk_power_on_ac", "1 on mains power (or a machine with no battery).")
	charging := desc("kiosk_battery_charging", "1 while the battery is not draining (charging, or full on mains).")
	pct := desc("kiosk_battery_percent", "Battery charge in percent; absent when unknown or there is no battery.")
	left := desc("kiosk_battery_minutes_left", "Estimated minutes of battery left; absent until there is an estimate.")
	watts := desc("kiosk_battery_draw_watts", "Power drawn from the battery in watts; absent when unknown.")
	bright := desc("kiosk_screen_brightness_percent", "Screen brightness set: the level's, the hall's light's (with a sensor) or the presenter's, in percent.")
	lux := desc("kiosk_ambient_lux", "The ambient light sensor's smoothed reading; absent without a sensor.")
	s.reg.MustRegister(collectFunc{[]*prometheus.Desc{level, ac, charging, pct, left, watts, bright, lux}, func(ch chan<- prometheus.Metric) {
		p := read()
		if !p.Read {
			return
		}
		for _, l := range p.Levels {
			ch <- gauge(level, boolf(l == p.Level), l)
		}
		ch <- gauge(ac, boolf(p.OnAC))
		ch <- gauge(charging, boolf(p.Charging))
		if p.HasBattery && p.Percent >= 0 {
			ch <- gauge(pct, p.Percent)
		}
		if p.HaveMinutes {
			ch <- gauge(left, p.MinutesLeft)
		}
		if p.HasBattery && p.DrawWatts >= 0 {
			ch <- gauge(watts, p.DrawWatts)
		}
		ch <- gauge(bright, p.BrightnessPercent)
		if p.HaveLux {
			ch <- gauge(lux, p.Lux)
		}
	}})
}

// WatchLink reports the carrier link through read at each scrape. Call
// once, and only when the link runs.
func (s *Server) WatchLink(read func() Link) {
	up := desc("kiosk_link_up", "1 while the carrier link reaches the hub; 0 is normal when carriers play apart.")
	online := desc("kiosk_link_carriers_online", "Other carriers heard in the last 15 s.")
	sent := desc("kiosk_link_events_sent_total", "Events this carrier stored for the others.")
	queued := desc("kiosk_link_events_queued", "Events waiting to be stored.")
	dropped := desc("kiosk_link_events_dropped_total", "Events dropped because the queue was full.")
	s.reg.MustRegister(collectFunc{[]*prometheus.Desc{up, online, sent, queued, dropped}, func(ch chan<- prometheus.Metric) {
		l := read()
		ch <- gauge(up, boolf(l.Up))
		ch <- gauge(online, float64(l.Online))
		ch <- counter(sent, float64(l.Sent))
		ch <- gauge(queued, float64(l.Queued))
		ch <- counter(dropped, float64(l.Dropped))
	}})
}

// collectFunc is a collector that reads its source once per scrape, so
// that the figures it reports come from one consistent reading.
type collectFunc struct {
	descs   []*prometheus.Desc
	collect func(chan<- prometheus.Metric)
}

func (c collectFunc) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.descs {
		ch <- d
	}
}

func (c collectFunc) Collect(ch chan<- prometheus.Metric) { c.collect(ch) }

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(name, help, labels, nil)
}

func gauge(d *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
	return prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
}

func counter(d *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
	return prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
