// Package dca implements Arps decline-curve analysis: the exponential, harmonic, hyperbolic and
// modified hyperbolic (terminal decline) models, fitting them to production rates, forecasts and
// EUR. It uses the standard library and gonum only, and is what the decline-fit job runs.
//
// Sources: Arps, J.J. (1945) "Analysis of Decline Curves", Trans. AIME 160, 228–247 (the rate
// and cumulative equations); Robertson, S. (1988) "Generalized Hyperbolic Equation", SPE-18731,
// and SPEE Monograph 4 (2016) "Estimating Ultimate Recovery of Developed Wells in Low-Permeability
// Reservoirs" (the modified hyperbolic with a terminal decline; the secant effective decline);
// Fekete (IHS) "Decline analysis theory" (the tangent and secant conventions).
//
// # Units
//
// Time t is in days since the start of the decline. Rates are volumes per day and cumulative
// volumes are in the same volume unit, whatever it is (bbl, Sm³, Mscf). Declines are stored as
// nominal declines per day ([Params.DiNominalPerDay]); a year is [DaysPerYear] = 365.25 days.
// Effective declines are fractions of rate lost per year and always travel with their
// [Convention]: tangent (1 − e^(−D), for exponential and terminal declines) or secant
// (1 − (1 + b·D)^(−1/b), the usual meaning of "Di = 80 %/yr" for a hyperbolic segment). See
// [ToNominalPerDay], [FromNominalPerDay] and [Params.Summary].
//
// # Numerical care
//
// The closed forms divide by b and by 1 − b. Every quantity is computed through log1p/expm1-based
// relative functions with series near 0, so results are continuous and accurate at b = 0,
// b = 1 ± 1e-9 and everything between (the tests compare b = 1e-9 and 1 ± 1e-9 with the
// exponential and harmonic formulas).
//
// # Fitting
//
// [FitDecline] fits ln rate from the peak (or a given start), drops zero and shut-in rates and
// keeps 0 ≤ b ≤ 2, Di > 0 by reparametrisation. It minimises the least-squares or a robust
// (soft-L1) loss with gonum/optimize's line-search machinery from several starting points, and
// reports RMSE and R² in log space, the points used and, for model [Auto], which model the
// corrected Akaike criterion chose and why. A fit of 40 monthly points takes a few tens of
// microseconds (BenchmarkFitHyperbolic).
//
// # Forecasts and EUR
//
// [Params.Forecast] and [Fit.Forecast] produce a series to a horizon or an abandonment rate and
// EUR = cumulative to date + remaining volume. A decline with b ≥ 1 has no finite ultimate volume:
// it needs an abandonment rate, a horizon or a terminal decline ([Params.WithTerminalDecline]),
// and the error says which are missing.
//
// Errors returned to callers are *wellbase.Error values with code invalid and the offending field,
// so their messages can be shown to the user who gave the input.
package dca
