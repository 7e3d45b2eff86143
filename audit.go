package wellbase

import (
	"context"
	"iter"
	"time"
)

// AuditEvent records one change: who did what to which resource of which tenant, when, from where.
// Events are append-only.
type AuditEvent struct {
	ID       string    `json:"id"`
	TenantID string    `json:"tenant"`
	Time     time.Time `json:"time"`
	// Actor is "user:<id>", "operator:<id>" or "system".
	Actor string `json:"actor"`
	// Action is "<resource>.<verb>", e.g. "well.create", "tenant.suspend".
	Action string `json:"action"`
	// Target is the ID of the resource changed.
	Target     string `json:"target"`
	RequestID  string `json:"request_id,omitempty"`
	RemoteAddr string `json:"remote_addr,omitempty"`
	// Details holds non-secret facts about the change (e.g. the fields changed).
	Details map[string]any `json:"details,omitempty"`
}

// Page asks for one page of a list, newest or oldest first by ID.
type Page struct {
	// Limit is the page size; 0 means the default (50); it is capped at 500.
	Limit int
	// After is the cursor returned as Next by the previous page; "" starts at the beginning.
	After string
}

// Size returns the effective page size.
func (p Page) Size() int {
	switch {
	case p.Limit <= 0:
		return 50
	case p.Limit > 500:
		return 500
	}
	return p.Limit
}

// Usage is a tenant's current consumption, set beside its limits.
type Usage struct {
	Users     int `json:"users"`
	Wells     int `json:"wells"`
	APITokens int `json:"api_tokens"`
	// StorageBytes is what the tenant's files take in the file store: its logs' stored bytes and
	// what uploads under way (or killed) have staged until it is swept.
	StorageBytes int64 `json:"storage_bytes"`
	// Requests counts API requests of the tenant on the current UTC day.
	RequestsToday int64 `json:"requests_today"`
}

// Each yields every item of a paged list (a store's List method bound to its arguments), page
// after page of 500, in the list's order. An error ends it, yielded with a zero item.
func Each[T any](ctx context.Context, list func(context.Context, Page) ([]T, string, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		p := Page{Limit: 500}
		for {
			items, next, err := list(ctx, p)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if next == "" {
				return
			}
			p.After = next
		}
	}
}

// AppendAuditWithControl appends e to its tenant's audit log and a copy, with an ID of its own,
// to the control-plane audit log: for operators' and the system's actions on a tenant, whose
// record must outlive the tenant's own log.
func AppendAuditWithControl(ctx context.Context, s Store, e *AuditEvent) error {
	if err := s.Tenant(e.TenantID).AppendAudit(ctx, e); err != nil {
		return err
	}
	c := *e
	c.ID = NewID("cae")
	return s.AppendControlAudit(ctx, &c)
}

// NewAuditEvent returns an event of tenant for a change made by ctx's principal ("anonymous"
// without one), with ctx's request ID and client address, at now (UTC).
func NewAuditEvent(ctx context.Context, now time.Time, tenant, action, target string, details map[string]any) *AuditEvent {
	return &AuditEvent{
		ID: NewID("aud"), TenantID: tenant, Time: now.UTC(), Actor: PrincipalFromContext(ctx).Actor(),
		Action: action, Target: target, RequestID: RequestIDFromContext(ctx), RemoteAddr: RemoteAddrFromContext(ctx),
		Details: details,
	}
}

// RecordAudit appends e to its tenant's audit log; when ctx's principal is a platform operator,
// also to the control-plane audit log (see AppendAuditWithControl).
func RecordAudit(ctx context.Context, s Store, e *AuditEvent) error {
	if p := PrincipalFromContext(ctx); p != nil && p.Operator {
		return AppendAuditWithControl(ctx, s, e)
	}
	return s.Tenant(e.TenantID).AppendAudit(ctx, e)
}

// All returns every item of a paged list (see Each).
func All[T any](ctx context.Context, list func(context.Context, Page) ([]T, string, error)) ([]T, error) {
	var out []T
	for it, err := range Each(ctx, list) {
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}
