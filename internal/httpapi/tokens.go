package httpapi

import (
	"net/http"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/identity"
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
	days := identity.DefaultTokenDays
	if req.ExpiresInDays != nil {
		days = *req.ExpiresInDays
	}
	token, c, err := s.users.CreateToken(r.Context(), wellbase.PrincipalFromContext(r.Context()), req.Name, days)
	if err != nil {
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
	if _, err := s.users.RevokeToken(r.Context(), wellbase.PrincipalFromContext(r.Context()), r.PathValue("token")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
