package bench

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/carrierarcade/kiosk/booth"
	"github.com/carrierarcade/kiosk/sight"

	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/internal/meter"
	"github.com/carrierarcade/kiosk/model"
	"github.com/carrierarcade/kiosk/vision"
	"gocv.io/x/gocv"
)

// Stage is one stage's timing in the benchmark, in milliseconds.
type Stage struct {
	P50 float64 `json:"p50_ms"`
	P95 float64 `json:"p95_ms"`
}

// BenchResult is what 'kiosk bench --json' prints.
type BenchResult struct {
	Frames int              `json:"frames"`
	FPS    float64          `json:"fps"`
	Stages map[string]Stage `json:"stages"`
	// AllocsPerFrame counts heap allocations per frame after warm-up;
	// Early (frames 100-199) and Late (the last 100) show whether they grow.
	AllocsPerFrame float64 `json:"allocs_per_frame"`
	AllocsEarly    float64 `json:"allocs_per_frame_early"`
	AllocsLate     float64 `json:"allocs_per_frame_late"`
	PeakRSSMB      float64 `json:"peak_rss_mb"`
	CPUPerSecond   float64 `json:"cpu_seconds_per_second"`
	Threads        int     `json:"threads"`
	Model          string  `json:"model"`
	Machine        string  `json:"machine"`

	OpenCV  *OpenCVResult `json:"opencv,omitempty"`
	Speedup float64       `json:"speedup_vs_opencv,omitempty"`
}

// OpenCVResult is the same model run through OpenCV's DNN module.
type OpenCVResult struct {
	InferenceP50 float64 `json:"inference_p50_ms"`
	InferenceP95 float64 `json:"inference_p95_ms"`
}

// benchStages are the stages measured on every frame, in order.
var benchStages = []string{"capture", "preprocess", "inference", "postprocess", "tracking", "motion", "faces"}

// Pipeline runs the pipeline's own stages (vision.Pipeline.Step: the
// detectors, their trackers and motion, as the kiosk runs them) on every
// frame of the clip, in this goroutine, and times each from the status the
// pipeline keeps.
func Pipeline(l config.Loaded, sp vision.Spec, dets *booth.Detectors, frames int) (*BenchResult, error) {
	const warmup = 20
	src, err := vision.Open(sp, l.SourceFor(sp.String()), l.Base)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	motion := vision.NewMotion(l.Motion)
	defer motion.Close()
	// Rates far above any clip's frame rate: every stage runs on every frame.
	every := vision.Rates{ObjectHz: 1e6, FaceHz: 1e6, MotionHz: 1e6}
	pipe := vision.NewPipeline(nil, vision.PipelineParts{Objects: dets.Objects, Faces: dets.Faces,
		Motion: motion, Mirror: l.Display.Mirror}, every)
	frame := gocv.NewMat()
	defer frame.Close()

	times := make(map[string][]time.Duration, len(benchStages))
	for _, s := range benchStages {
		times[s] = make([]time.Duration, 0, frames)
	}
	var obs sight.Observation
	var st sight.Status
	var ms runtime.MemStats
	mallocsAt := make([]uint64, 0, frames+1)
	var start time.Time
	var cpuStart time.Duration

	for i := 0; i < warmup+frames; i++ {
		if i == warmup {
			runtime.GC()
			start, cpuStart = time.Now(), cpuTime()
		}
		if i >= warmup {
			runtime.ReadMemStats(&ms)
			mallocsAt = append(mallocsAt, ms.Mallocs)
		}
		t0 := time.Now()
		ts, err := src.Read(&frame)
		if errors.Is(err, vision.ErrEnd) {
			if i < warmup+10 {
				return nil, fmt.Errorf("the clip ended after %d frames; bench needs at least %d (use a looping source, file:PATH)", i, warmup+10)
			}
			frames = i - warmup
			break
		}
		if err != nil {
			return nil, err
		}
		capture := time.Since(t0)
		pipe.Step(frame, vision.FrameInfo{Frame: sight.Frame{Seq: uint64(i + 1), Time: ts, W: frame.Cols(), H: frame.Rows()}})
		pipe.Observe(&obs, &st)
		for _, d := range []*sight.DetectorStatus{&st.Objects, &st.Faces} {
			if d.Err != nil {
				return nil, fmt.Errorf("a detector failed on frame %d: %w", i+1, d.Err)
			}
		}
		if i < warmup {
			continue
		}
		ot, ft := st.Objects.Timings, st.Faces.Timings
		times["capture"] = append(times["capture"], capture)
		times["preprocess"] = append(times["preprocess"], ot.Preprocess)
		times["inference"] = append(times["inference"], ot.Inference)
		times["postprocess"] = append(times["postprocess"], ot.Postprocess)
		times["tracking"] = append(times["tracking"], st.TrackTime)
		times["motion"] = append(times["motion"], st.MotionTime)
		times["faces"] = append(times["faces"], ft.Preprocess+ft.Inference+ft.Postprocess)
	}
	wall := time.Since(start)
	cpu := cpuTime() - cpuStart
	runtime.ReadMemStats(&ms)
	mallocsAt = append(mallocsAt, ms.Mallocs)

	_, peak := meter.RSS()
	res := &BenchResult{
		Frames:       frames,
		FPS:          round2(float64(frames) / wall.Seconds()),
		Stages:       map[string]Stage{},
		PeakRSSMB:    round2(float64(peak) / (1 << 20)),
		CPUPerSecond: round2(cpu.Seconds() / wall.Seconds()),
		Threads:      l.Model.Objects.Threads,
		Model:        dets.Objects.Info().Path,
		Machine:      machine(),
	}
	for _, s := range benchStages {
		if s == "faces" && dets.Faces == nil {
			continue
		}
		res.Stages[s] = percentiles(times[s])
	}
	perFrame := func(from, to int) float64 {
		if to <= from || to >= len(mallocsAt) {
			return 0
		}
		return round2(float64(mallocsAt[to]-mallocsAt[from]) / float64(to-from))
	}
	n := len(mallocsAt) - 1
	res.AllocsPerFrame = perFrame(0, n)
	res.AllocsEarly = perFrame(min(100, n/2), min(200, n))
	res.AllocsLate = perFrame(max(0, n-100), n)
	return res, nil
}

// OpenCV runs the YOLOX model through OpenCV's DNN module on the same
// letterboxed input, with the same number of threads.
func OpenCV(l config.Loaded, sp vision.Spec, info model.Info, frames int) (*OpenCVResult, error) {
	vision.SetOpenCVThreads(l.Model.Objects.Threads)
	net := gocv.ReadNetFromONNX(info.Path)
	if net.Empty() {
		return nil, fmt.Errorf("OpenCV's DNN module cannot read %s", info.Path)
	}
	defer net.Close()
	src, err := vision.Open(sp, l.SourceFor(sp.String()), l.Base)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	frame, boxed, blob := gocv.NewMat(), gocv.NewMat(), gocv.NewMat()
	defer frame.Close()
	defer boxed.Close()
	defer blob.Close()
	var times []time.Duration
	for i := 0; i < frames+5; i++ {
		if _, err := src.Read(&frame); err != nil {
			break
		}
		lb := model.NewLetterbox(frame.Cols(), frame.Rows(), info.InputW, info.InputH, false)
		gocv.Resize(frame, &boxed, image.Pt(lb.W, lb.H), 0, 0, gocv.InterpolationLinear)
		gocv.CopyMakeBorder(boxed, &boxed, 0, info.InputH-lb.H, 0, info.InputW-lb.W, gocv.BorderConstant, color.RGBA{114, 114, 114, 0})
		blob.Close()
		blob = gocv.BlobFromImage(boxed, 1, image.Pt(info.InputW, info.InputH), gocv.NewScalar(0, 0, 0, 0), false, false)
		t0 := time.Now()
		net.SetInput(blob, "")
		out := net.Forward("")
		d := time.Since(t0)
		out.Close()
		if i >= 5 { // the first runs set up OpenCV's buffers
			times = append(times, d)
		}
	}
	if len(times) == 0 {
		return nil, fmt.Errorf("no frames from %s for the OpenCV comparison", sp)
	}
	s := percentiles(times)
	return &OpenCVResult{InferenceP50: s.P50, InferenceP95: s.P95}, nil
}

func percentiles(ds []time.Duration) Stage {
	if len(ds) == 0 {
		return Stage{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	at := func(q float64) float64 {
		return round2(float64(s[min(len(s)-1, int(q*float64(len(s))))].Microseconds()) / 1000)
	}
	return Stage{P50: at(0.5), P95: at(0.95)}
}

func round2(v float64) float64 { return float64(int64(v*100+0.5)) / 100 }

// Ratio is a / b to two decimals, as the benches print their figures.
func Ratio(a, b float64) float64 { return round2(a / b) }

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// machine names the CPU and core count the figures came from.
func machine() string {
	name := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				name = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("%s, %d cores", name, runtime.NumCPU())
}

func PrintPipeline(w io.Writer, r *BenchResult) {
	fmt.Fprintf(w, "%d frames at %.1f fps on %s (%d inference threads)\n", r.Frames, r.FPS, r.Machine, r.Threads)
	fmt.Fprintf(w, "%-12s %8s %8s\n", "stage", "p50 ms", "p95 ms")
	for _, s := range benchStages {
		if st, ok := r.Stages[s]; ok {
			fmt.Fprintf(w, "%-12s %8.2f %8.2f\n", s, st.P50, st.P95)
		}
	}
	fmt.Fprintf(w, "allocations per frame %.1f (frames 100-199: %.1f, last 100: %.1f)\npeak RSS %.0f MB, CPU %.2f s per second\n",
		r.AllocsPerFrame, r.AllocsEarly, r.AllocsLate, r.PeakRSSMB, r.CPUPerSecond)
	if r.OpenCV != nil {
		fmt.Fprintf(w, "OpenCV DNN inference p50 %.2f ms, p95 %.2f ms: ONNX Runtime is %.1fx faster\n",
			r.OpenCV.InferenceP50, r.OpenCV.InferenceP95, r.Speedup)
	}
}
