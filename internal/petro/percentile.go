package petro

import (
	"math"
	"slices"
)

// percentile returns the p-th percentile (0 ≤ p ≤ 100) of xs by linear interpolation between
// order statistics: with h = (len − 1)·p/100, x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎), the
// definition NumPy and R use by default (Hyndman, R.J. and Fan, Y. (1996) "Sample quantiles in
// statistical packages", The American Statistician 50(4), type 7). xs must be non-empty and
// hold no NaN; it is reordered in place. It runs in expected linear time (quickselect).
func percentile(xs []float64, p float64) float64 {
	h := float64(len(xs)-1) * p / 100
	k := int(math.Floor(h))
	if k >= len(xs)-1 {
		return selectKth(xs, len(xs)-1)
	}
	lo := selectKth(xs, k)
	frac := h - float64(k)
	if frac == 0 {
		return lo
	}
	// selectKth leaves every element after k at least xs[k]: the next order statistic is
	// their minimum.
	hi := slices.Min(xs[k+1:])
	return lo + frac*(hi-lo)
}

// selectKth reorders xs so that xs[k] is the k-th smallest element, every element before it is
// ≤ xs[k] and every element after it is ≥ xs[k], and returns xs[k]. xs must hold no NaN. It is a
// quickselect with a median-of-three pivot and a three-way partition (so runs of equal values
// cost nothing) and falls back to sorting if the pivots keep being poor.
func selectKth(xs []float64, k int) float64 {
	lo, hi := 0, len(xs)-1
	for iter := 0; lo < hi; iter++ {
		if iter > 64 {
			slices.Sort(xs[lo : hi+1])
			return xs[k]
		}
		pivot := median3(xs[lo], xs[lo+(hi-lo)/2], xs[hi])
		lt, i, gt := lo, lo, hi
		for i <= gt {
			switch v := xs[i]; {
			case v < pivot:
				xs[lt], xs[i] = v, xs[lt]
				lt++
				i++
			case v > pivot:
				xs[i], xs[gt] = xs[gt], v
				gt--
			default:
				i++
			}
		}
		// Now xs[lo:lt] < pivot, xs[lt:gt+1] == pivot, xs[gt+1:hi+1] > pivot.
		switch {
		case k < lt:
			hi = lt - 1
		case k > gt:
			lo = gt + 1
		default:
			return pivot
		}
	}
	return xs[k]
}

// median3 returns the median of a, b and c.
func median3(a, b, c float64) float64 {
	if a > b {
		a, b = b, a
	}
	if b > c {
		b = c
	}
	if a > b {
		return a
	}
	return b
}
