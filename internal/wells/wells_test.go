package wells_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/production"
	"github.com/wellbase/wellbase/internal/sqlite/sqlitetest"
	"github.com/wellbase/wellbase/internal/wells"
)

func newService(t *testing.T) (*wells.Service, wellbase.Store, context.Context) {
	t.Helper()
	db := sqlitetest.Open(t)
	now := time.Now().UTC()
	if err := db.CreateTenant(t.Context(), &wellbase.Tenant{ID: "acme", Name: "Acme", Tier: wellbase.TierStandard, Status: wellbase.TenantActive,
		AdminEmail: "a@acme.example", CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	ctx := wellbase.NewContextWithPrincipal(t.Context(), &wellbase.Principal{TenantID: "acme", UserID: "usr_1", Role: wellbase.RoleEngineer})
	ctx = wellbase.NewContextWithRemoteAddr(wellbase.NewContextWithRequestID(ctx, "req-1"), "192.0.2.7")
	return &wells.Service{Store: db}, db, ctx
}

func TestCreateUpdateDelete(t *testing.T) {
	t.Parallel()
	s, db, ctx := newService(t)
	if _, err := s.Create(ctx, "acme", wells.Input{Name: "  "}); wellbase.ErrorCode(err) != wellbase.EInvalid || wellbase.ErrorField(err) != "name" {
		t.Fatalf("blank name: %v, want invalid on field name", err)
	}
	w, err := s.Create(ctx, "acme", wells.Input{Name: " 15/9-19 ", UWI: "NO 15/9-19", Field: "VOLVE"})
	if err != nil {
		t.Fatal(err)
	}
	if w.Name != "15/9-19" || w.TenantID != "acme" || !strings.HasPrefix(w.ID, "wel_") {
		t.Errorf("created %+v", w)
	}
	name := "15/9-19 A"
	u, err := s.Update(ctx, "acme", w.ID, wellbase.WellUpdate{Name: &name})
	if err != nil || u.Name != name || u.UWI != "NO 15/9-19" {
		t.Fatalf("update: %+v, %v", u, err)
	}
	bad := 91.0
	if _, err := s.Update(ctx, "acme", w.ID, wellbase.WellUpdate{Latitude: &bad, Longitude: &bad}); wellbase.ErrorField(err) != "latitude" {
		t.Errorf("latitude 91: %v", err)
	}
	if _, err := s.Update(ctx, "globex", w.ID, wellbase.WellUpdate{Name: &name}); wellbase.ErrorCode(err) != wellbase.ENotFound {
		t.Errorf("another tenant's update: %v, want not found", err)
	}
	if err := s.Delete(ctx, "acme", w.ID); err != nil {
		t.Fatal(err)
	}
	evs, _, err := db.Tenant("acme").ListAudit(ctx, wellbase.Page{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range evs {
		got = append(got, e.Action)
		if e.Actor != "user:usr_1" || e.RequestID != "req-1" || e.RemoteAddr != "192.0.2.7" || e.Target != w.ID {
			t.Errorf("audit event %+v: want actor user:usr_1, request req-1, address 192.0.2.7, target %s", e, w.ID)
		}
	}
	if strings.Join(got, ",") != "well.delete,well.update,well.create" {
		t.Errorf("audit actions %v", got)
	}
}

// TestImportProductionMatches: a production import attaches its wells to stored wells by the
// rule of wellbase.WellIndex (UWI or code first, then any of the file's names, folded), makes the
// others once, and a second import makes none.
func TestImportProductionMatches(t *testing.T) {
	t.Parallel()
	s, db, ctx := newService(t)
	byHand, err := s.Create(ctx, "acme", wells.Input{Name: "15/9-F-14"}) // no UWI: found by name
	if err != nil {
		t.Fatal(err)
	}
	withUWI, err := s.Create(ctx, "acme", wells.Input{Name: "Twelve", UWI: "NO 15/9-F-12 H"}) // found by UWI
	if err != nil {
		t.Fatal(err)
	}
	csv := "date,well,uwi,oil[Sm3]\n2020-01-01, 15/9-f-14 ,,10\n2020-01-01,F-12 by another name,no 15/9-f-12  h,20\n2020-01-01,NEW-1,,30\n"
	imp, err := s.ImportProduction(ctx, "acme", strings.NewReader(csv), "csv", production.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if imp.RowsStored != 3 || len(imp.Wells) != 3 {
		t.Fatalf("import stored %d rows of %d wells, want 3 of 3: %+v", imp.RowsStored, len(imp.Wells), imp.Wells)
	}
	want := map[string]struct {
		id      string
		created bool
	}{"15/9-f-14": {byHand.ID, false}, "F-12 by another name": {withUWI.ID, false}, "NEW-1": {"", true}}
	for _, w := range imp.Wells {
		exp, ok := want[w.Name]
		if !ok {
			t.Errorf("unexpected well %+v", w)
			continue
		}
		if w.Created != exp.created || exp.id != "" && w.ID != exp.id {
			t.Errorf("well %q went to %s (created %v), want %s (created %v)", w.Name, w.ID, w.Created, exp.id, exp.created)
		}
	}
	again, err := s.ImportProduction(ctx, "acme", strings.NewReader(csv), "csv", production.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range again.Wells {
		if w.Created || w.ID != imp.Wells[i].ID {
			t.Errorf("re-import: well %q went to %s (created %v), want %s", w.Name, w.ID, w.Created, imp.Wells[i].ID)
		}
	}
	if n, _ := db.Tenant("acme").CountWells(ctx); n != 3 {
		t.Errorf("%d wells after two imports, want 3", n)
	}
	if _, err := s.ImportProduction(ctx, "acme", strings.NewReader("date,well,oil[Sm3]\nnot a date,X,1\n"), "csv", production.Options{}); wellbase.ErrorCode(err) != wellbase.EInvalid {
		t.Errorf("file without a usable row: %v, want invalid", err)
	}
	if n, _ := db.Tenant("acme").CountWells(ctx); n != 3 {
		t.Errorf("a refused import made wells: %d", n)
	}
}

// TestImportProductionKeepsUnits: volumes are never converted, so a file that gives a well's
// phase in another unit than the one stored is refused, naming well, phase and both units, and
// nothing of it is stored (not even a new well it names); the same unit, or a unit the well has
// none of yet, is stored.
func TestImportProductionKeepsUnits(t *testing.T) {
	t.Parallel()
	s, db, ctx := newService(t)
	first := "date,well,oil[Sm3],gas[Sm3]\n2020-01-01,F-14,10,1000\n"
	if _, err := s.ImportProduction(ctx, "acme", strings.NewReader(first), "csv", production.Options{}); err != nil {
		t.Fatal(err)
	}
	relabel := "date,well,oil[Sm3],gas\n2020-01-01,NEW-2,5,6\n2020-01-02,F-14,11,1100\n"
	_, err := s.ImportProduction(ctx, "acme", strings.NewReader(relabel), "csv", production.Options{Units: production.Units{Gas: "Mcf"}})
	if wellbase.ErrorCode(err) != wellbase.EInvalid {
		t.Fatalf("gas in Mcf onto gas stored in Sm3: %v, want invalid", err)
	}
	for _, want := range []string{"F-14", "gas", "Sm3", "Mcf", "row 3"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal does not name %q: %v", want, err)
		}
	}
	if n, _ := db.Tenant("acme").CountWells(ctx); n != 1 {
		t.Errorf("%d wells after the refused import, want 1 (NEW-2 not made)", n)
	}
	w := mustWell(t, db, ctx, "F-14")
	recs, err := db.Tenant("acme").Production(ctx, wellbase.ProductionQuery{WellID: w, Period: wellbase.PeriodDay})
	if err != nil || len(recs) != 1 || recs[0].Units.Gas != "Sm3" {
		t.Fatalf("stored after the refusal: %d records (%v), gas unit %q", len(recs), err, recs[0].Units.Gas)
	}
	water := "date,well,oil[Sm3],water[bbl]\n2020-01-02,F-14,11,7\n"
	if _, err := s.ImportProduction(ctx, "acme", strings.NewReader(water), "csv", production.Options{}); err != nil {
		t.Errorf("a phase the well has none of yet, and the stored unit of another: %v", err)
	}
}

func mustWell(t *testing.T, db wellbase.Store, ctx context.Context, name string) string {
	t.Helper()
	ws, _, err := db.Tenant("acme").ListWells(ctx, wellbase.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range ws {
		if w.Name == name {
			return w.ID
		}
	}
	t.Fatalf("no well %s among %d", name, len(ws))
	return ""
}
