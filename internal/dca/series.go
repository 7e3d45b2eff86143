package dca

import "math"

// The Arps formulas divide by b and by 1 − b. Written naively they lose every significant digit as
// b → 0 (exponential limit) or b → 1 (harmonic limit). The helpers below are the three "relative"
// functions the formulas reduce to; each is exact in closed form away from 0 and uses its Taylor
// series near 0, so every model quantity is smooth in b across 0 and 1.
//
// With x = D·t (D nominal decline, t time) and z = b·x:
//
//	L(t)  = ln(qi/q(t))       = log1p(z)/b          = x·log1pRel(z)
//	Np(t) = (qi/D)·(1 − (1+z)^((b−1)/b))/(1 − b)    = (qi/D)·L·expm1Rel(−(1−b)·L)
//	t(q)  = ((qi/q)^b − 1)/(b·D)                    = y·expm1Rel(b·y)/D, y = ln(qi/q)

// seriesCut is where the helpers switch from the closed form to the series. At |z| < seriesCut
// the first omitted series term is below 1e-20 relative; above it the closed forms lose at most
// about eps/seriesCut ≈ 2e-13 relative.
const seriesCut = 1e-3

// log1pRel returns log1p(z)/z, and 1 at z = 0. z must be > −1.
func log1pRel(z float64) float64 {
	if math.Abs(z) < seriesCut {
		// 1 − z/2 + z²/3 − z³/4 + z⁴/5 − z⁵/6
		return 1 + z*(-1.0/2+z*(1.0/3+z*(-1.0/4+z*(1.0/5+z*(-1.0/6)))))
	}
	return math.Log1p(z) / z
}

// expm1Rel returns expm1(z)/z = (e^z − 1)/z, and 1 at z = 0.
func expm1Rel(z float64) float64 {
	if math.Abs(z) < seriesCut {
		// 1 + z/2 + z²/6 + z³/24 + z⁴/120 + z⁵/720
		return 1 + z*(1.0/2+z*(1.0/6+z*(1.0/24+z*(1.0/120+z*(1.0/720)))))
	}
	return math.Expm1(z) / z
}

// log1pRelDeriv returns log1pRel(z) and dLogRelDz(z) together, with one logarithm.
func log1pRelDeriv(z float64) (lr, g float64) {
	if math.Abs(z) < seriesCut {
		return log1pRel(z), dLogRelDz(z)
	}
	var lp float64
	if z > 0.5 {
		lp = math.Log(1 + z) // 1 + z rounds harmlessly here, and Log is faster than Log1p
	} else {
		lp = math.Log1p(z)
	}
	iz := 1 / z
	lr = lp * iz
	return lr, (1/(1+z) - lr) * iz
}

// dLogRelDz returns g(z) = (z/(1+z) − log1p(z))/z², the factor in ∂L/∂b = x²·g(b·x) (see
// hyperbolicL); g(0) = −1/2. z must be > −1.
func dLogRelDz(z float64) float64 {
	if math.Abs(z) < seriesCut {
		// −1/2 + 2z/3 − 3z²/4 + 4z³/5 − 5z⁴/6 + 6z⁵/7
		return -1.0/2 + z*(2.0/3+z*(-3.0/4+z*(4.0/5+z*(-5.0/6+z*(6.0/7)))))
	}
	return (z/(1+z) - math.Log1p(z)) / (z * z)
}
