package logplot

import (
	"image/color"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg"
)

// trackKind is one of the fixed tracks of the composite layout, in left-to-right order.
type trackKind int

const (
	trackGamma    trackKind = iota // track 1: gamma ray, SP, caliper, bit size
	trackResist                    // resistivity, logarithmic
	trackPorosity                  // density, neutron, photoelectric factor
	trackSonic                     // compressional slowness
	trackOther                     // one per unrecognised curve
)

// family describes a kind of curve: which track it goes in, the scale group it shares a scale
// with, its default scale, the unit it is drawn in and its line style.
type family struct {
	name  string
	track trackKind
	// group names the curves of a track that share one scale (resistivity; caliper and bit
	// size), so their lines can be compared directly.
	group     string
	mnemonics []string
	// units identify the family when the mnemonic is not in mnemonics; nil: never by unit.
	units []string
	// convert returns the factor from a curve's (normalised) unit to the drawing unit and the
	// drawing unit's label, or ok = false when the unit is not one of the family's. nil: the
	// curve's own unit is drawn as is.
	convert func(unit string) (factor float64, label string, ok bool)
	scale   scale
	// fixed keeps the default scale whatever the data: the density and neutron scales are
	// "compatible" (a water-filled limestone plots both curves on one line, and their separation
	// reads as shale or gas), which a scale fitted to the data would destroy.
	fixed  bool
	color  color.RGBA
	dashes []vg.Length
}

// Line colours follow the usual service-company presentation: gamma ray green, deep
// resistivity red, medium blue, shallow green, density red, neutron blue dashed, caliper black
// dashed.
var (
	black   = color.RGBA{A: 255}
	green   = color.RGBA{G: 128, A: 255}
	red     = color.RGBA{R: 204, A: 255}
	blue    = color.RGBA{B: 204, A: 255}
	magenta = color.RGBA{R: 170, B: 170, A: 255}
	purple  = color.RGBA{R: 102, B: 153, A: 255}
	brown   = color.RGBA{R: 139, G: 69, B: 19, A: 255}
	// spare colours for a second curve of the same family in a track.
	spares = []color.RGBA{
		{R: 255, G: 128, A: 255}, // orange
		{G: 139, B: 139, A: 255}, // teal
		brown,
		{R: 128, G: 128, B: 128, A: 255},
		{R: 85, G: 107, B: 47, A: 255}, // olive
		purple,
		magenta,
		black,
	}
	dashed = []vg.Length{vg.Points(5), vg.Points(2.5)}
	dotted = []vg.Length{vg.Points(1.5), vg.Points(1.5)}
	dashDt = []vg.Length{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2)}
)

// families is the track assignment table; see the package documentation. A curve matches the
// first family listing its mnemonic, else the first listing its unit, else none (its own track).
var families = []family{
	{
		name: "gamma ray", track: trackGamma, group: "gamma",
		mnemonics: []string{"GR", "GRC", "GRD", "GRS", "GRR", "GRN", "SGR", "CGR", "HSGR", "HCGR",
			"ECGR", "EHGR", "GRGC", "GR_EDTC", "GAM", "GAMMA", "GRAM"},
		units: []string{"API", "GAPI", "APIGR"},
		scale: scale{Left: 0, Right: 150}, color: green,
	},
	{
		name: "spontaneous potential", track: trackGamma, group: "sp",
		mnemonics: []string{"SP", "SSP", "SPBR"},
		scale:     scale{Left: -80, Right: 20}, color: black, dashes: dashDt,
	},
	{
		name: "caliper", track: trackGamma, group: "caliper",
		mnemonics: []string{"CALI", "CAL", "CALX", "CALY", "CAL1", "CAL2", "C1", "C2", "HCAL", "LCAL"},
		convert:   inches, scale: scale{Left: 6, Right: 16}, color: black, dashes: dashed,
	},
	{
		name: "bit size", track: trackGamma, group: "caliper",
		mnemonics: []string{"BS", "BIT", "BITSIZE"},
		convert:   inches, scale: scale{Left: 6, Right: 16}, color: brown, dashes: dotted,
	},
	{
		name: "deep resistivity", track: trackResist, group: "resistivity",
		mnemonics: []string{"RDEP", "RD", "RDEEP", "ILD", "RILD", "LLD", "RLLD", "RT", "AT90",
			"AHT90", "AF90", "HDRS", "IDPH", "RLA5"},
		scale: resistivityScale, color: red,
	},
	{
		name: "medium resistivity", track: trackResist, group: "resistivity",
		mnemonics: []string{"RMED", "RM", "ILM", "RILM", "LLS", "RLLS", "AT60", "AT30", "AHT60",
			"HMRS", "IMPH", "RLA3"},
		scale: resistivityScale, color: blue, dashes: dashed,
	},
	{
		name: "shallow resistivity", track: trackResist, group: "resistivity",
		mnemonics: []string{"RSHA", "RS", "MSFL", "RXO", "RXOZ", "SFL", "SFLU", "LL8", "MLL",
			"AT10", "AHT10", "RLA1"},
		scale: resistivityScale, color: green, dashes: dotted,
	},
	{
		name: "resistivity", track: trackResist, group: "resistivity",
		units: []string{"OHMM", "OHM.M", "OHM-M", "OHM·M", "OHMS.M", "OHM"},
		scale: resistivityScale, color: black,
	},
	{
		name: "bulk density", track: trackPorosity, group: "density",
		mnemonics: []string{"DEN", "RHOB", "RHOZ", "ZDEN", "DENS", "RHO8", "HDEN"},
		units:     []string{"G/CC", "G/CM3", "GM/CC", "G/C3", "GR/CC", "K/M3", "KG/M3"},
		convert:   gramsPerCC, scale: scale{Left: 1.95, Right: 2.95}, fixed: true, color: red,
	},
	{
		name: "neutron porosity", track: trackPorosity, group: "neutron",
		mnemonics: []string{"NEU", "NPHI", "TNPH", "NPOR", "CNL", "CNC", "NPHS", "APLC", "NPLS"},
		convert:   fraction, scale: scale{Left: 0.45, Right: -0.15}, fixed: true, color: blue, dashes: dashed,
	},
	{
		name: "photoelectric factor", track: trackPorosity, group: "pef",
		mnemonics: []string{"PEF", "PE", "PEFZ", "PEF8"},
		units:     []string{"B/E", "B/ELEC", "BARNS/E"},
		scale:     scale{Left: 0, Right: 10}, color: magenta, dashes: dotted,
	},
	{
		name: "sonic", track: trackSonic, group: "sonic",
		mnemonics: []string{"AC", "DT", "DTC", "DTCO", "DT4P", "DTP", "DT24"},
		units:     []string{"US/F", "US/FT", "USEC/FT", "US/M", "USEC/M"},
		convert:   microsPerFoot, scale: scale{Left: 140, Right: 40}, color: purple,
	},
}

// resistivityScale is the standard logarithmic resistivity scale, four decades from 0.2 ohm·m.
var resistivityScale = scale{Left: 0.2, Right: 2000, Log: true}

// micro spells the micro sign as U, as LAS units do (US/F).
var micro = strings.NewReplacer("µ", "U", "μ", "U")

// normUnit returns a unit in the upper-case, space-free form the family tables use.
func normUnit(u string) string {
	u = strings.ToUpper(micro.Replace(strings.TrimSpace(u)))
	u = strings.Trim(u, "[]()")
	return strings.ReplaceAll(u, " ", "")
}

// normMnemonic returns a mnemonic upper-case without the ":1", ":2" suffix a LAS reader adds to
// repeated mnemonics.
func normMnemonic(m string) string {
	m = strings.ToUpper(strings.TrimSpace(m))
	if i := strings.LastIndexByte(m, ':'); i > 0 {
		m = m[:i]
	}
	return m
}

// classify returns the family of a curve, or nil for an unrecognised curve.
func classify(mnemonic, unit string) *family {
	m, u := normMnemonic(mnemonic), normUnit(unit)
	for i := range families {
		if slices.Contains(families[i].mnemonics, m) {
			return &families[i]
		}
	}
	if u == "" {
		return nil
	}
	for i := range families {
		if slices.Contains(families[i].units, u) {
			return &families[i]
		}
	}
	return nil
}

// inches converts caliper and bit-size units to inches.
func inches(u string) (float64, string, bool) {
	switch u {
	case "IN", "INCH", "INCHES", "INS":
		return 1, "in", true
	case "MM":
		return 1 / 25.4, "in", true
	case "CM":
		return 1 / 2.54, "in", true
	}
	return 1, "", false
}

// gramsPerCC converts bulk-density units to g/cm3; K/M3 (kg/m³) is 1000 times g/cm3.
func gramsPerCC(u string) (float64, string, bool) {
	switch u {
	case "G/CC", "G/CM3", "GM/CC", "G/C3", "GR/CC", "GRAM/CC":
		return 1, "g/cm3", true
	case "K/M3", "KG/M3":
		return 0.001, "g/cm3", true
	}
	return 1, "", false
}

// fraction converts porosity units to v/v: %, PU (porosity units) and LPU/SPU/DPU
// (limestone, sandstone, dolomite porosity units) are percent.
func fraction(u string) (float64, string, bool) {
	switch u {
	case "V/V", "FRAC", "DEC", "CFCF", "M3/M3", "FT3/FT3":
		return 1, "v/v", true
	case "%", "PU", "P.U.", "LPU", "SPU", "DPU", "PERCENT":
		return 0.01, "v/v", true
	}
	return 1, "", false
}

// microsPerFoot converts slowness units to µs/ft.
func microsPerFoot(u string) (float64, string, bool) {
	switch u {
	case "US/F", "US/FT", "USEC/FT":
		return 1, "µs/ft", true
	case "US/M", "USEC/M":
		return 0.3048, "µs/ft", true
	}
	return 1, "", false
}

// track is one column of the plot with the curves drawn in it.
type track struct {
	kind   trackKind
	log    bool
	curves []*trackCurve
}

// trackCurve is one curve as drawn: Values times Factor is in the unit Unit.
type trackCurve struct {
	Mnemonic string
	Unit     string // drawing unit, as shown in the header
	Values   []float64
	Factor   float64
	Scale    scale
	Color    color.RGBA
	Dashes   []vg.Length
	fam      *family
}

// assignTracks sorts the curves into tracks: the fixed tracks in order gamma ray, resistivity,
// porosity, sonic (each only if used), then one linear track per unrecognised curve in input
// order. Within a track curves keep their input order.
func assignTracks(curves []Curve) []*track {
	fixed := map[trackKind]*track{}
	var others []*track
	for _, c := range curves {
		f := classify(c.Mnemonic, c.Unit)
		tc := &trackCurve{Mnemonic: c.Mnemonic, Unit: DisplayUnit(c.Unit), Values: c.Values, Factor: 1,
			Color: black, fam: f}
		if tc.Mnemonic == "" {
			tc.Mnemonic = "UNKNOWN"
		}
		if f == nil {
			others = append(others, &track{kind: trackOther, curves: []*trackCurve{tc}})
			continue
		}
		tc.Scale, tc.Color, tc.Dashes = f.scale, f.color, f.dashes
		if f.convert != nil {
			if factor, label, ok := f.convert(normUnit(c.Unit)); ok {
				tc.Factor, tc.Unit = factor, label
			}
		}
		t := fixed[f.track]
		if t == nil {
			t = &track{kind: f.track, log: f.scale.Log}
			fixed[f.track] = t
		}
		t.curves = append(t.curves, tc)
	}
	var out []*track
	for k := trackGamma; k < trackOther; k++ {
		if t := fixed[k]; t != nil {
			out = append(out, t)
		}
	}
	out = append(out, others...)
	for _, t := range out {
		spreadColors(t)
	}
	return out
}

// spreadColors gives a curve whose colour is already used in its track the first unused spare
// colour, so each header line matches exactly one curve.
func spreadColors(t *track) {
	used := map[color.RGBA]bool{}
	for _, c := range t.curves {
		if used[c.Color] {
			for _, s := range spares {
				if !used[s] {
					c.Color = s
					break
				}
			}
		}
		used[c.Color] = true
	}
}

// fitScales sets each curve's scale from its family default and the data in samples
// [from, to): curves of a track in the same scale group share one scale fitted to all of them.
func fitScales(tracks []*track, from, to int) {
	for _, t := range tracks {
		done := map[string]bool{}
		for _, c := range t.curves {
			group := ""
			if c.fam != nil {
				group = c.fam.group
			}
			if group != "" && done[group] || c.fam != nil && c.fam.fixed {
				continue
			}
			var members []*trackCurve
			var parts []percentileInput
			for _, o := range t.curves {
				if o == c || (group != "" && o.fam != nil && o.fam.group == group) {
					members = append(members, o)
					parts = append(parts, percentileInput{values: o.Values, factor: o.Factor, log: o.Scale.Log})
				}
			}
			p1, p99, ok := percentiles(parts, from, to)
			s := fitScale(c.Scale, p1, p99, ok)
			for _, m := range members {
				m.Scale = s
			}
			if group != "" {
				done[group] = true
			}
		}
	}
}

// DefaultCurves returns the curves a plot shows when none are asked for: the first curve of each
// family Wellbase knows (gamma ray, caliper, deep, medium and shallow resistivity, density,
// neutron, sonic, …), in file order, at most max; when the log has no curve of a known family,
// its first max curves. mnemonics and units are the candidate curves' (numeric, non-empty),
// in file order, the index excluded. Without the one-per-family rule a log with eight
// resistivity curves first showed those alone, and not its gamma ray or density.
func DefaultCurves(mnemonics, units []string, max int) []string {
	var out []string
	seen := map[string]bool{}
	for i, m := range mnemonics {
		f := classify(m, units[i])
		if f == nil || seen[f.name] || len(out) >= max {
			continue
		}
		seen[f.name] = true
		out = append(out, m)
	}
	if len(out) == 0 {
		out = append(out, mnemonics[:min(max, len(mnemonics))]...)
	}
	return out
}
