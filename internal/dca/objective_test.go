package dca

import (
	"fmt"
	"math"
	"testing"
)

// TestSeriesHelpers checks the relative functions against their closed forms on both sides of
// the series cut-off and the derivative g = d log1pRel/dz against central differences.
func TestSeriesHelpers(t *testing.T) {
	t.Parallel()
	for _, z := range []float64{-0.5, -2 * seriesCut, -seriesCut * 1.0001, -seriesCut * 0.9999, -1e-6, 1e-12, 1e-6, seriesCut * 0.9999, seriesCut * 1.0001, 0.3, 0.5, 0.5001, 3, 700} {
		t.Run(fmt.Sprintf("z=%g", z), func(t *testing.T) {
			if got, want := log1pRel(z), math.Log1p(z)/z; !relEq(got, want, 1e-13) {
				t.Errorf("log1pRel = %.17g, closed form %.17g", got, want)
			}
			if got, want := expm1Rel(z), math.Expm1(z)/z; !relEq(got, want, 1e-13) {
				t.Errorf("expm1Rel = %.17g, closed form %.17g", got, want)
			}
			lr, g := log1pRelDeriv(z)
			if !relEq(lr, log1pRel(z), 1e-14) {
				t.Errorf("log1pRelDeriv = %.17g, log1pRel %.17g", lr, log1pRel(z))
			}
			h := 1e-5 * math.Max(1, math.Abs(z))
			fd := (log1pRel(z+h) - log1pRel(z-h)) / (2 * h)
			if !relEq(g, fd, 1e-6) {
				t.Errorf("g = %.12g, central difference %.12g", g, fd)
			}
		})
	}
	if log1pRel(0) != 1 || expm1Rel(0) != 1 || dLogRelDz(0) != -0.5 {
		t.Error("wrong values at 0")
	}
}

// TestObjectiveGradient checks the analytic gradient of every fit objective against central
// differences, and that the Gauss–Newton matrix is symmetric with a non-negative diagonal.
func TestObjectiveGradient(t *testing.T) {
	t.Parallel()
	truth := Params{Model: ModifiedHyperbolic, Qi: 900, DiNominalPerDay: 0.02, B: 1.3, DlimNominalPerDay: 0.0004}
	pts := synth(truth, 40, 30.4375, 0.2, 4)
	tt, ly := make([]float64, len(pts)), make([]float64, len(pts))
	for i, p := range pts {
		tt[i], ly[i] = p.T, math.Log(p.Rate)
	}
	for _, model := range []Model{Exponential, Harmonic, Hyperbolic, ModifiedHyperbolic} {
		for _, robust := range []bool{false, true} {
			for _, at := range []struct{ b, d float64 }{{0.3, 0.004}, {1.3, 0.02}, {1.95, 0.1}, {1e-4, 0.001}} {
				t.Run(fmt.Sprintf("%s/robust=%v/b=%g/D=%g", model, robust, at.b, at.d), func(t *testing.T) {
					p := newProblem(model, tt, ly, truth.DlimNominalPerDay)
					p.robust, p.scale = robust, 0.15
					x := p.encode(nil, at.b, at.d, math.Log(700))
					n := len(x)
					g, h := make([]float64, n), make([]float64, n*n)
					p.eval(x, g, h)
					for i := range x {
						step := 1e-6
						xp, xm := append([]float64(nil), x...), append([]float64(nil), x...)
						xp[i] += step
						xm[i] -= step
						gs, hs := make([]float64, n), make([]float64, n*n)
						fd := (p.eval(xp, gs, hs) - p.eval(xm, gs, hs)) / (2 * step)
						if math.Abs(g[i]-fd) > 1e-6*math.Max(1, math.Abs(fd)) {
							t.Errorf("∂f/∂x[%d] = %.10g, central difference %.10g", i, g[i], fd)
						}
						if h[i*n+i] < 0 {
							t.Errorf("H[%d][%d] = %g < 0", i, i, h[i*n+i])
						}
						for j := range x {
							if h[i*n+j] != h[j*n+i] {
								t.Errorf("H not symmetric at %d,%d", i, j)
							}
						}
					}
				})
			}
		}
	}
}
