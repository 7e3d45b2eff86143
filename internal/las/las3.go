package las

import (
	"bytes"
	"strings"
)

// This file holds what only LAS 3.0 needs: data sets other than the log, strings in double
// quotes (also over several lines) and the {format} of a column. Section titles of every version
// are read in header.go.

// readSetData reads a LAS 3.0 data section of a set other than the log (or a data section after
// the log) into a new Section, with the curves its association (or else the last definition
// section of its set, or else the last one) defines.
func (p *parser) readSetData(st sectionTitle, ln int) error { return p.readSetDataFrom(st, nil, ln) }

// readSetDataFrom is readSetData with the section's first data line given (see
// readLogDataFrom).
func (p *parser) readSetDataFrom(st sectionTitle, first []byte, ln int) error {
	def := -1
	if st.assoc != "" {
		for i := range p.f.Sections {
			if p.f.Sections[i].Kind == SectionDefinition && strings.EqualFold(p.f.Sections[i].Name, st.assoc) {
				def = i
			}
		}
	}
	if def < 0 && st.set != "" {
		for i := range p.f.Sections {
			if p.f.Sections[i].Kind == SectionDefinition && strings.EqualFold(p.f.Sections[i].Set, st.set) {
				def = i
			}
		}
	}
	if def < 0 {
		def = p.lastDef
	}
	p.newSection(st, SectionData, ln)
	idx := p.cur
	var curves []Curve
	if def >= 0 {
		curves = curvesFromItems(p.f.Sections[def].Items)
		if st.assoc == "" {
			p.f.Sections[idx].Association = p.f.Sections[def].Name
		}
	} else {
		p.warn(ln, "data section ~%s has no definition section; its columns are named UNKNOWN", st.name)
	}
	d := newDataDecoder(p, curves, false, ln)
	if err := d.run(first); err != nil {
		return err
	}
	p.f.Sections[idx].Curves = d.curves
	dedupe(p.f.Sections[idx].Curves)
	p.sec, p.cur = secNone, -1
	return nil
}

// promoteOnlySet makes the data section of the only LAS 3.0 set the log when the file has no log
// section at all (no ~Log_Definition, ~Curve, ~Log_Data or ~A): a file that holds one drilling
// or core set is read as that log, with the set's curve names. Its definition and parameter
// sections stay in Sections.
func (p *parser) promoteOnlySet() {
	f := p.f
	only := -1
	for i := range f.Sections {
		if f.Sections[i].Kind == SectionData {
			if only >= 0 {
				return
			}
			only = i
		}
	}
	if only < 0 || len(f.Sections[only].Curves) == 0 {
		return
	}
	sec := f.Sections[only]
	f.Curves = sec.Curves
	p.logRows = sec.Rows()
	f.Sections = append(f.Sections[:only], f.Sections[only+1:]...)
	p.logRead = true
	p.warn(sec.Line, "the file has no log data section (~A or ~Log_Data); its only data section ~%s was read as the log", sec.Name)
}

// joinQuoted returns b, extended by the following lines while a double quote is open: LAS 3.0
// strings may span lines (LAS 3.0 File Structure Specification, "Column Data Lines").
func (d *dataDecoder) joinQuoted(b []byte) []byte {
	if bytes.Count(b, []byte{'"'})%2 == 0 {
		return b
	}
	ln := d.p.lr.line
	d.join = append(d.join[:0], b...)
	for i := 0; i < 1000; i++ {
		nb, ok := d.p.lr.next()
		if !ok {
			break
		}
		if t := bytes.TrimLeft(nb, " \t"); len(t) > 0 && t[0] == '~' {
			d.p.pending = append(d.p.pending[:0], t...)
			d.p.hasPend = true
			break
		}
		d.join = append(d.join, '\n')
		d.join = append(d.join, nb...)
		if bytes.Count(nb, []byte{'"'})%2 == 1 {
			return d.join
		}
	}
	d.p.warnCapped("open quotes", ln, "a double quote opened on this line is never closed")
	return d.join
}

// quoted adds the double-quoted string that starts at b[i] and returns the index after its
// closing quote (len(b) when it is not closed). Inside, "" stands for one quote (as in CSV); the
// string is unescaped in place.
func (d *dataDecoder) quoted(b []byte, i int) int {
	n := len(b)
	s := i + 1
	w := s // write position of the unescaped content
	j := s
	for j < n {
		if b[j] == '"' {
			if j+1 < n && b[j+1] == '"' {
				b[w] = '"'
				w++
				j += 2
				continue
			}
			break
		}
		b[w] = b[j]
		w++
		j++
	}
	d.addQuoted(b, s, w)
	if j < n {
		j++ // the closing quote
	}
	return j
}

// textFormat reports whether a LAS 3.0 {format} declares text: a string ({S}, {AS}) or a date
// or time such as {DD/MM/YYYY} (LAS 3.0 File Structure Specification, "LAS 3.0 Data Formats").
// Read does not go by formats (real files mislabel columns); it only spares such a column the
// warning that it turned out to hold text.
func textFormat(f string) bool {
	u := strings.ToUpper(strings.TrimSpace(f))
	if k := strings.IndexByte(u, ';'); k >= 0 {
		u = u[:k]
	}
	u = strings.TrimPrefix(u, "A")
	return strings.HasPrefix(u, "S") || strings.ContainsAny(u, "/:") || strings.Contains(u, "YY") || strings.Contains(u, "DD")
}
