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
