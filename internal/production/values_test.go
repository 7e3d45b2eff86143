package production

import (
	"testing"
	"time"
)

func TestParseNumber(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in           string
		decimalComma bool
		want         float64
		blank, bad   bool
	}{
		{in: "12.5", want: 12.5},
		{in: "-0.95", want: -0.95},
		{in: "1.0030591666666666", want: 1.0030591666666666},
		{in: "1e3", want: 1000},
		{in: " 7 ", want: 7},
		{in: "", blank: true},
		{in: "NULL", blank: true},
		{in: "null", blank: true},
		{in: "#N/A", blank: true},
		{in: "NaN", blank: true},
		{in: "-", blank: true},
		{in: "1,234.5", want: 1234.5},
		{in: "1.234,5", want: 1234.5},
		{in: "1 234,5", decimalComma: true, want: 1234.5},
		{in: "12,5", decimalComma: true, want: 12.5},
		{in: "1,234", want: 1234},
		{in: "12,5", bad: true},
		{in: "(12.5)", want: -12.5},
		{in: "abc", bad: true},
		{in: "#DIV/0!", bad: true},
		{in: "Inf", bad: true},
		{in: "12 Sm3", bad: true},
	} {
		v, blank, err := parseNumber(c.in, c.decimalComma)
		if v != c.want || blank != c.blank || (err != nil) != c.bad {
			t.Errorf("parseNumber(%q, %v) = %v, %v, %v; want %v, blank %v, bad %v", c.in, c.decimalComma, v, blank, err, c.want, c.blank, c.bad)
		}
	}
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		in        string
		p         dateParser
		want      time.Time
		monthOnly bool
		bad       bool
	}{
		{in: "41736", want: d(2014, 4, 7)},
		{in: "41736.75", want: d(2014, 4, 7)},
		{in: "40274", p: dateParser{date1904: true}, want: d(2014, 4, 7)},
		{in: "60", bad: true},
		{in: "61", want: d(1900, 3, 1)},
		{in: "20140407", want: d(2014, 4, 7)},
		{in: "2014-04-07", want: d(2014, 4, 7)},
		{in: "2014-4-7", want: d(2014, 4, 7)},
		{in: "2014/04/07", want: d(2014, 4, 7)},
		{in: "2014-04-07T23:59:59+02:00", want: d(2014, 4, 7)},
		{in: "2014-04-07 06:00", want: d(2014, 4, 7)},
		{in: "07.04.2014", want: d(2014, 4, 7)},
		{in: "7.4.14", want: d(2014, 4, 7)},
		{in: "13/04/2014", want: d(2014, 4, 13)},
		{in: "04/13/2014", want: d(2014, 4, 13)},
		{in: "04/04/2014", want: d(2014, 4, 4)},
		{in: "03/04/2014", bad: true},
		{in: "03/04/2014", p: dateParser{order: DayFirst}, want: d(2014, 4, 3)},
		{in: "03/04/2014", p: dateParser{order: MonthFirst}, want: d(2014, 3, 4)},
		{in: "07-Apr-2014", want: d(2014, 4, 7)},
		{in: "07-APR-14", want: d(2014, 4, 7)},
		{in: "7 April 2014", want: d(2014, 4, 7)},
		{in: "April 7, 2014", want: d(2014, 4, 7)},
		{in: "2014-04", want: d(2014, 4, 1), monthOnly: true},
		{in: "04/2014", want: d(2014, 4, 1), monthOnly: true},
		{in: "Apr-2014", want: d(2014, 4, 1), monthOnly: true},
		{in: "April 2014", want: d(2014, 4, 1), monthOnly: true},
		{in: "2014-02-30", bad: true},
		{in: "2014-13-01", bad: true},
		{in: "1850-01-01", bad: true},
		{in: "NULL", bad: true},
		{in: "", bad: true},
		{in: "yesterday", bad: true},
		{in: "12345678901", bad: true},
	} {
		got, monthOnly, err := c.p.parse(c.in)
		if (err != nil) != c.bad || (!c.bad && (!got.Equal(c.want) || monthOnly != c.monthOnly || got.Location() != time.UTC)) {
			t.Errorf("parse(%q) = %v, %v, %v; want %v, %v, bad %v", c.in, got, monthOnly, err, c.want, c.monthOnly, c.bad)
		}
	}
}

func TestDetectDelimiter(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want rune
	}{
		{"date,well,oil\n2014-04-07,A,1\n", ','},
		{"date;well;oil\n2014-04-07;A;1,5\n2014-04-08;A;2,5\n", ';'},
		{"date\twell\toil\n2014-04-07\tA\t1,5\n", '\t'},
		{"Report, field X\n\ndate;well;oil;gas\n1;2;3;4\n5;6;7;8\n", ';'},
		{`date,well,"oil; Sm3"` + "\n1,2,3\n", ','},
		{"no delimiter at all\n", ','},
	} {
		if got := detectDelimiter([]byte(c.in)); got != c.want {
			t.Errorf("detectDelimiter(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestClassifyHeader(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in    string
		field string
		unit  string
	}{
		{"DATEPRD", "date", ""},
		{"NPD_WELL_BORE_CODE", "code", ""},
		{"NPD_WELL_BORE_NAME", "well", ""},
		{"WELL_BORE_CODE", "uwi", ""},
		{"NPD_FIELD_CODE", "", ""},
		{"NPDCode", "code", ""},
		{"Wellbore name", "well", ""},
		{"On Stream", "on_stream_hours", ""},
		{"ON_STREAM_HRS", "on_stream_hours", ""},
		{"oil[Sm3]", "oil", "Sm3"},
		{"gas [Mcf]", "gas", "Mcf"},
		{"Water (bbl)", "water", "bbl"},
		{"oil_bbl", "oil", "bbl"},
		{"Gas MSm3", "gas", "MSm3"},
		{"BORE_WI_VOL", "water_injected", ""},
		{"GI", "gas_injected", ""},
		{"AVG_WHP_P", "", ""},
		{"pressure [bar]", "", ""},
	} {
		f, unit := classify(c.in)
		if fieldNames[f] != c.field || unit != c.unit {
			t.Errorf("classify(%q) = %q, %q; want %q, %q", c.in, fieldNames[f], unit, c.field, c.unit)
		}
	}
}
