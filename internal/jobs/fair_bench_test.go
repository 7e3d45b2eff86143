package jobs

import (
	"context"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/sqlite/sqlitetest"
)

// BenchmarkFairWait is issue 12's setup: one in-process worker of two slots (default poll),
// tenants allowed four jobs at once; acme queues ten petrophysics-like jobs of 1.5 s, and once
// the worker is busy with them globex queues one short decline fit. It reports globex's wait,
// from its enqueue to its job's end (b_wait_ms), and how many of acme's jobs ran at once at
// the worst (acme_max_slots).
//
//	go test -run '^$' -bench Fair -benchtime 3x ./internal/jobs/
func BenchmarkFairWait(b *testing.B) {
	var wait time.Duration
	maxHeld := 0
	for b.Loop() {
		w, held := fairRun(b)
		wait += w
		maxHeld = max(maxHeld, held)
	}
	b.ReportMetric(float64(wait.Milliseconds())/float64(b.N), "b_wait_ms")
	b.ReportMetric(float64(maxHeld), "acme_max_slots")
}

func fairRun(b *testing.B) (time.Duration, int) {
	ctx := context.Background()
	four := 4
	db := sqlitetest.Open(b)
	for _, id := range []string{"acme", "globex"} {
		now := time.Now().UTC()
		if err := db.CreateTenant(ctx, &wellbase.Tenant{ID: id, Name: id, Tier: wellbase.TierStandard, Status: wellbase.TenantActive,
			Limits: wellbase.LimitOverrides{ConcurrentJobs: &four}, CreatedAt: now, UpdatedAt: now}); err != nil {
			b.Fatal(err)
		}
	}
	q := &Queue{Store: db}
	handlers := map[string]Handler{
		"petrophysics": func(ctx context.Context, _ *wellbase.Job, _ func(float64)) (any, error) {
			select {
			case <-time.After(1500 * time.Millisecond):
			case <-ctx.Done():
			}
			return "logs", nil
		},
		"decline-fit": func(context.Context, *wellbase.Job, func(float64)) (any, error) { return "fit", nil },
	}
	for range 10 {
		if _, err := q.Enqueue(ctx, "acme", "petrophysics", nil, "user:a"); err != nil {
			b.Fatal(err)
		}
	}
	ctxRun, stop := context.WithCancel(ctx)
	drain, stopDrain := context.WithCancel(ctx)
	w := &Worker{Queue: q, Handlers: handlers, ID: "w", Concurrency: 2}
	done := make(chan struct{})
	go func() { w.Run(ctxRun, drain); close(done) }()
	defer func() { stop(); stopDrain(); <-done }()
	running := func() int {
		n, err := db.Tenant("acme").CountRunningJobs(ctx, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		return n
	}
	for running() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(600 * time.Millisecond) // over one poll: every slot acme may take is taken
	held := running()
	start := time.Now()
	g, err := q.Enqueue(ctx, "globex", "decline-fit", nil, "user:g")
	if err != nil {
		b.Fatal(err)
	}
	for {
		j, err := db.Tenant("globex").GetJob(ctx, g.ID)
		if err != nil {
			b.Fatal(err)
		}
		if j.Status.Done() {
			return time.Since(start), held
		}
		time.Sleep(5 * time.Millisecond)
	}
}
