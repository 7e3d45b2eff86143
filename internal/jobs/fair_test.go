package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/mongodb"
	"github.com/wellbase/wellbase/internal/sqlite/sqlitetest"
	"github.com/wellbase/wellbase/internal/testservers"
)

// openMongoDB opens a new database on the MongoDB test server (skipped or failed as
// testservers says when it is absent), dropped when tb ends.
func openMongoDB(tb testing.TB) wellbase.Store {
	tb.Helper()
	u, err := url.Parse(testservers.MongoDBURL(tb))
	if err != nil {
		tb.Fatalf("test server URL: %v", err)
	}
	b := make([]byte, 8)
	rand.Read(b)
	u.Path = "/wbtest_" + hex.EncodeToString(b)
	db, err := mongodb.Open(tb.Context(), u.String())
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		db.Drop(ctx)
		db.Close()
	})
	return db
}

// fairQueue returns a queue on store with active tenants acme and globex, each allowed
// concurrent jobs at once.
func fairQueue(tb testing.TB, store wellbase.Store, concurrent int) *Queue {
	tb.Helper()
	for _, id := range []string{"acme", "globex"} {
		now := time.Now().UTC()
		t := &wellbase.Tenant{ID: id, Name: id, Tier: wellbase.TierStandard, Status: wellbase.TenantActive,
			Limits: wellbase.LimitOverrides{ConcurrentJobs: &concurrent}, CreatedAt: now, UpdatedAt: now}
		if err := store.CreateTenant(tb.Context(), t); err != nil {
			tb.Fatal(err)
		}
	}
	return &Queue{Store: store}
}

// TestFairWorkers reproduces issue 12's measurement without timing: acme queues ten jobs that
// block until released, and a worker of W slots (acme may run 4 jobs at once) starts on them;
// then globex queues one job. globex's job must start while all of acme's are still blocked:
// acme never holds every slot of the worker, so another tenant is never left waiting for one
// of acme's jobs to end.
func TestFairWorkers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		store func(testing.TB) wellbase.Store
	}{
		{"SQLite", func(tb testing.TB) wellbase.Store { return sqlitetest.Open(tb) }},
		{"MongoDB", openMongoDB},
	} {
		for _, slots := range []int{2, 3} {
			t.Run(fmt.Sprintf("%s/%dSlots", tc.name, slots), func(t *testing.T) {
				t.Parallel()
				testFairWorkers(t, fairQueue(t, tc.store(t), 4), slots)
			})
		}
	}
}

func testFairWorkers(t *testing.T, q *Queue, slots int) {
	ctx := context.Background()
	release := make(chan struct{})
	var mu sync.Mutex
	acmeRunning, acmeAtGlobex := 0, -1
	handlers := map[string]Handler{
		"petrophysics": func(ctx context.Context, j *wellbase.Job, _ func(float64)) (any, error) {
			mu.Lock()
			acmeRunning++
			mu.Unlock()
			defer func() { mu.Lock(); acmeRunning--; mu.Unlock() }()
			select {
			case <-release:
			case <-ctx.Done():
			}
			return "done", nil
		},
		"decline-fit": func(context.Context, *wellbase.Job, func(float64)) (any, error) {
			mu.Lock()
			acmeAtGlobex = acmeRunning
			mu.Unlock()
			return "fit", nil
		},
	}
	var acme []*wellbase.Job
	for range 10 {
		j, err := q.Enqueue(ctx, "acme", "petrophysics", nil, "user:a")
		if err != nil {
			t.Fatal(err)
		}
		acme = append(acme, j)
	}
	ctxRun, stop := context.WithCancel(ctx)
	drain, stopDrain := context.WithCancel(ctx)
	w := &Worker{Queue: q, Handlers: handlers, ID: "w", Concurrency: slots, Lease: 5 * time.Second, Poll: 10 * time.Millisecond}
	done := make(chan struct{})
	go func() { w.Run(ctxRun, drain); close(done) }()
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	t.Cleanup(func() { unblock(); stop(); stopDrain(); <-done })

	// Wait until acme has taken what it may of the worker (and, before the fix, every slot).
	busy := func() int {
		n, err := q.Store.Tenant("acme").CountRunningJobs(ctx, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	deadline := time.Now().Add(30 * time.Second)
	for busy() < slots-1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // ten polls: time for a slot to take an acme job if it would
	held := busy()
	if held != slots-1 {
		t.Errorf("acme holds %d of %d slots with nobody else waiting; want %d (one kept for another tenant)", held, slots, slots-1)
	}

	g, err := q.Enqueue(ctx, "globex", "decline-fit", nil, "user:g")
	if err != nil {
		t.Fatal(err)
	}
	got := waitFor(t, q, "globex", g.ID, finished)
	if got.Status != wellbase.JobSucceeded {
		t.Errorf("globex's job %s: %s", got.Status, got.Error)
	}
	mu.Lock()
	at := acmeAtGlobex
	mu.Unlock()
	if at < 0 || at >= slots {
		t.Errorf("globex's job started with acme running %d jobs on %d slots", at, slots)
	}
	for _, j := range acme {
		if cur, _ := q.Store.Tenant("acme").GetJob(ctx, j.ID); cur.Status.Done() {
			t.Errorf("acme's job %s ended before globex's ran: %s", j.ID, cur.Status)
		}
	}

	// Once released, acme's jobs all run: the kept slot costs acme nothing but that slot.
	unblock()
	for _, j := range acme {
		if cur := waitFor(t, q, "acme", j.ID, finished); cur.Status != wellbase.JobSucceeded {
			t.Errorf("acme's job %s: %s", j.ID, cur.Status)
		}
	}
}
