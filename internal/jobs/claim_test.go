package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/testlog"
)

// TestClaim: a named job is claimed only when a worker of its types may run it now; each
// refusal says why.
func TestClaim(t *testing.T) {
	t.Parallel()
	q := newQueue(t, 1)
	ctx := context.Background()
	short := []string{"decline-fit", "petrophysics"}
	ref := func(j *wellbase.Job) wellbase.JobRef { return wellbase.JobRef{TenantID: j.TenantID, ID: j.ID} }

	long, _ := q.Enqueue(ctx, "acme", "tenant-export", nil, "user:a")
	_, err := q.Claim(ctx, ref(long), "lambda", time.Minute, short)
	if wellbase.ErrorCode(err) != wellbase.EConflict || !strings.Contains(err.Error(), "tenant-export job") {
		t.Errorf("claim of a job of another type: %v", err)
	}
	_, err = q.Claim(ctx, wellbase.JobRef{TenantID: "acme", ID: "job_nope"}, "lambda", time.Minute, short)
	if wellbase.ErrorCode(err) != wellbase.ENotFound {
		t.Errorf("claim of a missing job: %v", err)
	}
	_, err = q.Claim(ctx, wellbase.JobRef{TenantID: "../x", ID: "job_nope"}, "lambda", time.Minute, short)
	if wellbase.ErrorCode(err) != wellbase.ENotFound {
		t.Errorf("claim with a malformed tenant: %v", err)
	}

	j, _ := q.Enqueue(ctx, "acme", "decline-fit", nil, "user:a")
	got, err := q.Claim(ctx, ref(j), "lambda", time.Minute, short)
	if err != nil || got.LeaseOwner != "lambda" || got.Attempts != 1 || got.Status != wellbase.JobRunning {
		t.Fatalf("claim: %+v, %v", got, err)
	}
	_, err = q.Claim(ctx, ref(j), "worker", time.Minute, nil)
	if wellbase.ErrorCode(err) != wellbase.EConflict || !strings.Contains(err.Error(), "leased by lambda") {
		t.Errorf("claim of a held job: %v", err)
	}
	// acme's concurrent_jobs limit is 1, and one job runs.
	k, _ := q.Enqueue(ctx, "acme", "petrophysics", nil, "user:a")
	_, err = q.Claim(ctx, ref(k), "lambda-2", time.Minute, short)
	if wellbase.ErrorCode(err) != wellbase.ELimitExceeded || !strings.Contains(err.Error(), "concurrent_jobs limit of 1") {
		t.Errorf("claim over the tenant's limit: %v", err)
	}
	done := wellbase.JobSucceeded
	if _, err := q.Store.Tenant("acme").UpdateHeldJob(ctx, j.ID, "lambda", time.Now(), wellbase.JobUpdate{Status: &done, Release: true}); err != nil {
		t.Fatal(err)
	}
	_, err = q.Claim(ctx, ref(j), "lambda", time.Minute, short)
	if wellbase.ErrorCode(err) != wellbase.EConflict || !strings.Contains(err.Error(), "already succeeded") {
		t.Errorf("claim of a finished job: %v", err)
	}
	if got, err := q.Claim(ctx, ref(k), "lambda-2", time.Minute, short); err != nil || got.ID != k.ID {
		t.Errorf("claim once the limit allows: %v, %v", got, err)
	}

	// Not yet due (a retry's backoff), and a suspended tenant's job.
	later := q.now().Add(time.Hour)
	q2 := &Queue{Store: q.Store, Now: func() time.Time { return later }}
	delayed, _ := q2.Enqueue(ctx, "globex", "decline-fit", nil, "user:g")
	_, err = q.Claim(ctx, ref(delayed), "lambda", time.Minute, short)
	if wellbase.ErrorCode(err) != wellbase.EConflict || !strings.Contains(err.Error(), "waits until") {
		t.Errorf("claim of a job not yet due: %v", err)
	}
	st := wellbase.TenantSuspended
	if _, err := q.Store.UpdateTenant(ctx, "globex", wellbase.TenantUpdate{Status: &st}); err != nil {
		t.Fatal(err)
	}
	waiting, _ := q.Enqueue(ctx, "globex", "decline-fit", nil, "user:g")
	_, err = q.Claim(ctx, ref(waiting), "lambda", time.Minute, short)
	if wellbase.ErrorCode(err) != wellbase.EConflict || !strings.Contains(err.Error(), "suspended") {
		t.Errorf("claim of a suspended tenant's job: %v", err)
	}
}

// TestWorkerTypes: a worker given types leases only those, oldest first among them.
func TestWorkerTypes(t *testing.T) {
	t.Parallel()
	q := newQueue(t, 4)
	ctx := context.Background()
	other, _ := q.Enqueue(ctx, "acme", "log-parse", nil, "user:a")
	mine, _ := q.Enqueue(ctx, "acme", "decline-fit", nil, "user:a")
	var mu sync.Mutex
	var outcomes []Outcome
	ctxRun, stop := context.WithCancel(ctx)
	drain, stopDrain := context.WithCancel(ctx)
	w := &Worker{Queue: q, Types: []string{"decline-fit"}, ID: "short", Concurrency: 1, Lease: 3 * time.Second, Poll: 10 * time.Millisecond,
		Handlers:  map[string]Handler{"decline-fit": func(context.Context, *wellbase.Job, func(float64)) (any, error) { return "fit", nil }},
		OnOutcome: func(o Outcome) { mu.Lock(); outcomes = append(outcomes, o); mu.Unlock() }}
	done := make(chan struct{})
	go func() { w.Run(ctxRun, drain); close(done) }()
	waitFor(t, q, "acme", mine.ID, finished)
	stop()
	stopDrain()
	<-done
	if j, _ := q.Store.Tenant("acme").GetJob(ctx, other.ID); j.Status != wellbase.JobQueued || j.Attempts != 0 {
		t.Errorf("the log-parse job was touched: %s, %d attempts", j.Status, j.Attempts)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(outcomes) != 1 || outcomes[0].Job.ID != mine.ID || outcomes[0].Status != wellbase.JobSucceeded || string(outcomes[0].Result) != `"fit"` ||
		outcomes[0].Worker != "short/0" {
		t.Errorf("outcomes %+v", outcomes)
	}
}

// TestRunJobOutcome: RunJob reports retries, final failures and successes as recorded.
func TestRunJobOutcome(t *testing.T) {
	t.Parallel()
	q := newQueue(t, 4)
	ctx := context.Background()
	w := &Worker{Queue: q, Lease: 3 * time.Second, Handlers: map[string]Handler{
		"flaky": func(context.Context, *wellbase.Job, func(float64)) (any, error) { return nil, errors.New("hiccup") },
		"invalid": func(context.Context, *wellbase.Job, func(float64)) (any, error) {
			return nil, wellbase.Errorf(wellbase.EInvalid, "bad phase")
		},
	}}
	for _, tc := range []struct {
		typ    string
		status wellbase.JobStatus
		retry  bool
		errHas string
	}{
		{"flaky", wellbase.JobQueued, true, "hiccup"},
		{"invalid", wellbase.JobFailed, false, "bad phase"},
	} {
		j, _ := q.Enqueue(ctx, "acme", tc.typ, nil, "user:a")
		leased, err := q.Claim(ctx, wellbase.JobRef{TenantID: "acme", ID: j.ID}, "w", time.Minute, nil)
		if err != nil {
			t.Fatal(err)
		}
		o := w.RunJob(ctx, ctx, "w", leased)
		if o.Status != tc.status || o.Retry != tc.retry || !strings.Contains(o.Error, tc.errHas) || o.HandedBack || o.LeaseLost || o.RecordError != nil {
			t.Errorf("%s: outcome %+v", tc.typ, o)
		}
		if got, _ := q.Store.Tenant("acme").GetJob(ctx, j.ID); got.Status != tc.status {
			t.Errorf("%s: stored status %s, outcome %s", tc.typ, got.Status, o.Status)
		}
	}
}

// TestDispatcher: Enqueue hands each stored job to OnEnqueue; the Dispatcher sends only its
// types, never fails or blocks the enqueuer (a failed send is a warning), and bounds the sends
// under way.
func TestDispatcher(t *testing.T) {
	t.Parallel()
	q := newQueue(t, 4)
	ctx := context.Background()
	var logs testlog.Buffer
	var mu sync.Mutex
	var sent []string
	block := make(chan struct{})
	d := &Dispatcher{Types: []string{"decline-fit"}, MaxInFlight: 2, Timeout: time.Minute, Log: slog.New(slog.NewJSONHandler(&logs, nil)),
		Send: func(ctx context.Context, j *wellbase.Job) error {
			mu.Lock()
			sent = append(sent, j.ID)
			mu.Unlock()
			<-block
			var p struct{ Fail bool }
			if err := json.Unmarshal(j.Params, &p); err == nil && p.Fail {
				return errors.New("function throttled")
			}
			return nil
		}}
	q.OnEnqueue = d.Notify
	a, err := q.Enqueue(ctx, "acme", "decline-fit", []byte(`{"fail":true}`), "user:a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.Enqueue(ctx, "acme", "log-parse", nil, "user:a"); err != nil { // not a Lambda type: not sent
		t.Fatal(err)
	}
	b, _ := q.Enqueue(ctx, "acme", "decline-fit", nil, "user:a")
	c, _ := q.Enqueue(ctx, "acme", "decline-fit", nil, "user:a") // a third while two are under way: dropped
	// Enqueue returned while the sends are blocked: they run off the enqueuer's path.
	wctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	if err := d.Wait(wctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Wait with sends blocked: %v", err)
	}
	cancel()
	close(block)
	if err := d.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(sent) != 2 || !(sent[0] == a.ID || sent[1] == a.ID) || !(sent[0] == b.ID || sent[1] == b.ID) {
		t.Errorf("sent %v, want %s and %s", sent, a.ID, b.ID)
	}
	out := logs.String()
	for _, want := range []string{"function throttled", c.ID + `","type":"decline-fit","in_flight":2`, `"msg":"job dispatched"`} {
		if !strings.Contains(out, want) {
			t.Errorf("logs lack %q:\n%s", want, out)
		}
	}
	for _, id := range []string{a.ID, b.ID, c.ID} {
		if j, _ := q.Store.Tenant("acme").GetJob(ctx, id); j.Status != wellbase.JobQueued {
			t.Errorf("job %s is %s after dispatch; the queue keeps it until a worker runs it", id, j.Status)
		}
	}
}
