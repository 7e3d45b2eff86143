package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/identity"
)

// API token lifetimes, in days.
const (
	defaultTokenDays = 90
	maxTokenDays     = 365
)

type tokenCreate struct {
	Name          string `json:"name"`
	ExpiresInDays *int   `json:"expires_in_days"`
}

// createToken makes an API token that acts as the caller, with the caller's role.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	var req tokenCreate
	if err := decode(w, r, &req); err != nil {
		return err
	}
	req.Name = strings.TrimSpace(req.Name)
	if err := wellbase.ValidateName("name", req.Name); err != nil {
		return err
	}
	days := defaultTokenDays
	if req.ExpiresInDays != nil {
		days = *req.ExpiresInDays
		if days < 1 || days > maxTokenDays {
			return wellbase.FieldError(wellbase.EInvalid, "expires_in_days", "expires_in_days must be from 1 to %d, got %d", maxTokenDays, days)
		}
	}
	p := wellbase.PrincipalFromContext(r.Context())
	ts := s.tenantStore(r)
	token, c, err := identity.Issue(r.Context(), ts.CreateCredential, wellbase.CredentialAPIToken, p.TenantID, p.UserID, req.Name, s.now(), time.Duration(days)*24*time.Hour)
	if err != nil {
		return err
	}
	if err := s.audit(r, p.TenantID, "token.create", c.ID, map[string]any{"name": c.Name, "expires_at": c.ExpiresAt}); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, struct {
		*wellbase.Credential
		Token string `json:"token"`
	}{c, token})
}

// listTokens lists API tokens: the caller's own, or all of the tenant's for admins.
func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) error {
	pg, err := page(r)
	if err != nil {
		return err
	}
	p := wellbase.PrincipalFromContext(r.Context())
	cs, next, err := s.tenantStore(r).ListCredentials(r.Context(), wellbase.CredentialAPIToken, pg)
	if err != nil {
		return err
	}
	if !p.Role.AtLeast(wellbase.RoleAdmin) {
		own := cs[:0]
		for _, c := range cs {
			if c.UserID == p.UserID {
				own = append(own, c)
			}
		}
		cs = own
	}
	return writeJSON(w, http.StatusOK, newList(cs, next))
}

// revokeToken revokes an API token: one's own, or any of the tenant's for admins. Another
// user's token is 404 to non-admins, like one of another tenant.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	p := wellbase.PrincipalFromContext(r.Context())
	ts := s.tenantStore(r)
	id := r.PathValue("token")
	c, err := ts.GetCredential(r.Context(), id)
	if err != nil {
		return err
	}
	if c.Kind != wellbase.CredentialAPIToken || (c.UserID != p.UserID && !p.Role.AtLeast(wellbase.RoleAdmin)) {
		return wellbase.Errorf(wellbase.ENotFound, "token %s not found", clipID(id))
	}
	if err := ts.RevokeCredential(r.Context(), c.ID, s.now()); err != nil {
		return err
	}
	if err := s.audit(r, p.TenantID, "token.revoke", c.ID, map[string]any{"name": c.Name}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
