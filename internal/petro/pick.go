package petro

import (
	"fmt"
	"strings"
)

// Standard mnemonics, in order of preference; see [Params].
var (
	grNames   = []string{"GR", "GRC", "ECGR", "SGR", "HSGR", "GRD", "GR_EDTC", "GRS", "CGR", "HCGR"}
	rhobNames = []string{"RHOB", "RHOZ", "DEN", "ZDEN", "DENS", "RHO8", "ZDNC", "HROM", "RHOM", "DENB"}
	rtNames   = []string{"RT", "RDEP", "ILD", "LLD", "RD", "RILD", "RLLD", "AT90", "AHT90", "AF90", "AO90", "RLA5", "HLLD", "HDRS"}
	nphiNames = []string{"NPHI", "TNPH", "NEU", "NPOR", "CNC", "CNCF", "NPHS", "NPSS", "NPLS", "NPHI_LIM"}
)

// pickCurve returns the curve named explicit (case-insensitive, then ignoring ":n" duplicate
// suffixes; an error naming field if absent) or, when explicit is "", the first curve whose
// mnemonic without a ":n" suffix is the earliest of names (nil if none), with a warning when
// several curves match.
func pickCurve(curves []Curve, field, explicit string, names []string) (*Curve, string, error) {
	match := func(name string, base bool) (first *Curve, all []string) {
		for i := range curves {
			m := curves[i].Mnemonic
			if base {
				m = baseMnemonic(m)
			}
			if strings.EqualFold(strings.TrimSpace(m), name) {
				if first == nil {
					first = &curves[i]
				}
				all = append(all, curves[i].Mnemonic)
			}
		}
		return first, all
	}
	if explicit = strings.TrimSpace(explicit); explicit != "" {
		c, all := match(explicit, false)
		if c == nil { // "GR" for a log whose duplicates are "GR:1", "GR:2"
			c, all = match(explicit, true)
		}
		if c == nil {
			return nil, "", invalidf(field, "curve %q not found%s", explicit, logHas(curves))
		}
		if len(all) > 1 {
			return c, fmt.Sprintf("%d curves match %s (%s): using %s", len(all), explicit, strings.Join(all, ", "), c.Mnemonic), nil
		}
		return c, "", nil
	}
	for _, name := range names {
		if c, all := match(name, true); c != nil {
			if len(all) > 1 {
				return c, fmt.Sprintf("%d curves match %s (%s): using %s", len(all), name, strings.Join(all, ", "), c.Mnemonic), nil
			}
			return c, "", nil
		}
	}
	return nil, "", nil
}

// baseMnemonic strips the ":n" suffix the LAS reader adds to duplicate mnemonics.
func baseMnemonic(m string) string {
	if i := strings.LastIndexByte(m, ':'); i > 0 && i < len(m)-1 && strings.Trim(m[i+1:], "0123456789") == "" {
		return m[:i]
	}
	return m
}

// logHas returns " (the log has A, B, C)" for error messages.
func logHas(curves []Curve) string {
	if len(curves) == 0 {
		return " (the log has no curves)"
	}
	names := make([]string, len(curves))
	for i, c := range curves {
		names[i] = c.Mnemonic
	}
	return " (the log has " + strings.Join(names, ", ") + ")"
}
