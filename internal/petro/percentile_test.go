package petro

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// percentileBySort is the reference: type-7 percentile of a sorted copy.
func percentileBySort(xs []float64, p float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	h := float64(len(s)-1) * p / 100
	k := int(math.Floor(h))
	if k >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[k] + (h-float64(k))*(s[k+1]-s[k])
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	t.Run("Known", func(t *testing.T) {
		xs := []float64{40, 10, 30, 20} // sorted 10 20 30 40
		for p, want := range map[float64]float64{0: 10, 50: 25, 100: 40, 5: 11.5, 95: 38.5, 33.3: 19.99} {
			if got := percentile(slices.Clone(xs), p); !near(got, want, 1e-9) {
				t.Errorf("P%g = %g, want %g", p, got, want)
			}
		}
		if got := percentile([]float64{7}, 95); got != 7 {
			t.Errorf("P95 of one value = %g", got)
		}
	})
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{2, 3, 10, 101, 1000, 5001} {
		for _, kind := range []string{"Random", "Sorted", "Reversed", "FewDistinct", "Constant"} {
			t.Run(fmt.Sprintf("%s/%d", kind, n), func(t *testing.T) {
				xs := make([]float64, n)
				for i := range xs {
					switch kind {
					case "Random":
						xs[i] = r.NormFloat64()*30 + 70
					case "Sorted":
						xs[i] = float64(i)
					case "Reversed":
						xs[i] = float64(n - i)
					case "FewDistinct":
						xs[i] = float64(r.IntN(4))
					case "Constant":
						xs[i] = 42
					}
				}
				for _, p := range []float64{0, 1, 5, 50, 95, 99.9, 100} {
					if got, want := percentile(slices.Clone(xs), p), percentileBySort(xs, p); !near(got, want, 1e-12) {
						t.Errorf("P%g = %g, want %g", p, got, want)
					}
				}
			})
		}
	}
}
