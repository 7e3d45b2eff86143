package dca

import (
	"fmt"
	"math"
)

// Model names an Arps decline model.
type Model string

// The decline models. [Auto] is accepted by [FitDecline] only.
const (
	// Exponential is q = qi·exp(−Di·t) (b = 0): constant nominal decline.
	Exponential Model = "exponential"
	// Harmonic is q = qi/(1 + Di·t) (b = 1).
	Harmonic Model = "harmonic"
	// Hyperbolic is q = qi·(1 + b·Di·t)^(−1/b) with 0 ≤ b ≤ [MaxB]; b = 0 and b = 1 are its
	// exponential and harmonic limits.
	Hyperbolic Model = "hyperbolic"
	// ModifiedHyperbolic is hyperbolic until the instantaneous decline Di/(1 + b·Di·t) falls to
	// the terminal decline Dlim, then exponential with Dlim (Robertson 1988; the usual
	// "terminal decline" model of reserves software). It needs 0 < Dlim < Di.
	ModifiedHyperbolic Model = "modified-hyperbolic"
	// Auto asks [FitDecline] to fit every candidate model and keep the best (see [FitOptions]).
	Auto Model = "auto"
)

// MaxB is the largest hyperbolic exponent b that [Params.Validate] accepts and [FitDecline]
// fits (the fit bounds are 0 ≤ b ≤ MaxB).
const MaxB = 2.0

// Params are the parameters of one Arps decline. Time t is in days since the start of the
// decline (t = 0 at Qi); rates are volumes per day in the caller's unit (bbl/d, Sm³/d, Mscf/d);
// cumulative volumes are in the same volume unit. Declines are nominal per day: convert effective
// declines with [ToNominalPerDay] or the conversion functions in decline.go.
//
// Source: Arps, J.J. (1945) "Analysis of Decline Curves", Trans. AIME 160, 228–247, for the
// exponential, harmonic and hyperbolic rate and cumulative equations; Robertson, S. (1988)
// "Generalized Hyperbolic Equation", SPE-18731, and SPEE Monograph 4 for the modified hyperbolic
// (terminal decline) model.
//
// The methods assume Params that pass [Params.Validate]; for others they return meaningless
// values (often NaN).
type Params struct {
	// Model is the decline model; Exponential, Harmonic, Hyperbolic or ModifiedHyperbolic.
	Model Model `json:"model"`
	// Qi is the rate at t = 0, volume per day, > 0.
	Qi float64 `json:"qi"`
	// DiNominalPerDay is the initial nominal decline Di, 1/day, > 0.
	DiNominalPerDay float64 `json:"di_nominal_per_day"`
	// B is the hyperbolic exponent b, 0 ≤ b ≤ MaxB. It must be 0 for Exponential and 1 (or 0,
	// read as 1) for Harmonic.
	B float64 `json:"b"`
	// DlimNominalPerDay is the terminal nominal decline Dlim of ModifiedHyperbolic, 1/day,
	// 0 < Dlim < Di; it must be 0 for the other models.
	DlimNominalPerDay float64 `json:"dlim_nominal_per_day,omitempty"`
}

// Validate reports whether p describes a decline the methods can evaluate. It returns a
// *wellbase.Error with code invalid naming the field ("model", "qi", "di", "b", "dlim") otherwise.
func (p Params) Validate() error {
	switch p.Model {
	case Exponential, Harmonic, Hyperbolic, ModifiedHyperbolic:
	case Auto:
		return invalidf("model", "model auto is only for fitting; params need a concrete model")
	default:
		return invalidf("model", "unknown decline model %q (want exponential, harmonic, hyperbolic or modified-hyperbolic)", p.Model)
	}
	if !(p.Qi > 0) || math.IsInf(p.Qi, 0) {
		return invalidf("qi", "initial rate qi must be positive and finite, got %g", p.Qi)
	}
	if !(p.DiNominalPerDay > 0) || math.IsInf(p.DiNominalPerDay, 0) {
		return invalidf("di", "initial decline Di must be positive and finite, got %g per day", p.DiNominalPerDay)
	}
	switch p.Model {
	case Exponential:
		if p.B != 0 {
			return invalidf("b", "the exponential model has b = 0, got b = %g", p.B)
		}
	case Harmonic:
		if p.B != 0 && p.B != 1 {
			return invalidf("b", "the harmonic model has b = 1, got b = %g", p.B)
		}
	default:
		if !(p.B >= 0 && p.B <= MaxB) {
			return invalidf("b", "hyperbolic exponent b must be in [0, %g], got %g", MaxB, p.B)
		}
	}
	if p.Model == ModifiedHyperbolic {
		if !(p.DlimNominalPerDay > 0) || math.IsInf(p.DlimNominalPerDay, 0) {
			return invalidf("dlim", "the modified hyperbolic model needs a positive terminal decline Dlim, got %g per day", p.DlimNominalPerDay)
		}
		if !(p.DlimNominalPerDay < p.DiNominalPerDay) {
			return invalidf("dlim", "terminal decline Dlim (%g per day) must be below the initial decline Di (%g per day)", p.DlimNominalPerDay, p.DiNominalPerDay)
		}
	} else if p.DlimNominalPerDay != 0 {
		return invalidf("dlim", "a terminal decline Dlim is only used by the modified-hyperbolic model, not %s", p.Model)
	}
	return nil
}

// b returns the hyperbolic exponent the model uses.
func (p Params) b() float64 {
	switch p.Model {
	case Exponential:
		return 0
	case Harmonic:
		return 1
	}
	return p.B
}

// SwitchTime returns the time t_sw in days at which a modified hyperbolic decline turns
// exponential, t_sw = (1/Dlim − 1/Di)/b, and +Inf for the other models (and for b = 0, which
// never reaches Dlim < Di).
func (p Params) SwitchTime() float64 {
	if p.Model != ModifiedHyperbolic {
		return math.Inf(1)
	}
	d, dl, b := p.DiNominalPerDay, p.DlimNominalPerDay, p.b()
	return (d - dl) / (b * d * dl)
}

// hypLogDecline returns ln(qi/q(t)) = log1p(b·D·t)/b of a hyperbolic decline, computed without
// loss of precision for b → 0.
func hypLogDecline(d, b, t float64) float64 {
	x := d * t
	return x * log1pRel(b*x)
}

// hypCumulative returns Np(t)·D/qi given L = ln(qi/q(t)): L·expm1Rel(−(1 − b)·L), which is
// (1 − (1 + b·D·t)^((b−1)/b))/(1 − b) without the 0/0 at b = 1.
func hypCumulative(b, l float64) float64 {
	return l * expm1Rel(-(1-b)*l)
}

// logDecline returns ln(qi/q(t)).
func (p Params) logDecline(t float64) float64 {
	d, b := p.DiNominalPerDay, p.b()
	if p.Model == ModifiedHyperbolic {
		if tsw := p.SwitchTime(); t > tsw {
			return hypLogDecline(d, b, tsw) + p.DlimNominalPerDay*(t-tsw)
		}
	}
	return hypLogDecline(d, b, t)
}

// Rate returns the rate q(t), volume per day, at t days after the start of the decline (t ≥ 0;
// NaN for t < 0 or NaN). Source: Arps (1945); Robertson (1988) for the modified hyperbolic.
func (p Params) Rate(t float64) float64 {
	if !(t >= 0) {
		return math.NaN()
	}
	return p.Qi * math.Exp(-p.logDecline(t))
}

// Cumulative returns the volume Np(t) produced between t = 0 and t days (t ≥ 0; NaN for t < 0):
// (qi − q)/Di (exponential), (qi/Di)·ln(1 + Di·t) (harmonic),
// qi/((1 − b)·Di)·[1 − (1 + b·Di·t)^((b − 1)/b)] (hyperbolic), and for the modified hyperbolic the
// hyperbolic volume to t_sw plus (q(t_sw) − q(t))/Dlim. All are evaluated by one formula that stays
// accurate as b → 0 and b → 1. Source: Arps (1945).
func (p Params) Cumulative(t float64) float64 {
	if !(t >= 0) {
		return math.NaN()
	}
	d, b := p.DiNominalPerDay, p.b()
	if p.Model == ModifiedHyperbolic {
		if tsw := p.SwitchTime(); t > tsw {
			lsw := hypLogDecline(d, b, tsw)
			npsw := p.Qi / d * hypCumulative(b, lsw)
			qsw := p.Qi * math.Exp(-lsw)
			tau := t - tsw
			dl := p.DlimNominalPerDay
			return npsw + qsw*tau*expm1Rel(-dl*tau)
		}
	}
	return p.Qi / d * hypCumulative(b, hypLogDecline(d, b, t))
}

// Decline returns the instantaneous nominal decline D(t) = −d ln q/dt, 1/day, at t days (t ≥ 0;
// NaN for t < 0): Di/(1 + b·Di·t), and Dlim after the switch of a modified hyperbolic.
func (p Params) Decline(t float64) float64 {
	if !(t >= 0) {
		return math.NaN()
	}
	if p.Model == ModifiedHyperbolic && t > p.SwitchTime() {
		return p.DlimNominalPerDay
	}
	d := p.DiNominalPerDay
	return d / (1 + p.b()*d*t)
}

// TimeToRate returns the time in days at which the rate falls to q (volume per day):
// ((qi/q)^b − 1)/(b·Di) (hyperbolic), ln(qi/q)/Di (exponential), and for the modified hyperbolic
// t_sw + ln(q(t_sw)/q)/Dlim once past the switch. It returns 0 for q ≥ qi. It returns an invalid
// error for invalid params or q that is not positive and finite.
func (p Params) TimeToRate(q float64) (float64, error) {
	if err := p.Validate(); err != nil {
		return 0, err
	}
	if !(q > 0) || math.IsInf(q, 0) {
		return 0, invalidf("rate", "rate must be positive and finite, got %g", q)
	}
	return p.timeToRate(q), nil
}

// timeToRate is TimeToRate for valid p and q > 0.
func (p Params) timeToRate(q float64) float64 {
	if q >= p.Qi {
		return 0
	}
	y := math.Log(p.Qi / q)
	d, b := p.DiNominalPerDay, p.b()
	if p.Model == ModifiedHyperbolic {
		tsw := p.SwitchTime()
		if lsw := hypLogDecline(d, b, tsw); y > lsw {
			return tsw + (y-lsw)/p.DlimNominalPerDay
		}
	}
	return y * expm1Rel(b*y) / d
}

// EUR returns the model's estimated ultimate recovery from t = 0: the cumulative volume when the
// rate reaches abandonmentRate (volume per day), or, for abandonmentRate = 0, the volume produced
// in infinite time, qi/((1 − b)·Di) for b < 1 and Np(t_sw) + q(t_sw)/Dlim for the modified
// hyperbolic. For b ≥ 1 without a terminal decline that volume is infinite, and EUR returns an
// invalid error saying an abandonment rate or a terminal decline is needed. To add measured
// production before the decline, use [Params.Forecast].
func (p Params) EUR(abandonmentRate float64) (float64, error) {
	if err := p.Validate(); err != nil {
		return 0, err
	}
	if !(abandonmentRate >= 0) || math.IsInf(abandonmentRate, 0) {
		return 0, invalidf("abandonment_rate", "abandonment rate must be zero or positive and finite, got %g", abandonmentRate)
	}
	if abandonmentRate > 0 {
		return p.Cumulative(p.timeToRate(abandonmentRate)), nil
	}
	b := p.b()
	if tsw := p.SwitchTime(); p.Model == ModifiedHyperbolic && !math.IsInf(tsw, 1) {
		return p.Cumulative(tsw) + p.Rate(tsw)/p.DlimNominalPerDay, nil
	}
	if b >= 1 {
		return 0, divergesError(p)
	}
	return p.Qi / ((1 - b) * p.DiNominalPerDay), nil
}

// divergesError is the error for an unbounded volume of a decline with b ≥ 1.
func divergesError(p Params) error {
	return invalidf("abandonment_rate", "%s decline with b = %.4g ≥ 1 has an unbounded cumulative volume: give an abandonment rate or a horizon, or a terminal decline (modified-hyperbolic)", p.Model, p.b())
}

// WithTerminalDecline returns p with a terminal nominal decline dlim (1/day) applied: a
// hyperbolic or harmonic decline becomes modified hyperbolic with Dlim = dlim. An exponential
// decline never changes its decline and is returned as is when Di ≥ dlim. When Di ≤ dlim the
// decline is already at or below the terminal decline at t = 0 and, the terminal decline being a
// floor, the result is exponential with Di = dlim. dlim = 0 returns p unchanged. It returns an
// invalid error for invalid p or dlim < 0.
func (p Params) WithTerminalDecline(dlim float64) (Params, error) {
	if err := p.Validate(); err != nil {
		return p, err
	}
	if !(dlim >= 0) || math.IsInf(dlim, 0) {
		return p, invalidf("dlim", "terminal decline must be zero or positive and finite, got %g per day", dlim)
	}
	if dlim == 0 {
		return p, nil
	}
	if p.DiNominalPerDay <= dlim {
		return Params{Model: Exponential, Qi: p.Qi, DiNominalPerDay: dlim}, nil
	}
	switch p.Model {
	case Exponential:
		return p, nil
	case Harmonic, Hyperbolic, ModifiedHyperbolic:
		b := p.b()
		if b == 0 {
			// D(t) = Di > dlim forever: exponential.
			return Params{Model: Exponential, Qi: p.Qi, DiNominalPerDay: p.DiNominalPerDay}, nil
		}
		return Params{Model: ModifiedHyperbolic, Qi: p.Qi, DiNominalPerDay: p.DiNominalPerDay, B: b, DlimNominalPerDay: dlim}, nil
	}
	return p, nil
}

// EffectiveDi returns the initial decline as an effective decline per year with the convention
// it is expressed in: tangent for the exponential model, secant (with the model's b) for the
// others. Source: SPEE Monograph 4.
func (p Params) EffectiveDi() (float64, Convention) {
	if p.Model == Exponential {
		return FromNominalPerDay(p.DiNominalPerDay, Tangent, 0), Tangent
	}
	return FromNominalPerDay(p.DiNominalPerDay, Secant, p.b()), Secant
}

// Summary is the report of a decline's parameters in every unit a user asks for, ready for JSON.
type Summary struct {
	Model Model   `json:"model"`
	Qi    float64 `json:"qi"` // volume per day at t = 0
	B     float64 `json:"b"`
	// DiNominalPerDay and DiNominalPerYear are the initial nominal decline.
	DiNominalPerDay  float64 `json:"di_nominal_per_day"`
	DiNominalPerYear float64 `json:"di_nominal_per_year"`
	// DiEffectivePerYear is the initial effective decline per year (a fraction) in DiConvention:
	// "secant" for hyperbolic, harmonic and modified hyperbolic, "tangent" for exponential.
	DiEffectivePerYear float64    `json:"di_effective_per_year"`
	DiConvention       Convention `json:"di_convention"`
	// DlimNominalPerDay and DlimEffectivePerYear (tangent convention) are the terminal decline of
	// a modified hyperbolic; SwitchTimeDays is when it starts. All three are 0 for other models.
	DlimNominalPerDay    float64 `json:"dlim_nominal_per_day,omitempty"`
	DlimEffectivePerYear float64 `json:"dlim_effective_per_year,omitempty"`
	SwitchTimeDays       float64 `json:"switch_time_days,omitempty"`
}

// Summary returns p's parameters in nominal and effective units with the effective convention
// named.
func (p Params) Summary() Summary {
	de, conv := p.EffectiveDi()
	s := Summary{
		Model:              p.Model,
		Qi:                 p.Qi,
		B:                  p.b(),
		DiNominalPerDay:    p.DiNominalPerDay,
		DiNominalPerYear:   p.DiNominalPerDay * DaysPerYear,
		DiEffectivePerYear: de,
		DiConvention:       conv,
	}
	if p.Model == ModifiedHyperbolic {
		s.DlimNominalPerDay = p.DlimNominalPerDay
		s.DlimEffectivePerYear = FromNominalPerDay(p.DlimNominalPerDay, Tangent, 0)
		if tsw := p.SwitchTime(); !math.IsInf(tsw, 0) {
			s.SwitchTimeDays = tsw
		}
	}
	return s
}

// String returns a one-line description such as
// "hyperbolic qi=1000/d Di=0.02604/d (80%/yr secant) b=1.8".
func (p Params) String() string {
	de, conv := p.EffectiveDi()
	s := fmt.Sprintf("%s qi=%.6g/d Di=%.6g/d (%.4g%%/yr %s) b=%.4g", p.Model, p.Qi, p.DiNominalPerDay, 100*de, conv, p.b())
	if p.Model == ModifiedHyperbolic {
		s += fmt.Sprintf(" Dlim=%.6g/d (%.4g%%/yr tangent) t_sw=%.6gd", p.DlimNominalPerDay,
			100*FromNominalPerDay(p.DlimNominalPerDay, Tangent, 0), p.SwitchTime())
	}
	return s
}
