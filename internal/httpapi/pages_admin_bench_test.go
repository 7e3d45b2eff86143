package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/identity"
)

// BenchmarkAdminPages measures the server time of the admin and operator pages on the Volve
// data (7 wells, 15 634 daily and 526 monthly records, one log), with the audit log those
// imports and 200 more token changes wrote:
//
//	go test -run '^$' -bench AdminPages -benchtime 50x ./internal/httpapi/
func BenchmarkAdminPages(b *testing.B) {
	viewer, _, _, _ := volvePages(b)
	h := viewer.h
	ctx := b.Context()
	const pw = "admin bench password 1"
	u := &wellbase.User{ID: wellbase.NewID("usr"), Email: "admin@acme.example.com", Role: wellbase.RoleAdmin, PasswordHash: identity.HashPassword(pw), CreatedAt: time.Now()}
	if err := h.store.Tenant("acme").CreateUser(ctx, u); err != nil {
		b.Fatal(err)
	}
	admin := &browser{h: h, cookie: h.must(200, "POST", "/api/v1/login", "", map[string]any{"tenant": "acme", "email": u.Email, "password": pw}).str("token")}
	for i := range 100 {
		id := h.must(201, "POST", "/api/v1/tokens", admin.cookie, map[string]any{"name": "bench " + string(rune('a'+i%26))}).str("id")
		h.must(204, "DELETE", "/api/v1/tokens/"+id, admin.cookie, nil)
	}
	b.Run("Users", func(b *testing.B) { benchPage(b, admin, "/admin/users", "Users and roles") })
	b.Run("Tokens", func(b *testing.B) { benchPage(b, admin, "/admin/tokens", "bench a") })
	b.Run("Audit", func(b *testing.B) { benchPage(b, admin, "/admin/audit", "token.revoke") })
	b.Run("AuditFilteredScansAll", func(b *testing.B) { benchPage(b, admin, "/admin/audit?action=no.such.action", "No event matches") })
	b.Run("Usage", func(b *testing.B) { benchPage(b, admin, "/admin/usage", "Storage") })
	b.Run("OperatorTenants", func(b *testing.B) { benchOperatorPage(b, h, "/operator/tenants", "acme") })
	b.Run("OperatorTenant", func(b *testing.B) { benchOperatorPage(b, h, "/operator/tenants/acme", "Onboarding record") })
	b.Run("OperatorNewTenant", func(b *testing.B) { benchOperatorPage(b, h, "/operator/tenants/new", "Onboard a tenant") })
	b.Run("OperatorAudit", func(b *testing.B) { benchOperatorPage(b, h, "/operator/audit", "tenant.onboard") })
}

// benchOperatorPage is benchPage with the operator's credential in the operators' cookie.
func benchOperatorPage(b *testing.B, h *harness, path, want string) {
	benchPageWith(b, h.srv.URL, &http.Cookie{Name: "wellbase_operator", Value: h.op}, path, want)
}
