package petro

import (
	"math"
	"strings"

	"github.com/wellbase/wellbase"
)

// UnitFraction is the unit of the curves [Compute] returns: a volume fraction.
const UnitFraction = "v/v"

// normUnit folds the spellings of a LAS unit into one key: upper case, no blanks, no enclosing
// brackets, "³" as "3", "·" as ".", "**3" and "^3" as "3".
func normUnit(unit string) string {
	u := strings.ToUpper(strings.TrimSpace(unit))
	if len(u) >= 2 && (u[0] == '[' && u[len(u)-1] == ']' || u[0] == '(' && u[len(u)-1] == ')') {
		u = u[1 : len(u)-1]
	}
	return unitReplacer.Replace(u)
}

var unitReplacer = strings.NewReplacer(" ", "", "\t", "", "³", "3", "·", ".", "**3", "3", "^3", "3")

// densityFactors maps normalised density units to the factor that converts them to g/cc.
var densityFactors = map[string]float64{
	"G/CC": 1, "G/CM3": 1, "GM/CC": 1, "GM/CM3": 1, "GR/CC": 1, "GRM/CC": 1, "G/C3": 1,
	"GM/C3": 1, "GCC": 1, "G/ML": 1, "KG/DM3": 1, "KG/L": 1, "T/M3": 1, "GRAM/CC": 1,
	"K/M3": 1e-3, "KG/M3": 1e-3, "KGM3": 1e-3, "KG/CUM": 1e-3,
	"LB/FT3": 0.01601846337, "LBM/FT3": 0.01601846337, "LB/CF": 0.01601846337,
}

// porosityUnit describes a porosity unit: the factor to v/v and, for the limestone, sandstone and
// dolomite porosity units of neutron logs, the matrix the tool was calibrated on.
type porosityUnit struct {
	factor float64
	matrix string
}

// porosityUnits maps normalised porosity units to their factor to v/v and calibration matrix.
var porosityUnits = map[string]porosityUnit{
	"V/V": {1, ""}, "VV": {1, ""}, "DEC": {1, ""}, "DECIMAL": {1, ""}, "FRAC": {1, ""},
	"FRACTION": {1, ""}, "M3/M3": {1, ""}, "FT3/FT3": {1, ""}, "CFCF": {1, ""}, "CF/CF": {1, ""},
	"%": {0.01, ""}, "PU": {0.01, ""}, "P.U.": {0.01, ""}, "P.U": {0.01, ""}, "PERCENT": {0.01, ""},
	"PCT": {0.01, ""},
	"LPU": {0.01, "limestone"}, "PU-L": {0.01, "limestone"}, "LIMEPU": {0.01, "limestone"},
	"SPU": {0.01, "sandstone"}, "PU-S": {0.01, "sandstone"},
	"DPU": {0.01, "dolomite"}, "PU-D": {0.01, "dolomite"},
}

// resistivityUnits are the normalised spellings of ohm·m.
var resistivityUnits = map[string]bool{
	"OHMM": true, "OHM.M": true, "OHM-M": true, "OHMS": true, "OHM": true,
	"OHMMETER": true, "OHM.METER": true, "OHM-METER": true, "OHMMETRE": true, "OHM.METRE": true,
	"OHM-METRE": true, "ΩM": true, "Ω.M": true, "Ω": true,
}

// gammaRayUnits are the normalised spellings of API gamma-ray units.
var gammaRayUnits = map[string]bool{"GAPI": true, "API": true, "APIGR": true, "APIUNITS": true, "GAPIUNITS": true}

// DensityToGPerCC converts the density v written in unit to g/cc. It accepts the spellings of
// g/cc found in LAS files (g/cc, g/cm3, gm/cc, G/C3, g/cm³, kg/dm3, …; factor 1), of kg/m3
// (kg/m3, K/M3; factor 0.001, so 2550 K/M3 = 2.55 g/cc) and lb/ft3 (factor 0.0160185), case and
// blanks ignored. NaN (NULL) stays NaN. Any other unit, including "", gives a *wellbase.Error with
// code invalid, field "unit", naming it.
func DensityToGPerCC(v float64, unit string) (float64, error) {
	f, ok := densityFactors[normUnit(unit)]
	if !ok {
		return math.NaN(), unknownUnit("unit", "density", unit, densityUnitsHint)
	}
	return v * f, nil
}

// PorosityToFraction converts the porosity v written in unit to a fraction (v/v). Fractions
// (v/v, dec, frac, m3/m3, CFCF) are kept; percentages (%, pu, p.u.) are divided by 100. The
// limestone, sandstone and dolomite porosity units of neutron logs (LPU, SPU, DPU) are
// percentages too and are divided by 100 without a matrix correction: the result is the apparent
// porosity on the tool's calibration matrix (an LPU neutron reads some p.u. low in sandstone; the
// correction depends on the tool's chart and is out of scope). Case and blanks are ignored and
// NaN (NULL) stays NaN. Any other unit, including "", gives a *wellbase.Error with code invalid,
// field "unit", naming it.
func PorosityToFraction(v float64, unit string) (float64, error) {
	u, ok := porosityUnits[normUnit(unit)]
	if !ok {
		return math.NaN(), unknownUnit("unit", "porosity", unit, porosityUnitsHint)
	}
	return v * u.factor, nil
}

const (
	densityUnitsHint  = "g/cc, g/cm3, gm/cc, G/C3, kg/m3, K/M3 or lb/ft3"
	porosityUnitsHint = "v/v, dec, frac, %, pu, LPU, SPU or DPU"
	resistivityHint   = "ohm·m, spelled OHMM, ohm.m or ohm-m"
	gammaRayHint      = "API units, spelled GAPI or API"
)

// unknownUnit returns the error for a unit that is not one of kind's.
func unknownUnit(field, kind, unit, hint string) error {
	if strings.TrimSpace(unit) == "" {
		return wellbase.FieldError(wellbase.EInvalid, field, "the %s unit is empty (want %s)", kind, hint)
	}
	return wellbase.FieldError(wellbase.EInvalid, field, "unknown %s unit %q (want %s)", kind, unit, hint)
}
