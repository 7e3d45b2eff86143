package logplot

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// seq returns n depths from start by step.
func seq(n int, start, step float64) []float64 {
	d := make([]float64, n)
	for i := range d {
		d[i] = start + float64(i)*step
	}
	return d
}

func TestDecimate(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	tests := []struct {
		name   string
		depth  []float64
		values []float64
		bins   int
		want   [][]point
	}{
		{
			name:   "OKFewSamplesKeptWithGap",
			depth:  seq(5, 0, 1),
			values: []float64{0.1, 0.2, nan, 0.4, 0.5},
			bins:   10,
			want:   [][]point{{{0.1, 0}, {0.2, 1}}, {{0.4, 3}, {0.5, 4}}},
		},
		{
			name:  "OKMinMaxPerBinInDepthOrder",
			depth: seq(12, 0, 1),
			// bins of 4 samples over 0–12: max then min, min then max, flat
			values: []float64{0.5, 0.9, 0.2, 0.5, 0.3, 0.1, 0.7, 0.3, 0.4, 0.4, 0.4, 0.4},
			bins:   3,
			want:   [][]point{{{0.9, 1}, {0.2, 2}, {0.1, 5}, {0.7, 6}, {0.4, 8}}},
		},
		{
			name:   "OKGapAcrossBinsBreaksLine",
			depth:  seq(12, 0, 1),
			values: []float64{0.5, 0.6, 0.7, nan, nan, nan, nan, nan, 0.1, 0.2, 0.3, 0.4},
			bins:   3,
			want:   [][]point{{{0.5, 0}, {0.7, 2}}, {{0.1, 8}, {0.4, 11}}},
		},
		{
			name:   "OKDecreasingDepth",
			depth:  seq(8, 7, -1),
			values: []float64{0.1, 0.9, 0.5, 0.5, 0.3, 0.2, 0.8, 0.6},
			bins:   2, // bin 1 holds depths 7..4, bin 0 holds 3..0
			want:   [][]point{{{0.1, 7}, {0.9, 6}, {0.2, 2}, {0.8, 1}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := samples{Values: tt.values, Factor: 1}
			lo, hi := min(tt.depth[0], tt.depth[len(tt.depth)-1]), max(tt.depth[0], tt.depth[len(tt.depth)-1])
			got := decimate(tt.depth, s, 0, len(tt.depth), lo, hi+1e-9, tt.bins)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(point{})); diff != "" {
				t.Errorf("decimate (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDecimateBounded checks the size bound: at most two vertices per bin, whatever the length.
func TestDecimateBounded(t *testing.T) {
	t.Parallel()
	const n, bins = 1_000_000, 700
	depth := seq(n, 100, 0.001)
	vals := make([]float64, n)
	for i := range vals {
		vals[i] = math.Sin(float64(i))
	}
	lines := decimate(depth, samples{Values: vals, Factor: 1}, 0, n, depth[0], depth[n-1], bins)
	total := 0
	for _, l := range lines {
		total += len(l)
	}
	if len(lines) != 1 || total > 2*bins {
		t.Errorf("%d lines, %d vertices; want 1 line, ≤ %d vertices", len(lines), total, 2*bins)
	}
}

// TestSamplesNull checks what decimate treats as NULL: NaN, ±Inf, and values ≤ 0 for a log
// scale; and that the factor converts units (K/M3 to g/cc).
func TestSamplesNull(t *testing.T) {
	t.Parallel()
	s := samples{Values: []float64{2550, math.NaN(), math.Inf(1), math.Inf(-1), 0, -1}, Factor: 0.001}
	if v, null := s.at(0); null || math.Abs(v-2.55) > 1e-12 {
		t.Errorf("at(0) = %g, %v; want 2.55, false", v, null)
	}
	for i := 1; i <= 3; i++ {
		if _, null := s.at(i); !null {
			t.Errorf("sample %d (%g) is not NULL", i, s.Values[i])
		}
	}
	for i := 4; i <= 5; i++ {
		if _, null := s.at(i); null {
			t.Errorf("linear: sample %d (%g) is NULL", i, s.Values[i])
		}
		s.Positive = true
		if _, null := s.at(i); !null {
			t.Errorf("log: sample %d (%g) is not NULL", i, s.Values[i])
		}
		s.Positive = false
	}
}
