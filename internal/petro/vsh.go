package petro

import "math"

// The shale-volume methods accepted in [Params.VshMethod].
const (
	// Linear is Vsh = IGR ([VshLinear]); the default. It overestimates shale in most rocks.
	Linear = "linear"
	// LarionovTertiary is Larionov's curve for tertiary (young, unconsolidated) rocks
	// ([VshLarionovTertiary]).
	LarionovTertiary = "larionov-tertiary"
	// LarionovOlder is Larionov's curve for older (consolidated, pre-tertiary) rocks
	// ([VshLarionovOlder]).
	LarionovOlder = "larionov-older"
	// Clavier is the curve of Clavier, Hoyle and Meunier ([VshClavier]).
	Clavier = "clavier"
	// Steiber is Steiber's curve ([VshSteiber]).
	Steiber = "steiber"
)

// vshFunc returns the shale-volume function for a method name, or nil for an unknown name.
func vshFunc(method string) func(float64) float64 {
	switch method {
	case Linear:
		return VshLinear
	case LarionovTertiary:
		return VshLarionovTertiary
	case LarionovOlder:
		return VshLarionovOlder
	case Clavier:
		return VshClavier
	case Steiber:
		return VshSteiber
	}
	return nil
}

// clip01 clips v to [0, 1]; NaN stays NaN.
func clip01(v float64) float64 {
	if v < 0 {
		return 0
	}
	if v > 1 {
		return 1
	}
	return v
}

// GammaRayIndex returns the gamma-ray index IGR = (GR − GRclean)/(GRshale − GRclean), clipped to
// [0, 1]: 0 in clean rock, 1 in shale. gr, clean and shale are in the same unit (API). clean and
// shale are the clean-sand and shale picks (GRmin and GRmax), often the 5th and 95th percentiles
// of the curve. A NaN (NULL) gr gives NaN; so does clean == shale, where the index is undefined.
// clean > shale is not rejected here and gives a reversed index; [Compute] rejects it.
func GammaRayIndex(gr, clean, shale float64) float64 {
	if clean == shale {
		return math.NaN()
	}
	return clip01((gr - clean) / (shale - clean))
}

// VshLinear returns the shale volume (v/v) Vsh = IGR for a gamma-ray index igr; igr is clipped to
// [0, 1] first and NaN (NULL) gives NaN. At IGR = 0.5 it is 0.5.
func VshLinear(igr float64) float64 {
	return clip01(igr)
}

// VshLarionovTertiary returns the shale volume (v/v) of Larionov's curve for tertiary
// (unconsolidated) rocks, Vsh = 0.083·(2^(3.7·IGR) − 1), for a gamma-ray index igr clipped to
// [0, 1]; NaN (NULL) gives NaN. At IGR = 0.5 it is 0.21622; at IGR = 1 it is 0.9957.
//
// Source: Larionov, V.V. (1969) "Borehole Radiometry", Nedra, Moscow.
func VshLarionovTertiary(igr float64) float64 {
	return clip01(0.083 * (math.Exp2(3.7*clip01(igr)) - 1))
}

// VshLarionovOlder returns the shale volume (v/v) of Larionov's curve for older (consolidated)
// rocks, Vsh = 0.33·(2^(2·IGR) − 1), for a gamma-ray index igr clipped to [0, 1]; NaN (NULL)
// gives NaN. At IGR = 0.5 it is 0.33; at IGR = 1 it is 0.99.
//
// Source: Larionov, V.V. (1969) "Borehole Radiometry", Nedra, Moscow.
func VshLarionovOlder(igr float64) float64 {
	return clip01(0.33 * (math.Exp2(2*clip01(igr)) - 1))
}

// VshClavier returns the shale volume (v/v) of the Clavier curve,
// Vsh = 1.7 − √(3.38 − (IGR + 0.7)²), for a gamma-ray index igr clipped to [0, 1]; NaN (NULL)
// gives NaN. It is 0 at IGR = 0, 0.30716 at IGR = 0.5 and 1 at IGR = 1.
//
// Source: Clavier, C., Hoyle, W. and Meunier, D. (1971) "Quantitative interpretation of thermal
// neutron decay time logs: Part I", J. Pet. Tech. 23(6), 743–755.
func VshClavier(igr float64) float64 {
	x := clip01(igr) + 0.7
	return clip01(1.7 - math.Sqrt(3.38-x*x))
}

// VshSteiber returns the shale volume (v/v) of Steiber's curve, Vsh = IGR/(3 − 2·IGR), for a
// gamma-ray index igr clipped to [0, 1]; NaN (NULL) gives NaN. At IGR = 0.5 it is 0.25.
//
// Source: Steiber, R.G. (1970) "Pulsed neutron capture log evaluation in the Louisiana Gulf
// Coast", SPE-2961.
func VshSteiber(igr float64) float64 {
	x := clip01(igr)
	return clip01(x / (3 - 2*x))
}
