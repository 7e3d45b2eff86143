// Package jobs is Wellbase's durable job queue: jobs are rows in the database (the store port),
// leased by workers for a visibility timeout that they extend with heartbeats while they work.
// A worker that dies (SIGKILL, a lost container) stops heartbeating; its lease runs out and
// another worker leases the job again. Failures are retried with exponential backoff up to the
// job's MaxAttempts; then the job fails with its error kept. Tenants are served fairly: each
// lease goes to the tenant with the fewest jobs running, within its concurrent_jobs limit, so
// one tenant's thousand jobs do not starve another's one.
//
// Handlers must be idempotent: a job may run more than once (a lease can expire while a slow
// worker still runs it).
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
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
}

func (q *Queue) now() time.Time {
	if q.Now != nil {
		return q.Now()
	}
	return time.Now()
}

// Enqueue stores a new queued job of type typ with params for tenant, created by actor.
func (q *Queue) Enqueue(ctx context.Context, tenant, typ string, params json.RawMessage, actor string) (*wellbase.Job, error) {
	if len(params) == 0 {
		params = json.RawMessage("{}")
	}
	now := q.now().UTC()
	j := &wellbase.Job{ID: wellbase.NewID("job"), TenantID: tenant, Type: typ, Params: params, Status: wellbase.JobQueued,
		MaxAttempts: DefaultMaxAttempts, RunAt: now, CreatedBy: actor, CreatedAt: now, UpdatedAt: now}
	if err := q.Store.Tenant(tenant).CreateJob(ctx, j); err != nil {
		return nil, err
	}
	return j, nil
}

// errNoJob means there is no job to lease now.
var errNoJob = errors.New("no job to lease")

// Lease leases the next job for worker, fairly across tenants, within each tenant's
// concurrent_jobs limit; it returns (nil, nil) when there is nothing to do.
func (q *Queue) Lease(ctx context.Context, worker string, lease time.Duration) (*wellbase.Job, error) {
	for range 5 { // another worker may win a claim; look again
		j, err := q.leaseOnce(ctx, worker, lease)
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

func (q *Queue) leaseOnce(ctx context.Context, worker string, lease time.Duration) (*wellbase.Job, error) {
	now := q.now()
	refs, running, err := q.Store.RunnableJobs(ctx, now)
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
