package logplot

import (
	"math"
	"slices"
	"strconv"
)

// scale maps a curve value to a fraction of its track's width: Left is drawn at the left edge
// (0), Right at the right edge (1). Left > Right is a reversed scale (neutron, sonic). Log scales
// need Left and Right > 0.
type scale struct {
	Left, Right float64
	Log         bool
}

// norm returns where v falls across the track, 0 at the left edge and 1 at the right; values
// beyond the scale fall outside [0, 1] and are clipped when drawn. It returns NaN for NaN, and for
// v ≤ 0 on a log scale, so such samples become gaps.
func (s scale) norm(v float64) float64 {
	if s.Log {
		if !(v > 0) {
			return math.NaN()
		}
		l := math.Log10(s.Left)
		return (math.Log10(v) - l) / (math.Log10(s.Right) - l)
	}
	return (v - s.Left) / (s.Right - s.Left)
}

// bounds returns the smaller and the larger end of the scale.
func (s scale) bounds() (lo, hi float64) {
	return min(s.Left, s.Right), max(s.Left, s.Right)
}

// maxPercentileSamples caps how many values a percentile estimate sorts: longer curves are
// sampled at an even stride, which keeps a 3 000 000-sample curve's scale cheap to find.
const maxPercentileSamples = 1 << 13

// percentiles returns the 1st and 99th percentiles (nearest rank) of the finite values of the
// given curves in samples [from, to), each value multiplied by its curve's factor first, and
// ok = false when there is no finite value. Curves with more than maxPercentileSamples samples in
// range are read at an even stride, so the result is an estimate, but a deterministic one.
func percentiles(parts []percentileInput, from, to int) (p1, p99 float64, ok bool) {
	n := to - from
	if n <= 0 {
		return 0, 0, false
	}
	stride := 1
	if total := n * len(parts); total > maxPercentileSamples {
		stride = (total + maxPercentileSamples - 1) / maxPercentileSamples
	}
	vals := make([]float64, 0, min(n*len(parts), maxPercentileSamples+len(parts)))
	for _, p := range parts {
		for i := from; i < to; i += stride {
			v := p.values[i] * p.factor
			if p.log && !(v > 0) {
				continue
			}
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				vals = append(vals, v)
			}
		}
	}
	if len(vals) == 0 {
		return 0, 0, false
	}
	slices.Sort(vals)
	rank := func(p float64) float64 {
		i := int(math.Ceil(p/100*float64(len(vals)))) - 1
		return vals[max(0, min(i, len(vals)-1))]
	}
	return rank(1), rank(99), true
}

// percentileInput is one curve's contribution to a shared scale.
type percentileInput struct {
	values []float64
	factor float64
	log    bool
}

// fitScale returns def when the data's P1–P99 range lies within it, else a scale over P1–P99
// widened to round numbers (decades on a log scale), oriented like def. A def with Left ==
// Right means "no default": the data range is always used. Without data it returns def, or
// 0–1 when def is unset.
func fitScale(def scale, p1, p99 float64, ok bool) scale {
	unset := def.Left == def.Right
	if !ok {
		if unset {
			return scale{Left: 0, Right: 1, Log: def.Log}
		}
		return def
	}
	if lo, hi := def.bounds(); !unset && p1 >= lo && p99 <= hi {
		return def
	}
	lo, hi := niceRange(p1, p99, def.Log)
	if def.Left > def.Right {
		return scale{Left: hi, Right: lo, Log: def.Log}
	}
	return scale{Left: lo, Right: hi, Log: def.Log}
}

// niceRange widens [lo, hi] to round numbers: whole decades on a log scale, multiples of a
// 1-2-2.5-5 step giving about ten divisions on a linear one. A range of one value is widened
// around it.
func niceRange(lo, hi float64, log bool) (float64, float64) {
	if log {
		l, h := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
		if h <= l {
			h = l + 1
		}
		return math.Pow(10, l), math.Pow(10, h)
	}
	if hi <= lo {
		d := math.Abs(lo) * 0.1
		if d == 0 {
			d = 1
		}
		lo, hi = lo-d, hi+d
	}
	step := niceStep((hi - lo) / 10)
	l, h := math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	return roundSig(l), roundSig(h)
}

// niceStep returns the smallest of 1, 2, 2.5 or 5 times a power of ten that is ≥ x (x > 0).
func niceStep(x float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= x*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// roundSig rounds v to 9 significant digits, removing binary noise such as 0.30000000000000004.
func roundSig(v float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 9, 64), 64)
	if err != nil {
		return v
	}
	return r
}

// formatValue formats a scale end or depth label: shortest form, no exponent for usual log
// values ("0.2", "2000", "-0.15").
func formatValue(v float64) string {
	v = roundSig(v)
	if v == 0 {
		return "0" // also for -0
	}
	if a := math.Abs(v); a >= 1e-4 && a < 1e7 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// gridLines returns the vertical grid positions of a track as fractions of its width: ten
// equal divisions on a linear track (API RP 33 divides each linear track into ten), and on a
// log track a major line at each decade and a minor line at 2–9 times each decade.
func gridLines(s scale) (major, minor []float64) {
	if !s.Log {
		for i := 0; i <= 10; i++ {
			minor = append(minor, float64(i)/10)
		}
		return nil, minor
	}
	lo, hi := s.bounds()
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		dec := math.Pow(10, e)
		for m := 1.0; m <= 9; m++ {
			v := m * dec
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			x := s.norm(v)
			if m == 1 {
				major = append(major, x)
			} else {
				minor = append(minor, x)
			}
		}
	}
	return major, minor
}

// depthTicks returns the major (labelled) depth step for a window of span depth units drawn
// over height points: the smallest 1-2-5 step whose labels lie at least minGap points apart.
// The minor step is a fifth of it (a half for a 2 step).
func depthTicks(span, height, minGap float64) (major, minorStep float64) {
	perUnit := height / span
	p := math.Pow(10, math.Floor(math.Log10(minGap/perUnit)))
	for {
		for _, m := range []float64{1, 2, 5} {
			if step := m * p; step*perUnit >= minGap {
				if m == 2 {
					return step, step / 2
				}
				return step, step / 5
			}
		}
		p *= 10
	}
}
