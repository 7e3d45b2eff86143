package las

import (
	"bytes"
	"math"
	"strings"
)

// Values that ran together. Fixed-width data (Fortran F formats) print each value right-aligned
// in a field of its own width, with a fixed number of decimals per column; a value that fills
// its whole field touches the one before it: "7.020101130.188" is 7.020101 and 130.188 when the
// caliper column has six decimals and ends where the gamma-ray column begins. A line then has
// fewer values than columns. [dataDecoder.resolveRunOn] puts such a line right:
//
//   - each value with two or more decimal points that is made of digits, points and signs only
//     stands for as many values as it has points; when that accounts for the missing values,
//     the values around it keep their columns;
//   - it is split where its parts start with a minus sign ("123.456-999.250"), or where the
//     column layout of the rows before says: the decimals of each column and where each
//     column ends, both learned from the first full row and checked against the last one.
//     When both are known they must agree;
//   - when nothing says where one value ends, the columns it covers are NULL, with a warning:
//     a numeric curve never becomes text because of a few such values.

// colLayout is where a column's values end on a line of fixed-width data and how many decimals
// they have (-1 when they have no decimal point or are not plain decimals).
type colLayout struct {
	end, decimals int
}

// layoutOf returns the layout of a line of n plain values separated by blanks, nil when it does
// not have n values; the ends are counted from lead bytes before b (the blanks trimmed off the
// line).
func layoutOf(b []byte, n, lead int) []colLayout {
	out := make([]colLayout, 0, n)
	for i := 0; ; {
		for i < len(b) && b[i] <= ' ' {
			i++
		}
		if i >= len(b) {
			break
		}
		s := i
		for i < len(b) && b[i] > ' ' {
			i++
		}
		if len(out) == n {
			return nil
		}
		out = append(out, colLayout{end: lead + i, decimals: decimalsOf(b[s:i])})
	}
	if len(out) != n {
		return nil
	}
	return out
}

// decimalsOf returns the number of digits after the decimal point of a plain decimal, -1 for
// anything else.
func decimalsOf(b []byte) int {
	if _, ok := parseDecimal(b); !ok {
		return -1
	}
	k := bytes.IndexByte(b, '.')
	if k < 0 || bytes.ContainsAny(b, "eE") {
		return -1
	}
	return len(b) - k - 1
}

// runOnCount returns how many values a token that ran together holds: its number of decimal
// points when it has two or more and is made of digits, points, signs and exponent letters
// only; 1 otherwise.
func runOnCount(b []byte) int {
	dots, digits := 0, 0
	for _, c := range b {
		switch {
		case c == '.':
			dots++
		case isDigit(c):
			digits++
		case c == '-' || c == '+' || c == 'e' || c == 'E':
		default:
			return 1
		}
	}
	if dots < 2 || digits == 0 {
		return 1
	}
	return dots
}

// resolveRunOn explains a line of fewer values than the n columns by values that ran together
// (see above). It rewrites d.toks to n tokens and reports true when it can; the tokens of
// values it cannot split are NULL.
func (d *dataDecoder) resolveRunOn(b []byte, ln, n int) bool {
	if d.delim != Space || d.wrap || n > len(d.cols) {
		return false
	}
	total, runs := 0, 0
	for i := range d.toks {
		t := &d.toks[i]
		c := 1
		if t.st == tokText && !t.quoted {
			c = runOnCount(b[t.s:t.e])
		}
		if c > 1 {
			runs++
		}
		total += c
	}
	if runs == 0 || total != n {
		return false
	}
	out := make([]token, 0, n)
	col := 0
	for i, t := range d.toks {
		c := 1
		if t.st == tokText && !t.quoted {
			c = runOnCount(b[t.s:t.e])
		}
		if c == 1 {
			out = append(out, t)
			col++
			continue
		}
		for j := col; j < col+c; j++ {
			if d.cols[j].isText {
				return false // a text column (dotted dates): not numbers that ran together
			}
		}
		text := clip(string(b[t.s:t.e]), 40)
		if parts := d.splitRunOn(b, i, col, c); parts != nil {
			s := t.s
			vals := make([]string, len(parts))
			for k, pl := range parts {
				nt := token{s: s, e: s + pl}
				nt.v, nt.st, _ = parseToken(b[nt.s:nt.e])
				out = append(out, nt)
				vals[k] = string(b[nt.s:nt.e])
				s += pl
			}
			d.p.warnCapped("values run together", ln, "values that ran together were split: %q read as %s", text, strings.Join(vals, " and "))
		} else {
			for j := 0; j < c; j++ {
				out = append(out, token{s: t.s, e: t.s, st: tokNull, runOn: true})
			}
			d.p.warnCapped("values run together", ln, "values ran together in %q and nothing tells where one ends; %s read as NULL", text, d.names(col, col+c))
		}
		col += c
	}
	d.toks = append(d.toks[:0], out...)
	return true
}

// splitRunOn returns the lengths of the c values token i (at column col) is made of, nil when
// they cannot be told apart for sure.
func (d *dataDecoder) splitRunOn(b []byte, i, col, c int) []int {
	t := d.toks[i]
	tok := b[t.s:t.e]
	if parts := signParts(tok); len(parts) == c {
		return parts
	}
	first, last := d.layout, d.lastLayout()
	if first == nil {
		return nil
	}
	// Decimals: known for every column covered, the same in the first and the last full row.
	var byDecimals []int
	decs := make([]int, c)
	known := true
	for j := range decs {
		decs[j] = first[col+j].decimals
		if decs[j] < 0 || (last != nil && last[col+j].decimals != decs[j]) {
			known = false
		}
	}
	if known {
		byDecimals = splitByDecimals(tok, decs)
	}
	// Positions: where each column ends, the same in the first and the last full row, with the
	// values before this one on the line ending where theirs do.
	var byEnds []int
	aligned := true
	for j := 0; j < c-1; j++ {
		if last != nil && last[col+j].end != first[col+j].end {
			aligned = false
		}
	}
	if i > 0 {
		aligned = aligned && d.lead+d.toks[i-1].e == first[col-1].end
	} else {
		aligned = aligned && d.lead+t.e == first[col+c-1].end
	}
	if aligned {
		byEnds = splitAt(tok, d.lead+t.s, first[col:col+c-1])
	}
	switch {
	case byDecimals != nil && byEnds != nil:
		if !equalInts(byDecimals, byEnds) {
			return nil
		}
		return byDecimals
	case byDecimals != nil && !aligned:
		return byDecimals
	case byEnds != nil && !known:
		return byEnds
	}
	return nil
}

// lastLayout returns the layout of the last full row before the current line, found in the line
// reader's buffer among the few lines before it (comments and blank lines are passed over); nil
// when none is there. Nothing is kept per row for it: the fast path stays as it is.
func (d *dataDecoder) lastLayout() []colLayout {
	lr := d.p.lr
	for n := 1; n <= 8 && lr.line-n > d.start; n++ {
		line := lr.before(n)
		if line == nil {
			return nil
		}
		if t := bytes.TrimLeft(line, " \t"); len(t) > 0 && (t[0] == '#' || t[0] == '~') {
			continue
		}
		if l := layoutOf(line, len(d.layout), 0); l != nil {
			return l
		}
	}
	return nil
}

// signParts returns the lengths of the numbers a run-together token is made of when every part
// after the first starts with a minus sign ("123.456-999.250"), nil if it is not so made: each
// part is [-]digits.digits.
func signParts(b []byte) []int {
	var parts []int
	i := 0
	for i < len(b) {
		s := i
		if b[i] == '-' || (i == 0 && b[i] == '+') {
			i++
		}
		d0 := i
		for i < len(b) && isDigit(b[i]) {
			i++
		}
		if i >= len(b) || b[i] != '.' {
			return nil
		}
		i++
		d1 := i
		for i < len(b) && isDigit(b[i]) {
			i++
		}
		if d1 == i && d0 == d1-1 {
			return nil
		}
		if i < len(b) && b[i] != '-' {
			return nil
		}
		parts = append(parts, i-s)
	}
	if len(parts) < 2 {
		return nil
	}
	return parts
}

// splitByDecimals splits tok into len(decs) plain decimals, part j with decs[j] digits after
// its point; nil if it is not so made.
func splitByDecimals(tok []byte, decs []int) []int {
	parts := make([]int, 0, len(decs))
	s := 0
	for j, dec := range decs {
		k := bytes.IndexByte(tok[s:], '.')
		if k < 0 {
			return nil
		}
		e := s + k + 1 + dec
		if j == len(decs)-1 {
			if e != len(tok) {
				return nil
			}
		} else if e >= len(tok) {
			return nil
		}
		if !plainDecimal(tok[s:e]) {
			return nil
		}
		parts = append(parts, e-s)
		s = e
	}
	return parts
}

// splitAt splits tok, which starts at offset start of its line, at the ends of the columns
// given; nil unless every part is a plain decimal.
func splitAt(tok []byte, start int, cols []colLayout) []int {
	parts := make([]int, 0, len(cols)+1)
	s := 0
	for _, c := range cols {
		e := c.end - start
		if e <= s || e >= len(tok) || !plainDecimal(tok[s:e]) {
			return nil
		}
		parts = append(parts, e-s)
		s = e
	}
	if !plainDecimal(tok[s:]) {
		return nil
	}
	return append(parts, len(tok)-s)
}

// plainDecimal reports whether b is [sign]digits.digits with one point and a digit.
func plainDecimal(b []byte) bool {
	if len(b) == 0 || bytes.Count(b, []byte{'.'}) != 1 || bytes.ContainsAny(b, "eE") {
		return false
	}
	if b[0] == '-' || b[0] == '+' {
		b = b[1:]
	}
	digits := 0
	for _, c := range b {
		switch {
		case isDigit(c):
			digits++
		case c != '.':
			return false
		}
	}
	return digits > 0
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// garbledNumber handles a value that is not a number but looks like numbers run together
// (digits, points and signs, two or more points) arriving in a numeric curve that already holds
// numbers: it is NULL with a warning, and the curve stays numeric. It reports whether it did
// so.
func (d *dataDecoder) garbledNumber(j int, s []byte, ln int) bool {
	if runOnCount(s) < 2 || !d.hasNumber(j) {
		return false
	}
	d.p.warnCapped("not one number", ln, "%q in numeric curve %s is not one number (values that ran together?); read as NULL", clip(string(s), 40), d.curveName(j))
	d.storeNum(j, math.NaN())
	return true
}

// hasNumber reports whether numeric column j holds a non-NULL sample.
func (d *dataDecoder) hasNumber(j int) bool {
	if d.stats {
		return d.accs[j].acc.count > 0
	}
	c := &d.cols[j]
	for ; !c.sawNum && c.scanned < len(c.num); c.scanned++ {
		c.sawNum = !math.IsNaN(c.num[c.scanned])
	}
	return c.sawNum
}
