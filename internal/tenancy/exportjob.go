package tenancy

import (
	"context"
	"encoding/json"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/files"
)

// Live returns tenant id if it exists and is neither deleted nor being offboarded; ENotFound
// otherwise (a malformed ID included).
func (s *Tenants) Live(ctx context.Context, id string) (*wellbase.Tenant, error) {
	t, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if t.Status == wellbase.TenantDeleted || t.Status == wellbase.TenantOffboarding {
		return nil, wellbase.Errorf(wellbase.ENotFound, "tenant %s is %s", t.ID, t.Status)
	}
	return t, nil
}

// StartExport queues the export of everything of tenant id (an ExportJob, through enqueue, e.g.
// jobs.Queue's) on behalf of ctx's principal and records tenant.export. Errors: as Live.
func (s *Tenants) StartExport(ctx context.Context, id string,
	enqueue func(ctx context.Context, tenant, typ string, params json.RawMessage, createdBy string) (*wellbase.Job, error)) (*wellbase.Job, error) {
	t, err := s.Live(ctx, id)
	if err != nil {
		return nil, err
	}
	j, err := enqueue(ctx, t.ID, ExportJob, json.RawMessage("{}"), wellbase.PrincipalFromContext(ctx).Actor())
	if err != nil {
		return nil, err
	}
	if err := wellbase.RecordAudit(ctx, s.Store, wellbase.NewAuditEvent(ctx, s.now(), t.ID, "tenant.export", j.ID, nil)); err != nil {
		return nil, err
	}
	return j, nil
}

// OpenExport returns export job jobID of tenant and, once it has succeeded, its archive,
// decrypted (the caller closes it); while the job is queued or running the archive is nil.
// Errors: ENotFound for a job that is not an export of tenant; EConflict for a failed or
// cancelled export.
func (e *Exporter) OpenExport(ctx context.Context, tenant, jobID string) (*wellbase.Job, files.Object, error) {
	j, err := e.Store.Tenant(tenant).GetJob(ctx, jobID)
	if err != nil {
		return nil, nil, err
	}
	if j.Type != ExportJob {
		return nil, nil, wellbase.Errorf(wellbase.ENotFound, "export %s not found", clipID(j.ID))
	}
	switch j.Status {
	case wellbase.JobQueued, wellbase.JobRunning:
		return j, nil, nil
	case wellbase.JobSucceeded:
	default:
		return nil, nil, wellbase.Errorf(wellbase.EConflict, "export %s is %s: %s", j.ID, j.Status, j.Error)
	}
	var res ExportResult
	if err := json.Unmarshal(j.Result, &res); err != nil {
		return nil, nil, err
	}
	// Old key versions may have been retired since (the archive then re-encrypted).
	f, err := e.Keys.OpenAt(ctx, e.Files, tenant, ExportKey(j.ID), res.KeyVersion)
	if err != nil {
		return nil, nil, err
	}
	return j, f, nil
}

// ExportJobs returns the tenant's export jobs among its newest scan jobs, newest first.
func ExportJobs(ctx context.Context, store wellbase.Store, tenant string, scan int) ([]*wellbase.Job, error) {
	return JobsOfType(ctx, store, tenant, ExportJob, scan)
}

// JobsOfType returns the tenant's jobs of type typ (ExportJob, ReencryptJob) among its newest
// scan jobs, newest first.
func JobsOfType(ctx context.Context, store wellbase.Store, tenant, typ string, scan int) ([]*wellbase.Job, error) {
	jobs, _, err := store.Tenant(tenant).ListJobs(ctx, wellbase.Page{Limit: scan})
	if err != nil {
		return nil, err
	}
	var out []*wellbase.Job
	for _, j := range jobs {
		if j.Type == typ {
			out = append(out, j)
		}
	}
	return out, nil
}
