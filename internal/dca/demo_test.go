package dca

import (
	"encoding/csv"
	"errors"
	"io/fs"
	"math"
	"os"
	"strconv"
	"testing"
)

// demoPath is the demo Eagle Ford well of the shared data (petbox-dev/dca test data, MIT): 41
// monthly points, time in days at mid-month and rate per day, noisy, one outlier. It is read in
// place, never copied into the repository.
const demoPath = "../../../shared/data/production/dca/petbox_eagle_ford_demo_rate.csv"

// loadDemo reads the demo well, or skips the test or benchmark when the file is absent.
func loadDemo(tb testing.TB) []Point {
	tb.Helper()
	f, err := os.Open(demoPath)
	if errors.Is(err, fs.ErrNotExist) {
		tb.Skipf("demo well %s is absent (it lives in the shared data next to the repository)", demoPath)
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	if len(rows) < 2 || len(rows[0]) != 2 || rows[0][0] != "time_days" || rows[0][1] != "rate_per_day" {
		tb.Fatalf("unexpected header %v", rows[:1])
	}
	pts := make([]Point, 0, len(rows)-1)
	for i, r := range rows[1:] {
		t, err1 := strconv.ParseFloat(r[0], 64)
		q, err2 := strconv.ParseFloat(r[1], 64)
		if err := errors.Join(err1, err2); err != nil {
			tb.Fatalf("row %d: %v", i+2, err)
		}
		pts = append(pts, Point{T: t, Rate: q})
	}
	return pts
}

// cumulativeOf returns the volume of monthly points: each rate times the days since the previous
// point (twice T for the first, whose T is mid-month).
func cumulativeOf(pts []Point) float64 {
	var v, prev float64
	for i, p := range pts {
		dt := p.T - prev
		if i == 0 {
			dt = 2 * p.T
		}
		v += p.Rate * dt
		prev = p.T
	}
	return v
}

func TestFitDemoWell(t *testing.T) {
	t.Parallel()
	pts := loadDemo(t)
	if len(pts) != 41 {
		t.Fatalf("%d points, want 41", len(pts))
	}
	for _, tc := range []struct {
		name string
		opt  FitOptions
	}{
		{"SaneHyperbolicLogLoss", FitOptions{Model: Hyperbolic, Start: StartAtPeak}},
		{"SaneHyperbolicRobustLoss", FitOptions{Model: Hyperbolic, Start: StartAtPeak, Loss: RobustLoss}},
		{"SaneAuto", FitOptions{Model: Auto, Start: StartAtPeak, DlimNominalPerDay: NominalFromTangent(0.08) / DaysPerYear}},
	} {
		opt := tc.opt
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fit, err := FitDecline(pts, opt)
			if err != nil {
				t.Fatal(err)
			}
			p := fit.Params
			s := p.Summary()
			t.Logf("%v", p)
			t.Logf("qi %.2f/day, Di %.6f/day nominal = %.4f/yr nominal = %.4f/yr %s effective, b %.4f; RMSE(ln) %.4f, R² %.4f, AICc %.2f, %d points used from index %d (T = %g), %d dropped; %s",
				s.Qi, s.DiNominalPerDay, s.DiNominalPerYear, s.DiEffectivePerYear, s.DiConvention, s.B, fit.RMSELog, fit.R2, fit.AICc, fit.PointsUsed, fit.StartIndex, fit.StartT, fit.PointsDropped, fit.Chosen)
			if fit.StartIndex != 3 || fit.PointsUsed != 38 || fit.PointsDropped != 0 {
				t.Errorf("start %d, used %d, dropped %d; want the peak at index 3, 38 points", fit.StartIndex, fit.PointsUsed, fit.PointsDropped)
			}
			if !(s.B >= 0 && s.B <= MaxB) || !(p.DiNominalPerDay > 0) || !(p.Qi > 0) {
				t.Errorf("parameters out of bounds: %v", p)
			}
			// The data are noisy with one outlier (2.35/day at 594.5 days, ln residual ≈ −3).
			if !(fit.R2 > 0.6 && fit.RMSELog < 0.6) {
				t.Errorf("R² %.4f, RMSE %.4f: not a reasonable fit", fit.R2, fit.RMSELog)
			}
			if !(p.Qi > 150 && p.Qi < 600) || !(s.DiEffectivePerYear > 0.3 && s.DiEffectivePerYear < 0.99) {
				t.Errorf("qi %g/day, Di %g/yr effective: not plausible for this well", p.Qi, s.DiEffectivePerYear)
			}

			// Forecast with a terminal decline of 8 %/yr tangent to 1/day.
			dlim := NominalFromTangent(0.08) / DaysPerYear
			pt, err := p.WithTerminalDecline(dlim)
			if err != nil {
				t.Fatal(err)
			}
			cum := cumulativeOf(pts)
			fc, err := pt.Forecast(ForecastOptions{From: fit.EndT, AbandonmentRate: 1, CumulativeToDate: cum})
			if err != nil {
				t.Fatal(err)
			}
			n := len(fc.Rate)
			t.Logf("terminal decline: %v; cumulative to date %.0f, remaining %.0f, EUR %.0f to 1/day in %.1f years, %d monthly points",
				pt, cum, fc.Remaining, fc.EUR, fc.TimeToAbandonment/DaysPerYear, n)
			if math.IsInf(fc.EUR, 0) || math.IsNaN(fc.EUR) || !(fc.EUR > cum) || !(fc.Remaining > 0) {
				t.Errorf("EUR %g, cumulative %g, remaining %g", fc.EUR, cum, fc.Remaining)
			}
			for i := 1; i < n; i++ {
				if !(fc.Rate[i] < fc.Rate[i-1]) {
					t.Fatalf("forecast rate does not decrease at %d: %g → %g", i, fc.Rate[i-1], fc.Rate[i])
				}
			}
			if fc.End != EndAbandonment || !relEq(fc.Rate[n-1], 1, 1e-9) {
				t.Errorf("forecast ends %s at %g/day", fc.End, fc.Rate[n-1])
			}
		})
	}
}
