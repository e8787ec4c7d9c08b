package game

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
)

// soundNames are the sounds Synth makes.
var soundNames = []string{"beep", "go", "chime", "pop", "alarm", "fanfare", "hit", "catch"}

// SoundNames are the sounds Synth makes, for loading them all at start.
func SoundNames() []string { return slices.Clone(soundNames) }

// SoundFor is the sound an event plays, if any.
func SoundFor(e Event) (name string, ok bool) {
	switch e.Kind {
	case KindCountdown:
		return "beep", true
	case KindRoundStart:
		return "go", true
	case KindFind:
		return "chime", true
	case KindPop:
		return "pop", true
	case KindLight:
		if e.Color == LightRed {
			return "alarm", true
		}
		return "go", true
	case KindMoved, KindHit:
		return "hit", true
	case KindCatch:
		return "catch", true
	case KindRoundEnd:
		return "fanfare", true
	}
	return "", false
}

// Synth makes a sound as 16-bit little-endian stereo PCM at sampleRate:
// the kiosk carries no sound files. Every note fades in and out over a few
// milliseconds so that nothing clicks. Nil for an unknown name.
func Synth(name string, sampleRate int) []byte {
	if sampleRate <= 0 {
		return nil
	}
	s := &synth{rate: float64(sampleRate)}
	switch name {
	case "beep":
		s.note(0, 0.12, 880, 880, sine, 0.4, 0)
	case "go":
		s.note(0, 0.25, 1320, 1320, sine, 0.4, 0)
	case "chime": // two rising notes
		s.note(0, 0.12, 784, 784, sine, 0.4, 6)
		s.note(0.1, 0.3, 1175, 1175, sine, 0.4, 6)
	case "pop": // a quick drop in pitch, with a breath of noise
		s.note(0, 0.08, 900, 200, sine, 0.45, 20)
		s.noise(0, 0.03, 0.15)
	case "alarm": // two tones, twice
		for i := range 4 {
			f := []float64{660, 440}[i%2]
			s.note(float64(i)*0.15, 0.14, f, f, soft, 0.35, 0)
		}
	case "fanfare": // a rising arpeggio
		for i, f := range []float64{523.25, 659.25, 783.99} {
			s.note(float64(i)*0.1, 0.1, f, f, soft, 0.35, 0)
		}
		s.note(0.3, 0.35, 1046.5, 1046.5, soft, 0.35, 3)
	case "hit": // a low thud
		s.note(0, 0.2, 160, 50, sine, 0.5, 10)
		s.noise(0, 0.06, 0.2)
	case "catch": // a quick rise
		s.note(0, 0.12, 700, 1400, sine, 0.4, 0)
	default:
		return nil
	}
	return s.pcm()
}

// synth mixes notes into mono samples, -1..1.
type synth struct {
	rate float64
	buf  []float64
}

// sine and soft are waveforms of a phase in radians; soft is a square's
// first three partials, buzzier than a sine without a square's harshness.
func sine(p float64) float64 { return math.Sin(p) }
func soft(p float64) float64 { return 0.8 * (math.Sin(p) + math.Sin(3*p)/3 + math.Sin(5*p)/5) }

// Envelope edges, in seconds: long enough that no note clicks.
const (
	synthAttack  = 0.005
	synthRelease = 0.02
)

// span makes room for a sound from start lasting dur seconds and returns
// its first sample and its length in samples.
func (s *synth) span(start, dur float64) (int, int) {
	i0, n := int(start*s.rate), max(int(dur*s.rate), 2)
	if len(s.buf) < i0+n {
		s.buf = append(s.buf, make([]float64, i0+n-len(s.buf))...)
	}
	return i0, n
}

// envelope rises from 0 over the attack and falls to 0 at the last sample.
func (s *synth) envelope(i, n int) float64 {
	a := float64(i) / (synthAttack * s.rate)
	r := float64(n-1-i) / (synthRelease * s.rate)
	return min(a, r, 1)
}

// note adds a tone gliding exponentially from f0 to f1 Hz, decaying at
// decay per second (0: held).
func (s *synth) note(start, dur, f0, f1 float64, wave func(float64) float64, amp, decay float64) {
	i0, n := s.span(start, dur)
	phase := 0.0
	for i := range n {
		t := float64(i) / s.rate
		f := f0 * math.Pow(f1/f0, float64(i)/float64(n))
		s.buf[i0+i] += amp * s.envelope(i, n) * math.Exp(-decay*t) * wave(phase)
		phase += 2 * math.Pi * f / s.rate
	}
}

// noise adds white noise falling away quickly; the same every time.
func (s *synth) noise(start, dur, amp float64) {
	r := rand.New(rand.NewPCG(1, 2))
	i0, n := s.span(start, dur)
	for i := range n {
		fade := 1 - float64(i)/float64(n)
		s.buf[i0+i] += amp * s.envelope(i, n) * fade * (2*r.Float64() - 1)
	}
}

// pcm is the mix as 16-bit little-endian stereo.
func (s *synth) pcm() []byte {
	out := make([]byte, 0, 4*len(s.buf))
	for _, v := range s.buf {
		x := int16(math.Round(min(max(v, -1), 1) * math.MaxInt16))
		out = binary.LittleEndian.AppendUint16(out, uint16(x))
		out = binary.LittleEndian.AppendUint16(out, uint16(x))
	}
	return out
}
