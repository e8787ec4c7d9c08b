//go:build cgo

package screen

import (
	"fmt"
	"image/color"
	"strings"
	"time"

	"github.com/carrierarcade/kiosk/game"
	"github.com/carrierarcade/kiosk/sight"
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// drawChrome draws what belongs to the presenter and the kiosk rather than
// the game: the privacy icon, the camera's state, the power banner, a
// question waiting for the confirm key, the help and the operator overlay.
func (a *App) drawChrome(dst *ebiten.Image, unit float64) {
	cw, ch := float64(dst.Bounds().Dx()), float64(dst.Bounds().Dy())
	a.dimInSoftware(dst)
	a.drawPrivacyIcon(dst, unit)
	if a.deps.Camera != nil {
		if st := a.deps.Camera(); !st.Live && st.Outages > 0 {
			msg := "The camera is resting\nback in a moment"
			_, h := label(dst, a.fonts.Face(3.2*unit, false), msg, 0, -1e4, colorInk, colorShade)
			label(dst, a.fonts.Face(3.2*unit, false), msg, 2*unit, ch-h-10*unit, colorInk, colorShade)
		}
	}
	if a.deps.Power != nil {
		if st := a.deps.Power.Status(); st.Read && st.Decision.Critical {
			face := a.fonts.Face(2.8*unit, false)
			msg := fmt.Sprintf("Battery %s: plug me in!", percent(st.State.Percent))
			w, _ := label(dst, face, msg, 0, -1e4, colorInk, colorDemo)
			label(dst, face, msg, cw-w-unit, ch-5*unit, colorInk, colorDemo)
		}
	}
	if q := a.deps.Session.Question(); q != "" {
		face := a.fonts.Face(4*unit, false)
		w, h := label(dst, face, q, 0, -1e4, colorInk, colorDemo)
		label(dst, face, q, (cw-w)/2, (ch-h)/2, colorInk, colorDemo)
	}
	if a.deps.Session.Help() {
		a.drawHelp(dst, unit)
	}
	if a.deps.Session.Overlay() {
		a.drawOperator(dst, unit)
	}
}

// dimInSoftware darkens the picture to the budget's brightness when there
// is no backlight the kiosk may set (an external screen, Xvfb), so a demo
// on battery still shows the power level at work.
func (a *App) dimInSoftware(dst *ebiten.Image) {
	if a.deps.Power == nil || a.deps.Power.HasBacklight() {
		return
	}
	b := a.deps.Power.Status().Decision.Budget.BrightnessPercent
	if b <= 0 || b >= 100 {
		return
	}
	shade := color.RGBA{A: uint8((100 - b) / 100 * 0.8 * 255)}
	vector.FillRect(dst, 0, 0, float32(dst.Bounds().Dx()), float32(dst.Bounds().Dy()), shade, false)
}

// drawPrivacyIcon shows the privacy mode in the top-right corner: an eye,
// crossed out unless the live picture is shown, and the mode's name.
func (a *App) drawPrivacyIcon(dst *ebiten.Image, unit float64) {
	cw := float32(dst.Bounds().Dx())
	r := float32(2 * unit)
	cx, cy := cw-r*2, r*1.6
	vector.FillCircle(dst, cx, cy, r*1.4, colorShade, true)
	ellipse(dst, cx, cy, r, r*0.6, colorInk)
	vector.FillCircle(dst, cx, cy, r*0.4, colorBackdropTop, true)
	if mode := a.deps.Session.Privacy(); mode != "live" {
		line(dst, cx-r, cy+r, cx+r, cy-r, r*0.25, colorDemo)
		face := a.fonts.Face(1.6*unit, false)
		w, _ := label(dst, face, mode, 0, -1e4, colorInk, colorShade)
		label(dst, face, mode, float64(cx)-w/2, float64(cy+r*1.5), colorInk, colorShade)
	}
}

// commandNames are the help overlay's words for each command.
var commandNames = map[game.Command]string{
	game.CmdHelp: "this help", game.CmdStart: "start the next game", game.CmdNextGame: "skip to the next game",
	game.CmdAttract: "attract mode", game.CmdPause: "pause / resume", game.CmdPrivacy: "privacy mode (live, pixelated, silhouette, none)",
	game.CmdOverlay: "operator overlay", game.CmdBrighter: "brighter", game.CmdDimmer: "dimmer",
	game.CmdMute: "sound off / on", game.CmdRecalibrate: "re-calibrate motion", game.CmdResetBoard: "reset today's leaderboard",
	game.CmdQuit: "quit", game.CmdConfirm: "yes (confirm reset or quit)",
}

// helpText lists the keys as configured.
func (a *App) helpText() string {
	var b strings.Builder
	byCmd := map[game.Command][]string{}
	var order []game.Command
	for _, k := range a.keys {
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
	rot := a.rotation()
	for i, g := range rot {
		title, _ := game.About(g)
		fmt.Fprintf(&b, "%-14s %s\n", fmt.Sprintf("Digit%d", i+1), title)
	}
	return strings.TrimRight(b.String(), "\n")
}

func (a *App) rotation() []string { return a.deps.Session.Rotation() }

func (a *App) drawHelp(dst *ebiten.Image, unit float64) {
	face := a.fonts.Face(max(12, 1.9*unit), true)
	s := a.helpText()
	w, h := label(dst, face, s, 0, -1e4, colorInk, colorShade)
	cw, ch := float64(dst.Bounds().Dx()), float64(dst.Bounds().Dy())
	label(dst, face, s, (cw-w)/2, max(unit, (ch-h)/2), colorInk, color.RGBA{0, 0, 0, 0xe0})
}

// drawOperator shows the presenter how the kiosk keeps up.
func (a *App) drawOperator(dst *ebiten.Image, unit float64) {
	o, st := &a.obs, &a.status
	now := time.Now()
	age := time.Duration(0)
	if !st.CapturedAt.IsZero() {
		age = now.Sub(st.CapturedAt)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "drawn    %5.1f fps   logic %5.1f ticks/s\n", a.drawn.Value(now), a.logicRate)
	fmt.Fprintf(&b, "camera   %5.1f fps   frame %4.0f ms old   %s\n", st.CameraRate, ms(age), a.deps.Eyes.SourceName())
	if a.deps.Camera != nil {
		st := a.deps.Camera()
		state := "live"
		if !st.Live {
			state = "resting: " + st.Reason
		}
		fmt.Fprintf(&b, "         %s   outages %d   recoveries %d\n", state, st.Outages, st.Recoveries)
	}
	detectorLine(&b, "objects", &st.Objects, len(o.Objects))
	detectorLine(&b, "faces", &st.Faces, len(o.Faces))
	people := 0
	for _, t := range o.ObjectTracks {
		if t.Label == "person" && t.Missed == 0 {
			people++
		}
	}
	player := "none"
	if o.HasPlayer {
		player = fmt.Sprintf("#%d", o.Player.ID)
	}
	fmt.Fprintf(&b, "players  %d in view   primary %s\n", people, player)
	fmt.Fprintf(&b, "battery  %s\n", a.batteryLine())
	played, disabled := a.deps.Session.Played(), ""
	if d := a.deps.Session.Disabled(); len(d) > 0 {
		disabled = "   out: " + strings.Join(d, ", ")
	}
	fmt.Fprintf(&b, "memory   %d MB   up %s   games played %d%s", a.rss>>20, now.Sub(a.started).Round(time.Second), played, disabled)
	face := a.fonts.Face(max(11, 1.7*unit), true)
	s := b.String()
	_, h := label(dst, face, s, 0, -1e4, colorInk, colorShade)
	label(dst, face, s, unit, float64(dst.Bounds().Dy())-h-unit, colorInk, colorShade)
}

// detectorLine is one detector's line of the operator overlay: its time,
// rate and finds, or that it is off, or failing and why.
func detectorLine(b *strings.Builder, name string, d *sight.DetectorStatus, found int) {
	switch {
	case !d.On:
		fmt.Fprintf(b, "%-8s off\n", name)
	case d.Err != nil:
		fmt.Fprintf(b, "%-8s FAILING (%d runs): %.60s\n", name, d.Failures, d.Err.Error())
	default:
		fmt.Fprintf(b, "%-8s %5.1f ms   %4.1f/s   %d found\n", name, ms(d.Timings.Inference), d.Rate, found)
	}
}

// batteryLine is the operator overlay's power line.
func (a *App) batteryLine() string {
	if a.deps.Power == nil {
		return "unknown"
	}
	st := a.deps.Power.Status()
	if !st.Read {
		return "reading..."
	}
	if !st.State.HasBattery {
		return fmt.Sprintf("no battery (mains)   level %s", st.Decision.Level)
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
	return fmt.Sprintf("%s %s%s%s   level %s: %.0f%% bright, %.0f fps, %.0f/%.0f Hz",
		percent(st.State.Percent), src, left, sim, st.Decision.Level, bd.BrightnessPercent, bd.DrawFPS, bd.ObjectHz, bd.FaceHz)
}

func percent(p float64) string {
	if p < 0 {
		return "?%"
	}
	return fmt.Sprintf("%.0f%%", p)
}
