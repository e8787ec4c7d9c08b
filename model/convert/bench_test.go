package convert_test

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/carrierarcade/kiosk/internal/testenv"
	"github.com/carrierarcade/kiosk/model/convert"
	"github.com/stretchr/testify/require"
)

// Figures for the converter's note (not tests: nothing here depends on the
// machine's speed). Run:
//
//	go test -run '^$' -bench . -benchtime 40x ./model/convert
//
// BenchmarkConvert: one conversion of each model. BenchmarkInference: one
// run of each converted model by ONNX Runtime with 1 and 2 threads (as the
// kiosk's detectors run: spinning off); for the two landmark models the
// reference conversion runs in turn with ours, and the ratio is reported.
func BenchmarkConvert(b *testing.B) {
	for _, name := range mediapipeModels {
		path := testenv.Model(b, filepath.Join("mediapipe", name+".tflite"))
		src, err := os.ReadFile(path)
		require.NoError(b, err)
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := convert.Convert(src, path, convert.Origin{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkInference(b *testing.B) {
	runtime(b)
	for _, name := range mediapipeModels {
		ours := converted(b, name)
		var ref []byte
		if name == "pose_landmark_lite" || name == "hand_landmark_lite" {
			ref, _ = os.ReadFile(shared("models", "reference", name+".onnx"))
		}
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/threads=%d", name, threads), func(b *testing.B) {
				run := newBenchSession(b, ours, threads)
				if ref == nil {
					for b.Loop() {
						run()
					}
					return
				}
				// Ours and the reference take turns, so that the load
				// of a shared machine weighs on both alike.
				other := newBenchSession(b, ref, threads)
				var tOurs, tRef time.Duration
				n := 0
				for b.Loop() {
					t0 := time.Now()
					run()
					t1 := time.Now()
					other()
					tOurs, tRef = tOurs+t1.Sub(t0), tRef+time.Since(t1)
					n++
				}
				b.ReportMetric(float64(tOurs.Microseconds())/1000/float64(n), "ours-ms")
				b.ReportMetric(float64(tRef.Microseconds())/1000/float64(n), "reference-ms")
				b.ReportMetric(float64(tOurs)/float64(tRef), "ours/reference")
			})
		}
	}
}

// newBenchSession prepares one session with its tensors made once and
// returns its Run.
func newBenchSession(b *testing.B, data []byte, threads int) func() {
	ins, outs, err := ort.GetInputOutputInfoWithONNXData(data)
	require.NoError(b, err)
	in, err := ort.NewEmptyTensor[float32](ins[0].Dimensions)
	require.NoError(b, err)
	b.Cleanup(func() { in.Destroy() })
	r := rand.New(rand.NewSource(1))
	for i, v := range in.GetData() {
		in.GetData()[i] = v + r.Float32()
	}
	var names []string
	var vals []ort.Value
	for _, o := range outs {
		t, err := ort.NewEmptyTensor[float32](o.Dimensions)
		require.NoError(b, err)
		b.Cleanup(func() { t.Destroy() })
		names, vals = append(names, o.Name), append(vals, t)
	}
	opts, err := ort.NewSessionOptions()
	require.NoError(b, err)
	defer opts.Destroy()
	require.NoError(b, opts.SetIntraOpNumThreads(threads))
	require.NoError(b, opts.SetInterOpNumThreads(1))
	require.NoError(b, opts.AddSessionConfigEntry("session.intra_op.allow_spinning", "0"))
	s, err := ort.NewAdvancedSessionWithONNXData(data, []string{ins[0].Name}, names, []ort.Value{in}, vals, opts)
	require.NoError(b, err)
	b.Cleanup(func() { s.Destroy() })
	require.NoError(b, s.Run()) // warm up
	return func() {
		if err := s.Run(); err != nil {
			b.Fatal(err)
		}
	}
}
