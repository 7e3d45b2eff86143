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
	// A re-import never loses what the new file lacks: one case per kind of field.
	merge := func(t *testing.T, well string, first, second, want *wellbase.ProductionRecord) {
		t.Helper()
		for _, r := range []*wellbase.ProductionRecord{first, second} {
			r.TenantID, r.WellID, r.Date, r.Period, r.UpdatedAt = "acme", well, day("2010-05-01"), "day", at
			if _, err := acme.UpsertProduction(ctx, []*wellbase.ProductionRecord{r}); err != nil {
				t.Fatal(err)
			}
		}
		want.TenantID, want.WellID, want.Date, want.Period, want.UpdatedAt, want.ImportID = "acme", well, day("2010-05-01"), "day", at, second.ImportID
		got, err := acme.Production(ctx, wellbase.ProductionQuery{WellID: well, Period: "day"})
		checkCode(t, "Production", err, "")
		checkEqual(t, "merged record", got, []*wellbase.ProductionRecord{want})
	}
	t.Run("UpsertKeepsUnits", func(t *testing.T) {
		// The Volve workbook (units Sm3), then the daily CSV of the same volumes (no units).
		merge(t, "wel_u",
			&wellbase.ProductionRecord{Oil: ptr(100.0), Gas: ptr(9000.0), Units: wellbase.ProductionUnits{Oil: "Sm3", Gas: "Sm3"}, ImportID: "imp_x"},
			&wellbase.ProductionRecord{Oil: ptr(101.0), Gas: ptr(9000.0), ImportID: "imp_c"},
			&wellbase.ProductionRecord{Oil: ptr(101.0), Gas: ptr(9000.0), Units: wellbase.ProductionUnits{Oil: "Sm3", Gas: "Sm3"}})
	})
	t.Run("UpsertReplacesUnitGiven", func(t *testing.T) {
		merge(t, "wel_r",
			&wellbase.ProductionRecord{Oil: ptr(100.0), Units: wellbase.ProductionUnits{Oil: "Sm3"}, ImportID: "imp_1"},
			&wellbase.ProductionRecord{Oil: ptr(629.0), Units: wellbase.ProductionUnits{Oil: "bbl"}, ImportID: "imp_2"},
			&wellbase.ProductionRecord{Oil: ptr(629.0), Units: wellbase.ProductionUnits{Oil: "bbl"}})
	})
	t.Run("UpsertKeepsOnStreamHours", func(t *testing.T) {
		merge(t, "wel_h",
			&wellbase.ProductionRecord{Oil: ptr(10.0), OnStreamHours: ptr(22.5), ImportID: "imp_1"},
			&wellbase.ProductionRecord{Oil: ptr(11.0), ImportID: "imp_2"},
			&wellbase.ProductionRecord{Oil: ptr(11.0), OnStreamHours: ptr(22.5)})
	})
	t.Run("UpsertKeepsOtherPhases", func(t *testing.T) {
		// A file of oil alone after one of every phase: water, gas and injection stay.
		merge(t, "wel_p",
			&wellbase.ProductionRecord{Oil: ptr(10.0), Gas: ptr(1500.0), Water: ptr(3.0), WaterInjected: ptr(40.0), GasInjected: ptr(7.0),
				Units: wellbase.ProductionUnits{Oil: "Sm3", Gas: "Sm3", Water: "Sm3", WaterInjected: "Sm3", GasInjected: "Sm3"}, ImportID: "imp_1"},
			&wellbase.ProductionRecord{Oil: ptr(12.0), Units: wellbase.ProductionUnits{Oil: "Sm3"}, ImportID: "imp_2"},
			&wellbase.ProductionRecord{Oil: ptr(12.0), Gas: ptr(1500.0), Water: ptr(3.0), WaterInjected: ptr(40.0), GasInjected: ptr(7.0),
				Units: wellbase.ProductionUnits{Oil: "Sm3", Gas: "Sm3", Water: "Sm3", WaterInjected: "Sm3", GasInjected: "Sm3"}})
	})
	t.Run("UpsertZeroIsAValue", func(t *testing.T) {
		merge(t, "wel_z",
			&wellbase.ProductionRecord{Oil: ptr(10.0), OnStreamHours: ptr(24.0), ImportID: "imp_1"},
			&wellbase.ProductionRecord{Oil: ptr(0.0), OnStreamHours: ptr(0.0), ImportID: "imp_2"},
			&wellbase.ProductionRecord{Oil: ptr(0.0), OnStreamHours: ptr(0.0)})
	})
	t.Run("UpsertSameKeyTwiceInOneCall", func(t *testing.T) {
		// A file may hold one date twice, in one write batch or in two (drivers send up to 1000
		// records at once): each merges in the file's order.
		key := func(r *wellbase.ProductionRecord) *wellbase.ProductionRecord {
			r.WellID, r.Date, r.Period, r.UpdatedAt = "wel_k", day("2011-03-01"), "day", at
			return r
		}
		if _, err := acme.UpsertProduction(ctx, []*wellbase.ProductionRecord{key(&wellbase.ProductionRecord{Oil: ptr(1.0), ImportID: "imp_1"})}); err != nil {
			t.Fatal(err)
		}
		batch := []*wellbase.ProductionRecord{key(&wellbase.ProductionRecord{Oil: ptr(2.0), Gas: ptr(5.0), ImportID: "imp_2"})}
		for i := range 1000 {
			batch = append(batch, &wellbase.ProductionRecord{WellID: "wel_f", Date: day("2000-01-01").AddDate(0, 0, i), Period: "day",
				Oil: ptr(float64(i)), ImportID: "imp_2", UpdatedAt: at})
		}
		batch = append(batch, key(&wellbase.ProductionRecord{Oil: ptr(1.0), ImportID: "imp_2"}))
		if n, err := acme.UpsertProduction(ctx, batch); err != nil || n != len(batch) {
			t.Fatalf("UpsertProduction = %d, %v; want %d", n, err, len(batch))
		}
		got, err := acme.Production(ctx, wellbase.ProductionQuery{WellID: "wel_k", Period: "day"})
		checkCode(t, "Production", err, "")
		if len(got) != 1 || got[0].Oil == nil || *got[0].Oil != 1 || got[0].Gas == nil || *got[0].Gas != 5 {
			t.Errorf("record written three times (oil 1; oil 2, gas 5; oil 1): %+v, want oil 1, gas 5", got)
		}
		filler, _ := acme.Production(ctx, wellbase.ProductionQuery{WellID: "wel_f", Period: "day"})
		if len(filler) != 1000 {
			t.Errorf("%d records of the 1000 between them stored", len(filler))
		}
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
