package httpapi_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestAdminAndOperatorPagesStructure holds every admin and operator page to checkPage's rules
// (security headers, lang, one h1 and headings in order, labels, no inline script or style),
// and checks the rules the browser test does not reach: a user's role change and disabling
// (which ends their session at once), who may change whom, the operators' cookie, and that an
// operator's session is no tenant session.
func TestAdminAndOperatorPagesStructure(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	owner := &browser{h: h, cookie: h.session(acme, "acme", "owner2@acme.example", "owner")}
	engCookie := h.session(acme, "acme", "eng@acme.example", "engineer")
	op := &browser{h: h}
	res := op.post("/operator/signin", url.Values{"token": {h.op}, "next": {"/operator/tenants"}})
	if res.status != 303 || res.header.Get("Location") != "/operator/tenants" {
		t.Fatalf("operator sign-in: %d %s", res.status, res.header.Get("Location"))
	}
	var opCookie string
	for _, c := range strings.Split(strings.Join(res.header.Values("Set-Cookie"), "\n"), "\n") {
		if strings.HasPrefix(c, "wellbase_operator=") {
			opCookie = c
			for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/operator", "Secure"} {
				if !strings.Contains(c, want) {
					t.Errorf("operator cookie %q lacks %s", c, want)
				}
			}
		}
	}
	if opCookie == "" {
		t.Fatalf("operator sign-in set no wellbase_operator cookie: %v", res.header.Values("Set-Cookie"))
	}
	if strings.Contains(opCookie, h.op) {
		t.Error("the operator cookie holds the pasted token instead of a session")
	}

	for _, path := range []string{"/admin/users", "/admin/tokens", "/admin/audit", "/admin/usage", "/admin/audit?action=user.&user=x"} {
		p := owner.get(path)
		if p.status != 200 {
			t.Errorf("GET %s: %d", path, p.status)
		}
		checkPage(t, path, p)
		if path == "/admin/usage" && !strings.Contains(string(p.body), "counts one more request per 65") {
			t.Error("the usage page does not say that costly reads count as more requests")
		}
	}

	// Role change and disabling.
	users := h.must(200, "GET", "/api/v1/users", acme, nil).json()["items"].([]any)
	ids := map[string]string{}
	for _, u := range users {
		m := u.(map[string]any)
		ids[m["email"].(string)] = m["id"].(string)
	}
	if p := owner.post("/admin/users/"+ids["eng@acme.example"], url.Values{"action": {"role"}, "role": {"viewer"}}); p.status != 303 {
		t.Fatalf("role change: %d %s", p.status, p.body)
	}
	if r := h.do("GET", "/api/v1/me", engCookie, nil); r.json()["role"] != "viewer" {
		t.Errorf("after the role change the user's role is %v", r.json()["role"])
	}
	if p := owner.post("/admin/users/"+ids["eng@acme.example"], url.Values{"action": {"disable"}}); p.status != 303 {
		t.Fatalf("disable: %d", p.status)
	}
	if r := h.do("GET", "/api/v1/me", engCookie, nil); r.status != 401 {
		t.Errorf("a disabled user's session still works: %d", r.status)
	}
	if r := h.do("POST", "/api/v1/login", "", map[string]any{"tenant": "acme", "email": "eng@acme.example", "password": "a long enough password 1"}); r.status != 401 {
		t.Errorf("a disabled user signs in: %d", r.status)
	}
	// Nobody changes themselves; the last owner stays.
	me := h.must(200, "GET", "/api/v1/me", owner.cookie, nil).json()["user"].(map[string]any)["id"].(string)
	if p := owner.post("/admin/users/"+me, url.Values{"action": {"disable"}}); p.status != 403 {
		t.Errorf("disabling oneself: %d, want 403", p.status)
	}
	other := &browser{h: h, cookie: h.session(acme, "acme", "owner3@acme.example", "owner")}
	if p := owner.post("/admin/users/"+ids["admin@acme.example"], url.Values{"action": {"disable"}}); p.status != 303 {
		t.Errorf("disabling the first owner: %d, want 303", p.status)
	}
	if p := owner.post("/admin/users/"+ids["admin@acme.example"], url.Values{"action": {"enable"}}); p.status != 303 {
		t.Errorf("enabling the first owner: %d, want 303", p.status)
	}
	// An admin may not touch an owner.
	admin := &browser{h: h, cookie: h.session(acme, "acme", "admin2@acme.example", "admin")}
	if p := admin.post("/admin/users/"+me, url.Values{"action": {"disable"}}); p.status != 403 {
		t.Errorf("an admin disables an owner: %d, want 403", p.status)
	}
	if p := other.post("/admin/users/"+me, url.Values{"action": {"role"}, "role": {"admin"}}); p.status != 303 {
		t.Errorf("an owner demotes another owner: %d", p.status)
	}
	// With owner2 an admin and the first owner disabled, owner3 is the last owner.
	if p := owner.post("/admin/users/"+ids["admin@acme.example"], url.Values{"action": {"disable"}}); p.status != 403 {
		t.Errorf("a demoted owner still acts as an owner: %d, want 403", p.status)
	}
	if p := other.post("/admin/users/"+ids["admin@acme.example"], url.Values{"action": {"disable"}}); p.status != 303 {
		t.Errorf("disabling the first owner: %d", p.status)
	}
	last := h.must(200, "GET", "/api/v1/me", other.cookie, nil).json()["user"].(map[string]any)["id"].(string)
	if p := other.post("/admin/users/"+me, url.Values{"action": {"role"}, "role": {"owner"}}); p.status != 303 {
		t.Errorf("an owner promotes back: %d", p.status)
	}
	if p := owner.post("/admin/users/"+last, url.Values{"action": {"role"}, "role": {"viewer"}}); p.status != 303 {
		t.Errorf("demoting one of two owners: %d", p.status)
	}
	if p := other.post("/admin/users/"+me, url.Values{"action": {"role"}, "role": {"viewer"}}); p.status != 403 {
		t.Errorf("a demoted owner demotes the last owner: %d, want 403", p.status)
	}
	if p := owner.post("/admin/users/"+me, url.Values{"action": {"role"}, "role": {"viewer"}}); p.status != 403 || !strings.Contains(p.body, "your own") {
		t.Errorf("the last owner demotes themselves: %d", p.status)
	}

	// The operator pages.
	for _, path := range []string{"/operator/tenants", "/operator/tenants/new", "/operator/tenants/acme", "/operator/audit"} {
		p := opPage(t, h, opCookie, path)
		if p.status != 200 {
			t.Errorf("GET %s: %d", path, p.status)
		}
		checkPage(t, path, p)
	}
	if p := opPage(t, h, "", "/operator/signin"); p.status != 200 {
		t.Errorf("GET /operator/signin: %d", p.status)
	} else {
		checkPage(t, "/operator/signin", p)
	}
	// An operator's session is no tenant session.
	opToken := strings.TrimPrefix(strings.SplitN(opCookie, ";", 2)[0], "wellbase_operator=")
	if p := (&browser{h: h, cookie: opToken}).get("/wells"); p.status != 403 {
		t.Errorf("an operator session as a tenant session on /wells: %d, want 403", p.status)
	}
}

// opPage gets path with the operators' cookie of the Set-Cookie line setCookie ("" for none).
func opPage(t *testing.T, h *harness, setCookie, path string) page {
	t.Helper()
	req, _ := http.NewRequest("GET", h.srv.URL+path, nil)
	req.Header.Set("Accept", "text/html")
	if setCookie != "" {
		req.AddCookie(&http.Cookie{Name: "wellbase_operator", Value: strings.TrimPrefix(strings.SplitN(setCookie, ";", 2)[0], "wellbase_operator=")})
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	p := page{status: res.StatusCode, header: res.Header, body: string(raw)}
	if p.doc, err = html.Parse(strings.NewReader(p.body)); err != nil {
		t.Fatal(err)
	}
	return p
}
