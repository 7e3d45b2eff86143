package httpapi

import (
	"net/http"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/identity"
)

type userCreate struct {
	Email    string        `json:"email"`
	Role     wellbase.Role `json:"role"`
	Password string        `json:"password"`
}

// createUser adds a user to the caller's tenant. Only an owner may add owners or admins; the
// tenant's max_users limit applies.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	var req userCreate
	if err := decode(w, r, &req); err != nil {
		return err
	}
	email, err := wellbase.NormalizeEmail("email", req.Email)
	if err != nil {
		return err
	}
	if !req.Role.Valid() {
		return wellbase.FieldError(wellbase.EInvalid, "role", "role %q is unknown (want owner, admin, engineer or viewer)", req.Role)
	}
	p := wellbase.PrincipalFromContext(r.Context())
	if req.Role.AtLeast(wellbase.RoleAdmin) && p.Role != wellbase.RoleOwner {
		return wellbase.Errorf(wellbase.EForbidden, "only an owner may add a user with role %s", req.Role)
	}
	hash := ""
	if req.Password != "" {
		if err := identity.ValidatePassword("password", req.Password); err != nil {
			return err
		}
		hash = identity.HashPassword(req.Password)
	}
	ts, t := s.tenantStore(r), requestTenant(r)
	n, err := ts.CountUsers(r.Context())
	if err != nil {
		return err
	}
	if max := t.EffectiveLimits().MaxUsers; n >= max {
		return wellbase.Errorf(wellbase.ELimitExceeded, "tenant %s has reached its limit of max_users = %d", t.ID, max)
	}
	u := &wellbase.User{ID: wellbase.NewID("usr"), TenantID: ts.TenantID(), Email: email, Role: req.Role, PasswordHash: hash, CreatedAt: s.now().UTC()}
	if err := ts.CreateUser(r.Context(), u); err != nil {
		if wellbase.ErrorCode(err) == wellbase.EConflict {
			return wellbase.FieldError(wellbase.EConflict, "email", "a user with email %s already exists", email)
		}
		return err
	}
	if err := s.audit(r, ts.TenantID(), "user.create", u.ID, map[string]any{"email": email, "role": string(req.Role), "password_set": hash != ""}); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, u)
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	us, next, err := s.tenantStore(r).ListUsers(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(us, next))
}
