package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRateLimitPerTenant(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme, globex := h.onboard("acme"), h.onboard("globex")
	h.must(200, "PATCH", "/api/v1/tenants/acme", h.op, map[string]any{"limits": map[string]any{"requests_per_second": 2, "burst": 4}})
	var limited []response
	for range 20 {
		if r := h.do("GET", "/api/v1/wells", acme, nil); r.status == 429 {
			limited = append(limited, r)
		}
	}
	if len(limited) < 10 {
		t.Fatalf("%d of 20 quick requests at 2 rps (burst 4) limited, want most", len(limited))
	}
	r := limited[0]
	if r.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	for _, want := range []string{"tenant acme", "requests_per_second = 2", "burst 4", `"code":"limit_exceeded"`} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("429 body lacks %q: %s", want, r.body)
		}
	}
	for range 20 {
		h.must(200, "GET", "/api/v1/wells", globex, nil)
	}
	// The limit shows in the tenant's usage view once it may ask again.
	got := h.must(200, "GET", "/api/v1/tenants/acme", h.op, nil).json()
	if lim := got["effective_limits"].(map[string]any); lim["requests_per_second"] != 2.0 || lim["burst"] != 4.0 {
		t.Errorf("effective limits %v", lim)
	}
}

func TestSuspendResume(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	h.onboard("globex")
	h.must(200, "POST", "/api/v1/tenants/acme/suspend", h.op, nil)
	r := h.must(403, "GET", "/api/v1/wells", acme, nil)
	if !strings.Contains(string(r.body), "tenant acme is suspended") || !strings.Contains(string(r.body), "tenant_suspended") {
		t.Errorf("suspended answer does not say so: %s", r.body)
	}
	h.must(200, "POST", "/api/v1/tenants/acme/suspend", h.op, nil) // idempotent
	h.must(200, "POST", "/api/v1/tenants/acme/resume", h.op, nil)
	h.must(200, "GET", "/api/v1/wells", acme, nil)
	h.must(200, "POST", "/api/v1/tenants/globex/resume", h.op, nil) // already active: no change
	audit := h.must(200, "GET", "/api/v1/audit", acme, nil)
	for _, a := range []string{"tenant.suspend", "tenant.resume", "tenant.onboard"} {
		if !strings.Contains(string(audit.body), a) {
			t.Errorf("audit lacks %s: %s", a, audit.body)
		}
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	created := h.must(201, "POST", "/api/v1/tokens", acme, map[string]any{"name": "ci", "expires_in_days": 7})
	tok, id := created.str("token"), created.str("id")
	if !strings.HasPrefix(tok, "wbt_") || len(tok) < 40 {
		t.Fatalf("token %q", tok)
	}
	h.must(200, "GET", "/api/v1/me", tok, nil)
	list := h.must(200, "GET", "/api/v1/tokens", acme, nil)
	if strings.Contains(string(list.body), tok) || strings.Contains(string(list.body), tok[10:]) {
		t.Fatalf("token list shows a secret: %s", list.body)
	}
	if !strings.Contains(string(list.body), id) {
		t.Errorf("token list lacks %s", id)
	}
	h.must(204, "DELETE", "/api/v1/tokens/"+id, acme, nil)
	h.must(401, "GET", "/api/v1/me", tok, nil)
	h.must(404, "DELETE", "/api/v1/tokens/tok_nope", acme, nil)
	// A viewer cannot revoke the owner's token: it is not theirs, so it is not found.
	h.must(201, "POST", "/api/v1/users", acme, map[string]any{"email": "v@acme.example", "role": "viewer", "password": "viewer password 42"})
	viewer := h.must(200, "POST", "/api/v1/login", "", map[string]any{"tenant": "acme", "email": "v@acme.example", "password": "viewer password 42"}).str("token")
	other := h.must(201, "POST", "/api/v1/tokens", acme, map[string]any{"name": "owner's"}).str("id")
	h.must(404, "DELETE", "/api/v1/tokens/"+other, viewer, nil)
	vt := h.must(201, "POST", "/api/v1/tokens", viewer, map[string]any{"name": "mine"}).str("id")
	vl := h.must(200, "GET", "/api/v1/tokens", viewer, nil)
	if strings.Contains(string(vl.body), other) || !strings.Contains(string(vl.body), vt) {
		t.Errorf("viewer's token list: %s", vl.body)
	}
}

func TestLoginSession(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	h.must(201, "POST", "/api/v1/users", acme, map[string]any{"email": "eng@acme.example", "role": "engineer", "password": "engineer password 42"})
	r := h.must(200, "POST", "/api/v1/login", "", map[string]any{"tenant": "acme", "email": "eng@acme.example", "password": "engineer password 42"})
	if r.str("token") == "" || r.str("expires_at") == "" {
		t.Fatalf("login answer %s", r.body)
	}
	var cookie *http.Cookie
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "wellbase_session" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || !cookie.Secure || cookie.SameSite != http.SameSiteStrictMode || cookie.Value != r.str("token") {
		t.Fatalf("session cookie %+v", cookie)
	}
	// The cookie authenticates a browser's request.
	req, _ := http.NewRequest("GET", h.srv.URL+"/api/v1/me", nil)
	req.AddCookie(cookie)
	res, err := h.srv.Client().Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("cookie request: %v %v", err, res.StatusCode)
	}
	res.Body.Close()
	// A cross-origin write with the cookie is refused.
	req, _ = http.NewRequest("POST", h.srv.URL+"/api/v1/wells", strings.NewReader(`{"name":"x"}`))
	req.AddCookie(cookie)
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Content-Type", "application/json")
	res, _ = h.srv.Client().Do(req)
	if res.StatusCode != 403 {
		t.Errorf("cross-origin cookie write: status %d, want 403", res.StatusCode)
	}
	res.Body.Close()
	h.must(204, "POST", "/api/v1/logout", r.str("token"), nil)
	h.must(401, "GET", "/api/v1/me", r.str("token"), nil)
}

func TestLoginRateLimited(t *testing.T) {
	t.Parallel()
	// A stopped clock: no failure budget refills while the test runs, however slow the machine.
	stopped := time.Now()
	h := newHarnessClock(t, func() time.Time { return stopped })
	acme := h.onboard("acme")
	h.must(201, "POST", "/api/v1/users", acme, map[string]any{"email": "eng@acme.example", "role": "engineer", "password": "engineer password 42"})
	var r response
	for i := range 12 {
		r = h.do("POST", "/api/v1/login", "", map[string]any{"tenant": "acme", "email": "eng@acme.example", "password": "guess number " + string(rune('a'+i))})
		if r.status == 429 {
			break
		}
		if r.status != 401 {
			t.Fatalf("failed login %d: status %d", i, r.status)
		}
	}
	if r.status != 429 || r.header.Get("Retry-After") == "" || !strings.Contains(string(r.body), "too many failed logins") {
		t.Fatalf("after 12 failures: %d %s", r.status, r.body)
	}
	// Even the right password waits now: the budget is spent.
	h.must(429, "POST", "/api/v1/login", "", map[string]any{"tenant": "acme", "email": "eng@acme.example", "password": "engineer password 42"})
	audit := h.must(200, "GET", "/api/v1/audit?limit=500", acme, nil)
	if strings.Count(string(audit.body), "login.fail") < 10 {
		t.Errorf("failed logins are not audited: %s", audit.body)
	}
}

func TestUserLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	h.must(200, "PATCH", "/api/v1/tenants/acme", h.op, map[string]any{"limits": map[string]any{"max_users": 2}})
	h.must(201, "POST", "/api/v1/users", acme, map[string]any{"email": "one@acme.example", "role": "viewer"})
	r := h.must(429, "POST", "/api/v1/users", acme, map[string]any{"email": "two@acme.example", "role": "viewer"})
	if !strings.Contains(string(r.body), "max_users = 2") || !strings.Contains(string(r.body), "tenant acme") {
		t.Errorf("user limit answer %s", r.body)
	}
}

func TestWellLifecycle(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	var ids []string
	for _, n := range []string{"A-1", "A-2", "A-3"} {
		ids = append(ids, h.must(201, "POST", "/api/v1/wells", acme, map[string]any{"name": n, "latitude": 58.44, "longitude": 1.89}).str("id"))
	}
	p1 := h.must(200, "GET", "/api/v1/wells?limit=2", acme, nil)
	next := p1.str("next_cursor")
	if next == "" || len(p1.json()["items"].([]any)) != 2 {
		t.Fatalf("first page %s", p1.body)
	}
	p2 := h.must(200, "GET", "/api/v1/wells?limit=2&cursor="+next, acme, nil)
	if items := p2.json()["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != ids[2] || p2.str("next_cursor") != "" {
		t.Fatalf("second page %s", p2.body)
	}
	h.must(200, "PATCH", "/api/v1/wells/"+ids[0], acme, map[string]any{"name": "A-1 renamed"})
	h.must(204, "DELETE", "/api/v1/wells/"+ids[1], acme, nil)
	h.must(404, "GET", "/api/v1/wells/"+ids[1], acme, nil)
	h.must(404, "DELETE", "/api/v1/wells/"+ids[1], acme, nil)
	audit := h.must(200, "GET", "/api/v1/audit", acme, nil).json()["items"].([]any)
	first := audit[0].(map[string]any)
	if first["action"] != "well.delete" || first["target"] != ids[1] || first["request_id"] == "" || first["actor"] == "" {
		t.Errorf("newest audit event %v, want well.delete of %s with actor and request ID", first, ids[1])
	}
}
