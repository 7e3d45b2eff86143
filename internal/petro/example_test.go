package petro_test

import (
	"fmt"
	"log"
	"math"

	"github.com/wellbase/wellbase/internal/petro"
)

// Compute on a short log: the density in K/M3, one NULL gamma-ray sample, Larionov tertiary
// shale volume with given GR picks, and Archie water saturation with Rw = 0.05 ohm·m.
func ExampleCompute() {
	nan := math.NaN()
	depth := petro.Curve{Mnemonic: "DEPT", Unit: "M", Values: []float64{2500, 2500.5, 2501, 2501.5}}
	curves := []petro.Curve{
		{Mnemonic: "GR", Unit: "GAPI", Values: []float64{25, 70, nan, 118}},
		{Mnemonic: "DEN", Unit: "K/M3", Values: []float64{2450, 2300, 2250, 2550}},
		{Mnemonic: "RDEP", Unit: "OHMM", Values: []float64{20, 3.5, 40, 1.2}},
	}
	clean, shale := 20.0, 120.0
	res, err := petro.Compute(depth, curves, petro.Params{
		GRClean: &clean, GRShale: &shale, VshMethod: petro.LarionovTertiary, Rw: 0.05,
	})
	if err != nil {
		log.Fatal(err) // a *wellbase.Error with code invalid naming the field
	}
	for _, c := range res.Curves {
		fmt.Printf("%-4s [%s] %.4f\n", c.Mnemonic, c.Unit, c.Values)
	}
	fmt.Printf("used GR=%s RHOB=%s RT=%s, ρma %g g/cc, a=%g m=%g n=%g\n",
		res.Used.GR, res.Used.RHOB, res.Used.RT, res.Used.MatrixDensity, res.Used.A, res.Used.M, res.Used.N)
	for _, w := range res.Warnings {
		fmt.Println("warning:", w)
	}
	// Output:
	// VSH  [v/v] [0.0114 0.2162 NaN 0.9417]
	// PHID [v/v] [0.1212 0.2121 0.2424 0.0606]
	// SW   [v/v] [0.4125 0.5635 0.1458 1.0000]
	// used GR=GR RHOB=DEN RT=RDEP, ρma 2.65 g/cc, a=1 m=2 n=2
	// warning: SW: 1 samples clipped to 1
}

// The shale-volume curves at a gamma-ray index of 0.5 (DOMAIN.md's reference values).
func ExampleVshLarionovTertiary() {
	igr := petro.GammaRayIndex(70, 20, 120)
	fmt.Printf("IGR %.2f\n", igr)
	fmt.Printf("linear %.5f\n", petro.VshLinear(igr))
	fmt.Printf("Larionov tertiary %.5f\n", petro.VshLarionovTertiary(igr))
	fmt.Printf("Larionov older %.5f\n", petro.VshLarionovOlder(igr))
	fmt.Printf("Clavier %.5f\n", petro.VshClavier(igr))
	fmt.Printf("Steiber %.5f\n", petro.VshSteiber(igr))
	// Output:
	// IGR 0.50
	// linear 0.50000
	// Larionov tertiary 0.21622
	// Larionov older 0.33000
	// Clavier 0.30716
	// Steiber 0.25000
}

// Density porosity and Archie saturation of one sample, with the default and the Humble
// constants.
func ExampleArchieSw() {
	rhob, err := petro.DensityToGPerCC(2450, "K/M3")
	if err != nil {
		log.Fatal(err)
	}
	phi := petro.DensityPorosity(rhob, petro.SandstoneDensity, petro.FreshWaterDensity)
	fmt.Printf("ρb %.2f g/cc → φD %.5f\n", rhob, phi)
	fmt.Printf("Sw(φ 0.2, Rt 20, Rw 0.05) = %.5f\n", petro.ArchieSw(0.2, 20, 0.05, petro.ArchieA, petro.ArchieM, petro.ArchieN))
	fmt.Printf("Humble: %.5f\n", petro.ArchieSw(0.2, 20, 0.05, petro.HumbleA, petro.HumbleM, 2))
	// Output:
	// ρb 2.45 g/cc → φD 0.12121
	// Sw(φ 0.2, Rt 20, Rw 0.05) = 0.25000
	// Humble: 0.22211
}

// Porosity units: percent and LPU become fractions; an unknown unit is an error that names it.
func ExamplePorosityToFraction() {
	for _, u := range []string{"%", "LPU", "v/v", "CPS"} {
		v, err := petro.PorosityToFraction(25, u)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("25 %s = %g v/v\n", u, v)
	}
	// Output:
	// 25 % = 0.25 v/v
	// 25 LPU = 0.25 v/v
	// 25 v/v = 25 v/v
	// wellbase error: code=invalid field=unit message=unknown porosity unit "CPS" (want v/v, dec, frac, %, pu, LPU, SPU or DPU)
}
