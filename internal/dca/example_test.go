package dca_test

import (
	"fmt"
	"math"

	"github.com/wellbase/wellbase/internal/dca"
)

// A hyperbolic decline with qi = 1000/day, Di = 0.5/yr nominal and b = 0.5 (the DOMAIN.md
// reference table): rate and cumulative after one and ten years.
func ExampleParams() {
	p := dca.Params{Model: dca.Hyperbolic, Qi: 1000, DiNominalPerDay: 0.5 / dca.DaysPerYear, B: 0.5}
	for _, years := range []float64{1, 10} {
		t := years * dca.DaysPerYear
		fmt.Printf("%2.0f yr: q = %.4f/day, Np = %.2f\n", years, p.Rate(t), p.Cumulative(t))
	}
	// Output:
	//  1 yr: q = 640.0000/day, Np = 292200.00
	// 10 yr: q = 81.6327/day, Np = 1043571.43
}

// "Di = 80 %/yr" for a hyperbolic segment is a secant effective decline; Params store the
// nominal decline per day.
func ExampleToNominalPerDay() {
	fmt.Printf("%.6f/yr nominal\n", dca.NominalFromSecant(0.8, 1.8))
	di, err := dca.ToNominalPerDay(0.8, dca.Secant, 1.8)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.8f/day nominal\n", di)
	// Output:
	// 9.510829/yr nominal
	// 0.02603923/day nominal
}

// The modified hyperbolic reference case of DOMAIN.md: Di = 0.8/yr secant, b = 1.8, terminal
// decline 0.08/yr tangent, forecast to 1/day.
func ExampleParams_Forecast() {
	di, _ := dca.ToNominalPerDay(0.8, dca.Secant, 1.8)
	dlim, _ := dca.ToNominalPerDay(0.08, dca.Tangent, 0)
	hyp := dca.Params{Model: dca.Hyperbolic, Qi: 1000, DiNominalPerDay: di, B: 1.8}

	// b ≥ 1 has no finite ultimate volume without a limit.
	if _, err := hyp.EUR(0); err != nil {
		fmt.Println("hyperbolic EUR(0):", err != nil)
	}
	p, err := hyp.WithTerminalDecline(dlim)
	if err != nil {
		fmt.Println(err)
		return
	}
	fc, err := p.Forecast(dca.ForecastOptions{AbandonmentRate: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s, switch at %.2f days\n", p.Model, p.SwitchTime())
	fmt.Printf("EUR %.1f, reached in %.3f years (%s)\n", fc.EUR, fc.TimeToAbandonment/dca.DaysPerYear, fc.End)
	// Output:
	// hyperbolic EUR(0): true
	// modified-hyperbolic, switch at 2412.25 days
	// EUR 656935.4, reached in 57.889 years (abandonment)
}

// Fitting monthly rates with a shut-in month and a build-up before the peak.
func ExampleFitDecline() {
	truth := dca.Params{Model: dca.Hyperbolic, Qi: 800, DiNominalPerDay: 2 / dca.DaysPerYear, B: 0.9}
	points := []dca.Point{{T: 0, Rate: 200}, {T: 30, Rate: 600}} // build-up
	for m := 0; m < 36; m++ {
		t := float64(m) * 30.4375
		q := truth.Rate(t)
		if m == 7 {
			q = 0 // shut in
		}
		points = append(points, dca.Point{T: 60 + t, Rate: q})
	}
	fit, err := dca.FitDecline(points, dca.FitOptions{Model: dca.Auto, Start: dca.StartAtPeak})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := fit.Params.Summary()
	fmt.Printf("%s: qi %.1f/day, b %.3f, Di %.3f/yr %s effective\n", s.Model, s.Qi, s.B, s.DiEffectivePerYear, s.DiConvention)
	fmt.Printf("start index %d, %d points used, %d dropped, R² %.4f\n", fit.StartIndex, fit.PointsUsed, fit.PointsDropped, fit.R2)

	fc, err := fit.Forecast(dca.ForecastOptions{Horizon: 20 * dca.DaysPerYear, AbandonmentRate: 20})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("forecast ends at %s, %.1f years after the data\n", fc.End, (fc.T[len(fc.T)-1]-points[len(points)-1].T)/dca.DaysPerYear)
	fmt.Println(math.Abs(fc.Rate[0]-points[len(points)-1].Rate) < 1e-6)
	// Output:
	// hyperbolic: qi 800.0/day, b 0.900, Di 0.681/yr secant effective
	// start index 2, 35 points used, 1 dropped, R² 1.0000
	// forecast ends at abandonment, 11.9 years after the data
	// true
}
