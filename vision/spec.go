// Package vision is where pixels come from and what is measured from them:
// frame sources (camera, clip), the capture loop, motion, and the pipeline
// that hands observations to the game.
package vision

import (
	"fmt"
	"strconv"
	"strings"
)

// Spec says where frames come from: "camera:0", "camera:/dev/video2",
// "file:PATH" (looped) or "file:PATH?loop=0" (plays once); a clip may start
// some seconds in: "file:PATH?start=40" (its frames' times count from there,
// and a loop starts again at 0).
type Spec struct {
	Kind   string  // "camera" or "file"
	Device int     // camera index; -1 when Path names the device
	Path   string  // device node or clip file
	Loop   bool    // files: start again at the end
	Start  float64 // files: seconds into the clip to start at
}

const specHelp = `use camera:0, camera:/dev/videoN, file:PATH, file:PATH?loop=0 or file:PATH?start=SECONDS`

// ParseSpec reads a source spec.
func ParseSpec(s string) (Spec, error) {
	kind, rest, ok := strings.Cut(s, ":")
	if !ok || rest == "" {
		return Spec{}, fmt.Errorf("source %q: %s", s, specHelp)
	}
	switch kind {
	case "camera":
		if n, err := strconv.Atoi(rest); err == nil {
			if n < 0 {
				return Spec{}, fmt.Errorf("source %q: camera index must be 0 or more", s)
			}
			return Spec{Kind: "camera", Device: n}, nil
		}
		if !strings.HasPrefix(rest, "/dev/") {
			return Spec{}, fmt.Errorf("source %q: a camera is a number (camera:0) or a device node (camera:/dev/video0)", s)
		}
		return Spec{Kind: "camera", Device: -1, Path: rest}, nil
	case "file":
		sp := Spec{Kind: "file", Device: -1, Path: rest, Loop: true}
		if path, query, ok := strings.Cut(rest, "?"); ok {
			sp.Path = path
			for _, kv := range strings.Split(query, "&") {
				k, v, _ := strings.Cut(kv, "=")
				switch {
				case k == "loop" && (v == "0" || v == "false"):
					sp.Loop = false
				case k == "loop" && (v == "1" || v == "true"):
					sp.Loop = true
				case k == "loop":
					return Spec{}, fmt.Errorf("source %q: loop is %q; allowed loop=0 (play the clip once) or loop=1 (play it again and again, as without ?loop)", s, v)
				case k == "start":
					secs, err := strconv.ParseFloat(v, 64)
					if err != nil || secs < 0 || secs > 86400 {
						return Spec{}, fmt.Errorf("source %q: start is %q; it wants seconds into the clip, 0 or more", s, v)
					}
					sp.Start = secs
				default:
					return Spec{}, fmt.Errorf("source %q: unknown option %q (loop=0, loop=1 or start=SECONDS)", s, kv)
				}
			}
		}
		if sp.Path == "" {
			return Spec{}, fmt.Errorf("source %q: no file path; %s", s, specHelp)
		}
		return sp, nil
	}
	return Spec{}, fmt.Errorf("source %q: unknown kind %q; %s", s, kind, specHelp)
}

// String gives the spec back in the form ParseSpec reads.
func (s Spec) String() string {
	switch {
	case s.Kind == "camera" && s.Device >= 0:
		return fmt.Sprintf("camera:%d", s.Device)
	case s.Kind == "camera":
		return "camera:" + s.Path
	}
	var opts []string
	if !s.Loop {
		opts = append(opts, "loop=0")
	}
	if s.Start > 0 {
		opts = append(opts, "start="+strconv.FormatFloat(s.Start, 'g', -1, 64))
	}
	if len(opts) > 0 {
		return "file:" + s.Path + "?" + strings.Join(opts, "&")
	}
	return "file:" + s.Path
}
