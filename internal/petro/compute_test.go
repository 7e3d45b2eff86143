package petro

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// testLog is a six-sample log with one NULL per input curve, each at a different depth.
func testLog() (Curve, []Curve) {
	depth := Curve{Mnemonic: "DEPT", Unit: "M", Values: []float64{1000, 1000.5, 1001, 1001.5, 1002, 1002.5}}
	return depth, []Curve{
		{Mnemonic: "CALI", Unit: "IN", Values: []float64{8.5, 8.6, 8.5, 8.7, 8.5, 8.5}},
		{Mnemonic: "GR", Unit: "GAPI", Values: []float64{20, 70, 120, 45, nan, 200}},
		{Mnemonic: "RHOB", Unit: "G/CC", Values: []float64{2.45, 2.3, 2.65, nan, 2.2, 2.5}},
		{Mnemonic: "RT", Unit: "OHMM", Values: []float64{20, 5, 2, 10, nan, 0}},
		{Mnemonic: "NPHI", Unit: "V/V", Values: []float64{0.2, 0.25, 0.35, 0.3, 0.22, nan}},
	}
}

// curveByName returns the named input curve of a test log.
func curveByName(curves []Curve, m string) Curve {
	for _, c := range curves {
		if c.Mnemonic == m {
			return c
		}
	}
	panic("no curve " + m)
}

// mustCompute runs Compute and fails the test on an error.
func mustCompute(tb testing.TB, depth Curve, curves []Curve, p Params) *Result {
	tb.Helper()
	res, err := Compute(depth, curves, p)
	if err != nil {
		tb.Fatalf("Compute: %v", err)
	}
	return res
}

// outputs returns the mnemonics of the result curves.
func outputs(res *Result) []string {
	var s []string
	for _, c := range res.Curves {
		s = append(s, c.Mnemonic)
	}
	return s
}

// hasWarning reports whether some warning contains part.
func hasWarning(res *Result, part string) bool {
	return slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, part) })
}

func TestCompute(t *testing.T) {
	t.Parallel()
	depth, curves := testLog()
	gr, rhob, rt := curveByName(curves, "GR"), curveByName(curves, "RHOB"), curveByName(curves, "RT")
	res := mustCompute(t, depth, curves, Params{GRClean: ptr(20), GRShale: ptr(120), VshMethod: Steiber, Rw: 0.05})

	if got, want := outputs(res), []string{"VSH", "PHID", "SW"}; !slices.Equal(got, want) {
		t.Fatalf("outputs %v, want %v", got, want)
	}
	vsh, phid, sw := res.Curve("VSH"), res.Curve("PHID"), res.Curve("SW")
	for _, c := range res.Curves {
		if c.Unit != UnitFraction || len(c.Values) != len(depth.Values) {
			t.Errorf("%s: unit %q, %d samples", c.Mnemonic, c.Unit, len(c.Values))
		}
	}
	for i := range depth.Values {
		if want := VshSteiber(GammaRayIndex(gr.Values[i], 20, 120)); !near(vsh.Values[i], want, 1e-15) {
			t.Errorf("VSH[%d] = %g, want %g", i, vsh.Values[i], want)
		}
		if want := DensityPorosity(rhob.Values[i], 2.65, 1); !near(phid.Values[i], want, 1e-15) {
			t.Errorf("PHID[%d] = %g, want %g", i, phid.Values[i], want)
		}
		want := ArchieSw(phid.Values[i], rt.Values[i], 0.05, 1, 2, 2)
		if !near(sw.Values[i], want, 1e-15) {
			t.Errorf("SW[%d] = %g, want %g", i, sw.Values[i], want)
		}
	}
	// The reference sample: ρb = 2.45 → φD = 0.12121; IGR 0 → Vsh 0.
	if !near(phid.Values[0], 0.12121, ref5) || vsh.Values[0] != 0 || vsh.Values[1] != 0.25 || vsh.Values[5] != 1 {
		t.Errorf("PHID[0] = %g, VSH = %v", phid.Values[0], vsh.Values)
	}

	u := res.Used
	if u.GR != "GR" || u.RHOB != "RHOB" || u.RT != "RT" || u.NPHI != "" {
		t.Errorf("used mnemonics GR=%q RHOB=%q RT=%q NPHI=%q", u.GR, u.RHOB, u.RT, u.NPHI)
	}
	if *u.GRClean != 20 || *u.GRShale != 120 || u.GRCleanPercentile != 0 || u.GRShalePercentile != 0 {
		t.Errorf("used picks %g/%g, percentiles %g/%g", *u.GRClean, *u.GRShale, u.GRCleanPercentile, u.GRShalePercentile)
	}
	if u.VshMethod != Steiber || u.MatrixDensity != 2.65 || u.FluidDensity != 1 || u.A != 1 || u.M != 2 || u.N != 2 || u.Rw != 0.05 {
		t.Errorf("used defaults %+v", u)
	}
	// RT = 0 at the last sample is NULL, with a warning.
	if !hasWarning(res, "SW: 1 samples NULL where RT ≤ 0") {
		t.Errorf("warnings %q", res.Warnings)
	}
}

func TestComputeNULLMasking(t *testing.T) {
	t.Parallel()
	depth, curves := testLog()
	curves = slices.Clone(curves)
	inf := curveByName(curves, "GR")
	inf.Values = slices.Clone(inf.Values)
	inf.Values[0] = math.Inf(1) // infinite input is NULL too
	curves[1] = inf
	res := mustCompute(t, depth, curves, Params{Rw: 0.05})
	isNaN := func(c *Curve) []bool {
		b := make([]bool, len(c.Values))
		for i, v := range c.Values {
			b[i] = math.IsNaN(v)
			if !b[i] && (v < 0 || v > 1) {
				t.Errorf("%s[%d] = %g outside [0, 1]", c.Mnemonic, i, v)
			}
		}
		return b
	}
	for _, tc := range []struct {
		curve string
		want  []bool
	}{
		{"VSH", []bool{true, false, false, false, true, false}},   // GR Inf at 0, NULL at 4
		{"PHID", []bool{false, false, false, true, false, false}}, // RHOB NULL at 3
		{"SW", []bool{false, false, false, true, true, true}},     // RHOB NULL at 3, RT NULL at 4, RT 0 at 5
	} {
		if got := isNaN(res.Curve(tc.curve)); !slices.Equal(got, tc.want) {
			t.Errorf("%s NULL at %v, want %v", tc.curve, got, tc.want)
		}
	}
}

func TestComputeDoesNotModifyInputs(t *testing.T) {
	t.Parallel()
	depth, curves := testLog()
	_, orig := testLog()
	p := Params{GRClean: ptr(20), Rw: 0.05}
	res := mustCompute(t, depth, curves, p)
	for i := range curves {
		if !slices.EqualFunc(curves[i].Values, orig[i].Values, func(a, b float64) bool { return near(a, b, 0) }) {
			t.Errorf("%s modified", curves[i].Mnemonic)
		}
	}
	if *p.GRClean != 20 || p.GRShale != nil || res.Used.GRClean == p.GRClean {
		t.Errorf("params modified or aliased: %+v", p)
	}
}

func TestComputePercentilePicks(t *testing.T) {
	t.Parallel()
	// GR 0, 1, …, 100 API in a scrambled order, with NULLs: P5 = 5, P95 = 95.
	n := 121
	depth := Curve{Mnemonic: "DEPT", Unit: "M", Values: make([]float64, n)}
	gr := Curve{Mnemonic: "GR", Unit: "GAPI", Values: make([]float64, n)}
	for i := range n {
		depth.Values[i] = float64(i)
		gr.Values[i] = nan
		if i < 101 {
			gr.Values[i] = float64(i * 37 % 101)
		}
	}
	for _, tc := range []struct {
		name               string
		p                  Params
		clean, shale       float64
		cleanPct, shalePct float64
	}{
		{"DefaultP5P95", Params{}, 5, 95, 5, 95},
		{"P10P90", Params{GRCleanPercentile: 10, GRShalePercentile: 90}, 10, 90, 10, 90},
		{"Interpolated", Params{GRCleanPercentile: 2.5, GRShalePercentile: 97.5}, 2.5, 97.5, 2.5, 97.5},
		{"CleanGivenShaleP95", Params{GRClean: ptr(0)}, 0, 95, 0, 95},
		{"ShaleGivenCleanP5", Params{GRShale: ptr(150)}, 5, 150, 5, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := mustCompute(t, depth, []Curve{gr}, tc.p)
			u := res.Used
			if *u.GRClean != tc.clean || *u.GRShale != tc.shale {
				t.Errorf("picks %g/%g, want %g/%g", *u.GRClean, *u.GRShale, tc.clean, tc.shale)
			}
			if u.GRCleanPercentile != tc.cleanPct || u.GRShalePercentile != tc.shalePct {
				t.Errorf("percentiles %g/%g, want %g/%g", u.GRCleanPercentile, u.GRShalePercentile, tc.cleanPct, tc.shalePct)
			}
			vsh := res.Curve("VSH").Values
			for i, g := range gr.Values {
				if want := GammaRayIndex(g, tc.clean, tc.shale); !near(vsh[i], want, 1e-15) {
					t.Fatalf("VSH[%d] = %g, want %g", i, vsh[i], want)
				}
			}
		})
	}
	t.Run("AllNULLGivesNULLCurve", func(t *testing.T) {
		t.Parallel()
		empty := Curve{Mnemonic: "GR", Unit: "GAPI", Values: []float64{nan, nan}}
		res := mustCompute(t, Curve{Mnemonic: "DEPT", Values: []float64{1, 2}}, []Curve{empty}, Params{})
		if v := res.Curve("VSH").Values; !math.IsNaN(v[0]) || !math.IsNaN(v[1]) || res.Used.GRClean != nil {
			t.Errorf("VSH %v, used clean %v", v, res.Used.GRClean)
		}
		if !hasWarning(res, "no non-null samples") {
			t.Errorf("warnings %q", res.Warnings)
		}
	})
}

func TestComputeUnits(t *testing.T) {
	t.Parallel()
	depth, curves := testLog()
	want := mustCompute(t, depth, curves, Params{Rw: 0.05})
	// scaled returns the test log with the density in K/M3 or the porosity in LPU, and so on.
	scaled := func(mnemonic, unit string, factor float64) []Curve {
		out := slices.Clone(curves)
		for i, c := range out {
			if c.Mnemonic == mnemonic {
				c.Unit, c.Values = unit, slices.Clone(c.Values)
				for j := range c.Values {
					c.Values[j] *= factor
				}
				out[i] = c
			}
		}
		return out
	}
	without := func(cs []Curve, mnemonic string) []Curve {
		return slices.DeleteFunc(slices.Clone(cs), func(c Curve) bool { return c.Mnemonic == mnemonic })
	}
	same := func(t *testing.T, got, want *Result, mnemonic string, tol float64) {
		t.Helper()
		g, w := got.Curve(mnemonic), want.Curve(mnemonic)
		if g == nil || w == nil {
			t.Fatalf("%s missing: got %v, want %v", mnemonic, outputs(got), outputs(want))
		}
		for i := range w.Values {
			if !near(g.Values[i], w.Values[i], tol) {
				t.Errorf("%s[%d] = %.15g, want %.15g", mnemonic, i, g.Values[i], w.Values[i])
			}
		}
	}
	t.Run("DensityKM3", func(t *testing.T) {
		t.Parallel()
		got := mustCompute(t, depth, scaled("RHOB", "K/M3", 1000), Params{Rw: 0.05})
		same(t, got, want, "PHID", 1e-12)
		same(t, got, want, "SW", 1e-12)
	})
	t.Run("DensityNoUnitInferredGCC", func(t *testing.T) {
		t.Parallel()
		got := mustCompute(t, depth, scaled("RHOB", "", 1), Params{Rw: 0.05})
		same(t, got, want, "PHID", 0)
		if !hasWarning(got, "RHOB has no unit: read as g/cc") {
			t.Errorf("warnings %q", got.Warnings)
		}
	})
	t.Run("DensityNoUnitInferredKgM3", func(t *testing.T) {
		t.Parallel()
		got := mustCompute(t, depth, scaled("RHOB", " ", 1000), Params{Rw: 0.05})
		same(t, got, want, "PHID", 1e-12)
		if !hasWarning(got, "RHOB has no unit: read as kg/m3") {
			t.Errorf("warnings %q", got.Warnings)
		}
	})
	// Without a density curve SW uses the neutron porosity, converted to v/v.
	neutron := mustCompute(t, depth, without(curves, "RHOB"), Params{Rw: 0.05})
	t.Run("NeutronFallbackVV", func(t *testing.T) {
		t.Parallel()
		if got := outputs(neutron); !slices.Equal(got, []string{"VSH", "SW"}) {
			t.Fatalf("outputs %v", got)
		}
		nphi, rt := curveByName(curves, "NPHI"), curveByName(curves, "RT")
		for i, v := range neutron.Curve("SW").Values {
			w := ArchieSw(nphi.Values[i], rt.Values[i], 0.05, 1, 2, 2)
			if rt.Values[i] == 0 {
				w = nan
			}
			if !near(v, w, 1e-15) {
				t.Errorf("SW[%d] = %g, want %g", i, v, w)
			}
		}
		if neutron.Used.NPHI != "NPHI" || neutron.Used.RHOB != "" || !hasWarning(neutron, "SW uses the neutron porosity NPHI") {
			t.Errorf("used %+v, warnings %q", neutron.Used, neutron.Warnings)
		}
	})
	for _, tc := range []struct {
		name, unit string
		factor     float64
		warning    string
	}{
		{"NeutronPercent", "%", 100, ""},
		{"NeutronLPU", "LPU", 100, "limestone porosity units, used without a matrix correction"},
		{"NeutronNoUnitInferredPercent", "", 100, "NPHI has no unit: read as %"},
		{"NeutronNoUnitInferredVV", "", 1, "NPHI has no unit: read as v/v"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := mustCompute(t, depth, without(scaled("NPHI", tc.unit, tc.factor), "RHOB"), Params{Rw: 0.05})
			same(t, got, neutron, "SW", 1e-12)
			if tc.warning != "" && !hasWarning(got, tc.warning) {
				t.Errorf("warnings %q", got.Warnings)
			}
		})
	}
	t.Run("GRNoUnitReadAsAPI", func(t *testing.T) {
		t.Parallel()
		got := mustCompute(t, depth, scaled("GR", "", 1), Params{Rw: 0.05})
		same(t, got, want, "VSH", 0)
		if !hasWarning(got, "GR has no unit: read as API") {
			t.Errorf("warnings %q", got.Warnings)
		}
	})
}

func TestComputeCurvePicks(t *testing.T) {
	t.Parallel()
	depth := Curve{Mnemonic: "DEPT", Unit: "M", Values: []float64{1, 2, 3}}
	c := func(m, unit string, vs ...float64) Curve { return Curve{Mnemonic: m, Unit: unit, Values: vs} }
	for _, tc := range []struct {
		name               string
		curves             []Curve
		p                  Params
		gr, rhob, rt, nphi string
		outputs            []string
		warning            string
	}{
		{"VolveNames", []Curve{c("DEN", "G/CC", 2.3, 2.4, 2.5), c("RDEP", "OHMM", 20, 30, 40), c("GR", "GAPI", 30, 60, 90), c("NEU", "%", 20, 25, 30)},
			Params{Rw: 0.05}, "GR", "DEN", "RDEP", "", []string{"VSH", "PHID", "SW"}, ""},
		{"PreferenceOrder", []Curve{c("CGR", "GAPI", 1, 2, 3), c("GR", "GAPI", 30, 60, 90), c("RHOZ", "G/C3", 2.3, 2.4, 2.5), c("RHOB", "K/M3", 2300, 2400, 2500), c("LLD", "OHMM", 10, 20, 30), c("ILD", "OHMM", 20, 30, 40)},
			Params{Rw: 0.05}, "GR", "RHOB", "ILD", "", []string{"VSH", "PHID", "SW"}, ""},
		{"ExplicitCaseInsensitive", []Curve{c("GR", "GAPI", 30, 60, 90), c("HCGR", "GAPI", 20, 50, 80), c("RHOB", "G/CC", 2.3, 2.4, 2.5)},
			Params{GR: "hcgr"}, "HCGR", "RHOB", "", "", []string{"VSH", "PHID"}, ""},
		{"DuplicateMnemonicsFirstWins", []Curve{c("GR:1", "GAPI", 30, 60, 90), c("GR:2", "GAPI", 20, 50, 80)},
			Params{}, "GR:1", "", "", "", []string{"VSH"}, "2 curves match GR (GR:1, GR:2): using GR:1"},
		{"ExplicitBaseNameOfDuplicates", []Curve{c("GR:1", "GAPI", 30, 60, 90), c("GR:2", "GAPI", 20, 50, 80)},
			Params{GR: "gr"}, "GR:1", "", "", "", []string{"VSH"}, "2 curves match gr (GR:1, GR:2): using GR:1"},
		{"ExplicitDuplicateSuffix", []Curve{c("GR:1", "GAPI", 30, 60, 90), c("GR:2", "GAPI", 20, 50, 80)},
			Params{GR: "GR:2"}, "GR:2", "", "", "", []string{"VSH"}, ""},
		{"OnlyDensity", []Curve{c("RHOB", "G/CC", 2.3, 2.4, 2.5)},
			Params{}, "", "RHOB", "", "", []string{"PHID"}, ""},
		{"NoRwNoSW", []Curve{c("GR", "GAPI", 30, 60, 90), c("RHOB", "G/CC", 2.3, 2.4, 2.5), c("RT", "OHMM", 1, 2, 3)},
			Params{}, "GR", "RHOB", "", "", []string{"VSH", "PHID"}, "SW not computed: rw (formation-water resistivity) not given"},
		{"NoResistivityNoSW", []Curve{c("GR", "GAPI", 30, 60, 90), c("RHOB", "G/CC", 2.3, 2.4, 2.5)},
			Params{Rw: 0.05}, "GR", "RHOB", "", "", []string{"VSH", "PHID"}, "SW not computed: no resistivity curve (looked for RT, RDEP, ILD, LLD"},
		{"NoPorosityNoSW", []Curve{c("GR", "GAPI", 30, 60, 90), c("RT", "OHMM", 1, 2, 3)},
			Params{Rw: 0.05}, "GR", "", "", "", []string{"VSH"}, "SW not computed: no density curve"},
		{"NeutronOnlySW", []Curve{c("TNPH", "V/V", 0.2, 0.25, 0.3), c("AT90", "OHMM", 1, 2, 3)},
			Params{Rw: 0.05}, "", "", "AT90", "TNPH", []string{"SW"}, "SW uses the neutron porosity TNPH"},
		{"ExplicitNeutronIgnoredWithDensity", []Curve{c("RHOB", "G/CC", 2.3, 2.4, 2.5), c("NEU", "CPS", 1, 2, 3), c("RT", "OHMM", 1, 2, 3)},
			Params{NPHI: "NEU", Rw: 0.05}, "", "RHOB", "RT", "", []string{"PHID", "SW"}, "NEU not used: SW uses the density porosity PHID"},
		{"UnusedCurvesUnchecked", []Curve{c("GR", "GAPI", 30, 60, 90), c("RT", "MMHO/M", 1, 2), c("NPHI", "CPS", 1)},
			Params{}, "GR", "", "", "", []string{"VSH"}, "SW not computed: rw (formation-water resistivity) not given"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := mustCompute(t, depth, tc.curves, tc.p)
			u := res.Used
			if u.GR != tc.gr || u.RHOB != tc.rhob || u.RT != tc.rt || u.NPHI != tc.nphi {
				t.Errorf("used GR=%q RHOB=%q RT=%q NPHI=%q, want %q %q %q %q", u.GR, u.RHOB, u.RT, u.NPHI, tc.gr, tc.rhob, tc.rt, tc.nphi)
			}
			if got := outputs(res); !slices.Equal(got, tc.outputs) {
				t.Errorf("outputs %v, want %v", got, tc.outputs)
			}
			if tc.warning != "" && !hasWarning(res, tc.warning) {
				t.Errorf("warnings %q lack %q", res.Warnings, tc.warning)
			}
			if tc.warning == "" && len(res.Warnings) > 0 {
				t.Errorf("unexpected warnings %q", res.Warnings)
			}
		})
	}
}

func TestComputeClipping(t *testing.T) {
	t.Parallel()
	depth := Curve{Mnemonic: "DEPT", Unit: "M", Values: []float64{1, 2, 3, 4}}
	curves := []Curve{
		{Mnemonic: "RHOB", Unit: "G/CC", Values: []float64{2.8, 2.9, 0.9, 2.3}}, // two above matrix, one below fluid
		{Mnemonic: "RT", Unit: "OHMM", Values: []float64{50, 50, 50, 0.1}},      // wet at the last sample
	}
	res := mustCompute(t, depth, curves, Params{Rw: 0.05})
	phid, sw := res.Curve("PHID").Values, res.Curve("SW").Values
	if !slices.Equal(phid[:3], []float64{0, 0, 1}) || !slices.Equal(sw[:3], []float64{1, 1, math.Sqrt(0.05 / 50)}) || sw[3] != 1 {
		t.Errorf("PHID %v, SW %v", phid, sw)
	}
	for _, w := range []string{"PHID: 2 samples clipped to 0 (RHOB above the matrix density 2.65 g/cc)",
		"PHID: 1 samples clipped to 1 (RHOB below the fluid density 1 g/cc)", "SW: 3 samples clipped to 1"} {
		if !hasWarning(res, w) {
			t.Errorf("warnings %q lack %q", res.Warnings, w)
		}
	}
}

func TestComputeVshMethods(t *testing.T) {
	t.Parallel()
	depth := Curve{Mnemonic: "DEPT", Unit: "M", Values: []float64{1, 2, 3}}
	gr := Curve{Mnemonic: "GR", Unit: "GAPI", Values: []float64{20, 70, 120}}
	for _, m := range vshMethods {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			res := mustCompute(t, depth, []Curve{gr}, Params{GRClean: ptr(20), GRShale: ptr(120), VshMethod: strings.ToUpper(m.name)})
			if got := res.Curve("VSH").Values; !near(got[1], m.at05, ref5) || got[0] != 0 || got[2] != m.f(1) {
				t.Errorf("VSH %v, want 0, %g, %g", got, m.at05, m.f(1))
			}
			if res.Used.VshMethod != m.name {
				t.Errorf("used method %q", res.Used.VshMethod)
			}
		})
	}
}

func TestComputeErrors(t *testing.T) {
	t.Parallel()
	depth, curves := testLog()
	replace := func(mnemonic string, f func(*Curve)) []Curve {
		out := slices.Clone(curves)
		for i := range out {
			if out[i].Mnemonic == mnemonic {
				f(&out[i])
			}
		}
		return out
	}
	unit := func(mnemonic, u string) []Curve { return replace(mnemonic, func(c *Curve) { c.Unit = u }) }
	for _, tc := range []struct {
		name   string
		curves []Curve
		p      Params
		field  string
		parts  []string
	}{
		{"ErrNothingToCompute", curves[3:4], Params{}, "curves", []string{"nothing to compute", "GR, GRC, ECGR", "RHOB, RHOZ, DEN", "the log has RT"}},
		{"ErrNoCurves", nil, Params{}, "curves", []string{"the log has no curves"}},
		{"ErrNamedCurveNotFound", curves, Params{GR: "GRX"}, "gr", []string{`"GRX" not found`, "the log has CALI, GR, RHOB, RT, NPHI"}},
		{"ErrNamedDensityNotFound", curves, Params{RHOB: "ZDEN"}, "rhob", []string{`"ZDEN" not found`}},
		{"ErrLengthMismatch", replace("RHOB", func(c *Curve) { c.Values = c.Values[:4] }), Params{}, "curves", []string{"RHOB has 4 samples", "DEPT has 6"}},
		{"ErrUnknownDensityUnit", unit("RHOB", "LB/GAL"), Params{}, "rhob", []string{"RHOB", `unknown density unit "LB/GAL"`}},
		{"ErrDensityNoUnitOddValues", replace("RHOB", func(c *Curve) { c.Unit, c.Values = "", []float64{45, 45, 45, 45, 45, 45} }), Params{}, "rhob", []string{"RHOB has no unit", "median 45"}},
		{"ErrUnknownGRUnit", unit("GR", "CPS"), Params{}, "gr", []string{`unknown gamma-ray unit "CPS"`}},
		{"ErrUnknownResistivityUnit", unit("RT", "MMHO/M"), Params{Rw: 0.05}, "rt", []string{`unknown resistivity unit "MMHO/M"`}},
		{"ErrUnknownNeutronUnit", slices.DeleteFunc(unit("NPHI", "CPS"), func(c Curve) bool { return c.Mnemonic == "RHOB" }), Params{Rw: 0.05}, "nphi", []string{`unknown porosity unit "CPS"`}},
		{"ErrGRCleanEqualsShale", curves, Params{GRClean: ptr(60), GRShale: ptr(60)}, "gr_clean", []string{"gr_clean equals gr_shale", "divide by zero"}},
		{"ErrGRCleanAboveShale", curves, Params{GRClean: ptr(120), GRShale: ptr(20)}, "gr_clean", []string{"gr_clean (120 API) must be below gr_shale (20 API)"}},
		{"ErrGRCleanNaN", curves, Params{GRClean: ptr(nan)}, "gr_clean", []string{"finite"}},
		{"ErrConstantGR", replace("GR", func(c *Curve) { c.Values = []float64{75, 75, 75, 75, 75, nan} }), Params{}, "gr_clean_percentile",
			[]string{"gr_clean_percentile, 75 API", "gr_shale_percentile, 75 API"}},
		{"ErrShalePickBelowPercentileClean", curves, Params{GRShale: ptr(10)}, "gr_clean_percentile", []string{"must be below the shale pick (gr_shale, 10 API)"}},
		{"ErrPercentileOrder", curves, Params{GRCleanPercentile: 95, GRShalePercentile: 5}, "gr_clean_percentile", []string{"below gr_shale_percentile"}},
		{"ErrPercentileRange", curves, Params{GRShalePercentile: 150}, "gr_shale_percentile", []string{"(0, 100]"}},
		{"ErrNegativePercentile", curves, Params{GRCleanPercentile: -5}, "gr_clean_percentile", []string{"(0, 100]"}},
		{"ErrVshMethod", curves, Params{VshMethod: "gaussian"}, "vsh_method", []string{`"gaussian"`, "larionov-tertiary"}},
		{"ErrMatrixDensityInKgM3", curves, Params{MatrixDensity: 2650}, "matrix_density", []string{"looks like kg/m3: give 2.65"}},
		{"ErrMatrixDensityNegative", curves, Params{MatrixDensity: -1}, "matrix_density", []string{"(0, 5]"}},
		{"ErrFluidAboveMatrix", curves, Params{MatrixDensity: 2.65, FluidDensity: 2.7}, "fluid_density", []string{"below matrix_density"}},
		{"ErrArchieA", curves, Params{A: -1}, "a", []string{"Archie a"}},
		{"ErrArchieM", curves, Params{M: nan}, "m", []string{"Archie m"}},
		{"ErrArchieN", curves, Params{N: math.Inf(1)}, "n", []string{"Archie n"}},
		{"ErrRwNegative", curves, Params{Rw: -0.05}, "rw", []string{"ohm·m"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := Compute(depth, tc.curves, tc.p)
			if res != nil {
				t.Errorf("result %+v with the error", res)
			}
			wantInvalid(t, err, tc.field, tc.parts...)
		})
	}
}
