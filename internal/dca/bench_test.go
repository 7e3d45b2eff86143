package dca

import "testing"

// fitBench runs FitDecline b.N times and reports, besides the wall time, the process CPU time per
// fit (cpu-ns/op), which a busy machine inflates much less.
func fitBench(b *testing.B, pts []Point, opt FitOptions) {
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		if _, err := FitDecline(pts, opt); err != nil {
			b.Fatal(err)
		}
	}
	if c := cpuTime() - c0; c > 0 {
		b.ReportMetric(float64(c.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkFitHyperbolic fits the demo well (38 monthly points from the peak) with the hyperbolic
// model and the log loss. The goal is at least 10× faster than SciPy curve_fit in log space
// (≈ 1.3 ms per fit on the project's machines): ≤ 130 µs.
func BenchmarkFitHyperbolic(b *testing.B) {
	fitBench(b, loadDemo(b), FitOptions{Model: Hyperbolic, Start: StartAtPeak})
}

// BenchmarkFitAuto fits every candidate model (with a terminal decline: four) to the demo well.
func BenchmarkFitAuto(b *testing.B) {
	fitBench(b, loadDemo(b), FitOptions{Model: Auto, Start: StartAtPeak, DlimNominalPerDay: NominalFromTangent(0.08) / DaysPerYear})
}

// BenchmarkFitRobust fits the demo well with the soft-L1 loss.
func BenchmarkFitRobust(b *testing.B) {
	fitBench(b, loadDemo(b), FitOptions{Model: Hyperbolic, Start: StartAtPeak, Loss: RobustLoss})
}

// BenchmarkFitDaily fits nine years of noisy daily rates (3 300 points, the size of a Volve
// well's daily history) with shut-in days.
func BenchmarkFitDaily(b *testing.B) {
	p := Params{Model: Hyperbolic, Qi: 3000, DiNominalPerDay: 1.5 / DaysPerYear, B: 0.7}
	pts := synth(p, 3300, 1, 0.1, 3)
	for i := 100; i < len(pts); i += 97 {
		pts[i].Rate = 0
	}
	fitBench(b, pts, FitOptions{Start: StartAtPeak})
}

// BenchmarkForecast forecasts the modified hyperbolic reference case monthly to 1/day (58 years,
// about 700 points).
func BenchmarkForecast(b *testing.B) {
	p := modifiedReference(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Forecast(ForecastOptions{AbandonmentRate: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCumulative evaluates Np(t) of a hyperbolic decline.
func BenchmarkCumulative(b *testing.B) {
	p := Params{Model: Hyperbolic, Qi: 1000, DiNominalPerDay: 0.002, B: 1.2}
	var s float64
	for b.Loop() {
		s += p.Cumulative(1234.5)
	}
	_ = s
}
