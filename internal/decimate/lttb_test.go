package decimate

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func series(n int, f func(i int) float64) (x, y []float64) {
	x, y = make([]float64, n), make([]float64, n)
	for i := range n {
		x[i] = 1000 + 0.1524*float64(i)
		y[i] = f(i)
	}
	return x, y
}

func TestLTTBShortSeriesUnchanged(t *testing.T) {
	x, y := series(10, func(i int) float64 { return float64(i * i) })
	for _, n := range []int{0, 2, 10, 11, 1000} {
		xo, yo := LTTB(x, y, n)
		if !slices.Equal(xo, x) || !slices.Equal(yo, y) {
			t.Errorf("n=%d: the series changed", n)
		}
	}
}

func TestLTTBKeepsEndsPeaksAndCount(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	x, y := series(29754, func(i int) float64 { return 60 + 10*rnd.Float64() })
	y[12345] = 400 // a spike an every-k-th thinning would miss
	y[20001] = -50 // a trough
	for _, n := range []int{3, 100, 1000, 5000} {
		xo, yo := LTTB(x, y, n)
		if len(xo) != n || len(yo) != n {
			t.Fatalf("n=%d: got %d/%d points", n, len(xo), len(yo))
		}
		if xo[0] != x[0] || xo[n-1] != x[len(x)-1] || yo[0] != y[0] || yo[n-1] != y[len(y)-1] {
			t.Errorf("n=%d: the first and last samples are not kept", n)
		}
		if !slices.IsSorted(xo) {
			t.Errorf("n=%d: the index is out of order", n)
		}
		for i := range xo { // every point kept is a sample of the input, not a made-up one
			j, ok := slices.BinarySearch(x, xo[i])
			if !ok || y[j] != yo[i] {
				t.Fatalf("n=%d: point %d (%g, %g) is not a sample", n, i, xo[i], yo[i])
			}
		}
		if n >= 100 && (!slices.Contains(yo, 400) || !slices.Contains(yo, -50)) {
			t.Errorf("n=%d: the spike or the trough was lost", n)
		}
	}
}

// TestLTTBTriangle checks one bucket by hand: of the middle points, the one farthest from the
// line between its neighbours' anchors is kept.
func TestLTTBTriangle(t *testing.T) {
	x := []float64{0, 1, 2, 3, 4}
	y := []float64{0, 1, 5, 1, 0}
	xo, yo := LTTB(x, y, 3)
	if !slices.Equal(xo, []float64{0, 2, 4}) || !slices.Equal(yo, []float64{0, 5, 0}) {
		t.Errorf("got %v %v, want the peak at x=2", xo, yo)
	}
}

func TestLTTBKeepsNullGaps(t *testing.T) {
	x, y := series(10000, func(i int) float64 {
		switch {
		case i < 100, i >= 4000 && i < 4500, i >= 9900: // NULL at the top, in the middle, at the bottom
			return math.NaN()
		}
		return math.Sin(float64(i) / 50)
	})
	xo, yo := LTTB(x, y, 500)
	if len(xo) > 500 {
		t.Fatalf("%d points, want at most 500", len(xo))
	}
	var nulls []float64
	for i := range yo {
		if math.IsNaN(yo[i]) {
			nulls = append(nulls, xo[i])
		}
	}
	want := []float64{x[0], x[4000], x[9999]}
	if !slices.Equal(nulls, want) {
		t.Fatalf("NULL markers at %v, want one per gap %v", nulls, want)
	}
	// No point is drawn inside a gap, and the samples on both sides of the middle gap are kept,
	// so that the line stops at the gap instead of bridging it.
	for i := range xo {
		if !math.IsNaN(yo[i]) && (xo[i] >= x[4000] && xo[i] <= x[4499] || xo[i] < x[100] || xo[i] >= x[9900]) {
			t.Errorf("point %d at %g lies in a gap", i, xo[i])
		}
	}
	if !slices.Contains(xo, x[3999]) || !slices.Contains(xo, x[4500]) || !slices.Contains(xo, x[100]) || !slices.Contains(xo, x[9899]) {
		t.Error("the samples bounding the gaps are not kept")
	}
}

func TestLTTBManyGapsFallsBackToStride(t *testing.T) {
	x, y := series(1000, func(i int) float64 {
		if i%2 == 1 {
			return math.NaN()
		}
		return float64(i)
	})
	xo, yo := LTTB(x, y, 100)
	if len(xo) > 100 || len(yo) != len(xo) {
		t.Fatalf("%d points, want at most 100", len(xo))
	}
	if xo[0] != x[0] || xo[len(xo)-1] != x[len(x)-1] {
		t.Error("the first and last samples are not kept")
	}
}

func BenchmarkLTTB(b *testing.B) {
	rnd := rand.New(rand.NewPCG(1, 2))
	x, y := series(1_000_000, func(i int) float64 { return rnd.Float64() })
	b.SetBytes(16 * int64(len(x)))
	b.ReportAllocs()
	for b.Loop() {
		LTTB(x, y, 2000)
	}
}
