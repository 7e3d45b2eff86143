package wellbase

import "time"

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
	Users        int   `json:"users"`
	Wells        int   `json:"wells"`
	APITokens    int   `json:"api_tokens"`
	StorageBytes int64 `json:"storage_bytes"`
	// Requests counts API requests of the tenant on the current UTC day.
	RequestsToday int64 `json:"requests_today"`
}
