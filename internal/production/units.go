package production

import (
	"strings"

	"github.com/wellbase/wellbase"
)

// Units holds the volume unit of each phase of a Record, in the canonical spelling returned by
// [NormalizeUnit] ("Sm3", "bbl", "Mcf", "MSm3", …). "" means the file did not say and no default
// was given; the parser reports that as an [IssueUnit] issue. Units are never converted.
type Units struct {
	Oil           string `json:"oil,omitempty"`
	Gas           string `json:"gas,omitempty"`
	Water         string `json:"water,omitempty"`
	WaterInjected string `json:"water_injected,omitempty"`
	GasInjected   string `json:"gas_injected,omitempty"`
}

// Of returns the unit of phase p ("" for an unknown phase).
func (u Units) Of(p Phase) string {
	switch p {
	case Oil:
		return u.Oil
	case Gas:
		return u.Gas
	case Water:
		return u.Water
	case WaterInjected:
		return u.WaterInjected
	case GasInjected:
		return u.GasInjected
	}
	return ""
}

// set sets the unit of phase p.
func (u *Units) set(p Phase, unit string) {
	switch p {
	case Oil:
		u.Oil = unit
	case Gas:
		u.Gas = unit
	case Water:
		u.Water = unit
	case WaterInjected:
		u.WaterInjected = unit
	case GasInjected:
		u.GasInjected = unit
	}
}

// HoursUnit is the unit of Record.OnStreamHours: always hours. Columns declared in days
// ("days on", "producing days", or a unit [d]) are multiplied by 24 and the conversion is reported.
const HoursUnit = "h"

// knownUnits maps a unit key (see unitKey) to its canonical spelling. Prefixes keep the industry's
// meaning and are never interpreted: M in "Mcf" is a thousand (oilfield), M in "MSm3" a million (SI).
var knownUnits = map[string]string{
	// standard cubic metres (Norway, SI)
	"sm3": "Sm3", "scm": "Sm3", "stdm3": "Sm3",
	"ksm3": "kSm3", "1000sm3": "kSm3", "103sm3": "kSm3",
	"msm3": "MSm3", "millsm3": "MSm3", "mmsm3": "MSm3", "106sm3": "MSm3",
	"gsm3": "GSm3", "billsm3": "GSm3", "bsm3": "GSm3", "109sm3": "GSm3",
	"m3": "m3", "km3": "km3",
	// barrels
	"bbl": "bbl", "bbls": "bbl", "bl": "bbl",
	"stb": "STB", "mstb": "MSTB", "mmstb": "MMSTB",
	"mbbl": "Mbbl", "mbbls": "Mbbl", "mmbbl": "MMbbl", "mmbbls": "MMbbl",
	// cubic feet of gas
	"scf": "scf", "cf": "scf", "ft3": "ft3",
	"mcf": "Mcf", "mscf": "Mcf", "mmcf": "MMcf", "mmscf": "MMcf", "bcf": "Bcf", "bscf": "Bcf",
	// time (on-stream columns only)
	"h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
	"d": "d", "day": "d", "days": "d",
}

// unitKey folds a unit spelling for lookup: lower case, superscript ³/⁶/⁹ as digits, without spaces,
// dots, carets and the words "std"/"standard" kept as written.
func unitKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '³':
			b.WriteByte('3')
		case r == '⁶':
			b.WriteByte('6')
		case r == '⁹':
			b.WriteByte('9')
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + ('a' - 'A'))
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '/':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// NormalizeUnit returns the canonical spelling of a unit and whether it is known: "Sm3", "SM3",
// "sm³", "Sm^3" → "Sm3"; "MSCF" → "Mcf"; "bbls" → "bbl"; "hrs" → "h". A rate such as "Sm3/d" keeps
// its time part ("Sm3/d"). An unknown unit is returned trimmed, as written, with known false.
func NormalizeUnit(s string) (unit string, known bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false
	}
	k := unitKey(s)
	if u, ok := knownUnits[k]; ok {
		return u, true
	}
	if i := strings.IndexByte(k, '/'); i > 0 {
		num, ok1 := knownUnits[k[:i]]
		den, ok2 := knownUnits[k[i+1:]]
		if ok1 && ok2 && (den == "d" || den == "h") {
			return num + "/" + den, true
		}
	}
	return s, false
}

// isTimeUnit reports whether a canonical unit measures time (h or d).
func isTimeUnit(u string) bool { return u == "h" || u == "d" }

// gasUnits are the canonical units of gas volumes; liquids are measured in the others.
var gasUnits = map[string]bool{"scf": true, "ft3": true, "Mcf": true, "MMcf": true, "Bcf": true}

// liquidOnly are the canonical units that measure liquids only (barrels).
var liquidOnly = map[string]bool{"bbl": true, "STB": true, "MSTB": true, "MMSTB": true, "Mbbl": true, "MMbbl": true}

// checkVolumeUnit normalises unit, given for phase p's volumes (Options.Units): "" stays "";
// an unknown spelling, a time or a rate, barrels for gas or cubic feet for a liquid is EInvalid
// naming the field (<phase>_unit) and the units known.
func checkVolumeUnit(p Phase, unit string) (string, error) {
	if strings.TrimSpace(unit) == "" {
		return "", nil
	}
	field := string(p) + "_unit"
	u, known := NormalizeUnit(unit)
	switch {
	case !known || isTimeUnit(u) || strings.Contains(u, "/"):
		return "", wellbase.FieldError(wellbase.EInvalid, field, "%q is not a volume unit Wellbase knows; give one of %s", unit, strings.Join(VolumeUnits(p), ", "))
	case isGas(p) && liquidOnly[u]:
		return "", wellbase.FieldError(wellbase.EInvalid, field, "%s volumes in %s: barrels measure liquids; give one of %s", p, u, strings.Join(VolumeUnits(p), ", "))
	case !isGas(p) && gasUnits[u]:
		return "", wellbase.FieldError(wellbase.EInvalid, field, "%s volumes in %s: cubic feet measure gas; give one of %s", p, u, strings.Join(VolumeUnits(p), ", "))
	}
	return u, nil
}

func isGas(p Phase) bool { return p == Gas || p == GasInjected }

// VolumeUnits returns the canonical volume units of phase p (Sm3, kSm3, …, then barrels for
// liquids or cubic feet for gas), the choices a form offers.
func VolumeUnits(p Phase) []string {
	out := []string{"Sm3", "kSm3", "MSm3", "GSm3", "m3", "km3"}
	if isGas(p) {
		return append(out, "scf", "ft3", "Mcf", "MMcf", "Bcf")
	}
	return append(out, "bbl", "STB", "MSTB", "MMSTB", "Mbbl", "MMbbl")
}
