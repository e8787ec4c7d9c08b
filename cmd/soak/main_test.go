package main

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/carrierarcade/kiosk/health"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A sample is read by name from the real /metrics and a link status,
// and what is absent (a field the link does not have yet, a status that
// did not answer) prints as "-", never as 0.
func TestReadSampleByName(t *testing.T) {
	srv := health.New(health.Options{})
	srv.WatchLink(func() health.Link { return health.Link{Up: true, Sent: 12, Queued: 3} })
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", health.MetricsPath, nil))
	metrics, err := io.ReadAll(rec.Result().Body)
	require.NoError(t, err)

	s, err := readSample(string(metrics), `{"enabled":true,"running":true,"up":true,"sent":12,"acked":11,"queued":3,"dropped":0,"last_error":"hub away"}`)
	require.NoError(t, err)
	require.NotNil(t, s.rss)
	assert.Greater(t, *s.rss, float64(1<<20))
	require.NotNil(t, s.goroutines)
	require.NotNil(t, s.fds)
	assert.Equal(t, 12.0, *s.metricSent)
	assert.Equal(t, 1.0, *s.metricUp)
	assert.Equal(t, 3.0, *s.metricQueued)
	assert.Nil(t, s.metricAcked, "no acked metric (yet): absent, not 0")
	assert.Equal(t, 11.0, *s.acked)
	assert.True(t, *s.linkUp)
	line := s.String()
	assert.Contains(t, line, "acked 11 (metric -)")
	assert.Contains(t, line, "last error: hub away")

	s, err = readSample(string(metrics), `{"enabled":true,"running":true,"up":false,"sent":12}`)
	require.NoError(t, err)
	assert.Nil(t, s.acked)
	assert.Contains(t, s.String(), "acked - (metric -)")
	assert.Contains(t, s.String(), "link up false")

	s, err = readSample(string(metrics), "")
	require.NoError(t, err)
	assert.Nil(t, s.linkUp)
	assert.True(t, strings.Contains(s.String(), "link up - (metric 1)"))

	_, err = readSample("not metrics {{{", "")
	assert.Error(t, err)
}
