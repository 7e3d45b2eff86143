package production

import (
	"strings"
	"time"
)

// Period is the length of time one Record covers.
type Period string

// The periods of production records.
const (
	Day   Period = "day"   // one calendar day; Record.Date is that day at 00:00 UTC
	Month Period = "month" // one calendar month; Record.Date is its first day at 00:00 UTC
)

// ParsePeriod reads a period as written in a file or a query: "day", "d", "daily" → Day;
// "month", "m", "mo", "mon", "monthly" → Month (case-insensitive). ok is false otherwise.
func ParsePeriod(s string) (p Period, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "day", "d", "daily", "days":
		return Day, true
	case "month", "m", "mo", "mon", "mth", "monthly", "months":
		return Month, true
	}
	return "", false
}

// Phase names one volume series of a Record.
type Phase string

// The phases of a Record, in the order summaries list them.
const (
	Oil           Phase = "oil"
	Gas           Phase = "gas"
	Water         Phase = "water"
	WaterInjected Phase = "water_injected"
	GasInjected   Phase = "gas_injected"
)

// Phases returns the phases in summary order: oil, gas, water, water_injected, gas_injected.
func Phases() []Phase { return []Phase{Oil, Gas, Water, WaterInjected, GasInjected} }

var phases = Phases()

// WellRef identifies the well of a Record.
//
// Code is the join key: the official well code (e.g. the NPD wellbore code "5351") when the file
// has such a column, else the UWI, else the name as written. Rows of different sheets of a
// workbook with the same Code are the same well, whatever their names; a sheet without a code
// column is matched to the codes of the other sheets by UWI or name when that is unambiguous.
// Name is the well's name (the first seen for the code, e.g. "15/9-F-14") and UWI its UWI-like
// identifier (a UWI or API number, or a wellbore code such as "NO 15/9-F-14 H"), "" when no sheet
// gives one.
type WellRef struct {
	Code string `json:"code"`
	Name string `json:"name,omitempty"`
	UWI  string `json:"uwi,omitempty"`
}

// Record is one well's production over one Period, as read from one row.
//
// Volumes are in the units of Units (Oil in Units.Oil, …) and are never converted. A nil volume
// is a blank or NULL cell (for example an injector's oil, or the monthly sheet's GI/WI columns);
// 0 is a reported zero. Negative volumes are kept as read and reported as issues. OnStreamHours
// is in hours (see [HoursUnit]); values above the period's calendar hours (25 on a daylight-saving
// day) are kept and reported.
type Record struct {
	Well WellRef
	// Date is 00:00 UTC of the day (Day) or of the first day of the month (Month).
	Date   time.Time
	Period Period

	Oil, Gas, Water            *float64
	WaterInjected, GasInjected *float64
	OnStreamHours              *float64
	Units                      Units

	// Sheet is the worksheet name ("" for CSV) and Row the 1-based row as a spreadsheet shows it.
	Sheet string
	Row   int
}

// Key is the identity of a Record: re-importing a file gives the same keys, so a store can
// upsert on it. Date is "YYYY-MM-DD" (the first of the month for Month).
type Key struct {
	Code   string
	Period Period
	Date   string
}

// String returns "code|period|date".
func (k Key) String() string { return k.Code + "|" + string(k.Period) + "|" + k.Date }

// Key returns the record's identity (well code, period, date).
func (r *Record) Key() Key {
	return Key{Code: r.Well.Code, Period: r.Period, Date: r.Date.Format(time.DateOnly)}
}

// Volume returns the volume of phase p (nil when blank) and its unit.
func (r *Record) Volume(p Phase) (v *float64, unit string) {
	return *r.volume(p), r.Units.Of(p)
}

func (r *Record) volume(p Phase) **float64 {
	switch p {
	case Oil:
		return &r.Oil
	case Gas:
		return &r.Gas
	case Water:
		return &r.Water
	case WaterInjected:
		return &r.WaterInjected
	case GasInjected:
		return &r.GasInjected
	}
	var none *float64
	return &none
}

// End returns the exclusive end of the record's period: the next day or the next month's first day.
func (r *Record) End() time.Time {
	if r.Period == Month {
		return r.Date.AddDate(0, 1, 0)
	}
	return r.Date.AddDate(0, 0, 1)
}

// Days returns the calendar days of the record's period (1 for Day, 28 to 31 for Month): divide a
// volume by it for a calendar-day rate. Divide by OnStreamHours/24 instead for a producing-day rate;
// do not mix the two.
func (r *Record) Days() int {
	return int(r.End().Sub(r.Date) / (24 * time.Hour))
}

// Mid returns the middle of the record's period (noon for a day, about the 16th for a month), the
// time at which to plot or fit a rate over the period.
func (r *Record) Mid() time.Time {
	return r.Date.Add(r.End().Sub(r.Date) / 2)
}
