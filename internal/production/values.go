package production

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

// IsNullToken reports whether a cell means "no value": blank, or (case-insensitive) NULL, NA,
// N/A, #N/A, NaN, None, (null), "-" or "--".
func IsNullToken(s string) bool {
	s = strings.TrimSpace(s)
	switch len(s) {
	case 0:
		return true
	case 1:
		return s == "-"
	case 2:
		return s == "--" || strings.EqualFold(s, "NA")
	case 3:
		return strings.EqualFold(s, "N/A") || strings.EqualFold(s, "NaN")
	case 4:
		return strings.EqualFold(s, "NULL") || strings.EqualFold(s, "#N/A") || strings.EqualFold(s, "None")
	case 6:
		return strings.EqualFold(s, "(null)")
	}
	return false
}

var errNotNumber = errors.New("not a number")

// parseNumber reads a volume or hours cell. blank is true for a NULL token. Besides Go's float
// syntax it accepts thousands separators ("1,234.5", "1 234,5", "1'234"), a decimal comma when
// decimalComma is set (the file's delimiter is not a comma) and accounting negatives "(12.5)".
func parseNumber(s string, decimalComma bool) (v float64, blank bool, err error) {
	if IsNullToken(s) {
		return 0, true, nil
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		if math.IsNaN(v) {
			return 0, true, nil
		}
		if math.IsInf(v, 0) {
			return 0, false, errNotNumber
		}
		return v, false, nil
	}
	s = strings.TrimSpace(s)
	neg := false
	if len(s) > 2 && s[0] == '(' && s[len(s)-1] == ')' {
		neg, s = true, s[1:len(s)-1]
	}
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\'':
			return -1
		}
		return r
	}, s)
	commas, dots := strings.Count(s, ","), strings.Count(s, ".")
	switch {
	case commas == 0:
	case dots > 0 && strings.LastIndexByte(s, ',') < strings.IndexByte(s, '.'):
		s = strings.ReplaceAll(s, ",", "") // 1,234.5
	case dots > 0:
		s = strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ".") // 1.234,5
	case commas == 1 && decimalComma:
		s = strings.Replace(s, ",", ".", 1) // 12,5
	case thousands(s):
		s = strings.ReplaceAll(s, ",", "") // 1,234,567
	default:
		return 0, false, errNotNumber
	}
	v, err = strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, false, errNotNumber
	}
	if math.IsNaN(v) {
		return 0, true, nil
	}
	if neg {
		v = -v
	}
	return v, false, nil
}

// thousands reports whether s is digits grouped by commas in threes: "1,234" or "-12,345,678".
func thousands(s string) bool {
	s = strings.TrimPrefix(s, "-")
	groups := strings.Split(s, ",")
	if len(groups[0]) == 0 || len(groups[0]) > 3 {
		return false
	}
	for i, g := range groups {
		if i > 0 && len(g) != 3 {
			return false
		}
		for j := 0; j < len(g); j++ {
			if g[j] < '0' || g[j] > '9' {
				return false
			}
		}
	}
	return true
}

// DateOrder says how to read an all-numeric date such as 03/04/2014 whose first two numbers could
// both be a month.
type DateOrder string

// The orders of ambiguous slashed or dashed dates. Dotted dates (03.04.2014) are always day first.
const (
	DateOrderUnknown DateOrder = ""    // ambiguous dates are reported and their rows skipped
	DayFirst         DateOrder = "DMY" // 03/04/2014 is 3 April 2014
	MonthFirst       DateOrder = "MDY" // 03/04/2014 is 4 March 2014
)

// dateParser reads dates of one sheet.
type dateParser struct {
	date1904 bool // the workbook uses the 1904 date system
	order    DateOrder
}

// dateError is a user-facing reason a date cell was not read.
type dateError string

func (e dateError) Error() string { return string(e) }

var (
	minDate = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDate = time.Date(2200, 12, 31, 0, 0, 0, 0, time.UTC)
)

// parse reads one date cell: an Excel serial number (1900 or 1904 system), ISO 8601 with or
// without a time (2014-04-07, 2014-04-07T06:00:00Z; the time is dropped), YYYY/MM/DD, YYYYMMDD,
// DD.MM.YYYY, M/D/YYYY or D/M/YYYY (when unambiguous or by order), 07-Apr-2014, Apr 7, 2014,
// and month dates (2014-04, 04/2014, Apr-2014, April 2014; monthOnly is then true). Dates before
// 1900 or after 2200 are rejected.
func (d dateParser) parse(s string) (t time.Time, monthOnly bool, err error) {
	s = strings.TrimSpace(s)
	if s == "" || IsNullToken(s) {
		return t, false, dateError("no date")
	}
	if t, monthOnly, ok, err := d.numeric(s); ok || err != nil {
		return t, monthOnly, err
	}
	if t, monthOnly, ok, err := d.parts(s); ok || err != nil {
		if err == nil {
			err = checkRange(t)
		}
		return t, monthOnly, err
	}
	for _, l := range dayLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, false, checkRange(t)
		}
	}
	for _, l := range monthLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true, checkRange(t)
		}
	}
	return t, false, dateError("not a date")
}

var dayLayouts = []string{"2-Jan-2006", "2-Jan-06", "2 Jan 2006", "Jan 2, 2006", "Jan 2 2006",
	"2-January-2006", "2 January 2006", "January 2, 2006", "Mon, 2 Jan 2006",
	"2-Jan-2006 15:04:05", "2-Jan-06 15.04.05.000000000 PM"}

var monthLayouts = []string{"Jan-2006", "Jan 2006", "January 2006", "January-2006", "Jan-06",
	"Jan.2006", "Jan/2006"}

func checkRange(t time.Time) error {
	if t.Before(minDate) || t.After(maxDate) {
		return dateError("date out of range (1900 to 2200)")
	}
	return nil
}

// numeric reads a cell that is a plain number: YYYYMMDD, or an Excel serial date.
func (d dateParser) numeric(s string) (t time.Time, monthOnly, ok bool, err error) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '.' && c != 'E' && c != 'e' && c != '+' {
			return t, false, false, nil
		}
	}
	v, perr := strconv.ParseFloat(s, 64)
	if perr != nil {
		return t, false, false, nil
	}
	if len(s) == 8 && v >= 19000101 && v <= 22001231 && v == math.Trunc(v) {
		n := int(v)
		t, ok := civil(n/10000, n/100%100, n%100)
		if !ok {
			return t, false, true, dateError("not a date")
		}
		return t, false, true, nil
	}
	t, err = excelDate(v, d.date1904)
	return t, false, true, err
}

// excelDate converts an Excel serial date; the time of day is dropped. Serials before 1 March
// 1900 (61 in the 1900 system, where Excel counts a 29 February 1900 that never was) are rejected.
func excelDate(v float64, date1904 bool) (time.Time, error) {
	day := math.Floor(v)
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	} else if day < 61 {
		return time.Time{}, dateError("Excel serial date before March 1900")
	}
	if day > 200000 {
		return time.Time{}, dateError("not a date")
	}
	t := epoch.AddDate(0, 0, int(day))
	return t, checkRange(t)
}

// civil returns the UTC midnight of a calendar date, ok false if it does not exist.
func civil(y, m, d int) (time.Time, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t, t.Day() == d
}

// parts reads dates written as numbers with separators: Y-M-D, D.M.Y, M/D/Y or D/M/Y, Y-M, M/Y,
// followed by an optional time ("T…" or " …") that is dropped.
func (d dateParser) parts(s string) (t time.Time, monthOnly, ok bool, err error) {
	if i := strings.IndexAny(s, "T "); i > 0 {
		s = s[:i]
	}
	var nums [3]int
	var lens [3]int
	n, sep := 0, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if lens[n] == 4 {
				return t, false, false, nil
			}
			nums[n] = nums[n]*10 + int(c-'0')
			lens[n]++
		case c == '-' || c == '/' || c == '.':
			if lens[n] == 0 || n == 2 || (sep != 0 && c != sep) {
				return t, false, false, nil
			}
			sep = c
			n++
		default:
			return t, false, false, nil
		}
	}
	if lens[n] == 0 || n == 0 {
		return t, false, false, nil
	}
	bad := dateError("not a date")
	if n == 1 { // a month date
		y, m := nums[0], nums[1]
		switch {
		case lens[0] == 4 && lens[1] <= 2:
		case lens[1] == 4 && lens[0] <= 2:
			y, m = nums[1], nums[0]
		default:
			return t, false, false, nil
		}
		t, ok := civil(y, m, 1)
		if !ok {
			return t, true, true, bad
		}
		return t, true, true, nil
	}
	var y, m, dd int
	switch {
	case lens[0] == 4: // Y-M-D
		y, m, dd = nums[0], nums[1], nums[2]
	case lens[2] == 4 || lens[2] == 2:
		y = nums[2]
		if lens[2] == 2 {
			y += 2000
			if y > time.Now().Year()+20 {
				y -= 100
			}
		}
		a, b := nums[0], nums[1]
		switch {
		case sep == '.':
			dd, m = a, b
		case a > 12 && b <= 12:
			dd, m = a, b
		case b > 12 && a <= 12:
			m, dd = a, b
		case a == b:
			m, dd = a, b
		case d.order == DayFirst:
			dd, m = a, b
		case d.order == MonthFirst:
			m, dd = a, b
		default:
			return t, false, true, dateError("ambiguous date (day/month or month/day?): write it as YYYY-MM-DD or give the date order")
		}
	default:
		return t, false, false, nil
	}
	t, ok = civil(y, m, dd)
	if !ok {
		return t, false, true, bad
	}
	return t, false, true, nil
}

// monthNumber reads a month column beside a year column: 1–12, or a month name ("Apr", "April").
func monthNumber(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		if v >= 1 && v <= 12 && v == math.Trunc(v) {
			return int(v), true
		}
		return 0, false
	}
	for _, l := range [...]string{"Jan", "January"} {
		if t, err := time.Parse(l, s); err == nil {
			return int(t.Month()), true
		}
	}
	return 0, false
}

// wholeNumber reads a year or day-of-month cell ("2014", "2014.0").
func wholeNumber(s string) (int, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || v != math.Trunc(v) || v < 0 || v > 1e5 {
		return 0, false
	}
	return int(v), true
}
