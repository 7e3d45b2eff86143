package production_test

import (
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/wellbase/wellbase/internal/production"
)

func utf16LE(s string) string {
	u := utf16.Encode([]rune(s))
	b := []byte{0xff, 0xfe}
	for _, c := range u {
		b = append(b, byte(c), byte(c>>8))
	}
	return string(b)
}

func TestParseCSV(t *testing.T) {
	t.Parallel()
	sm3 := production.Options{Units: production.Units{Oil: "Sm3", Gas: "Sm3", Water: "Sm3"}}
	cases := []parseCase{
		{
			name: "OK",
			in: "date,well,oil[Sm3],gas [Sm3],water (Sm3),on stream hours\n" +
				"2014-04-07,A-1,100.5,2000,0,24\n" +
				"2014-04-08,A-1,99,1990,1.5,23.5\n",
			recs: []string{
				"2 A-1 day 2014-04-07 oil=100.5 Sm3 gas=2000 Sm3 water=0 Sm3 h=24",
				"3 A-1 day 2014-04-08 oil=99 Sm3 gas=1990 Sm3 water=1.5 Sm3 h=23.5",
			},
		},
		{
			name: "ByteOrderMark",
			in:   "\ufeffdate,well,oil\n2014-04-07,A-1,5\n",
			opt:  sm3,
			recs: []string{"2 A-1 day 2014-04-07 oil=5 Sm3"},
		},
		{
			name:   "CROnlyLineEndings",
			in:     "date,well,oil[bbl]\r2014-04-07,A-1,5\r2014-04-08,A-1,-6\r",
			recs:   []string{"2 A-1 day 2014-04-07 oil=5 bbl", "3 A-1 day 2014-04-08 oil=-6 bbl"},
			issues: []string{"3 negative oil[bbl]: negative oil volume -6: kept"},
		},
		{
			name: "CRLFLineEndings",
			in:   "date,well,oil[bbl]\r\n2014-04-07,A-1,5\r\n\r\n2014-04-09,A-1,6\r\n",
			recs: []string{"2 A-1 day 2014-04-07 oil=5 bbl", "4 A-1 day 2014-04-09 oil=6 bbl"},
		},
		{
			name: "SemicolonDecimalComma",
			in:   "Date;Well;Oil [Sm3];Gas [Sm3]\n07.04.2014;A-1;12,5;1 234,5\n08.04.2014;A-1;\"1.234,5\";0\n",
			recs: []string{
				"2 A-1 day 2014-04-07 oil=12.5 Sm3 gas=1234.5 Sm3",
				"3 A-1 day 2014-04-08 oil=1234.5 Sm3 gas=0 Sm3",
			},
		},
		{
			name: "TabDelimited",
			in:   "date\twell\toil [bbl]\tgas [Mcf]\n2014-04-07\tA 1\t5\t7.5\n",
			recs: []string{"2 A 1 day 2014-04-07 oil=5 bbl gas=7.5 Mcf"},
		},
		{
			name: "UnitsInHeaderNormalised",
			in: "DATE,WELL NAME,OIL_BBL,Gas Mcf,Water(bbls),WI[SM3],GI [sm³],ON_STREAM_HRS\n" +
				"2014-04-07,A-1,1,2,3,4,5,6\n",
			recs: []string{"2 A-1 day 2014-04-07 oil=1 bbl gas=2 Mcf water=3 bbl water_injected=4 Sm3 gas_injected=5 Sm3 h=6"},
		},
		{
			name: "UnitsRowUnderHeader",
			in:   "Wellbore name,NPDCode,Year,Month,On Stream,Oil,Gas\n,,,,hrs,Sm3,MSm3\nF-1,7405,2014,4,227.5,11142.47,1.6\n",
			recs: []string{"3 7405 month 2014-04-01 oil=11142.47 Sm3 gas=1.6 MSm3 h=227.5"},
			check: func(t *testing.T, res *production.Result) {
				if s := res.Sheets[0]; s.HeaderRow != 1 || s.UnitsRow != 2 || s.Period != production.Month {
					t.Errorf("sheet %+v", s)
				}
			},
		},
		{
			name: "NULLCellIsBlank",
			in:   "date,well,oil,gas,water\n2014-04-07,A-1,NULL,5,\n",
			opt:  sm3,
			recs: []string{"2 A-1 day 2014-04-07 gas=5 Sm3"},
		},
		{
			name:   "NegativeVolumeKeptAndReported",
			in:     "date,well,oil,water\n2014-04-07,A-1,5,1\n2014-04-08,A-1,4,-14.19\n",
			opt:    sm3,
			recs:   []string{"2 A-1 day 2014-04-07 oil=5 Sm3 water=1 Sm3", "3 A-1 day 2014-04-08 oil=4 Sm3 water=-14.19 Sm3"},
			issues: []string{"3 negative water: negative water volume -14.19: kept"},
		},
		{
			name:   "BadDateRowSkipped",
			in:     "date,well,oil\n2014-04-07,A-1,5\n2014-13-45,A-1,6\n2014-04-09,A-1,7\n",
			opt:    sm3,
			recs:   []string{"2 A-1 day 2014-04-07 oil=5 Sm3", "4 A-1 day 2014-04-09 oil=7 Sm3"},
			issues: []string{`3 bad_date date: row skipped: not a date: "2014-13-45"`},
			check: func(t *testing.T, res *production.Result) {
				if res.RowsRead != 3 {
					t.Errorf("rows read %d, want 3", res.RowsRead)
				}
			},
		},
		{
			name: "LongDayKeptAndReported",
			in:   "date,well,oil,hours\n2014-10-26,A-1,5,25\n2014-10-27,A-1,5,26\n",
			opt:  sm3,
			recs: []string{"2 A-1 day 2014-10-26 oil=5 Sm3 h=25", "3 A-1 day 2014-10-27 oil=5 Sm3 h=26"},
			issues: []string{
				"2 long_day hours: on-stream hours 25 exceed the 24 hours of 2014-10-26 (the day clocks go back for daylight saving?): kept",
				"3 long_day hours: on-stream hours 26 exceed the 24 hours of 2014-10-27: kept",
			},
		},
		{
			name:   "DuplicateKeepsFirst",
			in:     "date,well,oil\n2014-04-07,A-1,5\n2014-04-08,A-1,6\n2014-04-07,A-1,7\n",
			opt:    sm3,
			recs:   []string{"2 A-1 day 2014-04-07 oil=5 Sm3", "3 A-1 day 2014-04-08 oil=6 Sm3"},
			issues: []string{"4 duplicate: row skipped: well A-1 already has a day record for 2014-04-07 (row 2)"},
		},
		{
			name: "TitleRowsAboveHeader",
			in:   "Production report\nField: VOLVE\n\ndate,well,oil [Sm3]\n2014-04-07,A-1,5\n",
			recs: []string{"5 A-1 day 2014-04-07 oil=5 Sm3"},
		},
		{
			name:   "QuotedLineBreakCountsAsOneRow",
			in:     "date,well,oil [Sm3],comment\n2014-04-07,A-1,5,\"two\nlines\"\n2014-04-08,A-1,x,\n",
			recs:   []string{"2 A-1 day 2014-04-07 oil=5 Sm3", "3 A-1 day 2014-04-08"},
			issues: []string{`3 bad_value oil [Sm3]: "x" is not a number: left blank`},
		},
		{
			name:   "MonthlyInferredFromDates",
			in:     "date,well,oil [Sm3]\n2014-01-01,A-1,1\n2014-02-01,A-1,2\n",
			recs:   []string{"2 A-1 month 2014-01-01 oil=1 Sm3", "3 A-1 month 2014-02-01 oil=2 Sm3"},
			issues: []string{"1 sheet: rows read as monthly: every date is the first of a month (give period=day if they are daily)"},
		},
		{
			name: "DefaultPeriodOption",
			in:   "date,well,oil [Sm3]\n2014-01-01,A-1,1\n2014-02-01,A-1,2\n",
			opt:  production.Options{DefaultPeriod: production.Day},
			recs: []string{"2 A-1 day 2014-01-01 oil=1 Sm3", "3 A-1 day 2014-02-01 oil=2 Sm3"},
		},
		{
			name: "PeriodColumnAndMonthDates",
			in:   "date,well,period,oil [Sm3]\n2014-04-07,A-1,day,1\n2014-04-30,A-1,Monthly,30\nApr-2014,B-2,m,3\n2014-05,B-2,month,4\n",
			recs: []string{
				"2 A-1 day 2014-04-07 oil=1 Sm3",
				"3 A-1 month 2014-04-01 oil=30 Sm3",
				"4 B-2 month 2014-04-01 oil=3 Sm3",
				"5 B-2 month 2014-05-01 oil=4 Sm3",
			},
		},
		{
			name:   "BadPeriodRowSkipped",
			in:     "date,well,period,oil [Sm3]\n2014-04-07,A-1,week,1\n",
			issues: []string{`2 bad_period period: row skipped: period "week" is neither day nor month`},
		},
		{
			name:   "MissingWellRowSkipped",
			in:     "date,well,oil [Sm3]\n2014-04-07,,1\n2014-04-07,NULL,1\n2014-04-07,A-1,2\n",
			recs:   []string{"4 A-1 day 2014-04-07 oil=2 Sm3"},
			issues: []string{"2 missing_well: row skipped: no well name, UWI or code", "3 missing_well: row skipped: no well name, UWI or code"},
		},
		{
			name: "WellFromOptions",
			in:   "date,oil [Sm3],gas [Sm3]\n2014-04-07,1,2\n",
			opt:  production.Options{Well: production.WellRef{Code: "W1", Name: "Well one"}},
			recs: []string{"2 W1 day 2014-04-07 oil=1 Sm3 gas=2 Sm3"},
		},
		{
			name:   "AmbiguousDateReported",
			in:     "date,well,oil [Sm3]\n03/04/2014,A-1,1\n13/04/2014,A-1,2\n04/13/2014,A-1,3\n",
			recs:   []string{"3 A-1 day 2014-04-13 oil=2 Sm3"},
			issues: []string{`2 bad_date date: row skipped: ambiguous date (day/month or month/day?): write it as YYYY-MM-DD or give the date order: "03/04/2014"`, "4 duplicate: row skipped: well A-1 already has a day record for 2014-04-13 (row 3)"},
		},
		{
			name: "AmbiguousDateDayFirst",
			in:   "date,well,oil [Sm3]\n03/04/2014,A-1,1\n",
			opt:  production.Options{DateOrder: production.DayFirst},
			recs: []string{"2 A-1 day 2014-04-03 oil=1 Sm3"},
		},
		{
			name: "OtherDateForms",
			in: "date,well,oil [Sm3]\n41736,A,1\n20140408,A,2\n07-APR-2014,B,3\n\"Apr 8, 2014\",B,4\n" +
				"2014-04-09T06:00:00Z,A,5\n2014/04/10 00:00,A,6\n",
			recs: []string{
				"2 A day 2014-04-07 oil=1 Sm3", "3 A day 2014-04-08 oil=2 Sm3", "4 B day 2014-04-07 oil=3 Sm3",
				"5 B day 2014-04-08 oil=4 Sm3", "6 A day 2014-04-09 oil=5 Sm3", "7 A day 2014-04-10 oil=6 Sm3",
			},
		},
		{
			name: "UTF16WithBOM",
			in:   utf16LE("date,well,oil [Sm3]\r\n2014-04-07,Å-1,5\r\n"),
			recs: []string{"2 Å-1 day 2014-04-07 oil=5 Sm3"},
		},
		{
			name: "Windows1252",
			in:   "date,well,oil [Sm3]\n2014-04-07,\xc5-1 M\xc6RSK,5\n",
			recs: []string{"2 Å-1 MÆRSK day 2014-04-07 oil=5 Sm3"},
		},
		{
			name:   "FileUnitWinsOverOption",
			in:     "date,well,oil [bbl]\n2014-04-07,A-1,5\n",
			opt:    sm3,
			recs:   []string{"2 A-1 day 2014-04-07 oil=5 bbl"},
			issues: []string{"1 unit oil [bbl]: the file says bbl for oil, the upload Sm3: the file's unit is used"},
		},
		{
			name:   "NoUnitReported",
			in:     "date,well,oil\n2014-04-07,A-1,5\n",
			recs:   []string{"2 A-1 day 2014-04-07 oil=5"},
			issues: []string{"1 unit oil: no unit for oil: declare it in the header (e.g. oil[Sm3]) or with the upload"},
		},
		{
			name:   "UnknownUnitKept",
			in:     "date,well,oil [tonnes]\n2014-04-07,A-1,5\n",
			recs:   []string{"2 A-1 day 2014-04-07 oil=5 tonnes"},
			issues: []string{`1 unit oil [tonnes]: unknown unit "tonnes" for oil: kept as written`},
		},
		{
			name:   "DaysOnlineConvertedToHours",
			in:     "year,month,well,oil [bbl],days online\n2014,2,A-1,300,27.5\n",
			recs:   []string{"2 A-1 month 2014-02-01 oil=300 bbl h=660"},
			issues: []string{"1 unit days online: on-stream days converted to hours (×24)"},
		},
		{
			name: "BlankRowsAndShortRows",
			in:   "date,well,oil [Sm3],gas [Sm3]\n,,,\n2014-04-07,A-1\n",
			recs: []string{"3 A-1 day 2014-04-07"},
		},
		{
			name:   "StrayQuoteReported",
			in:     "date,well,oil [Sm3]\n2014-04-07,A-1,5\n\"2014-04-08,A-1,6\n2014-04-09,A-1,7\n2014-04-10,A-1,8\n",
			recs:   []string{"2 A-1 day 2014-04-07 oil=5 Sm3"},
			issues: []string{`3 bad_date date: row skipped: not a date: "2014-04-08,A-1,6\n2014-04-09,A-1,7\n2014-0…" (a line break inside a cell: a quote that is never closed?)`},
		},
		{
			name:   "NumericCodeAsDecimal",
			in:     "date,npd code,well,oil [Sm3]\n2014-04-07,5351.0,F-14,5\n2014-04-07,5351,F-14,5\n",
			recs:   []string{"2 5351 day 2014-04-07 oil=5 Sm3"},
			issues: []string{"3 duplicate: row skipped: well 5351 already has a day record for 2014-04-07 (row 2)"},
		},
		{
			name: "ErrNoDateColumn",
			in:   "well,oil,gas\nA-1,1,2\n",
			err:  "no date column in the header (row 1: well, oil, gas)",
		},
		{
			name: "ErrNoWellColumn",
			in:   "date,oil\n2014-04-07,5\n",
			err:  "no well column",
		},
		{
			name: "ErrNoVolumeColumn",
			in:   "date,well,pressure\n2014-04-07,A-1,5\n",
			err:  "no volume column",
		},
		{
			name: "ErrNoHeader",
			in:   "Dear operator,\nplease find the figures attached.\n",
			err:  "no recognisable header in the first 30 rows",
		},
		{
			name: "ErrEmptyFile",
			in:   "",
			err:  "the file is empty",
		},
		{
			name: "ErrNotASpreadsheetPNG",
			in:   "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
			err:  "not a CSV file or XLSX workbook: the content is an image",
		},
		{
			name: "ErrNotASpreadsheetBinary",
			in:   "\x00\x01\x02\x03date,well,oil\x00\x00",
			err:  "not a CSV file or XLSX workbook: the content is binary data",
		},
		{
			name: "ErrLegacyXLS",
			in:   "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00",
			err:  "Excel 97-2003 (.xls)",
		},
		{
			name:   "ErrDeclaredXLSXIsNotZip",
			format: "xlsx",
			in:     "date,well,oil\n2014-04-07,A-1,5\n",
			err:    "not an XLSX workbook",
		},
		{
			name:   "ErrUnknownFormat",
			format: "application/pdf",
			in:     "date,well,oil\n",
			err:    `unknown format "application/pdf"`,
		},
		{
			name: "ErrUnknownDefaultPeriod",
			in:   "date,well,oil\n",
			opt:  production.Options{DefaultPeriod: "week"},
			err:  `unknown period "week"`,
		},
		{
			name: "DefaultPeriodSpelledMonthly",
			in:   "date,well,oil [Sm3]\n2014-04-30,A-1,5\n",
			opt:  production.Options{DefaultPeriod: "Monthly"},
			recs: []string{"2 A-1 month 2014-04-01 oil=5 Sm3"},
		},
		{
			name:   "DeclaredCSVMediaType",
			format: "text/csv; charset=utf-8",
			in:     "date,well,oil [Sm3]\n2014-04-07,A-1,5\n",
			recs:   []string{"2 A-1 day 2014-04-07 oil=5 Sm3"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.run(t)
		})
	}
}

func TestParseCSVIssueCap(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("date,well,oil [Sm3]\n")
	for i := 0; i < 50; i++ {
		b.WriteString("not a date,A-1,1\n")
	}
	res, err := production.ParseCSV(strings.NewReader(b.String()), production.Options{MaxIssues: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Issues) != 10 || res.IssuesOmitted != 40 || res.IssueCounts[production.IssueBadDate] != 50 ||
		res.RowsRead != 50 || len(res.Records) != 0 {
		t.Errorf("%d issues listed, %d omitted, counts %v, %d rows read, %d records",
			len(res.Issues), res.IssuesOmitted, res.IssueCounts, res.RowsRead, len(res.Records))
	}
}
