package dca

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"
)

func TestSecantReference(t *testing.T) {
	t.Parallel()
	// DOMAIN.md: secant effective 0.8/yr with b = 1.8 is 9.510829/yr nominal.
	if got := NominalFromSecant(0.8, 1.8); !fmtEq("%.6f", got, "9.510829") {
		t.Errorf("NominalFromSecant(0.8, 1.8) = %.8f, want 9.510829", got)
	}
	if got := SecantFromNominal(9.510829, 1.8); !fmtEq("%.6f", got, "0.800000") {
		t.Errorf("SecantFromNominal(9.510829, 1.8) = %.8f, want 0.8", got)
	}
	// The secant effective decline is the fraction of rate lost in the first year.
	p := Params{Model: Hyperbolic, Qi: 1000, DiNominalPerDay: NominalFromSecant(0.8, 1.8) / DaysPerYear, B: 1.8}
	if q := p.Rate(DaysPerYear); !relEq(q, 200, 1e-12) {
		t.Errorf("q(1 yr) = %.12g, want 200 (80 %% lost)", q)
	}
	// Tangent: 8 %/yr is −ln(0.92) nominal, the fraction lost in a year at constant decline.
	if got := NominalFromTangent(0.08); !relEq(got, -math.Log(0.92), 1e-15) {
		t.Errorf("NominalFromTangent(0.08) = %.15g", got)
	}
	e := Params{Model: Exponential, Qi: 1000, DiNominalPerDay: NominalFromTangent(0.08) / DaysPerYear}
	if q := e.Rate(DaysPerYear); !relEq(q, 920, 1e-12) {
		t.Errorf("q(1 yr) = %.12g, want 920", q)
	}
}

func TestConversionRoundTrips(t *testing.T) {
	t.Parallel()
	for _, b := range []float64{0, 1e-12, 1e-9, 1e-4, 0.3, 1 - 1e-9, 1, 1 + 1e-9, 1.5, 2} {
		for _, de := range []float64{1e-9, 0.01, 0.08, 0.3, 0.8, 0.95, 0.999} {
			t.Run(fmt.Sprintf("Secant/b=%g/De=%g", b, de), func(t *testing.T) {
				d := NominalFromSecant(de, b)
				if back := SecantFromNominal(d, b); !relEq(back, de, 1e-12) {
					t.Errorf("secant %g → nominal %g → %.15g", de, d, back)
				}
				perDay, err := ToNominalPerDay(de, Secant, b)
				if err != nil {
					t.Fatal(err)
				}
				if !relEq(perDay*DaysPerYear, d, 1e-15) {
					t.Errorf("ToNominalPerDay = %g/day, want %g/yr ÷ 365.25", perDay, d)
				}
				if back := FromNominalPerDay(perDay, Secant, b); !relEq(back, de, 1e-12) {
					t.Errorf("FromNominalPerDay = %.15g, want %g", back, de)
				}
			})
		}
	}
	for _, d := range []float64{1e-12, 0.05, 0.5, 3} {
		t.Run(fmt.Sprintf("Tangent/D=%g", d), func(t *testing.T) {
			if back := NominalFromTangent(TangentFromNominal(d)); !relEq(back, d, 1e-12) {
				t.Errorf("nominal %g → tangent → %.15g", d, back)
			}
		})
	}
	t.Run("SecantAtB0IsTangent", func(t *testing.T) {
		for _, d := range []float64{0.01, 0.5, 5} {
			if s, tg := SecantFromNominal(d, 0), TangentFromNominal(d); s != tg {
				t.Errorf("D = %g: secant %g, tangent %g", d, s, tg)
			}
			if s, tg := SecantFromNominal(d, 1e-9), TangentFromNominal(d); !relEq(s, tg, 1e-8) {
				t.Errorf("D = %g: secant(b=1e-9) %.15g, tangent %.15g", d, s, tg)
			}
		}
	})
	t.Run("NominalScalesLinearly", func(t *testing.T) {
		got, err := ToNominalPerDay(0.5, Nominal, 0)
		if err != nil || got != 0.5/365.25 {
			t.Fatalf("got %g, %v", got, err)
		}
		if y := FromNominalPerDay(got, Nominal, 0); !relEq(y, 0.5, 1e-15) {
			t.Fatalf("back %g", y)
		}
	})
}

func TestToNominalPerDayErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		v     float64
		c     Convention
		b     float64
		field string
	}{
		{"ErrSecantOne", 1, Secant, 1.2, "decline"},
		{"ErrTangentNegative", -0.1, Tangent, 0, "decline"},
		{"ErrTangentNaN", math.NaN(), Tangent, 0, "decline"},
		{"ErrSecantNegativeB", 0.5, Secant, -1, "b"},
		{"ErrUnknownConvention", 0.5, "percent", 0, "decline_convention"},
		{"ErrNominalInf", math.Inf(1), Nominal, 0, "decline"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ToNominalPerDay(tc.v, tc.c, tc.b)
			wantInvalid(t, err, tc.field)
		})
	}
}

func TestSummaryConventions(t *testing.T) {
	t.Parallel()
	mh := modifiedReference(t)
	tests := []struct {
		name string
		p    Params
		conv Convention
		eff  string // di_effective_per_year to the digits shown
	}{
		{"HyperbolicSecant", Params{Model: Hyperbolic, Qi: 1000, DiNominalPerDay: 9.510829 / DaysPerYear, B: 1.8}, Secant, "0.800000"},
		{"ExponentialTangent", Params{Model: Exponential, Qi: 1000, DiNominalPerDay: -math.Log(0.92) / DaysPerYear}, Tangent, "0.080000"},
		{"HarmonicSecant", Params{Model: Harmonic, Qi: 1000, DiNominalPerDay: 0.5 / DaysPerYear, B: 1}, Secant, "0.333333"},
		{"ModifiedSecant", mh, Secant, "0.800000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := tc.p.Summary()
			if s.DiConvention != tc.conv || !fmtEq("%.6f", s.DiEffectivePerYear, tc.eff) {
				t.Fatalf("effective %.8f %s, want %s %s", s.DiEffectivePerYear, s.DiConvention, tc.eff, tc.conv)
			}
			if !relEq(s.DiNominalPerYear, tc.p.DiNominalPerDay*DaysPerYear, 1e-15) {
				t.Fatalf("nominal per year %g", s.DiNominalPerYear)
			}
			raw, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"di_nominal_per_day", "di_effective_per_year", "di_convention", "b", "qi", "model"} {
				if _, ok := m[k]; !ok {
					t.Errorf("JSON %s lacks %q", raw, k)
				}
			}
		})
	}
	t.Run("ModifiedReportsTerminalTangent", func(t *testing.T) {
		s := mh.Summary()
		if !fmtEq("%.6f", s.DlimEffectivePerYear, "0.080000") || !fmtEq("%.2f", s.SwitchTimeDays, "2412.25") {
			t.Fatalf("Dlim %g/yr tangent, switch %g days", s.DlimEffectivePerYear, s.SwitchTimeDays)
		}
	})
}
