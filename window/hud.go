//go:build cgo

package window

import (
	"fmt"
	"hash/fnv"
	"image/color"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carrierarcade/kiosk/booth"
	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/link"
	"github.com/carrierarcade/kiosk/power"
	"github.com/carrierarcade/kiosk/sight"
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
)

// chrome draws what belongs to the presenter and the kiosk rather than the
// game: the DEMO badge, the privacy icon, the camera's state, the power
// banner, a question waiting for the confirm key, the help, the operator
// overlay and the detections it shows. It keeps its own shapes' buffers
// and signs, so an unchanged message costs no layout.
type chrome struct {
	ts   *typeset
	keys []binding // the presenter's keys as configured, for the help
	g    gfx

	demo, resting, question, mode, cameraOff sign
	waiting, ended                           sign
	battery                                  batteryBanner
	help                                     helpPlate

	operator operator
	boxes    map[string]*sign // the detections' class labels, by label
	digits   []byte
}

// batteryBanner is the critical battery's banner, its words made again
// only when the whole percent changes.
type batteryBanner struct {
	sign  sign
	pct   int // the percent the words are for
	words string
}

// helpPlate is the help overlay: the keys and the games of the rotation.
type helpPlate struct {
	sign     sign
	rotation []string // the games it lists
}

// drawChrome draws the kiosk's own marks over the scene.
func (h *chrome) draw(dst *ebiten.Image, unit float64, snap *booth.Snapshot) {
	g, fonts := &h.g, h.ts.fonts
	g.begin(dst, h.ts.white)
	cw, ch := float64(dst.Bounds().Dx()), float64(dst.Bounds().Dy())
	dimInSoftware(g, snap)
	h.drawPrivacyIcon(g, unit, snap.Presenter.Privacy)
	if st := snap.Camera; st.Known {
		if st.Off {
			h.drawCameraOff(g, unit)
		} else if !st.Live && st.Outages > 0 {
			h.resting.set("The camera is resting\nback in a moment", fonts.Face(3.2*unit, false), styleLabel)
			_, lh := labelSize(&h.resting)
			g.label(&h.resting, 2*unit, ch-lh-10*unit, colorInk, colorShade)
		}
	}
	if st := snap.Power.Status; snap.Power.Known && st.Read && st.Decision.Critical {
		b := &h.battery
		b.sign.set(b.message(st.State.Percent), fonts.Face(2.8*unit, false), styleLabel)
		w, _ := labelSize(&b.sign)
		g.label(&b.sign, cw-w-unit, ch-5*unit, colorInk, colorDemo)
	}
	if q := snap.Presenter.Question; q != "" {
		h.question.set(q, fonts.Face(4*unit, false), styleLabel)
		w, lh := labelSize(&h.question)
		g.label(&h.question, (cw-w)/2, (ch-lh)/2, colorInk, colorDemo)
	}
	if snap.Presenter.Help {
		h.drawHelp(g, unit, snap.Stats.Rotation)
	}
	if snap.Presenter.Overlay {
		h.drawOperator(g, unit, snap)
	}
}

// message is the banner's words, made again only when the whole percent
// changes.
func (b *batteryBanner) message(p float64) string {
	pct := -1
	if p >= 0 {
		pct = int(math.RoundToEven(p))
	}
	if b.words == "" || pct != b.pct {
		b.pct = pct
		b.words = fmt.Sprintf("Battery %s: plug me in!", percent(p))
	}
	return b.words
}

// drawDemoBadge is the DEMO badge, top left, while a clip stands in for
// the camera.
func (h *chrome) drawDemoBadge(dst *ebiten.Image, unit float64) {
	h.g.begin(dst, h.ts.white)
	h.demo.set("DEMO", h.ts.fonts.Face(3*unit, false), styleLabel)
	h.g.label(&h.demo, 0, 0, colorInk, colorDemo)
}

// drawCameraOff is the mark that the camera is off, top middle: a camera
// crossed out and the words, so that people nearby can see it is not
// watching them.
func (h *chrome) drawCameraOff(g *gfx, unit float64) {
	h.cameraOff.set("CAMERA OFF", h.ts.fonts.Face(3.6*unit, false), styleLabel)
	w, lh := labelSize(&h.cameraOff)
	cw := float64(g.dst.Bounds().Dx())
	icon := float32(lh) // the icon's plate is as high as the words'
	x := float32((cw - w - float64(icon)) / 2)
	y := float32(unit)
	g.rect(x, y, icon, icon, colorDemo)
	// The camera: a body, a lens and a hump, crossed out.
	bx, by, bw, bh := x+icon*0.18, y+icon*0.34, icon*0.64, icon*0.44
	g.fillRoundRect(bx, by, bw, bh, icon*0.06, colorInk)
	g.rect(bx+bw*0.3, by-icon*0.1, bw*0.4, icon*0.1, colorInk)
	g.disc(bx+bw/2, by+bh/2, bh*0.32, colorDemo)
	g.line(x+icon*0.15, y+icon*0.85, x+icon*0.85, y+icon*0.15, icon*0.09, colorInk)
	g.label(&h.cameraOff, float64(x+icon), float64(y), colorInk, colorDemo)
}

// drawMessage writes one of the kiosk's full-screen messages in the middle
// of the canvas.
func drawMessage(dst *ebiten.Image, s *sign, f *text.GoTextFace, words string) {
	cw, ch := float64(dst.Bounds().Dx()), float64(dst.Bounds().Dy())
	s.say(dst, f, words, cw/2, ch/2, styleMessage, colorInk)
}

// dimInSoftware darkens the picture to the budget's brightness when there
// is no backlight the kiosk may set (an external screen, Xvfb), so a demo
// on battery still shows the power level at work.
func dimInSoftware(g *gfx, snap *booth.Snapshot) {
	if !snap.Power.Known || snap.Power.Backlight {
		return
	}
	b := snap.Power.Status.Decision.Budget.BrightnessPercent
	if b <= 0 || b >= 100 {
		return
	}
	shade := color.NRGBA{A: uint8((100 - b) / 100 * 0.8 * 255)}
	g.rect(0, 0, float32(g.dst.Bounds().Dx()), float32(g.dst.Bounds().Dy()), shade)
}

// drawPrivacyIcon shows the privacy mode in the top-right corner: an eye,
// crossed out unless the live picture is shown, and the mode's name.
func (h *chrome) drawPrivacyIcon(g *gfx, unit float64, mode string) {
	cw := float32(g.dst.Bounds().Dx())
	r := float32(2 * unit)
	cx, cy := cw-r*2, r*1.6
	g.disc(cx, cy, r*1.4, colorShade)
	g.ellipse(cx, cy, r, r*0.6, colorInk)
	g.disc(cx, cy, r*0.4, colorBackdropTop)
	if mode != "live" {
		g.line(cx-r, cy+r, cx+r, cy-r, r*0.25, colorDemo)
		s := &h.mode
		s.set(mode, h.ts.fonts.Face(1.6*unit, false), styleLabel)
		w, _ := labelSize(s)
		g.label(s, float64(cx)-w/2, float64(cy+r*1.5), colorInk, colorShade)
	}
}

// commandNames are the help overlay's words for each command.
var commandNames = map[game.Command]string{
	game.CmdHelp: "this help", game.CmdStart: "start the next game", game.CmdNextGame: "skip to the next game",
	game.CmdAttract: "attract mode", game.CmdPause: "pause / resume", game.CmdPrivacy: "privacy mode (live, pixelated, silhouette, none)",
	game.CmdCamera:  "camera off / on (off: closed, the demo reel plays)",
	game.CmdOverlay: "operator overlay", game.CmdBrighter: "brighter", game.CmdDimmer: "dimmer",
	game.CmdMute: "sound off / on", game.CmdRecalibrate: "re-calibrate motion", game.CmdBattle: "battle: all carriers play", game.CmdResetBoard: "reset today's leaderboard",
	game.CmdQuit: "quit", game.CmdConfirm: "yes (confirm reset or quit)",
}

// helpText lists the keys as configured and the games of the rotation.
func (h *chrome) helpText(rotation []string) string {
	var b strings.Builder
	byCmd := map[game.Command][]string{}
	var order []game.Command
	for _, k := range h.keys {
		if _, seen := byCmd[k.command]; !seen {
			order = append(order, k.command)
		}
		byCmd[k.command] = append(byCmd[k.command], k.name)
	}
	b.WriteString("Keys\n")
	for _, c := range order {
		if name, ok := commandNames[c]; ok {
			fmt.Fprintf(&b, "%-14s %s\n", strings.Join(byCmd[c], " "), name)
		}
	}
	for i, g := range rotation {
		title, _ := game.About(g)
		fmt.Fprintf(&b, "%-14s %s\n", fmt.Sprintf("Digit%d", i+1), title)
	}
	return strings.TrimRight(b.String(), "\n")
}

// drawHelp shows the keys. The list is written again only when the
// rotation changed (a game retired for the day): the snapshot takes a
// fresh copy of it once a second.
func (h *chrome) drawHelp(g *gfx, unit float64, rotation []string) {
	p := &h.help
	face := h.ts.fonts.Face(max(12, 1.9*unit), true)
	if p.sign.words == "" || !slices.Equal(rotation, p.rotation) {
		p.rotation = rotation
		p.sign.set(h.helpText(rotation), face, styleLabel)
	}
	p.sign.set(p.sign.words, face, styleLabel) // the size follows the window
	w, lh := labelSize(&p.sign)
	cw, ch := float64(g.dst.Bounds().Dx()), float64(g.dst.Bounds().Dy())
	g.label(&p.sign, (cw-w)/2, max(unit, (ch-lh)/2), colorInk, color.NRGBA{0, 0, 0, 0xe0})
}

// drawDetections outlines each object with its label and score (the
// operator overlay's view of what the detector sees).
func (h *chrome) drawDetections(dst *ebiten.Image, fit game.Fit, unit float64, obs *sight.Observation) {
	g := &h.g
	g.begin(dst, h.ts.white)
	g.sharp(true) // the labels' filter: boxes, plates and words in one draw command
	face := h.ts.fonts.Face(max(12, 2.4*unit), false)
	pct := h.ts.letters(face, rimNone)
	stroke := float32(max(2, 0.4*unit))
	pad := labelPad(face)
	for _, d := range obs.Objects {
		x0, y0, x1, y1 := fit.Rect(float64(d.Box.X0), float64(d.Box.Y0), float64(d.Box.X1), float64(d.Box.Y1))
		c := classColor(d.Class)
		g.frameRect(float32(x0), float32(y0), float32(x1-x0), float32(y1-y0), stroke, c)
		// "person 87%": the class's words are kept, the figures lettered.
		name := h.boxLabel(d.Label)
		name.set(name.words, face, styleLabel)
		h.digits = strconv.AppendInt(h.digits[:0], int64(math.RoundToEven(float64(d.Score)*100)), 10)
		h.digits = append(h.digits, '%')
		nw, nh := name.size()
		w, lh := nw+pct.width(h.digits)+2*pad, nh+pad
		ly := y0 - lh
		if ly < 0 {
			ly = y0
		}
		g.rect(float32(x0), float32(ly), float32(w), float32(lh), c)
		name.draw(dst, x0+pad, ly+pad/2, styleLabel, colorInk)
		pct.draw(dst, h.digits, x0+pad+nw, ly+pad/2, styleLabel, colorInk)
	}
}

// boxLabel is the sign of a class's label and the space after it, made
// the first time the class is seen.
func (h *chrome) boxLabel(label string) *sign {
	if h.boxes == nil {
		h.boxes = map[string]*sign{}
	}
	s := h.boxes[label]
	if s == nil {
		s = &sign{words: label + " "}
		h.boxes[label] = s
	}
	return s
}

// operator is the presenter's overlay of how the kiosk keeps up. Its
// figures change every frame (a frame's age, the rates), so each line is
// written into bytes of its own, again only when a figure on it changed,
// and drawn with the mono lettering, which needs no layout.
type operator struct {
	lines [overlayLines][]byte
	last  [overlayLines]overlayFigures
	n     int
}

const overlayLines = 13

// overlayFigures are what one line of the overlay shows, as shown (rates
// in tenths): a line is written again when they differ from its last.
type overlayFigures struct {
	a, b, c, d, e int
	s             string
	on, bad       bool
	up            int64
	power         batteryShown
}

// drawOperator shows the presenter how the kiosk keeps up.
func (h *chrome) drawOperator(g *gfx, unit float64, snap *booth.Snapshot) {
	o := &h.operator
	obs, st := snap.Obs, snap.Status
	now := time.Now()
	age := time.Duration(0)
	if !st.CapturedAt.IsZero() {
		age = now.Sub(st.CapturedAt)
	}
	o.n = 0
	o.line(overlayFigures{a: tenths(snap.Stats.DrawnRate), b: tenths(snap.Stats.LogicRate)}, func(b []byte, f overlayFigures) []byte {
		b = append(b, "drawn    "...)
		b = appendTenths(b, f.a, 5)
		b = append(b, " fps   logic "...)
		b = appendTenths(b, f.b, 5)
		return append(b, " ticks/s"...)
	})
	o.line(overlayFigures{a: tenths(st.CameraRate), b: int(math.RoundToEven(ms(age))), s: snap.Source}, func(b []byte, f overlayFigures) []byte {
		b = append(b, "camera   "...)
		b = appendTenths(b, f.a, 5)
		b = append(b, " fps   frame "...)
		b = appendInt(b, f.b, 4)
		b = append(b, " ms old   "...)
		return append(b, f.s...)
	})
	if cs := snap.Camera; cs.Known {
		why := cs.Reason
		if cs.Off || !cs.Turned.IsZero() {
			why = cs.OffBy // the line says who turned the camera
		}
		var turned int64
		if !cs.Turned.IsZero() {
			turned = cs.Turned.Unix()
		}
		standIn := 0 // the demo clip plays though the camera is on: it cannot be opened
		if cs.StandIn && !cs.Off {
			standIn = 1
		}
		o.line(overlayFigures{on: cs.Live, bad: cs.Off, s: why, a: cs.Outages, b: cs.Recoveries, c: standIn, up: turned}, func(b []byte, f overlayFigures) []byte {
			b = append(b, "         "...)
			switch {
			case f.c == 1:
				b = append(b, "demo clip: the camera cannot be opened; tried again"...)
			case f.bad:
				b = append(b, "OFF by "...)
				b = append(b, f.s...)
				if f.up != 0 {
					b = time.Unix(f.up, 0).AppendFormat(append(b, " at "...), "15:04:05")
				}
			case f.on && f.up != 0:
				b = append(b, "live (on by "...)
				b = time.Unix(f.up, 0).AppendFormat(append(b, f.s...), " at 15:04:05)")
			case f.on:
				b = append(b, "live"...)
			case f.up != 0:
				b = append(b, "opening (on by "...)
				b = time.Unix(f.up, 0).AppendFormat(append(b, f.s...), " at 15:04:05)")
			default:
				b = append(b, "resting: "...)
				b = append(b, f.s...)
			}
			b = append(b, "   outages "...)
			b = strconv.AppendInt(b, int64(f.a), 10)
			b = append(b, "   recoveries "...)
			return strconv.AppendInt(b, int64(f.b), 10)
		})
	}
	o.detectorLine("objects", &st.Objects, len(obs.Objects))
	o.detectorLine("faces", &st.Faces, len(obs.Faces))
	people := 0
	for _, t := range obs.ObjectTracks {
		if t.Label == "person" && t.Missed == 0 {
			people++
		}
	}
	player := -1
	if obs.HasPlayer {
		player = obs.Player.ID
	}
	o.line(overlayFigures{a: people, b: player}, func(b []byte, f overlayFigures) []byte {
		b = append(b, "players  "...)
		b = strconv.AppendInt(b, int64(f.a), 10)
		b = append(b, " in view   primary "...)
		if f.b < 0 {
			return append(b, "none"...)
		}
		b = append(b, '#')
		return strconv.AppendInt(b, int64(f.b), 10)
	})
	o.line(overlayFigures{power: batteryOf(&snap.Power)}, func(b []byte, _ overlayFigures) []byte {
		b = append(b, "battery  "...)
		return append(b, batteryLine(&snap.Power)...)
	})
	if snap.Link.On {
		ls := &snap.Link.Status
		f := overlayFigures{on: ls.Up, a: len(ls.Online), b: ls.Queued, c: ls.Sent, s: ls.LastErr,
			up: ls.UpSince.Unix(), d: namesKey(ls.Online), e: math.MinInt}
		if ls.ClockOffset != nil {
			f.e = tenths(*ls.ClockOffset)
		}
		o.line(f, func(b []byte, f overlayFigures) []byte {
			b = append(b, "link     "...)
			if f.on {
				b = ls.UpSince.Local().AppendFormat(append(b, "up since "...), "15:04")
			} else {
				b = append(b, "DOWN, playing alone"...)
			}
			b = append(b, "   "...)
			b = append(b, ls.Hub...)
			b = append(b, "   online "...)
			b = strconv.AppendInt(b, int64(f.a), 10)
			for i, p := range ls.Online {
				if i == 0 {
					b = append(b, ": "...)
				} else {
					b = append(b, ", "...)
				}
				b = append(b, p.Name...)
			}
			b = append(b, "   sent "...)
			b = strconv.AppendInt(b, int64(f.c), 10)
			b = append(b, " queued "...)
			b = strconv.AppendInt(b, int64(f.b), 10)
			if f.e != math.MinInt {
				// The hub's clock against this one's: battles go by the hub's.
				b = appendTenths(append(b, "   hub clock "...), f.e, 0)
				b = append(b, " s"...)
			}
			if f.s != "" {
				b = append(b, "   last error: "...)
				b = append(b, f.s[:min(len(f.s), 60)]...)
			}
			return b
		})
	}
	{
		idle, since := snap.Budget.Idle, snap.Budget.IdleSince
		f := overlayFigures{on: idle, up: since.Unix()}
		o.line(f, func(b []byte, f overlayFigures) []byte {
			if f.on {
				// Nobody in view: the attract screen sleeps lightly.
				return since.Local().AppendFormat(append(b, "budget   idle since "...), "15:04:05")
			}
			return append(b, "budget   awake: each scene runs what it needs"...)
		})
	}
	if why := snap.Stats.BoardProblem; why != "" {
		o.line(overlayFigures{s: why}, func(b []byte, f overlayFigures) []byte {
			b = append(b, "scores   NOT SAVED: "...)
			return append(b, f.s[:min(len(f.s), 70)]...)
		})
	}
	up := int64(now.Sub(snap.Stats.Started).Round(time.Second) / time.Second)
	o.line(overlayFigures{a: int(snap.Stats.RSS >> 20), b: snap.Stats.Played, up: up}, func(b []byte, f overlayFigures) []byte {
		// Once a second at most (the uptime changes): the session hands
		// out a copy of the retired games.
		b = fmt.Appendf(b, "memory   %d MB   up %s   games played %d", f.a, time.Duration(f.up)*time.Second, f.b)
		if d := snap.Stats.Disabled; len(d) > 0 {
			b = append(b, "   out: "...)
			b = append(b, strings.Join(d, ", ")...)
		}
		return b
	})

	face := h.ts.fonts.Face(max(11, 1.7*unit), true)
	lt := h.ts.letters(face, rimNone)
	pad := labelPad(face)
	spacing := face.Size * 1.2
	m := face.Metrics()
	w := 0.0
	for _, ln := range o.lines[:o.n] {
		w = max(w, lt.width(ln))
	}
	ht := float64(o.n-1)*spacing + m.HAscent + m.HDescent
	x, y := unit, float64(g.dst.Bounds().Dy())-(ht+pad)-unit
	g.sharp(true) // the words' filter: the plate and words in one draw command
	g.rect(float32(x), float32(y), float32(w+2*pad), float32(ht+pad), colorShade)
	for i, ln := range o.lines[:o.n] {
		lt.draw(g.dst, ln, x+pad, y+pad/2+float64(i)*spacing, styleLabel, colorInk)
	}
}

// line is the overlay's next line: written by write when its figures
// changed since it was last drawn.
func (o *operator) line(f overlayFigures, write func([]byte, overlayFigures) []byte) {
	i := o.n
	o.n++
	if o.lines[i] != nil && f == o.last[i] {
		return
	}
	o.last[i] = f
	o.lines[i] = write(o.lines[i][:0], f)
}

// detectorLine is one detector's line: its time, rate and finds, or that
// it is off, or failing and why.
func (o *operator) detectorLine(name string, d *sight.DetectorStatus, found int) {
	f := overlayFigures{s: name, on: d.On, bad: d.Err != nil, a: d.Failures,
		b: tenths(ms(d.Timings.Inference)), c: tenths(d.Rate), d: found}
	o.line(f, func(b []byte, f overlayFigures) []byte {
		b = appendString(b, f.s, 8)
		switch {
		case !f.on:
			return append(b, " off"...)
		case f.bad:
			b = append(b, " FAILING ("...)
			b = strconv.AppendInt(b, int64(f.a), 10)
			b = append(b, " runs): "...)
			msg := d.Err.Error()
			if len(msg) > 60 {
				msg = msg[:60]
			}
			return append(b, msg...)
		}
		b = append(b, ' ')
		b = appendTenths(b, f.b, 5)
		b = append(b, " ms   "...)
		b = appendTenths(b, f.c, 4)
		b = append(b, "/s   "...)
		b = strconv.AppendInt(b, int64(f.d), 10)
		return append(b, " found"...)
	})
}

// tenths is v in tenths, rounded as "%.1f" rounds it.
func tenths(v float64) int { return int(math.RoundToEven(v * 10)) }

// appendTenths writes t/10 with one decimal, right-aligned in width, as
// fmt's "%5.1f" would.
func appendTenths(b []byte, t, width int) []byte {
	n := 0
	for v := max(t, 0) / 10; ; v /= 10 {
		n++
		if v < 10 {
			break
		}
	}
	if t < 0 {
		n++
	}
	for range width - n - 2 {
		b = append(b, ' ')
	}
	if t < 0 {
		b, t = append(b, '-'), -t
	}
	b = strconv.AppendInt(b, int64(t/10), 10)
	return append(b, '.', byte('0'+t%10))
}

// appendInt writes v right-aligned in width, as "%4d" would.
func appendInt(b []byte, v, width int) []byte {
	start := len(b)
	b = strconv.AppendInt(b, int64(v), 10)
	for n := len(b) - start; n < width; n++ {
		b = slices.Insert(b, start, ' ')
	}
	return b
}

// appendString writes s left-aligned in width, as "%-8s" would.
func appendString(b []byte, s string, width int) []byte {
	b = append(b, s...)
	for n := len(s); n < width; n++ {
		b = append(b, ' ')
	}
	return b
}

// batteryShown is what the battery line shows.
type batteryShown struct {
	known, read, hasBattery, onAC, charging, haveMinutes, simulated bool
	percent, minutes, lux, brightness                               int
	haveLux                                                         bool
	decision                                                        power.Decision
}

func batteryOf(pv *booth.PowerView) batteryShown {
	if !pv.Known {
		return batteryShown{}
	}
	st := pv.Status
	return batteryShown{known: true, read: st.Read, hasBattery: st.State.HasBattery, onAC: st.State.OnAC,
		charging: st.State.Charging, haveMinutes: st.HaveMinutes, simulated: st.Simulated,
		percent: int(math.RoundToEven(st.State.Percent)), minutes: int(math.RoundToEven(st.MinutesLeft)),
		decision: st.Decision, haveLux: st.HaveLux, lux: int(math.Round(st.Lux)), brightness: int(math.Round(st.Brightness))}
}

// batteryLine is the operator overlay's power line.
func batteryLine(pv *booth.PowerView) string {
	if !pv.Known {
		return "unknown"
	}
	st := pv.Status
	if !st.Read {
		return "reading..."
	}
	if !st.State.HasBattery {
		line := fmt.Sprintf("no battery (mains)   level %s", st.Decision.Level)
		if st.HaveLux {
			line += fmt.Sprintf("   light %.0f lux: screen %.0f%%", st.Lux, st.Brightness)
		}
		return line
	}
	src := "battery"
	switch {
	case st.State.OnAC && st.State.Charging:
		src = "charging"
	case st.State.OnAC:
		src = "mains"
	}
	left := ""
	if st.HaveMinutes {
		left = fmt.Sprintf(", %.0f min left", st.MinutesLeft)
	}
	sim := ""
	if st.Simulated {
		sim = " (simulated)"
	}
	bd := st.Decision.Budget
	line := fmt.Sprintf("%s %s%s%s   level %s: %.0f%% bright, %.0f fps, %.0f/%.0f Hz",
		percent(st.State.Percent), src, left, sim, st.Decision.Level, bd.BrightnessPercent, bd.DrawFPS, bd.ObjectHz, bd.FaceHz)
	if st.HaveLux {
		line += fmt.Sprintf("   light %.0f lux: screen %.0f%%", st.Lux, st.Brightness)
	}
	return line
}

func percent(p float64) string {
	if p < 0 {
		return "?%"
	}
	return fmt.Sprintf("%.0f%%", p)
}

// namesKey stands for the names of the carriers online, so that their line
// is written again when one leaves and another comes.
func namesKey(online []link.OnlinePeer) int {
	h := fnv.New32a()
	for _, p := range online {
		_, _ = io.WriteString(h, p.Carrier)
	}
	return int(h.Sum32())
}
