package httpapi

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/tenancy"
)

// deleteTenant offboards a tenant (operators only) and answers its deletion certificate.
func (s *Server) deleteTenant(w http.ResponseWriter, r *http.Request) error {
	if s.offboarder == nil {
		return wellbase.Errorf(wellbase.EUnavailable, "offboarding is not configured")
	}
	p := wellbase.PrincipalFromContext(r.Context())
	// What this process cached of the tenant goes, whether the offboarding ends or not (its
	// keys may be destroyed already).
	defer s.curveCache.DropTenant(r.PathValue("tenant"))
	cert, err := s.offboarder.Delete(r.Context(), r.PathValue("tenant"), p.Actor(), wellbase.RequestIDFromContext(r.Context()), clientAddr(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, cert)
}

// liveTenant returns the {tenant} of an OperatorOrTenant route if it exists and is not
// deleted or being deleted.
func (s *Server) liveTenant(r *http.Request) (*wellbase.Tenant, error) {
	t, err := s.pathTenant(r)
	if err != nil {
		return nil, err
	}
	if t.Status == wellbase.TenantDeleted || t.Status == wellbase.TenantOffboarding {
		return nil, wellbase.Errorf(wellbase.ENotFound, "tenant %s is %s", t.ID, t.Status)
	}
	return t, nil
}

// exportTenant queues the export of everything of the tenant.
func (s *Server) exportTenant(w http.ResponseWriter, r *http.Request) error {
	if s.queue == nil || s.exporter == nil {
		return wellbase.Errorf(wellbase.EUnavailable, "exports are not configured")
	}
	t, err := s.liveTenant(r)
	if err != nil {
		return err
	}
	p := wellbase.PrincipalFromContext(r.Context())
	j, err := s.queue.Enqueue(r.Context(), t.ID, tenancy.ExportJob, json.RawMessage("{}"), p.Actor())
	if err != nil {
		return err
	}
	if err := s.audit(r, t.ID, "tenant.export", j.ID, nil); err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, j)
}

// downloadExport streams a finished export archive, decrypted; while the job runs it answers
// 202 with the job.
func (s *Server) downloadExport(w http.ResponseWriter, r *http.Request) error {
	if s.exporter == nil {
		return wellbase.Errorf(wellbase.EUnavailable, "exports are not configured")
	}
	t, err := s.liveTenant(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	j, err := s.store.Tenant(t.ID).GetJob(ctx, r.PathValue("job"))
	if err != nil {
		return err
	}
	if j.Type != tenancy.ExportJob {
		return wellbase.Errorf(wellbase.ENotFound, "export %s not found", clipID(j.ID))
	}
	switch j.Status {
	case wellbase.JobQueued, wellbase.JobRunning:
		return writeJSON(w, http.StatusAccepted, j)
	case wellbase.JobSucceeded:
	default:
		return wellbase.Errorf(wellbase.EConflict, "export %s is %s: %s", j.ID, j.Status, j.Error)
	}
	var res tenancy.ExportResult
	if err := json.Unmarshal(j.Result, &res); err != nil {
		return err
	}
	// Old key versions may have been retired since (the archive then re-encrypted).
	f, err := s.exporter.Keys.OpenAt(ctx, s.exporter.Files, t.ID, tenancy.ExportKey(j.ID), res.KeyVersion)
	if err != nil {
		return err
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": t.ID + "-export-" + j.ID + ".zip"}))
	_, err = io.Copy(w, io.NewSectionReader(f, 0, f.Size()))
	return err
}

// rotateTenantKey gives the tenant a new data key version and queues the re-encryption job.
func (s *Server) rotateTenantKey(w http.ResponseWriter, r *http.Request) error {
	if s.rotateKey == nil {
		return wellbase.Errorf(wellbase.EUnavailable, "key rotation is not configured")
	}
	t, err := s.pathTenant(r)
	if err != nil {
		return err
	}
	rot, err := s.rotateKey(r.Context(), t.ID, wellbase.PrincipalFromContext(r.Context()).Actor())
	s.curveCache.DropTenant(t.ID) // the re-encryption changes every log's key version
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, rot)
}

func (s *Server) listControlAudit(w http.ResponseWriter, r *http.Request) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	es, next, err := s.store.ListControlAudit(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(es, next))
}
