// Package decimate thins a curve for display while keeping its visual shape.
package decimate

import "math"

// LTTB returns at most n points of the series (x[i], y[i]) chosen by Largest-Triangle-Three-
// Buckets (S. Steinarsson, "Downsampling Time Series for Visual Representation", MSc thesis,
// University of Iceland, 2013, ch. 4.2): the first and last points are kept, the rest is cut
// into n-2 buckets of equal count, and from each bucket the point that makes the largest
// triangle with the point kept before it and the mean of the next bucket is kept. Peaks and
// troughs survive where an every-k-th thinning would drop them.
//
// NULL samples (y NaN, or x NaN) are gaps, never bridged: the series is split into runs of
// non-NULL samples, the budget of points is shared among the runs in proportion to their
// lengths (each run keeps at least its first and last point, a run of one its point), each run
// is thinned by LTTB on its own, and one NULL sample (y NaN) is kept for each gap: at the x of
// its first sample between two runs and before the first run, at the x of the last sample after
// the last run, so that a plot shows the gaps where they are and spans the whole index. When there are so many gaps that this
// cannot fit in n points (2 per run and 1 per gap), it falls back to keeping every k-th sample,
// NULL or not, which shows the gaps at the resolution of the output.
//
// x must be in increasing or decreasing order within each run (a depth or time index); x and y
// have the same length. The result is a new pair of slices of length ≤ n; if len(x) <= n or
// n < 3 (n < 1: no limit) the input is returned as it is.
func LTTB(x, y []float64, n int) (xo, yo []float64) {
	if n < 3 || len(x) <= n {
		return x, y
	}
	type run struct{ from, to int } // [from, to)
	var runs []run
	gaps := 0
	for i := 0; i < len(x); {
		if isNull(x[i], y[i]) {
			gaps++
			for i < len(x) && isNull(x[i], y[i]) {
				i++
			}
			continue
		}
		j := i
		for j < len(x) && !isNull(x[j], y[j]) {
			j++
		}
		runs = append(runs, run{i, j})
		i = j
	}
	minimum := gaps
	for _, r := range runs {
		minimum += min(2, r.to-r.from)
	}
	if minimum > n {
		return stride(x, y, n)
	}
	// Share the points left after the gaps among the runs by length (largest remainder), each
	// run at least its minimum.
	budget := n - gaps
	total := 0
	for _, r := range runs {
		total += r.to - r.from
	}
	quota := make([]int, len(runs))
	used := 0
	for i, r := range runs {
		l := r.to - r.from
		quota[i] = max(min(2, l), budget*l/total)
		quota[i] = min(quota[i], l)
		used += quota[i]
	}
	for used > budget { // the minimums pushed it over: take back from the largest quotas
		big := 0
		for i := range quota {
			if quota[i]-min(2, runs[i].to-runs[i].from) > quota[big]-min(2, runs[big].to-runs[big].from) {
				big = i
			}
		}
		quota[big]--
		used--
	}
	for used < budget { // what rounding left, one by one to the runs with room
		added := false
		for i := range runs {
			if used < budget && quota[i] < runs[i].to-runs[i].from {
				quota[i]++
				used++
				added = true
			}
		}
		if !added {
			break // every run is kept whole
		}
	}
	xo, yo = make([]float64, 0, n), make([]float64, 0, n)
	pos := 0
	for i, r := range runs {
		if r.from > pos { // the gap before this run
			xo, yo = append(xo, x[pos]), append(yo, math.NaN())
		}
		rx, ry := lttb(x[r.from:r.to], y[r.from:r.to], quota[i])
		xo, yo = append(xo, rx...), append(yo, ry...)
		pos = r.to
	}
	if pos < len(x) { // the trailing gap: marked at its end, so that the result spans the index
		xo, yo = append(xo, x[len(x)-1]), append(yo, math.NaN())
	}
	return xo, yo
}

func isNull(x, y float64) bool {
	return math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0)
}

// lttb is Steinarsson's algorithm on a series without NULL samples: at most n points (all of
// them if len(x) <= n; the first and last if n is 2; the first if n is 1).
func lttb(x, y []float64, n int) ([]float64, []float64) {
	if len(x) <= n {
		return x, y
	}
	if n == 1 {
		return x[:1], y[:1]
	}
	if n == 2 {
		return []float64{x[0], x[len(x)-1]}, []float64{y[0], y[len(y)-1]}
	}
	xo, yo := make([]float64, 0, n), make([]float64, 0, n)
	xo, yo = append(xo, x[0]), append(yo, y[0])
	// n-2 buckets over the points between the first and the last.
	every := float64(len(x)-2) / float64(n-2)
	a := 0
	for i := 0; i < n-2; i++ {
		from := int(float64(i)*every) + 1
		to := int(float64(i+1)*every) + 1
		// The mean of the next bucket (the last point for the last bucket).
		nfrom, nto := to, min(int(float64(i+2)*every)+1, len(x))
		if i == n-3 {
			nfrom, nto = len(x)-1, len(x)
		}
		var mx, my float64
		for j := nfrom; j < nto; j++ {
			mx += x[j]
			my += y[j]
		}
		cnt := float64(nto - nfrom)
		mx, my = mx/cnt, my/cnt
		best, bestArea := from, -1.0
		ax, ay := x[a], y[a]
		for j := from; j < to; j++ {
			area := math.Abs((ax-mx)*(y[j]-ay) - (ax-x[j])*(my-ay))
			if area > bestArea {
				best, bestArea = j, area
			}
		}
		xo, yo = append(xo, x[best]), append(yo, y[best])
		a = best
	}
	xo, yo = append(xo, x[len(x)-1]), append(yo, y[len(y)-1])
	return xo, yo
}

// stride keeps every k-th sample (NULL ones as they are) and the last, at most n in all.
func stride(x, y []float64, n int) ([]float64, []float64) {
	k := (len(x) - 1 + n - 2) / (n - 1) // ceil((len-1)/(n-1)) samples apart
	xo, yo := make([]float64, 0, n), make([]float64, 0, n)
	for i := 0; i < len(x)-1; i += k {
		xo, yo = append(xo, x[i]), append(yo, y[i])
	}
	xo, yo = append(xo, x[len(x)-1]), append(yo, y[len(y)-1])
	return xo, yo
}
