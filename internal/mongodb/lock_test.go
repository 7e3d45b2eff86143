package mongodb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/testservers"
)

// openFerret opens a new database on the test server, dropped when t ends, and skips t unless
// the server is FerretDB (where documents are locked; on MongoDB lockDoc does nothing).
func openFerret(t *testing.T) *DB {
	t.Helper()
	u, err := url.Parse(testservers.MongoDBURL(t))
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 8)
	rand.Read(b)
	u.Path = "/wbtest_" + hex.EncodeToString(b)
	db, err := Open(t.Context(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Drop(context.Background())
		db.Close()
	})
	if !db.ferret {
		t.Skip("the server is MongoDB: documents are not locked")
	}
	return db
}

// TestLockOfDeadHolder plants the lock of a job as a process that holds it (live) or was killed
// holding it (expired) would leave it: an update waits for a live lock until it expires, then
// takes it over; ClaimJob does not wait for a live one; an expired one is taken over at once.
func TestLockOfDeadHolder(t *testing.T) {
	t.Parallel()
	db := openFerret(t)
	ctx := t.Context()
	ts := db.tenant("acme")
	at := time.Now().Truncate(time.Millisecond)
	j := &wellbase.Job{ID: wellbase.NewID("job"), Type: "decline-fit", Params: json.RawMessage(`{}`), Status: wellbase.JobQueued,
		MaxAttempts: 5, RunAt: at, CreatedAt: at, UpdatedAt: at}
	if err := ts.CreateJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	key := colJobs + "/" + ts.key(j.ID)
	plant := func(id string, expires time.Time) {
		t.Helper()
		if _, err := db.coll(colLocks).InsertOne(ctx, &lockDocument{ID: id, Key: key, ExpiresAt: expires}); err != nil {
			t.Fatalf("plant lock %s: %v", id, err)
		}
	}
	locks := func() int64 {
		t.Helper()
		n, err := db.coll(colLocks).CountDocuments(ctx, bson.D{{Key: "key", Value: key}})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	// A live lock of another process: the claim is refused at once.
	plant("other-process", time.Now().Add(1500*time.Millisecond))
	if _, err := db.ClaimJob(ctx, wellbase.JobRef{TenantID: "acme", ID: j.ID}, "w1", at, at.Add(time.Minute)); wellbase.ErrorCode(err) != wellbase.EConflict {
		t.Fatalf("ClaimJob under another process's live lock: %v, want EConflict", err)
	}
	// An update waits for it to expire (its holder never deletes it: killed), then proceeds.
	start := time.Now()
	if _, err := ts.CancelJob(ctx, j.ID, at); err != nil {
		t.Fatalf("CancelJob after the lock expired: %v", err)
	}
	if waited := time.Since(start); waited < time.Second {
		t.Errorf("CancelJob went through a live lock after %v", waited)
	}
	got, err := ts.GetJob(ctx, j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != wellbase.JobCancelled {
		t.Errorf("job status %s after the cancel, want cancelled", got.Status)
	}
	if n := locks(); n != 0 {
		t.Errorf("%d lock documents left after the update, want 0 (the expired one removed, its own deleted)", n)
	}

	// An expired lock is taken over without a wait; a done context ends a wait for a live one.
	plant("killed-process", time.Now().Add(-time.Second))
	unlock, err := db.lockDoc(ctx, colJobs, ts.key(j.ID))
	if err != nil {
		t.Fatalf("lockDoc over an expired lock: %v", err)
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := db.lockDoc(short, colJobs, ts.key(j.ID)); err == nil {
		t.Fatal("a second lockDoc of a held lock succeeded")
	}
	unlock()
	if n := locks(); n != 0 {
		t.Errorf("%d lock documents left after unlock, want 0", n)
	}
}
