package backup_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/app"
	"github.com/wellbase/wellbase/internal/backup"
	"github.com/wellbase/wellbase/internal/files"
	"github.com/wellbase/wellbase/internal/identity"
	"github.com/wellbase/wellbase/internal/tenancy"
	"github.com/wellbase/wellbase/internal/welllogs"
)

// env is a Wellbase environment: the stores and services that serve runs on.
type env struct {
	*app.App
	cfg app.Config
}

// openEnv opens an environment on cfg (DataDir set; other URLs default to the embedded
// ones), closed when tb ends.
func openEnv(tb testing.TB, cfg app.Config) *env {
	tb.Helper()
	if err := cfg.Resolve(); err != nil {
		tb.Fatal(err)
	}
	a := &app.App{}
	if err := a.Open(context.Background(), cfg); err != nil {
		tb.Fatalf("open environment: %v", err)
	}
	tb.Cleanup(func() { a.Close() })
	return &env{App: a, cfg: cfg}
}

// openEnvIn opens an environment on the embedded defaults in data dir dir; the caller closes it.
func openEnvIn(tb testing.TB, dir string) *env {
	tb.Helper()
	cfg := app.Config{DataDir: dir}
	if err := cfg.Resolve(); err != nil {
		tb.Fatal(err)
	}
	a := &app.App{}
	if err := a.Open(context.Background(), cfg); err != nil {
		tb.Fatalf("open environment: %v", err)
	}
	return &env{App: a, cfg: cfg}
}

// embedded opens an environment on the embedded defaults in a new data dir.
func embedded(tb testing.TB) *env {
	tb.Helper()
	return openEnv(tb, app.Config{DataDir: filepath.Join(tb.TempDir(), "data")})
}

// folder returns a file:// location in a new temporary folder.
func folder(tb testing.TB) string {
	tb.Helper()
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(tb.TempDir(), "backup"))}).String()
}

func (e *env) from() backup.From {
	return backup.From{Store: e.Store, Files: e.Files, DataKey: e.dataKey, Source: backup.Source{Database: "test", Files: e.Files.Scheme(), RootKey: e.Keys.ID(), Version: "test"}}
}

// dataKey returns the current data key of tenant, as the CLI gives it to backups.
func (e *env) dataKey(ctx context.Context, tenant string) (int, files.Cipher, error) {
	v, dk, err := e.DataKeys.Current(ctx, tenant)
	if err != nil {
		return 0, nil, err
	}
	return v, dk, nil
}

func (e *env) into() backup.Into {
	return backup.Into{Store: e.Store, Files: e.Files, RootKey: e.Keys}
}

// lasFile returns a LAS 2.0 file of well name with rows depth samples of GR and RHOB.
func lasFile(name string, rows int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "~Version\n VERS. 2.0 : CWLS LOG ASCII STANDARD\n WRAP. NO : one line per depth step\n")
	fmt.Fprintf(&b, "~Well\n STRT.M 1000.0 :\n STOP.M %.1f :\n STEP.M 0.5 :\n NULL. -999.25 :\n WELL. %s :\n UWI . UWI-%s :\n FLD . VOLVE :\n", 1000+0.5*float64(rows-1), name, name)
	fmt.Fprintf(&b, "~Curve\n DEPT.M : depth\n GR  .GAPI : gamma ray\n RHOB.G/CC : bulk density\n~A\n")
	for i := range rows {
		gr := fmt.Sprintf("%.3f", 40+float64(i%97)*0.7)
		if i%50 == 7 {
			gr = "-999.25"
		}
		fmt.Fprintf(&b, "%.1f %s %.4f\n", 1000+0.5*float64(i), gr, 2.2+float64(i%13)*0.01)
	}
	return b.Bytes()
}

// seeded is what seed stored in a tenant, to check a restore with.
type seeded struct {
	tenant string
	token  string // the owner's API token
	logs   []*wellbase.WellLog
	las    map[string][]byte // a log's original file, by log ID
}

// seed onboards tenant in e and gives it data of every kind: logs (with their objects), wells,
// production, a job and its forecast, another user with a password, tokens, a request count.
func seed(tb testing.TB, e *env, tenant string, logs int) *seeded {
	tb.Helper()
	ctx := context.Background()
	res, err := e.Onboarder.Onboard(ctx, tenancy.Request{ID: tenant, Name: "Tenant " + tenant, AdminEmail: "owner@" + tenant + ".example"}, nil)
	if err != nil {
		tb.Fatalf("onboard %s: %v", tenant, err)
	}
	s := &seeded{tenant: tenant, token: res.AdminToken, las: map[string][]byte{}}
	ts := e.Store.Tenant(tenant)
	for i := range logs {
		body := lasFile(fmt.Sprintf("%s-W%d", tenant, i), 400+100*i)
		l, err := e.Logs.Ingest(ctx, tenant, welllogs.Upload{FileName: fmt.Sprintf("w%d.las", i), Body: bytes.NewReader(body),
			Size: int64(len(body)), Actor: "user:test"})
		if err != nil {
			tb.Fatalf("ingest a log of %s: %v", tenant, err)
		}
		s.logs = append(s.logs, l)
		s.las[l.ID] = body
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	if logs == 0 {
		if err := ts.CreateWell(ctx, &wellbase.Well{ID: wellbase.NewID("wel"), Name: tenant + " W", CreatedAt: now, UpdatedAt: now}); err != nil {
			tb.Fatal(err)
		}
	}
	wells, err := wellbase.All(ctx, ts.ListWells)
	if err != nil || len(wells) == 0 {
		tb.Fatalf("wells of %s: %d, %v", tenant, len(wells), err)
	}
	var recs []*wellbase.ProductionRecord
	for m := range 24 {
		oil := 1000 * float64(24-m) / 24
		recs = append(recs, &wellbase.ProductionRecord{WellID: wells[0].ID, Date: time.Date(2010, time.Month(1+m), 1, 0, 0, 0, 0, time.UTC),
			Period: wellbase.PeriodMonth, Oil: &oil, Units: wellbase.ProductionUnits{Oil: "Sm3"}, ImportID: "imp_" + tenant, UpdatedAt: now})
	}
	if _, err := ts.UpsertProduction(ctx, recs); err != nil {
		tb.Fatal(err)
	}
	job := &wellbase.Job{ID: wellbase.NewID("job"), Type: "decline-fit", Params: json.RawMessage(`{"well":"` + wells[0].ID + `"}`),
		Status: wellbase.JobSucceeded, Attempts: 1, MaxAttempts: 5, RunAt: now, CreatedBy: "user:test", CreatedAt: now, UpdatedAt: now,
		FinishedAt: &now}
	fc := &wellbase.Forecast{ID: wellbase.NewID("fc"), WellID: wells[0].ID, JobID: job.ID, Phase: "oil", Unit: "Sm3", Model: "exponential",
		Qi: 33.3, DiNominalPerDay: 0.001, StartDate: recs[0].Date, EUR: 123456.7, Series: []wellbase.RatePoint{{Date: "2012-01-01", Rate: 10.5}},
		CreatedAt: now}
	job.Result = json.RawMessage(`{"forecast_id":"` + fc.ID + `"}`)
	if err := ts.CreateJob(ctx, job); err != nil {
		tb.Fatal(err)
	}
	if err := ts.CreateForecast(ctx, fc); err != nil {
		tb.Fatal(err)
	}
	hash := identity.HashPassword("correct horse battery staple")
	if err := ts.CreateUser(ctx, &wellbase.User{ID: wellbase.NewID("usr"), Email: "eng@" + tenant + ".example", Role: wellbase.RoleEngineer,
		PasswordHash: hash, CreatedAt: now}); err != nil {
		tb.Fatal(err)
	}
	if err := ts.AddRequests(ctx, now.Format(time.DateOnly), 42); err != nil {
		tb.Fatal(err)
	}
	return s
}

// records returns every record of e's control plane (by kind) and of each of its tenants, to
// compare two environments with: times at millisecond precision (what every store keeps),
// wrapped data keys left out (a restore under another root key wraps them again).
func records(tb testing.TB, e *env) map[string]map[wellbase.RecordKind][]any {
	tb.Helper()
	ctx := context.Background()
	out := map[string]map[wellbase.RecordKind][]any{}
	collect := func(into map[wellbase.RecordKind][]any) wellbase.DumpFunc {
		return func(kind wellbase.RecordKind, rec any) error {
			if k, ok := rec.(*wellbase.WrappedKey); ok {
				k.Wrapped = nil
			}
			into[kind] = append(into[kind], rec)
			return nil
		}
	}
	out[""] = map[wellbase.RecordKind][]any{}
	if err := e.Store.Dump(ctx, collect(out[""])); err != nil {
		tb.Fatal(err)
	}
	// The restore's own entry in the control-plane audit log is not the source's.
	out[""][wellbase.KindControlAudit] = slices.DeleteFunc(out[""][wellbase.KindControlAudit], func(rec any) bool {
		return rec.(*wellbase.AuditEvent).Action == "platform.restore"
	})
	for _, rec := range out[""][wellbase.KindTenant] {
		id := rec.(*wellbase.Tenant).ID
		out[id] = map[wellbase.RecordKind][]any{}
		if err := e.Store.Tenant(id).Dump(ctx, collect(out[id])); err != nil {
			tb.Fatal(err)
		}
	}
	return out
}

// sameRecords fails tb unless the environments hold the same records.
func sameRecords(tb testing.TB, want, got map[string]map[wellbase.RecordKind][]any) {
	tb.Helper()
	ms := cmp.Comparer(func(a, b time.Time) bool { return a.Truncate(time.Millisecond).Equal(b.Truncate(time.Millisecond)) })
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty(), ms); diff != "" {
		tb.Errorf("records differ after the restore (-source +restored):\n%s", diff)
	}
}

// sameFiles fails tb unless every log of s reads back in e as it was uploaded (which also
// proves that e's root key unwraps the tenant's data keys) and its curves read.
func sameFiles(tb testing.TB, e *env, s *seeded) {
	tb.Helper()
	ctx := context.Background()
	for _, l := range s.logs {
		got, err := e.Store.Tenant(s.tenant).GetLog(ctx, l.ID)
		if err != nil {
			tb.Fatalf("log %s of %s: %v", l.ID, s.tenant, err)
		}
		rc, err := e.Logs.Original(ctx, got)
		if err != nil {
			tb.Fatalf("original of log %s of %s: %v", l.ID, s.tenant, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !bytes.Equal(b, s.las[l.ID]) {
			tb.Errorf("original of log %s of %s: %d bytes, %v; want the %d uploaded", l.ID, s.tenant, len(b), err, len(s.las[l.ID]))
		}
		f, closer, err := e.Logs.Curves(ctx, got)
		if err != nil {
			tb.Fatalf("curves of log %s of %s: %v", l.ID, s.tenant, err)
		}
		if f.Rows() != int64(l.Rows) {
			tb.Errorf("curves of log %s: %d rows, want %d", l.ID, f.Rows(), l.Rows)
		}
		closer.Close()
	}
}

// tokenWorks fails tb unless token authenticates in e as a user of tenant.
func tokenWorks(tb testing.TB, e *env, tenant, token string) {
	tb.Helper()
	p, _, err := identity.Authenticate(context.Background(), e.Store, token, time.Now())
	if err != nil || p.TenantID != tenant {
		tb.Errorf("the token of %s after the restore: %v, %v", tenant, p, err)
	}
}

// fileOf returns the path of backup file name in the file:// location loc.
func fileOf(tb testing.TB, loc, name string) string {
	tb.Helper()
	u, err := url.Parse(loc)
	if err != nil {
		tb.Fatal(err)
	}
	return filepath.Join(filepath.FromSlash(u.Path), filepath.FromSlash(name))
}

// objectNames returns the backup's object files of tenant, sorted.
func objectNames(m *backup.Manifest, tenant string) []string {
	var out []string
	for name := range m.Files {
		if strings.HasPrefix(name, "objects/"+tenant+"/") {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}
