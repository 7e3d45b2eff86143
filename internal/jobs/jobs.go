// Package jobs is Wellbase's durable job queue: jobs are rows in the database (the store port),
// leased by workers for a visibility timeout that they extend with heartbeats while they work.
// A worker that dies (SIGKILL, a lost container) stops heartbeating; its lease runs out and
// another worker leases the job again. Failures are retried with exponential backoff up to the
// job's MaxAttempts; then the job fails with its error kept.
//
// # Fairness
//
// Tenants are served fairly by two rules:
//
//  1. Within a Worker of W slots (Concurrency), one tenant holds at most max(1, W−1) slots, at
//     all times, not only while another tenant has queued work. A running job cannot be
//     preempted, so a slot taken when nobody else was waiting would be held for the whole job
//     (issue 12: ten 1.5 s petrophysics jobs of one tenant on two slots delayed another
//     tenant's decline fit from 0.1 s to 16 s). The slot kept back lets another tenant's job
//     start within one poll. The price: a lone tenant uses W−1 slots, so give workers W ≥ 3
//     where one tenant's throughput matters; with W = 1 the rule cannot apply (the one slot
//     is shared in turn by rule 2).
//  2. Among the tenants a slot may take (active, under their concurrent_jobs limit, under the
//     slot share of rule 1), the one with the fewest jobs running in the whole store goes first,
//     then the oldest job: a tenant with nothing running goes before one with work in progress,
//     and one tenant's thousand jobs do not starve another's one.
//
// Across processes sharing the store there is no global lock: rule 1 is kept per process (each
// counts its own slots, exactly, by leasing one slot at a time), rule 2 reads the running counts
// from the store, and ClaimJob's compare-and-set keeps one job to one worker. So with P worker
// processes a tenant holds at most P·(W−1) slots of the P·W, and concurrent_jobs is kept up to a
// race between processes that read the same count at once (at most P−1 jobs over the limit,
// until one ends). Queue.Claim (the Lambda path) runs one job per invocation and keeps only the
// concurrent_jobs limit.
//
// Handlers must be idempotent: a job may run more than once (a lease can expire while a slow
// worker still runs it).
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
)

// Defaults of the queue.
const (
	DefaultMaxAttempts = 5
	// DefaultLease is how long a lease lasts without a heartbeat.
	DefaultLease = 30 * time.Second
	// BackoffBase and BackoffMax bound the wait before a retry: base·2^(attempt−1), at most max.
	BackoffBase = 2 * time.Second
	BackoffMax  = 10 * time.Minute
)

// Queue enqueues and leases jobs.
type Queue struct {
	Store wellbase.Store
	// Now returns the current time; time.Now if nil.
	Now func() time.Time
	// OnEnqueue, if set, is called with each job Enqueue has stored, on the caller's goroutine:
	// it must return at once (start its own goroutine for I/O: see Dispatcher). On AWS it sends
	// a job of a Lambda type to the job function, so that the job starts within seconds rather
	// than at the next scheduled drain.
	OnEnqueue func(ctx context.Context, j *wellbase.Job)
}

func (q *Queue) now() time.Time {
	if q.Now != nil {
		return q.Now()
	}
	return time.Now()
}

// Enqueue stores a new queued job of type typ with params for tenant, created by actor. Its ID
// is wellbase.NewIDContext's: under the ID seed of a request run again after its replica died,
// the job that run stored is returned instead of a second one (EIdempotencyKeyReused if that
// job is of another type or has other params: the key was reused).
func (q *Queue) Enqueue(ctx context.Context, tenant, typ string, params json.RawMessage, actor string) (*wellbase.Job, error) {
	if len(params) == 0 {
		params = json.RawMessage("{}")
	}
	now := q.now().UTC()
	j := &wellbase.Job{ID: wellbase.NewIDContext(ctx, "job"), TenantID: tenant, Type: typ, Params: params, Status: wellbase.JobQueued,
		MaxAttempts: DefaultMaxAttempts, RunAt: now, CreatedBy: actor, CreatedAt: now, UpdatedAt: now}
	if err := q.Store.Tenant(tenant).CreateJob(ctx, j); err != nil {
		if wellbase.ErrorCode(err) != wellbase.EConflict || !wellbase.SeededID(ctx) {
			return nil, err
		}
		made, gerr := q.Store.Tenant(tenant).GetJob(ctx, j.ID)
		if gerr != nil {
			return nil, err
		}
		if made.Type != typ || !sameJSON(made.Params, params) {
			return nil, wellbase.Errorf(wellbase.EIdempotencyKeyReused,
				"this Idempotency-Key was used for another request whose replica stopped before answering; use a new key for a new request")
		}
		return made, nil
	}
	if q.OnEnqueue != nil {
		q.OnEnqueue(ctx, j)
	}
	return j, nil
}

// sameJSON reports whether a and b are the same JSON value (stores may keep params reformatted).
func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return string(a) == string(b)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return string(xa) == string(ya)
}

// errNoJob means there is no job to lease now.
var errNoJob = errors.New("no job to lease")

// Lease leases the next job of types (nil: any type) for worker, fairly across tenants, within
// each tenant's concurrent_jobs limit; it returns (nil, nil) when there is nothing to do.
func (q *Queue) Lease(ctx context.Context, worker string, lease time.Duration, types []string) (*wellbase.Job, error) {
	return q.lease(ctx, worker, lease, types, nil)
}

// lease is Lease leaving out the tenants for which full reports true (those that hold their
// share of the calling process's worker slots).
func (q *Queue) lease(ctx context.Context, worker string, lease time.Duration, types []string, full func(tenant string) bool) (*wellbase.Job, error) {
	for range 5 { // another worker may win a claim; look again
		j, err := q.leaseOnce(ctx, worker, lease, types, full)
		if errors.Is(err, errNoJob) {
			return nil, nil
		}
		if wellbase.ErrorCode(err) == wellbase.EConflict {
			continue
		}
		return j, err
	}
	return nil, nil
}

func (q *Queue) leaseOnce(ctx context.Context, worker string, lease time.Duration, types []string, full func(string) bool) (*wellbase.Job, error) {
	now := q.now()
	refs, running, err := q.Store.RunnableJobs(ctx, now, types)
	if err != nil {
		return nil, fmt.Errorf("find runnable jobs: %w", err)
	}
	// Fewest running first, then the oldest job: a tenant with nothing running always goes
	// before one that already has work in progress.
	sort.SliceStable(refs, func(a, b int) bool {
		ra, rb := running[refs[a].TenantID], running[refs[b].TenantID]
		if ra != rb {
			return ra < rb
		}
		return refs[a].ID < refs[b].ID
	})
	for _, ref := range refs {
		if full != nil && full(ref.TenantID) {
			continue
		}
		t, err := q.Store.GetTenant(ctx, ref.TenantID)
		if err != nil {
			return nil, fmt.Errorf("limits of tenant %s: %w", ref.TenantID, err)
		}
		if t.Status != wellbase.TenantActive || running[ref.TenantID] >= t.EffectiveLimits().ConcurrentJobs {
			continue
		}
		return q.Store.ClaimJob(ctx, ref, worker, now, now.Add(lease))
	}
	return nil, errNoJob
}

// Claim leases the one job ref for worker, if a worker of types (nil: any type) may run it now:
// the job is queued and due (or its worker died: running under an expired lease), its tenant is
// active and runs fewer jobs than its concurrent_jobs limit. The lease itself is the store's
// ClaimJob compare-and-set that Lease uses, so of a worker and a Lambda invocation (or several
// invocations) given the same job, one runs it and the others are refused.
//
// A refusal is an error with code ENotFound (no such job in the tenant), ELimitExceeded (the
// tenant's concurrent_jobs limit is reached) or EConflict (anything else: the job is of another
// type, running under a live lease, finished, not yet due, its tenant is not active, or another
// worker claimed it first), whose message says which; other errors are the store's.
func (q *Queue) Claim(ctx context.Context, ref wellbase.JobRef, worker string, lease time.Duration, types []string) (*wellbase.Job, error) {
	now := q.now()
	if err := wellbase.ValidateTenantID(ref.TenantID); err != nil {
		return nil, wellbase.Errorf(wellbase.ENotFound, "job %s not found in tenant %q", ref.ID, ref.TenantID)
	}
	j, err := q.Store.Tenant(ref.TenantID).GetJob(ctx, ref.ID)
	if err != nil {
		if wellbase.ErrorCode(err) == wellbase.ENotFound {
			return nil, wellbase.Errorf(wellbase.ENotFound, "job %s not found in tenant %s", ref.ID, ref.TenantID)
		}
		return nil, err
	}
	switch {
	case len(types) > 0 && !slices.Contains(types, j.Type):
		return nil, wellbase.Errorf(wellbase.EConflict, "job %s is a %s job; this worker runs %s", j.ID, j.Type, strings.Join(types, ", "))
	case j.Status.Done():
		return nil, wellbase.Errorf(wellbase.EConflict, "job %s is already %s", j.ID, j.Status)
	case j.Status == wellbase.JobRunning && j.LeaseUntil != nil && j.LeaseUntil.After(now):
		return nil, wellbase.Errorf(wellbase.EConflict, "job %s is running, leased by %s until %s", j.ID, j.LeaseOwner, j.LeaseUntil.UTC().Format(time.RFC3339))
	case j.Status == wellbase.JobQueued && j.RunAt.After(now):
		return nil, wellbase.Errorf(wellbase.EConflict, "job %s waits until %s (retry backoff)", j.ID, j.RunAt.UTC().Format(time.RFC3339))
	}
	t, err := q.Store.GetTenant(ctx, ref.TenantID)
	if err != nil {
		return nil, fmt.Errorf("limits of tenant %s: %w", ref.TenantID, err)
	}
	if t.Status != wellbase.TenantActive {
		return nil, wellbase.Errorf(wellbase.EConflict, "tenant %s is %s: its jobs wait", t.ID, t.Status)
	}
	n, err := q.Store.Tenant(ref.TenantID).CountRunningJobs(ctx, now)
	if err != nil {
		return nil, fmt.Errorf("running jobs of tenant %s: %w", ref.TenantID, err)
	}
	if limit := t.EffectiveLimits().ConcurrentJobs; n >= limit {
		return nil, wellbase.Errorf(wellbase.ELimitExceeded, "tenant %s runs %d jobs, its concurrent_jobs limit of %d: job %s waits", t.ID, n, limit, j.ID)
	}
	return q.Store.ClaimJob(ctx, ref, worker, now, now.Add(lease))
}

// Stats returns the queue's statistics at now for jobs of types (nil: any type).
func (q *Queue) Stats(ctx context.Context, types []string) (wellbase.QueueStats, error) {
	return q.Store.QueueStats(ctx, q.now(), types)
}

// Backoff returns the wait before retry number attempt (1-based): BackoffBase·2^(attempt−1),
// capped at BackoffMax.
func Backoff(attempt int) time.Duration {
	d := BackoffBase
	for i := 1; i < attempt && d < BackoffMax; i++ {
		d *= 2
	}
	return min(d, BackoffMax)
}

// Cancel cancels a tenant's job (see wellbase.TenantStore.CancelJob).
func (q *Queue) Cancel(ctx context.Context, tenant, id string) (*wellbase.Job, error) {
	return q.Store.Tenant(tenant).CancelJob(ctx, id, q.now())
}
