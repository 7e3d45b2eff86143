package httpapi_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/httpapi"
)

// publicRoutes are the only routes that may answer without a credential. A new public route
// fails TestTenantIsolation until it is reviewed and added here.
var publicRoutes = map[string]bool{
	"GET /healthz": true, "GET /readyz": true, "GET /metrics": true,
	"GET /api/v1/openapi.json": true, "POST /api/v1/login": true,
}

// sampleBodies are valid request bodies for each request schema, as an attacker of another
// tenant would send them. A route with a schema missing here fails the test.
var sampleBodies = map[string]any{
	"OnboardRequest": map[string]any{"id": "acme", "name": "Hijack", "tier": "premium", "admin_email": "evil@globex.example"},
	"TenantPatch":    map[string]any{"name": "Hijacked", "limits": map[string]any{"requests_per_second": 1, "burst": 1}},
	"LoginRequest":   map[string]any{"tenant": "acme", "email": "eng@acme.example", "password": "wrong password 123"},
	"UserCreate":     map[string]any{"email": "intruder@globex.example", "role": "viewer"},
	"TokenCreate":    map[string]any{"name": "intruder"},
	"WellCreate":     map[string]any{"name": "GLOBEX-1"},
	"WellPatch":      map[string]any{"name": "HIJACKED", "uwi": "HIJACKED"},
	"LASFile":        []byte(smallLAS("GLOBEX-1", "GLOBEX-UWI")),
	"JobCreate":      map[string]any{"type": "noop", "params": map[string]any{}},
	"ProductionFile": []byte("date,well,oil[Sm3],gas[Sm3],water[Sm3]\n2020-01-01,GLOBEX-1,10,1000,1\n"),
}

var wildcards = regexp.MustCompile(`\{([a-z]+)\}`)

// TestTenantIsolation walks every registered route with a second tenant's owner credential
// against the first tenant's resources, and with fuzzed IDs, and checks that no route returns
// the first tenant's data or changes it. Resource IDs of another tenant must answer 404;
// control-plane routes must refuse tenant credentials with 403. Every request carries the
// Idempotency-Key acme used on that route, which must not reach acme's records.
func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme, globex := h.onboard("acme"), h.onboard("globex")

	// acme's resources, with markers that must never appear in an answer to globex. They are
	// created with the Idempotency-Keys globex then sends on the same routes (isoKey), so that
	// an answer kept for acme must not be replayed to globex.
	isoKey := func(route string) http.Header { return idem("iso " + route) }
	well := h.mustWith(201, "POST", "/api/v1/wells", acme, map[string]any{"name": "ACME-SECRET-WELL", "uwi": "ACME-UWI-0001", "field": "ACMEFIELD"}, isoKey("POST /api/v1/wells")).json()
	user := h.mustWith(201, "POST", "/api/v1/users", acme, map[string]any{"email": "eng@acme.example", "role": "engineer", "password": "acme engineer password"}, isoKey("POST /api/v1/users")).json()
	token := h.mustWith(201, "POST", "/api/v1/tokens", acme, map[string]any{"name": "acme-ci"}, isoKey("POST /api/v1/tokens")).json()
	h.mustWith(201, "POST", "/api/v1/production?format=csv", acme, []byte("date,well,oil[Sm3],gas[Sm3],water[Sm3]\n2020-01-01,ACME-SECRET-WELL,123.456,1000,1\n"), isoKey("POST /api/v1/production"))
	log := h.mustWith(201, "POST", "/api/v1/logs?well="+well["id"].(string)+"&name=acme-secret.las", acme, []byte(smallLAS("ACME-SECRET-WELL", "ACME-UWI-0001")), isoKey("POST /api/v1/logs")).json()
	fc := &wellbase.Forecast{ID: wellbase.NewID("fc"), WellID: well["id"].(string), Phase: "oil", Unit: "Sm3", Model: "hyperbolic", Qi: 777.125,
		History: []wellbase.RatePoint{{Date: "2020-01-01", Rate: 777.125}}, Series: []wellbase.RatePoint{{Date: "2021-01-01", Rate: 500}}, CreatedAt: time.Now()}
	if err := h.store.Tenant("acme").CreateForecast(t.Context(), fc); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{"tenant": "acme", "forecast": fc.ID, "well": well["id"].(string), "token": token["id"].(string),
		"log": log["id"].(string), "mnemonic": "GR",
		"job": h.mustWith(202, "POST", "/api/v1/jobs", acme, map[string]any{"type": "noop", "params": map[string]any{"secret": "ACME-JOB-PARAM"}}, isoKey("POST /api/v1/jobs")).str("id")}
	markers := []string{"ACME-SECRET-WELL", "ACME-UWI-0001", "ACMEFIELD", "eng@acme.example", "admin@acme.example",
		well["id"].(string), user["id"].(string), token["id"].(string), token["prefix"].(string), log["id"].(string), "acme-secret.las", "ACME-JOB-PARAM", "123.456", fc.ID, "777.125"}

	// leak returns a marker of acme's in r, other than an ID the request itself named (a 404
	// message may echo the ID asked for; that tells the caller nothing new).
	leak := func(path string, r response) string {
		for _, m := range markers {
			if strings.Contains(string(r.body), m) && !strings.Contains(path, m) {
				return m
			}
		}
		return ""
	}

	covered := 0
	for _, rt := range h.api.Routes() {
		key := rt.Method + " " + rt.Path
		if rt.Access == httpapi.Public != publicRoutes[key] {
			t.Errorf("%s: public = %v, but the isolation test's allowlist says %v: review the route and update publicRoutes", key, rt.Access == httpapi.Public, publicRoutes[key])
			continue
		}
		var body any
		if rt.Request != "" {
			var ok bool
			if body, ok = sampleBodies[rt.Request]; !ok {
				t.Errorf("%s: request schema %s has no sample body in the isolation test: add one", key, rt.Request)
				continue
			}
		}
		path, params, ok := fill(rt.Path, ids)
		if !ok {
			t.Errorf("%s: a path parameter is unknown to the isolation test (know %v): add acme's resource for it", key, ids)
			continue
		}
		covered++
		r := h.doWith(rt.Method, path, globex, body, isoKey(key))
		if code, _ := r.json()["code"].(string); strings.HasPrefix(code, "idempotency_") || r.header.Get("Idempotent-Replayed") != "" {
			t.Errorf("%s with globex's credential and acme's Idempotency-Key was answered from acme's record: %d %s", key, r.status, r.body)
		}
		switch {
		case rt.Access == httpapi.Operator:
			if r.status != 403 {
				t.Errorf("%s with a tenant credential: status %d, want 403: %s", key, r.status, r.body)
			}
		case params > 0:
			if r.status != 404 {
				t.Errorf("%s on acme's resource with globex's credential: status %d, want 404: %s", key, r.status, r.body)
			}
		case r.status >= 500:
			t.Errorf("%s with globex's credential: status %d: %s", key, r.status, r.body)
		}
		if m := leak(path, r); m != "" {
			t.Errorf("%s with globex's credential leaks acme's %q: %s", key, m, r.body)
		}
		// Fuzzed IDs, with either tenant's credential: never a success, a leak or a crash.
		if params > 0 && (rt.Access == httpapi.Tenant || rt.Access == httpapi.OperatorOrTenant) {
			for _, fuzz := range fuzzIDs(ids) {
				fp, _, _ := fill(rt.Path, map[string]string{"tenant": fuzz, "well": fuzz, "token": fuzz, "log": fuzz, "mnemonic": "GR", "job": fuzz, "forecast": fuzz})
				for _, tok := range []string{globex, acme} {
					r := h.do(rt.Method, fp, tok, body)
					if r.status != 404 && r.status != 400 && r.status != 405 && r.status != 301 && r.status != 307 {
						t.Errorf("%s with ID %q: status %d, want 404: %s", rt.Method, fp, r.status, r.body)
					}
					if tok == globex {
						if m := leak(fp, r); m != "" {
							t.Errorf("%s %s leaks %q", rt.Method, fp, m)
						}
					}
				}
			}
		}
	}
	t.Logf("tenant isolation: %d of %d routes covered", covered, len(h.api.Routes()))
	if covered != len(h.api.Routes()) {
		t.Errorf("%d routes are not covered", len(h.api.Routes())-covered)
	}

	// acme is unchanged: its well, its token, its tenant record, its audit log.
	got := h.must(200, "GET", "/api/v1/wells/"+ids["well"], acme, nil).json()
	if got["name"] != "ACME-SECRET-WELL" || got["uwi"] != "ACME-UWI-0001" {
		t.Errorf("acme's well changed: %v", got)
	}
	toks := h.must(200, "GET", "/api/v1/tokens", acme, nil)
	if !strings.Contains(string(toks.body), ids["token"]) || strings.Contains(string(toks.body), "revoked_at") {
		t.Errorf("acme's token was revoked or lost: %s", toks.body)
	}
	if got := h.must(200, "GET", "/api/v1/logs/"+ids["log"], acme, nil).json(); got["rows"] != 3.0 || got["well_id"] != ids["well"] {
		t.Errorf("acme's log changed: %v", got)
	}
	if got := h.must(200, "GET", "/api/v1/wells/"+ids["well"]+"/production?period=day&phase=oil", acme, nil).json(); len(got["points"].([]any)) != 1 {
		t.Errorf("acme's production changed: %v", got)
	}
	if got := h.must(200, "GET", "/api/v1/jobs/"+ids["job"], acme, nil).json(); got["status"] != "queued" {
		t.Errorf("acme's job changed: %v", got)
	}
	// A log upload naming another tenant's well is refused as if the well did not exist.
	h.must(404, "POST", "/api/v1/logs?well="+ids["well"], globex, []byte(smallLAS("X", "Y")))
	ten := h.must(200, "GET", "/api/v1/tenants/acme", h.op, nil).json()
	if ten["status"] != "active" || ten["name"] != "acme Oil" {
		t.Errorf("acme's tenant record changed: %v", ten)
	}
	audit := h.must(200, "GET", "/api/v1/audit?limit=500", acme, nil)
	globexUser := h.must(200, "GET", "/api/v1/me", globex, nil).json()["user"].(map[string]any)["id"].(string)
	if strings.Contains(string(audit.body), globexUser) {
		t.Errorf("acme's audit log records an action by globex's user: %s", audit.body)
	}
}

// smallLAS is a three-row LAS 2.0 file of well name with UWI uwi.
func smallLAS(name, uwi string) string {
	return "~VERSION INFORMATION\n VERS. 2.0 : CWLS LOG ASCII STANDARD - VERSION 2.0\n WRAP. NO : ONE LINE PER DEPTH STEP\n" +
		"~WELL INFORMATION\n STRT.M 1500.0 : START DEPTH\n STOP.M 1501.0 : STOP DEPTH\n STEP.M 0.5 : STEP\n NULL. -999.25 : NULL VALUE\n" +
		" WELL. " + name + " : WELL\n UWI . " + uwi + " : UNIQUE WELL ID\n" +
		"~CURVE INFORMATION\n DEPT.M : DEPTH\n GR  .GAPI : GAMMA RAY\n RDEP.OHMM : DEEP RESISTIVITY\n" +
		"~A\n1500.0 45.1 2.5\n1500.5 -999.25 3.5\n1501.0 47.9 12.25\n"
}

// fill puts values into rt's {wildcards}; ok is false if one is unknown.
func fill(pattern string, values map[string]string) (path string, n int, ok bool) {
	ok = true
	path = wildcards.ReplaceAllStringFunc(pattern, func(m string) string {
		n++
		v, found := values[m[1:len(m)-1]]
		if !found {
			ok = false
		}
		return url.PathEscape(v)
	})
	return path, n, ok
}

// fuzzIDs are IDs near acme's real ones and hostile strings.
func fuzzIDs(ids map[string]string) []string {
	w := ids["well"]
	return []string{
		strings.ToUpper(w), w + "x", w[:len(w)-1], "wel_00000000000000000000000000",
		"..", "../acme", "%2e%2e", "' OR '1'='1", "acme/../globex", strings.Repeat("a", 300),
		"\x00", "wel_" + fmt.Sprint(len(w)), ids["token"] + "'", "ACME",
	}
}
