package sqlite_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/sqlite"
	"github.com/wellbase/wellbase/internal/storetest"
)

// open opens a new database in a temporary directory, closed when tb ends.
func open(tb testing.TB) *sqlite.DB {
	tb.Helper()
	return openPath(tb, filepath.Join(tb.TempDir(), "wellbase.db"))
}

// openPath opens the database file path, closed when tb ends.
func openPath(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), "sqlite://"+filepath.ToSlash(path))
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}

func TestStore(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) wellbase.Store { return open(t) })
}

// TestOpen is not parallel: it changes the working directory.
func TestOpen(t *testing.T) {
	dir := t.TempDir()
	t.Run("OK", func(t *testing.T) {
		path := filepath.Join(dir, "data", "nested", "wellbase.db")
		db := openPath(t, path)
		if db.Path() != path {
			t.Errorf("Path() = %q, want %q", db.Path(), path)
		}
		for name, want := range map[string]os.FileMode{filepath.Dir(path): 0o700 | os.ModeDir, path: 0o600} {
			fi, err := os.Stat(name)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode() != want {
				t.Errorf("mode of %s = %v, want %v", name, fi.Mode(), want)
			}
		}
	})
	t.Run("OKRelative", func(t *testing.T) {
		t.Chdir(dir)
		db, err := sqlite.Open(t.Context(), "sqlite://relative/wellbase.db")
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		defer db.Close()
		if want := filepath.Join(dir, "relative", "wellbase.db"); db.Path() != want {
			t.Errorf("Path() = %q, want %q", db.Path(), want)
		}
	})
	t.Run("OKEscaped", func(t *testing.T) {
		path := filepath.Join(dir, "100% #1", "wellbase.db")
		dsn := (&url.URL{Scheme: "sqlite", Path: filepath.ToSlash(path)}).String()
		db, err := sqlite.Open(t.Context(), dsn)
		if err != nil {
			t.Fatalf("Open(%q): %v", dsn, err)
		}
		defer db.Close()
		if db.Path() != path {
			t.Errorf("Path() = %q, want %q", db.Path(), path)
		}
	})
	t.Run("OKReopen", func(t *testing.T) {
		path := filepath.Join(dir, "reopen.db")
		db, err := sqlite.Open(t.Context(), "sqlite://"+path)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		tn := &wellbase.Tenant{ID: "acme", Name: "Acme", Tier: wellbase.TierBasic, Status: wellbase.TenantActive, CreatedAt: time.Now()}
		if err := db.CreateTenant(t.Context(), tn); err != nil {
			t.Fatalf("CreateTenant: %v", err)
		}
		if err := db.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		db = openPath(t, path)
		if _, err := db.GetTenant(t.Context(), "acme"); err != nil {
			t.Errorf("GetTenant after reopening: %v", err)
		}
	})
	for _, dsn := range []string{
		"",
		"sqlite://",
		"sqlite:///",
		"sqlite:///tmp/dir/",
		"sqlite::memory:",
		"sqlite:relative.db",
		"postgres:///tmp/wellbase.db",
		"sqlite:///tmp/wellbase.db?mode=ro",
		"sqlite:///tmp/well%3Fbase.db",
		"sqlite://user@host/tmp/wellbase.db",
		"sqlite:///tmp/a#b/wellbase.db",
		"sqlite:///tmp/100%/wellbase.db",
	} {
		t.Run("ErrInvalid/"+dsn, func(t *testing.T) {
			db, err := sqlite.Open(t.Context(), dsn)
			if err == nil {
				db.Close()
			}
			if code := wellbase.ErrorCode(err); code != wellbase.EInvalid {
				t.Errorf("Open(%q): error code %q (%v), want %q", dsn, code, err, wellbase.EInvalid)
			}
		})
	}
}

// TestTwoProcesses opens the same file twice, as a running server and a CLI command would, then
// opens and writes through both at once: no write may fail with "database is locked".
func TestTwoProcesses(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "wellbase.db")

	// Both open the new file at once: one creates the schema, the other waits for it.
	dbs := make([]*sqlite.DB, 2)
	var wg sync.WaitGroup
	for i := range dbs {
		wg.Go(func() { dbs[i] = openPath(t, path) })
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	server, cli := dbs[0], dbs[1]
	ctx := t.Context()
	if err := server.CreateTenant(ctx, &wellbase.Tenant{ID: "acme", Name: "Acme", Tier: wellbase.TierBasic, Status: wellbase.TenantActive, CreatedAt: time.Now()}); err != nil {
		t.Fatalf("CreateTenant: %v", err)
	}

	const writers, writes = 8, 25
	errs := make(chan error, 2*writers*writes*3+1) // up to 3 writes per iteration, and the operator
	for i, db := range dbs {
		for w := range writers {
			wg.Go(func() {
				ts := db.Tenant("acme")
				for n := range writes {
					now := time.Now()
					well := &wellbase.Well{ID: wellbase.NewID("wel"), Name: fmt.Sprintf("db%d-w%d-%d", i, w, n), CreatedAt: now, UpdatedAt: now}
					errs <- ts.CreateWell(ctx, well)
					errs <- ts.AddRequests(ctx, "2026-03-01", 1)
					if n%5 == 0 {
						step := &wellbase.OnboardingStep{Name: well.Name, DoneAt: now}
						_, err := db.UpdateTenant(ctx, "acme", wellbase.TenantUpdate{Step: step})
						errs <- err
					}
				}
			})
		}
	}
	// The CLI creates an operator meanwhile.
	op := &wellbase.Operator{ID: wellbase.NewID("opr"), Email: "ada@wellbase.example", CreatedAt: time.Now()}
	errs <- cli.CreateOperator(ctx, op)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("write: %v", err)
		}
	}

	// Each sees the writes of both.
	for i, db := range dbs {
		ts := db.Tenant("acme")
		n, err := ts.CountWells(ctx)
		if err != nil || n != 2*writers*writes {
			t.Errorf("db %d: CountWells = %d, %v; want %d", i, n, err, 2*writers*writes)
		}
		r, err := ts.Requests(ctx, "2026-03-01")
		if err != nil || r != 2*writers*writes {
			t.Errorf("db %d: Requests = %d, %v; want %d", i, r, err, 2*writers*writes)
		}
		tn, err := db.GetTenant(ctx, "acme")
		if want := 2 * writers * writes / 5; err != nil || len(tn.Onboarding) != want {
			t.Errorf("db %d: tenant has %d onboarding steps, %v; want %d", i, len(tn.Onboarding), err, want)
		}
		if _, err := db.GetOperator(ctx, op.ID); err != nil {
			t.Errorf("db %d: GetOperator: %v", i, err)
		}
	}
}

// TestOpenAtOnce opens new files from several goroutines at once, as processes started together
// would: every Open succeeds and finds the schema.
func TestOpenAtOnce(t *testing.T) {
	t.Parallel()
	const rounds, openers = 40, 3
	for range rounds {
		dsn := "sqlite://" + filepath.ToSlash(filepath.Join(t.TempDir(), "wellbase.db"))
		var wg sync.WaitGroup
		for range openers {
			wg.Go(func() {
				db, err := sqlite.Open(t.Context(), dsn)
				if err != nil {
					t.Errorf("Open: %v", err)
					return
				}
				defer db.Close()
				if _, err := db.Tenant("acme").CountWells(t.Context()); err != nil {
					t.Errorf("CountWells: %v", err)
				}
			})
		}
		wg.Wait()
	}
}

// TestSchemaTenantFirst checks the rule of the schema that keeps tenants apart: every table but
// the control plane's has a tenant_id column, first in its primary key and in each of its indexes,
// but for the index of credential token hashes, which finds a token's tenant (and the queue's and
// the idempotency sweep's indexes). Idempotency records have their scope first.
func TestSchemaTenantFirst(t *testing.T) {
	t.Parallel()
	db := open(t)
	conn, err := sql.Open("sqlite", db.Path()+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.QueryContext(t.Context(), `SELECT m.name, il.name, ii.name
		FROM sqlite_schema m, pragma_index_list(m.name) il, pragma_index_info(il.name) ii
		WHERE m.type = 'table' AND ii.seqno = 0 ORDER BY m.name, il.name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	tables := map[string]int{} // tenant tables → number of indexes
	for rows.Next() {
		var table, index, first string
		if err := rows.Scan(&table, &index, &first); err != nil {
			t.Fatal(err)
		}
		if table == "tenants" || table == "operators" || table == "control_audit_events" || index == "credentials_hash" || index == "jobs_runnable" ||
			index == "idempotency_keys_expiry" {
			continue
		}
		tables[table]++
		want := "tenant_id"
		if table == "idempotency_keys" {
			want = "scope" // a tenant ID, or operator:<id> for the control plane
		}
		if first != want {
			t.Errorf("index %s of table %s starts with %s, want %s", index, table, first, want)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"users", "credentials", "wells", "audit_events", "data_keys", "request_counts"} {
		if tables[table] == 0 {
			t.Errorf("table %s has no primary key or index starting with tenant_id", table)
		}
	}
}

func BenchmarkCreateWell(b *testing.B) {
	db := open(b)
	ctx := context.Background()
	if err := db.CreateTenant(ctx, &wellbase.Tenant{ID: "acme", Name: "Acme", Tier: wellbase.TierBasic, Status: wellbase.TenantActive, CreatedAt: time.Now()}); err != nil {
		b.Fatal(err)
	}
	ts := db.Tenant("acme")
	lat, lon := 58.441, 1.887
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		w := &wellbase.Well{
			ID: wellbase.NewID("wel"), Name: "15/9-F-1 C", UWI: "NO 15/9-F-1 C", Field: "VOLVE", Operator: "Equinor Energy AS",
			Latitude: &lat, Longitude: &lon, CreatedAt: now, UpdatedAt: now,
		}
		if err := ts.CreateWell(ctx, w); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCredentialByHash(b *testing.B) {
	db := open(b)
	ctx := context.Background()
	const n = 1000
	hashes := make([]string, n)
	now := time.Now()
	for i := range hashes {
		sum := sha256.Sum256([]byte("token-" + strconv.Itoa(i)))
		hashes[i] = hex.EncodeToString(sum[:])
		c := &wellbase.Credential{
			ID: wellbase.NewID("crd"), Kind: wellbase.CredentialAPIToken, UserID: "usr_1", Name: "ci",
			Hash: hashes[i], Prefix: "wb_1234", CreatedAt: now, ExpiresAt: now.Add(time.Hour),
		}
		if err := db.Tenant(fmt.Sprintf("tenant-%d", i%10)).CreateCredential(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := db.CredentialByHash(ctx, hashes[i%n]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
