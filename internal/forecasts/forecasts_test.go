package forecasts

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/sqlite/sqlitetest"
)

func TestParseParams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, params, field string
	}{
		{"OK", `{"well":"wel_1"}`, ""},
		{"OKFull", `{"well":"wel_1","phase":"gas","model":"auto","start":"2010-01-01","abandonment_rate":10,"terminal_decline_effective_per_year":0.08,"horizon_years":20}`, ""},
		{"ErrWell", `{}`, "params.well"},
		{"ErrPhase", `{"well":"w","phase":"water_injected"}`, "params.phase"},
		{"ErrModel", `{"well":"w","model":"linear"}`, "params.model"},
		{"ErrStart", `{"well":"w","start":"yesterday"}`, "params.start"},
		{"ErrTerminal", `{"well":"w","terminal_decline_effective_per_year":8}`, "params.terminal_decline_effective_per_year"},
		{"ErrModifiedNeedsTerminal", `{"well":"w","model":"modified-hyperbolic"}`, "params.terminal_decline_effective_per_year"},
		{"ErrHorizon", `{"well":"w","horizon_years":500}`, "params.horizon_years"},
	}
	for _, tt := range tests {
		_, err := ParseParams(json.RawMessage(tt.params))
		if wellbase.ErrorField(err) != tt.field || (tt.field == "") != (err == nil) {
			t.Errorf("%s: %v, want field %q", tt.name, err, tt.field)
		}
	}
	if _, err := ParseParams(json.RawMessage(`{"well":"w","colour":"red"}`)); wellbase.ErrorField(err) != "params.colour" {
		t.Errorf("unknown param: %v", err)
	}
	if _, err := ParseParams(json.RawMessage(`{"well":"w","horizon_years":"long"}`)); wellbase.ErrorField(err) != "params.horizon_years" ||
		strings.Contains(wellbase.ErrorMessage(err), "float64") {
		t.Errorf("wrong type: %v", err)
	}
}

// TestRun fits monthly volumes made from a known hyperbolic decline (with a build-up month and
// a shut-in month) and checks the stored forecast.
func TestRun(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := sqlitetest.Open(t)
	ts := db.Tenant("acme")
	now := time.Now().UTC()
	well := &wellbase.Well{ID: wellbase.NewID("wel"), Name: "SYN-1", CreatedAt: now, UpdatedAt: now}
	if err := ts.CreateWell(ctx, well); err != nil {
		t.Fatal(err)
	}
	qi, di, b := 1000.0, 0.004, 0.6 // per day
	start := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	var recs []*wellbase.ProductionRecord
	cum := 0.0
	for m := range 48 {
		d := start.AddDate(0, m, 0)
		days := d.AddDate(0, 1, 0).Sub(d).Hours() / 24
		tmid := d.Sub(start).Hours()/24 + days/2 - 15 // t = 0 at the second month's middle, roughly
		rate := qi * math.Pow(1+b*di*math.Max(tmid, 0), -1/b)
		switch m {
		case 0:
			rate = 200 // build-up before the peak
		case 20:
			rate = 0 // shut in
		}
		v := rate * days
		cum += v
		recs = append(recs, &wellbase.ProductionRecord{WellID: well.ID, Date: d, Period: wellbase.PeriodMonth, Oil: &v,
			Units: wellbase.ProductionUnits{Oil: "Sm3"}, ImportID: "imp", UpdatedAt: now})
	}
	if _, err := ts.UpsertProduction(ctx, recs); err != nil {
		t.Fatal(err)
	}
	job := &wellbase.Job{ID: wellbase.NewID("job"), Params: json.RawMessage(`{"well":"` + well.ID + `","model":"hyperbolic","abandonment_rate":5,"horizon_years":30}`)}
	f, err := Run(ctx, ts, job, now)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("qi %.1f Di %.5f/d b %.3f R² %.4f EUR %.0f (cum %.0f)", f.Qi, f.DiNominalPerDay, f.B, f.Fit.R2, f.EUR, f.CumulativeToDate)
	if math.Abs(f.B-b) > 0.1 || math.Abs(f.DiNominalPerDay-di)/di > 0.2 || f.Fit.R2 < 0.99 {
		t.Errorf("fit b %.3f Di %.5f R² %.4f; made with b %.1f Di %.4f", f.B, f.DiNominalPerDay, f.Fit.R2, b, di)
	}
	if math.Abs(f.CumulativeToDate-cum) > 1e-6*cum || f.EUR <= f.CumulativeToDate || f.Unit != "Sm3" || f.Fit.PointsDropped != 1 {
		t.Errorf("cum %.0f (want %.0f), EUR %.0f, unit %q, dropped %d", f.CumulativeToDate, cum, f.EUR, f.Unit, f.Fit.PointsDropped)
	}
	for i := 1; i < len(f.Series); i++ {
		if f.Series[i].Rate > f.Series[i-1].Rate || f.Series[i].Date <= f.Series[i-1].Date {
			t.Fatalf("series not a decline in time at %d: %v %v", i, f.Series[i-1], f.Series[i])
		}
	}
	if last := f.Series[len(f.Series)-1]; last.Rate > 5*1.01 && last.Date < "2043-01-01" {
		t.Errorf("forecast ends at %v, neither at the abandonment rate nor the horizon", last)
	}
	if got, err := ts.GetForecast(ctx, f.ID); err != nil || got.EUR != f.EUR {
		t.Errorf("stored forecast: %v %v", got, err)
	}
	// An attempt run again under the job's ID as ID seed (its worker died after storing the
	// forecast, before the job's end was recorded) answers the forecast the first made.
	seeded := wellbase.WithIDSeed(ctx, job.ID)
	first, err := Run(seeded, ts, job, now)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Run(wellbase.WithIDSeed(ctx, job.ID), ts, job, now.Add(time.Minute))
	if err != nil || again.ID != first.ID || !again.CreatedAt.Equal(first.CreatedAt) {
		t.Errorf("the rerun answered %v (err %v), want forecast %s as first stored", again, err, first.ID)
	}
	if first.ID == f.ID {
		t.Errorf("the seeded run reused the unseeded forecast's ID %s", f.ID)
	}
	// No production of the phase: a clear, permanent error.
	job.Params = json.RawMessage(`{"well":"` + well.ID + `","phase":"gas"}`)
	if _, err := Run(ctx, ts, job, now); wellbase.ErrorCode(err) != wellbase.EInvalid {
		t.Errorf("fit without gas data: %v, want invalid", err)
	}
}
