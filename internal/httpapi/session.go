package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/identity"
	"github.com/wellbase/wellbase/internal/web"
)

// SessionTTL is how long a password login lasts.
const SessionTTL = identity.SessionTTL

type loginRequest struct {
	Tenant   string `json:"tenant"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

// login checks a tenant user's email and password and returns a session token (and cookie);
// see identity.Logins.Login for the rules.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	ses, err := s.logins.Login(r.Context(), req.Tenant, req.Email, req.Password, clientAddr(r))
	if err != nil {
		return err
	}
	http.SetCookie(w, SessionCookie(ses.Token, ses.Credential.ExpiresAt, s.secure))
	return writeJSON(w, http.StatusOK, map[string]any{
		"token": ses.Token, "expires_at": ses.Credential.ExpiresAt, "tenant": ses.Tenant.ID,
		"user": map[string]any{"id": ses.User.ID, "email": ses.User.Email, "role": ses.User.Role},
	})
}

// SessionCookie is the browser session cookie holding token until expires (HttpOnly,
// SameSite=Strict, Secure unless secure is false); an empty token clears it.
func SessionCookie(token string, expires time.Time, secure bool) *http.Cookie {
	c := &http.Cookie{Name: sessionCookie, Value: token, Path: "/", Expires: expires, HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode}
	if token == "" {
		c.Expires, c.MaxAge = time.Time{}, -1
	}
	return c
}

// logout revokes the session that made the request and clears its cookie. API tokens are
// revoked with DELETE /api/v1/tokens/{token} instead.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.logins.Logout(r.Context(), wellbase.PrincipalFromContext(r.Context())); err != nil {
		return err
	}
	http.SetCookie(w, SessionCookie("", time.Time{}, s.secure))
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

// OperatorCookie is the operators' browser session cookie (web.OperatorCookie) holding token
// until expires: HttpOnly, SameSite=Strict, Secure unless secure is false, and sent only to the
// control plane's pages (Path=/operator); an empty token clears it.
func OperatorCookie(token string, expires time.Time, secure bool) *http.Cookie {
	c := &http.Cookie{Name: web.OperatorCookie, Value: token, Path: "/operator", Expires: expires, HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode}
	if token == "" {
		c.Expires, c.MaxAge = time.Time{}, -1
	}
	return c
}

// enqueue returns the queue's Enqueue, or nil without a queue.
func (s *Server) enqueue() func(ctx context.Context, tenant, typ string, params json.RawMessage, createdBy string) (*wellbase.Job, error) {
	if s.queue == nil {
		return nil
	}
	return s.queue.Enqueue
}
