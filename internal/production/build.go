package production

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
)

// builder collects the sheets, records and issues of one file and turns them into a Result.
type builder struct {
	opt      Options
	format   string
	sheets   []*sheet
	records  []Record
	rowsRead int

	issues  []issueAt
	counts  map[IssueKind]int
	omitted int
	seq     int

	interned map[string]string
	slab     []float64
}

// issueAt is an issue with the sheet index and sequence that order it.
type issueAt struct {
	Issue
	sheet, seq int
}

func newBuilder(format string, opt Options) *builder {
	return &builder{opt: opt, format: format, counts: map[IssueKind]int{}, interned: map[string]string{}}
}

// issue records an issue of sheet si (-1 for the whole file).
func (b *builder) issue(si int, is Issue) {
	if si >= 0 {
		is.Sheet = b.sheets[si].info.Name
	}
	b.counts[is.Kind]++
	if b.opt.MaxIssues > 0 && len(b.issues) >= b.opt.MaxIssues {
		b.omitted++
		return
	}
	b.seq++
	b.issues = append(b.issues, issueAt{Issue: is, sheet: si, seq: b.seq})
}

// float returns a pointer to v, allocated from a slab to spare the garbage collector.
func (b *builder) float(v float64) *float64 {
	if len(b.slab) == cap(b.slab) {
		b.slab = make([]float64, 0, 4096)
	}
	b.slab = append(b.slab, v)
	return &b.slab[len(b.slab)-1]
}

// wellText cleans a well name, UWI or code cell: NULL tokens are blank, runs of spaces are one
// space; equal texts share one string.
func (b *builder) wellText(s string) string {
	if IsNullToken(s) {
		return ""
	}
	if strings.Contains(s, "  ") || strings.ContainsAny(s, "\t\n\r") {
		s = strings.Join(strings.Fields(s), " ")
	}
	if v, ok := b.interned[s]; ok {
		return v
	}
	s = strings.Clone(s)
	b.interned[s] = s
	return s
}

// usable returns the sheets that have a header.
func (b *builder) usable() []*sheet {
	var out []*sheet
	for _, s := range b.sheets {
		if s.failed == "" {
			out = append(out, s)
		}
	}
	return out
}

// fail returns the error for a file of which no sheet can be read.
func (b *builder) fail() error {
	if b.format == FormatCSV {
		if b.sheets[0].failed == failEmpty {
			return wellbase.Errorf(wellbase.EInvalid, "the file is empty")
		}
		return wellbase.Errorf(wellbase.EInvalid, "%s", b.sheets[0].failed)
	}
	var reasons []string
	for _, s := range b.sheets {
		reasons = append(reasons, fmt.Sprintf("sheet %q: %s", s.info.Name, s.failed))
	}
	if len(reasons) == 0 {
		return wellbase.Errorf(wellbase.EInvalid, "the workbook has no sheets")
	}
	return wellbase.Errorf(wellbase.EInvalid, "no sheet with production data: %s", strings.Join(reasons, "; "))
}

// finish resolves units, periods, well codes and duplicates across sheets, checks values, and
// builds the Result.
func (b *builder) finish() (*Result, error) {
	ok := b.usable()
	if len(ok) == 0 {
		return nil, b.fail()
	}
	for _, s := range b.sheets {
		if s.failed != "" && s.failed != failEmpty {
			row := s.info.HeaderRow
			if row == 0 {
				row = s.bestRow
			}
			b.issue(s.idx, Issue{Row: row, Kind: IssueSheet, Message: "sheet skipped: " + s.failed})
		}
	}
	b.resolveUnits(ok)
	b.inferPeriods(ok)
	b.resolveCodes()
	b.dedupe()
	b.check()
	res := &Result{Format: b.format, RowsRead: b.rowsRead}
	res.Wells = b.wells()
	res.Records = b.records
	for _, s := range b.sheets {
		res.Sheets = append(res.Sheets, s.info)
	}
	sort.SliceStable(b.issues, func(i, j int) bool {
		a, c := b.issues[i], b.issues[j]
		if a.sheet != c.sheet {
			return a.sheet < c.sheet
		}
		if a.Row != c.Row {
			return a.Row < c.Row
		}
		return a.seq < c.seq
	})
	res.Issues = make([]Issue, len(b.issues))
	for i, is := range b.issues {
		res.Issues[i] = is.Issue
	}
	res.IssuesOmitted = b.omitted
	if len(b.counts) > 0 {
		res.IssueCounts = b.counts
	}
	return res, nil
}

// resolveUnits settles each sheet's unit per phase: the header, then the units row, then
// Options.Units, then the one unit other sheets of the workbook give for that phase; and fills the
// records' Units.
func (b *builder) resolveUnits(sheets []*sheet) {
	for _, s := range sheets {
		for i, p := range phases {
			if !s.h.has(phaseFields[i]) {
				continue
			}
			o, _ := NormalizeUnit(b.opt.Units.Of(p))
			switch {
			case o == "":
			case s.units[i] == "":
				s.units[i], s.unitFrom[i] = o, "option"
			case s.units[i] != o:
				b.issue(s.idx, Issue{Row: s.info.HeaderRow, Column: s.column(phaseFields[i]).header, Kind: IssueUnit,
					Message: fmt.Sprintf("the file says %s for %s, the upload %s: the file's unit is used", s.units[i], p, o)})
			}
		}
	}
	type borrowed struct{ phases, units, from []string }
	for _, s := range sheets {
		var bw borrowed
		for i, p := range phases {
			if !s.h.has(phaseFields[i]) || s.units[i] != "" {
				continue
			}
			var unit, from string
			n := 0
			for _, o := range sheets {
				if o == s || o.unitFrom[i] == "" || strings.HasPrefix(o.unitFrom[i], "sheet ") {
					continue
				}
				if n == 0 || o.units[i] != unit {
					n++
				}
				unit, from = o.units[i], o.info.Name
			}
			col := s.column(phaseFields[i]).header
			if n != 1 {
				b.issue(s.idx, Issue{Row: s.info.HeaderRow, Column: col, Kind: IssueUnit,
					Message: fmt.Sprintf("no unit for %s: declare it in the header (e.g. %s[Sm3]) or with the upload", p, p)})
				continue
			}
			s.units[i], s.unitFrom[i] = unit, "sheet "+from
			bw.phases = append(bw.phases, string(p))
			bw.units = append(bw.units, unit)
			bw.from = append(bw.from, from)
		}
		if len(bw.phases) > 0 {
			var parts []string
			for i := range bw.phases {
				parts = append(parts, fmt.Sprintf("%s %s from sheet %q", bw.phases[i], bw.units[i], bw.from[i]))
			}
			b.issue(s.idx, Issue{Row: s.info.HeaderRow, Kind: IssueUnit,
				Message: "no units in this sheet; taken from the workbook: " + strings.Join(parts, ", ")})
		}
		if s.hoursFactor == 24 {
			f := fDays
			if s.h.has(fHours) {
				f = fHours
			}
			b.issue(s.idx, Issue{Row: s.info.HeaderRow, Column: s.column(f).header, Kind: IssueUnit,
				Message: "on-stream days converted to hours (×24)"})
		}
		var u Units
		for i, p := range phases {
			u.set(p, s.units[i])
		}
		for k := s.recStart; k < s.recEnd; k++ {
			b.records[k].Units = u
		}
		for _, c := range s.h.cols {
			col := Column{Index: c.index, Header: c.header, Field: fieldNames[c.field]}
			for i, f := range phaseFields {
				if c.field == f {
					col.Unit, col.UnitFrom = s.units[i], s.unitFrom[i]
				}
			}
			if (c.field == fHours || c.field == fDays) && s.hoursFactor != 0 {
				col.Unit = "h"
				if s.hoursFactor == 24 {
					col.Unit = "d"
				}
			}
			s.info.Columns = append(s.info.Columns, col)
		}
	}
}

// inferPeriods reads a sheet with no period column, option, or hint as monthly when all its dates
// are the first of a month and there are at least two.
func (b *builder) inferPeriods(sheets []*sheet) {
	for _, s := range sheets {
		if s.info.PeriodFrom != "default" || !s.allFirst || s.dates < 2 {
			continue
		}
		s.info.Period, s.info.PeriodFrom = Month, "dates"
		for k := s.recStart; k < s.recEnd; k++ {
			b.records[k].Period = Month
		}
		b.issue(s.idx, Issue{Row: s.info.HeaderRow, Kind: IssueSheet,
			Message: "rows read as monthly: every date is the first of a month (give period=day if they are daily)"})
	}
}

// nameKey folds a well name or UWI for matching across sheets.
func nameKey(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), " ")) }

// resolveCodes gives every record a code: rows without one take the code that the other rows of
// the file give to the same UWI or name (when only one), else their UWI, else their name.
func (b *builder) resolveCodes() {
	idx := map[string]string{}
	for i := range b.records {
		w := &b.records[i].Well
		if w.Code == "" {
			continue
		}
		for _, k := range [...]string{w.UWI, w.Name} {
			if k == "" {
				continue
			}
			k = nameKey(k)
			if c, seen := idx[k]; !seen {
				idx[k] = w.Code
			} else if c != w.Code {
				idx[k] = "" // ambiguous
			}
		}
	}
	for i := range b.records {
		w := &b.records[i].Well
		if w.Code != "" {
			continue
		}
		for _, k := range [...]string{w.UWI, w.Name} {
			if c := idx[nameKey(k)]; k != "" && c != "" {
				w.Code = c
				break
			}
		}
		if w.Code == "" {
			w.Code = w.UWI
		}
		if w.Code == "" {
			w.Code = w.Name
		}
	}
}

// recKey is Key with the date as days since 1970, for maps.
type recKey struct {
	code   string
	period Period
	day    int64
}

// dedupe drops every record whose (well code, period, date) was seen before in the file, keeping
// the first.
func (b *builder) dedupe() {
	first := make(map[recKey]int, len(b.records))
	out := b.records[:0]
	for _, r := range b.records {
		k := recKey{r.Well.Code, r.Period, r.Date.Unix() / 86400}
		if j, seen := first[k]; seen {
			f := out[j]
			where := "row " + strconv.Itoa(f.Row)
			if f.Sheet != r.Sheet {
				where = fmt.Sprintf("sheet %q row %d", f.Sheet, f.Row)
			}
			b.issue(b.sheetIndex(r.Sheet), Issue{Row: r.Row, Kind: IssueDuplicate,
				Message: fmt.Sprintf("row skipped: well %s already has a %s record for %s (%s)",
					r.Well.Code, r.Period, r.Date.Format(dateFormat(r.Period)), where)})
			continue
		}
		first[k] = len(out)
		out = append(out, r)
	}
	clear(b.records[len(out):])
	b.records = out
	// Sheets' record ranges shift with the dropped rows.
	i := 0
	for _, s := range b.sheets {
		s.recStart = i
		for i < len(b.records) && b.records[i].Sheet == s.info.Name {
			i++
		}
		s.recEnd = i
		s.info.Records = s.recEnd - s.recStart
	}
}

func dateFormat(p Period) string {
	if p == Month {
		return "2006-01"
	}
	return time.DateOnly
}

func (b *builder) sheetIndex(name string) int {
	for i, s := range b.sheets {
		if s.info.Name == name {
			return i
		}
	}
	return -1
}

// check reports negative volumes and hours, and on-stream hours above the period's calendar hours.
func (b *builder) check() {
	si := 0
	for i := range b.records {
		r := &b.records[i]
		for si < len(b.sheets)-1 && i >= b.sheets[si].recEnd {
			si++
		}
		s := b.sheets[si]
		for j, p := range phases {
			if v := *r.volume(p); v != nil && *v < 0 {
				b.issue(si, Issue{Row: r.Row, Column: s.column(phaseFields[j]).header, Kind: IssueNegative,
					Message: fmt.Sprintf("negative %s volume %s: kept", p, fmtNum(*v))})
			}
		}
		h := r.OnStreamHours
		if h == nil {
			continue
		}
		col := s.column(fHours).header
		if col == "" {
			col = s.column(fDays).header
		}
		if *h < 0 {
			b.issue(si, Issue{Row: r.Row, Column: col, Kind: IssueNegative,
				Message: fmt.Sprintf("negative on-stream hours %s: kept", fmtNum(*h))})
			continue
		}
		limit := float64(24 * r.Days())
		if *h <= limit {
			continue
		}
		msg := fmt.Sprintf("on-stream hours %s exceed the %s hours of %s", fmtNum(*h), fmtNum(limit),
			r.Date.Format(dateFormat(r.Period)))
		if *h <= limit+1 {
			msg += " (the day clocks go back for daylight saving?)"
		}
		b.issue(si, Issue{Row: r.Row, Column: col, Kind: IssueLongDay, Message: msg + ": kept"})
	}
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// wells builds the well summaries and gives every record its well's WellRef.
func (b *builder) wells() []WellSummary {
	var ws []WellSummary
	at := map[string]int{}
	type acc struct {
		rows        int
		first, last time.Time
		totals      []Total
		comp        []float64 // Neumaier compensation per total
	}
	accs := map[[2]string]*acc{}
	for i := range b.records {
		r := &b.records[i]
		wi, ok := at[r.Well.Code]
		if !ok {
			wi = len(ws)
			at[r.Well.Code] = wi
			ws = append(ws, WellSummary{WellRef: WellRef{Code: r.Well.Code}})
		}
		w := &ws[wi]
		if w.Name == "" {
			w.Name = r.Well.Name
		}
		if w.UWI == "" {
			w.UWI = r.Well.UWI
		}
		if r.Well.Name != "" && !contains(w.Names, r.Well.Name) {
			w.Names = append(w.Names, r.Well.Name)
		}
		if !contains(w.Sheets, r.Sheet) && r.Sheet != "" {
			w.Sheets = append(w.Sheets, r.Sheet)
		}
		k := [2]string{r.Well.Code, string(r.Period)}
		a := accs[k]
		if a == nil {
			a = &acc{first: r.Date, last: r.Date}
			accs[k] = a
			w.Periods = append(w.Periods, PeriodSummary{Period: r.Period})
		}
		a.rows++
		if r.Date.Before(a.first) {
			a.first = r.Date
		}
		if r.Date.After(a.last) {
			a.last = r.Date
		}
		for _, p := range phases {
			v := *r.volume(p)
			if v == nil {
				continue
			}
			u := r.Units.Of(p)
			j := 0
			for j < len(a.totals) && (a.totals[j].Phase != p || a.totals[j].Unit != u) {
				j++
			}
			if j == len(a.totals) {
				a.totals = append(a.totals, Total{Phase: p, Unit: u})
				a.comp = append(a.comp, 0)
			}
			t := &a.totals[j]
			sum := t.Volume + *v
			if math.Abs(t.Volume) >= math.Abs(*v) {
				a.comp[j] += (t.Volume - sum) + *v
			} else {
				a.comp[j] += (*v - sum) + t.Volume
			}
			t.Volume = sum
			t.Count++
		}
	}
	for wi := range ws {
		w := &ws[wi]
		if w.Name == "" {
			w.Name = w.UWI
		}
		if w.Name == "" {
			w.Name = w.Code
		}
		for pi := range w.Periods {
			ps := &w.Periods[pi]
			a := accs[[2]string{w.Code, string(ps.Period)}]
			ps.Rows, ps.First, ps.Last = a.rows, a.first, a.last
			for j := range a.totals {
				a.totals[j].Volume += a.comp[j]
			}
			sort.SliceStable(a.totals, func(i, j int) bool {
				return phaseOrder(a.totals[i].Phase) < phaseOrder(a.totals[j].Phase)
			})
			ps.Totals = a.totals
		}
	}
	for i := range b.records {
		r := &b.records[i]
		r.Well = ws[at[r.Well.Code]].WellRef
	}
	return ws
}

func phaseOrder(p Phase) int {
	for i, q := range phases {
		if q == p {
			return i
		}
	}
	return len(phases)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
