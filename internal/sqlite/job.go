package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
)

const jobColumns = `tenant_id, id, type, params, status, attempts, max_attempts, progress, result, error, run_at,
	lease_owner, lease_until, cancel_requested, created_by, created_at, updated_at, finished_at`

func scanJob(sc scanner) (*wellbase.Job, error) {
	var j wellbase.Job
	var params string
	var result, leaseUntil, finished sql.NullString
	var runAt, created, updated string
	if err := sc.Scan(&j.TenantID, &j.ID, &j.Type, &params, &j.Status, &j.Attempts, &j.MaxAttempts, &j.Progress,
		&result, &j.Error, &runAt, &j.LeaseOwner, &leaseUntil, &j.CancelRequested, &j.CreatedBy, &created, &updated, &finished); err != nil {
		return nil, err
	}
	j.Params = json.RawMessage(params)
	if result.Valid {
		j.Result = json.RawMessage(result.String)
	}
	if err := parseTimes([]*time.Time{&j.RunAt, &j.CreatedAt, &j.UpdatedAt}, runAt, created, updated); err != nil {
		return nil, err
	}
	var err error
	if j.LeaseUntil, err = parseNullTime(leaseUntil); err != nil {
		return nil, err
	}
	if j.FinishedAt, err = parseNullTime(finished); err != nil {
		return nil, err
	}
	return &j, nil
}

func parseNullTime(s sql.NullString) (*time.Time, error) {
	if !s.Valid {
		return nil, nil
	}
	t, err := parseTime(s.String)
	return &t, err
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return formatTime(*t)
}

func nullJSON(b json.RawMessage) any {
	if len(b) == 0 {
		return nil
	}
	return string(b)
}

// CreateJob inserts j with its TenantID set to the store's tenant.
func (s *TenantDB) CreateJob(ctx context.Context, j *wellbase.Job) error {
	if err := s.check(); err != nil {
		return err
	}
	j.TenantID = s.tenant
	params := string(j.Params)
	if params == "" {
		params = "{}"
	}
	_, err := s.db.write.ExecContext(ctx, "INSERT INTO jobs ("+jobColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		j.TenantID, j.ID, j.Type, params, j.Status, j.Attempts, j.MaxAttempts, j.Progress, nullJSON(j.Result), j.Error,
		formatTime(j.RunAt), j.LeaseOwner, nullTime(j.LeaseUntil), j.CancelRequested, j.CreatedBy,
		formatTime(j.CreatedAt), formatTime(j.UpdatedAt), nullTime(j.FinishedAt))
	if isConflict(err) {
		return wellbase.Errorf(wellbase.EConflict, "job %s already exists in tenant %s", j.ID, s.tenant)
	}
	return wrap("create job", err)
}

// GetJob returns the tenant's job id; ENotFound if there is none.
func (s *TenantDB) GetJob(ctx context.Context, id string) (*wellbase.Job, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	return s.getJob(ctx, s.db.read, id)
}

func (s *TenantDB) getJob(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id string) (*wellbase.Job, error) {
	j, err := scanJob(q.QueryRowContext(ctx, "SELECT "+jobColumns+" FROM jobs WHERE tenant_id = ? AND id = ?", s.tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("job", id)
	}
	if err != nil {
		return nil, wrap("get job", err)
	}
	return j, nil
}

// ListJobs returns the tenant's jobs newest first.
func (s *TenantDB) ListJobs(ctx context.Context, page wellbase.Page) ([]*wellbase.Job, string, error) {
	if err := s.check(); err != nil {
		return nil, "", err
	}
	tail, args := pageSQL(page, true)
	rows, err := queryList(ctx, s.db.read, scanJob, "SELECT "+jobColumns+" FROM jobs WHERE tenant_id = ?"+tail, append([]any{s.tenant}, args...)...)
	if err != nil {
		return nil, "", wrap("list jobs", err)
	}
	list, next := pageOf(rows, page, func(j *wellbase.Job) string { return j.ID })
	return list, next, nil
}

// UpdateHeldJob applies u to job id if worker holds its live lease at now.
func (s *TenantDB) UpdateHeldJob(ctx context.Context, id, worker string, now time.Time, u wellbase.JobUpdate) (*wellbase.Job, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	tx, err := s.db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, wrap("update job", err)
	}
	defer tx.Rollback()
	j, err := s.getJob(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if j.Status != wellbase.JobRunning || j.LeaseOwner != worker || j.LeaseUntil == nil || !j.LeaseUntil.After(now) {
		return nil, wellbase.Errorf(wellbase.EConflict, "job %s is not held by worker %s", id, worker)
	}
	if u.Status != nil {
		j.Status = *u.Status
	}
	if u.Progress != nil {
		j.Progress = *u.Progress
	}
	if u.Result != nil {
		j.Result = u.Result
	}
	if u.Error != nil {
		j.Error = *u.Error
	}
	if u.RunAt != nil {
		j.RunAt = *u.RunAt
	}
	if u.LeaseUntil != nil {
		j.LeaseUntil = u.LeaseUntil
	}
	if u.Release {
		j.LeaseOwner, j.LeaseUntil = "", nil
	}
	if u.FinishedAt != nil {
		j.FinishedAt = u.FinishedAt
	}
	j.UpdatedAt = now.UTC()
	if err := s.saveJob(ctx, tx, j); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, wrap("update job", err)
	}
	return j, nil
}

func (s *TenantDB) saveJob(ctx context.Context, tx *sql.Tx, j *wellbase.Job) error {
	_, err := tx.ExecContext(ctx, `UPDATE jobs SET status = ?, attempts = ?, progress = ?, result = ?, error = ?, run_at = ?,
		lease_owner = ?, lease_until = ?, cancel_requested = ?, updated_at = ?, finished_at = ? WHERE tenant_id = ? AND id = ?`,
		j.Status, j.Attempts, j.Progress, nullJSON(j.Result), j.Error, formatTime(j.RunAt), j.LeaseOwner, nullTime(j.LeaseUntil),
		j.CancelRequested, formatTime(j.UpdatedAt), nullTime(j.FinishedAt), s.tenant, j.ID)
	return wrap("save job", err)
}

// CancelJob cancels a queued job, or flags a running one for its worker to stop.
func (s *TenantDB) CancelJob(ctx context.Context, id string, now time.Time) (*wellbase.Job, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	tx, err := s.db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, wrap("cancel job", err)
	}
	defer tx.Rollback()
	j, err := s.getJob(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	switch j.Status {
	case wellbase.JobQueued:
		at := now.UTC()
		j.Status, j.FinishedAt = wellbase.JobCancelled, &at
	case wellbase.JobRunning:
		j.CancelRequested = true
	default:
		return j, nil
	}
	j.UpdatedAt = now.UTC()
	if err := s.saveJob(ctx, tx, j); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, wrap("cancel job", err)
	}
	return j, nil
}

// CountRunningJobs counts the tenant's jobs running under a live lease at now.
func (s *TenantDB) CountRunningJobs(ctx context.Context, now time.Time) (int, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	var n int
	err := s.db.read.QueryRowContext(ctx, "SELECT count(*) FROM jobs WHERE tenant_id = ? AND status = 'running' AND lease_until > ?",
		s.tenant, formatTime(now)).Scan(&n)
	return n, wrap("count running jobs", err)
}

// typeFilter returns the SQL condition " AND type IN (?, …)" of types and its arguments; no
// condition for nil or empty types (every type).
func typeFilter(types []string) (string, []any) {
	if len(types) == 0 {
		return "", nil
	}
	args := make([]any, len(types))
	for i, t := range types {
		args[i] = t
	}
	return " AND type IN (?" + strings.Repeat(", ?", len(types)-1) + ")", args
}

// RunnableJobs returns each tenant's oldest leasable job of types at now and the running counts
// (of every type).
func (db *DB) RunnableJobs(ctx context.Context, now time.Time, types []string) ([]wellbase.JobRef, map[string]int, error) {
	at := formatTime(now)
	cond, targs := typeFilter(types)
	refs, err := queryList(ctx, db.read, func(sc scanner) (wellbase.JobRef, error) {
		var r wellbase.JobRef
		return r, sc.Scan(&r.TenantID, &r.ID)
	}, `SELECT tenant_id, min(id) FROM jobs
		WHERE ((status = 'queued' AND run_at <= ?) OR (status = 'running' AND lease_until <= ?))`+cond+`
		GROUP BY tenant_id ORDER BY min(id)`, append([]any{at, at}, targs...)...)
	if err != nil {
		return nil, nil, wrap("runnable jobs", err)
	}
	type count struct {
		tenant string
		n      int
	}
	counts, err := queryList(ctx, db.read, func(sc scanner) (count, error) {
		var c count
		return c, sc.Scan(&c.tenant, &c.n)
	}, "SELECT tenant_id, count(*) FROM jobs WHERE status = 'running' AND lease_until > ? GROUP BY tenant_id", at)
	if err != nil {
		return nil, nil, wrap("running jobs", err)
	}
	running := make(map[string]int, len(counts))
	for _, c := range counts {
		running[c.tenant] = c.n
	}
	return refs, running, nil
}

// QueueStats counts the jobs of types leasable at now, and finds when the longest-waiting one
// became runnable: its run time if queued, its lease's end if its worker died.
func (db *DB) QueueStats(ctx context.Context, now time.Time, types []string) (wellbase.QueueStats, error) {
	at := formatTime(now)
	cond, targs := typeFilter(types)
	var st wellbase.QueueStats
	var oldest sql.NullString
	err := db.read.QueryRowContext(ctx, `SELECT count(*), min(CASE status WHEN 'queued' THEN run_at ELSE lease_until END) FROM jobs
		WHERE ((status = 'queued' AND run_at <= ?) OR (status = 'running' AND lease_until <= ?))`+cond,
		append([]any{at, at}, targs...)...).Scan(&st.Runnable, &oldest)
	if err != nil {
		return st, wrap("queue stats", err)
	}
	if oldest.Valid {
		if st.OldestRunnable, err = parseTime(oldest.String); err != nil {
			return st, wrap("queue stats", err)
		}
	}
	return st, nil
}

// ClaimJob leases ref to worker if it is still leasable at now: a compare-and-set in one
// UPDATE, so two workers never hold one job. A leasable job whose attempts are spent (its last
// worker stopped answering) is marked failed instead, and one whose cancel was asked for is
// marked cancelled; ClaimJob then answers EConflict.
func (db *DB) ClaimJob(ctx context.Context, ref wellbase.JobRef, worker string, now, leaseUntil time.Time) (*wellbase.Job, error) {
	at := formatTime(now)
	const leasable = "tenant_id = ? AND id = ? AND ((status = 'queued' AND run_at <= ?) OR (status = 'running' AND lease_until <= ?))"
	// A job a user asked to cancel whose worker is gone is cancelled, not run again.
	if _, err := db.write.ExecContext(ctx, `UPDATE jobs SET status = 'cancelled', lease_owner = '', lease_until = NULL, updated_at = ?, finished_at = ?,
		error = 'cancelled by a user' WHERE `+leasable+` AND cancel_requested = 1`, at, at, ref.TenantID, ref.ID, at, at); err != nil {
		return nil, wrap("claim job", err)
	}
	if _, err := db.write.ExecContext(ctx, `UPDATE jobs SET status = 'failed', lease_owner = '', lease_until = NULL, updated_at = ?, finished_at = ?,
		error = CASE WHEN error = '' THEN 'the worker stopped answering during the last attempt' ELSE error END
		WHERE `+leasable+` AND attempts >= max_attempts`, at, at, ref.TenantID, ref.ID, at, at); err != nil {
		return nil, wrap("claim job", err)
	}
	res, err := db.write.ExecContext(ctx, `UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_owner = ?, lease_until = ?, updated_at = ?
		WHERE `+leasable+` AND attempts < max_attempts`,
		worker, formatTime(leaseUntil), at, ref.TenantID, ref.ID, at, at)
	if err != nil {
		return nil, wrap("claim job", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, wrap("claim job", err)
	} else if n == 0 {
		return nil, wellbase.Errorf(wellbase.EConflict, "job %s is no longer leasable", ref.ID)
	}
	return (&TenantDB{db: db, tenant: ref.TenantID}).GetJob(ctx, ref.ID)
}
