package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/sqlite/sqlitetest"
)

// newQueue returns a queue on a real SQLite store with active tenants acme and globex.
func newQueue(tb testing.TB, concurrent int) *Queue {
	tb.Helper()
	ctx := context.Background()
	db := sqlitetest.Open(tb)
	for _, id := range []string{"acme", "globex"} {
		now := time.Now().UTC()
		t := &wellbase.Tenant{ID: id, Name: id, Tier: wellbase.TierStandard, Status: wellbase.TenantActive,
			Limits: wellbase.LimitOverrides{ConcurrentJobs: &concurrent}, CreatedAt: now, UpdatedAt: now}
		if err := db.CreateTenant(ctx, t); err != nil {
			tb.Fatal(err)
		}
	}
	return &Queue{Store: db}
}

// startWorker runs a fast-polling worker until the test ends; cancel stops it with no drain.
func startWorker(t *testing.T, q *Queue, id string, handlers map[string]Handler) (cancel func()) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	drain, stopDrain := context.WithCancel(context.Background())
	// A lease of 3 s outlives heartbeats delayed by a loaded machine (-race, parallel packages).
	w := &Worker{Queue: q, Handlers: handlers, ID: id, Concurrency: 2, Lease: 3 * time.Second, Poll: 10 * time.Millisecond,
		Backoff: func(int) time.Duration { return 10 * time.Millisecond }}
	done := make(chan struct{})
	go func() { w.Run(ctx, drain); close(done) }()
	cancel = func() { stop(); stopDrain(); <-done }
	t.Cleanup(cancel)
	return cancel
}

// waitFor polls the job until it is done, or fails after a generous deadline (not a timing
// assertion: only a guard against a hung test).
func waitFor(t *testing.T, q *Queue, tenant, id string, done func(*wellbase.Job) bool) *wellbase.Job {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		j, err := q.Store.Tenant(tenant).GetJob(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if done(j) {
			return j
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("job %s never reached the state wanted", id)
	return nil
}

func finished(j *wellbase.Job) bool { return j.Status.Done() }

func TestJobOutcomes(t *testing.T) {
	t.Parallel()
	q := newQueue(t, 4)
	var flaky atomic.Int32
	handlers := map[string]Handler{
		"echo": func(ctx context.Context, j *wellbase.Job, progress func(float64)) (any, error) {
			progress(0.5)
			var p map[string]any
			json.Unmarshal(j.Params, &p)
			return map[string]any{"echo": p["x"]}, nil
		},
		"flaky": func(ctx context.Context, j *wellbase.Job, progress func(float64)) (any, error) {
			if flaky.Add(1) < 3 {
				return nil, errors.New("database hiccup")
			}
			return "ok at last", nil
		},
		"broken": func(context.Context, *wellbase.Job, func(float64)) (any, error) {
			return nil, errors.New("always fails")
		},
		"invalid": func(context.Context, *wellbase.Job, func(float64)) (any, error) {
			return nil, wellbase.Errorf(wellbase.EInvalid, "phase %q unknown", "tea")
		},
		"panics": func(context.Context, *wellbase.Job, func(float64)) (any, error) { panic("boom") },
	}
	startWorker(t, q, "w1", handlers)
	ctx := context.Background()
	tests := []struct {
		name, typ string
		status    wellbase.JobStatus
		attempts  int
		result    string
		errText   string
	}{
		{"Succeeded", "echo", wellbase.JobSucceeded, 1, `{"echo":42}`, ""},
		{"RetriedThenSucceeded", "flaky", wellbase.JobSucceeded, 3, `"ok at last"`, ""},
		{"FailedAfterMaxAttempts", "broken", wellbase.JobFailed, DefaultMaxAttempts, "", "always fails"},
		{"PermanentErrorFailsAtOnce", "invalid", wellbase.JobFailed, 1, "", `phase "tea" unknown`},
		{"PanicIsAFailure", "panics", wellbase.JobFailed, DefaultMaxAttempts, "", "panicked: boom"},
		{"UnknownType", "nope", wellbase.JobFailed, 1, "", `no handler for job type "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, err := q.Enqueue(ctx, "acme", tt.typ, json.RawMessage(`{"x":42}`), "user:usr_1")
			if err != nil {
				t.Fatal(err)
			}
			j = waitFor(t, q, "acme", j.ID, finished)
			if j.Status != tt.status || j.Attempts != tt.attempts || string(j.Result) != tt.result || !strings.Contains(j.Error, tt.errText) {
				t.Errorf("job: status %s attempts %d result %s error %q; want %s %d %s %q", j.Status, j.Attempts, j.Result, j.Error, tt.status, tt.attempts, tt.result, tt.errText)
			}
			if j.LeaseOwner != "" || j.FinishedAt == nil {
				t.Errorf("finished job still leased or without finish time: %+v", j)
			}
		})
	}
}

// TestDeadWorkerJobIsFinishedByAnother leases a job as a worker that then dies without a word
// (as under SIGKILL): its lease runs out and a live worker finishes the job.
func TestDeadWorkerJobIsFinishedByAnother(t *testing.T) {
	t.Parallel()
	q := newQueue(t, 4)
	ctx := context.Background()
	j, _ := q.Enqueue(ctx, "acme", "echo", nil, "user:usr_1")
	dead, err := q.Lease(ctx, "dead-worker", 100*time.Millisecond, nil)
	if err != nil || dead == nil || dead.ID != j.ID {
		t.Fatalf("lease by the doomed worker: %v %v", dead, err)
	}
	startWorker(t, q, "live", map[string]Handler{"echo": func(context.Context, *wellbase.Job, func(float64)) (any, error) { return "done", nil }})
	j = waitFor(t, q, "acme", j.ID, finished)
	if j.Status != wellbase.JobSucceeded || j.Attempts != 2 {
		t.Errorf("job after its worker died: %s, %d attempts", j.Status, j.Attempts)
	}
	// The dead worker, back from the grave, cannot overwrite the outcome.
	_, err = q.Store.Tenant("acme").UpdateHeldJob(ctx, j.ID, "dead-worker", time.Now(), wellbase.JobUpdate{Progress: new(float64)})
	if wellbase.ErrorCode(err) != wellbase.EConflict {
		t.Errorf("update by the dead worker: %v, want conflict", err)
	}
}

func TestCancelRunningJob(t *testing.T) {
	t.Parallel()
	q := newQueue(t, 4)
	started := make(chan struct{})
	var once sync.Once
	startWorker(t, q, "w1", map[string]Handler{"slow": func(ctx context.Context, _ *wellbase.Job, _ func(float64)) (any, error) {
		once.Do(func() { close(started) })
		<-ctx.Done()
		return nil, context.Cause(ctx)
	}})
	j, _ := q.Enqueue(context.Background(), "acme", "slow", nil, "user:usr_1")
	<-started
	if _, err := q.Cancel(context.Background(), "acme", j.ID); err != nil {
		t.Fatal(err)
	}
	j = waitFor(t, q, "acme", j.ID, finished)
	if j.Status != wellbase.JobCancelled {
		t.Errorf("cancelled running job ended %s (%s)", j.Status, j.Error)
	}
}

// TestShutdownHandsJobBack stops a worker whose job outlasts the drain time: the job goes back
// to the queue at once, and another worker finishes it.
func TestShutdownHandsJobBack(t *testing.T) {
	t.Parallel()
	q := newQueue(t, 4)
	started := make(chan struct{}, 1)
	block := map[string]Handler{"slow": func(ctx context.Context, _ *wellbase.Job, _ func(float64)) (any, error) {
		started <- struct{}{}
		<-ctx.Done()
		return nil, ctx.Err()
	}}
	ctx, stop := context.WithCancel(context.Background())
	drain, stopDrain := context.WithTimeout(context.Background(), time.Hour)
	w := &Worker{Queue: q, Handlers: block, ID: "leaving", Concurrency: 1, Lease: time.Hour, Poll: 10 * time.Millisecond}
	done := make(chan struct{})
	go func() { w.Run(ctx, drain); close(done) }()
	j, _ := q.Enqueue(context.Background(), "acme", "slow", nil, "user:usr_1")
	<-started
	stop()      // SIGTERM: no new jobs
	stopDrain() // the drain time is over
	<-done
	got, _ := q.Store.Tenant("acme").GetJob(context.Background(), j.ID)
	if got.Status != wellbase.JobQueued || got.LeaseOwner != "" {
		t.Fatalf("job after shutdown: %s, lease %q; want queued and released", got.Status, got.LeaseOwner)
	}
	startWorker(t, q, "next", map[string]Handler{"slow": func(context.Context, *wellbase.Job, func(float64)) (any, error) { return "ok", nil }})
	if got = waitFor(t, q, "acme", j.ID, finished); got.Status != wellbase.JobSucceeded {
		t.Errorf("handed-back job ended %s", got.Status)
	}
}

// TestFairness: globex's one job is leased before acme's backlog, and no tenant runs more than
// its concurrent_jobs at once.
func TestFairness(t *testing.T) {
	t.Parallel()
	q := newQueue(t, 2)
	ctx := context.Background()
	for i := range 50 {
		if _, err := q.Enqueue(ctx, "acme", "x", json.RawMessage(fmt.Sprintf(`{"i":%d}`, i)), "user:a"); err != nil {
			t.Fatal(err)
		}
	}
	g, _ := q.Enqueue(ctx, "globex", "x", nil, "user:g")
	first, _ := q.Lease(ctx, "w", time.Minute, nil)
	second, _ := q.Lease(ctx, "w", time.Minute, nil)
	if first == nil || second == nil || (first.ID != g.ID && second.ID != g.ID) {
		t.Fatalf("globex's job was not among the first two leases: %v, %v", first, second)
	}
	third, _ := q.Lease(ctx, "w", time.Minute, nil)
	fourth, err := q.Lease(ctx, "w", time.Minute, nil)
	if third == nil || third.TenantID != "acme" || fourth != nil || err != nil {
		t.Errorf("acme at its concurrent_jobs limit of 2: third %v, fourth %v (%v)", third, fourth, err)
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	for attempt, want := range map[int]time.Duration{1: 2 * time.Second, 2: 4 * time.Second, 5: 32 * time.Second, 30: BackoffMax} {
		if got := Backoff(attempt); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", attempt, got, want)
		}
	}
}

// TestStuckHandlerDoesNotBlockCancelOrShutdown: a handler that never watches its context (a
// computation stuck in a loop) is abandoned after a cancel, and a worker with such a job in hand
// still stops at shutdown, handing the job back.
func TestStuckHandlerDoesNotBlockCancelOrShutdown(t *testing.T) {
	t.Parallel()
	q := newQueue(t, 4)
	release := make(chan struct{})
	defer close(release)
	started := make(chan struct{}, 4)
	stuck := map[string]Handler{"stuck": func(context.Context, *wellbase.Job, func(float64)) (any, error) {
		started <- struct{}{}
		<-release // ignores its context
		return nil, nil
	}}
	stop := startWorker(t, q, "w1", stuck)
	ctx := context.Background()
	j, _ := q.Enqueue(ctx, "acme", "stuck", nil, "user:usr_1")
	<-started
	q.Cancel(ctx, "acme", j.ID)
	if got := waitFor(t, q, "acme", j.ID, finished); got.Status != wellbase.JobCancelled {
		t.Errorf("cancelled stuck job ended %s", got.Status)
	}
	k, _ := q.Enqueue(ctx, "acme", "stuck", nil, "user:usr_1")
	<-started
	stopped := make(chan struct{})
	go func() { stop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(30 * time.Second): // a guard against a hang
		t.Fatal("worker shutdown blocked by a stuck handler")
	}
	if got, _ := q.Store.Tenant("acme").GetJob(ctx, k.ID); got.Status != wellbase.JobQueued || got.LeaseOwner != "" {
		t.Errorf("stuck job after shutdown: %s, lease %q; want queued and released", got.Status, got.LeaseOwner)
	}
}
