package petro

import (
	"math"
	"testing"
)

func TestArchieSw(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                 string
		phi, rt, rw, a, m, n float64
		want, tol            float64
	}{
		{"Reference", 0.2, 20, 0.05, ArchieA, ArchieM, ArchieN, 0.25, ref5},
		{"Humble", 0.2, 20, 0.05, HumbleA, HumbleM, 2, 0.22211, ref5},
		{"GeneralExponents", 0.15, 8, 0.04, 0.81, 1.8, 2.3, math.Pow(0.81*0.04/(math.Pow(0.15, 1.8)*8), 1/2.3), 1e-15},
		{"SaturationExponent1", 0.2, 20, 0.05, 1, 2, 1, 0.0625, 1e-15},
		{"WetClippedTo1", 0.1, 0.5, 0.05, 1, 2, 2, 1, 0},
		{"ZeroPorosityIs1", 0, 20, 0.05, 1, 2, 2, 1, 0},
		{"NULLPorosityIsNULL", nan, 20, 0.05, 1, 2, 2, nan, 0},
		{"NULLResistivityIsNULL", 0.2, nan, 0.05, 1, 2, 2, nan, 0},
		{"ZeroResistivityIsNULL", 0.2, 0, 0.05, 1, 2, 2, nan, 0},
		{"NegativePorosityIsNULL", -0.1, 20, 0.05, 1, 2, 2, nan, 0},
		{"ZeroRwIsNULL", 0.2, 20, 0, 1, 2, 2, nan, 0},
		{"ZeroNIsNULL", 0.2, 20, 0.05, 1, 2, 0, nan, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := ArchieSw(tc.phi, tc.rt, tc.rw, tc.a, tc.m, tc.n); !near(got, tc.want, tc.tol) {
				t.Errorf("ArchieSw(φ=%g, Rt=%g, Rw=%g, a=%g, m=%g, n=%g) = %.6f, want %.6f",
					tc.phi, tc.rt, tc.rw, tc.a, tc.m, tc.n, got, tc.want)
			}
		})
	}
}
