package dca

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/wellbase/wellbase"
)

// Point is one production rate: T in days since the first point of the series (any origin works;
// only differences matter) and Rate in volume per day (0 for a shut-in period).
type Point struct {
	T    float64 `json:"t_days"`
	Rate float64 `json:"rate"`
}

// StartAtPeak is the FitOptions.Start value that starts the fit at the peak rate.
const StartAtPeak = -1

// Loss names the loss function of a fit. Both work on residuals of ln rate, so every point counts
// by its relative error; plain least squares on rates over-weights the early, high rates.
type Loss string

// The losses.
const (
	// LogLoss is least squares of ln rate (the default).
	LogLoss Loss = "log"
	// RobustLoss is the soft-L1 loss ρ(r) = 2s²(√(1 + (r/s)²) − 1) of the ln-rate residual r:
	// quadratic for |r| ≪ s, linear beyond, so outliers (partial months, flush production)
	// pull less. The scale s is 1.4826 × the median absolute deviation of the residuals of the
	// least-squares fit, then of the first robust fit's residuals, at least 0.01, and is reported
	// in Fit.RobustScale.
	RobustLoss Loss = "robust"
)

// FitOptions control [FitDecline]. The zero value fits a hyperbolic decline from the first
// point by least squares of ln rate.
type FitOptions struct {
	// Model is the model to fit: Exponential, Harmonic, Hyperbolic (the default when empty),
	// ModifiedHyperbolic (needs DlimNominalPerDay) or Auto, which fits exponential, harmonic,
	// hyperbolic and, when DlimNominalPerDay is set, modified hyperbolic, and keeps the one with
	// the lowest corrected Akaike information criterion (AICc) of the ln-rate residuals.
	Model Model
	// Start is the index of the first point of the decline; StartAtPeak (−1) starts at the
	// highest rate (the first one when several are equal). Points before it (build-up,
	// clean-up) are not used.
	Start int
	// Loss is LogLoss (the default when empty) or RobustLoss.
	Loss Loss
	// MinRate drops rates at or below it (volume per day, ≥ 0) as shut-in or partial periods;
	// zero rates are always dropped.
	MinRate float64
	// DlimNominalPerDay is the terminal nominal decline (1/day) of the modified hyperbolic model:
	// fixed, not fitted. Required for ModifiedHyperbolic; adds that candidate for Auto.
	DlimNominalPerDay float64
}

// Fit is the result of [FitDecline].
type Fit struct {
	// Params are the fitted parameters. Their time axis starts at the start point: t = T − StartT.
	Params Params `json:"params"`
	// Summary is Params.Summary(): the declines in nominal and effective units, with the
	// effective convention named (di_nominal_per_day, di_effective_per_year, di_convention).
	Summary Summary `json:"summary"`
	// RMSELog is the root mean square of the ln-rate residuals ln q(t_i) − ln y_i (≈ the typical
	// relative error of the fitted rates).
	RMSELog float64 `json:"rmse_log"`
	// R2 is the coefficient of determination of ln rate, 1 − SSE/SST (1 is a perfect fit).
	R2 float64 `json:"r2"`
	// AICc is the corrected Akaike information criterion of the ln-rate residuals,
	// n·ln(SSE/n) + 2k + 2k(k+1)/(n − k − 1) with k fitted parameters (2 for exponential and
	// harmonic, 3 for hyperbolic and modified hyperbolic); lower is better. With n ≤ 4 points the
	// correction is undefined and plain AIC is reported.
	AICc float64 `json:"aicc"`
	// Loss is the loss that was minimised; RobustScale is the soft-L1 scale of RobustLoss.
	Loss        Loss    `json:"loss"`
	RobustScale float64 `json:"robust_scale,omitempty"`
	// PointsUsed is the number of points fitted; Used holds their indices in the input.
	PointsUsed int   `json:"points_used"`
	Used       []int `json:"used"`
	// PointsDropped is the number of points from the requested start (the peak, or
	// FitOptions.Start) on that were dropped as zero or shut-in (rate ≤ MinRate). Points before
	// it (build-up) are neither used nor counted here.
	PointsDropped int `json:"points_dropped"`
	// StartIndex is the index of the start point and StartT its T (days, input time axis).
	StartIndex int     `json:"start_index"`
	StartT     float64 `json:"start_t_days"`
	// EndT is the T of the last input point on the decline's time axis (last T − StartT):
	// pass it as ForecastOptions.From to forecast from the end of the data.
	EndT float64 `json:"end_t_days"`
	// Chosen says which model was fitted and why: "<model> (requested)" or, for Auto, the AICc
	// of every candidate and any candidate left out.
	Chosen string `json:"chosen"`
	// Candidates are the fits of every candidate model when Model is Auto, best first.
	Candidates []Candidate `json:"candidates,omitempty"`
}

// Candidate is one model fitted by Auto.
type Candidate struct {
	Params  Params  `json:"params"`
	RMSELog float64 `json:"rmse_log"`
	R2      float64 `json:"r2"`
	AICc    float64 `json:"aicc"`
	// RobustScale is the soft-L1 scale of RobustLoss (0 for LogLoss).
	RobustScale float64 `json:"robust_scale,omitempty"`
}

// FitDecline fits an Arps decline to production rates by minimising a loss of the ln-rate
// residuals, with 0 ≤ b ≤ MaxB and Di > 0 (DOMAIN.md, "Fitting"; SPEE Monograph 4).
//
// Points must be in increasing T with finite, non-negative rates. The fit starts at opt.Start
// (or the peak rate), drops zero and shut-in rates (≤ opt.MinRate) and needs at least 3 points
// left whose semi-log trend declines. The bounds are kept by reparametrisation
// (b = 2·sigmoid(u), Di = exp(v), qi = exp(w)); with the log loss qi is solved exactly for each
// (b, Di) (variable projection; objective.go). The loss is minimised with gonum/optimize (its
// line-search method and Moré–Thuente line search, with Gauss–Newton directions from analytic
// derivatives; optim.go) from several starting points, because local minima are expected: the
// estimate from the local declines of the data's two halves (1/D(t) = 1/Di + b·t is linear in
// t) and b = 0.5 and 1.5 with the Di that matches the semi-log slope; the best is kept. The
// exponential model is the semi-log least-squares line itself.
//
// Errors are *wellbase.Error with code invalid, naming the field: "points" (fewer than 3 usable
// points, no positive rate, rates that rise instead of decline), "points[i].t" or
// "points[i].rate" (NaN, infinite, negative, or T not increasing), "start", "model", "loss",
// "min_rate" or "dlim" (also when the data decline more slowly than the terminal decline of a
// modified hyperbolic fit; Auto then leaves that candidate out and says so).
func FitDecline(points []Point, opt FitOptions) (*Fit, error) {
	if opt.Model == "" {
		opt.Model = Hyperbolic
	}
	if opt.Loss == "" {
		opt.Loss = LogLoss
	}
	if err := checkFitOptions(opt, len(points)); err != nil {
		return nil, err
	}
	if err := checkPoints(points); err != nil {
		return nil, err
	}

	start := opt.Start
	if start == StartAtPeak {
		start = 0
		for i, p := range points {
			if p.Rate > points[start].Rate {
				start = i
			}
		}
	}
	if !(points[start].Rate > opt.MinRate) {
		// Only possible with an explicit start (or when every rate is dropped): start at the
		// first usable point after it.
		for start < len(points) && !(points[start].Rate > opt.MinRate) {
			start++
		}
	}
	f := fitters.Get().(*fitter)
	defer fitters.Put(f)
	f.reset(opt.DlimNominalPerDay, opt.Loss == RobustLoss)
	var (
		t0      float64
		used    []int
		dropped int
	)
	if start < len(points) {
		t0 = points[start].T
		used = make([]int, 0, len(points)-start)
	}
	if opt.Start != StartAtPeak {
		dropped = start - opt.Start // shut in between an explicit start and the first usable rate
	}
	for i := start; i < len(points); i++ {
		p := points[i]
		if !(p.Rate > opt.MinRate) {
			dropped++
			continue
		}
		f.t = append(f.t, p.T-t0)
		f.ly = append(f.ly, math.Log(p.Rate))
		used = append(used, i)
	}
	if len(used) == 0 {
		return nil, invalidf("points", "no positive rates: all %d rates are zero or at or below the shut-in rate %g", len(points), opt.MinRate)
	}
	if len(used) < 3 {
		return nil, invalidf("points", "too few points: a decline fit needs at least 3 positive rates from the start point (index %d), found %d", start, len(used))
	}
	f.prepare()
	if !(f.slope < 0) {
		return nil, invalidf("points", "rates do not decline from the start point (index %d, T = %g): the semi-log trend is flat or rising", start, t0)
	}

	res := &Fit{
		Loss:          opt.Loss,
		PointsUsed:    len(used),
		Used:          used,
		PointsDropped: dropped,
		StartIndex:    start,
		StartT:        t0,
		EndT:          points[len(points)-1].T - t0,
	}
	models := []Model{opt.Model}
	if opt.Model == Auto {
		models = []Model{Exponential, Harmonic, Hyperbolic}
		if opt.DlimNominalPerDay > 0 {
			models = append(models, ModifiedHyperbolic)
		}
	}
	cands := make([]Candidate, 0, len(models))
	var skipped []string
	for _, m := range models {
		c, err := f.fit(m)
		if err != nil {
			if opt.Model != Auto || m == Hyperbolic {
				return nil, err
			}
			// A candidate that cannot describe the data (a terminal decline above the data's
			// decline) leaves the others to choose from.
			skipped = append(skipped, fmt.Sprintf("%s not fitted: %s", m, wellbase.ErrorMessage(err)))
			continue
		}
		cands = append(cands, c)
	}
	if opt.Model != Auto {
		res.setBest(cands[0])
		res.Chosen = string(opt.Model) + " (requested)"
		return res, nil
	}
	slices.SortStableFunc(cands, func(a, b Candidate) int { return cmpFloat(a.AICc, b.AICc) })
	res.setBest(cands[0])
	res.Candidates = cands
	res.Chosen = chosenText(cands, len(used))
	for _, s := range skipped {
		res.Chosen += "; " + s
	}
	return res, nil
}

func (r *Fit) setBest(c Candidate) {
	r.Params, r.RMSELog, r.R2, r.AICc, r.RobustScale = c.Params, c.RMSELog, c.R2, c.AICc, c.RobustScale
	r.Summary = c.Params.Summary()
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// chosenText explains an Auto choice; cands are sorted best first.
func chosenText(cands []Candidate, n int) string {
	crit := "AICc"
	if n <= 4 {
		crit = "AIC"
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s: lowest %s of the ln-rate residuals over %d points (%.2f, RMSE %.4f)", cands[0].Params.Model, crit, n, cands[0].AICc, cands[0].RMSELog)
	for i, c := range cands[1:] {
		if i == 0 {
			sb.WriteString("; others ")
		} else {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "%s %.2f (Δ %.2f)", c.Params.Model, c.AICc, c.AICc-cands[0].AICc)
	}
	if len(cands) > 1 && cands[1].AICc-cands[0].AICc < 2 {
		fmt.Fprintf(&sb, "; Δ < 2: %s fits about as well", cands[1].Params.Model)
	}
	return sb.String()
}

func checkFitOptions(opt FitOptions, n int) error {
	switch opt.Model {
	case Exponential, Harmonic, Hyperbolic, Auto:
	case ModifiedHyperbolic:
		if !(opt.DlimNominalPerDay > 0) {
			return invalidf("dlim", "fitting the modified hyperbolic model needs a terminal decline Dlim > 0 per day, got %g", opt.DlimNominalPerDay)
		}
	default:
		return invalidf("model", "unknown decline model %q (want exponential, harmonic, hyperbolic, modified-hyperbolic or auto)", opt.Model)
	}
	if !(opt.DlimNominalPerDay >= 0) || math.IsInf(opt.DlimNominalPerDay, 0) {
		return invalidf("dlim", "terminal decline must be zero or positive and finite, got %g per day", opt.DlimNominalPerDay)
	}
	switch opt.Loss {
	case LogLoss, RobustLoss:
	default:
		return invalidf("loss", "unknown loss %q (want log or robust)", opt.Loss)
	}
	if !(opt.MinRate >= 0) || math.IsInf(opt.MinRate, 0) {
		return invalidf("min_rate", "shut-in rate must be zero or positive and finite, got %g", opt.MinRate)
	}
	if opt.Start < StartAtPeak || (n > 0 && opt.Start >= n) {
		return invalidf("start", "start index %d is outside the %d points (use %d for the peak)", opt.Start, n, StartAtPeak)
	}
	return nil
}

func checkPoints(points []Point) error {
	if len(points) < 3 {
		return invalidf("points", "too few points: a decline fit needs at least 3, got %d", len(points))
	}
	for i, p := range points {
		if math.IsNaN(p.T) || math.IsInf(p.T, 0) {
			return invalidf(fmt.Sprintf("points[%d].t", i), "point %d: time is %g", i, p.T)
		}
		if math.IsNaN(p.Rate) || math.IsInf(p.Rate, 0) {
			return invalidf(fmt.Sprintf("points[%d].rate", i), "point %d: rate is %g", i, p.Rate)
		}
		if p.Rate < 0 {
			return invalidf(fmt.Sprintf("points[%d].rate", i), "point %d: rate %g is negative", i, p.Rate)
		}
		if i > 0 && !(p.T > points[i-1].T) {
			return invalidf(fmt.Sprintf("points[%d].t", i), "point %d: time %g does not increase (previous %g); sort the points and merge duplicates", i, p.T, points[i-1].T)
		}
	}
	return nil
}

// fitter fits the models to one set of points. Fitters are pooled so that repeated fits reuse
// their buffers; nothing a fit returns refers to them.
type fitter struct {
	t, ly  []float64 // time since the start (days) and ln rate of the points used
	dlim   float64
	robust bool

	slope, intercept float64 // semi-log least-squares line ln y = intercept + slope·t
	m                minimizer
	probs            [4]problem // by model, sharing l, gb and gd: the models are fitted in turn
	l, gb, gd        []float64
	x, x0, r         []float64
	st               [3]start
}

var fitters = sync.Pool{New: func() any { return new(fitter) }}

// reset prepares f for a new set of points, appended to f.t and f.ly by the caller.
func (f *fitter) reset(dlim float64, robust bool) {
	f.t, f.ly = f.t[:0], f.ly[:0]
	f.dlim, f.robust = dlim, robust
}

// prepare computes the semi-log line and sizes the buffers once the points are in.
func (f *fitter) prepare() {
	f.slope, f.intercept = lineFit(f.t, f.ly)
	n := len(f.t)
	f.l, f.gb, f.gd, f.r = resize(f.l, n), resize(f.gb, n), resize(f.gd, n), resize(f.r, n)
}

// lineFit returns the least-squares line y = a + k·x.
func lineFit(x, y []float64) (k, a float64) {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= n
	my /= n
	var sxx, sxy float64
	for i := range x {
		dx := x[i] - mx
		sxx += dx * dx
		sxy += dx * (y[i] - my)
	}
	if sxx == 0 {
		return math.NaN(), my
	}
	k = sxy / sxx
	return k, my - k*mx
}

// start is a starting point (b, D) of the search.
type start struct{ b, d float64 }

// starts returns the starting points for the models with a b variable: the estimate from the
// local declines of the two halves of the data, then b = 0.5 and b = 1.5, each with the D that
// makes the model drop by the semi-log line's total decline over the data.
func (f *fitter) starts(model Model) []start {
	n := len(f.t)
	tEnd := f.t[n-1]
	s := -f.slope * tEnd // total ln-rate drop of the semi-log line
	dFor := func(b float64) float64 {
		// L(b, D, tEnd) = s  ⇔  D = ((e^(b·s) − 1)/b)/tEnd.
		return s * expm1Rel(b*s) / tEnd
	}
	out := f.st[:0]
	h := n / 2
	k1, _ := lineFit(f.t[:h], f.ly[:h])
	k2, _ := lineFit(f.t[h:], f.ly[h:])
	if k1 < 0 && k2 < 0 {
		// 1/D(t) = 1/Di + b·t: a line through the local declines at the halves' mean times.
		tm1, tm2 := mean(f.t[:h]), mean(f.t[h:])
		b := (1/-k2 - 1/-k1) / (tm2 - tm1)
		b = math.Min(math.Max(b, 0.05), MaxB-0.1)
		d := 1 / (1/-k1 - b*tm1)
		if !(d > 0) || math.IsInf(d, 0) {
			d = dFor(b)
		}
		out = append(out, start{b, d})
	}
	for _, b := range []float64{0.5, 1.5} {
		out = append(out, start{b, dFor(b)})
	}
	if model == ModifiedHyperbolic {
		for i := range out {
			out[i].d = math.Max(out[i].d, 2*f.dlim)
		}
	}
	return out
}

func mean(s []float64) float64 {
	var m float64
	for _, v := range s {
		m += v
	}
	return m / float64(len(s))
}

// problem returns the problem of a model with the given loss.
func (f *fitter) problem(model Model, robust bool) *problem {
	var k int
	switch model {
	case Harmonic:
		k = 1
	case Hyperbolic:
		k = 2
	case ModifiedHyperbolic:
		k = 3
	}
	p := &f.probs[k]
	*p = problem{model: model, t: f.t, ly: f.ly, dlim: f.dlim, robust: robust, l: f.l, gb: f.gb, gd: f.gd, xc: p.xc}
	return p
}

// fit fits one model.
func (f *fitter) fit(model Model) (Candidate, error) {
	if model == ModifiedHyperbolic && !(-f.slope > f.dlim) {
		return Candidate{}, belowTerminal(f.dlim)
	}
	p := f.problem(model, false)
	switch model {
	case Exponential:
		// ln y = w − D·t is linear: the semi-log line is the least-squares fit.
		f.x = p.encode(f.x, 0, -f.slope, 0)
	case Harmonic:
		tEnd := f.t[len(f.t)-1]
		s := -f.slope * tEnd
		f.x0 = p.encode(f.x0, 1, s*expm1Rel(s)/tEnd, 0)
		xb, _ := f.m.minimize(p.eval, f.x0, relTol)
		f.x = append(f.x[:0], xb...)
	default:
		// Every start is run to a loose tolerance (enough to tell basins apart); the best is
		// then polished.
		bestF := math.Inf(1)
		for _, s := range f.starts(model) {
			f.x0 = p.encode(f.x0, s.b, s.d, 0)
			xb, fb := f.m.minimize(p.eval, f.x0, looseTol)
			if fb < bestF {
				bestF = fb
				f.x = append(f.x[:0], xb...)
			}
		}
		f.x0 = append(f.x0[:0], f.x...)
		xb, _ := f.m.minimize(p.eval, f.x0, relTol)
		f.x = append(f.x[:0], xb...)
	}
	x := f.x
	w, sse := p.residuals(x)
	var scale float64
	if f.robust {
		// Two passes: the scale from the least-squares residuals, which outliers inflate, then
		// from the residuals of the first robust fit.
		for pass := 0; pass < 2; pass++ {
			scale = f.robustScale(p, w)
			b, d, _ := p.params(x)
			p.robust = true
			p.scale = scale
			f.x0 = p.encode(f.x0, b, d, w)
			xb, _ := f.m.minimize(p.eval, f.x0, relTol)
			f.x = append(f.x[:0], xb...)
			x = f.x
			w, sse = p.residuals(x)
		}
	}
	b, d, _ := p.params(x)
	par := Params{Model: model, Qi: math.Exp(w), DiNominalPerDay: d}
	switch model {
	case Hyperbolic:
		par.B = b
	case Harmonic:
		par.B = 1
	case ModifiedHyperbolic:
		par.B = b
		par.DlimNominalPerDay = f.dlim
	}
	if model == ModifiedHyperbolic && !(d > f.dlim*(1+1e-9)) {
		return Candidate{}, belowTerminal(f.dlim)
	}
	if err := par.Validate(); err != nil {
		return Candidate{}, invalidf("points", "the %s fit did not converge to valid parameters (%v); check the data", model, err)
	}
	c := f.candidate(par, sse)
	c.RobustScale = scale
	return c, nil
}

// belowTerminal is the error for a modified hyperbolic fit to data that decline more slowly than
// its terminal decline.
func belowTerminal(dlim float64) error {
	return invalidf("dlim", "the rates decline more slowly than the terminal decline Dlim = %.6g per day (%.4g %%/yr tangent): a modified hyperbolic cannot follow them; lower Dlim or fit another model", dlim, 100*FromNominalPerDay(dlim, Tangent, 0))
}

// robustScale returns the soft-L1 scale from the residuals in p.l with intercept w.
func (f *fitter) robustScale(p *problem, w float64) float64 {
	r := f.r
	for i, l := range p.l {
		r[i] = w - l - f.ly[i]
	}
	med := median(r)
	for i := range r {
		r[i] = math.Abs(r[i] - med)
	}
	return math.Max(1.4826*median(r), 0.01)
}

func median(s []float64) float64 {
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// candidate computes the goodness of fit of par with the given ln-rate SSE.
func (f *fitter) candidate(par Params, sse float64) Candidate {
	n := float64(len(f.t))
	my := mean(f.ly)
	var sst float64
	for _, y := range f.ly {
		sst += (y - my) * (y - my)
	}
	k := 3.0
	if par.Model == Exponential || par.Model == Harmonic {
		k = 2
	}
	mse := math.Max(sse/n, 1e-300)
	aic := n*math.Log(mse) + 2*k
	if len(f.t) > 4 {
		aic += 2 * k * (k + 1) / (n - k - 1)
	}
	return Candidate{Params: par, RMSELog: math.Sqrt(sse / n), R2: 1 - sse/sst, AICc: aic}
}
