package production_test

import (
	"testing"
	"time"

	"github.com/wellbase/wellbase/internal/production"
)

func TestRecordPeriod(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		r    production.Record
		days int
		mid  time.Time
		key  string
	}{
		{"Day", production.Record{Well: production.WellRef{Code: "5351"}, Date: date(2014, 10, 26), Period: production.Day},
			1, time.Date(2014, 10, 26, 12, 0, 0, 0, time.UTC), "5351|day|2014-10-26"},
		{"MonthOf31Days", production.Record{Well: production.WellRef{Code: "5351"}, Date: date(2014, 10, 1), Period: production.Month},
			31, time.Date(2014, 10, 16, 12, 0, 0, 0, time.UTC), "5351|month|2014-10-01"},
		{"LeapFebruary", production.Record{Well: production.WellRef{Code: "A"}, Date: date(2016, 2, 1), Period: production.Month},
			29, time.Date(2016, 2, 15, 12, 0, 0, 0, time.UTC), "A|month|2016-02-01"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if d := c.r.Days(); d != c.days {
				t.Errorf("Days() = %d, want %d", d, c.days)
			}
			if m := c.r.Mid(); !m.Equal(c.mid) {
				t.Errorf("Mid() = %v, want %v", m, c.mid)
			}
			if k := c.r.Key().String(); k != c.key {
				t.Errorf("Key() = %s, want %s", k, c.key)
			}
		})
	}
}

func TestParsePeriod(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]production.Period{"day": production.Day, "Daily": production.Day, "D": production.Day,
		"month": production.Month, "MONTHLY": production.Month, "mo": production.Month, "week": "", "": ""} {
		got, ok := production.ParsePeriod(in)
		if got != want || ok != (want != "") {
			t.Errorf("ParsePeriod(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
