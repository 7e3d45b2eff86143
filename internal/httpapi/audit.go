package httpapi

import (
	"net/http"
	"time"

	"github.com/wellbase/wellbase"
)

func (s *Server) listAudit(w http.ResponseWriter, r *http.Request) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	es, next, err := s.tenantStore(r).ListAudit(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(es, next))
}

// usage answers the tenant's effective limits beside its current usage.
func (s *Server) usage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ts, t := s.tenantStore(r), requestTenant(r)
	var u wellbase.Usage
	var err error
	if u.Users, err = ts.CountUsers(ctx); err != nil {
		return err
	}
	if u.Wells, err = ts.CountWells(ctx); err != nil {
		return err
	}
	if u.APITokens, err = ts.CountCredentials(ctx, wellbase.CredentialAPIToken, s.now()); err != nil {
		return err
	}
	if u.StorageBytes, err = s.storageBytes(r); err != nil {
		return err
	}
	if u.RequestsToday, err = ts.Requests(ctx, s.now().UTC().Format(time.DateOnly)); err != nil {
		return err
	}
	u.RequestsToday += s.meter.pending(t.ID)
	return writeJSON(w, http.StatusOK, map[string]any{"tenant": t.ID, "tier": t.Tier, "limits": t.EffectiveLimits(), "usage": u})
}

// storageBytes returns what the request tenant's files take, staged writes included (see
// welllogs.Service.StorageBytes); without log storage, what its records count.
func (s *Server) storageBytes(r *http.Request) (int64, error) {
	if s.logs == nil {
		return s.tenantStore(r).StoredBytes(r.Context())
	}
	return s.logs.StorageBytes(r.Context(), wellbase.TenantFromContext(r.Context()))
}
