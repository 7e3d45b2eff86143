package httpapi

import (
	"net/http"
	"strings"

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
	id := r.PathValue("tenant")
	if wellbase.ValidateTenantID(id) != nil {
		return nil, wellbase.Errorf(wellbase.ENotFound, "tenant %q not found", clipID(id))
	}
	return s.store.GetTenant(r.Context(), id)
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
	t, err := s.pathTenant(r)
	if err != nil {
		return err
	}
	if t.Status == wellbase.TenantDeleted || t.Status == wellbase.TenantOffboarding {
		return wellbase.Errorf(wellbase.EConflict, "tenant %s is %s and cannot be changed", t.ID, t.Status)
	}
	u := wellbase.TenantUpdate{}
	changed := map[string]any{}
	if p.Name != nil {
		name := strings.TrimSpace(*p.Name)
		if err := wellbase.ValidateName("name", name); err != nil {
			return err
		}
		u.Name, changed["name"] = &name, name
	}
	if p.Tier != nil {
		if !p.Tier.Valid() {
			return wellbase.FieldError(wellbase.EInvalid, "tier", "tier %q is unknown (want basic, standard or premium)", *p.Tier)
		}
		u.Tier, changed["tier"] = p.Tier, string(*p.Tier)
	}
	if p.Limits != nil {
		if err := p.Limits.Validate(); err != nil {
			return err
		}
		u.Limits, changed["limits"] = p.Limits, *p.Limits
	}
	t, err = s.store.UpdateTenant(r.Context(), t.ID, u)
	if err != nil {
		return err
	}
	if err := s.audit(r, t.ID, "tenant.update", t.ID, changed); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewTenant(t))
}

func (s *Server) suspendTenant(w http.ResponseWriter, r *http.Request) error {
	return s.setTenantStatus(w, r, wellbase.TenantActive, wellbase.TenantSuspended, "tenant.suspend")
}

func (s *Server) resumeTenant(w http.ResponseWriter, r *http.Request) error {
	return s.setTenantStatus(w, r, wellbase.TenantSuspended, wellbase.TenantActive, "tenant.resume")
}

// setTenantStatus moves a tenant from one status to another; doing it twice is not an error.
func (s *Server) setTenantStatus(w http.ResponseWriter, r *http.Request, from, to wellbase.TenantStatus, action string) error {
	t, err := s.pathTenant(r)
	if err != nil {
		return err
	}
	if t.Status == to {
		return writeJSON(w, http.StatusOK, viewTenant(t))
	}
	if t.Status != from {
		return wellbase.Errorf(wellbase.EConflict, "tenant %s is %s; only %s %s tenant can be changed to %s", t.ID, t.Status, article(string(from)), from, to)
	}
	t, err = s.store.UpdateTenant(r.Context(), t.ID, wellbase.TenantUpdate{Status: &to})
	if err != nil {
		return err
	}
	if err := s.audit(r, t.ID, action, t.ID, map[string]any{"status": string(to)}); err != nil {
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

// article is "an" before a word that starts with a vowel, else "a".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}
