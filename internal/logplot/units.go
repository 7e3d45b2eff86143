package logplot

import (
	"strconv"
	"strings"
)

// unitNames maps a LAS unit in normUnit form to the spelling a log header prints. It is the one
// table of display spellings: the SVG plots, the web pages and (through the JSON API's
// display_unit and draw_unit fields) the browser's log viewer all use it.
var unitNames = map[string]string{
	// depth and length
	"M": "m", "METER": "m", "METRE": "m", "METERS": "m", "METRES": "m",
	"F": "ft", "FT": "ft", "FEET": "ft", "FOOT": "ft",
	"IN": "in", "INCH": "in", "INCHES": "in", "INS": "in", "CM": "cm", "MM": "mm",
	// time
	"S": "s", "SEC": "s", "MS": "ms", "MIN": "min", "H": "h", "HR": "h",
	// resistivity and conductivity
	"OHMM": "ohm·m", "OHM.M": "ohm·m", "OHM-M": "ohm·m", "OHM·M": "ohm·m", "OHMS.M": "ohm·m",
	"OHMS": "ohm·m", "OHM": "ohm·m", "MMHO/M": "mmho/m", "MS/M": "mS/m",
	// radioactivity, photoelectric factor, potential
	"GAPI": "gAPI", "API": "gAPI", "APIGR": "gAPI", "B/E": "b/e", "B/ELEC": "b/e", "BARNS/E": "b/e",
	"MV": "mV", "V": "V",
	// density
	"G/CC": "g/cm3", "G/CM3": "g/cm3", "GM/CC": "g/cm3", "G/C3": "g/cm3", "GR/CC": "g/cm3",
	"GRAM/CC": "g/cm3", "K/M3": "kg/m3", "KG/M3": "kg/m3",
	// porosity and fractions
	"V/V": "v/v", "FRAC": "v/v", "DEC": "v/v", "CFCF": "v/v", "M3/M3": "m3/m3", "FT3/FT3": "ft3/ft3",
	"PU": "p.u.", "P.U.": "p.u.", "LPU": "p.u. (limestone)", "SPU": "p.u. (sandstone)",
	"DPU": "p.u. (dolomite)", "PERCENT": "%",
	// slowness
	"US/F": "µs/ft", "US/FT": "µs/ft", "USEC/FT": "µs/ft", "US/M": "µs/m", "USEC/M": "µs/m",
	// temperature, pressure, force, speed
	"DEGC": "°C", "DEG_C": "°C", "DEGF": "°F", "DEG_F": "°F", "DEG": "°",
	"PSI": "psi", "BAR": "bar", "KPA": "kPa", "MPA": "MPa",
	"LBF": "lbf", "KLBF": "klbf", "N": "N", "KN": "kN",
	"M/H": "m/h", "M/HR": "m/h", "F/HR": "ft/h", "FT/HR": "ft/h",
	// "no unit" written out (KGS files: RXRT.NONE) is shown as none
	"NONE": "", "UNITLESS": "", "-": "",
}

// DisplayUnit returns a LAS unit as a log header prints it: OHMM → ohm·m, US/F → µs/ft,
// G/CC → g/cm3, GAPI → gAPI, M → m, DEGC → °C, NONE → "". The lookup ignores case, spaces, brackets and
// the micro sign's spelling (µs/ft and US/F are the same unit). A unit it does not know is
// returned as written (trimmed), so nothing is lost; "" stays "". The raw unit remains what is
// stored: this is for display only.
func DisplayUnit(unit string) string {
	if s, ok := unitNames[normUnit(unit)]; ok {
		return s
	}
	return strings.TrimSpace(unit)
}

// CurveLabel returns a LAS curve description for display: without the curve's ordinal that
// many LAS 2.0 writers put in front ("1  DEPTH", "2  Sonic Transit Time") and trimmed. position
// is the curve's 0-based place in the ~C section (the index is 0); the leading number is taken
// for an ordinal only when it is position or position+1 (both numberings occur) and is followed
// by a space, so a description such as "4 Arm Caliper" in third place keeps its number.
func CurveLabel(description string, position int) string {
	d := strings.TrimSpace(description)
	end := strings.IndexFunc(d, func(r rune) bool { return r < '0' || r > '9' })
	if end <= 0 || d[end] != ' ' && d[end] != '\t' {
		return d
	}
	n, err := strconv.Atoi(d[:end])
	if err != nil || (n != position && n != position+1) {
		return d
	}
	return strings.TrimSpace(d[end:])
}

// DrawUnit returns how the composite plot (and the browser's log viewer) draws a curve: the
// factor from the curve's unit to its track's unit, and that unit as DisplayUnit spells it
// (K/M3 density: 0.001, "g/cm3"; % neutron porosity: 0.01, "v/v"; US/M sonic: 0.3048, "µs/ft").
// ok is false when the curve is drawn in its own unit: a curve of no known family, a family that
// draws any unit as is (gamma ray, resistivity), or a unit the family cannot convert.
func DrawUnit(mnemonic, unit string) (factor float64, drawUnit string, ok bool) {
	f := classify(mnemonic, unit)
	if f == nil || f.convert == nil {
		return 1, "", false
	}
	return f.convert(normUnit(unit))
}

// CurveDisplay is how pages, plots and the log viewer show one curve, as the JSON API sends it
// beside the curve's unit and description as the file writes them: DisplayUnit and Label always
// (DisplayUnit and CurveLabel), DrawUnit and DrawFactor when the log plot converts the curve
// (DrawUnit).
type CurveDisplay struct {
	DisplayUnit string  `json:"display_unit"`
	Label       string  `json:"label"`
	DrawUnit    string  `json:"draw_unit,omitempty"`
	DrawFactor  float64 `json:"draw_factor,omitempty"`
}

// Display returns the CurveDisplay of the curve at 0-based position of a ~C section.
func Display(position int, mnemonic, unit, description string) CurveDisplay {
	d := CurveDisplay{DisplayUnit: DisplayUnit(unit), Label: CurveLabel(description, position)}
	if f, u, ok := DrawUnit(mnemonic, unit); ok {
		d.DrawUnit, d.DrawFactor = u, f
	}
	return d
}
