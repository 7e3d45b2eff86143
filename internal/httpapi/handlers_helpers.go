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

// page reads ?limit= and ?cursor= (see decodeCursor): the one reader of both for every list
// route.
func page(r *http.Request) (wellbase.Page, error) {
	var p wellbase.Page
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			return p, wellbase.FieldError(wellbase.EBadRequest, "limit", "limit must be an integer from 1 to 500, got %q", clipID(v))
		}
		p.Limit = n
	}
	after, err := decodeCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		return p, err
	}
	p.After = after
	return p, nil
}

// decodeCursor checks a ?cursor= value: "" (the first page) or the next_cursor of a list
// answer, which is the ID of the last item of the page before (a resource ID such as
// "wel_01j…", or a tenant ID): 1 to 100 letters, digits, '_' and '-'. Anything else is a
// malformed cursor, EBadRequest on field cursor, rather than silently the first page.
func decodeCursor(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	ok := len(v) <= 100
	for i := 0; ok && i < len(v); i++ {
		c := v[i]
		ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
	}
	if !ok {
		return "", wellbase.FieldError(wellbase.EBadRequest, "cursor", "cursor %+q is malformed: pass the next_cursor of the previous page, or no cursor for the first page", clipID(v))
	}
	return v, nil
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
