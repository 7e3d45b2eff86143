package production

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// failEmpty is the reason given for a sheet without a non-blank row.
const failEmpty = "the sheet is empty"

// maxHeaderScan is how many non-blank rows at the top of a sheet may precede the header (titles,
// notes).
const maxHeaderScan = 30

// dateMode says how a sheet writes its dates.
type dateMode int

const (
	modeDate      dateMode = iota // one date column
	modeYMD                       // year, month and day columns
	modeYM                        // year and month columns: monthly
	modeMonthDate                 // one month column holding month dates ("2014-04", "Apr-2014")
)

// sheet reads the rows of one sheet (or of a CSV file): it finds the header, an optional units
// row under it, then turns data rows into records.
type sheet struct {
	b            *builder
	idx          int
	info         SheetInfo
	dp           dateParser
	decimalComma bool

	found   bool
	scanned int
	best    header   // the header-like row with the most recognised columns, for messages
	bestRow int      // its row
	bestHdr []string // its non-blank cells
	failed  string   // why the sheet cannot be read; set when no header is found

	h            header
	mode         dateMode
	unitsChecked bool
	units        [len(phaseFields)]string // canonical, from the header or the units row
	unitFrom     [len(phaseFields)]string
	hoursFactor  float64 // 1 for hours, 24 for days; 0 when the on-stream column is not used
	periodCol    bool

	recStart, recEnd int
	allFirst         bool // every record date is the first of a month
	dates            int  // distinct record dates seen, counted up to 2
	firstDate        time.Time
}

func newSheet(b *builder, name string, date1904, decimalComma bool) *sheet {
	s := &sheet{b: b, idx: len(b.sheets), dp: dateParser{date1904: date1904, order: b.opt.DateOrder},
		decimalComma: decimalComma, allFirst: true, recStart: len(b.records)}
	s.info.Name = name
	b.sheets = append(b.sheets, s)
	return s
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// row takes row n (1-based) of the sheet. It returns false when the rest of the sheet need not be
// read (no header in the first rows).
func (s *sheet) row(n int, cells []string) bool {
	if s.failed != "" {
		return false
	}
	if blankRow(cells) {
		return true
	}
	if !s.found {
		s.scanned++
		h := mapHeader(cells)
		if h.matched >= 2 && h.hasDate() {
			s.accept(n, h)
			return s.failed == ""
		}
		if h.matched > s.best.matched {
			s.best, s.bestRow, s.bestHdr = h, n, nonBlank(cells)
		}
		if s.scanned >= maxHeaderScan {
			s.noHeader()
			return false
		}
		return true
	}
	if !s.unitsChecked {
		s.unitsChecked = true
		if s.unitsRow(n, cells) {
			return true
		}
	}
	s.data(n, cells)
	return true
}

// end is called after the last row.
func (s *sheet) end() {
	if !s.found && s.failed == "" {
		s.noHeader()
	}
	s.recEnd = len(s.b.records)
}

func (s *sheet) noHeader() {
	switch {
	case s.scanned == 0:
		s.failed = failEmpty
	case s.best.matched >= 2:
		s.failed = fmt.Sprintf("no date column in the header (row %d: %s); expected a column "+
			"named date (or DATEPRD, production date, …), year and month columns, or a month column",
			s.bestRow, strings.Join(s.bestHdr, ", "))
	default:
		s.failed = fmt.Sprintf("no recognisable header in the first %d rows: expected columns such "+
			"as date, well (or UWI, NPD code), oil, gas, water, water injected, gas injected, "+
			"on-stream hours", maxHeaderScan)
	}
	s.info.Skipped = s.failed
}

// nonBlank returns copies of the non-blank cells of a row, trimmed.
func nonBlank(cells []string) []string {
	var out []string
	for _, c := range cells {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, strings.Clone(c))
		}
	}
	return out
}

// accept takes h, found at row n, as the sheet's header.
func (s *sheet) accept(n int, h header) {
	s.found, s.h = true, h
	s.info.HeaderRow = n
	s.info.Ignored = h.ignored
	switch {
	case !h.hasWell() && s.b.opt.Well == (WellRef{}):
		s.failed = "no well column: expected a column named well (or well name, wellbore), UWI " +
			"(or API, wellbore code) or code (NPD code, well ID), or a well given with the upload"
	case !h.hasVolume():
		s.failed = "no volume column: expected oil, gas, water, water injected (WI) or gas injected (GI)"
	}
	if s.failed != "" {
		s.info.Skipped = s.failed
		return
	}
	switch {
	case h.has(fDate) && h.has(fYear) && h.has(fMonth) && headerKey(s.headerOf(fDate)) == "day":
		s.mode = modeYMD
	case h.has(fDate):
		s.mode = modeDate
	case h.has(fYear):
		s.mode = modeYM
	default:
		s.mode = modeMonthDate
	}
	s.periodCol = h.has(fPeriod)
	opt := s.b.opt
	lname := strings.ToLower(s.info.Name)
	switch {
	case opt.DefaultPeriod != "":
		s.info.Period, s.info.PeriodFrom = opt.DefaultPeriod, "option"
	case s.mode == modeYM:
		s.info.Period, s.info.PeriodFrom = Month, "year and month columns"
	case s.mode == modeMonthDate:
		s.info.Period, s.info.PeriodFrom = Month, "month column"
	case strings.Contains(lname, "month"):
		s.info.Period, s.info.PeriodFrom = Month, "sheet name"
	case strings.Contains(lname, "daily") || strings.HasPrefix(lname, "day"):
		s.info.Period, s.info.PeriodFrom = Day, "sheet name"
	default:
		s.info.Period, s.info.PeriodFrom = Day, "default"
	}
	if s.periodCol {
		s.info.PeriodFrom = "period column"
	}
	for i, f := range phaseFields {
		if !h.has(f) {
			continue
		}
		if u := s.column(f).unit; u != "" {
			s.setUnit(n, i, u, "header")
		}
	}
	switch {
	case h.has(fHours):
		s.hoursFactor = 1
		if u := s.column(fHours).unit; u != "" {
			s.setHoursUnit(n, u)
		}
	case h.has(fDays):
		s.hoursFactor = 24
		if u := s.column(fDays).unit; u != "" {
			s.setHoursUnit(n, u)
		}
	}
}

// setUnit records the unit of phase i as written in the header or the units row at row n.
func (s *sheet) setUnit(n, i int, written, from string) {
	u, known := NormalizeUnit(written)
	col := s.column(phaseFields[i])
	if !known || isTimeUnit(u) {
		s.b.issue(s.idx, Issue{Row: n, Column: col.header, Kind: IssueUnit,
			Message: fmt.Sprintf("unknown unit %s for %s: kept as written", cellText(written), phases[i])})
	}
	if s.units[i] != "" {
		if s.units[i] != u {
			s.b.issue(s.idx, Issue{Row: n, Column: col.header, Kind: IssueUnit,
				Message: fmt.Sprintf("the units row says %s, the header %s: the header's unit is used", u, s.units[i])})
		}
		return
	}
	s.units[i], s.unitFrom[i] = u, from
}

// setHoursUnit checks the unit of the on-stream column.
func (s *sheet) setHoursUnit(n int, written string) {
	f := fHours
	if !s.h.has(fHours) {
		f = fDays
	}
	col := s.column(f)
	switch u, _ := NormalizeUnit(written); u {
	case "h":
		s.hoursFactor = 1
	case "d":
		s.hoursFactor = 24
	default:
		s.hoursFactor = 0
		s.b.issue(s.idx, Issue{Row: n, Column: col.header, Kind: IssueUnit,
			Message: fmt.Sprintf("unknown unit %s for on-stream time (expected hours or days): column not read", cellText(written))})
	}
}

func (s *sheet) column(f field) column {
	for _, c := range s.h.cols {
		if c.field == f {
			return c
		}
	}
	return column{index: -1}
}

func (s *sheet) headerOf(f field) string {
	name, _ := splitHeader(s.column(f).header)
	return name
}

// unitsRow reports whether row n, the first after the header, is a row of units (no numbers, and
// a known unit under at least one volume or on-stream column), and takes the units if so.
func (s *sheet) unitsRow(n int, cells []string) bool {
	units := false
	for i, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if _, err := strconv.ParseFloat(c, 64); err == nil {
			return false
		}
		if _, known := NormalizeUnit(c); known && s.isMeasure(i) {
			units = true
		}
	}
	if !units {
		return false
	}
	s.info.UnitsRow = n
	for i, f := range phaseFields {
		if j := s.h.at[f]; j >= 0 && j < len(cells) && strings.TrimSpace(cells[j]) != "" {
			s.setUnit(n, i, cells[j], "units row")
		}
	}
	for _, f := range [...]field{fHours, fDays} {
		if j := s.h.at[f]; j >= 0 && j < len(cells) && strings.TrimSpace(cells[j]) != "" {
			if s.column(f).unit == "" {
				s.setHoursUnit(n, cells[j])
			}
		}
	}
	return true
}

// isMeasure reports whether column i holds a volume or on-stream time.
func (s *sheet) isMeasure(i int) bool {
	for _, c := range s.h.cols {
		if c.index == i {
			return c.field >= fOil
		}
	}
	return false
}

// data turns data row n into a record, or reports why it cannot.
func (s *sheet) data(n int, cells []string) {
	b := s.b
	s.info.RowsRead++
	b.rowsRead++
	cell := func(f field) string {
		if i := s.h.at[f]; i >= 0 && i < len(cells) {
			return strings.TrimSpace(cells[i])
		}
		return ""
	}
	date, err := s.date(cell)
	if err != nil {
		b.issue(s.idx, Issue{Row: n, Column: s.dateHeader(), Kind: IssueBadDate,
			Message: "row skipped: " + err.Error()})
		return
	}
	period := s.info.Period
	if s.periodCol {
		if pc := cell(fPeriod); !IsNullToken(pc) {
			p, ok := ParsePeriod(pc)
			if !ok {
				b.issue(s.idx, Issue{Row: n, Column: s.column(fPeriod).header, Kind: IssueBadPeriod,
					Message: fmt.Sprintf("row skipped: period %s is neither day nor month", cellText(pc))})
				return
			}
			period = p
		}
	} else {
		if date.Day() != 1 {
			s.allFirst = false
		}
		if s.dates == 0 {
			s.firstDate, s.dates = date, 1
		} else if s.dates == 1 && !date.Equal(s.firstDate) {
			s.dates = 2
		}
	}
	if period == Month && date.Day() != 1 {
		date = time.Date(date.Year(), date.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	var w WellRef
	if s.h.hasWell() {
		w = WellRef{Code: b.wellText(wholeCode(cell(fCode))), Name: b.wellText(cell(fWell)), UWI: b.wellText(cell(fUWI))}
		if w == (WellRef{}) {
			b.issue(s.idx, Issue{Row: n, Kind: IssueNoWell, Message: "row skipped: no well name, UWI or code"})
			return
		}
	} else {
		w = b.opt.Well
	}
	rec := Record{Well: w, Date: date, Period: period, Sheet: s.info.Name, Row: n}
	for i, f := range phaseFields {
		if s.h.at[f] >= 0 {
			*rec.volume(phases[i]) = s.value(n, f, cell(f), 1)
		}
	}
	if s.hoursFactor != 0 {
		f := fHours
		if !s.h.has(fHours) {
			f = fDays
		}
		rec.OnStreamHours = s.value(n, f, cell(f), s.hoursFactor)
	}
	b.records = append(b.records, rec)
}

// value reads one volume or on-stream cell; nil when blank or not a number (reported).
func (s *sheet) value(n int, f field, raw string, factor float64) *float64 {
	v, blank, err := parseNumber(raw, s.decimalComma)
	if blank {
		return nil
	}
	if err != nil {
		s.b.issue(s.idx, Issue{Row: n, Column: s.column(f).header, Kind: IssueBadValue,
			Message: fmt.Sprintf("%s is not a number: left blank", cellText(raw))})
		return nil
	}
	return s.b.float(v * factor)
}

func (s *sheet) dateHeader() string {
	switch s.mode {
	case modeYM, modeYMD:
		return s.column(fYear).header
	case modeMonthDate:
		return s.column(fMonth).header
	}
	return s.column(fDate).header
}

// date reads the date of a row in the sheet's date mode.
func (s *sheet) date(cell func(field) string) (time.Time, error) {
	switch s.mode {
	case modeYM, modeYMD:
		ys, ms := cell(fYear), cell(fMonth)
		y, ok1 := wholeNumber(ys)
		m, ok2 := monthNumber(ms)
		if !ok1 || !ok2 || y < 1900 || y > 2200 {
			return time.Time{}, fmt.Errorf("year %s and month %s are not a month", cellText(ys), cellText(ms))
		}
		d := 1
		if s.mode == modeYMD {
			ds := cell(fDate)
			v, ok := wholeNumber(ds)
			if !ok {
				return time.Time{}, fmt.Errorf("day %s is not a day of the month", cellText(ds))
			}
			d = v
		}
		t, ok := civil(y, m, d)
		if !ok {
			return time.Time{}, fmt.Errorf("%d-%02d-%02d is not a date", y, m, d)
		}
		return t, nil
	}
	f := fDate
	if s.mode == modeMonthDate {
		f = fMonth
	}
	raw := cell(f)
	t, _, err := s.dp.parse(raw)
	if err != nil {
		if raw == "" {
			return t, err
		}
		return t, fmt.Errorf("%s: %s", err, cellText(raw))
	}
	return t, nil
}

// cellText quotes a cell's text for a message, cut to 40 characters: a stray quote in a CSV can
// make one cell of many lines.
func cellText(s string) string {
	hint := ""
	if strings.Contains(s, "\n") {
		hint = " (a line break inside a cell: a quote that is never closed?)"
	}
	if utf8.RuneCountInString(s) > 40 {
		return strconv.Quote(string([]rune(s)[:40])+"…") + hint
	}
	return strconv.Quote(s) + hint
}

// wholeCode writes a numeric code saved as a decimal ("5351.0") as the integer it is ("5351").
func wholeCode(s string) string {
	i := strings.IndexByte(s, '.')
	if i <= 0 || strings.Trim(s[i+1:], "0") != "" {
		return s
	}
	for _, c := range s[:i] {
		if c < '0' || c > '9' {
			return s
		}
	}
	return s[:i]
}
