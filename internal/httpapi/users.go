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

// createUser adds a user to the caller's tenant (identity.Users.Create: only an owner adds
// owners or admins; the tenant's max_users limit applies).
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	var req userCreate
	if err := decode(w, r, &req); err != nil {
		return err
	}
	u, err := s.users.Create(r.Context(), wellbase.PrincipalFromContext(r.Context()), requestTenant(r),
		identity.NewUser{Email: req.Email, Role: req.Role, Password: req.Password})
	if err != nil {
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
