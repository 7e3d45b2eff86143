package httpapi

import (
	"io"
	"mime"
	"net/http"

	"github.com/wellbase/wellbase"
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

// exportTenant queues the export of everything of the tenant.
func (s *Server) exportTenant(w http.ResponseWriter, r *http.Request) error {
	if s.queue == nil || s.exporter == nil {
		return wellbase.Errorf(wellbase.EUnavailable, "exports are not configured")
	}
	j, err := s.tenants.StartExport(r.Context(), r.PathValue("tenant"), s.queue.Enqueue)
	if err != nil {
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
	t, err := s.tenants.Live(r.Context(), r.PathValue("tenant"))
	if err != nil {
		return err
	}
	j, f, err := s.exporter.OpenExport(r.Context(), t.ID, r.PathValue("job"))
	if err != nil {
		return err
	}
	if f == nil {
		return writeJSON(w, http.StatusAccepted, j)
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
