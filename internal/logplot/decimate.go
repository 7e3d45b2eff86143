package logplot

import "math"

// point is one vertex of a curve line: Value in the drawing unit and Depth in the depth
// curve's unit.
type point struct{ Value, Depth float64 }

// samples is a curve as decimate reads it: sample i is Values[i]·Factor; NaN and ±Inf are
// NULLs, and so are values ≤ 0 when Positive (a log scale cannot draw them).
type samples struct {
	Values   []float64
	Factor   float64
	Positive bool
}

// at returns sample i in the drawing unit and whether it is a NULL.
func (s samples) at(i int) (float64, bool) {
	v := s.Values[i] * s.Factor
	return v, v-v != 0 || (s.Positive && v <= 0) // v-v is NaN for NaN and ±Inf
}

// decimate returns the polylines that draw the curve s over the samples [from, to) of depth.
// A NULL ends a line, so gaps are never bridged or drawn as zero.
//
// When the range holds more than two samples per bin, the window top–base is cut into bins
// (one per point of plot height, i.e. per SVG pixel row) and each bin keeps only its smallest
// and largest sample, in depth order, at their own depths (the scale maps values to the track
// monotonically, so these are also the leftmost and rightmost points of the row): a spike one sample wide still
// reaches its full value, and a 3 000 000-sample curve becomes at most 2 points per row. A
// bin's line ends at its edge when the bin starts or ends with a NULL, so gaps wider than a bin
// stay visible; a gap narrower than one row between valid samples of the same bin is below the
// resolution of the plot and not drawn. Without decimation every sample is kept and every NULL
// breaks the line.
func decimate(depth []float64, s samples, from, to int, top, base float64, bins int) [][]point {
	if to-from <= 2*bins {
		return allPoints(depth, s, from, to)
	}
	var (
		lines [][]point
		cur   []point
		b     = bin{index: -1}
		per   = float64(bins) / (base - top)
	)
	flushLine := func() {
		if len(cur) > 0 {
			lines = append(lines, cur)
			cur = nil
		}
	}
	flushBin := func() {
		if b.index < 0 {
			return
		}
		if b.count == 0 || b.firstNull {
			flushLine()
		}
		if b.count > 0 {
			lo, hi := b.minAt, b.maxAt
			if hi < lo {
				lo, hi = hi, lo
			}
			v, _ := s.at(lo)
			cur = append(cur, point{v, depth[lo]})
			if hi != lo {
				v, _ = s.at(hi)
				cur = append(cur, point{v, depth[hi]})
			}
		}
		if b.lastNull {
			flushLine()
		}
	}
	for i := from; i < to; i++ {
		k := int(math.Floor((depth[i] - top) * per))
		k = max(0, min(k, bins-1))
		v, null := s.at(i)
		if k != b.index {
			flushBin()
			b = bin{index: k, firstNull: null}
		}
		b.lastNull = null
		if null {
			continue
		}
		if b.count == 0 {
			b.min, b.max, b.minAt, b.maxAt = v, v, i, i
		} else if v < b.min {
			b.min, b.minAt = v, i
		} else if v > b.max {
			b.max, b.maxAt = v, i
		}
		b.count++
	}
	flushBin()
	flushLine()
	return lines
}

// bin accumulates the samples of one pixel row during decimation.
type bin struct {
	index               int
	count               int
	min, max            float64
	minAt, maxAt        int
	firstNull, lastNull bool
}

// allPoints returns every sample of [from, to) as polylines broken at NULLs.
func allPoints(depth []float64, s samples, from, to int) [][]point {
	var (
		lines [][]point
		cur   []point
	)
	for i := from; i < to; i++ {
		v, null := s.at(i)
		if null {
			if len(cur) > 0 {
				lines = append(lines, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, point{v, depth[i]})
	}
	if len(cur) > 0 {
		lines = append(lines, cur)
	}
	return lines
}
