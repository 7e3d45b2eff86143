package petro

import (
	"bufio"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// volvePath is the public Volve composite log of well 15/9-19 SR, outside the repository.
const volvePath = "../../../shared/data/las/volve/15-9-19_SR_COMP.LAS"

// readTinyLAS reads a LAS 2.0 file with an unwrapped, whitespace-separated ~A section: enough
// for the Volve log, not a LAS reader (that is internal/las, which petro does not import). It
// returns the index curve and the other curves, with the ~W NULL value as NaN.
func readTinyLAS(tb testing.TB, path string) (Curve, []Curve) {
	tb.Helper()
	fh, err := os.Open(path)
	if os.IsNotExist(err) {
		tb.Skipf("Volve log not available at %s: skipping the real-data test", path)
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer fh.Close()
	var (
		curves  []Curve
		null    = math.NaN()
		section byte
	)
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for line := 0; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		switch {
		case text == "" || text[0] == '#':
			continue
		case text[0] == '~':
			section = text[1]
			continue
		}
		switch section {
		case 'W':
			if mnem, rest, ok := strings.Cut(text, "."); ok && strings.TrimSpace(mnem) == "NULL" {
				v, _, _ := strings.Cut(rest, ":")
				if null, err = strconv.ParseFloat(strings.TrimSpace(v), 64); err != nil {
					tb.Fatalf("line %d: NULL: %v", line, err)
				}
			}
		case 'C':
			mnem, rest, _ := strings.Cut(text, ".")
			unit, _, _ := strings.Cut(rest, " ")
			curves = append(curves, Curve{Mnemonic: strings.TrimSpace(mnem), Unit: unit})
		case 'A':
			fields := strings.Fields(text)
			if len(fields) != len(curves) {
				tb.Fatalf("line %d: %d values, want %d", line, len(fields), len(curves))
			}
			for i, f := range fields {
				v, err := strconv.ParseFloat(f, 64)
				if err != nil {
					tb.Fatalf("line %d: %v", line, err)
				}
				if i > 0 && v == null { // never NULL the index by value
					v = math.NaN()
				}
				curves[i].Values = append(curves[i].Values, v)
			}
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	if len(curves) < 2 {
		tb.Fatalf("%s: %d curves", path, len(curves))
	}
	return curves[0], curves[1:]
}

// nullMedian returns the median of the non-null values and their count.
func nullMedian(vs []float64) (float64, int) {
	xs := finiteValues(vs)
	if len(xs) == 0 {
		return math.NaN(), 0
	}
	return percentile(xs, 50), len(xs)
}

func TestVolve(t *testing.T) {
	t.Parallel()
	depth, curves := readTinyLAS(t, volvePath)
	if len(depth.Values) != 29754 || depth.Mnemonic != "DEPT" || depth.Unit != "M" {
		t.Fatalf("index %s [%s], %d rows; want DEPT [M], 29 754 rows", depth.Mnemonic, depth.Unit, len(depth.Values))
	}
	units := map[string]string{}
	for _, c := range curves {
		units[c.Mnemonic] = c.Unit
	}
	// The file's units: neutron porosity in %, density in g/cc.
	for m, u := range map[string]string{"GR": "GAPI", "DEN": "G/CC", "NEU": "%", "RDEP": "OHMM"} {
		if units[m] != u {
			t.Fatalf("%s unit %q, want %q (units %v)", m, units[m], u, units)
		}
	}
	in := func(m string) []float64 { return curveByName(curves, m).Values }
	gr, den, neu, rdep := in("GR"), in("DEN"), in("NEU"), in("RDEP")

	res := mustCompute(t, depth, curves, Params{Rw: 0.05})
	u := res.Used
	if u.GR != "GR" || u.RHOB != "DEN" || u.RT != "RDEP" || u.NPHI != "" {
		t.Errorf("used GR=%q RHOB=%q RT=%q NPHI=%q", u.GR, u.RHOB, u.RT, u.NPHI)
	}
	if got := outputs(res); !slices.Equal(got, []string{"VSH", "PHID", "SW"}) {
		t.Fatalf("outputs %v", got)
	}
	t.Logf("GR picks P5 = %.2f API, P95 = %.2f API; warnings %q", *u.GRClean, *u.GRShale, res.Warnings)
	if !(*u.GRClean > 5 && *u.GRClean < 60 && *u.GRShale > 80 && *u.GRShale < 200) {
		t.Errorf("GR picks %g/%g API not plausible", *u.GRClean, *u.GRShale)
	}

	nullIn := map[string]func(i int) bool{
		"VSH":  func(i int) bool { return math.IsNaN(gr[i]) },
		"PHID": func(i int) bool { return math.IsNaN(den[i]) },
		"SW":   func(i int) bool { return math.IsNaN(den[i]) || math.IsNaN(rdep[i]) },
	}
	medians := map[string]float64{}
	for _, c := range res.Curves {
		for i, v := range c.Values {
			if nullIn[c.Mnemonic](i) != math.IsNaN(v) {
				t.Fatalf("%s[%d] = %g at depth %g: NULL out must match NULL in", c.Mnemonic, i, v, depth.Values[i])
			}
			if v < 0 || v > 1 {
				t.Fatalf("%s[%d] = %g outside [0, 1]", c.Mnemonic, i, v)
			}
		}
		med, n := nullMedian(c.Values)
		medians[c.Mnemonic] = med
		t.Logf("%-4s median %.4f over %d samples", c.Mnemonic, med, n)
	}
	// Sensible over the whole log: sands and shales, a density porosity of some 5–30 p.u., and
	// mostly water-bearing or shaly rock, where the clean-sand Archie equation gives SW ≥ 1.
	for m, r := range map[string][2]float64{"VSH": {0.2, 0.8}, "PHID": {0.05, 0.3}, "SW": {0.5, 1}} {
		if med := medians[m]; !(med >= r[0] && med <= r[1]) {
			t.Errorf("%s median %.4f outside the sensible range %v", m, med, r)
		}
	}
	// Two zones tell the story: a water-bearing sand at 3675–3800 m (ρb ≈ 2.17 g/cc, RDEP ≈ 0.4
	// ohm·m: φ²·Rt ≈ 0.033 < Rw, so SW clips to 1) and a resistive sand at 4318–4330 m
	// (RDEP ≈ 30 ohm·m) that the equation reads as hydrocarbon-bearing.
	for _, z := range []struct {
		name           string
		top, base      float64
		phiMin, phiMax float64
		swMin, swMax   float64
	}{
		{"water sand", 3675, 3800, 0.2, 0.35, 0.9, 1},
		{"resistive sand", 4318, 4330, 0.15, 0.35, 0, 0.35},
	} {
		var phi, s []float64
		for i, d := range depth.Values {
			if d >= z.top && d < z.base && !math.IsNaN(res.Curve("SW").Values[i]) {
				phi = append(phi, res.Curve("PHID").Values[i])
				s = append(s, res.Curve("SW").Values[i])
			}
		}
		mPhi, _ := nullMedian(phi)
		mSw, n := nullMedian(s)
		t.Logf("%s %g–%g m: %d samples, PHID median %.4f, SW median %.4f", z.name, z.top, z.base, n, mPhi, mSw)
		if n < 50 || mPhi < z.phiMin || mPhi > z.phiMax || mSw < z.swMin || mSw > z.swMax {
			t.Errorf("%s: PHID median %.4f (want %g–%g), SW median %.4f (want %g–%g)", z.name, mPhi, z.phiMin, z.phiMax, mSw, z.swMin, z.swMax)
		}
	}
	for _, m := range vshMethods[1:] {
		r := mustCompute(t, depth, curves, Params{VshMethod: m.name})
		med, _ := nullMedian(r.Curve("VSH").Values)
		t.Logf("VSH %-17s median %.4f", m.name, med)
		if med > medians["VSH"] {
			t.Errorf("%s median %g above the linear %g", m.name, med, medians["VSH"])
		}
	}

	// Without DEN, SW uses NEU, converted from % to v/v.
	noDen := slices.DeleteFunc(slices.Clone(curves), func(c Curve) bool { return c.Mnemonic == "DEN" })
	rn := mustCompute(t, depth, noDen, Params{Rw: 0.05})
	if rn.Used.NPHI != "NEU" || rn.Curve("PHID") != nil || !hasWarning(rn, "SW uses the neutron porosity NEU") {
		t.Fatalf("used %+v, outputs %v, warnings %q", rn.Used, outputs(rn), rn.Warnings)
	}
	sw := rn.Curve("SW").Values
	for i := range sw {
		phi, err := PorosityToFraction(neu[i], units["NEU"])
		if err != nil {
			t.Fatal(err)
		}
		if want := ArchieSw(clip01(phi), rdep[i], 0.05, 1, 2, 2); !near(sw[i], want, 1e-15) {
			t.Fatalf("SW from NEU [%d] = %g, want %g (NEU %g %%)", i, sw[i], want, neu[i])
		}
	}
	med, n := nullMedian(sw)
	t.Logf("SW from NEU median %.4f over %d samples; warnings %q", med, n, rn.Warnings)
}
