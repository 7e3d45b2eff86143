package logplot

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFitScale(t *testing.T) {
	t.Parallel()
	gr := scale{Left: 0, Right: 150}
	neu := scale{Left: 0.45, Right: -0.15}
	res := resistivityScale
	tests := []struct {
		name    string
		def     scale
		p1, p99 float64
		ok      bool
		want    scale
	}{
		{"DefaultFits", gr, 12, 140, true, gr},
		{"FallbackAbove", gr, 12, 260, true, scale{Left: 0, Right: 275}},
		{"FallbackKeepsReversed", neu, 0.05, 0.62, true, scale{Left: 0.7, Right: 0}},
		{"ReversedDefaultFits", neu, -0.02, 0.41, true, neu},
		{"LogFallbackDecades", res, 0.05, 30, true, scale{Left: 0.01, Right: 100, Log: true}},
		{"LogDefaultFits", res, 0.3, 1500, true, res},
		{"NoDataKeepsDefault", gr, 0, 0, false, gr},
		{"NoDefaultUsesData", scale{}, 3012, 3498, true, scale{Left: 3000, Right: 3500}},
		{"NoDefaultNoData", scale{}, 0, 0, false, scale{Left: 0, Right: 1}},
		{"ConstantOutside", scale{Left: 6, Right: 16}, 17.5, 17.5, true, scale{Left: 15.5, Right: 19.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := fitScale(tt.def, tt.p1, tt.p99, tt.ok)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(scale{})); diff != "" {
				t.Errorf("fitScale(%v, %g, %g) (-want +got):\n%s", tt.def, tt.p1, tt.p99, diff)
			}
		})
	}
}

func TestPercentiles(t *testing.T) {
	t.Parallel()
	vals := make([]float64, 1000)
	for i := range vals {
		vals[i] = float64(i + 1) // 1…1000
	}
	vals[500] = math.NaN()
	p1, p99, ok := percentiles([]percentileInput{{values: vals, factor: 0.01}}, 0, len(vals))
	if !ok || math.Abs(p1-0.10) > 1e-9 || math.Abs(p99-9.90) > 0.011 {
		t.Errorf("percentiles = %g, %g, %v; want 0.10, 9.90, true", p1, p99, ok)
	}
	// log curves ignore values ≤ 0
	if _, _, ok := percentiles([]percentileInput{{values: []float64{0, -1, math.NaN()}, factor: 1, log: true}}, 0, 3); ok {
		t.Error("percentiles of no valid log values: ok = true")
	}
	// long curves are sampled, deterministically
	long := make([]float64, 3_000_000)
	for i := range long {
		long[i] = float64(i % 1000)
	}
	a1, a99, _ := percentiles([]percentileInput{{values: long, factor: 1}}, 0, len(long))
	b1, b99, _ := percentiles([]percentileInput{{values: long, factor: 1}}, 0, len(long))
	if a1 != b1 || a99 != b99 || a1 > 20 || a99 < 980 {
		t.Errorf("sampled percentiles %g, %g then %g, %g; want equal, near 10 and 990", a1, a99, b1, b99)
	}
}

func TestGridLines(t *testing.T) {
	t.Parallel()
	major, minor := gridLines(resistivityScale)
	if len(major) != 4 { // 1, 10, 100, 1000
		t.Errorf("resistivity decades: %d major lines %v, want 4", len(major), major)
	}
	if len(minor) != 4*8+1 { // 0.2–0.9, 2–9, 20–90, 200–900, 2000
		t.Errorf("resistivity: %d minor lines, want 33", len(minor))
	}
	if _, minor := gridLines(scale{Left: 0, Right: 150}); len(minor) != 11 {
		t.Errorf("linear track: %d lines, want 11 (10 divisions)", len(minor))
	}
}

func TestFormatValue(t *testing.T) {
	t.Parallel()
	for v, want := range map[float64]string{0.2: "0.2", 2000: "2000", -0.15: "-0.15", 0.1 + 0.2: "0.3",
		1.95: "1.95", 0: "0", math.Copysign(0, -1): "0", 1e-6: "1e-06"} {
		if got := formatValue(v); got != want {
			t.Errorf("formatValue(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestDepthTicks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		span, height         float64
		wantMajor, wantMinor float64
	}{
		{4534, 700, 500, 100},
		{300, 700, 20, 10},
		{10, 700, 1, 0.2},
	}
	for _, tt := range tests {
		major, minor := depthTicks(tt.span, tt.height, 40)
		if major != tt.wantMajor || math.Abs(minor-tt.wantMinor) > 1e-12 {
			t.Errorf("depthTicks(%g, %g) = %g, %g; want %g, %g", tt.span, tt.height, major, minor,
				tt.wantMajor, tt.wantMinor)
		}
	}
}
