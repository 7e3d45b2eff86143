package mongodb_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/mongodb"
	"github.com/wellbase/wellbase/internal/storetest"
	"github.com/wellbase/wellbase/internal/testservers"
)

// dbURL returns the URL of a new database on the test server, with a unique name ("wbtest_…"),
// so that test runs and groups never share data.
func dbURL(tb testing.TB) string {
	tb.Helper()
	u, err := url.Parse(testservers.MongoDBURL(tb))
	if err != nil {
		tb.Fatalf("test server URL: %v", err)
	}
	b := make([]byte, 8)
	rand.Read(b)
	u.Path = "/wbtest_" + hex.EncodeToString(b)
	return u.String()
}

// open opens a new database on the test server, dropped and closed when tb ends.
func open(tb testing.TB) *mongodb.DB {
	tb.Helper()
	return openURL(tb, dbURL(tb))
}

// openURL opens the database of rawURL, dropped and closed when tb ends.
func openURL(tb testing.TB, rawURL string) *mongodb.DB {
	tb.Helper()
	db, err := mongodb.Open(tb.Context(), rawURL)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := db.Drop(ctx); err != nil {
			tb.Errorf("Drop: %v", err)
		}
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

func TestOpen(t *testing.T) {
	t.Parallel()
	t.Run("OKReopen", func(t *testing.T) {
		// A second Open of the same database finds its indexes there and leaves them.
		rawURL := dbURL(t)
		first := openURL(t, rawURL)
		if err := first.CreateTenant(t.Context(), &wellbase.Tenant{ID: "acme", CreatedAt: time.Now()}); err != nil {
			t.Fatalf("CreateTenant: %v", err)
		}
		second, err := mongodb.Open(t.Context(), rawURL)
		if err != nil {
			t.Fatalf("second Open: %v", err)
		}
		defer second.Close()
		if _, err := second.GetTenant(t.Context(), "acme"); err != nil {
			t.Errorf("GetTenant through the second DB: %v", err)
		}
	})
}

// TestOpenErrInvalid needs no server: the URL is refused before any connection.
func TestOpenErrInvalid(t *testing.T) {
	t.Parallel()
	for _, rawURL := range []string{
		"",
		"sqlite:///tmp/wellbase.db",
		"mongodb://",
		"mongodb:///wellbase",
		"mongodb://localhost/a.b",
		"mongodb://localhost/a b",
		"mongodb://localhost/a/b",
		"mongodb://localhost/" + strings.Repeat("a", 64),
		"http://localhost:27017/wellbase",
	} {
		t.Run("ErrInvalid/"+rawURL, func(t *testing.T) {
			db, err := mongodb.Open(t.Context(), rawURL)
			if err == nil {
				db.Close()
			}
			if code := wellbase.ErrorCode(err); code != wellbase.EInvalid {
				t.Errorf("Open(%q): error code %q (%v), want %q", rawURL, code, err, wellbase.EInvalid)
			}
		})
	}
}

// TestIndexesTenantFirst reads the live index list and checks that every index of a collection
// of tenant data begins with the tenant field (but _id's, and credentials_hash, the one index
// across tenants), and that every document of them has a tenant field.
func TestIndexesTenantFirst(t *testing.T) {
	t.Parallel()
	rawURL := dbURL(t)
	db := openURL(t, rawURL)
	ctx := t.Context()
	// One record of every kind, so that every collection exists.
	ts := db.Tenant("acme")
	at := time.Now()
	for _, err := range []error{
		db.CreateTenant(ctx, &wellbase.Tenant{ID: "acme", CreatedAt: at}),
		db.CreateOperator(ctx, &wellbase.Operator{ID: "opr_1", CreatedAt: at}),
		db.AppendControlAudit(ctx, &wellbase.AuditEvent{ID: "cae_1", TenantID: "acme", Time: at}),
		ts.CreateUser(ctx, &wellbase.User{ID: "usr_1", Email: "a@example.com", CreatedAt: at}),
		ts.CreateCredential(ctx, &wellbase.Credential{ID: "crd_1", Kind: wellbase.CredentialAPIToken, Hash: "h1", CreatedAt: at, ExpiresAt: at}),
		ts.CreateWell(ctx, &wellbase.Well{ID: "wel_1", CreatedAt: at}),
		ts.CreateLog(ctx, &wellbase.WellLog{ID: "log_1", WellID: "wel_1", CreatedAt: at}),
		ts.CreateJob(ctx, &wellbase.Job{ID: "job_1", Status: wellbase.JobQueued, RunAt: at, CreatedAt: at}),
		ts.CreateForecast(ctx, &wellbase.Forecast{ID: "fc_1", CreatedAt: at}),
		ts.AppendAudit(ctx, &wellbase.AuditEvent{ID: "aud_1", Time: at}),
		ts.AddRequests(ctx, "2026-03-01", 1),
		ts.PutDataKey(ctx, &wellbase.WrappedKey{Version: 1, Wrapped: []byte{1}, CreatedAt: at}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ts.UpsertProduction(ctx, []*wellbase.ProductionRecord{{WellID: "wel_1", Period: "day", Date: at}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ClaimIdempotencyKey(ctx, &wellbase.IdempotencyRecord{Scope: "acme", Key: "k", Owner: "own_1", CreatedAt: at,
		LeaseUntil: at.Add(time.Minute), ExpiresAt: at.Add(wellbase.IdempotencyTTL)}, at); err != nil {
		t.Fatal(err)
	}

	client, err := mongo.Connect(options.Client().ApplyURI(rawURL))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(context.Background())
	mdb := client.Database(db.Name())
	names, err := mdb.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var info struct {
		FerretDB string `bson:"ferretdbVersion"`
	}
	if err := mdb.RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info); err != nil {
		t.Fatal(err)
	}
	// locks (FerretDB only) holds no data: the short-lived locks of documents being updated.
	controlPlane := map[string]bool{"tenants": true, "operators": true, "control_audit": true, "locks": true}
	tenantCollections := 0
	for _, name := range names {
		if controlPlane[name] {
			continue
		}
		// Idempotency records are keyed by scope (a tenant ID, or operator:<id>), not tenant;
		// their TTL index on expires_at spans scopes.
		tenantField := "tenant"
		if name == "idempotency" {
			tenantField = "scope"
		} else {
			tenantCollections++
		}
		coll := mdb.Collection(name)
		cur, err := coll.Indexes().List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var specs []struct {
			Name        string `bson:"name"`
			Key         bson.D `bson:"key"`
			ExpireAfter *int32 `bson:"expireAfterSeconds"`
		}
		if err := cur.All(ctx, &specs); err != nil {
			t.Fatal(err)
		}
		for _, ix := range specs {
			if ix.Name == "idempotency_expiry" {
				if info.FerretDB == "" && (ix.ExpireAfter == nil || *ix.ExpireAfter != 0) {
					t.Errorf("index idempotency_expiry is not a TTL index on expires_at (expireAfterSeconds %v)", ix.ExpireAfter)
				}
				continue
			}
			if ix.Name == "_id_" || name == "credentials" && ix.Name == "credentials_hash" {
				continue
			}
			if len(ix.Key) == 0 || ix.Key[0].Key != tenantField {
				t.Errorf("index %s of %s has keys %v: the %s is not first", ix.Name, name, ix.Key, tenantField)
			}
		}
		if n, err := coll.CountDocuments(ctx, bson.D{{Key: tenantField, Value: bson.D{{Key: "$exists", Value: false}}}}); err != nil || n != 0 {
			t.Errorf("%s has %d documents without a %s field (%v)", name, n, tenantField, err)
		}
	}
	if want := 10; tenantCollections != want {
		t.Errorf("%d collections of tenant data (%v), want %d", tenantCollections, names, want)
	}
}

func TestTenantIDInvalid(t *testing.T) {
	t.Parallel()
	db := open(t)
	for _, id := range []string{"", "acme/evil", "/"} {
		_, err := db.Tenant(id).GetWell(t.Context(), "wel_1")
		if code := wellbase.ErrorCode(err); code != wellbase.EInvalid {
			t.Errorf("Tenant(%q).GetWell: error code %q (%v), want %q", id, code, err, wellbase.EInvalid)
		}
	}
}

// TestClaimJobRace has many workers claim one job at once, and then heartbeat and cancel it at
// once: exactly one worker wins the lease, and every change is kept.
func TestClaimJobRace(t *testing.T) {
	t.Parallel()
	db := open(t)
	ctx := t.Context()
	ts := db.Tenant("acme")
	at := time.Now().Truncate(time.Millisecond)
	job := &wellbase.Job{ID: wellbase.NewID("job"), Type: "decline-fit", Params: json.RawMessage(`{}`), Status: wellbase.JobQueued,
		MaxAttempts: 3, RunAt: at, CreatedAt: at, UpdatedAt: at}
	if err := ts.CreateJob(ctx, job); err != nil {
		t.Fatal(err)
	}
	const workers = 20
	ref := wellbase.JobRef{TenantID: "acme", ID: job.ID}
	winners := make(chan string, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			worker := fmt.Sprintf("worker-%02d", i)
			_, err := db.ClaimJob(ctx, ref, worker, at, at.Add(time.Minute))
			switch wellbase.ErrorCode(err) {
			case "":
				winners <- worker
			case wellbase.EConflict:
			default:
				t.Errorf("%s: ClaimJob: %v", worker, err)
			}
		})
	}
	wg.Wait()
	close(winners)
	var won []string
	for w := range winners {
		won = append(won, w)
	}
	if len(won) != 1 {
		t.Fatalf("%d workers won the lease (%v), want 1", len(won), won)
	}
	j, err := ts.GetJob(ctx, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if j.Attempts != 1 || j.LeaseOwner != won[0] || j.Status != wellbase.JobRunning {
		t.Errorf("job after the race: %+v, want attempt 1 held by %s", j, won[0])
	}

	// The holder's heartbeats and a user's cancel, at once: the cancel is never lost.
	for i := range workers {
		wg.Go(func() {
			if i == workers/2 {
				if _, err := ts.CancelJob(ctx, job.ID, at); err != nil {
					t.Errorf("CancelJob: %v", err)
				}
				return
			}
			until := at.Add(time.Duration(i+2) * time.Minute)
			if _, err := ts.UpdateHeldJob(ctx, job.ID, won[0], at, wellbase.JobUpdate{Progress: ptr(float64(i) / workers), LeaseUntil: &until}); err != nil {
				t.Errorf("UpdateHeldJob: %v", err)
			}
		})
	}
	wg.Wait()
	j, err = ts.GetJob(ctx, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !j.CancelRequested || j.Status != wellbase.JobRunning || j.LeaseOwner != won[0] {
		t.Errorf("job after heartbeats and a cancel: %+v, want running, held by %s, cancel requested", j, won[0])
	}
}

func ptr[T any](v T) *T { return &v }

// BenchmarkCredentialByHash measures the lookup of every authenticated request.
func BenchmarkCredentialByHash(b *testing.B) {
	db := open(b)
	ctx := b.Context()
	at := time.Now()
	for i := range 100 {
		c := &wellbase.Credential{ID: fmt.Sprintf("crd_%03d", i), Kind: wellbase.CredentialAPIToken, Hash: fmt.Sprintf("hash-%03d", i),
			CreatedAt: at, ExpiresAt: at.Add(time.Hour)}
		if err := db.Tenant("acme").CreateCredential(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := db.CredentialByHash(ctx, fmt.Sprintf("hash-%03d", i%100)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpsertProduction measures an import of 100 days of daily records, replacing the
// records of the previous iteration (FerretDB: a few seconds each).
func BenchmarkUpsertProduction(b *testing.B) {
	db := open(b)
	ctx := b.Context()
	ts := db.Tenant("acme")
	start := time.Date(2008, 2, 1, 0, 0, 0, 0, time.UTC)
	records := make([]*wellbase.ProductionRecord, 100)
	for i := range records {
		records[i] = &wellbase.ProductionRecord{WellID: "wel_1", Period: wellbase.PeriodDay, Date: start.AddDate(0, 0, i),
			Oil: ptr(float64(i)), Gas: ptr(150 * float64(i)), ImportID: "imp_1", UpdatedAt: start}
	}
	b.ReportAllocs()
	for b.Loop() {
		if n, err := ts.UpsertProduction(ctx, records); err != nil || n != len(records) {
			b.Fatalf("UpsertProduction = %d, %v", n, err)
		}
	}
}
