package httpapi

import (
	"net/http"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/identity"
)

// SessionTTL is how long a password login lasts.
const SessionTTL = 12 * time.Hour

type loginRequest struct {
	Tenant   string `json:"tenant"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

// login checks a tenant user's email and password and returns a session token (and cookie).
// Every failure reads the same, whether the tenant, the email or the password was wrong, and
// costs the same password-hash time; failures spend the tenant's and the address's budgets.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if err := wellbase.ValidateTenantID(req.Tenant); err != nil {
		return wellbase.FieldError(wellbase.EInvalid, "tenant", "%s", wellbase.ErrorMessage(err))
	}
	addr, now := clientAddr(r), s.now()
	if err := s.logins.check(req.Tenant, addr, now); err != nil {
		return err
	}
	denied := wellbase.Errorf(wellbase.EUnauthorized, "the tenant, email or password is wrong")
	ts := s.store.Tenant(req.Tenant)
	t, err := s.store.GetTenant(r.Context(), req.Tenant)
	if err != nil && wellbase.ErrorCode(err) != wellbase.ENotFound {
		return err
	}
	var u *wellbase.User
	if t != nil {
		if email, err := wellbase.NormalizeEmail("email", req.Email); err == nil {
			u, err = ts.UserByEmail(r.Context(), email)
			if err != nil && wellbase.ErrorCode(err) != wellbase.ENotFound {
				return err
			}
		}
	}
	hash := ""
	if u != nil {
		hash = u.PasswordHash
	}
	if !identity.VerifyPassword(hash, req.Password) || u == nil {
		s.logins.failed(req.Tenant, addr, now)
		if t != nil {
			s.store.Tenant(t.ID).AppendAudit(r.Context(), &wellbase.AuditEvent{
				ID: wellbase.NewID("aud"), TenantID: t.ID, Time: now.UTC(), Actor: "anonymous", Action: "login.fail",
				Target: "", RequestID: wellbase.RequestIDFromContext(r.Context()), RemoteAddr: addr,
			})
		}
		return denied
	}
	if t.Status != wellbase.TenantActive {
		return wellbase.Errorf(wellbase.ESuspended, "tenant %s is %s; contact the platform operator", t.ID, t.Status)
	}
	token, c, err := identity.Issue(r.Context(), ts.CreateCredential, wellbase.CredentialSession, t.ID, u.ID, "login", now, SessionTTL)
	if err != nil {
		return err
	}
	r = r.WithContext(wellbase.NewContextWithPrincipal(r.Context(), &wellbase.Principal{TenantID: t.ID, UserID: u.ID, Role: u.Role}))
	if err := s.audit(r, t.ID, "session.create", c.ID, nil); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", Expires: c.ExpiresAt,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode,
	})
	return writeJSON(w, http.StatusOK, map[string]any{
		"token": token, "expires_at": c.ExpiresAt, "tenant": t.ID,
		"user": map[string]any{"id": u.ID, "email": u.Email, "role": u.Role},
	})
}

// logout revokes the session that made the request and clears its cookie. API tokens are
// revoked with DELETE /api/v1/tokens/{token} instead.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	p := wellbase.PrincipalFromContext(r.Context())
	if p.Kind != wellbase.CredentialSession {
		return wellbase.Errorf(wellbase.EBadRequest, "logout ends a login session; to revoke an API token use DELETE /api/v1/tokens/{token}")
	}
	if err := s.tenantStore(r).RevokeCredential(r.Context(), p.CredentialID, s.now()); err != nil {
		return err
	}
	if err := s.audit(r, p.TenantID, "session.revoke", p.CredentialID, nil); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	p, t := wellbase.PrincipalFromContext(r.Context()), requestTenant(r)
	return writeJSON(w, http.StatusOK, map[string]any{
		"tenant":     map[string]any{"id": t.ID, "name": t.Name, "tier": t.Tier, "status": t.Status},
		"user":       map[string]any{"id": p.UserID, "email": p.Email, "role": p.Role},
		"role":       p.Role,
		"credential": map[string]any{"id": p.CredentialID, "kind": p.Kind},
	})
}
