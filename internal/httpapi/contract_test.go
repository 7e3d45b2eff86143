package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"mime"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	legacyrouter "github.com/getkin/kin-openapi/routers/legacy"
)

func init() {
	// Media types the API answers whose bodies are opaque to the document (a string).
	openapi3filter.RegisterBodyDecoder("image/svg+xml", openapi3filter.FileBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/zip", openapi3filter.FileBodyDecoder)
}

// contract is the harness client's transport: it holds every exchange of the API tests to the
// OpenAPI document the server serves, so the document cannot drift from the code unnoticed.
//
//   - Every answer must be one the document lists for its route, with that status and media
//     type, and a body its schema accepts. Held more strictly than a client would be: an object
//     with documented properties may have no others (a field the server adds must be documented).
//   - A request the server accepts (2xx) must be one the document accepts: parameters and JSON
//     bodies are validated (a request the server refuses is often wrong on purpose).
//   - Every query parameter a test sends must be declared for its route.
//   - A path the document does not have may only be answered 404 (the catch-all).
type contract struct {
	tb     testing.TB
	base   http.RoundTripper
	router routers.Router
}

// newContract loads the document the server at url serves and returns a transport over base
// that checks exchanges against it.
func newContract(tb testing.TB, url string, base http.RoundTripper) *contract {
	tb.Helper()
	res, err := (&http.Client{Transport: base}).Get(url + "/api/v1/openapi.json")
	if err != nil {
		tb.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		tb.Fatalf("load openapi.json: %v", err)
	}
	strictObjects(doc)
	router, err := legacyrouter.NewRouter(doc)
	if err != nil {
		tb.Fatalf("openapi.json: %v", err)
	}
	return &contract{tb: tb, base: base, router: router}
}

// strictObjects makes every object schema of doc that lists properties refuse others, unless it
// says what others it allows.
func strictObjects(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(*openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		if len(s.Properties) > 0 && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil {
			no := false
			s.AdditionalProperties.Has = &no
		}
		for _, p := range s.Properties {
			walk(p)
		}
		walk(s.Items)
		walk(s.AdditionalProperties.Schema)
		for _, group := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf, s.AllOf} {
			for _, sub := range group {
				walk(sub)
			}
		}
	}
	for _, s := range doc.Components.Schemas {
		walk(s)
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, r := range op.Responses.Map() {
				for _, mt := range r.Value.Content {
					walk(mt.Schema)
				}
			}
			if op.RequestBody != nil {
				for _, mt := range op.RequestBody.Value.Content {
					walk(mt.Schema)
				}
			}
		}
	}
}

// CloseIdleConnections lets httptest.Server.Close close the client's connections.
func (c *contract) CloseIdleConnections() {
	if ci, ok := c.base.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

func (c *contract) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	// A body that cannot be sent twice (a pipe a test writes slowly) is streamed through as it
	// is: buffering it would change what the test measures. Its request is then not validated.
	streamed := req.Body != nil && req.Body != http.NoBody && req.GetBody == nil
	if req.Body != nil && req.Body != http.NoBody && !streamed {
		var err error
		if reqBody, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(reqBody)), nil }
	}
	res, err := c.base.RoundTrip(req)
	if err != nil {
		return res, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return res, nil // the test sees the short body
	}
	for _, problem := range c.check(req, reqBody, streamed, res, body) {
		c.tb.Errorf("OpenAPI contract: %s %s → %d: %s\n\tbody: %.400s", req.Method, req.URL.RequestURI(), res.StatusCode, problem, body)
	}
	return res, nil
}

// check returns what in the exchange the document does not allow.
func (c *contract) check(req *http.Request, reqBody []byte, streamed bool, res *http.Response, body []byte) []string {
	route, pathParams, err := c.router.FindRoute(req)
	if err != nil {
		if res.StatusCode != http.StatusNotFound {
			return []string{"a path the document does not have answered other than 404: " + err.Error()}
		}
		return nil
	}
	var problems []string
	declared := map[string]bool{}
	for _, p := range append(route.PathItem.Parameters, route.Operation.Parameters...) {
		if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
			declared[p.Value.Name] = true
		}
	}
	// A parameter the document does not declare must not change what the server does: a request
	// it refuses (a test of a refusal, like a retry with another query) may carry one.
	for name := range req.URL.Query() {
		if !declared[name] && res.StatusCode < 400 {
			problems = append(problems, "query parameter "+name+" is not declared for the route")
		}
	}
	ctx := context.Background()
	ct, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
	reqOpts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true,
		// Files (LAS, CSV, XLSX) are opaque to the document; JSON bodies are checked.
		ExcludeRequestBody: ct != "application/json" || streamed}
	reqOpts.WithCustomSchemaErrorFunc(schemaError)
	in := &openapi3filter.RequestValidationInput{Request: withBody(req, reqBody), PathParams: pathParams, Route: route, Options: reqOpts}
	if res.StatusCode < 300 {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			problems = append(problems, "the server accepted a request the document refuses: "+oneLine(err))
		}
	}
	if res.Header.Get("Content-Encoding") == "gzip" { // the document describes the content, not its coding
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return []string{"a gzip-coded answer that does not inflate: " + err.Error()}
		}
		if body, err = io.ReadAll(zr); err != nil {
			return []string{"a gzip-coded answer that does not inflate: " + err.Error()}
		}
	}
	resOpts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}
	resOpts.WithCustomSchemaErrorFunc(schemaError)
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
		Body: io.NopCloser(bytes.NewReader(body)), Options: resOpts}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		problems = append(problems, "answer not as documented: "+oneLine(err))
	}
	return problems
}

// schemaError says where in the body a schema error is and what it is, without the schema.
func schemaError(err *openapi3.SchemaError) string {
	return "at /" + strings.Join(err.JSONPointer(), "/") + ": " + err.Reason
}

func withBody(req *http.Request, body []byte) *http.Request {
	r := req.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(body))
	return r
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
