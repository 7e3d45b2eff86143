package httpapi

import (
	"context"
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
	t := requestTenant(r)
	u, err := s.tenantUsage(r.Context(), t.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"tenant": t.ID, "tier": t.Tier, "limits": t.EffectiveLimits(), "usage": u})
}

// tenantUsage returns what tenant uses now: users, wells, usable API tokens, stored bytes and
// today's requests (counted in this process and not yet written included).
func (s *Server) tenantUsage(ctx context.Context, tenant string) (wellbase.Usage, error) {
	ts := s.store.Tenant(tenant)
	var u wellbase.Usage
	var err error
	if u.Users, err = ts.CountUsers(ctx); err != nil {
		return u, err
	}
	if u.Wells, err = ts.CountWells(ctx); err != nil {
		return u, err
	}
	if u.APITokens, err = ts.CountCredentials(ctx, wellbase.CredentialAPIToken, s.now()); err != nil {
		return u, err
	}
	if u.StorageBytes, err = s.storageBytes(ctx, tenant); err != nil {
		return u, err
	}
	if u.RequestsToday, err = ts.Requests(ctx, s.now().UTC().Format(time.DateOnly)); err != nil {
		return u, err
	}
	u.RequestsToday += s.meter.pending(tenant)
	return u, nil
}

// storageBytes returns what the tenant's files take, staged writes included (see
// welllogs.Service.StorageBytes); without log storage, what its records count.
func (s *Server) storageBytes(ctx context.Context, tenant string) (int64, error) {
	if s.logs == nil {
		return s.store.Tenant(tenant).StoredBytes(ctx)
	}
	return s.logs.StorageBytes(ctx, tenant)
}
