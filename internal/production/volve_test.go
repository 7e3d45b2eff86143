package production_test

import (
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wellbase/wellbase/internal/production"
)

// volveDir holds the Volve production workbook and its two CSVs (see shared/data/SOURCES.md).
// The files are read where they are, never copied into the repository.
const volveDir = "../../../shared/data/production/volve"

const (
	volveXLSX       = "Volve production data.xlsx"
	volveDailyCSV   = "volve_daily_production.csv"
	volveMonthlyCSV = "volve_monthly_production.csv"
)

// volveRef is what the acceptance check (shared/acceptance/production-dca) expects of the daily
// oil series: the number of daily points and their sum, in Sm3.
var volveRef = map[string]struct {
	rows int
	oil  float64
}{
	"15/9-F-14": {3056, 3942233.39},
	"15/9-F-12": {3056, 4579609.55},
}

type parsed struct {
	once sync.Once
	res  *production.Result
	err  error
}

var (
	volveMu    sync.Mutex
	volveCache = map[string]*parsed{}
)

// parseVolve parses one Volve file once per test binary (the workbook takes seconds under the race
// detector; different files parse in parallel) and skips the test when the shared data are absent.
func parseVolve(tb testing.TB, name string, opt production.Options) *production.Result {
	tb.Helper()
	path := filepath.Join(volveDir, name)
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("Volve production data not available (%s): %v", path, err)
	}
	volveMu.Lock()
	p, ok := volveCache[name]
	if !ok {
		p = &parsed{}
		volveCache[name] = p
	}
	volveMu.Unlock()
	p.once.Do(func() {
		f, err := os.Open(path)
		if err != nil {
			p.err = err
			return
		}
		defer f.Close()
		p.res, p.err = production.Parse(f, "", opt)
	})
	if p.err != nil {
		tb.Fatalf("parse %s: %v", name, p.err)
	}
	return p.res
}

// sm3 is the unit of every Volve volume column.
var sm3 = production.Units{Oil: "Sm3", Gas: "Sm3", Water: "Sm3", WaterInjected: "Sm3", GasInjected: "Sm3"}

func TestVolveWorkbook(t *testing.T) {
	t.Parallel()
	res := parseVolve(t, volveXLSX, production.Options{})

	t.Run("AcceptanceDailyOil", func(t *testing.T) {
		// As the acceptance check counts: every daily point of the well's oil series, summed.
		for name, ref := range volveRef {
			var rows int
			var oil float64
			for i := range res.Records {
				r := &res.Records[i]
				if r.Well.Name != name || r.Period != production.Day {
					continue
				}
				if r.Oil == nil {
					t.Fatalf("%s row %d: no oil volume", name, r.Row)
				}
				rows++
				oil += *r.Oil
			}
			if rows != ref.rows || math.Abs(oil-ref.oil) > 0.005 {
				t.Errorf("%s: %d daily oil points, cumulative %.2f Sm3; want %d and %.2f", name, rows, oil, ref.rows, ref.oil)
			}
			var w *production.WellSummary
			for i := range res.Wells {
				if res.Wells[i].Name == name {
					w = &res.Wells[i]
				}
			}
			cum, unit, ok := w.Cumulative(production.Day, production.Oil)
			if !ok || unit != "Sm3" || math.Abs(cum-ref.oil) > 0.005 || w.Period(production.Day).Rows != ref.rows {
				t.Errorf("%s summary: %v %s %v, %d rows; want %.2f Sm3, %d rows", name, cum, unit, ok, w.Period(production.Day).Rows, ref.oil, ref.rows)
			}
		}
	})

	t.Run("SevenWellsJoinedByCode", func(t *testing.T) {
		type well struct {
			Code, Name, UWI string
			Names           []string
			Days, Months    int
		}
		var got []well
		for _, w := range res.Wells {
			got = append(got, well{w.Code, w.Name, w.UWI, w.Names, w.Period(production.Day).Rows, w.Period(production.Month).Rows})
		}
		want := []well{
			{"7405", "15/9-F-1 C", "NO 15/9-F-1 C", []string{"15/9-F-1 C"}, 746, 25},
			{"7078", "15/9-F-11", "NO 15/9-F-11 H", []string{"15/9-F-11"}, 1165, 39},
			{"5599", "15/9-F-12", "NO 15/9-F-12 H", []string{"15/9-F-12"}, 3056, 104},
			{"5351", "15/9-F-14", "NO 15/9-F-14 H", []string{"15/9-F-14"}, 3056, 104},
			{"7289", "15/9-F-15 D", "NO 15/9-F-15 D", []string{"15/9-F-15 D"}, 978, 33},
			{"5693", "15/9-F-4", "NO 15/9-F-4 AH", []string{"15/9-F-4"}, 3327, 112},
			{"5769", "15/9-F-5", "NO 15/9-F-5 AH", []string{"15/9-F-5"}, 3306, 109},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("wells (-want +got):\n%s", diff)
		}
		// The monthly sheet is the sum of the daily sheet, well by well: the join is right.
		for _, w := range res.Wells {
			for _, ph := range production.Phases() {
				d, du, dok := w.Cumulative(production.Day, ph)
				m, mu, mok := w.Cumulative(production.Month, ph)
				if dok != mok || du != mu || math.Abs(d-m) > 0.01 {
					t.Errorf("%s %s: daily %v %s (%v), monthly %v %s (%v)", w.Name, ph, d, du, dok, m, mu, mok)
				}
			}
		}
		for _, r := range res.Records {
			if w := res.Well(r.Well.Code); w == nil || r.Well != w.WellRef {
				t.Fatalf("%s row %d: well %+v is not the summary's", r.Sheet, r.Row, r.Well)
			}
		}
	})

	t.Run("RowsDatesUnitsAndNulls", func(t *testing.T) {
		if res.Format != "xlsx" || res.RowsRead != 15634+526 || len(res.Records) != res.RowsRead {
			t.Errorf("format %s, %d rows read, %d records; want xlsx, 16160, 16160", res.Format, res.RowsRead, len(res.Records))
		}
		first := res.Records[0] // Excel serial 41736
		if first.Sheet != "Daily Production Data" || first.Row != 2 || !first.Date.Equal(date(2014, 4, 7)) ||
			first.Period != production.Day || first.Well.Code != "7405" || first.WaterInjected != nil {
			t.Errorf("first record: %+v", first)
		}
		for _, r := range res.Records {
			if r.Units != sm3 && !(r.Period == production.Day && r.Units == production.Units{Oil: "Sm3", Gas: "Sm3", Water: "Sm3", WaterInjected: "Sm3"}) {
				t.Fatalf("%s row %d: units %+v", r.Sheet, r.Row, r.Units)
			}
			if r.Period == production.Month && (r.GasInjected != nil || r.Date.Day() != 1) {
				t.Fatalf("monthly row %d: GI %v (NULL in the sheet), date %v", r.Row, r.GasInjected, r.Date)
			}
		}
		blankOil := 0
		for _, r := range res.Records {
			if r.Well.Code == "5693" && r.Period == production.Day && r.Oil == nil {
				blankOil++ // F-4 is an injector: its oil cells are blank
			}
		}
		if blankOil != 3327 {
			t.Errorf("F-4: %d blank daily oil volumes, want 3327", blankOil)
		}
		sheets := res.Sheets
		if len(sheets) != 2 || sheets[1].UnitsRow != 2 || sheets[1].Period != production.Month || sheets[0].Period != production.Day {
			t.Errorf("sheets: %+v", sheets)
		}
	})

	t.Run("IssuesByKind", func(t *testing.T) {
		want := map[production.IssueKind]int{production.IssueLongDay: 24, production.IssueNegative: 4, production.IssueUnit: 1}
		if diff := cmp.Diff(want, res.IssueCounts); diff != "" {
			t.Errorf("issue counts (-want +got):\n%s", diff)
		}
		wantSome := []production.Issue{
			{Sheet: "Daily Production Data", Row: 1984, Column: "BORE_WAT_VOL", Kind: production.IssueNegative,
				Message: "negative water volume -14.19: kept"},
			{Sheet: "Monthly Production Data", Row: 147, Column: "On Stream", Kind: production.IssueLongDay,
				Message: "on-stream hours 745 exceed the 744 hours of 2014-10 (the day clocks go back for daylight saving?): kept"},
		}
		for _, w := range wantSome {
			found := false
			for _, is := range res.Issues {
				found = found || is == w
			}
			if !found {
				t.Errorf("missing issue %+v", w)
			}
		}
		for _, r := range res.Records {
			if r.Sheet == "Daily Production Data" && r.Row == 1984 {
				if r.Water == nil || *r.Water != -14.19 || r.Well.Code != "5599" {
					t.Errorf("row 1984: negative water not kept: %+v", r)
				}
			}
		}
	})
}

func TestVolveCSVsMatchWorkbook(t *testing.T) {
	t.Parallel()
	// The CSVs first: they parse while TestVolveWorkbook parses the workbook.
	daily := parseVolve(t, volveDailyCSV, production.Options{Units: sm3})
	monthly := parseVolve(t, volveMonthlyCSV, production.Options{})
	book := parseVolve(t, volveXLSX, production.Options{})

	// The daily CSV declares no units (they are given as options); the workbook's daily sheet takes
	// them from its monthly sheet. The CSVs' dates are ISO, the workbook's Excel serials. Only the
	// monthly CSV, read alone, cannot know the wells' UWIs.
	fromCSV := append(append([]production.Record(nil), daily.Records...), monthly.Records...)
	if len(fromCSV) != len(book.Records) {
		t.Fatalf("%d records from the CSVs, %d from the workbook", len(fromCSV), len(book.Records))
	}
	eq := func(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	bad := 0
	for i := range fromCSV {
		c, w := &fromCSV[i], &book.Records[i]
		same := c.Key() == w.Key() && c.Well.Name == w.Well.Name && c.Row == w.Row && c.Units == w.Units &&
			eq(c.Oil, w.Oil) && eq(c.Gas, w.Gas) && eq(c.Water, w.Water) && eq(c.WaterInjected, w.WaterInjected) &&
			eq(c.GasInjected, w.GasInjected) && eq(c.OnStreamHours, w.OnStreamHours)
		if !same {
			t.Errorf("record %d: CSV %s, workbook %s", i, render(*c), render(*w))
			if bad++; bad == 5 {
				t.FailNow()
			}
		}
	}
	if daily.IssueCounts[production.IssueUnit] != 0 || monthly.IssueCounts[production.IssueLongDay] != 4 {
		t.Errorf("CSV issues: daily %v, monthly %v", daily.IssueCounts, monthly.IssueCounts)
	}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
