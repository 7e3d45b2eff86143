package petro

import (
	"fmt"
	"math"
	"strings"

	"github.com/wellbase/wellbase"
)

// Curve is one log curve: its samples, with NaN for NULL, and its mnemonic and unit as written
// in the LAS file (e.g. "DEN", "G/CC"). Duplicate mnemonics are expected in the form the LAS
// reader gives them ("GR:1", "GR:2").
type Curve struct {
	Mnemonic string
	Unit     string
	Values   []float64
}

// Params are the parameters of a petrophysics run. The zero value is valid and means: pick the
// curves by standard mnemonics, GR picks at P5/P95, linear shale volume, sandstone matrix
// 2.65 g/cc, fresh water 1.0 g/cc, Archie a = 1, m = 2, n = 2, and no water saturation (Rw is
// not given). A zero numeric field means its default. Errors name the fields by their JSON names.
type Params struct {
	// GR, RHOB, RT and NPHI name the gamma-ray, bulk-density, deep-resistivity and neutron curves
	// to use (case-insensitive; "GR" also finds the duplicates "GR:1", "GR:2", taking the first
	// with a warning). "" picks the first curve whose mnemonic (without a ":n"
	// duplicate suffix) is one of the standard names, in this order:
	//
	//	GR:   GR GRC ECGR SGR HSGR GRD GR_EDTC GRS CGR HCGR
	//	RHOB: RHOB RHOZ DEN ZDEN DENS RHO8 ZDNC HROM RHOM DENB
	//	RT:   RT RDEP ILD LLD RD RILD RLLD AT90 AHT90 AF90 AO90 RLA5 HLLD HDRS
	//	NPHI: NPHI TNPH NEU NPOR CNC CNCF NPHS NPSS NPLS NPHI_LIM
	GR   string `json:"gr,omitempty"`
	RHOB string `json:"rhob,omitempty"`
	RT   string `json:"rt,omitempty"`
	NPHI string `json:"nphi,omitempty"`

	// GRClean and GRShale are the gamma-ray picks (API) for clean rock (IGR = 0) and shale
	// (IGR = 1); GRClean < GRShale. A nil pick is taken from the non-null GR samples at the
	// percentile GRCleanPercentile or GRShalePercentile (0 < p ≤ 100, defaults 5 and 95,
	// linear interpolation between order statistics as in NumPy and R).
	GRClean           *float64 `json:"gr_clean,omitempty"`
	GRShale           *float64 `json:"gr_shale,omitempty"`
	GRCleanPercentile float64  `json:"gr_clean_percentile,omitempty"`
	GRShalePercentile float64  `json:"gr_shale_percentile,omitempty"`

	// VshMethod is the shale-volume method: [Linear] (default), [LarionovTertiary],
	// [LarionovOlder], [Clavier] or [Steiber].
	VshMethod string `json:"vsh_method,omitempty"`

	// MatrixDensity and FluidDensity (g/cc) are ρma and ρfl of the density porosity; defaults
	// 2.65 (sandstone) and 1.0 (fresh water); 0 < FluidDensity < MatrixDensity ≤ 5.
	MatrixDensity float64 `json:"matrix_density,omitempty"`
	FluidDensity  float64 `json:"fluid_density,omitempty"`

	// A, M and N are Archie's tortuosity factor and cementation and saturation exponents
	// (defaults 1, 2, 2; Humble 0.62, 2.15, 2), all > 0. Rw is the formation-water resistivity
	// at formation temperature, ohm·m; SW is computed only when Rw > 0.
	A  float64 `json:"a,omitempty"`
	M  float64 `json:"m,omitempty"`
	N  float64 `json:"n,omitempty"`
	Rw float64 `json:"rw,omitempty"`
}

// Result is the outcome of [Compute].
type Result struct {
	// Curves are VSH, PHID and SW, in that order, each in v/v ([UnitFraction]) with one sample
	// per index sample; only those whose inputs exist are present.
	Curves []Curve
	// Used holds the parameters actually used: the mnemonics of the curves read (those not read
	// are ""), the GR picks in API (and the percentiles they came from, if any), and every
	// default filled in.
	Used Params
	// Warnings are facts about the inputs and outputs the user should see: inferred units,
	// ambiguous mnemonics, clipped samples, outputs not computed and why.
	Warnings []string
}

// Curve returns the result curve with the mnemonic (VSH, PHID or SW), or nil.
func (r *Result) Curve(mnemonic string) *Curve {
	for i := range r.Curves {
		if r.Curves[i].Mnemonic == mnemonic {
			return &r.Curves[i]
		}
	}
	return nil
}

// Compute computes shale volume (VSH), density porosity (PHID) and Archie water saturation (SW)
// on a log. depth is the index curve; curves are the log's curves, each with as many samples as
// depth, NaN marking NULL. Neither is modified.
//
//   - VSH needs a gamma-ray curve (unit GAPI/API): IGR = (GR − GRClean)/(GRShale − GRClean)
//     clipped to [0, 1] ([GammaRayIndex]), then the VshMethod curve ([VshLinear] and others).
//   - PHID needs a bulk-density curve (g/cc, g/cm3, K/M3, … converted with [DensityToGPerCC]):
//     [DensityPorosity] with MatrixDensity and FluidDensity, clipped to [0, 1].
//   - SW needs a porosity, a deep-resistivity curve (ohm·m) and Rw > 0: [ArchieSw] with A, M, N.
//     The porosity is PHID; without a density curve it is the neutron porosity (v/v, %, LPU, …
//     converted with [PorosityToFraction], clipped to [0, 1]) and a warning says so.
//
// NULL (NaN) or infinite inputs give NULL outputs; resistivities ≤ 0 are treated as NULL too.
// An empty curve unit is inferred from its values where that is safe (g/cc or kg/m3 for density,
// v/v or % for porosity) or assumed (API, ohm·m), with a warning.
//
// Errors are *wellbase.Error with code invalid: an invalid parameter (the field named, e.g.
// "gr_clean" when GRClean ≥ GRShale, "vsh_method", "rw"), a named curve that is not in the log
// (the field, e.g. "rhob", and the log's mnemonics), no curve to compute anything from (field
// "curves", listing the standard mnemonics looked for), a curve whose length differs from the
// index's (field "curves"), or a unit that is not the curve's kind (the field, naming the unit).
func Compute(depth Curve, curves []Curve, p Params) (*Result, error) {
	used, vsh, err := p.resolve()
	if err != nil {
		return nil, err
	}
	res := &Result{}
	warn := func(format string, args ...any) { res.Warnings = append(res.Warnings, fmt.Sprintf(format, args...)) }

	var (
		picks     [4]*Curve
		ambiguous [4]string // warnings about several matching curves, given if the curve is read
	)
	for i, s := range []struct {
		field, explicit string
		names           []string
	}{{"gr", p.GR, grNames}, {"rhob", p.RHOB, rhobNames}, {"rt", p.RT, rtNames}, {"nphi", p.NPHI, nphiNames}} {
		c, w, err := pickCurve(curves, s.field, s.explicit, s.names)
		if err != nil {
			return nil, err
		}
		picks[i], ambiguous[i] = c, w
	}
	gr, rhob, rt, nphi := picks[0], picks[1], picks[2], picks[3]
	// The neutron curve is read only for SW when there is no density curve, and the resistivity
	// curve only when SW can be computed.
	if rhob != nil && nphi != nil {
		if p.NPHI != "" {
			warn("%s not used: SW uses the density porosity PHID", nphi.Mnemonic)
		}
		nphi = nil
	}
	switch {
	case used.Rw == 0:
		if rt != nil && (rhob != nil || nphi != nil) {
			warn("SW not computed: rw (formation-water resistivity) not given")
		}
		rt = nil
	case rhob == nil && nphi == nil:
		if gr != nil {
			warn("SW not computed: no density curve (looked for %s) and no neutron curve (looked for %s)",
				strings.Join(rhobNames, ", "), strings.Join(nphiNames, ", "))
		}
		rt = nil
	case rt == nil:
		warn("SW not computed: no resistivity curve (looked for %s)", strings.Join(rtNames, ", "))
	}
	if rt == nil {
		nphi = nil
	}
	if gr == nil && rhob == nil && nphi == nil {
		return nil, wellbase.FieldError(wellbase.EInvalid, "curves",
			"nothing to compute: no gamma-ray curve (looked for %s) and no density curve (looked for %s)%s",
			strings.Join(grNames, ", "), strings.Join(rhobNames, ", "), logHas(curves))
	}
	if gr == nil {
		used.GRClean, used.GRShale, used.GRCleanPercentile, used.GRShalePercentile, used.VshMethod = nil, nil, 0, 0, ""
	}
	n := len(depth.Values)
	for i, c := range []*Curve{gr, rhob, rt, nphi} {
		if c != nil && ambiguous[i] != "" {
			warn("%s", ambiguous[i])
		}
		if c != nil && len(c.Values) != n {
			return nil, wellbase.FieldError(wellbase.EInvalid, "curves",
				"curve %s has %d samples, the index %s has %d", c.Mnemonic, len(c.Values), depth.Mnemonic, n)
		}
	}

	if gr != nil {
		out, err := computeVsh(gr, &used, vsh, warn)
		if err != nil {
			return nil, err
		}
		res.Curves = append(res.Curves, out)
	}

	var phi []float64 // porosity for SW, v/v, clipped
	if rhob != nil {
		out, err := computePhid(rhob, &used, warn)
		if err != nil {
			return nil, err
		}
		res.Curves = append(res.Curves, out)
		phi = out.Values
	} else if nphi != nil && rt != nil {
		if phi, err = neutronPorosity(nphi, &used, warn); err != nil {
			return nil, err
		}
	}

	if rt != nil && phi != nil {
		out, err := computeSw(rt, phi, &used, warn)
		if err != nil {
			return nil, err
		}
		res.Curves = append(res.Curves, out)
	}
	res.Used = used
	return res, nil
}

// resolve validates p and returns it with its defaults filled in, the mnemonic fields cleared
// (Compute fills in those it reads) and the shale-volume function.
func (p Params) resolve() (Params, func(float64) float64, error) {
	q := p
	q.GR, q.RHOB, q.RT, q.NPHI = "", "", "", ""
	q.VshMethod = strings.ToLower(strings.TrimSpace(p.VshMethod))
	if q.VshMethod == "" {
		q.VshMethod = Linear
	}
	vsh := vshFunc(q.VshMethod)
	if vsh == nil {
		return q, nil, invalidf("vsh_method", "unknown shale-volume method %q (want %s, %s, %s, %s or %s)",
			p.VshMethod, Linear, LarionovTertiary, LarionovOlder, Clavier, Steiber)
	}
	for _, f := range []struct {
		name string
		v    *float64
	}{{"gr_clean", p.GRClean}, {"gr_shale", p.GRShale}} {
		if f.v != nil && !finite(*f.v) {
			return q, nil, invalidf(f.name, "%s must be a finite gamma-ray value in API, got %g", f.name, *f.v)
		}
	}
	if p.GRClean != nil && p.GRShale != nil {
		if err := checkPicks(*p.GRClean, *p.GRShale, "gr_clean", "gr_shale"); err != nil {
			return q, nil, err
		}
	}
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&q.GRCleanPercentile, 5)
	def(&q.GRShalePercentile, 95)
	def(&q.MatrixDensity, SandstoneDensity)
	def(&q.FluidDensity, FreshWaterDensity)
	def(&q.A, ArchieA)
	def(&q.M, ArchieM)
	def(&q.N, ArchieN)
	for _, f := range []struct {
		name string
		v    float64
	}{{"gr_clean_percentile", q.GRCleanPercentile}, {"gr_shale_percentile", q.GRShalePercentile}} {
		if !(f.v > 0 && f.v <= 100) {
			return q, nil, invalidf(f.name, "%s must be in (0, 100], got %g", f.name, f.v)
		}
	}
	if !(q.GRCleanPercentile < q.GRShalePercentile) {
		return q, nil, invalidf("gr_clean_percentile", "gr_clean_percentile (%g) must be below gr_shale_percentile (%g)",
			q.GRCleanPercentile, q.GRShalePercentile)
	}
	if !(q.MatrixDensity > 0 && q.MatrixDensity <= 5) {
		hint := ""
		if q.MatrixDensity > 100 {
			hint = fmt.Sprintf(" (%g looks like kg/m3: give %g)", q.MatrixDensity, q.MatrixDensity/1000)
		}
		return q, nil, invalidf("matrix_density", "matrix_density must be in g/cc, in (0, 5], got %g%s", q.MatrixDensity, hint)
	}
	if !(q.FluidDensity > 0 && q.FluidDensity < q.MatrixDensity) {
		return q, nil, invalidf("fluid_density", "fluid_density must be positive and below matrix_density (%g g/cc), got %g",
			q.MatrixDensity, q.FluidDensity)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"a", q.A}, {"m", q.M}, {"n", q.N}} {
		if !(f.v > 0) || math.IsInf(f.v, 0) {
			return q, nil, invalidf(f.name, "Archie %s must be positive and finite, got %g", f.name, f.v)
		}
	}
	if !(q.Rw >= 0) || math.IsInf(q.Rw, 0) {
		return q, nil, invalidf("rw", "rw must be a positive resistivity in ohm·m (or 0: no SW), got %g", q.Rw)
	}
	if p.GRClean != nil {
		v := *p.GRClean // not aliasing the caller's value
		q.GRClean = &v
	}
	if p.GRShale != nil {
		v := *p.GRShale
		q.GRShale = &v
	}
	if p.GRClean != nil && p.GRShale != nil {
		q.GRCleanPercentile, q.GRShalePercentile = 0, 0
	}
	return q, vsh, nil
}

// checkPicks returns an error naming both parameters unless clean < shale.
func checkPicks(clean, shale float64, cleanField, shaleField string) error {
	switch {
	case clean == shale:
		return invalidf(cleanField, "%s equals %s (%g API): the gamma-ray index would divide by zero", cleanField, shaleField, clean)
	case clean > shale:
		return invalidf(cleanField, "%s (%g API) must be below %s (%g API)", cleanField, clean, shaleField, shale)
	}
	return nil
}

// computeVsh returns the VSH curve of gr and records the GR picks in used.
func computeVsh(gr *Curve, used *Params, vsh func(float64) float64, warn func(string, ...any)) (Curve, error) {
	used.GR = gr.Mnemonic
	if u := normUnit(gr.Unit); u == "" {
		warn("%s has no unit: read as API", gr.Mnemonic)
	} else if !gammaRayUnits[u] {
		return Curve{}, unknownCurveUnit("gr", gr, "gamma-ray", gammaRayHint)
	}
	out := Curve{Mnemonic: "VSH", Unit: UnitFraction, Values: make([]float64, len(gr.Values))}
	clean, shale := used.GRClean, used.GRShale
	if clean == nil || shale == nil {
		xs := finiteValues(gr.Values)
		if len(xs) == 0 {
			warn("VSH is NULL everywhere: %s has no non-null samples to pick GR clean and shale from", gr.Mnemonic)
			used.GRClean, used.GRShale = nil, nil
			fillNaN(out.Values)
			return out, nil
		}
		cleanField, shaleField := "gr_clean", "gr_shale"
		if clean == nil {
			v := percentile(xs, used.GRCleanPercentile)
			clean, cleanField = &v, "gr_clean_percentile"
		} else {
			used.GRCleanPercentile = 0
		}
		if shale == nil {
			v := percentile(xs, used.GRShalePercentile)
			shale, shaleField = &v, "gr_shale_percentile"
		} else {
			used.GRShalePercentile = 0
		}
		if !(*clean < *shale) {
			return Curve{}, invalidf(cleanField, "%s: the GR clean pick (%s, %g API) must be below the shale pick (%s, %g API)",
				gr.Mnemonic, cleanField, *clean, shaleField, *shale)
		}
		used.GRClean, used.GRShale = clean, shale
	}
	c, inv := *clean, 1/(*shale-*clean)
	for i, v := range gr.Values {
		if !finite(v) {
			out.Values[i] = math.NaN()
			continue
		}
		out.Values[i] = vsh((v - c) * inv) // the Vsh functions clip IGR to [0, 1]
	}
	return out, nil
}

// computePhid returns the PHID curve of rhob and records its mnemonic in used.
func computePhid(rhob *Curve, used *Params, warn func(string, ...any)) (Curve, error) {
	used.RHOB = rhob.Mnemonic
	f, ok := densityFactors[normUnit(rhob.Unit)]
	if !ok {
		if normUnit(rhob.Unit) != "" {
			return Curve{}, unknownCurveUnit("rhob", rhob, "density", densityUnitsHint)
		}
		med, ok := median(rhob.Values)
		switch {
		case !ok || med >= 1 && med <= 3.5:
			f = 1
			warn("%s has no unit: read as g/cc (median %.4g)", rhob.Mnemonic, med)
		case med >= 1000 && med <= 3500:
			f = 1e-3
			warn("%s has no unit: read as kg/m3 (median %.4g)", rhob.Mnemonic, med)
		default:
			return Curve{}, wellbase.FieldError(wellbase.EInvalid, "rhob",
				"curve %s has no unit and its median %g is neither g/cc nor kg/m3", rhob.Mnemonic, med)
		}
	}
	ma, fl := used.MatrixDensity, used.FluidDensity
	out := Curve{Mnemonic: "PHID", Unit: UnitFraction, Values: make([]float64, len(rhob.Values))}
	var below, above int
	for i, v := range rhob.Values {
		if !finite(v) {
			out.Values[i] = math.NaN()
			continue
		}
		phi := densityPorosityRaw(v*f, ma, fl)
		if phi < 0 {
			phi = 0
			below++
		} else if phi > 1 {
			phi = 1
			above++
		}
		out.Values[i] = phi
	}
	if below > 0 {
		warn("PHID: %d samples clipped to 0 (%s above the matrix density %g g/cc)", below, rhob.Mnemonic, ma)
	}
	if above > 0 {
		warn("PHID: %d samples clipped to 1 (%s below the fluid density %g g/cc)", above, rhob.Mnemonic, fl)
	}
	return out, nil
}

// neutronPorosity returns nphi as a fraction clipped to [0, 1], for SW when there is no density
// curve, and records its mnemonic in used.
func neutronPorosity(nphi *Curve, used *Params, warn func(string, ...any)) ([]float64, error) {
	used.NPHI = nphi.Mnemonic
	u, ok := porosityUnits[normUnit(nphi.Unit)]
	if !ok {
		if normUnit(nphi.Unit) != "" {
			return nil, unknownCurveUnit("nphi", nphi, "porosity", porosityUnitsHint)
		}
		med, _ := median(nphi.Values)
		if med > 1 {
			u.factor = 0.01
			warn("%s has no unit: read as %% (median %.4g)", nphi.Mnemonic, med)
		} else {
			u.factor = 1
			warn("%s has no unit: read as v/v (median %.4g)", nphi.Mnemonic, med)
		}
	}
	msg := fmt.Sprintf("SW uses the neutron porosity %s: there is no density curve", nphi.Mnemonic)
	if u.matrix != "" {
		msg += fmt.Sprintf("; %s is in %s porosity units, used without a matrix correction", nphi.Mnemonic, u.matrix)
	}
	warn("%s", msg)
	phi := make([]float64, len(nphi.Values))
	for i, v := range nphi.Values {
		if !finite(v) {
			phi[i] = math.NaN()
			continue
		}
		phi[i] = clip01(v * u.factor)
	}
	return phi, nil
}

// computeSw returns the SW curve from the resistivity curve rt and the porosity phi (v/v, clipped)
// and records the mnemonic in used.
func computeSw(rt *Curve, phi []float64, used *Params, warn func(string, ...any)) (Curve, error) {
	used.RT = rt.Mnemonic
	if u := normUnit(rt.Unit); u == "" {
		warn("%s has no unit: read as ohm·m", rt.Mnemonic)
	} else if !resistivityUnits[u] {
		return Curve{}, unknownCurveUnit("rt", rt, "resistivity", resistivityHint)
	}
	out := Curve{Mnemonic: "SW", Unit: UnitFraction, Values: make([]float64, len(rt.Values))}
	rw, a, m, n := used.Rw, used.A, used.M, used.N
	var nonPositive, above int
	for i, r := range rt.Values {
		ph := phi[i]
		switch {
		case !finite(r) || math.IsNaN(ph):
			out.Values[i] = math.NaN()
			continue
		case r <= 0:
			nonPositive++
			out.Values[i] = math.NaN()
			continue
		}
		sw := archieRaw(ph, r, rw, a, m, n)
		if sw > 1 {
			sw = 1
			above++
		}
		out.Values[i] = sw
	}
	if nonPositive > 0 {
		warn("SW: %d samples NULL where %s ≤ 0", nonPositive, rt.Mnemonic)
	}
	if above > 0 {
		warn("SW: %d samples clipped to 1", above)
	}
	return out, nil
}

// unknownCurveUnit returns the error for a curve whose unit is not one of kind's.
func unknownCurveUnit(field string, c *Curve, kind, hint string) error {
	return invalidf(field, "curve %s: unknown %s unit %q (want %s)", c.Mnemonic, kind, c.Unit, hint)
}

// invalidf returns a *wellbase.Error with code invalid about the named input field.
func invalidf(field, format string, args ...any) error {
	return wellbase.FieldError(wellbase.EInvalid, field, format, args...)
}

// finite reports whether v is a number, neither NaN (NULL) nor ±Inf: v − v is 0 for finite v
// and NaN otherwise (one subtraction instead of two tests in the per-sample loops).
func finite(v float64) bool { return v-v == 0 }

// finiteValues returns a new slice of the finite values of vs.
func finiteValues(vs []float64) []float64 {
	xs := make([]float64, 0, len(vs))
	for _, v := range vs {
		if finite(v) {
			xs = append(xs, v)
		}
	}
	return xs
}

// median returns the median of the finite values of vs and whether there are any.
func median(vs []float64) (float64, bool) {
	xs := finiteValues(vs)
	if len(xs) == 0 {
		return math.NaN(), false
	}
	return percentile(xs, 50), true
}

// fillNaN sets every element of vs to NaN.
func fillNaN(vs []float64) {
	for i := range vs {
		vs[i] = math.NaN()
	}
}
