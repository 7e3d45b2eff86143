package petro

import "math"

// Typical matrix and fluid densities in g/cc, for [DensityPorosity] and [Params].
const (
	SandstoneDensity  = 2.65 // quartz sandstone matrix; the default matrix density
	LimestoneDensity  = 2.71 // calcite
	DolomiteDensity   = 2.87 // dolomite
	FreshWaterDensity = 1.0  // fresh mud filtrate; the default fluid density
	SaltWaterDensity  = 1.1  // salty mud filtrate
)

// DensityPorosity returns the density porosity (v/v) φD = (ρma − ρb)/(ρma − ρfl) for a bulk
// density rhob, a matrix density rhoMatrix and a pore-fluid density rhoFluid, all in g/cc
// (convert with [DensityToGPerCC]), clipped to [0, 1]. φD(2.45; 2.65, 1.0) = 0.12121. A NaN
// (NULL) rhob gives NaN; so does rhoMatrix == rhoFluid, where the formula divides by zero.
//
// Source: Schlumberger (1989) "Log Interpretation Principles/Applications"; matrix densities
// 2.65 (sandstone), 2.71 (limestone), 2.87 (dolomite) g/cc, fluid 1.0 (fresh) to 1.1 (salt).
func DensityPorosity(rhob, rhoMatrix, rhoFluid float64) float64 {
	return clip01(densityPorosityRaw(rhob, rhoMatrix, rhoFluid))
}

// densityPorosityRaw is DensityPorosity before clipping.
func densityPorosityRaw(rhob, rhoMatrix, rhoFluid float64) float64 {
	if rhoMatrix == rhoFluid {
		return math.NaN()
	}
	return (rhoMatrix - rhob) / (rhoMatrix - rhoFluid)
}
