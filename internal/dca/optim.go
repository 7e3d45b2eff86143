package dca

import (
	"math"

	"gonum.org/v1/gonum/optimize"
)

// objectiveFunc evaluates a least-squares-type objective at x: it returns the value (finite),
// stores the gradient in grad and a positive semi-definite approximation of the Hessian (the
// Gauss–Newton matrix 2·JᵀWJ/n, row-major len(x)×len(x)) in hess.
type objectiveFunc func(x, grad, hess []float64) float64

// minimizer minimises an objectiveFunc with gonum's line-search framework: an
// optimize.LinesearchMethod whose steps are found by gonum's Moré–Thuente line search (strong
// Wolfe conditions) and whose directions are Gauss–Newton directions −H⁻¹g from the objective's
// own Hessian approximation (minimizer implements optimize.NextDirectioner). For a
// least-squares fit this converges in 5 to 8 evaluations per start on the demo well, where gonum's
// BFGS, which has to learn the curvature, needs 11 to 15. The method is driven through its
// reverse-communication API in the caller's goroutine; optimize.Minimize would start three
// goroutines and pass every evaluation over channels, which costs more than the evaluations of a
// 40-point fit. A minimizer keeps its buffers between runs and is not safe for concurrent use.
type minimizer struct {
	mt  optimize.MoreThuente
	ls  optimize.LinesearchMethod
	loc optimize.Location
	f   objectiveFunc

	best []float64
	// The last evaluation: the line search asks for the function and the gradient at one point
	// in separate operations, and the direction needs the Hessian approximation at the point the
	// line search accepted, which is the last one evaluated.
	lastX, lastG, lastH []float64
	lastF               float64
	have                bool

	dir   []float64 // Gauss–Newton direction at dirX, computed for the convergence test
	dirX  []float64
	a     []float64 // scratch for the linear solve
	rel   float64   // relative tolerance of the current run
	evals int
}

var _ optimize.NextDirectioner = (*minimizer)(nil)

// Stopping rules of a run: it ends at the first major iteration where the Gauss–Newton
// predicted decrease −g·d/2 is below rel·f + absTol (rel is relTol, or looseTol while screening
// starting points), or after maxIters major iterations or
// maxEvals evaluations, or when the line search can make no more progress (rounding). The best
// point evaluated is returned in all cases.
const (
	relTol   = 1e-12
	looseTol = 1e-6
	absTol   = 1e-24
	maxIters = 100
	maxEvals = 400
	// maxStep caps the first trial step of a line search, in search-variable units (u, v, w):
	// Gauss–Newton directions are long where the Hessian approximation is nearly singular.
	maxStep = 4.0
)

// minimize minimises f from x0 to the relative tolerance rel (relTol for a final result) and
// returns the best point (a slice owned by m, valid until the next call) and its value.
func (m *minimizer) minimize(f objectiveFunc, x0 []float64, rel float64) ([]float64, float64) {
	n := len(x0)
	m.f = f
	m.rel = rel
	m.loc.X = resize(m.loc.X, n)
	m.loc.Gradient = resize(m.loc.Gradient, n)
	m.best = resize(m.best, n)
	m.lastX = resize(m.lastX, n)
	m.lastG = resize(m.lastG, n)
	m.lastH = resize(m.lastH, n*n)
	m.dir = resize(m.dir, n)
	m.dirX = resize(m.dirX, n)
	m.a = resize(m.a, n*(n+1))
	m.have = false
	m.evals = 0

	copy(m.loc.X, x0)
	m.loc.F = m.eval(m.loc.X, m.loc.Gradient)
	copy(m.best, m.loc.X)
	bestF := m.loc.F

	m.mt = optimize.MoreThuente{DecreaseFactor: 1e-4, CurvatureFactor: 0.9}
	m.ls.NextDirectioner = m
	m.ls.Linesearcher = &m.mt

	if m.converged(&m.loc) {
		return m.best, bestF
	}
	op, err := m.ls.Init(&m.loc)
	iters := 0
	// steps bounds the loop whatever the line search does: evals counts only evaluations at a
	// new point, and a line search that asks for the same point again would never reach
	// maxEvals (seen on a 5-point series: the fit spun forever).
	for steps := 0; err == nil && m.evals < maxEvals && steps < 4*maxEvals; steps++ {
		switch {
		case op == optimize.MajorIteration:
			iters++
			if iters >= maxIters || m.converged(&m.loc) {
				return m.best, bestF
			}
		case op&(optimize.FuncEvaluation|optimize.GradEvaluation) != 0:
			m.loc.F = m.eval(m.loc.X, m.loc.Gradient)
			if m.loc.F < bestF {
				bestF = m.loc.F
				copy(m.best, m.loc.X)
			}
		default:
			// NoOperation or anything unexpected: stop with the best point so far.
			return m.best, bestF
		}
		op, err = m.ls.Iterate(&m.loc)
	}
	return m.best, bestF
}

// eval evaluates the objective at x into grad (and the cached Hessian approximation), reusing the
// previous evaluation when x has not moved.
func (m *minimizer) eval(x, grad []float64) float64 {
	if m.have && equal(x, m.lastX) {
		copy(grad, m.lastG)
		return m.lastF
	}
	m.evals++
	v := m.f(x, m.lastG, m.lastH)
	copy(m.lastX, x)
	copy(grad, m.lastG)
	m.lastF = v
	m.have = true
	return v
}

// converged computes the Gauss–Newton direction at loc (kept for NextDirection) and reports
// whether the decrease it predicts is negligible.
func (m *minimizer) converged(loc *optimize.Location) bool {
	m.direction(loc)
	var gd float64
	for i, g := range loc.Gradient {
		gd += g * m.dir[i]
	}
	return -gd/2 <= m.rel*math.Abs(loc.F)+absTol
}

// direction stores in m.dir the solution d of (H + λI)·d = −g at loc, with H the Hessian
// approximation there and a small λ that keeps the system positive definite. It falls back to
// steepest descent if the system cannot be solved.
func (m *minimizer) direction(loc *optimize.Location) {
	n := len(loc.X)
	if !m.have || !equal(loc.X, m.lastX) {
		m.eval(loc.X, m.lastG) // only when the line search ended away from its last evaluation
	}
	copy(m.dirX, loc.X)
	var maxDiag float64
	for i := 0; i < n; i++ {
		maxDiag = math.Max(maxDiag, m.lastH[i*n+i])
	}
	lambda := 1e-10*maxDiag + 1e-300
	// Augmented matrix [H + λI | −g], Gaussian elimination with partial pivoting.
	a := m.a
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			a[i*(n+1)+j] = m.lastH[i*n+j]
		}
		a[i*(n+1)+i] += lambda
		a[i*(n+1)+n] = -loc.Gradient[i]
	}
	if !solve(a, n, m.dir) || !descent(loc.Gradient, m.dir) {
		for i, g := range loc.Gradient {
			m.dir[i] = -g
		}
	}
}

// InitDirection implements optimize.NextDirectioner.
func (m *minimizer) InitDirection(loc *optimize.Location, dir []float64) float64 {
	return m.NextDirection(loc, dir)
}

// NextDirection implements optimize.NextDirectioner: the Gauss–Newton direction, with a first
// trial step of 1 (the Gauss–Newton step) or less when that would move farther than maxStep.
func (m *minimizer) NextDirection(loc *optimize.Location, dir []float64) float64 {
	if !equal(loc.X, m.dirX) {
		m.direction(loc)
	}
	copy(dir, m.dir)
	var norm float64
	for _, d := range dir {
		norm += d * d
	}
	norm = math.Sqrt(norm)
	if norm > maxStep {
		return maxStep / norm
	}
	return 1
}

// solve solves the n×n system in the augmented row-major matrix a (n×(n+1)) into x; it reports
// false for a singular or non-finite system.
func solve(a []float64, n int, x []float64) bool {
	w := n + 1
	for c := 0; c < n; c++ {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r*w+c]) > math.Abs(a[p*w+c]) {
				p = r
			}
		}
		if a[p*w+c] == 0 || math.IsNaN(a[p*w+c]) {
			return false
		}
		if p != c {
			for j := c; j < w; j++ {
				a[p*w+j], a[c*w+j] = a[c*w+j], a[p*w+j]
			}
		}
		for r := c + 1; r < n; r++ {
			f := a[r*w+c] / a[c*w+c]
			for j := c; j < w; j++ {
				a[r*w+j] -= f * a[c*w+j]
			}
		}
	}
	for r := n - 1; r >= 0; r-- {
		s := a[r*w+n]
		for j := r + 1; j < n; j++ {
			s -= a[r*w+j] * x[j]
		}
		x[r] = s / a[r*w+r]
		if math.IsNaN(x[r]) || math.IsInf(x[r], 0) {
			return false
		}
	}
	return true
}

// descent reports whether d is a descent direction for gradient g.
func descent(g, d []float64) bool {
	var s float64
	for i := range g {
		s += g[i] * d[i]
	}
	return s < 0
}

func resize(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

func equal(a, b []float64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
