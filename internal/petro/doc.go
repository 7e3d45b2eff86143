// Package petro computes first-pass petrophysics on well-log curves: shale volume from the gamma
// ray, density porosity and Archie water saturation. It is what the petrophysics job runs on a
// stored log; it uses the standard library and the domain package (for its errors) only, and
// does no I/O.
//
// [Compute] takes the log's index curve and its curves (NaN marks a NULL value), picks the
// gamma-ray, density, resistivity and neutron curves by mnemonic, converts their units, and
// returns the curves VSH, PHID and SW (all in v/v) that its inputs allow, with the parameters it
// actually used (picks, mnemonics, defaults) and warnings. The formulas are exported one by one:
// [GammaRayIndex], [VshLinear], [VshLarionovTertiary], [VshLarionovOlder], [VshClavier],
// [VshSteiber], [DensityPorosity] and [ArchieSw], and the unit conversions [DensityToGPerCC] and
// [PorosityToFraction].
//
// # Conventions
//
// Every function is defined sample by sample on float64 values. NaN is NULL: a NULL input gives a
// NULL output (±Inf inputs are treated as NULL by [Compute]). The gamma-ray index, shale volume,
// porosity and water saturation are fractions (v/v) clipped to [0, 1], as is usual in log
// analysis; [Compute] reports how many samples of porosity and saturation it clipped, since many
// clipped samples hint at wrong parameters. Densities are in g/cc, resistivities in ohm·m, gamma
// ray in API units.
//
// # Units
//
// LAS files write units in many spellings, and some are scaled (DOMAIN.md, "Units that trip up
// calculations"): density in g/cc, g/cm3, G/C3 or K/M3 (2550 K/M3 = 2.55 g/cc); porosity in v/v,
// % or LPU. [Compute] converts each input curve explicitly and rejects a unit it does not know
// with an error that names it; an empty unit is inferred from the values when the meaning is
// clear, with a warning.
//
// # Sources
//
//   - Larionov, V.V. (1969) "Borehole Radiometry", Nedra, Moscow: the tertiary (young) and older
//     rock shale-volume curves.
//   - Clavier, C., Hoyle, W. and Meunier, D. (1971) "Quantitative interpretation of
//     thermal neutron decay time logs: Part I", J. Pet. Tech. 23(6), 743–755.
//   - Steiber, R.G. (1970) "Pulsed neutron capture log evaluation in the Louisiana Gulf Coast",
//     SPE-2961.
//   - Archie, G.E. (1942) "The electrical resistivity log as an aid in determining some reservoir
//     characteristics", Trans. AIME 146, 54–62.
//   - Winsauer, W.O., Shearin, H.M., Masson, P.H. and Williams, M. (1952) "Resistivity of
//     brine-saturated sands in relation to pore geometry", AAPG Bulletin 36(2), 253–277: the
//     Humble formula a = 0.62, m = 2.15.
//   - Density porosity (a volume-weighted mix of matrix and fluid densities): Schlumberger (1989)
//     "Log Interpretation Principles/Applications", Schlumberger Educational Services.
//
// # Errors
//
// Errors are *wellbase.Error values with code invalid and, where one input is at fault, the field
// (the JSON name of the [Params] field, e.g. "gr_clean", "rw", or "curves"), so their messages can
// be shown to the user who started the job.
package petro
