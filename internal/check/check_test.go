package check_test

import (
	"math"
	"testing"

	"github.com/carrierarcade/kiosk/internal/check"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProblems(t *testing.T) {
	var ps check.Problems
	ps.Range("a", 5, 0, 10)
	ps.Range("b", 11, 0, 10)
	ps.Range("c", math.NaN(), 0, 10)
	ps.OneOf("d", "x", "y", "z")
	ps.OneOf("e", "y", "y", "z")
	ps = ps.Under("sec")
	require.Len(t, ps, 3)
	assert.Equal(t, "sec.b: is 11, allowed 0 to 10", ps[0].Error())
	assert.Equal(t, "sec.c", ps[1].Key, "NaN is outside every range")
	assert.Equal(t, `sec.d: is "x", allowed "y", "z"`, ps[2].Error())
	assert.ErrorContains(t, ps.Err(), "sec.b")
	assert.NoError(t, check.Problems(nil).Err())
}
