package petro

import "testing"

func TestDensityPorosity(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name         string
		rhob, ma, fl float64
		want, tol    float64
	}{
		{"Reference", 2.45, SandstoneDensity, FreshWaterDensity, 0.12121, ref5},
		{"Limestone", 2.45, LimestoneDensity, SaltWaterDensity, (2.71 - 2.45) / (2.71 - 1.1), 1e-15},
		{"Dolomite", 2.45, DolomiteDensity, FreshWaterDensity, (2.87 - 2.45) / 1.87, 1e-15},
		{"AtMatrixIs0", 2.65, 2.65, 1, 0, 0},
		{"AboveMatrixClippedTo0", 2.9, 2.65, 1, 0, 0},
		{"BelowFluidClippedTo1", 0.8, 2.65, 1, 1, 0},
		{"NULLIsNULL", nan, 2.65, 1, nan, 0},
		{"MatrixEqualsFluidIsNULL", 2.3, 2.0, 2.0, nan, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := DensityPorosity(tc.rhob, tc.ma, tc.fl); !near(got, tc.want, tc.tol) {
				t.Errorf("DensityPorosity(%g; %g, %g) = %.6f, want %.6f", tc.rhob, tc.ma, tc.fl, got, tc.want)
			}
		})
	}
}
