package httpapi_test

import (
	"strings"
	"testing"
)

// TestLASCheck checks files as the upload would, storing nothing: a good file's summary and
// warnings, a bad file's line, the role and size limits, and that another tenant sees nothing.
func TestLASCheck(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	globex := h.onboard("globex")
	h.must(201, "POST", "/api/v1/users", acme, map[string]any{"email": "viewer@acme.example", "role": "viewer", "password": "viewer password 42"})
	viewer := h.must(200, "POST", "/api/v1/login", "", map[string]any{"tenant": "acme", "email": "viewer@acme.example", "password": "viewer password 42"}).str("token")

	// STOP in ~W disagrees with the data: a warning naming its line.
	good := strings.Replace(smallLAS("CHECK-WELL", "CHECK-UWI"), "STOP.M 1501.0", "STOP.M 1600.0", 1)
	got := h.must(200, "POST", "/api/v1/las/check?name=good.las", acme, []byte(good)).json()
	if got["file"] != "good.las" || got["version"] != "2.0" || got["rows"] != 3.0 || len(got["curves"].([]any)) != 3 {
		t.Errorf("summary of good.las: %v", got)
	}
	ix := got["index"].(map[string]any)
	if ix["mnemonic"] != "DEPT" || ix["start"] != 1500.0 || ix["stop"] != 1501.0 {
		t.Errorf("index of good.las: %v", ix)
	}
	if ix["unit"] != "M" || ix["display_unit"] != "m" {
		t.Errorf("index unit of good.las: %v, want M and display_unit m", ix)
	}
	// Each curve has its unit as written and as pages spell it (logplot.DisplayUnit).
	rdep := got["curves"].([]any)[2].(map[string]any)
	if rdep["mnemonic"] != "RDEP" || rdep["unit"] != "OHMM" || rdep["display_unit"] != "ohm·m" || rdep["label"] != "DEEP RESISTIVITY" {
		t.Errorf("RDEP of good.las: %v", rdep)
	}
	if well := got["well"].(map[string]any); well["WELL"] != "CHECK-WELL" {
		t.Errorf("well of good.las: %v", well)
	}
	ws := got["warnings"].([]any)
	if len(ws) == 0 || !strings.Contains(ws[0].(map[string]any)["message"].(string), "STOP") || ws[0].(map[string]any)["line"] == nil {
		t.Errorf("warnings of good.las, want one about STOP with its line: %v", ws)
	}

	// A bad file: 422 naming the line.
	bad := strings.Replace(good, "~A\n", "~A\n1499.0 abc\n", 1)
	r := h.must(422, "POST", "/api/v1/las/check?name=bad.las", acme, []byte("hello, world\nthis is not a log\n"))
	if !strings.Contains(string(r.body), "line") {
		t.Errorf("not-LAS check answer names no line: %s", r.body)
	}
	r = h.do("POST", "/api/v1/las/check?name=bad.las", acme, []byte(bad))
	if r.status != 200 && r.status != 422 || !strings.Contains(string(r.body), "line") {
		t.Errorf("bad data row: %d %s, want a summary or a refusal naming the line", r.status, r.body)
	}

	// A viewer may not check (checking is the first step of an upload); a bad encoding is named.
	h.must(403, "POST", "/api/v1/las/check", viewer, []byte(good))
	r = h.must(422, "POST", "/api/v1/las/check?encoding=klingon", acme, []byte(good))
	if !strings.Contains(string(r.body), `"field":"encoding"`) {
		t.Errorf("unknown encoding: %s", r.body)
	}

	// Over the tenant's upload limit: 413 naming the limit.
	h.must(200, "PATCH", "/api/v1/tenants/acme", h.op, map[string]any{"limits": map[string]any{"upload_bytes": 100}})
	r = h.must(413, "POST", "/api/v1/las/check", acme, []byte(good))
	if !strings.Contains(string(r.body), "100 bytes") {
		t.Errorf("413 answer does not name the limit: %s", r.body)
	}

	// Nothing was stored, and the other tenant sees nothing of acme's checks.
	for _, tok := range []string{acme, globex} {
		logs := h.must(200, "GET", "/api/v1/logs", tok, nil).json()["items"].([]any)
		wells := h.must(200, "GET", "/api/v1/wells", tok, nil).json()["items"].([]any)
		if len(logs) != 0 || len(wells) != 0 {
			t.Errorf("checks left %d logs and %d wells", len(logs), len(wells))
		}
		if a := h.must(200, "GET", "/api/v1/audit?limit=500", tok, nil); strings.Contains(string(a.body), "good.las") || strings.Contains(string(a.body), "CHECK-WELL") {
			t.Errorf("a check left a trace in the audit log: %s", a.body)
		}
	}
}
