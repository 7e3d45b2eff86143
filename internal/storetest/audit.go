package storetest

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
)

// wrapped returns a wrapped key of 288 bytes: every byte value (NUL and invalid UTF-8 included)
// then 32 random ones, so that a driver must keep the bytes as bytes.
func wrapped() []byte {
	b := make([]byte, 288)
	for i := range 256 {
		b[i] = byte(i)
	}
	rand.Read(b[256:])
	return b
}

func testDataKey(t *testing.T, s wellbase.Store) {
	createTenant(t, s, "acme")
	createTenant(t, s, "globex")
	acme := s.Tenant("acme")
	created := now().Add(-time.Hour)
	var keys [4]*wellbase.WrappedKey // by version
	for _, v := range []int{1, 3, 2} {
		keys[v] = &wellbase.WrappedKey{TenantID: "acme", Version: v, Wrapped: wrapped(), CreatedAt: created.Add(time.Duration(v) * time.Minute)}
		if err := acme.PutDataKey(t.Context(), keys[v]); err != nil {
			t.Fatalf("PutDataKey version %d: %v", v, err)
		}
	}
	want := []*wellbase.WrappedKey{keys[1], keys[2], keys[3]}

	t.Run("Put", func(t *testing.T) {
		tests := []struct {
			name string
			key  *wellbase.WrappedKey
			code string
			want []*wellbase.WrappedKey // DataKeys of the tenant afterwards
		}{
			{"OK", &wellbase.WrappedKey{TenantID: "globex", Version: 1, Wrapped: wrapped(), CreatedAt: created}, "", nil},
			{"ErrConflict", &wellbase.WrappedKey{TenantID: "acme", Version: 2, Wrapped: []byte("other"), CreatedAt: now()}, wellbase.EConflict, want},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ts := s.Tenant(tt.key.TenantID)
				checkCode(t, "PutDataKey", ts.PutDataKey(t.Context(), tt.key), tt.code)
				if tt.want == nil {
					tt.want = []*wellbase.WrappedKey{tt.key}
				}
				got, err := ts.DataKeys(t.Context())
				checkCode(t, "DataKeys", err, "")
				checkEqual(t, "data keys", got, tt.want)
			})
		}
	})

	t.Run("List", func(t *testing.T) {
		tests := []struct {
			name string
			ts   wellbase.TenantStore
			want []*wellbase.WrappedKey
		}{
			{"OldestFirst", acme, want},
			{"None", s.Tenant("umbrella"), nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := tt.ts.DataKeys(t.Context())
				checkCode(t, "DataKeys", err, "")
				checkEqual(t, "data keys", got, tt.want)
			})
		}
	})
}

func auditID(e *wellbase.AuditEvent) string { return e.ID }

// newAuditEvents returns n audit events of tenant in creation order (ascending IDs), with Details
// of JSON values (strings, float64 numbers, bools, null, arrays and objects of them).
func newAuditEvents(tenant string, n int) []*wellbase.AuditEvent {
	at := now().Add(-time.Hour)
	events := make([]*wellbase.AuditEvent, n)
	for i, id := range newIDs("aud", n) {
		e := &wellbase.AuditEvent{
			ID: id, TenantID: tenant, Time: at.Add(time.Duration(i) * time.Second),
			Actor: "user:usr_1", Action: "well.create", Target: "wel_" + id[4:],
		}
		switch i % 3 {
		case 1:
			e.RequestID, e.RemoteAddr = "req-"+id[4:], "192.0.2.7:51234"
			e.Details = map[string]any{"name": "15/9-F-1 C", "fields": []any{"name", "uwi"}, "count": 2.0, "ok": true}
		case 2:
			e.Actor, e.Action = "operator:opr_1", "tenant.update"
			e.Details = map[string]any{"limits": map[string]any{"max_users": 25.0, "burst": nil}, "reason": "ticket #42 «urgent»"}
		}
		events[i] = e
	}
	return events
}

func testAudit(t *testing.T, s wellbase.Store) {
	createTenant(t, s, "acme")
	createTenant(t, s, "globex")
	acme := s.Tenant("acme")
	events := newAuditEvents("acme", 5)
	for _, e := range events {
		if err := acme.AppendAudit(t.Context(), e); err != nil {
			t.Fatalf("AppendAudit: %v", err)
		}
	}
	newestFirst := make([]*wellbase.AuditEvent, len(events))
	for i, e := range events {
		newestFirst[len(events)-1-i] = e
	}

	t.Run("Append", func(t *testing.T) {
		globex := s.Tenant("globex")
		for i, e := range newAuditEvents("globex", 3) {
			t.Run([]string{"OK", "OKDetails", "OKNestedDetails"}[i], func(t *testing.T) {
				want := *e
				checkCode(t, "AppendAudit", globex.AppendAudit(t.Context(), e), "")
				got, _, err := globex.ListAudit(t.Context(), wellbase.Page{Limit: 1})
				checkCode(t, "ListAudit", err, "")
				checkEqual(t, "audit events", got, []*wellbase.AuditEvent{&want})
			})
		}
	})

	t.Run("List", func(t *testing.T) {
		testPaging(t, acme.ListAudit, auditID, ids(newestFirst, auditID))
		t.Run("Records", func(t *testing.T) {
			got, _, err := acme.ListAudit(t.Context(), wellbase.Page{})
			checkCode(t, "ListAudit", err, "")
			checkEqual(t, "audit events", got, newestFirst)
		})
	})
}

func testRequests(t *testing.T, s wellbase.Store) {
	tests := []struct {
		name   string
		add    map[string][]int64 // day → the counts added, in turn
		day    string
		want   int64
		tenant string
	}{
		{"OK", map[string][]int64{"2026-03-01": {1}}, "2026-03-01", 1, "acme"},
		{"Accumulates", map[string][]int64{"2026-03-01": {3, 4, 5}}, "2026-03-01", 12, "globex"},
		{"PerDay", map[string][]int64{"2026-03-01": {3}, "2026-03-02": {7}}, "2026-03-02", 7, "initech"},
		{"OtherDayZero", map[string][]int64{"2026-03-01": {3}}, "2026-03-02", 0, "umbrella"},
		{"NoneZero", nil, "2026-03-01", 0, "hooli"},
		{"Large", map[string][]int64{"2026-03-01": {1 << 40, 1 << 40, 1}}, "2026-03-01", 1<<41 + 1, "soylent"},
	}
	for _, tt := range tests {
		createTenant(t, s, tt.tenant)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := s.Tenant(tt.tenant)
			for day, ns := range tt.add {
				for _, n := range ns {
					checkCode(t, "AddRequests", ts.AddRequests(t.Context(), day, n), "")
				}
			}
			got, err := ts.Requests(t.Context(), tt.day)
			checkCode(t, "Requests", err, "")
			if got != tt.want {
				t.Errorf("Requests(%s) = %d, want %d", tt.day, got, tt.want)
			}
		})
	}
}
