package petro

import "testing"

func TestDensityToGPerCC(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		v    float64
		unit string
		want float64
	}{
		{"KM3", 2550, "K/M3", 2.55},
		{"KgM3", 2550, "kg/m3", 2.55},
		{"KgM3Superscript", 2550, "kg/m³", 2.55},
		{"GCC", 2.55, "G/CC", 2.55},
		{"GCCLower", 2.55, "g/cc", 2.55},
		{"GCM3", 2.55, "g/cm3", 2.55},
		{"GMCC", 2.55, "gm/cc", 2.55},
		{"GC3", 2.55, "G/C3", 2.55},
		{"GCM3Bracketed", 2.55, "[g/cm3]", 2.55},
		{"LbFt3", 159.19, "lb/ft3", 159.19 * 0.01601846337},
		{"NULLStaysNULL", nan, "K/M3", nan},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := DensityToGPerCC(tc.v, tc.unit)
			if err != nil {
				t.Fatal(err)
			}
			if !near(got, tc.want, 1e-12) {
				t.Errorf("DensityToGPerCC(%g, %q) = %.15g, want %g", tc.v, tc.unit, got, tc.want)
			}
		})
	}
	for _, tc := range []struct{ name, unit string }{{"ErrUnknownUnit", "LB/GAL"}, {"ErrPorosityUnit", "%"}, {"ErrEmptyUnit", ""}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := DensityToGPerCC(2.5, tc.unit)
			want := []string{"density unit"}
			if tc.unit != "" {
				want = append(want, `"`+tc.unit+`"`)
			}
			wantInvalid(t, err, "unit", want...)
		})
	}
}

func TestPorosityToFraction(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		v    float64
		unit string
		want float64
	}{
		{"Percent", 25, "%", 0.25},
		{"PU", 25, "PU", 0.25},
		{"PUDotted", 25, "p.u.", 0.25},
		{"LimestonePU", 25, "LPU", 0.25},
		{"SandstonePU", 25, "spu", 0.25},
		{"VV", 0.25, "V/V", 0.25},
		{"Dec", 0.25, "dec", 0.25},
		{"Frac", 0.25, "frac", 0.25},
		{"M3M3", 0.25, "m3/m3", 0.25},
		{"CFCF", 0.25, "CFCF", 0.25},
		{"NegativeKept", -2, "%", -0.02},
		{"NULLStaysNULL", nan, "%", nan},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := PorosityToFraction(tc.v, tc.unit)
			if err != nil {
				t.Fatal(err)
			}
			if !near(got, tc.want, 1e-15) {
				t.Errorf("PorosityToFraction(%g, %q) = %g, want %g", tc.v, tc.unit, got, tc.want)
			}
		})
	}
	for _, tc := range []struct{ name, unit string }{{"ErrUnknownUnit", "CPS"}, {"ErrDensityUnit", "G/CC"}, {"ErrEmptyUnit", ""}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := PorosityToFraction(25, tc.unit)
			wantInvalid(t, err, "unit", "porosity unit")
		})
	}
}

func TestNormUnit(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"g/cc": "G/CC", " G / CC ": "G/CC", "(kg/m**3)": "KG/M3", "kg/m^3": "KG/M3", "ohm·m": "OHM.M", "": "",
	} {
		if got := normUnit(in); got != want {
			t.Errorf("normUnit(%q) = %q, want %q", in, got, want)
		}
	}
	for _, u := range []string{"OHMM", "ohm.m", "ohm-m", "Ohm m", "OHMS"} {
		if !resistivityUnits[normUnit(u)] {
			t.Errorf("resistivity unit %q not accepted", u)
		}
	}
	for _, u := range []string{"GAPI", "gAPI", "API"} {
		if !gammaRayUnits[normUnit(u)] {
			t.Errorf("gamma-ray unit %q not accepted", u)
		}
	}
}
