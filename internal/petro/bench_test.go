package petro

import (
	"math"
	"math/rand/v2"
	"testing"
)

// benchLog returns an index and 8 curves of n samples shaped like the Volve composite (AC, CALI,
// DEN, GR, NEU, RDEP, RMED, PEF), with about 2 % NULLs in each.
func benchLog(n int) (Curve, []Curve) {
	r := rand.New(rand.NewPCG(19, 15))
	depth := Curve{Mnemonic: "DEPT", Unit: "M", Values: make([]float64, n)}
	specs := []struct {
		mnemonic, unit string
		gen            func() float64
	}{
		{"AC", "US/F", func() float64 { return 60 + 80*r.Float64() }},
		{"CALI", "IN", func() float64 { return 8.5 + r.Float64() }},
		{"DEN", "G/CC", func() float64 { return 1.9 + 0.9*r.Float64() }},
		{"GR", "GAPI", func() float64 { return 10 + 140*r.Float64() }},
		{"NEU", "%", func() float64 { return 45 * r.Float64() }},
		{"RDEP", "OHMM", func() float64 { return math.Exp(6*r.Float64() - 1) }},
		{"RMED", "OHMM", func() float64 { return math.Exp(6*r.Float64() - 1) }},
		{"PEF", "B/E", func() float64 { return 2 + 3*r.Float64() }},
	}
	curves := make([]Curve, len(specs))
	for j, s := range specs {
		curves[j] = Curve{Mnemonic: s.mnemonic, Unit: s.unit, Values: make([]float64, n)}
	}
	for i := range n {
		depth.Values[i] = 100 + 0.1524*float64(i)
		for j, s := range specs {
			v := s.gen()
			if r.IntN(50) == 0 {
				v = math.NaN()
			}
			curves[j].Values[i] = v
		}
	}
	return depth, curves
}

// BenchmarkCompute runs Compute on 8 curves × 30 000 samples (a 4.5 km log at a 0.1524 m step):
// VSH with P5/P95 picks or given picks, PHID and SW. Bytes are the input samples (8 curves).
func BenchmarkCompute(b *testing.B) {
	const n = 30000
	depth, curves := benchLog(n)
	for _, bc := range []struct {
		name string
		p    Params
	}{
		{"PercentilePicks/Linear", Params{Rw: 0.05}},
		{"PercentilePicks/LarionovTertiary", Params{Rw: 0.05, VshMethod: LarionovTertiary}},
		{"GivenPicks/Humble", Params{Rw: 0.05, GRClean: ptr(20), GRShale: ptr(130), A: HumbleA, M: HumbleM}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(curves) * n * 8))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Compute(depth, curves, bc.p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPercentile measures one P95 pick from 30 000 gamma-ray samples.
func BenchmarkPercentile(b *testing.B) {
	_, curves := benchLog(30000)
	xs := finiteValues(curves[3].Values)
	buf := make([]float64, len(xs))
	b.ReportAllocs()
	for b.Loop() {
		copy(buf, xs)
		percentile(buf, 95)
	}
}
