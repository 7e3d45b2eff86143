package petro

import "math"

// Archie defaults and the Humble constants, for [ArchieSw] and [Params].
const (
	ArchieA = 1.0 // tortuosity factor a, default
	ArchieM = 2.0 // cementation exponent m, default
	ArchieN = 2.0 // saturation exponent n, default

	// HumbleA and HumbleM are the Humble formula's a and m for sandstones (with n = 2):
	// Winsauer, W.O. et al. (1952) "Resistivity of brine-saturated sands in relation to pore
	// geometry", AAPG Bulletin 36(2), 253–277.
	HumbleA = 0.62
	HumbleM = 2.15
)

// ArchieSw returns the water saturation (v/v) of Archie's equation
//
//	Sw = ((a·Rw)/(φ^m·Rt))^(1/n)
//
// for a porosity phi (v/v), a true formation resistivity rt and a formation-water resistivity rw
// (both ohm·m, at formation temperature), the tortuosity factor a, the cementation exponent m and
// the saturation exponent n (defaults 1, 2, 2; Humble 0.62, 2.15, 2). The result is clipped to
// [0, 1], so φ = 0 gives 1. φ = 0.2, Rt = 20, Rw = 0.05 give 0.25 (0.22211 with the Humble
// constants).
//
// NaN (NULL) phi or rt gives NaN, and so do values outside the equation's domain: phi outside
// [0, 1], rt ≤ 0, or rw, a, m, n that are not positive.
//
// Source: Archie, G.E. (1942) "The electrical resistivity log as an aid in determining some
// reservoir characteristics", Trans. AIME 146, 54–62; Winsauer et al. (1952) for the Humble
// constants.
func ArchieSw(phi, rt, rw, a, m, n float64) float64 {
	return clip01(archieRaw(phi, rt, rw, a, m, n))
}

// archieRaw is ArchieSw before clipping.
func archieRaw(phi, rt, rw, a, m, n float64) float64 {
	if !(phi >= 0 && phi <= 1) || !(rt > 0) || !(rw > 0) || !(a > 0) || !(m > 0) || !(n > 0) {
		return math.NaN()
	}
	var phiM float64
	if m == 2 {
		phiM = phi * phi // the common case, without math.Pow's cost
	} else {
		phiM = math.Pow(phi, m)
	}
	x := a * rw / (phiM * rt)
	switch n {
	case 2:
		return math.Sqrt(x)
	case 1:
		return x
	}
	return math.Pow(x, 1/n)
}
