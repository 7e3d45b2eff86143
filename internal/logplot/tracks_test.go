package logplot

import (
	"testing"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		mnemonic, unit string
		want           string // family name, "" for none
	}{
		{"GR", "GAPI", "gamma ray"},
		{"gr:2", "API", "gamma ray"},
		{"CGR", "", "gamma ray"},
		{"GRX", "GAPI", "gamma ray"}, // by unit
		{"SP", "MV", "spontaneous potential"},
		{"CALI", "IN", "caliper"},
		{"BS", "IN", "bit size"},
		{"RDEP", "OHMM", "deep resistivity"},
		{"ILM", "ohm.m", "medium resistivity"},
		{"MSFL", "OHMM", "shallow resistivity"},
		{"R40", "OHMM", "resistivity"}, // by unit
		{"RHOB", "K/M3", "bulk density"},
		{"ZZZ", "g/cm3", "bulk density"}, // by unit
		{"NPHI", "%", "neutron porosity"},
		{"PEF", "B/E", "photoelectric factor"},
		{"DT", "us/ft", "sonic"},
		{"X", "µs/ft", "sonic"},
		{"TENS", "LBF", ""},
		{"NPOR2", "%", ""}, // % alone does not say neutron
	}
	for _, tt := range tests {
		f := classify(tt.mnemonic, tt.unit)
		got := ""
		if f != nil {
			got = f.name
		}
		if got != tt.want {
			t.Errorf("classify(%q, %q) = %q, want %q", tt.mnemonic, tt.unit, got, tt.want)
		}
	}
}

func TestAssignTracks(t *testing.T) {
	t.Parallel()
	n := 10
	mk := func(m, u string) Curve { return Curve{Mnemonic: m, Unit: u, Values: make([]float64, n)} }
	curves := []Curve{mk("AC", "US/F"), mk("TENS", "LBF"), mk("NEU", "%"), mk("RDEP", "OHMM"),
		mk("DEN", "K/M3"), mk("GR", "GAPI"), mk("CGR", "GAPI"), mk("HKLD", "KLBF"), mk("CALI", "MM")}
	tracks := assignTracks(curves)
	var got [][]string
	for _, tr := range tracks {
		var names []string
		for _, c := range tr.curves {
			names = append(names, c.Mnemonic+" "+c.Unit)
		}
		got = append(got, names)
	}
	want := [][]string{
		{"GR gAPI", "CGR gAPI", "CALI in"},
		{"RDEP ohm·m"},
		{"NEU v/v", "DEN g/cm3"},
		{"AC µs/ft"},
		{"TENS lbf"},
		{"HKLD klbf"},
	}
	if len(got) != len(want) {
		t.Fatalf("tracks %q, want %q", got, want)
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("tracks %q, want %q", got, want)
		}
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("track %d curve %d = %q, want %q", i, j, got[i][j], want[i][j])
			}
		}
	}
	if !tracks[1].log || tracks[0].log {
		t.Error("resistivity track must be logarithmic and track 1 linear")
	}
	if gr, cgr := tracks[0].curves[0], tracks[0].curves[1]; gr.Color == cgr.Color {
		t.Errorf("GR and CGR share colour %v", gr.Color)
	}
	if f := tracks[2].curves[0].Factor; f != 0.01 {
		t.Errorf("NEU %% factor %g, want 0.01", f)
	}
	if f := tracks[2].curves[1].Factor; f != 0.001 {
		t.Errorf("DEN K/M3 factor %g, want 0.001", f)
	}
	if f := tracks[0].curves[2].Factor; f != 1/25.4 {
		t.Errorf("CALI MM factor %g, want 1/25.4", f)
	}
}

// TestFitScalesShared checks that curves of one scale group share the scale fitted to all of
// them, and other curves keep their own.
func TestFitScalesShared(t *testing.T) {
	t.Parallel()
	const n = 100
	rd := Curve{Mnemonic: "RDEP", Unit: "OHMM", Values: make([]float64, n)}
	rm := Curve{Mnemonic: "RMED", Unit: "OHMM", Values: make([]float64, n)}
	gr := Curve{Mnemonic: "GR", Unit: "GAPI", Values: make([]float64, n)}
	for i := range n {
		rd.Values[i] = 5000 + float64(i) // beyond 2000: the shared scale must widen
		rm.Values[i] = 1 + float64(i)/10
		gr.Values[i] = 50
	}
	tracks := assignTracks([]Curve{gr, rd, rm})
	fitScales(tracks, 0, n)
	want := scale{Left: 1, Right: 10000, Log: true}
	for _, c := range tracks[1].curves {
		if c.Scale != want {
			t.Errorf("%s scale %v, want %v", c.Mnemonic, c.Scale, want)
		}
	}
	if s := tracks[0].curves[0].Scale; s != (scale{Left: 0, Right: 150}) {
		t.Errorf("GR scale %v, want default 0–150", s)
	}
}
