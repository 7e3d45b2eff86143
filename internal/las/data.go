package las

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf8"
)

// column is one curve's samples while a data section is decoded.
type column struct {
	num    []float64
	text   []string
	isText bool
	intern map[string]string
	// sawNum: num holds a non-NULL sample (known from num[:scanned]); see hasNumber.
	sawNum  bool
	scanned int
}

// token is one value of a data line: its bytes are line[s:e].
type token struct {
	v      float64
	st     numberState
	quoted bool
	comma  bool // a comma was read as decimal mark
	runOn  bool // a NULL put for a value that ran together with others (already warned about)
	s, e   int
}

// dataDecoder decodes one data section into columns, line by line.
type dataDecoder struct {
	p      *parser
	curves []Curve
	cols   []column
	main   bool // the log data section (else a LAS 3.0 set)
	start  int  // line of the section title

	delim     Delimiter
	autoDelim bool // no DLM item: decide from the first data line
	wrap      bool
	null      float64
	hasNull   bool
	v3        bool

	rows        int
	firstRow    bool
	established int // values per line that the first row had (unwrapped)
	pos         int // position in the current row (wrapped)
	rowLine     int // line the current wrapped row started on
	midLine     bool

	toks     []token
	comment  bool // the line ends in a "#" comment
	extra    int  // values of the line beyond tokLimit: counted, not kept
	tokLimit int
	join     []byte // a quoted string that spans lines is joined here

	fast bool      // lines may take fastLine
	vals []float64 // fastLine's values of one row

	maybeWrap bool // the first row held the index alone
	firstLine int  // line of the first row

	// layout is the column layout of the first full row (SPACE-delimited, unwrapped), which
	// with the rows before a line tells where values that ran together end (runon.go). lead is
	// the number of blanks the current line begins with: token offsets are after them.
	layout []colLayout
	lead   int

	// stats: keep statistics (accs) instead of samples (Check, log data section only).
	stats bool
	accs  []curveStats

	commaWarned, rangeWarned bool
	startBytes               int64 // bytes read before the section's first line

	// Block decoding (parallel.go): by workers goroutines, from lr.consumed = blocksAfter on;
	// backoff is the distance decoded line by line after a block stopped, doubled each time.
	workers, blockSize   int
	blocksAfter, backoff int64
}

func newDataDecoder(p *parser, curves []Curve, main bool, ln int) *dataDecoder {
	d := &dataDecoder{
		p: p, curves: curves, main: main, start: ln,
		delim: p.f.Delimiter, autoDelim: !p.dlmSet, wrap: p.f.Wrap,
		null: p.f.Null, hasNull: !math.IsNaN(p.f.Null), v3: p.v3, firstRow: true,
		startBytes: p.lr.consumed,
		workers:    p.o.parallelism(), blockSize: p.o.block(), backoff: int64(p.o.block()),
	}
	if !main {
		d.wrap = false
	}
	d.cols = make([]column, len(curves))
	for i := range curves {
		d.cols[i].isText = curves[i].Kind == KindText
	}
	if main && p.o.statsOnly {
		d.stats = true
		d.accs = make([]curveStats, len(curves))
	}
	return d
}

// run decodes lines until the next section title (left in p.pending) or the end of the text,
// starting with first when it is not nil (a data line read before the decoder was made, on
// line d.start).
func (d *dataDecoder) run(first []byte) error {
	p := d.p
	lr := p.lr
	if d.wrap && len(d.cols) == 0 {
		return &ParseError{Line: d.start, Msg: "WRAP YES but no ~C section: the number of values in a row is unknown"}
	}
	for {
		b, ok := first, first != nil
		if ok {
			first = nil
		} else if d.parallelOK() {
			d.runBlocks()
			continue
		} else if b, ok = lr.next(); !ok {
			if err := p.lrError(); err != nil {
				return err
			}
			break
		}
		j := 0
		for j < len(b) && b[j] <= ' ' {
			j++
		}
		if j == len(b) {
			continue
		}
		switch b[j] {
		case '~':
			p.pending = append(p.pending[:0], b[j:]...)
			p.hasPend = true
			d.finish()
			return nil
		case '#':
			continue
		}
		b, d.lead = b[j:], j
		ln := lr.line
		if d.v3 && bytes.IndexByte(b, '"') >= 0 {
			b = d.joinQuoted(b)
		}
		d.line(b, ln)
		if p.hasPend { // joinQuoted met the next section title
			break
		}
	}
	d.finish()
	return nil
}

// line decodes one data line.
func (d *dataDecoder) line(b []byte, ln int) {
	if d.fast && d.fastLine(b) {
		return
	}
	defer d.updateFast()
	if d.autoDelim {
		d.autoDelim = false
		d.delim = d.detectDelimiter(b, ln)
	}
	// Only the values that can be placed are kept (the others are counted), so that a huge
	// line cannot make a huge token list.
	switch {
	case d.wrap:
		d.tokLimit = 1 << 16
	case d.firstRow:
		d.tokLimit = maxColumns + 1
	default:
		d.tokLimit = len(d.cols) + 1
	}
	d.tokenize(b)
	if d.comment {
		d.p.warnCapped("comments after values", ln, "the text from \"#\" on was read as a comment")
	}
	if d.wrap && d.extra > 0 {
		d.p.warnCapped("too many values", ln, "%d values on one line; the %d after the first %d were ignored", len(d.toks)+d.extra, d.extra, len(d.toks))
	}
	if len(d.toks) == 1 && d.ncols() > 1 && len(b) >= 3 && isRule(b) {
		d.p.warnCapped("lines of dashes", ln, "a line of dashes in the data was ignored")
		return
	}
	if d.wrap {
		d.wrapped(b, ln)
		return
	}
	d.unwrapped(b, ln)
}

// updateFast decides whether the next lines may take fastLine: an unwrapped SPACE-delimited
// section past its first row, whose rows have one value per column and whose columns are all
// numeric so far.
func (d *dataDecoder) updateFast() {
	d.fast = !d.wrap && d.delim == Space && !d.firstRow && !d.autoDelim &&
		d.established == len(d.cols) && len(d.cols) > 0
	for j := range d.cols {
		if d.cols[j].isText {
			d.fast = false
		}
	}
	if d.fast && cap(d.vals) < len(d.cols) {
		d.vals = make([]float64, len(d.cols))
	}
}

// fastLine reads a line of plain decimal numbers, one per column and separated by blanks,
// straight into the columns: the common case, kept to one pass over the bytes. It returns false,
// having stored nothing, for any line that needs the general path (a token that is not a plain
// decimal, a different number of values).
func (d *dataDecoder) fastLine(b []byte) bool {
	vals := d.vals[:len(d.cols)]
	k, i, n := 0, 0, len(b)
	for {
		for i < n && b[i] <= ' ' {
			i++
		}
		if i >= n {
			break
		}
		if k == len(vals) {
			return false
		}
		v, next, ok := shortDecimal(b, i)
		if !ok {
			if v, next, ok = scanDecimal(b, i); !ok {
				return false
			}
		}
		vals[k] = v
		k++
		i = next
	}
	if k != len(vals) {
		return false
	}
	null, hasNull := d.null, d.hasNull
	if d.stats {
		d.accs[0].acc.add(vals[0])
		d.accs[0].step.add(vals[0])
		for j := 1; j < len(vals); j++ {
			if v := vals[j]; !(hasNull && v == null) {
				d.accs[j].acc.add(v)
			}
		}
		d.rows++
		return true
	}
	d.cols[0].num = append(d.cols[0].num, vals[0])
	for j := 1; j < len(vals); j++ {
		v := vals[j]
		if hasNull && v == null {
			v = math.NaN()
		}
		d.cols[j].num = append(d.cols[j].num, v)
	}
	d.rows++
	return true
}

// scanDecimal parses the plain decimal that starts at b[i] and ends at a blank or the end of
// b, with the exactness rule of parseDecimal. It returns the index after it, and ok=false for
// anything parseDecimal would not take.
func scanDecimal(b []byte, i int) (float64, int, bool) {
	n := len(b)
	neg := false
	switch b[i] {
	case '-':
		neg = true
		i++
	case '+':
		i++
	}
	mant, digits := digitRun(b, i)
	i += digits
	exp := 0
	if i < n && b[i] == '.' {
		i++
		frac, k := digitRun(b, i)
		i += k
		if digits+k > 19 {
			return 0, i, false
		}
		mant = mant*pow10u[k] + frac
		digits += k
		exp = -k
	}
	if digits == 0 || digits > 19 || (i < n && b[i] > ' ') {
		return 0, i, false // no digits, too many, an exponent, a letter, a second point, a comma
	}
	var f float64
	switch {
	case mant == 0:
	case mant > 1<<53:
		return 0, i, false
	case exp == 0: // mant ≤ 2^53: exact as an int64, whose conversion has no branch
		f = float64(int64(mant))
	case exp >= -22:
		f = float64(int64(mant)) / pow10[-exp]
	default:
		return 0, i, false
	}
	if neg {
		f = -f
	}
	return f, i, true
}

// pow10u holds the powers of ten that fit in a uint64 with room for a 19-digit mantissa.
var pow10u = [...]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
	1e14, 1e15, 1e16, 1e17, 1e18, 1e19}

// digitRun returns the value and the length of the run of decimal digits at b[i:], eight bytes
// at a time where it can ("SWAR": the bytes of a uint64 checked and converted together). The
// value is meaningless when the run is longer than 19 digits; callers refuse such numbers. A run
// of more than 24 digits is cut there.
func digitRun(b []byte, i int) (uint64, int) {
	start := i
	var v uint64
	for len(b)-i >= 8 && i-start <= 16 {
		x := binary.LittleEndian.Uint64(b[i:])
		d := x - 0x3030303030303030
		// A byte that is not a digit has its high bit set in d (below '0') or in x+0x46 (above
		// '9'); borrows and carries only move up, past the first such byte.
		m := (d | (x + 0x4646464646464646)) & 0x8080808080808080
		if m == 0 {
			v = v*1e8 + swar8(d)
			i += 8
			continue
		}
		k := bits.TrailingZeros64(m) / 8
		if k > 0 {
			v = v*pow10u[k] + swar8(d<<(8*(8-k))) // leading zero digits, then the k digits
			i += k
		}
		return v, i - start
	}
	for ; i < len(b) && i-start < 25; i++ {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		v = v*10 + uint64(c)
	}
	return v, i - start
}

// swar8 converts eight digit values (0-9, the first in the lowest byte) to their number, with
// three multiplications (the method of simdjson's parse_eight_digits_unrolled).
func swar8(d uint64) uint64 {
	d = d*10 + d>>8
	return ((d&0x000000FF000000FF)*(100+1000000<<32) + (d>>16&0x000000FF000000FF)*(1+10000<<32)) >> 32
}

func isRule(b []byte) bool {
	b = bytes.TrimSpace(b)
	for _, c := range b {
		if c != '-' && c != '=' && c != '*' && c != '_' {
			return false
		}
	}
	return len(b) >= 3
}

func (d *dataDecoder) ncols() int { return len(d.cols) }

// detectDelimiter decides the delimiter of a section whose file has no DLM item: COMMA when the
// first line splits at commas into as many values as there are curves (or, with no curves, into
// more values than at spaces), SPACE otherwise. CWLS LAS 2.0 §5.8 says SPACE; real "2.0" files
// are comma delimited.
func (d *dataDecoder) detectDelimiter(b []byte, ln int) Delimiter {
	if bytes.IndexByte(b, ',') < 0 {
		if d.p.v3 && bytes.IndexByte(b, '\t') >= 0 && bytes.IndexByte(bytes.TrimSpace(b), ' ') < 0 {
			return Tab
		}
		return d.delim
	}
	commaFields := bytes.Count(b, []byte{','}) + 1
	spaceFields := len(bytes.Fields(b))
	n := len(d.cols)
	if (n > 0 && commaFields == n && spaceFields != n) || (n == 0 && commaFields > spaceFields) ||
		(n > 0 && commaFields == n+1 && spaceFields < n && bytes.HasSuffix(bytes.TrimSpace(b), []byte{','})) {
		if d.main && !d.p.v3 {
			d.p.warn(ln, "the data are comma-delimited although the file is LAS %s (which delimits with spaces); read as COMMA", d.p.f.Version)
		}
		return Comma
	}
	return d.delim
}

// tokenize splits a line into d.toks.
func (d *dataDecoder) tokenize(b []byte) {
	d.toks, d.extra, d.comment = d.toks[:0], 0, false
	if d.delim == Comma || d.delim == Tab {
		sep := byte(',')
		if d.delim == Tab {
			sep = '\t'
		}
		d.tokenizeSep(b, sep)
		return
	}
	n := len(b)
	i := 0
	for {
		for i < n && b[i] <= ' ' {
			i++
		}
		if i >= n {
			return
		}
		if b[i] == '"' {
			i = d.quoted(b, i)
			continue
		}
		s := i
		for i < n && b[i] > ' ' {
			i++
		}
		if b[s] == '#' && !isNullTokenBytes(b[s:i]) {
			d.comment = true // "# …" after the values: a comment, as in the header
			return
		}
		d.addToken(b, s, i)
	}
}

// tokenizeSep splits at sep; an empty field is NULL (LAS 3.0 "Column Data Lines").
func (d *dataDecoder) tokenizeSep(b []byte, sep byte) {
	n := len(b)
	i := 0
	for {
		for i < n && (b[i] == ' ' || (b[i] < ' ' && b[i] != sep)) {
			i++
		}
		if i < n && b[i] == '"' {
			i = d.quoted(b, i)
			for i < n && b[i] != sep {
				i++
			}
		} else {
			s := i
			for i < n && b[i] != sep {
				i++
			}
			e := i
			for e > s && b[e-1] <= ' ' {
				e--
			}
			if s < e && b[s] == '#' && !isNullTokenBytes(b[s:e]) {
				d.comment = true // "# …" after the values: a comment, as in the header
				return
			}
			d.addToken(b, s, e)
		}
		if i >= n {
			return
		}
		i++ // the separator
		if i >= n {
			// A line that ends with the separator: one more, empty, field.
			d.addToken(b, n, n)
			return
		}
	}
}

func (d *dataDecoder) addToken(b []byte, s, e int) {
	if len(d.toks) >= d.tokLimit {
		d.extra++
		return
	}
	t := token{s: s, e: e}
	if f, ok := parseDecimal(b[s:e]); ok {
		t.v = f
	} else {
		t.v, t.st, t.comma = parseToken(b[s:e])
	}
	d.toks = append(d.toks, t)
}

func (d *dataDecoder) addQuoted(b []byte, s, e int) {
	if len(d.toks) >= d.tokLimit {
		d.extra++
		return
	}
	if e > len(b) {
		e = len(b)
	}
	t := token{s: s, e: e, quoted: true, st: tokText}
	if s >= e || len(bytes.TrimSpace(b[s:e])) == 0 {
		t.st = tokNull
	}
	d.toks = append(d.toks, t)
}

// unwrapped places one line's values: one line is one row (CWLS LAS 2.0 §5.8). The first row
// sets the number of columns: extra values there get UNKNOWN curves, missing ones leave their
// curves NULL. A later line with too few values gets NULL for the missing ones at the end of the
// row (the values present are never moved to other curves); one with too many has the extra
// values ignored. Both are warned about with the line number.
func (d *dataDecoder) unwrapped(b []byte, ln int) {
	k := len(d.toks) + d.extra
	if d.delim != Space && k > 0 && d.extra == 0 && (len(d.cols) == 0 || k > len(d.cols)) {
		if t := d.toks[k-1]; t.st == tokNull && t.s == t.e && !t.quoted {
			k-- // a trailing delimiter
			d.toks = d.toks[:k]
		}
	}
	if d.firstRow {
		d.firstRow = false
		if k < len(d.cols) && d.resolveRunOn(b, ln, len(d.cols)) {
			k = len(d.toks)
		} else if k == len(d.cols) && d.delim == Space {
			d.layout = layoutOf(b, k, d.lead)
		}
		d.established = k
		switch {
		case k > len(d.cols):
			extra := min(k, maxColumns) - len(d.cols)
			if len(d.cols) > 0 {
				d.p.warn(ln, "the data have %d values per line but %s defines %d curves; the %d extra columns were named UNKNOWN", k, d.defName(), len(d.cols), extra)
			}
			if k > maxColumns {
				d.p.warn(ln, "%d values on one line; only the first %d columns are read", k, maxColumns)
			}
			for i := 0; i < extra; i++ {
				d.curves = append(d.curves, Curve{Mnemonic: "UNKNOWN"})
				d.cols = append(d.cols, column{})
				if d.stats {
					d.accs = append(d.accs, curveStats{})
				}
			}
		case k == 1 && d.main && len(d.cols) > 1:
			// The index alone: wrapped data under WRAP NO? The next line tells.
			d.maybeWrap, d.firstLine = true, ln
		case k < len(d.cols):
			d.p.warn(ln, "%s defines %d curves but the data have %d values per line; %s are left NULL", d.defName(), len(d.cols), k, d.names(k, len(d.cols)))
		}
		d.sizeColumns(b)
	} else if d.maybeWrap && d.rows == 1 && k > 1 {
		d.unwrapFirstRow(ln)
		d.wrapped(b, ln)
		return
	} else if k != d.established {
		d.oneValueWarning()
		if k < d.established && d.resolveRunOn(b, ln, d.established) {
			k = len(d.toks)
		}
		switch {
		case k < d.established:
			d.p.warnCapped("too few values", ln, "expected %d values, found %d; %s read as NULL", d.established, k, d.names(k, d.established))
		case k > len(d.cols):
			d.p.warnCapped("too many values", ln, "expected %d values, found %d; the last %d ignored", d.established, k, k-len(d.cols))
		}
	}
	k = min(k, len(d.cols), len(d.toks))
	for j := 0; j < k; j++ {
		d.put(j, &d.toks[j], b, ln)
	}
	for j := k; j < len(d.cols); j++ {
		d.putNull(j)
	}
	d.rows++
}

// unwrapFirstRow turns the first row, read as the index alone with NULLs, back into the
// start of a wrapped row: the file says WRAP NO but its first data line holds only the index and
// the next one more values, as wrapped data do (CWLS LAS 2.0 §5.3).
func (d *dataDecoder) unwrapFirstRow(ln int) {
	d.maybeWrap = false
	for j := 1; j < len(d.cols) && !d.stats; j++ { // (statistics did not count the NULLs)
		c := &d.cols[j]
		if c.isText {
			c.text = c.text[:len(c.text)-1]
		} else {
			c.num = c.num[:len(c.num)-1]
		}
	}
	d.rows, d.pos, d.rowLine, d.wrap = 0, 1, d.firstLine, true
	d.p.f.Wrap = true
	d.p.warn(d.firstLine, "WRAP is NO but the data are wrapped (the index alone on this line, the values on the next); read as wrapped")
}

// oneValueWarning warns, once it is clear that the data are not wrapped, about a first row that
// held the index alone.
func (d *dataDecoder) oneValueWarning() {
	if d.maybeWrap {
		d.maybeWrap = false
		if len(d.cols) > 1 {
			d.p.warn(d.firstLine, "%s defines %d curves but the data have 1 value per line; %s are left NULL", d.defName(), len(d.cols), d.names(1, len(d.cols)))
		}
	}
}

// wrapped places one line's values into the current row: in wrap mode a row runs over several
// lines, the index alone on the first (CWLS LAS 2.0 §5.3).
func (d *dataDecoder) wrapped(b []byte, ln int) {
	for i := range d.toks {
		if d.pos == 0 {
			d.rowLine = ln
			if i > 0 && !d.midLine {
				d.midLine = true
				d.p.warn(ln, "in wrap mode each row should start on its own line with the index; a row starts inside this line")
			}
		}
		d.put(d.pos, &d.toks[i], b, ln)
		d.pos++
		if d.pos == len(d.cols) {
			d.pos = 0
			d.rows++
			if d.rows == 1 {
				d.sizeColumns(nil)
			}
		}
	}
}

// finish completes an unfinished wrapped row and trims the arrays.
func (d *dataDecoder) finish() {
	d.oneValueWarning()
	if d.wrap && d.pos > 0 {
		d.p.warn(d.rowLine, "the last wrapped row has %d of %d values; the others are NULL", d.pos, len(d.cols))
		for j := d.pos; j < len(d.cols); j++ {
			d.putNull(j)
		}
		d.pos = 0
		d.rows++
	}
	for j := range d.cols {
		c := &d.cols[j]
		cur := &d.curves[j]
		if d.stats {
			cur.Kind, cur.Values, cur.Text, cur.stats = KindNumber, nil, nil, &d.accs[j]
			if c.isText {
				cur.Kind = KindText
			}
			continue
		}
		if c.isText {
			if c.text == nil {
				c.text = []string{}
			}
			cur.Kind, cur.Text, cur.Values = KindText, c.text, nil
		} else {
			if c.num == nil {
				c.num = []float64{}
			}
			if cap(c.num)-len(c.num) > len(c.num)/8+64 {
				c.num = append([]float64(nil), c.num...)
			}
			cur.Kind, cur.Values, cur.Text = KindNumber, c.num, nil
		}
	}
}

// maxColumns bounds the columns of a data section: far more than any log has (array curves
// included), and a bound on what one long line can make Read allocate.
const maxColumns = 100000

// maxPrealloc is the number of samples sizeColumns allocates ahead at most (256 MiB).
const maxPrealloc = 1 << 25

// sizeColumns allocates every numeric column for the number of rows the file is expected to
// have: from STRT, STOP and STEP, checked against the bytes left (from the size hint and the
// length of the first row). Growing by append would hold up to twice a column while it copies.
func (d *dataDecoder) sizeColumns(firstLine []byte) {
	if !d.main || len(d.cols) == 0 || d.stats {
		return
	}
	p := d.p
	est := int64(-1)
	var bySize int64 = -1
	if p.o.size > 0 {
		left := p.o.size/int64(p.src.bytesPerChar) - p.lr.consumed
		perRow := int64(len(firstLine) + 1)
		if firstLine == nil { // wrapped: the first row's bytes
			perRow = p.lr.consumed - d.startBytes
		}
		if perRow < 2 {
			perRow = 2
		}
		if left > 0 {
			bySize = left/perRow + 2
			if max := left/int64(len(d.cols)) + 2; bySize > max {
				bySize = max
			}
		}
	}
	byHeader := p.estimateRows()
	switch {
	case byHeader > 0 && bySize > 0:
		if byHeader*2 >= bySize && byHeader <= bySize*2 {
			est = byHeader + byHeader/100 + 16
		} else {
			est = bySize + bySize/16
		}
	case bySize > 0:
		est = bySize + bySize/16
	case byHeader > 0:
		est = byHeader + 16
	default:
		return
	}
	// Neither the header nor a size hint is proof: at most 256 MiB are allocated ahead, the
	// rest grows as the rows come.
	if lim := int64(maxPrealloc) / int64(len(d.cols)); est > lim {
		est = lim
	}
	if est < 16 {
		return
	}
	for j := range d.cols {
		c := &d.cols[j]
		if !c.isText && int64(cap(c.num)) < est {
			nc := make([]float64, len(c.num), est)
			copy(nc, c.num)
			c.num = nc
		}
	}
}

// put stores token t as sample of column j.
func (d *dataDecoder) put(j int, t *token, b []byte, ln int) {
	c := &d.cols[j]
	switch t.st {
	case tokNumber:
		if t.comma && !d.commaWarned {
			d.commaWarned = true
			d.p.warn(ln, "a comma was read as decimal mark: %q", string(b[t.s:t.e]))
		}
		if c.isText {
			d.storeText(j, b[t.s:t.e], j > 0 && d.hasNull && t.v == d.null)
			return
		}
		v := t.v
		if j > 0 && d.hasNull && v == d.null {
			v = math.NaN()
		}
		d.storeNum(j, v)
	case tokNull:
		if j == 0 && d.main && !t.runOn {
			d.p.warnCapped("index not a number", ln, "the index value %q is not a number; it is NULL", string(b[t.s:t.e]))
		}
		d.putNull(j)
	case tokRange:
		if !d.rangeWarned {
			d.rangeWarned = true
			d.p.warn(ln, "%q is too large for a 64-bit float; read as NULL", clip(string(b[t.s:t.e]), 40))
		}
		d.putNull(j)
	case tokText:
		if !c.isText {
			if !t.quoted && d.garbledNumber(j, b[t.s:t.e], ln) {
				return
			}
			d.toText(j, ln, b[t.s:t.e], t.quoted)
		}
		s := b[t.s:t.e]
		if t.quoted {
			s = bytes.TrimSpace(s)
		}
		d.storeText(j, s, isNullText(s, d.null, d.hasNull && j > 0))
	}
}

func (d *dataDecoder) putNull(j int) {
	if d.cols[j].isText {
		d.storeText(j, nil, true)
	} else {
		d.storeNum(j, math.NaN())
	}
}

// storeNum adds a sample (NaN for NULL) to numeric column j, or to its statistics.
func (d *dataDecoder) storeNum(j int, v float64) {
	if d.stats {
		d.accs[j].acc.add(v)
		if j == 0 {
			d.accs[0].step.add(v)
		}
		return
	}
	d.cols[j].num = append(d.cols[j].num, v)
}

// storeText adds a sample to text column j, or counts it.
func (d *dataDecoder) storeText(j int, s []byte, null bool) {
	if d.stats {
		if !null {
			d.accs[j].acc.textCount++
		}
		return
	}
	c := &d.cols[j]
	if null {
		c.text = append(c.text, "")
	} else {
		c.text = append(c.text, d.intern(c, s))
	}
}

// isNullText reports whether a text sample is NULL: empty, a null token, or the NULL value.
func isNullText(s []byte, null float64, useNull bool) bool {
	if len(s) == 0 || isNullTokenBytes(s) {
		return true
	}
	if useNull {
		if v, ok := parseDecimal(s); ok && v == null {
			return true
		}
	}
	return false
}

// toText turns column j into a text curve when a value that is not a number arrives: a date,
// a lithology name. The numbers read so far become their shortest decimal form.
func (d *dataDecoder) toText(j, ln int, sample []byte, quoted bool) {
	c := &d.cols[j]
	if d.stats {
		d.accs[j].acc.toText()
	} else {
		c.text = make([]string, len(c.num), max(len(c.num)*2, 16))
		for i, v := range c.num {
			if !math.IsNaN(v) {
				c.text[i] = strconv.FormatFloat(v, 'f', -1, 64)
			}
		}
	}
	c.num, c.isText = nil, true
	if d.main && !quoted && !textFormat(d.curves[j].Format) {
		d.p.warnCapped("text curves", ln, "curve %s holds text (%q); it was read as a text curve", d.curveName(j), clip(string(sample), 30))
	}
}

// intern returns b as a string, sharing one string among repeated values (lithology names,
// dates) of a column.
func (d *dataDecoder) intern(c *column, b []byte) string {
	if c.intern == nil {
		c.intern = map[string]string{}
	}
	if s, ok := c.intern[string(b)]; ok {
		return s
	}
	s := string(b)
	if !utf8.Valid(b) {
		s = decodeLatin1Line(b) // a Windows-1252 name in a file whose header is UTF-8
	}
	if len(c.intern) < 4096 {
		c.intern[s] = s
	}
	return s
}

func (d *dataDecoder) curveName(j int) string {
	if j < len(d.curves) && d.curves[j].Mnemonic != "" {
		return d.curves[j].Mnemonic
	}
	return "#" + strconv.Itoa(j+1)
}

// names lists the curves j in [from, to), at most four.
func (d *dataDecoder) names(from, to int) string {
	var ns []string
	for j := from; j < to && j < len(d.curves); j++ {
		if len(ns) == 4 {
			ns = append(ns, "…")
			break
		}
		ns = append(ns, d.curveName(j))
	}
	return strings.Join(ns, ", ")
}

func (d *dataDecoder) defName() string {
	if d.main {
		return "~C"
	}
	return "the definition section"
}
