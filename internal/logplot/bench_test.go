package logplot

import (
	"fmt"
	"io"
	"testing"
)

// BenchmarkLogPlot plots 8 curves (the synthetic 7 plus a bit size) of 30 000 and 3 000 000
// samples; the bytes per op are the input curves.
func BenchmarkLogPlot(b *testing.B) {
	for _, n := range []int{30_000, 3_000_000} {
		depth, curves := synthetic(n, 100, 4500/float64(n), "G/CC", "V/V")
		bs := Curve{Mnemonic: "BS", Unit: "IN", Values: make([]float64, n)}
		for i := range bs.Values {
			bs.Values[i] = 8.5
		}
		curves = append(curves, bs)
		b.Run(fmt.Sprintf("8x%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(8 * 8 * n))
			for b.Loop() {
				if err := LogPlot(io.Discard, depth, curves, Options{Title: "bench"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
