package httpapi

import (
	"net/http"
	"strconv"

	"github.com/wellbase/wellbase"
)

// list is the shape of every list answer.
type list[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

func newList[T any](items []T, next string) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items, NextCursor: next}
}

// page reads ?limit= and ?cursor=.
func page(r *http.Request) (wellbase.Page, error) {
	p := wellbase.Page{After: r.URL.Query().Get("cursor")}
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			return p, wellbase.FieldError(wellbase.EBadRequest, "limit", "limit must be an integer from 1 to 500, got %q", v)
		}
		p.Limit = n
	}
	if len(p.After) > 100 {
		return p, wellbase.FieldError(wellbase.EBadRequest, "cursor", "cursor is not one this API returned")
	}
	return p, nil
}

// tenantStore returns the store of the request's tenant: the tenant of its verified credential.
func (s *Server) tenantStore(r *http.Request) wellbase.TenantStore {
	return s.store.Tenant(wellbase.TenantFromContext(r.Context()))
}

// audit appends an event for the request's principal to tenant's audit log. A platform
// operator's action is also appended to the control-plane audit log, which outlives the tenant.
func (s *Server) audit(r *http.Request, tenant, action, target string, details map[string]any) error {
	p := wellbase.PrincipalFromContext(r.Context())
	e := &wellbase.AuditEvent{
		ID:         wellbase.NewID("aud"),
		TenantID:   tenant,
		Time:       s.now().UTC(),
		Actor:      p.Actor(),
		Action:     action,
		Target:     target,
		RequestID:  wellbase.RequestIDFromContext(r.Context()),
		RemoteAddr: clientAddr(r),
		Details:    details,
	}
	if p != nil && p.Operator {
		return wellbase.AppendAuditWithControl(r.Context(), s.store, e)
	}
	return s.store.Tenant(tenant).AppendAudit(r.Context(), e)
}
