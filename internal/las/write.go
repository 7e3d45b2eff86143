package las

import (
	"bufio"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
)

// nullCandidates are the NULL values Write chooses from: the first that no sample equals
// (CWLS LAS 2.0 §5.4 names -999.25, -9999 and -9999.25 as the common ones).
var nullCandidates = []float64{-999.25, -9999.25, -99999, -999999.25}

// Write writes f as a LAS 2.0 file (CWLS LAS 2.0, January 2014 update): unwrapped, SPACE
// delimited, right-justified columns (§5.8), lines ended by CR LF except the last (§3). [Read]
// reads the result back to the same curves: the same rows, mnemonics, units and samples (NaN
// where NULL).
//
// What is written:
//
//   - ~V with VERS 2.0 and WRAP NO (other ~V items kept, DLM dropped);
//   - ~W with STRT, STOP and STEP taken from the index data (STEP 0 when it is not regular),
//     NULL -999.25 (or -9999.25 … when a sample has that value), then the other items;
//   - ~C, ~P and ~O as read; a LAS 3.0 {format} stays at the end of the description;
//   - user-defined and LAS 3.0 parameter sections as sections of their own (LAS 2.0 §3 permits
//     them between ~V and ~A); LAS 3.0 data sets other than the log are not written, LAS 2.0
//     having no place for them;
//   - ~A: numbers in their shortest exact decimal form, NULL samples as the NULL value; text
//     curves double-quoted (a NULL text sample as ""), which Read takes as text.
//
// A mnemonic written more than once comes back renamed GR:1, GR:2 as it was read. Write returns
// the first error of w.
func Write(w io.Writer, f *File) error {
	if f == nil {
		return errors.New("las: Write of a nil File")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	lw := &lasWriter{w: bw}
	null := chooseNull(f)
	nullText := fmtFloat(null)

	lw.line("~VERSION INFORMATION")
	lw.item("VERS", "", "2.0", "CWLS LOG ASCII STANDARD - VERSION 2.0")
	lw.item("WRAP", "", "NO", "ONE LINE PER DEPTH STEP")
	for _, it := range f.VersionItems {
		switch strings.ToUpper(it.Mnemonic) {
		case "VERS", "WRAP", "DLM":
			continue
		}
		lw.headerItem(it)
	}

	lw.line("~WELL INFORMATION")
	strt, stop, step, unit := indexRange(f)
	lw.item("STRT", unit, strt, descOf(f.Well, "STRT", "START DEPTH"))
	lw.item("STOP", unit, stop, descOf(f.Well, "STOP", "STOP DEPTH"))
	lw.item("STEP", unit, step, descOf(f.Well, "STEP", "STEP"))
	lw.item("NULL", "", nullText, "NULL VALUE")
	for _, it := range f.Well {
		switch strings.ToUpper(it.Mnemonic) {
		case "STRT", "STOP", "STEP", "NULL":
			continue
		}
		lw.headerItem(it)
	}

	lw.line("~CURVE INFORMATION")
	for i := range f.Curves {
		c := &f.Curves[i]
		m := c.OriginalMnemonic
		if strings.TrimSpace(m) == "" {
			m = baseMnemonic(c.Mnemonic)
		}
		lw.headerItem(HeaderItem{Mnemonic: m, Unit: c.Unit, Value: c.Value, Description: c.Description, Format: c.Format})
	}
	if len(f.Parameters) > 0 {
		lw.line("~PARAMETER INFORMATION")
		for _, it := range f.Parameters {
			lw.headerItem(it)
		}
	}
	for i := range f.Sections {
		s := &f.Sections[i]
		// Only sections whose name reads back as the same kind: a ~Parameter section that
		// followed the log in a multi-set file would come back as the file's ~P.
		if typ := parseSectionTitle(s.Name, false).typ; !(s.Kind == SectionParameter && typ == secSetParam) &&
			!(s.Kind == SectionOther && typ == secUser) {
			continue
		}
		lw.line("~" + s.Name)
		for _, it := range s.Items {
			lw.headerItem(it)
		}
		lw.text(s.Text)
	}
	if f.Other != "" {
		lw.line("~OTHER")
		lw.text(f.Other)
	}
	lw.writeData(f, nullText)
	if lw.err != nil {
		return lw.err
	}
	return bw.Flush()
}

type lasWriter struct {
	w       *bufio.Writer
	err     error
	buf     []byte
	started bool // a line has been written: the next one starts with CR LF
}

func (lw *lasWriter) line(s string) {
	if lw.err != nil {
		return
	}
	if lw.started {
		if _, err := lw.w.WriteString("\r\n"); err != nil {
			lw.err = err
			return
		}
	}
	lw.started = true
	_, lw.err = lw.w.WriteString(s)
}

// item writes " MNEM.UNIT  VALUE : DESCRIPTION".
func (lw *lasWriter) item(mnem, unit, value, desc string) {
	mnem = strings.ReplaceAll(strings.TrimSpace(mnem), ":", "_")
	unit = strings.TrimSpace(unit)
	if strings.Contains(mnem, ".") && unit != "" {
		// Without a unit "GR.NORM." reads back as mnemonic GR.NORM; with one it cannot.
		mnem = strings.ReplaceAll(mnem, ".", "_")
	}
	if mnem == "" {
		mnem = "UNKNOWN"
	}
	if mnem[0] == '#' || mnem[0] == '~' {
		// A line that starts with # or ~ is a comment or a title: a dot before such a mnemonic
		// keeps the line an item (Read drops a dot before a mnemonic followed by another dot).
		mnem = "." + mnem
	}
	if !(strings.HasPrefix(unit, "[") && strings.HasSuffix(unit, "]")) &&
		!(strings.HasPrefix(unit, "(") && strings.HasSuffix(unit, ")")) {
		unit = strings.ReplaceAll(unit, " ", "_")
	}
	value = oneLine(value)
	left := " " + mnem + "." + unit
	pad := 24 - len(left)
	if pad < 1 {
		pad = 1
	}
	lw.line(left + strings.Repeat(" ", pad) + value + " : " + oneLine(desc))
}

func (lw *lasWriter) headerItem(it HeaderItem) {
	desc := it.Description
	if it.Format != "" {
		desc = strings.TrimSpace(desc + " {" + it.Format + "}")
	}
	lw.item(it.Mnemonic, it.Unit, it.Value, desc)
}

// text writes free text; a line that would read as a section title or a comment is indented
// behind a "> ".
func (lw *lasWriter) text(s string) {
	if s == "" {
		return
	}
	for _, l := range strings.Split(s, "\n") {
		if t := strings.TrimLeft(l, " \t"); strings.HasPrefix(t, "~") || strings.HasPrefix(t, "#") {
			l = "> " + l
		}
		lw.line(l)
	}
}

// baseMnemonic drops the ":n" that Read adds to a repeated mnemonic.
func baseMnemonic(m string) string {
	if k := strings.LastIndexByte(m, ':'); k > 0 {
		if _, err := strconv.Atoi(m[k+1:]); err == nil {
			return m[:k]
		}
	}
	return m
}

func oneLine(s string) string {
	return strings.TrimSpace(strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s))
}

func descOf(h HeaderItems, m, def string) string {
	if it, ok := h.Get(m); ok && strings.TrimSpace(it.Description) != "" {
		return it.Description
	}
	return def
}

// indexRange returns STRT, STOP and STEP from the index data, or from ~W when there are no
// rows, and the index unit.
func indexRange(f *File) (strt, stop, step, unit string) {
	idx := f.Index()
	if idx != nil {
		unit = idx.Unit
	}
	if idx == nil || idx.Len() == 0 {
		return f.Well.Value("STRT"), f.Well.Value("STOP"), f.Well.Value("STEP"), unit
	}
	n := idx.Len()
	if idx.Kind == KindText {
		return idx.Text[0], idx.Text[n-1], "0", unit
	}
	s, regular := dataStep(idx.Values)
	if !regular {
		s = 0
	}
	return fmtFloat(idx.Values[0]), fmtFloat(idx.Values[n-1]), fmtFloat(s), unit
}

// chooseNull returns the first NULL candidate that no non-index sample equals.
func chooseNull(f *File) float64 {
	for _, cand := range nullCandidates {
		clash := false
		for i := 1; i < len(f.Curves) && !clash; i++ {
			for _, v := range f.Curves[i].Values {
				if v == cand {
					clash = true
					break
				}
			}
		}
		if !clash {
			return cand
		}
	}
	return -1e300
}

// fmtFloat writes v in its shortest exact decimal form, without an exponent for the magnitudes
// logs hold.
func fmtFloat(v float64) string { return string(appendFloat(nil, v)) }

func appendFloat(b []byte, v float64) []byte {
	if a := math.Abs(v); v == 0 || (a >= 1e-5 && a < 1e15) {
		return strconv.AppendFloat(b, v, 'f', -1, 64)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// writeData writes ~A with right-justified columns.
func (lw *lasWriter) writeData(f *File, nullText string) {
	var title strings.Builder
	title.WriteString("~A")
	for i := range f.Curves {
		title.WriteByte(' ')
		title.WriteString(f.Curves[i].Mnemonic)
	}
	lw.line(title.String())
	rows := f.Rows()
	if rows == 0 || lw.err != nil {
		return
	}
	width := make([]int, len(f.Curves))
	var tmp []byte
	for j := range f.Curves {
		c := &f.Curves[j]
		for i := 0; i < rows; i++ {
			tmp = appendSample(tmp[:0], c, i, nullText)
			if len(tmp) > width[j] {
				width[j] = len(tmp)
			}
		}
	}
	for i := 0; i < rows && lw.err == nil; i++ {
		lw.buf = append(lw.buf[:0], '\r', '\n')
		for j := range f.Curves {
			tmp = appendSample(tmp[:0], &f.Curves[j], i, nullText)
			pad := width[j] - len(tmp)
			if j > 0 {
				pad++
			}
			for ; pad > 0; pad-- {
				lw.buf = append(lw.buf, ' ')
			}
			lw.buf = append(lw.buf, tmp...)
		}
		if _, err := lw.w.Write(lw.buf); err != nil {
			lw.err = err
		}
	}
}

// appendSample formats sample i of c: a number, the NULL value, or a quoted text.
func appendSample(b []byte, c *Curve, i int, nullText string) []byte {
	if c.Kind == KindText {
		if i >= len(c.Text) {
			return append(b, '"', '"')
		}
		s := strings.NewReplacer(`"`, `'`, "\r\n", " ", "\n", " ", "\r", " ").Replace(c.Text[i])
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	if i >= len(c.Values) || math.IsNaN(c.Values[i]) || math.IsInf(c.Values[i], 0) {
		return append(b, nullText...)
	}
	return appendFloat(b, c.Values[i])
}
