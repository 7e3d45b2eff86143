package dca

import "math"

// problem is the objective of a decline fit in log-rate space: the residual of point i is
// r_i = w − L(t_i; b, D) − ln y_i, with w = ln qi and L = ln(qi/q(t)) (see hypLogDecline).
//
// Bounds are handled by reparametrisation, so the optimizer works without constraints:
// b = MaxB·sigmoid(u) keeps 0 < b < MaxB, D = exp(v) keeps D > 0 (D = Dlim + exp(v) keeps
// D > Dlim for the modified hyperbolic), qi = exp(w) keeps qi > 0.
//
// With the log loss the objective is the mean squared residual and w is profiled out: the best
// w for given (b, D) is mean(ln y_i + L_i), so the optimizer only searches (u, v), or v alone for
// the exponential and harmonic models; this variable projection halves the work and removes the
// strongest correlation from the search (Golub & Pereyra 1973). The gradient at the profiled w is
// the partial gradient (∂f/∂w = 0 there). With the robust loss the objective is the mean soft-L1
// loss ρ(r) = 2s²(√(1 + (r/s)²) − 1) and w is a search variable.
//
// The parameter vector is [v] (exponential, harmonic) or [u, v] (hyperbolic, modified
// hyperbolic), followed by w for the robust loss. Outside a generous box (b within 1e-13 of its
// bounds, D outside [4e-18, 2e4] per day, |w| > 300) the objective is evaluated at the nearest
// box point plus a quadratic penalty, so it stays finite wherever the line search steps.
type problem struct {
	model  Model
	t, ly  []float64 // time since the start of the decline (days) and ln rate of the points used
	dlim   float64   // terminal nominal decline of the modified hyperbolic, 1/day
	robust bool
	scale  float64 // soft-L1 scale s of the robust loss, ln-rate units

	l, gb, gd []float64 // per point: L, ∂L/∂b, ∂L/∂D
	xc        []float64 // x clamped into the box
}

// Box of the search variables (see problem).
const (
	uMax = 30.0
	vMin = -40.0
	vMax = 10.0
	wMax = 300.0
)

// newProblem returns a problem with its own per-point buffers (FitDecline uses pooled ones).
func newProblem(model Model, t, ly []float64, dlim float64) *problem {
	n := len(t)
	return &problem{model: model, t: t, ly: ly, dlim: dlim,
		l: make([]float64, n), gb: make([]float64, n), gd: make([]float64, n)}
}

// hasB reports whether b is a search variable (u is x[0]).
func (p *problem) hasB() bool { return p.model == Hyperbolic || p.model == ModifiedHyperbolic }

// fixedB returns b of the models without a b variable.
func (p *problem) fixedB() float64 {
	if p.model == Harmonic {
		return 1
	}
	return 0
}

// params maps search variables to (b, D, ∂D/∂v); w is handled by the caller.
func (p *problem) params(x []float64) (b, d, dDdv float64) {
	b, v := p.fixedB(), x[0]
	if p.hasB() {
		b, v = MaxB*sigmoid(x[0]), x[1]
	}
	e := math.Exp(v)
	if p.model == ModifiedHyperbolic {
		return b, p.dlim + e, e
	}
	return b, e, e
}

// encode stores in dst (resized) the search variables for (b, D) and, for the robust loss,
// w = ln qi, and returns it.
func (p *problem) encode(dst []float64, b, d, w float64) []float64 {
	x := dst[:0]
	if p.hasB() {
		x = append(x, logit(b/MaxB))
	}
	if p.model == ModifiedHyperbolic {
		d -= p.dlim
	}
	x = append(x, math.Log(d))
	if p.robust {
		x = append(x, w)
	}
	return x
}

// decline fills p.l, p.gb and p.gd for (b, D).
func (p *problem) decline(b, d float64) {
	tsw := math.Inf(1)
	var lsw, gbsw, gdsw float64
	if p.model == ModifiedHyperbolic {
		tsw = (d - p.dlim) / (b * d * p.dlim)
		if !math.IsInf(tsw, 1) {
			xx := d * tsw
			z := b * xx
			lr, g := log1pRelDeriv(z)
			lsw = xx * lr
			gdsw = tsw / (1 + z)
			gbsw = xx * xx * g
		}
	}
	for i, t := range p.t {
		if t > tsw {
			// After the switch L = L(t_sw) + Dlim·(t − t_sw). Its derivatives are those of the
			// hyperbolic L at t_sw, because the t_sw terms cancel: ∂L/∂t at t_sw is D(t_sw) = Dlim.
			p.l[i] = lsw + p.dlim*(t-tsw)
			p.gb[i] = gbsw
			p.gd[i] = gdsw
			continue
		}
		xx := d * t
		z := b * xx
		lr, g := log1pRelDeriv(z)
		p.l[i] = xx * lr
		p.gd[i] = t / (1 + z)
		p.gb[i] = xx * xx * g
	}
}

// eval is the objectiveFunc of the fit: value, gradient and Gauss–Newton matrix.
func (p *problem) eval(x, grad, hess []float64) float64 {
	nx := len(x)
	p.xc = resize(p.xc, nx)
	clear(hess)
	var pen float64
	for i, xi := range x {
		lo, hi := -wMax, wMax
		if p.hasB() && i == 0 {
			lo, hi = -uMax, uMax
		} else if i == 0 || (p.hasB() && i == 1) {
			lo, hi = vMin, vMax
		}
		grad[i] = 0
		switch {
		case xi < lo:
			pen += (lo - xi) * (lo - xi)
			grad[i] = -2 * (lo - xi)
			hess[i*nx+i] = 2
			xi = lo
		case xi > hi:
			pen += (xi - hi) * (xi - hi)
			grad[i] = 2 * (xi - hi)
			hess[i*nx+i] = 2
			xi = hi
		}
		p.xc[i] = xi
	}
	b, d, dDdv := p.params(p.xc)
	p.decline(b, d)
	n := float64(len(p.t))
	dbdu := b * (1 - b/MaxB) // b = MaxB·sigmoid(u)

	// Sums over points of the residual r, its loss and the derivatives of L by b and D.
	var f, sb, sd, sw, hbb, hbd, hdd, hbw, hdw, hww float64
	if !p.robust {
		// w is profiled: w = mean(ln y + L). The Jacobian of the projected residuals is minus
		// the centred derivatives of L.
		var w, mb, md float64
		for i, l := range p.l {
			w += l + p.ly[i]
			mb += p.gb[i]
			md += p.gd[i]
		}
		w /= n
		mb /= n
		md /= n
		for i, l := range p.l {
			r := w - l - p.ly[i]
			f += r * r
			sb += r * p.gb[i]
			sd += r * p.gd[i]
			cb, cd := p.gb[i]-mb, p.gd[i]-md
			hbb += cb * cb
			hbd += cb * cd
			hdd += cd * cd
		}
		f /= n
		sb *= -2 / n
		sd *= -2 / n
		hbb, hbd, hdd = 2*hbb/n, 2*hbd/n, 2*hdd/n
	} else {
		// Soft-L1 loss with iteratively reweighted Gauss–Newton weights ρ'(r)/r = 2/√(1 + (r/s)²).
		w := p.xc[nx-1]
		s := p.scale
		for i, l := range p.l {
			r := w - l - p.ly[i]
			q := math.Sqrt(1 + (r/s)*(r/s))
			f += 2 * s * s * (q - 1)
			om := 2 / q
			dr := om * r // ρ'(r)
			sw += dr
			sb -= dr * p.gb[i]
			sd -= dr * p.gd[i]
			gb, gd := p.gb[i], p.gd[i]
			hbb += om * gb * gb
			hbd += om * gb * gd
			hdd += om * gd * gd
			hbw -= om * gb
			hdw -= om * gd
			hww += om
		}
		f /= n
		sb, sd, sw = sb/n, sd/n, sw/n
		hbb, hbd, hdd, hbw, hdw, hww = hbb/n, hbd/n, hdd/n, hbw/n, hdw/n, hww/n
	}
	// Chain rule to the search variables (u,) v (, w).
	iv := 0
	if p.hasB() {
		iv = 1
		grad[0] += sb * dbdu
		hess[0] += hbb * dbdu * dbdu
		hess[1] += hbd * dbdu * dDdv
		hess[nx] += hbd * dbdu * dDdv
	}
	grad[iv] += sd * dDdv
	hess[iv*nx+iv] += hdd * dDdv * dDdv
	if p.robust {
		iw := nx - 1
		grad[iw] += sw
		hess[iw*nx+iw] += hww
		hess[iv*nx+iw] += hdw * dDdv
		hess[iw*nx+iv] += hdw * dDdv
		if p.hasB() {
			hess[iw] += hbw * dbdu
			hess[iw*nx] += hbw * dbdu
		}
	}
	return f + pen
}

// residuals fills p.l for the search variables x and returns w (profiled for the log loss) and
// the residuals' sum of squares Σ r_i² in log-rate space.
func (p *problem) residuals(x []float64) (w, sse float64) {
	b, d, _ := p.params(x)
	p.decline(b, d)
	if p.robust {
		w = x[len(x)-1]
	} else {
		for i, l := range p.l {
			w += l + p.ly[i]
		}
		w /= float64(len(p.l))
	}
	for i, l := range p.l {
		r := w - l - p.ly[i]
		sse += r * r
	}
	return w, sse
}

// sigmoid returns 1/(1 + e^(−u)) without overflow.
func sigmoid(u float64) float64 {
	if u >= 0 {
		return 1 / (1 + math.Exp(-u))
	}
	e := math.Exp(u)
	return e / (1 + e)
}

// logit is the inverse of sigmoid, ln(p/(1 − p)), for 0 < p < 1.
func logit(p float64) float64 {
	return math.Log(p / (1 - p))
}
