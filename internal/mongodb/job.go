package mongodb

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/wellbase/wellbase"
)

// jobDoc is a document of jobs. Params and Result are JSON text; a missing result, lease or
// finish time is null.
type jobDoc struct {
	Key             string     `bson:"_id"` // "<tenant>/<id>"
	TenantID        string     `bson:"tenant"`
	ID              string     `bson:"id"`
	Type            string     `bson:"type"`
	Params          string     `bson:"params"`
	Status          string     `bson:"status"`
	Attempts        int        `bson:"attempts"`
	MaxAttempts     int        `bson:"max_attempts"`
	Progress        float64    `bson:"progress"`
	Result          *string    `bson:"result"`
	Error           string     `bson:"error"`
	RunAt           time.Time  `bson:"run_at"`
	LeaseOwner      string     `bson:"lease_owner"`
	LeaseUntil      *time.Time `bson:"lease_until"`
	CancelRequested bool       `bson:"cancel_requested"`
	CreatedBy       string     `bson:"created_by"`
	CreatedAt       time.Time  `bson:"created_at"`
	UpdatedAt       time.Time  `bson:"updated_at"`
	FinishedAt      *time.Time `bson:"finished_at"`
}

func (d *jobDoc) job() *wellbase.Job {
	return &wellbase.Job{
		ID: d.ID, TenantID: d.TenantID, Type: d.Type, Params: rawJSON(&d.Params), Status: wellbase.JobStatus(d.Status),
		Attempts: d.Attempts, MaxAttempts: d.MaxAttempts, Progress: d.Progress, Result: rawJSON(d.Result), Error: d.Error,
		RunAt: d.RunAt, LeaseOwner: d.LeaseOwner, LeaseUntil: d.LeaseUntil, CancelRequested: d.CancelRequested,
		CreatedBy: d.CreatedBy, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, FinishedAt: d.FinishedAt,
	}
}

// leasable reports whether a worker may lease the job at now: queued and due, or running under
// an expired lease.
func (d *jobDoc) leasable(now time.Time) bool {
	switch wellbase.JobStatus(d.Status) {
	case wellbase.JobQueued:
		return !d.RunAt.After(now)
	case wellbase.JobRunning:
		return d.LeaseUntil != nil && !d.LeaseUntil.After(now)
	}
	return false
}

// Statuses as stored.
const (
	queued    = string(wellbase.JobQueued)
	running   = string(wellbase.JobRunning)
	cancelled = string(wellbase.JobCancelled)
	failed    = string(wellbase.JobFailed)
)

// CreateJob inserts j with its TenantID set to the store's tenant; EConflict if its ID exists.
func (s *TenantDB) CreateJob(ctx context.Context, j *wellbase.Job) error {
	if err := s.check(ctx, "create job"); err != nil {
		return err
	}
	j.TenantID = s.tenant
	params := string(j.Params)
	if params == "" {
		params = "{}"
	}
	_, err := s.db.coll(colJobs).InsertOne(ctx, &jobDoc{
		Key: s.key(j.ID), TenantID: s.tenant, ID: j.ID, Type: j.Type, Params: params, Status: string(j.Status),
		Attempts: j.Attempts, MaxAttempts: j.MaxAttempts, Progress: j.Progress, Result: jsonText(j.Result), Error: j.Error,
		RunAt: j.RunAt, LeaseOwner: j.LeaseOwner, LeaseUntil: j.LeaseUntil, CancelRequested: j.CancelRequested,
		CreatedBy: j.CreatedBy, CreatedAt: j.CreatedAt, UpdatedAt: j.UpdatedAt, FinishedAt: j.FinishedAt,
	})
	if isDup(err) {
		return wellbase.Errorf(wellbase.EConflict, "job %s already exists in tenant %s", j.ID, s.tenant)
	}
	return wrap("create job", err)
}

// GetJob returns the tenant's job id; ENotFound if there is none.
func (s *TenantDB) GetJob(ctx context.Context, id string) (*wellbase.Job, error) {
	if err := s.check(ctx, "get job"); err != nil {
		return nil, err
	}
	d, err := s.getJob(ctx, id)
	if err != nil {
		return nil, err
	}
	return d.job(), nil
}

// getJob returns the document of the tenant's job id; ENotFound if there is none.
func (s *TenantDB) getJob(ctx context.Context, id string) (*jobDoc, error) {
	var d jobDoc
	err := findOne(ctx, s.db.coll(colJobs), s.byID(id), &d)
	if isNoDoc(err) {
		return nil, notFound("job", id)
	}
	if err != nil {
		return nil, wrap("get job", err)
	}
	return &d, nil
}

// ListJobs returns the tenant's jobs newest first.
func (s *TenantDB) ListJobs(ctx context.Context, page wellbase.Page) ([]*wellbase.Job, string, error) {
	if err := s.check(ctx, "list jobs"); err != nil {
		return nil, "", err
	}
	list, next, err := listPage(ctx, s.db.coll(colJobs), s.filter(), page, s.key(page.After), true,
		(*jobDoc).job, func(j *wellbase.Job) string { return j.ID })
	return list, next, wrap("list jobs", err)
}

// modifyJob applies update to the tenant's job id if it matches conds, in one findAndModify, and
// returns the job as updated; nil if it does not match (or does not exist). On FerretDB the
// caller holds the job's lock and has checked conds on the job it read under it: the update is
// by _id alone (see byID).
func (s *TenantDB) modifyJob(ctx context.Context, id string, conds bson.D, update bson.D) (*jobDoc, error) {
	if s.db.ferret {
		conds = nil
	}
	var d jobDoc
	err := s.db.coll(colJobs).FindOneAndUpdate(ctx, s.byID(id, conds...), update,
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if isNoDoc(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// UpdateHeldJob applies u to job id if worker holds its live lease at now, and returns the job
// as updated: one findAndModify whose filter is the lease (status running, lease_owner worker,
// lease_until after now). EConflict if the worker does not hold it; ENotFound if there is no job
// id in the tenant.
func (s *TenantDB) UpdateHeldJob(ctx context.Context, id, worker string, now time.Time, u wellbase.JobUpdate) (*wellbase.Job, error) {
	if err := s.check(ctx, "update job"); err != nil {
		return nil, err
	}
	fields := bson.D{{Key: "updated_at", Value: now}}
	if u.Status != nil {
		fields = append(fields, bson.E{Key: "status", Value: string(*u.Status)})
	}
	if u.Progress != nil {
		fields = append(fields, bson.E{Key: "progress", Value: *u.Progress})
	}
	if u.Result != nil {
		fields = append(fields, bson.E{Key: "result", Value: jsonText(u.Result)})
	}
	if u.Error != nil {
		fields = append(fields, bson.E{Key: "error", Value: *u.Error})
	}
	if u.RunAt != nil {
		fields = append(fields, bson.E{Key: "run_at", Value: *u.RunAt})
	}
	switch {
	case u.Release:
		fields = append(fields, bson.E{Key: "lease_owner", Value: ""}, bson.E{Key: "lease_until", Value: nil})
	case u.LeaseUntil != nil:
		fields = append(fields, bson.E{Key: "lease_until", Value: *u.LeaseUntil})
	}
	if u.FinishedAt != nil {
		fields = append(fields, bson.E{Key: "finished_at", Value: *u.FinishedAt})
	}
	unlock, err := s.db.lockDoc(ctx, colJobs, s.key(id))
	if err != nil {
		return nil, err
	}
	defer unlock()
	notHeld := wellbase.Errorf(wellbase.EConflict, "job %s is not held by worker %s", id, worker)
	if s.db.ferret { // the lease, checked on the job as read under the lock (see modifyJob)
		d, err := s.getJob(ctx, id)
		if err != nil {
			return nil, err
		}
		if d.Status != running || d.LeaseOwner != worker || d.LeaseUntil == nil || !d.LeaseUntil.After(now) {
			return nil, notHeld
		}
	}
	held := bson.D{{Key: "status", Value: running}, {Key: "lease_owner", Value: worker},
		{Key: "lease_until", Value: bson.D{{Key: "$gt", Value: now}}}}
	d, err := s.modifyJob(ctx, id, held, bson.D{{Key: "$set", Value: fields}})
	if err != nil {
		return nil, wrap("update job", err)
	}
	if d == nil {
		if _, err := s.getJob(ctx, id); err != nil {
			return nil, err
		}
		return nil, notHeld
	}
	return d.job(), nil
}

// CancelJob cancels a queued job at once, or flags a running one for its worker to stop; a
// finished job is unchanged. Each change is a findAndModify whose filter is the status read
// before it; if the status changed in between, CancelJob reads the job again. ENotFound if there
// is no job id in the tenant.
func (s *TenantDB) CancelJob(ctx context.Context, id string, now time.Time) (*wellbase.Job, error) {
	if err := s.check(ctx, "cancel job"); err != nil {
		return nil, err
	}
	unlock, err := s.db.lockDoc(ctx, colJobs, s.key(id))
	if err != nil {
		return nil, err
	}
	defer unlock()
	for {
		d, err := s.getJob(ctx, id)
		if err != nil {
			return nil, err
		}
		var update bson.D
		switch d.Status {
		case queued:
			update = bson.D{{Key: "status", Value: cancelled}, {Key: "finished_at", Value: now}, {Key: "updated_at", Value: now}}
		case running:
			update = bson.D{{Key: "cancel_requested", Value: true}, {Key: "updated_at", Value: now}}
		default:
			return d.job(), nil
		}
		after, err := s.modifyJob(ctx, id, bson.D{{Key: "status", Value: d.Status}}, bson.D{{Key: "$set", Value: update}})
		if err != nil {
			return nil, wrap("cancel job", err)
		}
		if after != nil {
			return after.job(), nil
		}
	}
}

// CountRunningJobs counts the tenant's jobs running under a live lease at now.
func (s *TenantDB) CountRunningJobs(ctx context.Context, now time.Time) (int, error) {
	return s.count(ctx, "count running jobs", colJobs, bson.E{Key: "status", Value: running},
		bson.E{Key: "lease_until", Value: bson.D{{Key: "$gt", Value: now}}})
}

// typeCond returns the condition on a job's type of types: none for nil or empty (every type).
func typeCond(types []string) bson.D {
	if len(types) == 0 {
		return nil
	}
	return bson.D{{Key: "type", Value: bson.D{{Key: "$in", Value: types}}}}
}

// waitingTenants returns the tenants that have queued or running jobs of types.
func (db *DB) waitingTenants(ctx context.Context, types []string) ([]string, error) {
	if db.ferret {
		// FerretDB's distinct refuses maxTimeMS, which the driver sends when ctx has a deadline
		// (a Lambda invocation's): see the package doc.
		ctx = context.WithoutCancel(ctx)
	}
	var tenants []string
	filter := append(bson.D{{Key: "status", Value: bson.D{{Key: "$in", Value: bson.A{queued, running}}}}}, typeCond(types)...)
	res := db.coll(colJobs).Distinct(ctx, "tenant", filter)
	if err := res.Err(); err != nil { // Decode does not return the command's error
		return nil, err
	}
	err := res.Decode(&tenants)
	return tenants, err
}

// leaseDoc is the part of a running job's document that RunnableJobs and QueueStats read.
type leaseDoc struct {
	TenantID   string     `bson:"tenant"`
	ID         string     `bson:"id"`
	Type       string     `bson:"type"`
	LeaseUntil *time.Time `bson:"lease_until"`
}

// runningJobs returns the running jobs of tenants, of every type.
func (db *DB) runningJobs(ctx context.Context, tenants []string) ([]leaseDoc, error) {
	return findAll[leaseDoc](ctx, db.coll(colJobs),
		bson.D{{Key: "tenant", Value: bson.D{{Key: "$in", Value: tenants}}}, {Key: "status", Value: running}},
		options.Find().SetProjection(bson.D{{Key: "tenant", Value: 1}, {Key: "id", Value: 1}, {Key: "type", Value: 1}, {Key: "lease_until", Value: 1}}))
}

// RunnableJobs returns each tenant's oldest leasable job of types at now (oldest by ID), ordered
// by ID, and the number of jobs each tenant has running under a live lease, of every type
// (tenants with none are absent). Every index of jobs begins with the tenant, and FerretDB's
// $group has no $min, so it asks tenant by tenant: the tenants with queued or running jobs of
// types (distinct on jobs_status), the running jobs of those tenants (one find; at most the
// tenants' concurrent-job limits), then each tenant's oldest due queued job of types (one find
// with limit 1 per tenant). That is 2 + T round trips for T tenants with work, each on an index,
// whatever the size of the jobs' history.
func (db *DB) RunnableJobs(ctx context.Context, now time.Time, types []string) ([]wellbase.JobRef, map[string]int, error) {
	if err := ready(ctx, "runnable jobs"); err != nil {
		return nil, nil, err
	}
	coll := db.coll(colJobs)
	tenants, err := db.waitingTenants(ctx, types)
	if err != nil {
		return nil, nil, wrap("runnable jobs", err)
	}
	if len(tenants) == 0 {
		return nil, map[string]int{}, nil
	}
	leases, err := db.runningJobs(ctx, tenants)
	if err != nil {
		return nil, nil, wrap("runnable jobs", err)
	}
	oldest := map[string]string{} // tenant → ID of its oldest leasable job
	offer := func(tenant, id string) {
		if old, ok := oldest[tenant]; !ok || id < old {
			oldest[tenant] = id
		}
	}
	live := map[string]int{}
	for _, l := range leases {
		if l.LeaseUntil != nil && l.LeaseUntil.After(now) {
			live[l.TenantID]++
		} else if l.LeaseUntil != nil && ofTypes(l.Type, types) {
			offer(l.TenantID, l.ID)
		}
	}
	for _, tenant := range tenants {
		s := db.tenant(tenant)
		var d jobDoc
		err := coll.FindOne(ctx, s.filter(append(bson.D{{Key: "status", Value: queued}, {Key: "run_at", Value: bson.D{{Key: "$lte", Value: now}}}}, typeCond(types)...)...),
			options.FindOne().SetSort(bson.D{{Key: "_id", Value: 1}}).SetProjection(bson.D{{Key: "id", Value: 1}})).Decode(&d)
		if isNoDoc(err) {
			continue
		}
		if err != nil {
			return nil, nil, wrap("runnable jobs", err)
		}
		offer(tenant, d.ID)
	}
	refs := make([]wellbase.JobRef, 0, len(oldest))
	for tenant, id := range oldest {
		refs = append(refs, wellbase.JobRef{TenantID: tenant, ID: id})
	}
	slices.SortFunc(refs, func(a, b wellbase.JobRef) int {
		if a.ID != b.ID {
			return cmp.Compare(a.ID, b.ID)
		}
		return cmp.Compare(a.TenantID, b.TenantID)
	})
	return refs, live, nil
}

// ofTypes reports whether typ is one of types (any type if types is empty).
func ofTypes(typ string, types []string) bool {
	return len(types) == 0 || slices.Contains(types, typ)
}

// QueueStats counts the jobs of types leasable at now and finds when the longest-waiting one
// became runnable, tenant by tenant as RunnableJobs does: the tenants with work, their running
// jobs (the expired leases among them), then per tenant a count of its due queued jobs and the
// earliest run time among them (2 + 2T round trips for T tenants with work).
func (db *DB) QueueStats(ctx context.Context, now time.Time, types []string) (wellbase.QueueStats, error) {
	var st wellbase.QueueStats
	if err := ready(ctx, "queue stats"); err != nil {
		return st, err
	}
	coll := db.coll(colJobs)
	tenants, err := db.waitingTenants(ctx, types)
	if err != nil || len(tenants) == 0 {
		return st, wrap("queue stats", err)
	}
	older := func(t time.Time) {
		if st.OldestRunnable.IsZero() || t.Before(st.OldestRunnable) {
			st.OldestRunnable = t
		}
	}
	leases, err := db.runningJobs(ctx, tenants)
	if err != nil {
		return st, wrap("queue stats", err)
	}
	for _, l := range leases {
		if l.LeaseUntil != nil && !l.LeaseUntil.After(now) && ofTypes(l.Type, types) {
			st.Runnable++
			older(*l.LeaseUntil)
		}
	}
	for _, tenant := range tenants {
		filter := db.tenant(tenant).filter(append(bson.D{{Key: "status", Value: queued}, {Key: "run_at", Value: bson.D{{Key: "$lte", Value: now}}}}, typeCond(types)...)...)
		n, err := coll.CountDocuments(ctx, filter)
		if err != nil {
			return st, wrap("queue stats", err)
		}
		if n == 0 {
			continue
		}
		st.Runnable += int(n)
		var d jobDoc
		err = coll.FindOne(ctx, filter, options.FindOne().SetSort(bson.D{{Key: "run_at", Value: 1}}).SetProjection(bson.D{{Key: "run_at", Value: 1}})).Decode(&d)
		if err != nil && !isNoDoc(err) {
			return st, wrap("queue stats", err)
		}
		if err == nil {
			older(d.RunAt)
		}
	}
	if !st.OldestRunnable.IsZero() {
		st.OldestRunnable = st.OldestRunnable.UTC()
	}
	return st, nil
}

// ClaimJob leases ref to worker until leaseUntil if it is still leasable at now, counting an
// attempt. It reads the job, then changes it with one findAndModify whose filter is what it read
// (status, lease or run time, attempts, cancel flag): a compare-and-set, so of two workers only
// one wins, and the other gets EConflict (on FerretDB, a job whose lock another worker holds is
// EConflict at once, see the package doc). A leasable job whose attempts are spent (its last
// worker stopped answering) is marked failed instead, and one whose cancel was asked for is
// marked cancelled; ClaimJob then answers EConflict. A missing job is EConflict too.
func (db *DB) ClaimJob(ctx context.Context, ref wellbase.JobRef, worker string, now, leaseUntil time.Time) (*wellbase.Job, error) {
	s := db.tenant(ref.TenantID)
	if err := s.check(ctx, "claim job"); err != nil {
		return nil, err
	}
	// Another worker changing the job now is about to win it, or holds it: no wait.
	unlock, err := db.tryLockDoc(ctx, colJobs, s.key(ref.ID))
	if errors.Is(err, errLocked) {
		return nil, wellbase.Errorf(wellbase.EConflict, "job %s is being claimed or updated by another worker", ref.ID)
	}
	if err != nil {
		return nil, err
	}
	defer unlock()
	gone := wellbase.Errorf(wellbase.EConflict, "job %s is no longer leasable", ref.ID)
	d, err := s.getJob(ctx, ref.ID)
	if wellbase.ErrorCode(err) == wellbase.ENotFound {
		return nil, gone
	}
	if err != nil {
		return nil, err
	}
	if !d.leasable(now) {
		return nil, gone
	}
	// The job as read: it is changed only if no one changed it since.
	same := bson.D{{Key: "status", Value: d.Status}, {Key: "attempts", Value: d.Attempts},
		{Key: "cancel_requested", Value: d.CancelRequested}, {Key: "error", Value: d.Error}}
	if d.Status == queued {
		same = append(same, bson.E{Key: "run_at", Value: d.RunAt})
	} else {
		same = append(same, bson.E{Key: "lease_owner", Value: d.LeaseOwner}, bson.E{Key: "lease_until", Value: d.LeaseUntil})
	}
	var update bson.D
	switch {
	case d.CancelRequested:
		// A job a user asked to cancel whose worker is gone is cancelled, not run again.
		update = bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: cancelled}, {Key: "lease_owner", Value: ""},
			{Key: "lease_until", Value: nil}, {Key: "updated_at", Value: now}, {Key: "finished_at", Value: now},
			{Key: "error", Value: "cancelled by a user"}}}}
	case d.Attempts >= d.MaxAttempts:
		msg := d.Error
		if msg == "" {
			msg = "the worker stopped answering during the last attempt"
		}
		update = bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: failed}, {Key: "lease_owner", Value: ""},
			{Key: "lease_until", Value: nil}, {Key: "updated_at", Value: now}, {Key: "finished_at", Value: now},
			{Key: "error", Value: msg}}}}
	default:
		update = bson.D{
			{Key: "$set", Value: bson.D{{Key: "status", Value: running}, {Key: "lease_owner", Value: worker},
				{Key: "lease_until", Value: leaseUntil}, {Key: "updated_at", Value: now}}},
			{Key: "$inc", Value: bson.D{{Key: "attempts", Value: 1}}},
		}
	}
	after, err := s.modifyJob(ctx, ref.ID, same, update)
	if err != nil {
		return nil, wrap("claim job", err)
	}
	if after == nil || after.Status != running {
		return nil, gone
	}
	return after.job(), nil
}
