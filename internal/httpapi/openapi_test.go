package httpapi_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestOpenAPI checks that the served document is valid OpenAPI 3 and lists exactly the routes
// the server serves: a route missing from it, or a path it documents that nothing serves,
// fails this test.
func TestOpenAPI(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.must(200, "GET", "/api/v1/openapi.json", "", nil)
	doc, err := openapi3.NewLoader().LoadFromData(r.body)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("invalid OpenAPI document: %v", err)
	}
	served := map[string]bool{}
	for _, rt := range h.api.Routes() {
		served[rt.Method+" "+rt.Path] = true
		item := doc.Paths.Find(rt.Path)
		if item == nil || item.GetOperation(rt.Method) == nil {
			t.Errorf("%s %s is served but missing from openapi.json", rt.Method, rt.Path)
			continue
		}
		op := item.GetOperation(rt.Method)
		if op.Summary == "" {
			t.Errorf("%s %s has no summary", rt.Method, rt.Path)
		}
		if op.Responses.Value(itoa(rt.Status)) == nil {
			t.Errorf("%s %s does not document its %d answer", rt.Method, rt.Path, rt.Status)
		}
	}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if !served[strings.ToUpper(method)+" "+path] {
				t.Errorf("openapi.json documents %s %s, which is not served", method, path)
			}
		}
	}
	if len(doc.Paths.Map()) < 15 {
		t.Errorf("only %d paths documented", len(doc.Paths.Map()))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestOpenAPIDocumentsHardening: the production import's unit parameters, the 409 of a log
// still processing on every log read route, and the 400 of a malformed cursor on every list are
// in the document.
func TestOpenAPIDocumentsHardening(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.must(200, "GET", "/api/v1/openapi.json", "", nil)
	doc, err := openapi3.NewLoader().LoadFromData(r.body)
	if err != nil {
		t.Fatal(err)
	}
	imp := doc.Paths.Find("/api/v1/production").Post
	for _, name := range []string{"oil_unit", "gas_unit", "water_unit", "water_injected_unit", "gas_injected_unit"} {
		if p := imp.Parameters.GetByInAndName("query", name); p == nil || p.Description == "" {
			t.Errorf("POST /api/v1/production does not document ?%s=", name)
		}
	}
	codes := doc.Components.Schemas["Problem"].Value.Properties["code"].Value.Enum
	if !strings.Contains(strings.ToLower(fmtAny(codes)), "log_processing") {
		t.Errorf("Problem codes %v lack log_processing", codes)
	}
	for _, rt := range h.api.Routes() {
		op := doc.Paths.Find(rt.Path).GetOperation(rt.Method)
		if rt.Method == "GET" && strings.HasPrefix(rt.Path, "/api/v1/logs/{log}/") && op.Responses.Value("409") == nil {
			t.Errorf("GET %s does not document the 409 of a log still processing", rt.Path)
		}
		if rt.Method == "GET" && strings.HasSuffix(rt.Response, "List") && op.Responses.Value("400") == nil {
			t.Errorf("GET %s does not document the 400 of a malformed cursor", rt.Path)
		}
	}
}

// TestOpenAPIDocumentsIdempotency: every route that takes an Idempotency-Key documents the
// header, its 409 codes and the Idempotent-Replayed header of its answer; no other route
// documents the header.
func TestOpenAPIDocumentsIdempotency(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.must(200, "GET", "/api/v1/openapi.json", "", nil)
	doc, err := openapi3.NewLoader().LoadFromData(r.body)
	if err != nil {
		t.Fatal(err)
	}
	codes := fmtAny(doc.Components.Schemas["Problem"].Value.Properties["code"].Value.Enum)
	for _, c := range []string{"idempotency_in_progress", "idempotency_key_reused"} {
		if !strings.Contains(codes, " "+c) {
			t.Errorf("Problem codes%s lack %s", codes, c)
		}
	}
	n := 0
	for _, rt := range h.api.Routes() {
		op := doc.Paths.Find(rt.Path).GetOperation(rt.Method)
		p := op.Parameters.GetByInAndName("header", "Idempotency-Key")
		if !rt.Idempotent() {
			if p != nil {
				t.Errorf("%s %s documents Idempotency-Key, which it ignores", rt.Method, rt.Path)
			}
			continue
		}
		n++
		if p == nil || p.Description == "" || p.Required {
			t.Errorf("%s %s does not document the optional Idempotency-Key header", rt.Method, rt.Path)
		}
		if c := op.Responses.Value("409"); c == nil || !strings.Contains(*c.Value.Description, "idempotency_key_reused") ||
			!strings.Contains(*c.Value.Description, "idempotency_in_progress") {
			t.Errorf("%s %s does not document the 409s of Idempotency-Key", rt.Method, rt.Path)
		}
		if ok := op.Responses.Value(itoa(rt.Status)); ok == nil || ok.Value.Headers["Idempotent-Replayed"] == nil {
			t.Errorf("%s %s does not document Idempotent-Replayed on its %d answer", rt.Method, rt.Path, rt.Status)
		}
	}
	if n == 0 {
		t.Error("no route documents Idempotency-Key")
	}
}

func fmtAny(v []any) string {
	var b strings.Builder
	for _, x := range v {
		b.WriteString(" " + x.(string))
	}
	return b.String()
}
