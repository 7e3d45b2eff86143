package dca

import (
	"math"

	"github.com/wellbase/wellbase"
)

// DaysPerYear is the year used by every per-year decline in this package: 365.25 days. A nominal
// decline per day is the nominal decline per year divided by DaysPerYear.
const DaysPerYear = 365.25

// Convention names how a decline rate is expressed. Nominal declines scale linearly with time;
// effective declines are fractions of rate lost over one year (365.25 days) and do not.
type Convention string

// The decline conventions. See the conversion functions for the formulas.
const (
	// Nominal is the instantaneous decline D = −d ln q/dt (1/time); Params store it per day.
	Nominal Convention = "nominal"
	// Tangent is the tangent effective decline per year, De = 1 − exp(−D) with D nominal per
	// year: the fraction of rate lost in one year at a constant nominal decline (exponential).
	// It is the natural effective decline of an exponential (and of a terminal) segment.
	Tangent Convention = "tangent"
	// Secant is the secant effective decline per year, Dei = 1 − (1 + b·D)^(−1/b) with D the
	// initial nominal decline per year: the fraction of rate lost in the first year of a
	// hyperbolic decline with exponent b. It is what "Di = 80 %/yr" means for a hyperbolic
	// segment in SPEE Monograph 4 and in Fekete's and most reserves software. At b = 0 it
	// equals the tangent effective decline.
	Secant Convention = "secant"
)

// TangentFromNominal returns the tangent effective decline per year De = 1 − exp(−d) for a nominal
// decline d per year. d < 0 gives a negative De (an incline). Source: SPEE Monograph 4; Fekete,
// "Decline analysis theory".
func TangentFromNominal(d float64) float64 {
	return -math.Expm1(-d)
}

// NominalFromTangent returns the nominal decline per year d = −ln(1 − De) for a tangent effective
// decline De per year (a fraction, De < 1; 0.08 for 8 %/yr). It returns +Inf for De = 1 and NaN
// for De > 1. Inverse of [TangentFromNominal].
func NominalFromTangent(de float64) float64 {
	if de > 1 {
		return math.NaN()
	}
	return -math.Log1p(-de)
}

// SecantFromNominal returns the secant effective decline per year
// Dei = 1 − (1 + b·d)^(−1/b) for an initial nominal decline d per year and a hyperbolic exponent
// b ≥ 0; at b = 0 it is the tangent effective decline 1 − exp(−d), and it is computed without loss
// of precision as b → 0. It returns NaN for b < 0 or 1 + b·d ≤ 0. Source: SPEE Monograph 4
// (secant effective decline); Fekete, "Decline analysis theory".
func SecantFromNominal(d, b float64) float64 {
	if b < 0 || 1+b*d <= 0 {
		return math.NaN()
	}
	// (1 + b·d)^(−1/b) = exp(−log1p(b·d)/b) = exp(−d·log1pRel(b·d)).
	return -math.Expm1(-d * log1pRel(b*d))
}

// NominalFromSecant returns the initial nominal decline per year d = ((1 − Dei)^(−b) − 1)/b for a
// secant effective decline Dei per year (a fraction < 1) and a hyperbolic exponent b ≥ 0; at
// b = 0 it is −ln(1 − Dei), computed without loss of precision as b → 0. Dei = 0.8 with b = 1.8
// gives 9.510829 per year. It returns +Inf for Dei = 1 and NaN for Dei > 1 or b < 0. Inverse of
// [SecantFromNominal].
func NominalFromSecant(de, b float64) float64 {
	if de > 1 || b < 0 {
		return math.NaN()
	}
	// y = −ln(1 − Dei); d = (e^(b·y) − 1)/b = y·expm1Rel(b·y).
	y := -math.Log1p(-de)
	if math.IsInf(y, 1) {
		return y
	}
	return y * expm1Rel(b*y)
}

// ToNominalPerDay converts a decline per year given in convention c (b is used by [Secant] only)
// to the nominal decline per day that [Params] store. It returns an invalid error for an unknown
// convention or a value outside the convention's domain (effective declines must be in [0, 1)).
func ToNominalPerDay(perYear float64, c Convention, b float64) (float64, error) {
	var d float64
	switch c {
	case Nominal:
		d = perYear
	case Tangent, Secant:
		if !(perYear >= 0 && perYear < 1) {
			return 0, invalidf("decline", "a %s effective decline must be a fraction in [0, 1) per year, got %g", c, perYear)
		}
		if c == Tangent {
			d = NominalFromTangent(perYear)
		} else {
			if !(b >= 0) {
				return 0, invalidf("b", "the secant effective decline needs b ≥ 0, got %g", b)
			}
			d = NominalFromSecant(perYear, b)
		}
	default:
		return 0, invalidf("decline_convention", "unknown decline convention %q (want nominal, tangent or secant)", c)
	}
	if math.IsNaN(d) || math.IsInf(d, 0) {
		return 0, invalidf("decline", "decline %g per year (%s) is not finite", perYear, c)
	}
	return d / DaysPerYear, nil
}

// FromNominalPerDay converts a nominal decline per day to a decline per year in convention c (b is
// used by [Secant] only): the nominal decline per year, or a tangent or secant effective fraction.
// It returns NaN for an unknown convention.
func FromNominalPerDay(perDay float64, c Convention, b float64) float64 {
	d := perDay * DaysPerYear
	switch c {
	case Nominal:
		return d
	case Tangent:
		return TangentFromNominal(d)
	case Secant:
		return SecantFromNominal(d, b)
	}
	return math.NaN()
}

// invalidf returns a *wellbase.Error with code invalid about the named input field, so that the
// message reaches the user who gave the input.
func invalidf(field, format string, args ...any) error {
	return wellbase.FieldError(wellbase.EInvalid, field, format, args...)
}
