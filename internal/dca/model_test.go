package dca

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/wellbase/wellbase"
)

// fmtEq reports whether got, rounded to the digits of the reference value want (written with
// format), is want: the reference values of DOMAIN.md are given "to the digits shown".
func fmtEq(format string, got float64, want string) bool {
	return fmt.Sprintf(format, got) == want
}

// relEq reports whether got is within rel relative error of want.
func relEq(got, want, rel float64) bool {
	if got == want {
		return true
	}
	return math.Abs(got-want) <= rel*math.Abs(want)
}

// wantInvalid fails unless err is a *wellbase.Error with code invalid about field.
func wantInvalid(tb testing.TB, err error, field string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("got no error, want invalid %q", field)
	}
	if code := wellbase.ErrorCode(err); code != wellbase.EInvalid {
		tb.Fatalf("error code %q, want %q (%v)", code, wellbase.EInvalid, err)
	}
	if f := wellbase.ErrorField(err); f != field {
		tb.Fatalf("error field %q, want %q (%v)", f, field, err)
	}
}

// TestReferenceTable reproduces the q and Np table of DOMAIN.md (qi = 1000/day, D = 0.5/yr
// nominal, t in days) to the digits shown.
func TestReferenceTable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		b                  float64
		q1, q10, np1, np10 string
	}{
		{0, "606.5307", "6.7379", "287429.35", "725577.93"},
		{0.5, "640.0000", "81.6327", "292200.00", "1043571.43"},
		{1, "666.6667", "166.6667", "296192.26", "1308880.29"},
		{1.5, "688.6121", "240.0974", "299608.92", "1520649.05"},
	}
	d := 0.5 / DaysPerYear
	for _, tc := range tests {
		models := []Params{{Model: Hyperbolic, Qi: 1000, DiNominalPerDay: d, B: tc.b}}
		switch tc.b {
		case 0:
			models = append(models, Params{Model: Exponential, Qi: 1000, DiNominalPerDay: d})
		case 1:
			models = append(models, Params{Model: Harmonic, Qi: 1000, DiNominalPerDay: d, B: 1})
		}
		for _, p := range models {
			t.Run(fmt.Sprintf("%s/b=%g", p.Model, tc.b), func(t *testing.T) {
				if err := p.Validate(); err != nil {
					t.Fatal(err)
				}
				for _, c := range []struct {
					name, format, want string
					got                float64
				}{
					{"q(365.25)", "%.4f", tc.q1, p.Rate(365.25)},
					{"q(3652.5)", "%.4f", tc.q10, p.Rate(3652.5)},
					{"Np(365.25)", "%.2f", tc.np1, p.Cumulative(365.25)},
					{"Np(3652.5)", "%.2f", tc.np10, p.Cumulative(3652.5)},
				} {
					if !fmtEq(c.format, c.got, c.want) {
						t.Errorf("%s = %.6f, want %s", c.name, c.got, c.want)
					}
				}
			})
		}
	}
}

// modifiedReference is the modified hyperbolic case of DOMAIN.md: qi = 1000/day, Di = 0.8/yr
// secant effective, b = 1.8, Dlim = 0.08/yr tangent effective.
func modifiedReference(tb testing.TB) Params {
	tb.Helper()
	di, err := ToNominalPerDay(0.8, Secant, 1.8)
	if err != nil {
		tb.Fatal(err)
	}
	dlim, err := ToNominalPerDay(0.08, Tangent, 0)
	if err != nil {
		tb.Fatal(err)
	}
	return Params{Model: ModifiedHyperbolic, Qi: 1000, DiNominalPerDay: di, B: 1.8, DlimNominalPerDay: dlim}
}

func TestModifiedHyperbolicReference(t *testing.T) {
	t.Parallel()
	p := modifiedReference(t)
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	tsw := p.SwitchTime()
	if !fmtEq("%.2f", tsw, "2412.25") {
		t.Errorf("switch at %.4f days, want 2412.25", tsw)
	}
	if q := p.Rate(tsw); !fmtEq("%.3f", q, "71.968") {
		t.Errorf("q(t_sw) = %.5f, want 71.968", q)
	}
	if d := p.Decline(tsw + 1); !relEq(d, p.DlimNominalPerDay, 1e-15) {
		t.Errorf("decline after the switch %g, want Dlim %g", d, p.DlimNominalPerDay)
	}
	if d := p.Decline(tsw); !relEq(d, p.DlimNominalPerDay, 1e-12) {
		t.Errorf("decline at the switch %g, want Dlim %g (continuous)", d, p.DlimNominalPerDay)
	}
	t1, err := p.TimeToRate(1)
	if err != nil {
		t.Fatal(err)
	}
	if !fmtEq("%.3f", t1/DaysPerYear, "57.889") {
		t.Errorf("time to 1/day %.5f years, want 57.889", t1/DaysPerYear)
	}
	eur, err := p.EUR(1)
	if err != nil {
		t.Fatal(err)
	}
	if !fmtEq("%.1f", eur, "656935.4") {
		t.Errorf("EUR to 1/day %.3f, want 656935.4", eur)
	}
	// Rate and cumulative are continuous at the switch.
	for _, f := range []func(float64) float64{p.Rate, p.Cumulative} {
		lo, hi := f(tsw*(1-1e-12)), f(tsw*(1+1e-12))
		if !relEq(hi, lo, 1e-9) {
			t.Errorf("discontinuous at the switch: %g, %g", lo, hi)
		}
	}
}

// TestLimits compares b = 1e-9 with the exponential formulas and b = 1 ± 1e-9 with the harmonic
// formulas, where the closed forms lose every digit if written naively.
func TestLimits(t *testing.T) {
	t.Parallel()
	const qi, d = 1000.0, 0.5 / DaysPerYear
	exp := struct{ q, np, tq, dec func(t float64) float64 }{
		q:   func(t float64) float64 { return qi * math.Exp(-d*t) },
		np:  func(t float64) float64 { return -qi * math.Expm1(-d*t) / d },
		tq:  func(q float64) float64 { return math.Log(qi/q) / d },
		dec: func(float64) float64 { return d },
	}
	harm := struct{ q, np, tq, dec func(t float64) float64 }{
		q:   func(t float64) float64 { return qi / (1 + d*t) },
		np:  func(t float64) float64 { return qi / d * math.Log1p(d*t) },
		tq:  func(q float64) float64 { return (qi/q - 1) / d },
		dec: func(t float64) float64 { return d / (1 + d*t) },
	}
	tests := []struct {
		name string
		b    float64
		ref  struct{ q, np, tq, dec func(t float64) float64 }
		db   float64 // |b − b of the limit|
	}{
		{"ExponentialAtB=0", 0, exp, 0},
		{"ExponentialAtB=1e-9", 1e-9, exp, 1e-9},
		{"ExponentialAtB=1e-300", 1e-300, exp, 1e-300},
		{"HarmonicAtB=1", 1, harm, 0},
		{"HarmonicAtB=1-1e-9", 1 - 1e-9, harm, 1e-9},
		{"HarmonicAtB=1+1e-9", 1 + 1e-9, harm, 1e-9},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := Params{Model: Hyperbolic, Qi: qi, DiNominalPerDay: d, B: tc.b}
			// The models themselves differ by about |Δb|·(D·t)² relative; a formula that
			// cancels catastrophically errs by about 1e-16/|Δb| ≈ 1e-7, far more at small D·t.
			tol := func(t float64) float64 { x := d * t; return 1e-13 + 2*tc.db*(1+x)*(1+x) }
			for _, tt := range []float64{0.5, 30, 365.25, 3652.5, 36525} {
				rel := tol(tt)
				if got, want := p.Rate(tt), tc.ref.q(tt); !relEq(got, want, rel) {
					t.Errorf("q(%g) = %.15g, want %.15g", tt, got, want)
				}
				if got, want := p.Cumulative(tt), tc.ref.np(tt); !relEq(got, want, rel) {
					t.Errorf("Np(%g) = %.15g, want %.15g", tt, got, want)
				}
				if got, want := p.Decline(tt), tc.ref.dec(tt); !relEq(got, want, rel) {
					t.Errorf("D(%g) = %.15g, want %.15g", tt, got, want)
				}
			}
			for _, q := range []float64{999.999, 500, 10, 1} {
				got, err := p.TimeToRate(q)
				if err != nil {
					t.Fatal(err)
				}
				want := tc.ref.tq(q)
				if !relEq(got, want, tol(want)) {
					t.Errorf("t(q=%g) = %.15g, want %.15g", q, got, want)
				}
			}
		})
	}
}

// TestConsistency checks the models against themselves: Np is the integral of q, D is −d ln q/dt,
// TimeToRate inverts Rate, for b across [0, 2] including the neighbourhoods of 0 and 1.
func TestConsistency(t *testing.T) {
	t.Parallel()
	mh := modifiedReference(t)
	var cases []Params
	for _, b := range []float64{0, 1e-12, 1e-6, 1e-3, 0.3, 0.999, 1 - 1e-7, 1, 1 + 1e-7, 1.001, 1.5, 2} {
		cases = append(cases, Params{Model: Hyperbolic, Qi: 800, DiNominalPerDay: 0.004, B: b})
	}
	cases = append(cases, mh, Params{Model: ModifiedHyperbolic, Qi: 500, DiNominalPerDay: 0.01, B: 0.5, DlimNominalPerDay: 0.0003})
	for _, p := range cases {
		t.Run(fmt.Sprintf("%s/b=%g", p.Model, p.B), func(t *testing.T) {
			t.Parallel()
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			for _, tt := range []float64{10, 400, 2000, 2412, 2413, 9000} {
				d := p.DiNominalPerDay
				want := integrate(p.Rate, 0, tt, d)
				if tsw := p.SwitchTime(); tsw < tt {
					want = integrate(p.Rate, 0, tsw, d) + integrate(p.Rate, tsw, tt, d)
				}
				if got := p.Cumulative(tt); !relEq(got, want, 1e-9) {
					t.Errorf("Np(%g) = %.12g, integral of q = %.12g", tt, got, want)
				}
				h := 1e-3
				fd := -(math.Log(p.Rate(tt+h)) - math.Log(p.Rate(tt-h))) / (2 * h)
				if tsw := p.SwitchTime(); math.Abs(tt-tsw) > 2*h {
					if got := p.Decline(tt); !relEq(got, fd, 1e-6) {
						t.Errorf("D(%g) = %.12g, −d ln q/dt = %.12g", tt, got, fd)
					}
				}
				back, err := p.TimeToRate(p.Rate(tt))
				if err != nil {
					t.Fatal(err)
				}
				if !relEq(back, tt, 1e-9) {
					t.Errorf("TimeToRate(Rate(%g)) = %.12g", tt, back)
				}
			}
		})
	}
}

// integrate integrates the rate over [a, b] by the composite Simpson rule with steps short
// enough that the rate changes by less than 0.5 % per step (d is the largest decline).
func integrate(f func(float64) float64, a, b, d float64) float64 {
	n := 2 * int(math.Ceil((b-a)*d/0.01))
	return simpson(f, a, b, max(n, 64))
}

func simpson(f func(float64) float64, a, b float64, n int) float64 {
	h := (b - a) / float64(n)
	s := f(a) + f(b)
	for i := 1; i < n; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		s += w * f(a+float64(i)*h)
	}
	return s * h / 3
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		p     Params
		field string // "" for no error
	}{
		{"OK/Hyperbolic", Params{Model: Hyperbolic, Qi: 100, DiNominalPerDay: 0.01, B: 0.5}, ""},
		{"OK/HyperbolicB0", Params{Model: Hyperbolic, Qi: 100, DiNominalPerDay: 0.01}, ""},
		{"OK/HyperbolicB2", Params{Model: Hyperbolic, Qi: 100, DiNominalPerDay: 0.01, B: 2}, ""},
		{"OK/Exponential", Params{Model: Exponential, Qi: 100, DiNominalPerDay: 0.01}, ""},
		{"OK/Harmonic", Params{Model: Harmonic, Qi: 100, DiNominalPerDay: 0.01, B: 1}, ""},
		{"OK/HarmonicBUnset", Params{Model: Harmonic, Qi: 100, DiNominalPerDay: 0.01}, ""},
		{"OK/Modified", Params{Model: ModifiedHyperbolic, Qi: 100, DiNominalPerDay: 0.01, B: 1.2, DlimNominalPerDay: 0.0002}, ""},
		{"ErrModelEmpty", Params{Qi: 100, DiNominalPerDay: 0.01}, "model"},
		{"ErrModelAuto", Params{Model: Auto, Qi: 100, DiNominalPerDay: 0.01}, "model"},
		{"ErrModelUnknown", Params{Model: "stretched-exponential", Qi: 100, DiNominalPerDay: 0.01}, "model"},
		{"ErrQiZero", Params{Model: Hyperbolic, DiNominalPerDay: 0.01, B: 0.5}, "qi"},
		{"ErrQiNaN", Params{Model: Hyperbolic, Qi: math.NaN(), DiNominalPerDay: 0.01}, "qi"},
		{"ErrQiInf", Params{Model: Hyperbolic, Qi: math.Inf(1), DiNominalPerDay: 0.01}, "qi"},
		{"ErrDiZero", Params{Model: Hyperbolic, Qi: 100, B: 0.5}, "di"},
		{"ErrDiNegative", Params{Model: Exponential, Qi: 100, DiNominalPerDay: -0.01}, "di"},
		{"ErrBNegative", Params{Model: Hyperbolic, Qi: 100, DiNominalPerDay: 0.01, B: -0.1}, "b"},
		{"ErrBAbove2", Params{Model: Hyperbolic, Qi: 100, DiNominalPerDay: 0.01, B: 2.1}, "b"},
		{"ErrBNaN", Params{Model: Hyperbolic, Qi: 100, DiNominalPerDay: 0.01, B: math.NaN()}, "b"},
		{"ErrExponentialB", Params{Model: Exponential, Qi: 100, DiNominalPerDay: 0.01, B: 0.5}, "b"},
		{"ErrHarmonicB", Params{Model: Harmonic, Qi: 100, DiNominalPerDay: 0.01, B: 0.5}, "b"},
		{"ErrModifiedNoDlim", Params{Model: ModifiedHyperbolic, Qi: 100, DiNominalPerDay: 0.01, B: 1.2}, "dlim"},
		{"ErrModifiedDlimAboveDi", Params{Model: ModifiedHyperbolic, Qi: 100, DiNominalPerDay: 0.01, B: 1.2, DlimNominalPerDay: 0.02}, "dlim"},
		{"ErrDlimOnHyperbolic", Params{Model: Hyperbolic, Qi: 100, DiNominalPerDay: 0.01, B: 1.2, DlimNominalPerDay: 0.0002}, "dlim"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.p.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantInvalid(t, err, tc.field)
		})
	}
}

func TestTimeToRate(t *testing.T) {
	t.Parallel()
	p := Params{Model: Hyperbolic, Qi: 1000, DiNominalPerDay: 0.002, B: 0.8}
	t.Run("OK/AboveQiIsZero", func(t *testing.T) {
		got, err := p.TimeToRate(2000)
		if err != nil || got != 0 {
			t.Fatalf("got %g, %v; want 0", got, err)
		}
	})
	for _, q := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		t.Run(fmt.Sprintf("ErrRate=%g", q), func(t *testing.T) {
			_, err := p.TimeToRate(q)
			wantInvalid(t, err, "rate")
		})
	}
	t.Run("ErrInvalidParams", func(t *testing.T) {
		_, err := Params{Model: Hyperbolic, Qi: 1000}.TimeToRate(1)
		wantInvalid(t, err, "di")
	})
}

func TestEUR(t *testing.T) {
	t.Parallel()
	d := 0.5 / DaysPerYear
	tests := []struct {
		name    string
		p       Params
		qab     float64
		want    float64 // NaN: an error about field
		field   string
		wantRel float64
	}{
		{"OK/ExponentialInfinite", Params{Model: Exponential, Qi: 1000, DiNominalPerDay: d}, 0, 1000 / d, "", 1e-15},
		{"OK/ExponentialToRate", Params{Model: Exponential, Qi: 1000, DiNominalPerDay: d}, 10, 990 / d, "", 1e-12},
		{"OK/HyperbolicInfinite", Params{Model: Hyperbolic, Qi: 1000, DiNominalPerDay: d, B: 0.5}, 0, 1000 / (0.5 * d), "", 1e-15},
		{"OK/HarmonicToRate", Params{Model: Harmonic, Qi: 1000, DiNominalPerDay: d, B: 1}, 10, 1000 / d * math.Log(100), "", 1e-12},
		{"OK/ModifiedInfinite", modifiedReference(t), 0, math.NaN(), "", 0},
		{"ErrHarmonicNeedsLimit", Params{Model: Harmonic, Qi: 1000, DiNominalPerDay: d, B: 1}, 0, 0, "abandonment_rate", 0},
		{"ErrHyperbolicB1.5NeedsLimit", Params{Model: Hyperbolic, Qi: 1000, DiNominalPerDay: d, B: 1.5}, 0, 0, "abandonment_rate", 0},
		{"ErrNegativeRate", Params{Model: Exponential, Qi: 1000, DiNominalPerDay: d}, -1, 0, "abandonment_rate", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := tc.p.EUR(tc.qab)
			if tc.field != "" {
				wantInvalid(t, err, tc.field)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if math.IsNaN(tc.want) {
				// The modified hyperbolic volume in infinite time is finite and above any
				// abandonment-rate EUR.
				e1, _ := tc.p.EUR(1)
				if math.IsInf(got, 0) || math.IsNaN(got) || got <= e1 {
					t.Fatalf("EUR(0) = %g, want finite and above EUR(1) = %g", got, e1)
				}
				return
			}
			if !relEq(got, tc.want, tc.wantRel) {
				t.Fatalf("EUR = %.12g, want %.12g", got, tc.want)
			}
		})
	}
	t.Run("ErrMessageNamesTheLimits", func(t *testing.T) {
		_, err := Params{Model: Hyperbolic, Qi: 1000, DiNominalPerDay: d, B: 1.2}.EUR(0)
		msg := wellbase.ErrorMessage(err)
		for _, w := range []string{"abandonment rate", "horizon", "terminal decline"} {
			if !containsFold(msg, w) {
				t.Errorf("message %q does not name %q", msg, w)
			}
		}
	})
}

func TestWithTerminalDecline(t *testing.T) {
	t.Parallel()
	const dlim = 0.0002
	tests := []struct {
		name string
		p    Params
		want Model
		di   float64
	}{
		{"HyperbolicBecomesModified", Params{Model: Hyperbolic, Qi: 100, DiNominalPerDay: 0.01, B: 1.3}, ModifiedHyperbolic, 0.01},
		{"HarmonicBecomesModified", Params{Model: Harmonic, Qi: 100, DiNominalPerDay: 0.01, B: 1}, ModifiedHyperbolic, 0.01},
		{"ExponentialUnchanged", Params{Model: Exponential, Qi: 100, DiNominalPerDay: 0.01}, Exponential, 0.01},
		{"HyperbolicB0StaysExponential", Params{Model: Hyperbolic, Qi: 100, DiNominalPerDay: 0.01}, Exponential, 0.01},
		{"DiBelowDlimIsExponentialAtDlim", Params{Model: Hyperbolic, Qi: 100, DiNominalPerDay: 0.0001, B: 1.3}, Exponential, dlim},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := tc.p.WithTerminalDecline(dlim)
			if err != nil {
				t.Fatal(err)
			}
			if got.Model != tc.want || got.DiNominalPerDay != tc.di || got.Qi != tc.p.Qi {
				t.Fatalf("got %v, want model %s with Di %g", got, tc.want, tc.di)
			}
			if err := got.Validate(); err != nil {
				t.Fatal(err)
			}
			if _, err := got.EUR(0); err != nil {
				t.Fatalf("EUR with a terminal decline: %v", err)
			}
		})
	}
	t.Run("ErrNegative", func(t *testing.T) {
		_, err := Params{Model: Hyperbolic, Qi: 100, DiNominalPerDay: 0.01, B: 1.3}.WithTerminalDecline(-1)
		wantInvalid(t, err, "dlim")
	})
}

func TestRateNegativeTimeIsNaN(t *testing.T) {
	t.Parallel()
	p := Params{Model: Hyperbolic, Qi: 100, DiNominalPerDay: 0.01, B: 0.5}
	for _, f := range []func(float64) float64{p.Rate, p.Cumulative, p.Decline} {
		if v := f(-1); !math.IsNaN(v) {
			t.Errorf("got %g at t = −1, want NaN", v)
		}
	}
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
