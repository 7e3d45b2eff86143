package httpapi_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/wellbase/wellbase/internal/httpapi"
)

// publicPages are the only HTML routes that may answer without a session. A new public page
// fails TestPageIsolation until it is reviewed and added here.
var publicPages = map[string]bool{"GET /static/{path...}": true, "GET /signin": true, "POST /signin": true}

// The admin and operator pages: the operators' sign-in is public; every other
// operator page needs an operator's session (a tenant's session gets 404).
func init() {
	publicPages["GET /operator/signin"] = true
	publicPages["POST /operator/signin"] = true
	for route, form := range map[string]url.Values{
		"POST /admin/users":                          {"email": {"new@globex.example"}, "role": {"viewer"}},
		"POST /admin/users/{user}":                   {"action": {"disable"}},
		"POST /admin/tokens":                         {"name": {"globex token"}, "days": {"30"}},
		"POST /admin/tokens/{token}/revoke":          {},
		"POST /operator/signin":                      {"token": {"wbo_not-a-real-token"}},
		"POST /operator/signout":                     {},
		"POST /operator/tenants":                     {"id": {"evil"}, "name": {"Evil"}, "tier": {"basic"}, "admin_email": {"e@evil.example"}},
		"POST /operator/tenants/{tenant}/suspend":    {},
		"POST /operator/tenants/{tenant}/resume":     {},
		"POST /operator/tenants/{tenant}/limits":     {"max_users": {"1"}},
		"POST /operator/tenants/{tenant}/rotate-key": {},
		"POST /operator/tenants/{tenant}/export":     {},
		"POST /operator/tenants/{tenant}/offboard":   {"confirm": {"acme"}},
	} {
		sampleForms[route] = form
	}
}

// signinFor is where a page without a session sends the browser: the operators' sign-in for
// the control plane's pages, else the tenants'.
func signinFor(route string) string {
	if strings.HasPrefix(route, "/operator/") {
		return "/operator/signin"
	}
	return "/signin"
}

// sampleForms are form bodies for each state-changing page route, as another tenant's user
// would send them. A POST page route missing here fails the test.
var sampleForms = map[string]url.Values{
	"POST /signin":       {"tenant": {"acme"}, "email": {"eng@acme.example"}, "password": {"wrong password 123"}},
	"POST /signout":      {},
	"POST /wells":        {"name": {"GLOBEX-1"}},
	"POST /wells/{well}": {"name": {"HIJACKED"}, "uwi": {"HIJACKED"}},
	// The logs, production, forecasts and jobs pages.
	"POST /logs/{log}/petrophysics": {"vsh_method": {"linear"}, "matrix_density": {"2.65"}},
	"POST /production/import":       {"oil_unit": {"Sm3"}},
	"POST /wells/{well}/forecasts":  {"phase": {"oil"}, "model": {"auto"}},
	"POST /jobs/{job}/cancel":       {},
}

// TestPageIsolation walks every HTML page route (httpapi.Server.PageRoutes) as TestTenantIsolation
// walks the API: with a session of another tenant's owner on the first tenant's resources
// (404, no leak, nothing changed), without a session (a redirect to the sign-in page), and
// with a cross-origin form (403).
func TestPageIsolation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme, globex := h.onboard("acme"), h.onboard("globex")
	well := h.must(201, "POST", "/api/v1/wells", acme, map[string]any{"name": "ACME-SECRET-WELL", "uwi": "ACME-UWI-0001", "field": "ACMEFIELD"}).json()
	h.must(201, "POST", "/api/v1/production?format=csv", acme, []byte("date,well,oil[Sm3],gas[Sm3],water[Sm3]\n2020-01-01,ACME-SECRET-WELL,123.456,1000,1\n"))
	log := h.must(201, "POST", "/api/v1/logs?well="+well["id"].(string)+"&name=acme-secret.las", acme, []byte(smallLAS("ACME-SECRET-WELL", "ACME-UWI-0001"))).json()
	ids := map[string]string{"well": well["id"].(string), "path...": "app.css"}
	ids["log"], ids["job"], ids["forecast"] = log["id"].(string), h.must(202, "POST", "/api/v1/jobs", acme, map[string]any{"type": "noop"}).str("id"), acmeForecast(t, h, ids["well"])
	markers := []string{"ACME-SECRET-WELL", "ACME-UWI-0001", "ACMEFIELD", "acme-secret.las", "123.456", log["id"].(string), "admin@acme.example"}
	session := h.session(globex, "globex", "owner2@globex.example", "owner")
	// The admin and operator pages' resources: acme's users, tokens, tenant and export job.
	acmeUser := h.must(201, "POST", "/api/v1/users", acme, map[string]any{"email": "ACME-USER@acme.example", "role": "viewer"}).str("id")
	acmeToken := h.must(201, "POST", "/api/v1/tokens", acme, map[string]any{"name": "ACME-TOKEN-NAME"}).str("id")
	acmeExport := h.must(202, "POST", "/api/v1/tenants/acme/export", acme, nil).str("id")
	ids["user"], ids["token"], ids["tenant"], ids["job"] = acmeUser, acmeToken, "acme", acmeExport
	markers = append(markers, "acme-user@acme.example", "ACME-TOKEN-NAME", acmeToken, acmeUser, "acme Oil")

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(method, path, cookie, origin string, form url.Values) (int, http.Header, string) {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, h.srv.URL+path, body)
		req.Header.Set("Accept", "text/html")
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: "wellbase_session", Value: cookie})
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header, string(b)
	}

	covered := 0
	for _, rt := range h.api.PageRoutes() {
		key := rt.Method + " " + rt.Path
		if rt.Access == httpapi.Public != publicPages[key] {
			t.Errorf("%s: public = %v, but publicPages says %v: review the page and update publicPages", key, rt.Access == httpapi.Public, publicPages[key])
			continue
		}
		var form url.Values
		if rt.Method == "POST" {
			var ok bool
			if form, ok = sampleForms[key]; !ok {
				t.Errorf("%s: no sample form in the isolation test: add one", key)
				continue
			}
		}
		path, params, ok := fill(rt.Path, ids)
		if !ok {
			t.Errorf("%s: a path parameter is unknown to the isolation test (know %v)", key, ids)
			continue
		}
		path = strings.Replace(path, "{$}", "", 1)
		if strings.Contains(rt.Path, "{path...}") {
			params-- // an asset's name, not a tenant's resource
		}
		covered++
		ses := session
		if key == "POST /signout" { // it ends the session it is sent with
			ses = h.session(globex, "globex", "leaving@globex.example", "viewer")
		}
		st, hd, body := do(rt.Method, path, ses, h.srv.URL, form)
		switch {
		case params > 0 && st != 404:
			t.Errorf("%s on acme's resource with globex's session: status %d, want 404", key, st)
		case st >= 500:
			t.Errorf("%s with globex's session: status %d: %.300s", key, st, body)
		}
		for _, m := range markers {
			if strings.Contains(body, m) {
				t.Errorf("%s with globex's session leaks acme's %q", key, m)
			}
		}
		if strings.HasPrefix(hd.Get("Content-Type"), "text/html") && (!strings.Contains(hd.Get("Content-Security-Policy"), "default-src 'self'") ||
			hd.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(hd.Get("Content-Security-Policy"), "frame-ancestors 'none'")) {
			t.Errorf("%s: HTML answer without the security headers: %v", key, hd)
		}
		if rt.Access != httpapi.Public {
			st, hd, body := do(rt.Method, path, "", h.srv.URL, form)
			if st != 303 || !strings.HasPrefix(hd.Get("Location"), signinFor(rt.Path)) {
				t.Errorf("%s without a session: status %d Location %q, want 303 to /signin", key, st, hd.Get("Location"))
			}
			for _, m := range markers {
				if strings.Contains(body, m) {
					t.Errorf("%s without a session leaks %q", key, m)
				}
			}
		}
		if rt.Method == "POST" {
			if st, _, _ := do(rt.Method, path, session, "https://evil.example", form); st != 403 {
				t.Errorf("%s from another origin: status %d, want 403", key, st)
			}
		}
	}
	t.Logf("page isolation: %d of %d page routes covered", covered, len(h.api.PageRoutes()))
	if covered != len(h.api.PageRoutes()) {
		t.Errorf("%d page routes are not covered", len(h.api.PageRoutes())-covered)
	}
	if got := h.must(200, "GET", "/api/v1/tenants/acme", h.op, nil).json(); got["status"] != "active" || got["limits"].(map[string]any)["max_users"] != nil {
		t.Errorf("acme changed through a page: %v", got)
	}
	got := h.must(200, "GET", "/api/v1/wells/"+ids["well"], acme, nil).json()
	if got["name"] != "ACME-SECRET-WELL" || got["uwi"] != "ACME-UWI-0001" {
		t.Errorf("acme's well changed: %v", got)
	}
	// An unknown path asked for by a browser is an HTML 404 page; by an API client, JSON.
	if st, hd, _ := do("GET", "/no/such/page", session, "", nil); st != 404 || !strings.HasPrefix(hd.Get("Content-Type"), "text/html") {
		t.Errorf("unknown page: %d %s, want an HTML 404", st, hd.Get("Content-Type"))
	}
	if r := h.do("GET", "/api/v1/no-such-route", globex, nil); r.status != 404 || !strings.Contains(r.header.Get("Content-Type"), "json") {
		t.Errorf("unknown API route: %d %s, want a JSON 404", r.status, r.header.Get("Content-Type"))
	}
}

// session adds a user with role to the tenant of owner's token and returns a session token of
// theirs, from POST /api/v1/login.
func (h *harness) session(owner, tenant, email, role string) string {
	h.tb.Helper()
	const pw = "a long enough password 1"
	h.must(201, "POST", "/api/v1/users", owner, map[string]any{"email": email, "role": role, "password": pw})
	return h.must(200, "POST", "/api/v1/login", "", map[string]any{"tenant": tenant, "email": email, "password": pw}).str("token")
}
