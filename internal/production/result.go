package production

import (
	"time"
)

// IssueKind classifies an Issue.
type IssueKind string

// The kinds of issues. Rows with a skipped-kind issue are not in Result.Records; the others are.
const (
	IssueNegative  IssueKind = "negative"     // a negative volume or on-stream hours: kept as read
	IssueLongDay   IssueKind = "long_day"     // on-stream hours above the period's calendar hours (a 25-hour daylight-saving day): kept
	IssueBadValue  IssueKind = "bad_value"    // a volume or hours cell that is not a number: that value is left blank, the row kept
	IssueBadDate   IssueKind = "bad_date"     // no readable date: row skipped
	IssueNoWell    IssueKind = "missing_well" // no well name, UWI or code: row skipped
	IssueBadPeriod IssueKind = "bad_period"   // a period cell other than day or month: row skipped
	IssueDuplicate IssueKind = "duplicate"    // a second row for the same well, period and date: skipped, the first row kept
	IssueBadRow    IssueKind = "bad_row"      // a CSV row that cannot be split into fields: skipped
	IssueUnit      IssueKind = "unit"         // a unit missing, unknown, taken from another sheet, or on-stream days converted to hours
	IssueSheet     IssueKind = "sheet"        // a sheet skipped, or its period inferred from its dates
)

// Issue is something in the file a user should know about, located as a spreadsheet shows it.
// Sheet is "" for CSV; Row is 1-based (the header row for sheet-wide issues, 0 for the whole
// file); Column is the header of the cell concerned, if any.
type Issue struct {
	Sheet   string    `json:"sheet"`
	Row     int       `json:"row"`
	Column  string    `json:"column,omitempty"`
	Kind    IssueKind `json:"kind"`
	Message string    `json:"message"`
}

// Result is what a file gives: its records, the wells they belong to, and the issues found.
type Result struct {
	// Format is "csv" or "xlsx".
	Format string `json:"format"`
	// Records are in file order (sheet by sheet, row by row), one per (well code, period, date):
	// see Record.Key. Every record of a well carries the same WellRef as Wells.
	Records []Record `json:"-"`
	// RowsRead counts non-blank data rows (header, units and title rows excluded), kept or not.
	RowsRead int `json:"rows_read"`
	// Wells lists each well once, in order of first appearance.
	Wells []WellSummary `json:"wells"`
	// Issues are ordered by sheet and row; at most Options.MaxIssues are listed, IssuesOmitted
	// says how many more there were and IssueCounts counts all by kind.
	Issues        []Issue           `json:"issues"`
	IssuesOmitted int               `json:"issues_omitted,omitempty"`
	IssueCounts   map[IssueKind]int `json:"issue_counts,omitempty"`
	// Sheets describes how each sheet (one for CSV) was read.
	Sheets []SheetInfo `json:"sheets"`
}

// Well returns the summary of the well with the given code, or nil.
func (r *Result) Well(code string) *WellSummary {
	for i := range r.Wells {
		if r.Wells[i].Code == code {
			return &r.Wells[i]
		}
	}
	return nil
}

// WellSummary describes one well of a file.
type WellSummary struct {
	WellRef
	// Names are the distinct well names seen in the file, first seen first (e.g. the daily and
	// the monthly sheet's spellings).
	Names []string `json:"names"`
	// Sheets are the sheets the well appears in.
	Sheets  []string        `json:"sheets,omitempty"`
	Periods []PeriodSummary `json:"periods"`
}

// Period returns the summary of the well's records of period p, or nil.
func (w *WellSummary) Period(p Period) *PeriodSummary {
	for i := range w.Periods {
		if w.Periods[i].Period == p {
			return &w.Periods[i]
		}
	}
	return nil
}

// Cumulative returns the sum of the well's volumes of phase ph over its records of period p, and
// their unit. ok is false when there is no such value or the records mix units (see Totals).
func (w *WellSummary) Cumulative(p Period, ph Phase) (volume float64, unit string, ok bool) {
	ps := w.Period(p)
	if ps == nil {
		return 0, "", false
	}
	n := 0
	for _, t := range ps.Totals {
		if t.Phase == ph {
			volume, unit = t.Volume, t.Unit
			n++
		}
	}
	return volume, unit, n == 1
}

// PeriodSummary sums one well's records of one period.
type PeriodSummary struct {
	Period Period `json:"period"`
	// Rows counts records (rows kept); First and Last are the first and last record dates.
	Rows  int       `json:"rows"`
	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
	// Totals holds one cumulative per phase and unit, in phase order; a phase whose records are
	// all blank is absent.
	Totals []Total `json:"totals"`
}

// Total is a cumulative volume: the sum of Count non-blank values, negatives included
// (compensated summation, so it is the exact sum rounded once).
type Total struct {
	Phase  Phase   `json:"phase"`
	Unit   string  `json:"unit"`
	Volume float64 `json:"volume"`
	Count  int     `json:"count"`
}

// SheetInfo says how one sheet was read.
type SheetInfo struct {
	Name string `json:"name"`
	// HeaderRow is the 1-based header row, 0 when the sheet was skipped (see Skipped).
	HeaderRow int `json:"header_row"`
	// UnitsRow is the row of units under the header, 0 if none.
	UnitsRow int `json:"units_row,omitempty"`
	// Period is the period of rows without a period cell, and PeriodFrom what decided it:
	// "period column", "option", "year and month columns", "month column", "sheet name",
	// "dates" (all on the first of a month) or "default".
	Period     Period   `json:"period"`
	PeriodFrom string   `json:"period_from"`
	Columns    []Column `json:"columns,omitempty"`
	// Ignored lists header cells not used (pressures, choke, …).
	Ignored  []string `json:"ignored,omitempty"`
	RowsRead int      `json:"rows_read"`
	Records  int      `json:"records"`
	Skipped  string   `json:"skipped,omitempty"`
}

// Column is one column used by the parser: its header as written, the field it fills ("date",
// "year", "month", "well", "uwi", "code", "period", "oil", "gas", "water", "water_injected",
// "gas_injected", "on_stream_hours") and the unit in effect ("" if none), with where that unit
// came from: "header", "units row", "option", "sheet <name>" or "".
type Column struct {
	Index    int    `json:"index"` // 0-based
	Header   string `json:"header"`
	Field    string `json:"field"`
	Unit     string `json:"unit,omitempty"`
	UnitFrom string `json:"unit_from,omitempty"`
}
