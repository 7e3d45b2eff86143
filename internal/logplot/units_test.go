package logplot

import (
	"math"
	"slices"
	"testing"
)

func TestDisplayUnit(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"US/F", "µs/ft"},
		{"us/ft", "µs/ft"},
		{"µs/ft", "µs/ft"}, // the micro sign written out is the same unit
		{"USEC/M", "µs/m"},
		{"G/CC", "g/cm3"},
		{"G/C3", "g/cm3"},
		{"K/M3", "kg/m3"},
		{"OHMM", "ohm·m"},
		{"ohm.m", "ohm·m"},
		{"GAPI", "gAPI"},
		{"M", "m"},
		{" F ", "ft"},
		{"[IN]", "in"},
		{"DEGC", "°C"},
		{"V/V", "v/v"},
		{"%", "%"},
		{"KLBF", "klbf"},
		{"NONE", ""}, // "no unit" written out
		{" furlong/fortnight ", "furlong/fortnight"}, // unknown: as written, trimmed
		{"", ""},
	} {
		if got := DisplayUnit(tt.in); got != tt.want {
			t.Errorf("DisplayUnit(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCurveLabel(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		pos  int
		want string
	}{
		{"1  DEPTH", 0, "DEPTH"}, // Volve: 1-based
		{"2  Sonic Transit Time (Slowness)", 1, "Sonic Transit Time (Slowness)"},
		{"  1 Sonic Travel Time", 1, "Sonic Travel Time"}, // 0-based numbering
		{"4 Arm Caliper", 2, "4 Arm Caliper"},             // not its ordinal
		{"3D Porosity", 2, "3D Porosity"},                 // no space after the number
		{"12", 11, "12"},                                  // a number alone is not stripped
		{" Gamma Ray ", 4, "Gamma Ray"},
		{"", 0, ""},
	} {
		if got := CurveLabel(tt.in, tt.pos); got != tt.want {
			t.Errorf("CurveLabel(%q, %d) = %q, want %q", tt.in, tt.pos, got, tt.want)
		}
	}
}

func TestDrawUnit(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		mnemonic, unit string
		factor         float64
		want           string
		ok             bool
	}{
		{"DEN", "K/M3", 0.001, "g/cm3", true},
		{"RHOB", "G/CC", 1, "g/cm3", true},
		{"NEU", "%", 0.01, "v/v", true},
		{"AC", "US/M", 0.3048, "µs/ft", true},
		{"CALI", "MM", 1 / 25.4, "in", true},
		{"GR", "GAPI", 1, "", false},  // drawn in its own unit
		{"NEU", "XYZ", 1, "", false},  // a unit the family cannot convert
		{"TENS", "LBF", 1, "", false}, // no family
	} {
		f, u, ok := DrawUnit(tt.mnemonic, tt.unit)
		if ok != tt.ok || u != tt.want || math.Abs(f-tt.factor) > 1e-12 {
			t.Errorf("DrawUnit(%q, %q) = %v, %q, %v; want %v, %q, %v", tt.mnemonic, tt.unit, f, u, ok, tt.factor, tt.want, tt.ok)
		}
	}
}

func TestDisplay(t *testing.T) {
	t.Parallel()
	got := Display(3, "DEN", "K/M3", "4  Bulk Density")
	want := CurveDisplay{DisplayUnit: "kg/m3", Label: "Bulk Density", DrawUnit: "g/cm3", DrawFactor: 0.001}
	if got != want {
		t.Errorf("Display(DEN, K/M3) = %+v, want %+v", got, want)
	}
	if got := Display(0, "DEPT", "M", "1  DEPTH"); got != (CurveDisplay{DisplayUnit: "m", Label: "DEPTH"}) {
		t.Errorf("Display(DEPT, M) = %+v", got)
	}
}

// TestDefaultCurves: one curve of each known family in file order (a log of many resistivity
// curves still shows its gamma ray and density), the first curves when none is known.
func TestDefaultCurves(t *testing.T) {
	m := []string{"TENS", "RXO", "RT90", "RT60", "RT30", "RT20", "RT10", "RT", "RMUD", "RHOB", "GR", "NPHI", "DT", "CALI", "GR2"}
	u := []string{"LBS", "OHMM", "OHMM", "OHMM", "OHMM", "OHMM", "OHMM", "OHMM", "OHMM", "G/C3", "GAPI", "V/V", "US/F", "IN", "GAPI"}
	got := DefaultCurves(m, u, 8)
	for _, want := range []string{"GR", "RHOB", "NPHI", "DT", "CALI"} {
		if !slices.Contains(got, want) {
			t.Errorf("DefaultCurves = %v lacks %s", got, want)
		}
	}
	if slices.Contains(got, "GR2") || slices.Contains(got, "TENS") || len(got) > 8 {
		t.Errorf("DefaultCurves = %v: a second gamma ray, tension, or more than 8", got)
	}
	if got := DefaultCurves([]string{"A", "B", "C"}, []string{"", "", ""}, 2); !slices.Equal(got, []string{"A", "B"}) {
		t.Errorf("no known family: %v, want the first two", got)
	}
}
