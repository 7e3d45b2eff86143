package httpapi_test

import (
	"strings"
	"testing"
)

// TestScenarios runs API scenarios: method, URL, credential, body, expected status and content.
func TestScenarios(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	h.onboard("globex")
	h.must(201, "POST", "/api/v1/users", acme, map[string]any{"email": "viewer@acme.example", "role": "viewer", "password": "viewer password 42"})
	h.must(201, "POST", "/api/v1/users", acme, map[string]any{"email": "eng@acme.example", "role": "engineer", "password": "engineer password 42"})
	viewer := h.must(200, "POST", "/api/v1/login", "", map[string]any{"tenant": "acme", "email": "viewer@acme.example", "password": "viewer password 42"}).str("token")
	eng := h.must(200, "POST", "/api/v1/login", "", map[string]any{"tenant": "acme", "email": "eng@acme.example", "password": "engineer password 42"}).str("token")
	well := h.must(201, "POST", "/api/v1/wells", acme, map[string]any{"name": "15/9-F-14", "uwi": "NO-15/9-F-14"}).str("id")

	tests := []struct {
		name   string
		method string
		path   string
		token  string
		body   any
		status int
		// contains are substrings the body must have.
		contains []string
	}{
		{"HealthOK", "GET", "/healthz", "", nil, 200, []string{`"ok"`}},
		{"ReadyOK", "GET", "/readyz", "", nil, 200, []string{`"ready"`}},
		{"MetricsOK", "GET", "/metrics", "", nil, 200, []string{"wellbase_http_requests_total"}},
		{"NoRoute", "GET", "/api/v1/nope", acme, nil, 404, []string{`"code":"not_found"`}},

		{"NoCredential", "GET", "/api/v1/wells", "", nil, 401, []string{`"code":"unauthorized"`, "Bearer"}},
		{"MalformedToken", "GET", "/api/v1/wells", "wb_not_a_token", nil, 401, []string{"unauthorized"}},
		{"UnknownToken", "GET", "/api/v1/wells", "wbt_" + strings.Repeat("A", 43), nil, 401, []string{"unauthorized"}},
		{"OperatorOnTenantRoute", "GET", "/api/v1/wells", h.op, nil, 403, []string{"platform operators use the control plane"}},
		{"TenantOnControlPlane", "GET", "/api/v1/tenants", acme, nil, 403, []string{"platform operator credential"}},

		{"MalformedJSON", "POST", "/api/v1/wells", acme, "{not json", 400, []string{`"code":"bad_request"`, "byte"}},
		{"UnknownField", "POST", "/api/v1/wells", acme, map[string]any{"name": "x", "colour": "red"}, 400, []string{`"field":"colour"`}},
		{"WrongType", "POST", "/api/v1/wells", acme, map[string]any{"name": 7}, 400, []string{`"field":"name"`, "must be a string"}},
		{"TrailingData", "POST", "/api/v1/wells", acme, `{"name":"a"} {"name":"b"}`, 400, []string{"after its JSON value"}},
		{"EmptyBody", "POST", "/api/v1/wells", acme, "", 400, []string{"empty"}},
		{"TooLarge", "POST", "/api/v1/wells", acme, `{"name":"` + strings.Repeat("x", 1<<20) + `"}`, 413, []string{`"code":"too_large"`, "1 MiB"}},
		{"NameBidiControl", "POST", "/api/v1/wells", acme, map[string]any{"name": "WELL-\u202e1-A"}, 422, []string{`"field":"name"`, "control characters"}},
		{"NameRequired", "POST", "/api/v1/wells", acme, map[string]any{"uwi": "x"}, 422, []string{`"field":"name"`, "required"}},
		{"LatitudeRange", "POST", "/api/v1/wells", acme, map[string]any{"name": "x", "latitude": 91, "longitude": 0}, 422, []string{`"field":"latitude"`}},
		{"LatitudeAlone", "POST", "/api/v1/wells", acme, map[string]any{"name": "x", "latitude": 58.4}, 422, []string{"together"}},
		{"InvalidTenantID", "POST", "/api/v1/tenants", h.op, map[string]any{"id": "Acme Oil", "name": "x", "admin_email": "a@b.example"}, 422, []string{`"field":"id"`}},
		{"TenantIDDotDot", "POST", "/api/v1/tenants", h.op, map[string]any{"id": "..", "name": "x", "admin_email": "a@b.example"}, 422, []string{`"field":"id"`}},
		{"InvalidEmail", "POST", "/api/v1/tenants", h.op, map[string]any{"id": "initech", "name": "x", "admin_email": "not-an-email"}, 422, []string{`"field":"admin_email"`}},
		{"UnknownTier", "POST", "/api/v1/tenants", h.op, map[string]any{"id": "initech", "name": "x", "tier": "gold", "admin_email": "a@b.example"}, 422, []string{`"field":"tier"`}},
		{"DuplicateTenant", "POST", "/api/v1/tenants", h.op, map[string]any{"id": "acme", "name": "x", "admin_email": "admin@acme.example"}, 409, []string{"already exists"}},
		{"BadLimit", "PATCH", "/api/v1/tenants/acme", h.op, map[string]any{"limits": map[string]any{"requests_per_second": -1}}, 422, []string{`"field":"limits.requests_per_second"`}},
		{"TenantNotFound", "GET", "/api/v1/tenants/initech", h.op, nil, 404, nil},
		{"TenantBadIDNotFound", "GET", "/api/v1/tenants/ACME%20Oil", h.op, nil, 404, nil},
		{"BadPageLimit", "GET", "/api/v1/wells?limit=0", acme, nil, 400, []string{`"field":"limit"`}},
		{"UnknownVolumeUnit", "POST", "/api/v1/production?format=csv&oil_unit=furlongs", acme, []byte("date,well,oil\n2020-01-01,W-1,5\n"), 422, []string{`"field":"oil_unit"`, "furlongs", "Sm3"}},
		{"BarrelsOfGas", "POST", "/api/v1/production?format=csv&gas_unit=bbl", acme, []byte("date,well,gas\n2020-01-01,W-1,5\n"), 422, []string{`"field":"gas_unit"`, "liquids"}},

		{"ViewerReads", "GET", "/api/v1/wells/" + well, viewer, nil, 200, []string{"15/9-F-14"}},
		{"ViewerCannotWrite", "POST", "/api/v1/wells", viewer, map[string]any{"name": "nope"}, 403, []string{"role viewer"}},
		{"ViewerCannotPatch", "PATCH", "/api/v1/wells/" + well, viewer, map[string]any{"name": "nope"}, 403, nil},
		{"ViewerCannotDelete", "DELETE", "/api/v1/wells/" + well, viewer, nil, 403, nil},
		{"ViewerCannotListUsers", "GET", "/api/v1/users", viewer, nil, 403, nil},
		{"ViewerCannotReadAudit", "GET", "/api/v1/audit", viewer, nil, 403, nil},
		{"ViewerUsage", "GET", "/api/v1/usage", viewer, nil, 200, []string{`"max_users"`, `"wells":1`}},
		{"EngineerWrites", "PATCH", "/api/v1/wells/" + well, eng, map[string]any{"field": "VOLVE"}, 200, []string{`"field":"VOLVE"`}},
		{"EngineerCannotAddUsers", "POST", "/api/v1/users", eng, map[string]any{"email": "x@acme.example", "role": "viewer"}, 403, nil},
		{"DuplicateUser", "POST", "/api/v1/users", acme, map[string]any{"email": "eng@acme.example", "role": "viewer"}, 409, []string{`"field":"email"`}},
		{"UnknownRole", "POST", "/api/v1/users", acme, map[string]any{"email": "r@acme.example", "role": "superuser"}, 422, []string{`"field":"role"`}},
		{"ShortPassword", "POST", "/api/v1/users", acme, map[string]any{"email": "p@acme.example", "role": "viewer", "password": "short"}, 422, []string{`"field":"password"`}},
		{"TokenDaysRange", "POST", "/api/v1/tokens", acme, map[string]any{"name": "x", "expires_in_days": 1000}, 422, []string{`"field":"expires_in_days"`}},
		{"Me", "GET", "/api/v1/me", acme, nil, 200, []string{`"role":"owner"`, `"id":"acme"`}},

		{"LoginWrongPassword", "POST", "/api/v1/login", "", map[string]any{"tenant": "acme", "email": "eng@acme.example", "password": "not the password"}, 401, []string{"tenant, email or password is wrong"}},
		{"LoginUnknownEmail", "POST", "/api/v1/login", "", map[string]any{"tenant": "acme", "email": "nobody@acme.example", "password": "not the password"}, 401, []string{"tenant, email or password is wrong"}},
		{"LoginWrongTenant", "POST", "/api/v1/login", "", map[string]any{"tenant": "globex", "email": "eng@acme.example", "password": "engineer password 42"}, 401, []string{"tenant, email or password is wrong"}},
		{"LoginUnknownTenant", "POST", "/api/v1/login", "", map[string]any{"tenant": "initech", "email": "eng@acme.example", "password": "engineer password 42"}, 401, []string{"tenant, email or password is wrong"}},
		{"LogoutAPIToken", "POST", "/api/v1/logout", acme, nil, 400, []string{"DELETE /api/v1/tokens"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.do(tt.method, tt.path, tt.token, tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.status >= 400 && !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("error Content-Type %q, want application/problem+json", r.header.Get("Content-Type"))
			}
			for _, c := range tt.contains {
				if !strings.Contains(string(r.body), c) {
					t.Errorf("body lacks %q: %s", c, r.body)
				}
			}
			if r.header.Get("X-Request-ID") == "" {
				t.Error("no X-Request-ID")
			}
		})
	}
}
