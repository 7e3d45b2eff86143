package petro

import (
	"fmt"
	"math"
	"testing"
)

var vshMethods = []struct {
	name string
	f    func(float64) float64
	at05 float64 // DOMAIN.md reference value at IGR = 0.5
	at1  float64
}{
	{Linear, VshLinear, 0.5, 1},
	{LarionovTertiary, VshLarionovTertiary, 0.21622, 0.083 * (math.Exp2(3.7) - 1)},
	{LarionovOlder, VshLarionovOlder, 0.33, 0.99},
	{Clavier, VshClavier, 0.30716, 1},
	{Steiber, VshSteiber, 0.25, 1},
}

func TestVshReference(t *testing.T) {
	t.Parallel()
	for _, m := range vshMethods {
		t.Run(m.name, func(t *testing.T) {
			if got := m.f(0.5); !near(got, m.at05, ref5) {
				t.Errorf("Vsh(0.5) = %.6f, want %.5f", got, m.at05)
			}
			if got := vshFunc(m.name)(0.5); got != m.f(0.5) {
				t.Errorf("vshFunc(%q) is not the method's function", m.name)
			}
		})
	}
}

func TestVshProperties(t *testing.T) {
	t.Parallel()
	for _, m := range vshMethods {
		t.Run(m.name+"/EndPoints", func(t *testing.T) {
			if got := m.f(0); !near(got, 0, 1e-12) {
				t.Errorf("Vsh(0) = %g, want 0", got)
			}
			if got := m.f(1); !near(got, m.at1, 1e-12) {
				t.Errorf("Vsh(1) = %.15g, want %.15g", got, m.at1)
			}
		})
		t.Run(m.name+"/ClipsInput", func(t *testing.T) {
			if got := m.f(-0.3); got != m.f(0) {
				t.Errorf("Vsh(-0.3) = %g, want Vsh(0) = %g", got, m.f(0))
			}
			if got := m.f(1.7); got != m.f(1) {
				t.Errorf("Vsh(1.7) = %g, want Vsh(1) = %g", got, m.f(1))
			}
		})
		t.Run(m.name+"/NULLIsNULL", func(t *testing.T) {
			if got := m.f(nan); !math.IsNaN(got) {
				t.Errorf("Vsh(NaN) = %g, want NaN", got)
			}
		})
		t.Run(m.name+"/MonotoneInUnitRange", func(t *testing.T) {
			prev := -1.0
			for i := 0; i <= 1000; i++ {
				igr := float64(i) / 1000
				v := m.f(igr)
				if v < prev || v < 0 || v > 1 {
					t.Fatalf("Vsh(%g) = %g after %g", igr, v, prev)
				}
				// Linear is the upper bound of the non-linear curves.
				if v > igr+1e-12 {
					t.Fatalf("Vsh(%g) = %g above IGR", igr, v)
				}
				prev = v
			}
		})
	}
	if vshFunc("gaussian") != nil {
		t.Error("vshFunc(gaussian) is not nil")
	}
}

func TestGammaRayIndex(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name             string
		gr, clean, shale float64
		want             float64
	}{
		{"Midway", 70, 20, 120, 0.5},
		{"AtClean", 20, 20, 120, 0},
		{"AtShale", 120, 20, 120, 1},
		{"BelowCleanClippedTo0", 5, 20, 120, 0},
		{"AboveShaleClippedTo1", 300, 20, 120, 1},
		{"NULLIsNULL", nan, 20, 120, nan},
		{"EqualPicksIsNULL", 50, 60, 60, nan},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := GammaRayIndex(tc.gr, tc.clean, tc.shale); !near(got, tc.want, 1e-15) {
				t.Errorf("GammaRayIndex(%g, %g, %g) = %g, want %g", tc.gr, tc.clean, tc.shale, got, tc.want)
			}
		})
	}
}

func TestVshMethodNames(t *testing.T) {
	t.Parallel()
	for _, m := range vshMethods {
		t.Run(fmt.Sprint(m.name), func(t *testing.T) {
			if _, f, err := (Params{VshMethod: " " + m.name + " "}).resolve(); err != nil || f == nil {
				t.Fatalf("resolve(%q): %v", m.name, err)
			}
		})
	}
}
