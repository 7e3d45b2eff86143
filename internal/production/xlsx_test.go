package production_test

import (
	"archive/zip"
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/wellbase/wellbase/internal/production"
)

// workbook builds an XLSX workbook in memory: sheets in order, each a list of rows starting at
// row 1 (a nil row leaves that row absent from the file).
func workbook(tb testing.TB, date1904 bool, sheets ...sheetRows) string {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				tb.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			tb.Fatal(err)
		}
		for r, row := range s.rows {
			if row == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.name, cell, &row); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if date1904 {
		on := true
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &on}); err != nil {
			tb.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return buf.String()
}

type sheetRows struct {
	name string
	rows [][]any
}

func zipOf(tb testing.TB, name, content string) string {
	tb.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	fw, err := w.Create(name)
	if err != nil {
		tb.Fatal(err)
	}
	fw.Write([]byte(content))
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.String()
}

func TestParseXLSX(t *testing.T) {
	t.Parallel()
	notes := sheetRows{"Notes", [][]any{{"Volve-like test workbook"}, {"Daily and monthly volumes"}}}
	daily := sheetRows{"Daily Production Data", [][]any{
		{"DATEPRD", "WELL_BORE_CODE", "NPD_WELL_BORE_CODE", "NPD_WELL_BORE_NAME", "ON_STREAM_HRS", "AVG_WHP_P", "BORE_OIL_VOL", "BORE_WI_VOL"},
		{41736, "NO 15/9-F-14 H", 5351, "15/9-F-14", 24, 45.2, 1279.33, nil},
		{time.Date(2014, 4, 8, 0, 0, 0, 0, time.UTC), "NO 15/9-F-14 H", 5351, "15/9-F-14", 25, 45.2, "NULL", nil},
		nil, // a row absent from the file
		{41738, "NO 15/9-F-4 AH", 5693, "15/9-F-4", 24, nil, nil, 4545},
		{"not a date", "NO 15/9-F-4 AH", 5693, "15/9-F-4", 24, nil, nil, 4545},
	}}
	monthly := sheetRows{"Monthly Production Data", [][]any{
		{"Wellbore name", "NPDCode", "Year", "Month", "On Stream", "Oil", "WI"},
		{nil, nil, nil, nil, "hrs", "Sm3", "Sm3"},
		{"15/9-F-14 (monthly)", 5351, 2014, 4, 48, 1279.33, "NULL"},
		{"15/9-F-4", 5693, 2014, 4, 48, nil, 4545},
	}}
	byName := sheetRows{"Wells by UWI", [][]any{
		{"UWI", "Year", "Month", "Gas"},
		{"NO 15/9-F-14 H", 2014, 5, 10},
	}}

	cases := []parseCase{
		{
			name: "OK",
			in:   workbook(t, false, notes, daily, monthly, byName),
			recs: []string{
				"2 5351 day 2014-04-07 oil=1279.33 Sm3 h=24",
				"3 5351 day 2014-04-08 h=25",
				"5 5693 day 2014-04-09 water_injected=4545 Sm3 h=24",
				"3 5351 month 2014-04-01 oil=1279.33 Sm3 h=48",
				"4 5693 month 2014-04-01 water_injected=4545 Sm3 h=48",
				"2 5351 month 2014-05-01 gas=10",
			},
			issues: []string{
				"Notes 0 sheet: sheet skipped: no recognisable header in the first 30 rows: expected columns such as date, well (or UWI, NPD code), oil, gas, water, water injected, gas injected, on-stream hours",
				`Daily Production Data 1 unit: no units in this sheet; taken from the workbook: oil Sm3 from sheet "Monthly Production Data", water_injected Sm3 from sheet "Monthly Production Data"`,
				"Daily Production Data 3 long_day ON_STREAM_HRS: on-stream hours 25 exceed the 24 hours of 2014-04-08 (the day clocks go back for daylight saving?): kept",
				`Daily Production Data 6 bad_date DATEPRD: row skipped: not a date: "not a date"`,
				"Wells by UWI 1 unit Gas: no unit for gas: declare it in the header (e.g. gas[Sm3]) or with the upload",
			},
			check: func(t *testing.T, res *production.Result) {
				type well struct {
					Code, Name, UWI string
					Names, Sheets   []string
				}
				var got []well
				for _, w := range res.Wells {
					got = append(got, well{w.Code, w.Name, w.UWI, w.Names, w.Sheets})
				}
				want := []well{
					{"5351", "15/9-F-14", "NO 15/9-F-14 H", []string{"15/9-F-14", "15/9-F-14 (monthly)"},
						[]string{"Daily Production Data", "Monthly Production Data", "Wells by UWI"}},
					{"5693", "15/9-F-4", "NO 15/9-F-4 AH", []string{"15/9-F-4"},
						[]string{"Daily Production Data", "Monthly Production Data"}},
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("wells (-want +got):\n%s", diff)
				}
				if res.RowsRead != 4+2+1 || res.Format != "xlsx" {
					t.Errorf("rows read %d, format %s", res.RowsRead, res.Format)
				}
				if s := res.Sheets[0]; s.Name != "Notes" || s.HeaderRow != 0 || s.Skipped == "" {
					t.Errorf("notes sheet %+v", s)
				}
				if r := res.Records[3]; r.Sheet != "Monthly Production Data" || r.Well.Name != "15/9-F-14" || r.Well.UWI != "NO 15/9-F-14 H" {
					t.Errorf("monthly record's well is not the joined well: %+v", r)
				}
			},
		},
		{
			name: "Date1904System",
			in: workbook(t, true, sheetRows{"Sheet", [][]any{
				{"date", "well", "oil [bbl]"}, {40274, "A-1", 1},
			}}),
			recs: []string{"2 A-1 day 2014-04-07 oil=1 bbl"},
		},
		{
			name:   "DeclaredCSVButWorkbook",
			format: "csv",
			in:     workbook(t, false, sheetRows{"S", [][]any{{"date", "well", "oil [bbl]"}, {"2014-04-07", "A-1", 1}}}),
			recs:   []string{"2 A-1 day 2014-04-07 oil=1 bbl"},
		},
		{
			name: "ErrNoSheetWithHeader",
			in:   workbook(t, false, notes, sheetRows{"Pressures", [][]any{{"date", "well", "whp"}, {41736, "A", 1}}}),
			err:  `no sheet with production data: sheet "Notes": no recognisable header in the first 30 rows`,
			check: func(t *testing.T, _ *production.Result) {
			},
		},
		{
			name: "ErrNoSheetWithHeaderNamesMissingColumn",
			in:   workbook(t, false, sheetRows{"Pressures", [][]any{{"date", "well", "whp"}, {41736, "A", 1}}}),
			err:  `sheet "Pressures": no volume column`,
		},
		{
			name: "ErrZipButNotWorkbook",
			in:   zipOf(t, "hello.txt", "hello"),
			err:  "a zip archive but not an XLSX workbook",
		},
		{
			name: "ErrTruncatedZip",
			in:   workbook(t, false, daily)[:2000],
			err:  "not an XLSX workbook: not a valid zip archive",
		},
		{
			name: "ErrUnzipsTooLarge",
			in:   workbook(t, false, daily),
			opt:  production.Options{MaxUnzippedBytes: 4000},
			err:  "the workbook unzips to more than",
			code: "too_large",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.run(t)
		})
	}
}
