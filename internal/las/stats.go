package las

import (
	"math"
	"strconv"
)

// accum gathers the statistics of one numeric curve sample by sample: the same code serves
// [Curve.Stats] (over the stored samples) and [Check] (while decoding, storing nothing), so both
// give the same results bit for bit.
type accum struct {
	count     int
	min, max  float64
	sum, comp float64 // Neumaier summation keeps the mean of long curves exact
	textCount int     // non-NULL samples once the curve turned out to be text
	isText    bool
}

func (a *accum) add(v float64) {
	if v != v { // NaN: NULL
		return
	}
	if a.count == 0 {
		a.min, a.max = v, v
	} else if v < a.min {
		a.min = v
	} else if v > a.max {
		a.max = v
	}
	t := a.sum + v
	if math.Abs(a.sum) >= math.Abs(v) {
		a.comp += (a.sum - t) + v
	} else {
		a.comp += (v - t) + a.sum
	}
	a.sum = t
	a.count++
}

// addAll adds the samples vs in order, as add does one by one (bit for bit the same state),
// with the state in registers.
func (a *accum) addAll(vs []float64) {
	count, lo, hi, sum, comp := a.count, a.min, a.max, a.sum, a.comp
	for _, v := range vs {
		if v != v {
			continue
		}
		if count == 0 {
			lo, hi = v, v
		} else if v < lo {
			lo = v
		} else if v > hi {
			hi = v
		}
		t := sum + v
		if math.Abs(sum) >= math.Abs(v) {
			comp += (sum - t) + v
		} else {
			comp += (v - t) + sum
		}
		sum = t
		count++
	}
	a.count, a.min, a.max, a.sum, a.comp = count, lo, hi, sum, comp
}

// result returns the count of non-NULL samples and their min, max and mean (NaN when there is
// none, or the mean when the sum overflows).
func (a *accum) result() (count int, min, max, mean float64) {
	if a.isText {
		return a.textCount, math.NaN(), math.NaN(), math.NaN()
	}
	if a.count == 0 {
		return 0, math.NaN(), math.NaN(), math.NaN()
	}
	mean = (a.sum + a.comp) / float64(a.count)
	if math.IsInf(mean, 0) {
		mean = math.NaN()
	}
	return a.count, a.min, a.max, mean
}

// toText switches the accumulator to counting text samples: the numbers seen so far count as
// non-NULL text, as [Read] keeps them (in their decimal form).
func (a *accum) toText() {
	if !a.isText {
		a.isText, a.textCount = true, a.count
	}
}

// stepAccum follows an index sample by sample to tell its first and last values and whether it
// is regularly sampled.
type stepAccum struct {
	n                 int
	first, last, prev float64
	minD, maxD        float64
	nan               bool // a NULL index value or a NaN difference
}

func (s *stepAccum) add(v float64) {
	if s.n == 0 {
		s.first = v
	} else {
		d := v - s.prev
		switch {
		case d != d:
			s.nan = true
		case s.n == 1:
			s.minD, s.maxD = d, d
		case d < s.minD:
			s.minD = d
		case d > s.maxD:
			s.maxD = d
		}
	}
	if v != v {
		s.nan = true
	}
	s.prev, s.last = v, v
	s.n++
}

// step returns the sampling step and whether it is regular: every difference between
// successive values within 1 % of the mean step (values are usually printed rounded, so exact
// equality is too strict). The step is rounded to 10 significant digits. Since x ↦ |x - step| ≤
// tol holds on an interval, checking the smallest and the largest difference checks them all.
func (s *stepAccum) step() (float64, bool) {
	if s.n < 2 || s.nan {
		return 0, false
	}
	step := (s.last - s.first) / float64(s.n-1)
	if step == 0 || math.IsNaN(step) || math.IsInf(step, 0) {
		return 0, false
	}
	tol := math.Abs(step) * 0.01
	if !(math.Abs(s.minD-step) <= tol) || !(math.Abs(s.maxD-step) <= tol) {
		return 0, false
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(step, 'g', 10, 64), 64)
	return r, true
}

// curveStats are the statistics [Check] computed while decoding, for a curve whose samples
// were not kept.
type curveStats struct {
	acc  accum
	step stepAccum // the index only
}

// indexSteps returns the step accumulator of an index curve: the one kept by Check, or one run
// over the stored samples.
func indexSteps(c *Curve) stepAccum {
	if c.stats != nil {
		return c.stats.step
	}
	var s stepAccum
	for _, v := range c.Values {
		s.add(v)
	}
	return s
}

// dataStep returns the regular sampling step of index values (see stepAccum.step).
func dataStep(v []float64) (float64, bool) {
	var s stepAccum
	for _, x := range v {
		s.add(x)
	}
	return s.step()
}
