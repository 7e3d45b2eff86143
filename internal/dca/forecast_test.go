package dca

import (
	"math"
	"slices"
	"testing"
)

func TestForecast(t *testing.T) {
	t.Parallel()
	d := 0.5 / DaysPerYear
	exp := Params{Model: Exponential, Qi: 1000, DiNominalPerDay: d}
	hyp := Params{Model: Hyperbolic, Qi: 1000, DiNominalPerDay: d, B: 0.5}
	mh := modifiedReference(t)
	tests := []struct {
		name    string
		p       Params
		opt     ForecastOptions
		end     string
		endT    float64 // NaN: do not check
		eur     float64 // NaN: do not check
		eurRel  float64
		npoints int // 0: do not check
	}{
		{"HorizonFirst", exp, ForecastOptions{Horizon: 3652.5, Step: 365.25, AbandonmentRate: 1}, EndHorizon, 3652.5, 725577.93, 1e-8, 11},
		{"AbandonmentFirst", exp, ForecastOptions{Horizon: 1e5, AbandonmentRate: 10}, EndAbandonment, math.Log(100) / d, 990 / d, 1e-12, 0},
		{"AbandonmentOnly", hyp, ForecastOptions{AbandonmentRate: 10, Step: 30}, EndAbandonment, (math.Sqrt(100) - 1) / (0.5 * d), math.NaN(), 0, 0},
		{"ModifiedReferenceEUR", mh, ForecastOptions{AbandonmentRate: 1}, EndAbandonment, math.NaN(), 656935.4, 1e-7, 0},
		{"FromMidLifeWithMeasuredCumulative", hyp, ForecastOptions{From: 365.25, Horizon: 3652.5 - 365.25, CumulativeToDate: 300000}, EndHorizon, 3652.5,
			300000 + 1043571.43 - 292200, 1e-8, 0},
		{"FromMidLifeWithModelCumulative", hyp, ForecastOptions{From: 365.25, Horizon: 3652.5 - 365.25}, EndHorizon, 3652.5, 1043571.43, 1e-8, 0},
		{"AlreadyBelowAbandonment", exp, ForecastOptions{From: 3652.5, AbandonmentRate: 10}, EndAbandonment, 3652.5, 725577.93, 1e-8, 1},
		{"HarmonicWithHorizon", Params{Model: Harmonic, Qi: 1000, DiNominalPerDay: d, B: 1}, ForecastOptions{Horizon: 3652.5}, EndHorizon, 3652.5, 1308880.29, 1e-8, 121},
		{"ExactMultipleOfStep", exp, ForecastOptions{Horizon: 100, Step: 10}, EndHorizon, 100, math.NaN(), 0, 11},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fc, err := tc.p.Forecast(tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			n := len(fc.T)
			if len(fc.Rate) != n || len(fc.Cumulative) != n || n == 0 {
				t.Fatalf("series lengths %d %d %d", n, len(fc.Rate), len(fc.Cumulative))
			}
			if tc.npoints > 0 && n != tc.npoints {
				t.Errorf("%d points, want %d", n, tc.npoints)
			}
			if fc.End != tc.end {
				t.Errorf("ends at %q, want %q", fc.End, tc.end)
			}
			if !math.IsNaN(tc.endT) && !relEq(fc.T[n-1], tc.endT, 1e-12) {
				t.Errorf("last T %.12g, want %.12g", fc.T[n-1], tc.endT)
			}
			if fc.T[0] != tc.opt.From {
				t.Errorf("first T %g, want From %g", fc.T[0], tc.opt.From)
			}
			if !math.IsNaN(tc.eur) && !relEq(fc.EUR, tc.eur, tc.eurRel) {
				t.Errorf("EUR %.6f, want %.6f", fc.EUR, tc.eur)
			}
			if !relEq(fc.EUR, fc.CumulativeToDate+fc.Remaining, 1e-12) || fc.Cumulative[n-1] != fc.EUR || fc.Cumulative[0] != fc.CumulativeToDate {
				t.Errorf("EUR %g ≠ cumulative to date %g + remaining %g (series %g … %g)", fc.EUR, fc.CumulativeToDate, fc.Remaining, fc.Cumulative[0], fc.Cumulative[n-1])
			}
			if fc.ModelCumulative != (tc.opt.CumulativeToDate == 0) {
				t.Errorf("ModelCumulative %v", fc.ModelCumulative)
			}
			for i := 1; i < n; i++ {
				if !(fc.T[i] > fc.T[i-1]) || fc.Rate[i] > fc.Rate[i-1] || fc.Cumulative[i] < fc.Cumulative[i-1] {
					t.Fatalf("point %d: T %g→%g, rate %g→%g, cumulative %g→%g", i, fc.T[i-1], fc.T[i], fc.Rate[i-1], fc.Rate[i], fc.Cumulative[i-1], fc.Cumulative[i])
				}
				if i < n-1 && fc.T[i]-fc.T[i-1] != stepOf(tc.opt) && !relEq(fc.T[i]-fc.T[i-1], stepOf(tc.opt), 1e-9) {
					t.Fatalf("step %g at %d", fc.T[i]-fc.T[i-1], i)
				}
			}
			if tc.opt.AbandonmentRate > 0 {
				tab, _ := tc.p.TimeToRate(tc.opt.AbandonmentRate)
				if want := math.Max(tab-tc.opt.From, 0); !relEq(fc.TimeToAbandonment, want, 1e-12) {
					t.Errorf("time to abandonment %g, want %g", fc.TimeToAbandonment, want)
				}
				if fc.End == EndAbandonment && tc.opt.From < tab && !relEq(fc.Rate[n-1], tc.opt.AbandonmentRate, 1e-9) {
					t.Errorf("last rate %g, want the abandonment rate %g", fc.Rate[n-1], tc.opt.AbandonmentRate)
				}
			}
		})
	}
}

func stepOf(o ForecastOptions) float64 {
	if o.Step == 0 {
		return DefaultStep
	}
	return o.Step
}

func TestForecastErrors(t *testing.T) {
	t.Parallel()
	d := 0.5 / DaysPerYear
	hyp15 := Params{Model: Hyperbolic, Qi: 1000, DiNominalPerDay: d, B: 1.5}
	tests := []struct {
		name  string
		p     Params
		opt   ForecastOptions
		field string
		says  []string
	}{
		{"ErrBAbove1NeedsALimit", hyp15, ForecastOptions{}, "abandonment_rate", []string{"b = 1.5", "abandonment rate", "horizon", "terminal decline"}},
		{"ErrHarmonicNeedsALimit", Params{Model: Harmonic, Qi: 1000, DiNominalPerDay: d, B: 1}, ForecastOptions{}, "abandonment_rate", []string{"terminal decline"}},
		{"ErrNoEnd", Params{Model: Exponential, Qi: 1000, DiNominalPerDay: d}, ForecastOptions{}, "horizon", []string{"horizon or an abandonment rate"}},
		{"ErrNegativeHorizon", hyp15, ForecastOptions{Horizon: -1}, "horizon", nil},
		{"ErrNegativeFrom", hyp15, ForecastOptions{From: -1, Horizon: 10}, "from", nil},
		{"ErrNaNStep", hyp15, ForecastOptions{Horizon: 10, Step: math.NaN()}, "step", nil},
		{"ErrInfAbandonment", hyp15, ForecastOptions{AbandonmentRate: math.Inf(1)}, "abandonment_rate", nil},
		{"ErrNegativeCumulative", hyp15, ForecastOptions{Horizon: 10, CumulativeToDate: -5}, "cumulative_to_date", nil},
		{"ErrTooManyPoints", hyp15, ForecastOptions{Horizon: 1e6, Step: 1}, "step", []string{"larger step"}},
		{"ErrInvalidParams", Params{Model: Hyperbolic, Qi: 1000, B: 0.5}, ForecastOptions{Horizon: 10}, "di", nil},
		{"ErrNegativeDlim", hyp15, ForecastOptions{Horizon: 10, DlimNominalPerDay: -1}, "dlim", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fc, err := tc.p.Forecast(tc.opt)
			if fc != nil {
				t.Errorf("got a forecast with the error")
			}
			wantInvalid(t, err, tc.field)
			for _, s := range tc.says {
				if !containsFold(err.Error(), s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
		})
	}
	t.Run("OK/TerminalDeclineOptionMakesBAbove1Finite", func(t *testing.T) {
		t.Parallel()
		dlim := NominalFromTangent(0.06) / DaysPerYear
		fc, err := hyp15.Forecast(ForecastOptions{DlimNominalPerDay: dlim, Step: 365.25, Horizon: 1e5})
		if err != nil {
			t.Fatal(err)
		}
		want, _ := hyp15.WithTerminalDecline(dlim)
		if fc.Params != want || fc.Params.Model != ModifiedHyperbolic {
			t.Fatalf("forecast params %v, want %v", fc.Params, want)
		}
		eur, err := want.EUR(0)
		if err != nil || math.IsInf(fc.EUR, 0) || fc.EUR > eur {
			t.Fatalf("EUR %g to the horizon, %g in infinite time (%v)", fc.EUR, eur, err)
		}
	})
	t.Run("OK/TerminalDeclineMakesBAbove1Finite", func(t *testing.T) {
		t.Parallel()
		mh, err := hyp15.WithTerminalDecline(NominalFromTangent(0.06) / DaysPerYear)
		if err != nil {
			t.Fatal(err)
		}
		fc, err := mh.Forecast(ForecastOptions{AbandonmentRate: 2})
		if err != nil {
			t.Fatal(err)
		}
		eur, err := mh.EUR(2)
		if err != nil || !relEq(fc.EUR, eur, 1e-12) {
			t.Fatalf("forecast EUR %g, EUR %g (%v)", fc.EUR, eur, err)
		}
	})
}

func TestFitForecastTimeAxis(t *testing.T) {
	t.Parallel()
	p := Params{Model: Hyperbolic, Qi: 640, DiNominalPerDay: 0.004, B: 0.9}
	pts := []Point{{0, 100}, {30, 300}}
	for _, c := range synth(p, 36, 30, 0, 1) {
		pts = append(pts, Point{T: c.T + 60, Rate: c.Rate})
	}
	fit, err := FitDecline(pts, FitOptions{Start: StartAtPeak})
	if err != nil {
		t.Fatal(err)
	}
	fc, err := fit.Forecast(ForecastOptions{Horizon: 3650, AbandonmentRate: 5, CumulativeToDate: 123456})
	if err != nil {
		t.Fatal(err)
	}
	last := pts[len(pts)-1]
	if fc.T[0] != last.T {
		t.Fatalf("forecast starts at %g, want the last point's T %g (input axis)", fc.T[0], last.T)
	}
	if !relEq(fc.Rate[0], last.Rate, 1e-6) {
		t.Fatalf("forecast starts at rate %g, the data ends at %g", fc.Rate[0], last.Rate)
	}
	if fc.CumulativeToDate != 123456 || fc.ModelCumulative {
		t.Fatalf("cumulative to date %g (model %v)", fc.CumulativeToDate, fc.ModelCumulative)
	}
	if !slices.IsSorted(fc.T) {
		t.Fatal("T not sorted")
	}
}
