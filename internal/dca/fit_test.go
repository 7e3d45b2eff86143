package dca

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// synth returns n points every dt days from the decline p, each rate multiplied by
// exp(σ·N(0, 1)) with a fixed seed.
func synth(p Params, n int, dt, sigma float64, seed uint64) []Point {
	rng := rand.New(rand.NewPCG(seed, 42))
	pts := make([]Point, n)
	for i := range pts {
		t := float64(i) * dt
		pts[i] = Point{T: t, Rate: p.Rate(t) * math.Exp(sigma*rng.NormFloat64())}
	}
	return pts
}

// tolerance of a recovered parameter set: relative on Qi and Di, absolute on b.
type tolerance struct{ qi, di, b float64 }

func checkRecovered(tb testing.TB, got, want Params, tol tolerance) {
	tb.Helper()
	if got.Model != want.Model {
		tb.Errorf("model %s, want %s", got.Model, want.Model)
	}
	if !relEq(got.Qi, want.Qi, tol.qi) {
		tb.Errorf("qi %.10g, want %.10g ± %g", got.Qi, want.Qi, tol.qi*want.Qi)
	}
	if !relEq(got.DiNominalPerDay, want.DiNominalPerDay, tol.di) {
		tb.Errorf("Di %.10g/day, want %.10g ± %g", got.DiNominalPerDay, want.DiNominalPerDay, tol.di*want.DiNominalPerDay)
	}
	if math.Abs(got.b()-want.b()) > tol.b {
		tb.Errorf("b %.10g, want %.10g ± %g", got.b(), want.b(), tol.b)
	}
	if got.DlimNominalPerDay != want.DlimNominalPerDay {
		tb.Errorf("Dlim %g, want %g", got.DlimNominalPerDay, want.DlimNominalPerDay)
	}
}

func TestFitRecoversParams(t *testing.T) {
	t.Parallel()
	const month = DaysPerYear / 12
	hyp := func(qi, diPerYear, b float64) Params {
		return Params{Model: Hyperbolic, Qi: qi, DiNominalPerDay: diPerYear / DaysPerYear, B: b}
	}
	exact := tolerance{1e-7, 1e-6, 1e-6}
	tests := []struct {
		name  string
		p     Params
		n     int
		sigma float64
		seed  uint64
		opt   FitOptions
		tol   tolerance
	}{
		{"Recovered/ExponentialNoiseFree", Params{Model: Exponential, Qi: 850, DiNominalPerDay: 0.6 / DaysPerYear}, 48, 0, 1,
			FitOptions{Model: Exponential}, tolerance{1e-12, 1e-12, 0}},
		{"Recovered/HarmonicNoiseFree", Params{Model: Harmonic, Qi: 850, DiNominalPerDay: 1.5 / DaysPerYear, B: 1}, 48, 0, 1,
			FitOptions{Model: Harmonic}, tolerance{1e-9, 1e-8, 0}},
		{"Recovered/HyperbolicB0.05NoiseFree", hyp(1200, 1.2, 0.05), 60, 0, 1, FitOptions{}, exact},
		{"Recovered/HyperbolicB0.5NoiseFree", hyp(1200, 2.5, 0.5), 60, 0, 1, FitOptions{}, exact},
		{"Recovered/HyperbolicB1.2NoiseFree", hyp(500, 4, 1.2), 60, 0, 1, FitOptions{}, exact},
		{"Recovered/HyperbolicB1.9NoiseFree", hyp(3000, 15, 1.9), 60, 0, 1, FitOptions{}, exact},
		{"Recovered/HyperbolicB0.8ShortSeries", hyp(700, 3, 0.8), 12, 0, 1, FitOptions{}, exact},
		{"Recovered/HyperbolicDailyPoints", hyp(700, 3, 0.8), 1500, 0, 1, FitOptions{}, exact},
		{"Recovered/ModifiedNoiseFree", Params{Model: ModifiedHyperbolic, Qi: 1000, DiNominalPerDay: 9.510829 / DaysPerYear, B: 1.8, DlimNominalPerDay: 0.0833816 / DaysPerYear}, 120, 0, 1,
			FitOptions{Model: ModifiedHyperbolic, DlimNominalPerDay: 0.0833816 / DaysPerYear}, exact},
		{"Recovered/HyperbolicNoise5%", hyp(900, 2, 0.8), 60, 0.05, 7, FitOptions{}, tolerance{0.05, 0.15, 0.12}},
		{"Recovered/HyperbolicNoise15%", hyp(900, 2, 0.8), 60, 0.15, 11, FitOptions{}, tolerance{0.25, 0.5, 0.35}},
		{"Recovered/HyperbolicNoise5%Robust", hyp(900, 2, 0.8), 60, 0.05, 7, FitOptions{Loss: RobustLoss}, tolerance{0.05, 0.15, 0.12}},
		{"Recovered/ExponentialNoise5%", Params{Model: Exponential, Qi: 400, DiNominalPerDay: 0.3 / DaysPerYear}, 60, 0.05, 3,
			FitOptions{Model: Exponential}, tolerance{0.03, 0.05, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pts := synth(tc.p, tc.n, month, tc.sigma, tc.seed)
			if tc.n > 100 {
				pts = synth(tc.p, tc.n, 1, tc.sigma, tc.seed)
			}
			fit, err := FitDecline(pts, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			checkRecovered(t, fit.Params, tc.p, tc.tol)
			if fit.PointsUsed != tc.n || fit.PointsDropped != 0 || fit.StartIndex != 0 || len(fit.Used) != tc.n {
				t.Errorf("used %d (%d indices), dropped %d, start %d; want %d, 0, 0", fit.PointsUsed, len(fit.Used), fit.PointsDropped, fit.StartIndex, tc.n)
			}
			if tc.sigma == 0 && (fit.RMSELog > 1e-6 || fit.R2 < 1-1e-9) {
				t.Errorf("noise-free fit: RMSE %g, R² %g", fit.RMSELog, fit.R2)
			}
			if tc.sigma > 0 && (fit.RMSELog > 2*tc.sigma || fit.R2 < 0.8) {
				t.Errorf("noisy fit: RMSE %g (σ = %g), R² %g", fit.RMSELog, tc.sigma, fit.R2)
			}
		})
	}
}

func TestFitBounds(t *testing.T) {
	t.Parallel()
	const month = DaysPerYear / 12
	t.Run("BAboveMaxBIsClampedNear2", func(t *testing.T) {
		t.Parallel()
		// b = 3 is outside the fit bounds: the fit ends at the bound.
		p := Params{Model: Hyperbolic, Qi: 1000, DiNominalPerDay: 0.02, B: 3}
		pts := make([]Point, 60)
		for i := range pts {
			tt := float64(i) * month
			pts[i] = Point{T: tt, Rate: p.Qi * math.Pow(1+3*p.DiNominalPerDay*tt, -1.0/3)}
		}
		fit, err := FitDecline(pts, FitOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if b := fit.Params.B; !(b > 1.99 && b <= MaxB) {
			t.Fatalf("b = %g, want at the upper bound %g", b, MaxB)
		}
	})
	t.Run("ExponentialDataGivesBNear0", func(t *testing.T) {
		t.Parallel()
		p := Params{Model: Exponential, Qi: 1000, DiNominalPerDay: 0.002}
		fit, err := FitDecline(synth(p, 60, month, 0, 1), FitOptions{Model: Hyperbolic})
		if err != nil {
			t.Fatal(err)
		}
		if b := fit.Params.B; !(b >= 0 && b < 1e-3) {
			t.Fatalf("b = %g, want ≈ 0", b)
		}
		checkRecovered(t, Params{Model: Exponential, Qi: fit.Params.Qi, DiNominalPerDay: fit.Params.DiNominalPerDay}, p, tolerance{1e-4, 1e-3, 0})
	})
}

func TestFitShutInsAndBuildUp(t *testing.T) {
	t.Parallel()
	const month = DaysPerYear / 12
	p := Params{Model: Hyperbolic, Qi: 640, DiNominalPerDay: 2.2 / DaysPerYear, B: 0.9}
	clean := synth(p, 48, month, 0, 1)
	exact := tolerance{1e-7, 1e-6, 1e-6}

	t.Run("ZerosDropped", func(t *testing.T) {
		t.Parallel()
		pts := slices.Clone(clean)
		for _, i := range []int{5, 6, 20, 47} {
			pts[i].Rate = 0
		}
		fit, err := FitDecline(pts, FitOptions{Start: StartAtPeak})
		if err != nil {
			t.Fatal(err)
		}
		checkRecovered(t, fit.Params, p, exact)
		if fit.PointsDropped != 4 || fit.PointsUsed != 44 || slices.Contains(fit.Used, 5) || slices.Contains(fit.Used, 47) {
			t.Fatalf("dropped %d, used %d %v", fit.PointsDropped, fit.PointsUsed, fit.Used)
		}
		if fit.EndT != pts[47].T {
			t.Fatalf("EndT %g, want the last point's %g even though it is shut in", fit.EndT, pts[47].T)
		}
	})
	t.Run("PartialMonthsDroppedByMinRate", func(t *testing.T) {
		t.Parallel()
		pts := slices.Clone(clean)
		pts[10].Rate, pts[30].Rate = 3, 1.5 // shut in most of the month
		fit, err := FitDecline(pts, FitOptions{Start: StartAtPeak, MinRate: 5})
		if err != nil {
			t.Fatal(err)
		}
		checkRecovered(t, fit.Params, p, exact)
		if fit.PointsDropped != 2 {
			t.Fatalf("dropped %d, want 2", fit.PointsDropped)
		}
	})
	t.Run("BuildUpBeforePeakSkipped", func(t *testing.T) {
		t.Parallel()
		// Three months of clean-up and build-up before the peak, on a time axis that starts
		// 100 days before the first point.
		pts := []Point{{100, 150}, {100 + month, 380}, {100 + 2*month, 560}}
		for _, c := range clean {
			pts = append(pts, Point{T: c.T + 100 + 3*month, Rate: c.Rate})
		}
		fit, err := FitDecline(pts, FitOptions{Start: StartAtPeak})
		if err != nil {
			t.Fatal(err)
		}
		checkRecovered(t, fit.Params, p, exact)
		if fit.StartIndex != 3 || fit.StartT != 100+3*month || fit.PointsUsed != 48 || fit.PointsDropped != 0 {
			t.Fatalf("start %d at %g, used %d, dropped %d", fit.StartIndex, fit.StartT, fit.PointsUsed, fit.PointsDropped)
		}
		// From the first point instead, the build-up spoils the fit.
		all, err := FitDecline(pts, FitOptions{Start: 0})
		if err != nil {
			t.Fatal(err)
		}
		if all.RMSELog < 100*fit.RMSELog+0.05 {
			t.Fatalf("fit through the build-up: RMSE %g, from the peak %g", all.RMSELog, fit.RMSELog)
		}
	})
	t.Run("ExplicitStartOnShutInMovesToNextRate", func(t *testing.T) {
		t.Parallel()
		pts := slices.Clone(clean)
		pts[12].Rate, pts[13].Rate = 0, 0
		fit, err := FitDecline(pts, FitOptions{Start: 12})
		if err != nil {
			t.Fatal(err)
		}
		if fit.StartIndex != 14 || fit.PointsDropped != 2 || fit.PointsUsed != 34 {
			t.Fatalf("start %d, dropped %d, used %d", fit.StartIndex, fit.PointsDropped, fit.PointsUsed)
		}
		// The decline re-based at month 14 has the same b and the local rate and decline.
		t14 := pts[14].T
		want := Params{Model: Hyperbolic, Qi: p.Rate(t14), DiNominalPerDay: p.Decline(t14), B: p.B}
		checkRecovered(t, fit.Params, want, tolerance{1e-7, 1e-5, 1e-5})
	})
}

func TestFitErrors(t *testing.T) {
	t.Parallel()
	p := Params{Model: Hyperbolic, Qi: 640, DiNominalPerDay: 0.005, B: 0.9}
	good := synth(p, 12, 30, 0, 1)
	with := func(i int, pt Point) []Point {
		s := slices.Clone(good)
		s[i] = pt
		return s
	}
	zeros := make([]Point, 10)
	for i := range zeros {
		zeros[i].T = float64(i)
	}
	tests := []struct {
		name  string
		pts   []Point
		opt   FitOptions
		field string
		msg   string
	}{
		{"ErrNoPoints", nil, FitOptions{}, "points", "too few points"},
		{"ErrTwoPoints", good[:2], FitOptions{}, "points", "too few points"},
		{"ErrTooFewAfterDropping", []Point{{0, 100}, {1, 0}, {2, 0}, {3, 90}, {4, 0}}, FitOptions{}, "points", "too few points"},
		{"ErrTooFewAfterPeak", append(slices.Clone(good[:10]), Point{400, 5000}, Point{430, 4000}), FitOptions{Start: StartAtPeak}, "points", "too few points"},
		{"ErrAllZero", zeros, FitOptions{Start: StartAtPeak}, "points", "no positive rates"},
		{"ErrAllBelowMinRate", good, FitOptions{MinRate: 1e6}, "points", "no positive rates"},
		{"ErrNaNRate", with(4, Point{good[4].T, math.NaN()}), FitOptions{}, "points[4].rate", "NaN"},
		{"ErrInfRate", with(4, Point{good[4].T, math.Inf(1)}), FitOptions{}, "points[4].rate", "Inf"},
		{"ErrNaNTime", with(2, Point{math.NaN(), 100}), FitOptions{}, "points[2].t", "NaN"},
		{"ErrNegativeRate", with(3, Point{good[3].T, -5}), FitOptions{}, "points[3].rate", "negative"},
		{"ErrTimeNotIncreasing", with(5, Point{good[4].T, 100}), FitOptions{}, "points[5].t", "does not increase"},
		{"ErrStartBeyondPoints", good, FitOptions{Start: 12}, "start", "outside"},
		{"ErrStartBelowPeakMarker", good, FitOptions{Start: -2}, "start", "outside"},
		{"ErrUnknownModel", good, FitOptions{Model: "duong"}, "model", "unknown decline model"},
		{"ErrUnknownLoss", good, FitOptions{Loss: "l2"}, "loss", "unknown loss"},
		{"ErrModifiedWithoutDlim", good, FitOptions{Model: ModifiedHyperbolic}, "dlim", "terminal decline"},
		{"ErrNegativeDlim", good, FitOptions{Model: Auto, DlimNominalPerDay: -1}, "dlim", "terminal decline"},
		{"ErrNegativeMinRate", good, FitOptions{MinRate: -1}, "min_rate", "shut-in rate"},
		{"ErrRatesRise", []Point{{0, 10}, {30, 20}, {60, 40}, {90, 80}}, FitOptions{}, "points", "do not decline"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fit, err := FitDecline(tc.pts, tc.opt)
			if fit != nil {
				t.Errorf("got a fit %v with the error", fit.Params)
			}
			wantInvalid(t, err, tc.field)
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not say %q", err, tc.msg)
			}
		})
	}
}

func TestFitAuto(t *testing.T) {
	t.Parallel()
	const month = DaysPerYear / 12
	tests := []struct {
		name string
		p    Params
		dlim float64
		want Model
	}{
		{"ChoosesExponential", Params{Model: Exponential, Qi: 400, DiNominalPerDay: 0.4 / DaysPerYear}, 0, Exponential},
		{"ChoosesHyperbolic", Params{Model: Hyperbolic, Qi: 900, DiNominalPerDay: 3 / DaysPerYear, B: 0.5}, 0, Hyperbolic},
		{"ChoosesModified", Params{Model: ModifiedHyperbolic, Qi: 1000, DiNominalPerDay: 6 / DaysPerYear, B: 1.5, DlimNominalPerDay: 0.15 / DaysPerYear}, 0.15 / DaysPerYear, ModifiedHyperbolic},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pts := synth(tc.p, 120, month, 0.03, 5)
			fit, err := FitDecline(pts, FitOptions{Model: Auto, DlimNominalPerDay: tc.dlim})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("chosen: %s", fit.Chosen)
			// Exponential is hyperbolic with b = 0: AICc prefers the simpler model unless the
			// noise happens to favour b > 0 by more than the penalty, so b ≈ 0 is also right.
			if m := fit.Params.Model; m != tc.want && !(tc.want == Exponential && m == Hyperbolic && fit.Params.B < 0.05) {
				t.Fatalf("auto chose %s, want %s: %s", fit.Params.Model, tc.want, fit.Chosen)
			}
			wantCands := 3
			if tc.dlim > 0 {
				wantCands = 4
			}
			if len(fit.Candidates) != wantCands || fit.Candidates[0].Params != fit.Params {
				t.Fatalf("%d candidates, first %v", len(fit.Candidates), fit.Candidates[0].Params)
			}
			for i := 1; i < len(fit.Candidates); i++ {
				if fit.Candidates[i].AICc < fit.Candidates[i-1].AICc {
					t.Fatalf("candidates not sorted by AICc: %+v", fit.Candidates)
				}
			}
			for _, c := range fit.Candidates {
				if !strings.Contains(fit.Chosen, string(c.Params.Model)) {
					t.Errorf("Chosen %q does not mention %s", fit.Chosen, c.Params.Model)
				}
			}
			if !strings.Contains(fit.Chosen, "AICc") {
				t.Errorf("Chosen %q does not name the criterion", fit.Chosen)
			}
		})
	}
	t.Run("HarmonicDataGivesBNear1", func(t *testing.T) {
		t.Parallel()
		p := Params{Model: Harmonic, Qi: 500, DiNominalPerDay: 2 / DaysPerYear, B: 1}
		fit, err := FitDecline(synth(p, 120, month, 0.03, 9), FitOptions{Model: Auto})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("chosen: %s", fit.Chosen)
		// Harmonic is hyperbolic with b = 1: either is right when b is close to 1.
		if m := fit.Params.Model; m != Harmonic && !(m == Hyperbolic && math.Abs(fit.Params.B-1) < 0.1) {
			t.Fatalf("auto chose %v", fit.Params)
		}
	})
	t.Run("SkipsModifiedWhenDlimAboveTheDecline", func(t *testing.T) {
		t.Parallel()
		p := Params{Model: Hyperbolic, Qi: 500, DiNominalPerDay: 0.1 / DaysPerYear, B: 0.5}
		pts := synth(p, 60, month, 0.02, 3)
		dlim := 0.3 / DaysPerYear
		fit, err := FitDecline(pts, FitOptions{Model: Auto, DlimNominalPerDay: dlim})
		if err != nil {
			t.Fatal(err)
		}
		if fit.Params.Model == ModifiedHyperbolic || len(fit.Candidates) != 3 || !strings.Contains(fit.Chosen, "modified-hyperbolic not fitted") {
			t.Fatalf("chose %s from %d candidates: %s", fit.Params.Model, len(fit.Candidates), fit.Chosen)
		}
		_, err = FitDecline(pts, FitOptions{Model: ModifiedHyperbolic, DlimNominalPerDay: dlim})
		wantInvalid(t, err, "dlim")
	})
	t.Run("RequestedModelSaysSo", func(t *testing.T) {
		t.Parallel()
		p := Params{Model: Hyperbolic, Qi: 900, DiNominalPerDay: 0.01, B: 0.5}
		fit, err := FitDecline(synth(p, 24, month, 0, 1), FitOptions{Model: Harmonic})
		if err != nil {
			t.Fatal(err)
		}
		if fit.Chosen != "harmonic (requested)" || fit.Candidates != nil {
			t.Fatalf("chosen %q, %d candidates", fit.Chosen, len(fit.Candidates))
		}
	})
}

func TestFitRobust(t *testing.T) {
	t.Parallel()
	const month = DaysPerYear / 12
	p := Params{Model: Hyperbolic, Qi: 900, DiNominalPerDay: 2 / DaysPerYear, B: 0.8}
	pts := synth(p, 60, month, 0.03, 21)
	for _, i := range []int{8, 9, 25, 40, 41} {
		pts[i].Rate *= 0.08 // partial months: far below the trend
	}
	lsq, err := FitDecline(pts, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rob, err := FitDecline(pts, FitOptions{Loss: RobustLoss})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("log loss: %v (RMSE %.3f); robust: %v (scale %.3f)", lsq.Params, lsq.RMSELog, rob.Params, rob.RobustScale)
	if rob.Loss != RobustLoss || !(rob.RobustScale >= 0.01 && rob.RobustScale < 0.2) {
		t.Fatalf("loss %q, scale %g", rob.Loss, rob.RobustScale)
	}
	checkRecovered(t, rob.Params, p, tolerance{0.05, 0.15, 0.1})
	errOf := func(f *Fit) float64 {
		return math.Abs(math.Log(f.Params.Qi/p.Qi)) + math.Abs(math.Log(f.Params.DiNominalPerDay/p.DiNominalPerDay)) + math.Abs(f.Params.B-p.B)
	}
	if errOf(rob) >= errOf(lsq) {
		t.Fatalf("robust fit no closer than least squares: %g vs %g", errOf(rob), errOf(lsq))
	}
}

func TestFitJSON(t *testing.T) {
	t.Parallel()
	p := Params{Model: Hyperbolic, Qi: 900, DiNominalPerDay: 0.01, B: 0.5}
	fit, err := FitDecline(synth(p, 24, 30, 0.02, 1), FitOptions{Model: Auto})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(fit)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"params", "rmse_log", "r2", "aicc", "points_used", "points_dropped", "start_index", "chosen", "candidates"} {
		if _, ok := m[k]; !ok {
			t.Errorf("fit JSON lacks %q: %s", k, raw)
		}
	}
	if pm, _ := m["params"].(map[string]any); pm["di_nominal_per_day"] == nil || pm["b"] == nil {
		t.Errorf("params JSON %v", m["params"])
	}
	sm, _ := m["summary"].(map[string]any)
	for _, k := range []string{"di_nominal_per_day", "di_effective_per_year", "di_convention"} {
		if sm[k] == nil {
			t.Errorf("summary JSON lacks %q: %v", k, sm)
		}
	}
	if fit.Summary != fit.Params.Summary() {
		t.Errorf("summary %+v is not the params' %+v", fit.Summary, fit.Params.Summary())
	}
}

// TestFitManyStartsAgree fits hyperbolic declines across b and Di with noise and checks that no
// fit is worse than the true parameters (a local minimum would be).
func TestFitManyStartsAgree(t *testing.T) {
	t.Parallel()
	const month = DaysPerYear / 12
	for _, b := range []float64{0.1, 0.6, 1.0, 1.4, 1.9} {
		for _, di := range []float64{0.3, 2, 12} {
			t.Run(fmt.Sprintf("NoWorseThanTruth/b=%g/Di=%g", b, di), func(t *testing.T) {
				p := Params{Model: Hyperbolic, Qi: 1000, DiNominalPerDay: di / DaysPerYear, B: b}
				pts := synth(p, 36, month, 0.1, uint64(1000*b+di))
				fit, err := FitDecline(pts, FitOptions{})
				if err != nil {
					t.Fatal(err)
				}
				var sse float64
				for _, pt := range pts {
					r := math.Log(p.Rate(pt.T) / pt.Rate)
					sse += r * r
				}
				truth := math.Sqrt(sse / float64(len(pts)))
				if fit.RMSELog > truth*(1+1e-9) {
					t.Fatalf("fit RMSE %.6f above the true parameters' %.6f: %v", fit.RMSELog, truth, fit.Params)
				}
			})
		}
	}
}

// TestFitConcurrent runs fits of different sizes at once (the fitters are pooled) and checks
// each result equals the sequential one.
func TestFitConcurrent(t *testing.T) {
	t.Parallel()
	var sets [][]Point
	var want []*Fit
	for i := range 8 {
		p := Params{Model: Hyperbolic, Qi: 500 + 50*float64(i), DiNominalPerDay: 0.003 + 0.001*float64(i), B: 0.2 * float64(i)}
		pts := synth(p, 20+15*i, 30, 0.1, uint64(i))
		fit, err := FitDecline(pts, FitOptions{Model: Auto, Loss: []Loss{LogLoss, RobustLoss}[i%2]})
		if err != nil {
			t.Fatal(err)
		}
		sets, want = append(sets, pts), append(want, fit)
	}
	errs := make(chan error, 4*len(sets))
	for range 4 {
		for i, pts := range sets {
			go func() {
				fit, err := FitDecline(pts, FitOptions{Model: Auto, Loss: []Loss{LogLoss, RobustLoss}[i%2]})
				if err == nil && (fit.Params != want[i].Params || fit.RMSELog != want[i].RMSELog) {
					err = fmt.Errorf("set %d: concurrent fit %v, sequential %v", i, fit.Params, want[i].Params)
				}
				errs <- err
			}()
		}
	}
	for range 4 * len(sets) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
