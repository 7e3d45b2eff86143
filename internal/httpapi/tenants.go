package httpapi

import (
	"net/http"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/tenancy"
)

// tenantView is a tenant as the control plane shows it: with its effective limits.
type tenantView struct {
	*wellbase.Tenant
	EffectiveLimits wellbase.Limits `json:"effective_limits"`
}

func viewTenant(t *wellbase.Tenant) tenantView {
	return tenantView{Tenant: t, EffectiveLimits: t.EffectiveLimits()}
}

func (s *Server) createTenant(w http.ResponseWriter, r *http.Request) error {
	var req tenancy.Request
	if err := decode(w, r, &req); err != nil {
		return err
	}
	res, err := s.onboarder.Onboard(r.Context(), req, wellbase.PrincipalFromContext(r.Context()))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, struct {
		Tenant     tenantView     `json:"tenant"`
		AdminToken string         `json:"admin_token"`
		Onboarding tenancy.Report `json:"onboarding"`
	}{viewTenant(res.Tenant), res.AdminToken, res.Onboarding})
}

func (s *Server) listTenants(w http.ResponseWriter, r *http.Request) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	ts, next, err := s.store.ListTenants(r.Context(), p)
	if err != nil {
		return err
	}
	views := make([]tenantView, len(ts))
	for i, t := range ts {
		views[i] = viewTenant(t)
	}
	return writeJSON(w, http.StatusOK, newList(views, next))
}

// pathTenant returns the {tenant} path value after validating it, so that a malformed ID is a
// clear 404 and never reaches the store.
func (s *Server) pathTenant(r *http.Request) (*wellbase.Tenant, error) {
	return s.tenants.Get(r.Context(), r.PathValue("tenant"))
}

func (s *Server) getTenant(w http.ResponseWriter, r *http.Request) error {
	t, err := s.pathTenant(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewTenant(t))
}

// tenantPatch is the body of PATCH /tenants/{tenant}. Limits are merged into the existing
// overrides field by field.
type tenantPatch struct {
	Name   *string                  `json:"name"`
	Tier   *wellbase.Tier           `json:"tier"`
	Limits *wellbase.LimitOverrides `json:"limits"`
}

func (s *Server) patchTenant(w http.ResponseWriter, r *http.Request) error {
	var p tenantPatch
	if err := decode(w, r, &p); err != nil {
		return err
	}
	t, err := s.tenants.Update(r.Context(), r.PathValue("tenant"), tenancy.Change{Name: p.Name, Tier: p.Tier, Limits: p.Limits})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewTenant(t))
}

func (s *Server) suspendTenant(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenants.Suspend(r.Context(), r.PathValue("tenant"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewTenant(t))
}

func (s *Server) resumeTenant(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenants.Resume(r.Context(), r.PathValue("tenant"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewTenant(t))
}

// clipID shortens an ID for a message.
func clipID(id string) string {
	if len(id) > 60 {
		return id[:60] + "…"
	}
	return id
}
