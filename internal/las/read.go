package las

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Option adjusts [Read].
type Option func(*options)

type options struct {
	name      string
	size      int64
	encoding  string // the encoding the caller gave, "" to detect it
	statsOnly bool   // Check: keep statistics of the log curves, not their samples
	workers   int    // goroutines decoding data blocks (parallel.go); 0 for GOMAXPROCS
	blockSize int    // bytes per data block, 0 for blockSize
}

// WithName names the source (a file name) in the errors [Read] returns.
func WithName(name string) Option { return func(o *options) { o.name = name } }

// WithSizeHint tells [Read] how many bytes r holds, so that it can size each curve's array in
// one allocation instead of growing it. Read finds the size itself when r is an *os.File, a
// *bytes.Reader or a *strings.Reader; a wrong hint costs only memory or time, never data.
func WithSizeHint(n int64) Option { return func(o *options) { o.size = n } }

// WithEncoding makes [Read] decode the bytes as the named character encoding instead of
// detecting it: a name such as "windows-1251", "cp866", "koi8-r", "windows-1252", "utf-8" or
// "utf-16le" (WHATWG labels and IANA names, case ignored; see [EncodingName]). A byte-order mark
// of the same encoding is skipped. An unknown name makes Read return a *[ParseError] that says
// which names are accepted; "" detects the encoding, as without the option.
func WithEncoding(name string) Option { return func(o *options) { o.encoding = name } }

// maxWarnings bounds the warnings of one file; the last one says how many were left out.
const maxWarnings = 200

// Read reads a LAS 1.2, 2.0 or 3.0 file from r.
//
// It returns a *[ParseError] when the input cannot be read as LAS: a binary LiDAR file ("LASF"),
// binary data (a NUL byte), text with no section title (no line starting with "~"), wrapped
// data without a ~C section to say how many values make a row, or a line longer than 64 MiB.
// Read errors of r are returned wrapped. Everything else that departs from the standards is
// repaired where the meaning is clear and noted in [File.Warnings]; see the package
// documentation for the list.
//
// The data are decoded as they are read, straight into one array per curve: memory use is about
// the size of the decoded columns (see [WithSizeHint]). Plain unwrapped data (one line of
// decimal numbers per row) are decoded in 1 MiB blocks by GOMAXPROCS goroutines, a few blocks
// ahead at most (about 3 MiB of text and samples per goroutine), with the result, warnings and
// errors of decoding them line by line.
func Read(r io.Reader, opts ...Option) (*File, error) {
	o := options{size: -1}
	for _, opt := range opts {
		opt(&o)
	}
	p, err := parse(r, o)
	if err != nil {
		return nil, err
	}
	return p.f, nil
}

// parse runs a parser over r.
func parse(r io.Reader, o options) (*parser, error) {
	if o.size < 0 {
		o.size = sizeOf(r)
	}
	src, err := decodeSource(r, o.size, o.encoding)
	if err != nil {
		return nil, nameError(err, o.name)
	}
	p := &parser{
		o:   o,
		src: src,
		lr:  newLineReader(src.r, src.crOnly, o.size),
		f: &File{Version: "2.0", Delimiter: Space, Null: math.NaN(), Encoding: src.encoding,
			EncodingDetected: src.detected},
		sec: secNone,
	}
	if _, err := p.run(); err != nil {
		return nil, nameError(err, o.name)
	}
	return p, nil
}

func nameError(err error, name string) error {
	var pe *ParseError
	if errors.As(err, &pe) {
		if pe.Name == "" {
			pe.Name = name
		}
		return pe
	}
	if name != "" {
		return fmt.Errorf("read %s: %w", name, err)
	}
	return fmt.Errorf("read LAS: %w", err)
}

// sizeOf returns the number of bytes r holds when r can tell, -1 otherwise.
func sizeOf(r io.Reader) int64 {
	switch v := r.(type) {
	case interface{ Len() int }:
		return int64(v.Len())
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			return fi.Size()
		}
	}
	return -1
}

// parser holds the state of one Read.
type parser struct {
	o   options
	src *source
	lr  *lineReader
	f   *File

	sec      sectionType
	secLine  int
	cur      int // index in f.Sections of the section being read, -1 for none
	sawTitle bool
	stray    int // line of the first text before any section title

	versionLine  int // line of VERS, 0 if none
	sawVersion   bool
	wrapSet      bool
	dlmSet       bool
	v12          bool // ~W values and descriptions are swapped
	v3           bool
	curveDefs    []HeaderItem
	curveSection bool
	// curveSecStart and curveSecLine are where in curveDefs and on which line the ~C section
	// being read began; sawWell counts ~W sections.
	curveSecStart int
	curveSecLine  int
	sawWell       int
	secondVersion bool // a ~V section after the first was met
	logRead       bool // the log data section has been read
	logRows       int  // its rows
	lastDef       int  // index in f.Sections of the last definition section, -1 for none

	other   []string
	pending []byte // a section title the data decoder stopped at
	hasPend bool

	blocks int // data blocks decoded in parallel (parallel.go), for tests

	latin1Warned  bool
	warnLeftOut   int
	dataLeftOut   map[string]int
	firstLeftLine map[string]int
	limit         map[string]int
}

func (p *parser) warn(line int, format string, args ...any) {
	if len(p.f.Warnings) >= maxWarnings {
		p.warnLeftOut++
		return
	}
	p.f.Warnings = append(p.f.Warnings, Warning{Line: line, Message: fmt.Sprintf(format, args...)})
}

// warnCapped records a warning of a kind that can repeat on every data line: the first 20 of
// each kind are kept, the others counted in one closing warning.
func (p *parser) warnCapped(kind string, line int, format string, args ...any) {
	p.warnCappedN(kind, 20, line, format, args...)
}

func (p *parser) warnCappedN(kind string, limit, line int, format string, args ...any) {
	if p.dataLeftOut == nil {
		p.dataLeftOut, p.firstLeftLine, p.limit = map[string]int{}, map[string]int{}, map[string]int{}
	}
	n := p.dataLeftOut[kind]
	p.dataLeftOut[kind] = n + 1
	p.limit[kind] = limit
	if n < limit {
		p.warn(line, format, args...)
		return
	}
	if n == limit {
		p.firstLeftLine[kind] = line
	}
}

// nextLine returns the next line, the pending title first.
func (p *parser) nextLine() ([]byte, int, bool) {
	if p.hasPend {
		p.hasPend = false
		return p.pending, p.lr.line, true
	}
	b, ok := p.lr.next()
	return b, p.lr.line, ok
}

func (p *parser) run() (*File, error) {
	p.cur, p.lastDef = -1, -1
	for {
		b, ln, ok := p.nextLine()
		if !ok {
			break
		}
		t := bytes.TrimLeft(b, " \t\r\n\v\f")
		if len(t) == 0 {
			if p.sec == secOther {
				p.other = append(p.other, "")
			}
			continue
		}
		switch t[0] {
		case '~':
			if err := p.openSection(p.text(t[1:], ln), ln); err != nil {
				return nil, err
			}
			continue
		case '#':
			continue
		}
		if p.sec != secOther && p.sec != secNone && dataLine(t) {
			if done, err := p.dataInHeader(t, ln); err != nil {
				return nil, err
			} else if done {
				continue
			}
		}
		p.headerLine(p.text(t, ln), ln)
	}
	if err := p.lrError(); err != nil {
		return nil, err
	}
	return p.finish()
}

// lrError turns a line reader error into the error Read returns.
func (p *parser) lrError() error {
	switch p.lr.err {
	case nil:
		return nil
	case errNUL:
		return &ParseError{Line: p.lr.errLine, Msg: "binary data (a NUL byte): a LAS file is text"}
	case errLineTooLong:
		return &ParseError{Line: p.lr.line + 1, Msg: fmt.Sprintf("line longer than %d MiB: not LAS text", maxLineLen>>20)}
	}
	return p.lr.err
}

// text turns header bytes into a string, decoding a line that is not UTF-8 as Windows-1252.
func (p *parser) text(b []byte, ln int) string {
	if utf8.Valid(b) {
		return string(b)
	}
	if !p.latin1Warned {
		p.latin1Warned = true
		p.warn(ln, "text that is not UTF-8 was read as Windows-1252")
	}
	return decodeLatin1Line(b)
}

// openSection handles a section title line.
func (p *parser) openSection(title string, ln int) error {
	p.closeSection()
	p.sawTitle = true
	title = strings.TrimRight(title, " \t\r")
	st := parseSectionTitle(title, p.v3)
	p.sec, p.secLine, p.cur = st.typ, ln, -1
	short := title
	if r := []rune(title); len(r) > 60 {
		short = string(r[:60]) + "…"
	}
	switch st.typ {
	case secVersion:
		if p.sawVersion {
			p.warn(ln, "a second ~V section; the items it repeats were read once, the others added to the first")
			p.secondVersion = true
		}
		p.sawVersion = true
	case secWell:
		p.sawWell++
		if p.sawWell == 2 {
			p.warn(ln, "a second ~W section; the items it repeats were read once, the others added to the first")
		}
	case secOther:
	case secParameter:
		if p.logRead {
			p.newSection(st, SectionParameter, ln)
			p.warn(ln, "section ~%s comes after the log data; it was kept as a separate section", strings.TrimSpace(short))
		}
	case secCurve:
		if p.logRead {
			p.newSection(st, SectionDefinition, ln)
			p.lastDef = p.cur
			p.warn(ln, "section ~%s comes after the log data; it was kept as a separate section", strings.TrimSpace(short))
		} else {
			p.curveSection = true
			p.curveSecStart, p.curveSecLine = len(p.curveDefs), ln
		}
	case secData:
		if p.logRead {
			p.warn(ln, "a second data section ~%s; it was kept as a separate section (the log is the first one)", strings.TrimSpace(short))
			return p.readSetData(st, ln)
		}
		return p.readLogData(ln)
	case secSetParam:
		p.newSection(st, SectionParameter, ln)
	case secSetDef:
		p.newSection(st, SectionDefinition, ln)
		p.lastDef = p.cur
	case secSetData:
		return p.readSetData(st, ln)
	case secUser:
		p.newSection(st, SectionOther, ln)
	case secNameless:
		p.newSection(st, SectionOther, ln)
		p.warn(ln, "section title %q has no name after the tilde; its lines were kept as text, not read (CWLS LAS 2.0 §5.1: the letter after the tilde names the section)", "~"+short)
	}
	return nil
}

// endCurveSection finishes a ~C section of the log. A ~C section after the first (the whole
// header written twice, or a second ~C before ~A) defines again curves that are already
// defined: a mnemonic that an earlier ~C section defines (ignoring case) is the same curve and
// is not added again; only curves it does not define yet are added. Duplicates within one ~C
// section are different columns and stay (see dedupe).
func (p *parser) endCurveSection() {
	start := p.curveSecStart
	if start == 0 || start > len(p.curveDefs) {
		p.curveSecStart = len(p.curveDefs)
		return
	}
	known := make(map[string]bool, start)
	for _, it := range p.curveDefs[:start] {
		known[strings.ToUpper(it.Mnemonic)] = true
	}
	added := p.curveDefs[start:]
	kept := p.curveDefs[:start]
	repeated := 0
	for _, it := range added {
		if known[strings.ToUpper(it.Mnemonic)] {
			repeated++
			continue
		}
		kept = append(kept, it)
	}
	p.curveDefs = kept
	switch {
	case repeated == len(added) && repeated > 0:
		p.warn(p.curveSecLine, "a second ~C section repeats the curves already defined (the header is written twice); they were read as one definition")
	case repeated > 0:
		p.warn(p.curveSecLine, "a second ~C section; the %d curves it repeats were read as one definition, the %d new ones added", repeated, len(added)-repeated)
	case len(added) > 0:
		p.warn(p.curveSecLine, "a second ~C section; its curves were added to the first")
	}
	p.curveSecStart = len(p.curveDefs)
}

// repeatedItem reports whether a ~V or ~W item repeats one already read (same mnemonic, unit
// and value): a header written twice.
func repeatedItem(items HeaderItems, it HeaderItem) bool {
	for _, o := range items {
		if strings.EqualFold(o.Mnemonic, it.Mnemonic) && o.Unit == it.Unit && o.Value == it.Value {
			return true
		}
	}
	return false
}

// dataLine reports whether a line in a header section is a line of data rather than a header
// line: it has no colon, two values or more, the first a number and most of the others numbers
// too (a date or a name may be among them). A header line always starts with a mnemonic; a
// lone number is not taken for a row (it would turn the rest of the header into data).
func dataLine(t []byte) bool {
	if bytes.IndexByte(t, ':') >= 0 {
		return false
	}
	sep := func(r rune) bool { return r == ' ' || r == '\t' || r == '\r' }
	if bytes.IndexByte(t, ',') >= 0 {
		sep = func(r rune) bool { return r == ',' } // LAS 3.0 DLM COMMA, or comma-delimited "2.0"
	}
	fields := bytes.FieldsFunc(t, sep)
	for i := range fields {
		fields[i] = bytes.TrimSpace(fields[i])
	}
	if len(fields) < 2 {
		return false
	}
	if _, st, _ := parseToken(fields[0]); st != tokNumber {
		return false
	}
	num := 0
	for _, f := range fields {
		if _, st, _ := parseToken(f); st == tokNumber || st == tokNull {
			num++
		}
	}
	return 2*num > len(fields)
}

// dataInHeader handles a data line met in a header section: the title line of the data section
// is missing or unreadable. Data lines never become curves or items: in the log's header
// sections before its data (~V, ~W, ~C, ~P) the log data start at this line; in a LAS 3.0
// definition section the set's data do. Elsewhere (sections after the log data, parameter
// sets) the line is ignored with a warning. It reports whether the line was handled.
func (p *parser) dataInHeader(t []byte, ln int) (bool, error) {
	switch {
	case !p.logRead && p.cur < 0 && (p.sec == secVersion || p.sec == secWell || p.sec == secCurve || p.sec == secParameter):
		p.warn(ln, "a data line in ~%s: the title line of the data section (~A) is missing or unreadable; the log data were read from this line on", sectionLetter(p.sec))
		p.closeSection()
		return true, p.readLogDataFrom(t, ln)
	case p.sec == secSetDef && p.cur >= 0:
		def := p.f.Sections[p.cur]
		p.warn(ln, "a data line in ~%s: the title line of its data section is missing; the %s data were read from this line on", def.Name, def.Set)
		st := sectionTitle{typ: secSetData, name: def.Set + "_Data", set: def.Set, assoc: def.Name, title: def.Set + "_Data | " + def.Name}
		return true, p.readSetDataFrom(st, t, ln)
	case p.sec == secUser || p.sec == secNameless:
		return false, nil // kept as the section's text
	}
	p.headerWarn(ln, "data line in a header section", fmt.Sprintf("a line of data in a header section was ignored: %q", clip(string(t), 60)))
	return true, nil
}

// sectionLetter names a log section by its letter.
func sectionLetter(t sectionType) string {
	switch t {
	case secVersion:
		return "V"
	case secWell:
		return "W"
	case secCurve:
		return "C"
	case secParameter:
		return "P"
	}
	return "?"
}

func (p *parser) newSection(st sectionTitle, kind SectionKind, ln int) {
	p.f.Sections = append(p.f.Sections, Section{
		Name: st.name, Title: st.title, Set: st.set, Association: st.assoc, Kind: kind, Line: ln,
	})
	p.cur = len(p.f.Sections) - 1
}

// closeSection finishes the section being read.
func (p *parser) closeSection() {
	if p.sec == secCurve && p.cur < 0 {
		p.endCurveSection()
	}
	if p.sec == secOther && len(p.other) > 0 {
		// Trailing blank lines of ~O are not text.
		for len(p.other) > 0 && p.other[len(p.other)-1] == "" {
			p.other = p.other[:len(p.other)-1]
		}
		if p.f.Other != "" && len(p.other) > 0 {
			p.f.Other += "\n"
		}
		p.f.Other += strings.Join(p.other, "\n")
		p.other = p.other[:0]
	}
}

// headerLine handles a line that is neither blank, nor a comment, nor a title.
func (p *parser) headerLine(s string, ln int) {
	switch p.sec {
	case secNone:
		if p.stray == 0 {
			p.stray = ln
			p.warn(ln, "text before the first section title was ignored: %q", clip(s, 60))
		}
		return
	case secOther:
		p.other = append(p.other, strings.TrimRight(s, " \t\r"))
		return
	}
	if p.cur >= 0 && (p.f.Sections[p.cur].Kind == SectionOther) {
		sec := &p.f.Sections[p.cur]
		if sec.Name != "" {
			if it, _, ok := ParseHeaderLine(s, p.v3); ok && strings.ContainsRune(s, '.') && strings.ContainsRune(s, ':') {
				it.Line = ln
				sec.Items = append(sec.Items, it)
				return
			}
		}
		if sec.Text != "" {
			sec.Text += "\n"
		}
		sec.Text += strings.TrimRight(s, " \t\r")
		return
	}
	it, problem, ok := ParseHeaderLine(s, p.v3)
	if !ok {
		p.headerWarn(ln, "not a header line", fmt.Sprintf("not a header line (expected MNEM.UNIT VALUE : DESCRIPTION), ignored: %q", clip(s, 60)))
		return
	}
	it.Line = ln
	if problem != "" {
		p.headerWarn(ln, problem, problem)
	}
	switch p.sec {
	case secVersion:
		if p.secondVersion && repeatedItem(p.f.VersionItems, it) {
			return
		}
		p.versionItem(it, ln)
		p.f.VersionItems = append(p.f.VersionItems, it)
	case secWell:
		p.wellItem(&it, ln)
		if p.sawWell > 1 && repeatedItem(p.f.Well, it) {
			return
		}
		p.f.Well = append(p.f.Well, it)
	case secParameter:
		if p.cur >= 0 {
			p.f.Sections[p.cur].Items = append(p.f.Sections[p.cur].Items, it)
		} else {
			p.f.Parameters = append(p.f.Parameters, it)
		}
	case secCurve:
		if p.cur >= 0 {
			p.f.Sections[p.cur].Items = append(p.f.Sections[p.cur].Items, it)
		} else {
			p.curveDefs = append(p.curveDefs, it)
		}
	case secSetParam, secSetDef:
		p.f.Sections[p.cur].Items = append(p.f.Sections[p.cur].Items, it)
	}
}

// headerWarn records a header-line warning: the first five of a kind, then one line that counts
// the others.
func (p *parser) headerWarn(ln int, kind, msg string) {
	p.warnCappedN(kind, 5, ln, "%s", msg)
}

func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// versionItem applies VERS, WRAP and DLM (CWLS LAS 2.0 §5.3; LAS 3.0 "~Version section").
func (p *parser) versionItem(it HeaderItem, ln int) {
	switch strings.ToUpper(it.Mnemonic) {
	case "VERS":
		p.versionLine = ln
		v, ok := parseHeaderNumber(it.Value)
		switch {
		case !ok:
			p.warn(ln, "VERS %q is not a version number; the file was read as LAS 2.0", it.Value)
		case v < 2:
			p.f.Version, p.v12 = "1.2", true
		case v < 3:
			p.f.Version = "2.0"
		default:
			p.f.Version, p.v3 = "3.0", true
		}
	case "WRAP":
		p.wrapSet = true
		switch strings.ToUpper(strings.TrimSpace(it.Value)) {
		case "YES", "Y", "TRUE":
			p.f.Wrap = true
		case "NO", "N", "FALSE":
			p.f.Wrap = false
		default:
			p.warn(ln, "WRAP %q is neither YES nor NO; the data were read as unwrapped", it.Value)
		}
	case "DLM":
		p.dlmSet = true
		switch strings.ToUpper(strings.TrimSpace(it.Value)) {
		case "SPACE", "BLANK", "":
			p.f.Delimiter = Space
		case "COMMA", ",":
			p.f.Delimiter = Comma
		case "TAB":
			p.f.Delimiter = Tab
		default:
			p.dlmSet = false
			p.warn(ln, "DLM %q is not SPACE, COMMA or TAB; the delimiter was taken from the data", it.Value)
		}
	}
}

// wellItem applies the LAS 1.2 swap and reads NULL. CWLS LAS 1.2, Appendix part 4 (II): in ~W
// the information comes after the colon ("COMP. COMPANY: ANY OIL COMPANY INC."), except for
// STRT, STOP, STEP and NULL whose value is before it. An item with a number before the colon and
// nothing after it is not swapped.
func (p *parser) wellItem(it *HeaderItem, ln int) {
	up := strings.ToUpper(it.Mnemonic)
	if p.v12 && up != "STRT" && up != "STOP" && up != "STEP" && up != "NULL" {
		// A number before the colon and nothing after it ("TVD.M 1670.0:") is a value
		// written the 2.0 way: swapping would lose it.
		if _, num := parseHeaderNumber(it.Value); !(num && it.Description == "") {
			it.Value, it.Description = it.Description, it.Value
		}
	}
	if up == "NULL" {
		if v, ok := parseHeaderNumber(it.Value); ok {
			if _, seen := p.f.Well.Get("NULL"); !seen {
				p.f.Null = v
			}
		} else if strings.TrimSpace(it.Value) != "" {
			p.warn(ln, "NULL %q is not a number; no value is read as NULL", it.Value)
		}
	}
}

// curvesFromItems turns definition lines into curves.
func curvesFromItems(items []HeaderItem) []Curve {
	cs := make([]Curve, len(items))
	for i, it := range items {
		cs[i] = Curve{
			Mnemonic: it.Mnemonic, OriginalMnemonic: it.Mnemonic, Unit: it.Unit, Value: it.Value,
			Description: it.Description, Format: it.Format, Association: it.Association, Line: it.Line,
		}
	}
	return cs
}

// dedupe makes mnemonics unique within one list of curves: an empty mnemonic becomes UNKNOWN,
// and every member of a group written the same way (ignoring case) gets ":1", ":2", … in order.
func dedupe(cs []Curve) {
	count := map[string]int{}
	for i := range cs {
		if strings.TrimSpace(cs[i].Mnemonic) == "" {
			cs[i].Mnemonic = "UNKNOWN"
		}
		count[strings.ToUpper(cs[i].Mnemonic)]++
	}
	seen := map[string]int{}
	for i := range cs {
		k := strings.ToUpper(cs[i].Mnemonic)
		if count[k] > 1 {
			seen[k]++
			cs[i].Mnemonic += ":" + strconv.Itoa(seen[k])
		}
	}
}

// estimateRows guesses the number of data rows from STRT, STOP and STEP, -1 if it cannot.
func (p *parser) estimateRows() int64 {
	strt, ok1 := parseHeaderNumber(p.f.Well.Value("STRT"))
	stop, ok2 := parseHeaderNumber(p.f.Well.Value("STOP"))
	step, ok3 := parseHeaderNumber(p.f.Well.Value("STEP"))
	if !ok1 || !ok2 || !ok3 || step == 0 {
		return -1
	}
	n := math.Abs(stop-strt)/math.Abs(step) + 1.5
	if math.IsNaN(n) || math.IsInf(n, 0) || n < 1 || n > 1<<40 {
		return -1
	}
	return int64(n)
}

// readLogData reads the log data section (~A, ~ASCII, ~Log_Data) into the curves of ~C.
func (p *parser) readLogData(ln int) error { return p.readLogDataFrom(nil, ln) }

// readLogDataFrom reads the log data section; first, if not nil, is its first data line (line
// ln), met where the section's title line should have been.
func (p *parser) readLogDataFrom(first []byte, ln int) error {
	p.logRead = true
	p.cur = -1
	if !p.sawVersion {
		p.warn(ln, "no ~V section before the data; the file was read as LAS 2.0, unwrapped")
	}
	p.f.Curves = curvesFromItems(p.curveDefs)
	if len(p.f.Curves) == 0 {
		p.warn(ln, "no curve definitions (~C) before the data; the columns are named UNKNOWN")
	}
	d := newDataDecoder(p, p.f.Curves, true, ln)
	if err := d.run(first); err != nil {
		return err
	}
	if d.rows == 0 && len(d.cols) > 0 {
		p.warn(ln, "the log data section is empty: the curves have no samples")
	}
	p.logRows = d.rows
	p.f.Curves = d.curves
	p.f.Delimiter = d.delim
	p.f.Wrap = d.wrap
	p.sec = secNone
	return nil
}

// finish completes the File once the text has been read.
func (p *parser) finish() (*File, error) {
	p.closeSection()
	f := p.f
	if !p.sawTitle {
		line := p.stray
		if line == 0 {
			return nil, &ParseError{Msg: "empty input: no LAS sections"}
		}
		return nil, &ParseError{Line: line, Msg: "expected a section title such as ~VERSION INFORMATION (a line starting with ~); the file has none, so it is not a LAS file"}
	}
	if !p.logRead && len(p.curveDefs) == 0 {
		p.promoteOnlySet()
	}
	if !p.logRead {
		f.Curves = curvesFromItems(p.curveDefs)
		for i := range f.Curves {
			if f.Curves[i].Kind == KindText {
				f.Curves[i].Text = []string{}
			} else {
				f.Curves[i].Values = []float64{}
			}
		}
		if len(f.Curves) > 0 {
			p.warn(0, "the file has no data section (~A): its curves have no samples")
		} else {
			p.warn(0, "the file has no log curves (~C) and no log data (~A)")
		}
	}
	if p.versionLine == 0 && p.sawVersion && len(f.VersionItems) > 0 {
		p.warn(0, "~V has no VERS item; the file was read as LAS 2.0")
	}
	if !p.wrapSet && len(f.VersionItems) > 0 {
		p.warn(0, "~V has no WRAP item; the data were read as unwrapped")
	}
	dedupe(f.Curves)
	p.checkIndex()
	if p.warnLeftOut > 0 || len(p.dataLeftOut) > 0 {
		kinds := make([]string, 0, len(p.dataLeftOut))
		for kind := range p.dataLeftOut {
			kinds = append(kinds, kind)
		}
		sort.Strings(kinds)
		for _, kind := range kinds {
			if n, lim := p.dataLeftOut[kind], p.limit[kind]; n > lim {
				f.Warnings = append(f.Warnings, Warning{Line: p.firstLeftLine[kind],
					Message: fmt.Sprintf("%d more lines from this one on with the same problem (%s)", n-lim, kind)})
			}
		}
		if p.warnLeftOut > 0 {
			f.Warnings = append(f.Warnings, Warning{Message: fmt.Sprintf("%d more warnings were left out", p.warnLeftOut)})
		}
	}
	sort.SliceStable(f.Warnings, func(i, j int) bool {
		a, b := f.Warnings[i].Line, f.Warnings[j].Line
		if a == 0 || b == 0 {
			return a != 0 && b == 0
		}
		return a < b
	})
	return f, nil
}

// checkIndex compares STRT, STOP and STEP with the index data (CWLS LAS 2.0 §5.4: STRT and STOP
// must be the first and last index values, STEP the constant difference, 0 if it varies) and
// warns where they disagree. The data are trusted.
func (p *parser) checkIndex() {
	f := p.f
	idx := f.Index()
	if idx == nil || idx.Kind != KindNumber {
		return
	}
	st := indexSteps(idx)
	if st.n == 0 {
		return
	}
	for _, c := range []struct {
		mnem string
		data float64
		what string
	}{{"STRT", st.first, "first"}, {"STOP", st.last, "last"}} {
		it, ok := f.Well.Get(c.mnem)
		if !ok || math.IsNaN(c.data) {
			continue
		}
		v, ok := parseHeaderNumber(it.Value)
		if !ok {
			if strings.TrimSpace(it.Value) != "" {
				p.warn(it.Line, "%s %q is not a number", c.mnem, it.Value)
			}
			continue
		}
		if !closeTo(v, c.data) {
			p.warn(it.Line, "%s is %s but the %s index value is %s", c.mnem, fmtNum(v), c.what, fmtNum(c.data))
		}
	}
	it, ok := f.Well.Get("STEP")
	if !ok || st.n < 2 {
		return
	}
	step, ok := parseHeaderNumber(it.Value)
	if !ok {
		return
	}
	measured, regular := st.step()
	switch {
	case step == 0 && regular:
		p.warn(it.Line, "STEP is 0 (variable step) but the data are regularly sampled at %s", fmtNum(measured))
	case step != 0 && !regular:
		how := "a NULL index value"
		if !st.nan {
			how = "steps from " + fmtNum(st.minD) + " to " + fmtNum(st.maxD)
		}
		p.warn(it.Line, "STEP is %s but the index is not regularly sampled (%s)", fmtNum(step), how)
	case step != 0 && regular && !closeTo(step, measured):
		p.warn(it.Line, "STEP is %s but the data are sampled at %s", fmtNum(step), fmtNum(measured))
	}
}

// closeTo compares header and data numbers: within a millionth, relative.
func closeTo(a, b float64) bool {
	return math.Abs(a-b) <= 1e-6*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
