package storetest

import (
	"testing"
	"time"

	"github.com/wellbase/wellbase"
)

func day(s string) time.Time {
	d, _ := time.Parse("2006-01-02", s)
	return d
}

func testProduction(t *testing.T, s wellbase.Store) {
	ctx := t.Context()
	createTenant(t, s, "acme")
	createTenant(t, s, "globex")
	acme, globex := s.Tenant("acme"), s.Tenant("globex")
	at := now()
	units := wellbase.ProductionUnits{Oil: "Sm3", Gas: "Sm3", Water: "Sm3"}
	rec := func(well, date, period string, oil float64) *wellbase.ProductionRecord {
		return &wellbase.ProductionRecord{TenantID: "acme", WellID: well, Date: day(date), Period: period, Oil: ptr(oil),
			Gas: ptr(oil * 150), OnStreamHours: ptr(24.0), Units: units, ImportID: "imp_1", UpdatedAt: at}
	}
	recs := []*wellbase.ProductionRecord{rec("wel_a", "2008-02-12", "day", 10), rec("wel_a", "2008-02-13", "day", 20),
		rec("wel_a", "2008-02-14", "day", -1), rec("wel_a", "2008-02-01", "month", 900), rec("wel_b", "2008-02-12", "day", 5)}
	recs[2].Water = nil // a blank stays blank
	n, err := acme.UpsertProduction(ctx, recs)
	checkCode(t, "UpsertProduction", err, "")
	if n != len(recs) {
		t.Errorf("stored %d records, want %d", n, len(recs))
	}
	t.Run("OK", func(t *testing.T) {
		got, err := acme.Production(ctx, wellbase.ProductionQuery{WellID: "wel_a", Period: "day"})
		checkCode(t, "Production", err, "")
		checkEqual(t, "daily records of wel_a", got, recs[:3])
		got, _ = acme.Production(ctx, wellbase.ProductionQuery{WellID: "wel_a", Period: "day", From: day("2008-02-13"), To: day("2008-02-13")})
		checkEqual(t, "records of one day", got, recs[1:2])
		got, _ = acme.Production(ctx, wellbase.ProductionQuery{WellID: "wel_a", Period: "month"})
		checkEqual(t, "monthly records", got, recs[3:4])
	})
	t.Run("UpsertReplaces", func(t *testing.T) {
		again := rec("wel_b", "2008-02-12", "day", 7)
		again.ImportID = "imp_2"
		if _, err := acme.UpsertProduction(ctx, []*wellbase.ProductionRecord{again}); err != nil {
			t.Fatal(err)
		}
		got, _ := acme.Production(ctx, wellbase.ProductionQuery{WellID: "wel_b", Period: "day"})
		checkEqual(t, "replaced record", got, []*wellbase.ProductionRecord{again})
	})
	t.Run("Isolation", func(t *testing.T) {
		got, err := globex.Production(ctx, wellbase.ProductionQuery{WellID: "wel_a", Period: "day"})
		checkCode(t, "Production of another tenant's well", err, "")
		if len(got) != 0 {
			t.Errorf("globex sees %d of acme's records", len(got))
		}
		theirs := rec("wel_a", "2008-02-12", "day", 99)
		theirs.TenantID = "acme"
		globex.UpsertProduction(ctx, []*wellbase.ProductionRecord{theirs})
		mine, _ := acme.Production(ctx, wellbase.ProductionQuery{WellID: "wel_a", Period: "day", From: day("2008-02-12"), To: day("2008-02-12")})
		checkEqual(t, "acme's record after globex wrote the same key", mine, recs[:1])
	})
}

func testForecast(t *testing.T, s wellbase.Store) {
	ctx := t.Context()
	createTenant(t, s, "acme")
	createTenant(t, s, "globex")
	acme, globex := s.Tenant("acme"), s.Tenant("globex")
	f := &wellbase.Forecast{ID: wellbase.NewID("fc"), TenantID: "acme", WellID: "wel_a", JobID: "job_1", Phase: "oil", Unit: "Sm3",
		Model: "hyperbolic", Qi: 1000, DiNominalPerDay: 0.002, DiEffectivePerYear: 0.4, DiConvention: "secant", B: 0.8,
		Fit: wellbase.FitQuality{RMSELog: 0.1, R2: 0.9, PointsUsed: 30}, StartDate: day("2009-01-01"), AbandonmentRate: 1,
		HorizonYears: 30, CumulativeToDate: 5e5, EUR: 9e5, Remaining: 4e5,
		History: []wellbase.RatePoint{{Date: "2009-01-01", Rate: 1000}}, Series: []wellbase.RatePoint{{Date: "2020-01-01", Rate: 50}},
		CreatedAt: now()}
	checkCode(t, "CreateForecast", acme.CreateForecast(ctx, f), "")
	checkCode(t, "CreateForecast duplicate", acme.CreateForecast(ctx, f), wellbase.EConflict)
	got, err := acme.GetForecast(ctx, f.ID)
	checkCode(t, "GetForecast", err, "")
	checkEqual(t, "forecast", got, f)
	_, err = globex.GetForecast(ctx, f.ID)
	checkCode(t, "GetForecast of another tenant", err, wellbase.ENotFound)
}
