package httpapi_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
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

// TestOpenAPIQueryParameters: every query parameter of every route is in the document, with a
// schema and a description (issue 13 item 14: the document had none of top, base, curves,
// format, period, phase …). Routes with none answer no 400 for them.
func TestOpenAPIQueryParameters(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	doc, err := openapi3.NewLoader().LoadFromData(h.must(200, "GET", "/api/v1/openapi.json", "", nil).body)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"POST /api/v1/logs":                            {"well", "name", "encoding"},
		"GET /api/v1/logs/{log}/curves/{mnemonic}":     {"top", "base", "format", "max_points"},
		"GET /api/v1/logs/{log}/data":                  {"format", "top", "base"},
		"GET /api/v1/logs/{log}/plot.svg":              {"curves", "top", "base"},
		"POST /api/v1/las/check":                       {"name", "encoding"},
		"POST /api/v1/production":                      {"format", "oil_unit", "gas_unit", "water_unit", "water_injected_unit", "gas_injected_unit"},
		"GET /api/v1/wells/{well}/production":          {"period", "phase", "from", "to"},
		"GET /api/v1/wells/{well}/production/plot.svg": {"period", "phase", "from", "to", "scale"},
	}
	declared := map[string]bool{}
	for _, rt := range h.api.Routes() {
		key := rt.Method + " " + rt.Path
		names := want[key]
		if rt.Method == "GET" && strings.HasSuffix(rt.Response, "List") {
			names = append(names, "limit", "cursor")
		}
		op := doc.Paths.Find(rt.Path).GetOperation(rt.Method)
		var got []string
		for _, p := range op.Parameters {
			if p.Value.In != "query" {
				continue
			}
			got = append(got, p.Value.Name)
			declared[p.Value.Name] = true
			if p.Value.Description == "" || p.Value.Schema == nil {
				t.Errorf("%s: ?%s= has no description or schema", key, p.Value.Name)
			}
		}
		slices.Sort(got)
		slices.Sort(names)
		if !slices.Equal(got, names) {
			t.Errorf("%s declares query parameters %v, want %v", key, got, names)
		}
	}
	// Several phases for a plot: ?phase=oil,gas,water.
	phase := doc.Paths.Find("/api/v1/wells/{well}/production/plot.svg").Get.Parameters.GetByInAndName("query", "phase")
	if phase.Schema.Value.Type.Is("array") == false || phase.Style != "form" || phase.Explode == nil || *phase.Explode {
		t.Errorf("plot ?phase= is not a comma-separated list: %+v", phase)
	}

	// Every query parameter a handler reads is declared on some route, whether a test sends it
	// or not: the names in the handlers' source (r.URL.Query().Get("x"), qs.Get("x"),
	// floatParam(r, "x"), formatParam).
	read := regexp.MustCompile(`(?:Query\(\)|\bqs?)\.Get\("([a-z_]+)"\)|floatParam\(r, "([a-z_]+)"\)|(formatParam)\(`)
	files, _ := filepath.Glob("*.go")
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range read.FindAllStringSubmatch(string(src), -1) {
			name := m[1] + m[2]
			if m[3] != "" {
				name = "format"
			}
			n++
			if !declared[name] {
				t.Errorf("%s reads ?%s=, which no route of the document declares", f, name)
			}
		}
	}
	if n < 10 {
		t.Errorf("found only %d query parameter reads in the handlers: the pattern no longer matches the code", n)
	}
}

// TestOpenAPIJobParams: POST /api/v1/jobs takes one of the job types, each with the schema of its
// params: fields, types and units (issue 13 item 14: params was a bare object).
func TestOpenAPIJobParams(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	doc, err := openapi3.NewLoader().LoadFromData(h.must(200, "GET", "/api/v1/openapi.json", "", nil).body)
	if err != nil {
		t.Fatal(err)
	}
	create := doc.Components.Schemas["JobCreate"].Value
	var variants []string
	for _, v := range create.OneOf {
		variants = append(variants, v.Value.Properties["type"].Value.Enum[0].(string))
	}
	slices.Sort(variants)
	if !slices.Equal(variants, []string{"decline-fit", "noop", "petrophysics"}) || create.Discriminator == nil {
		t.Errorf("JobCreate is one of %v (discriminator %v), want the server's job types by type", variants, create.Discriminator)
	}
	for schema, units := range map[string]map[string]string{
		"DeclineFitParams":   {"abandonment_rate": "per day", "terminal_decline_effective_per_year": "per year", "horizon_years": "years"},
		"PetrophysicsParams": {"matrix_density": "g/cc", "fluid_density": "g/cc", "rw": "ohm·m", "gr_clean": "API"},
	} {
		s := doc.Components.Schemas[schema]
		if s == nil {
			t.Errorf("no %s", schema)
			continue
		}
		for field, unit := range units {
			if p := s.Value.Properties[field]; p == nil || !strings.Contains(p.Value.Description, unit) {
				t.Errorf("%s.%s does not give its unit %q", schema, field, unit)
			}
		}
	}
	// The contract of the harness holds requests the server accepts to these schemas; these are
	// accepted and refused alike by the document and the server.
	acme := h.onboard("acme")
	well := h.must(201, "POST", "/api/v1/wells", acme, map[string]any{"name": "W-1"}).str("id")
	h.must(202, "POST", "/api/v1/jobs", acme, map[string]any{"type": "decline-fit", "params": map[string]any{"well": well, "phase": "gas", "abandonment_rate": 1.5}})
	h.must(422, "POST", "/api/v1/jobs", acme, map[string]any{"type": "decline-fit", "params": map[string]any{"well": well, "qi": 100}})
	h.must(422, "POST", "/api/v1/jobs", acme, map[string]any{"type": "petrophysics", "params": map[string]any{"well": well}})
}

// TestContractCatchesDrift: the harness's contract finds what the document does not allow: an
// undocumented field, status or path, an undeclared query parameter, a request the server
// accepts and the document refuses.
func TestContractCatchesDrift(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.srv.Client().Transport.(*contract)
	json := http.Header{"Content-Type": {"application/json"}}
	tests := []struct {
		name, method, path, reqBody string
		status                      int
		body                        string
		want                        string
	}{
		{"Documented", "GET", "/api/v1/wells?limit=5", "", 200, `{"items":[{"id":"w","name":"W"}]}`, ""},
		{"UndocumentedField", "GET", "/api/v1/wells", "", 200, `{"items":[{"id":"w","name":"W","depth_ft":3}]}`, `"depth_ft" is unsupported`},
		{"WrongType", "GET", "/api/v1/wells/w", "", 200, `{"id":"w","latitude":"north"}`, "latitude"},
		{"UndocumentedStatus", "GET", "/api/v1/wells", "", 418, `{}`, "status is not supported"},
		{"UndeclaredQuery", "GET", "/api/v1/wells?colour=red", "", 200, `{"items":[]}`, "query parameter colour"},
		{"UnknownPath", "GET", "/api/v1/reservoirs", "", 200, `{}`, "path the document does not have"},
		{"AcceptedBadRequest", "POST", "/api/v1/wells", `{"name":"W","depth":1}`, 201, `{"id":"w","name":"W"}`, "accepted a request the document refuses"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, h.srv.URL+tt.path, strings.NewReader(tt.reqBody))
			if tt.reqBody != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			got := strings.Join(c.check(req, []byte(tt.reqBody), false, &http.Response{StatusCode: tt.status, Header: json}, []byte(tt.body)), "; ")
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("contract says %q, want %q", got, tt.want)
			}
		})
	}
}
