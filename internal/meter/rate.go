// Package meter measures rates for the overlays and benchmarks.
package meter

import "time"

// Rate measures events per second over a sliding window of about a second,
// without allocating.
type Rate struct {
	stamps [64]time.Time
	n      int
}

// Tick records one event at now.
func (r *Rate) Tick(now time.Time) {
	r.stamps[r.n%len(r.stamps)] = now
	r.n++
}

// Value is the rate in events per second as of now; 0 after two quiet
// seconds.
func (r *Rate) Value(now time.Time) float64 {
	count := min(r.n, len(r.stamps))
	if count < 2 {
		return 0
	}
	newest := r.stamps[(r.n-1)%len(r.stamps)]
	if now.Sub(newest) > 2*time.Second {
		return 0 // nothing recent: the source has stalled
	}
	// Use the stamps of the last second, or all we keep if fewer.
	oldest, k := newest, 0
	for i := 1; i < count; i++ {
		s := r.stamps[(r.n-1-i)%len(r.stamps)]
		if newest.Sub(s) > time.Second {
			break
		}
		oldest, k = s, i
	}
	if k == 0 {
		return 0
	}
	return float64(k) / newest.Sub(oldest).Seconds()
}
