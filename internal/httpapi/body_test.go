package httpapi_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// sendWhole sends a request the way many clients do (Python's http.client, most scripts): the
// headers and the whole body first, and only then reads the answer. It returns the answer's
// status and problem code, or fails the test if the body could not be sent or the answer read
// (a reset connection).
func sendWhole(t *testing.T, h *harness, method, path, token, contentType string, body []byte) (int, string) {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(h.srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Minute)) // a guard against a hang, not a timing test
	head := fmt.Sprintf("%s %s HTTP/1.1\r\nHost: wellbase\r\nContent-Type: %s\r\nContent-Length: %d\r\n", method, path, contentType, len(body))
	if token != "" {
		head += "Authorization: Bearer " + token + "\r\n"
	}
	if _, err := c.Write([]byte(head + "\r\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write(body); err != nil {
		t.Fatalf("%s %s: sending the %d-byte body failed: %v", method, path, len(body), err)
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("%s %s: no answer after the %d-byte body: %v", method, path, len(body), err)
	}
	defer res.Body.Close()
	var p struct{ Code string }
	b, _ := io.ReadAll(res.Body)
	json.Unmarshal(b, &p)
	return res.StatusCode, p.Code
}

// A request refused before its body was read answers its problem to a client that sends the
// whole body first, whatever the body's size (it was a connection reset above 1 MiB or so).
func TestBodyRefusedAnswersWholeSenders(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	h.must(200, "PATCH", "/api/v1/tenants/acme", h.op, map[string]any{"limits": map[string]any{"upload_bytes": 1 << 20}})
	bigJSON := append(append([]byte(`{"name":"`), bytes.Repeat([]byte("N"), 20<<20)...), `"}`...)
	tests := []struct {
		name, method, path, token, contentType string
		body                                   []byte
		status                                 int
		code                                   string
	}{
		{"JSONOverLimit", "POST", "/api/v1/wells", acme, "application/json", bigJSON, 413, "too_large"},
		{"JSONJustOverLimit", "POST", "/api/v1/wells", acme, "application/json", bigJSON[:1<<20+1000], 413, "too_large"},
		{"NoCredential", "POST", "/api/v1/wells", "", "application/json", bigJSON, 401, "unauthorized"},
		{"UploadOverLimit", "POST", "/api/v1/logs", acme, "application/octet-stream", bytes.Repeat([]byte("1.0 2.0\n"), 3<<20), 413, "too_large"},
		{"UploadNotLAS", "POST", "/api/v1/logs", acme, "application/octet-stream", append([]byte("LASF"), make([]byte, 900<<10)...), 422, "invalid"},
		{"ProductionOverLimit", "POST", "/api/v1/production?format=csv", acme, "text/csv", bytes.Repeat([]byte("x,y\n"), 6<<20), 413, "too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, code := sendWhole(t, h, tt.method, tt.path, tt.token, tt.contentType, tt.body)
			if status != tt.status || code != tt.code {
				t.Errorf("%s %s with %d bytes: %d %s, want %d %s", tt.method, tt.path, len(tt.body), status, code, tt.status, tt.code)
			}
		})
	}
	// The refusals stored nothing, and the server goes on serving.
	if items := h.must(200, "GET", "/api/v1/wells", acme, nil).json()["items"].([]any); len(items) != 0 {
		t.Errorf("refused requests left %d wells", len(items))
	}
}

// A malformed ?cursor= is 400 naming the cursor on every list route, not the first page.
func TestListCursorMalformed(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	for _, n := range []string{"W-1", "W-2", "W-3"} {
		h.must(201, "POST", "/api/v1/wells", acme, map[string]any{"name": n})
	}
	well := h.must(200, "GET", "/api/v1/wells?limit=1", acme, nil).json()["items"].([]any)[0].(map[string]any)["id"].(string)
	lists := 0
	for _, rt := range h.api.Routes() {
		if rt.Method != "GET" || !strings.HasSuffix(rt.Response, "List") {
			continue
		}
		lists++
		path, _, _ := fill(rt.Path, map[string]string{"well": well})
		token := acme
		if strings.HasPrefix(rt.Path, "/api/v1/tenants") || strings.HasPrefix(rt.Path, "/api/v1/control") {
			token = h.op
		}
		for _, bad := range []string{"%00%ff%fe", "..%2F..%2Fetc", strings.Repeat("a", 101), "wel_1%20OR%201=1", "%E2%82%AC"} {
			r := h.do("GET", path+"?cursor="+bad, token, nil)
			if p := r.json(); r.status != 400 || p["code"] != "bad_request" || p["field"] != "cursor" {
				t.Errorf("GET %s?cursor=%s: %d %v field %v, want 400 bad_request on cursor", path, bad, r.status, p["code"], p["field"])
			}
		}
	}
	if lists < 8 {
		t.Errorf("only %d list routes found", lists)
	}
	// The cursors the API gives are accepted, and page on.
	p1 := h.must(200, "GET", "/api/v1/wells?limit=2", acme, nil)
	p2 := h.must(200, "GET", "/api/v1/wells?limit=2&cursor="+p1.str("next_cursor"), acme, nil).json()["items"].([]any)
	if len(p2) != 1 {
		t.Errorf("second page holds %d wells, want 1", len(p2))
	}
}

// A client that asks "Expect: 100-continue" and is refused before its body is read sends no
// body: the answer comes at once and the server does not wait for one.
func TestBodyRefusedExpectContinue(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c, err := net.Dial("tcp", strings.TrimPrefix(h.srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Minute)) // a guard against a hang, not a timing test
	fmt.Fprintf(c, "POST /api/v1/wells HTTP/1.1\r\nHost: wellbase\r\nContent-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", 20<<20)
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Errorf("answer %d, want 401", res.StatusCode)
	}
	// The server closes the connection rather than wait for a body that will not come.
	if _, err := io.ReadAll(c); err != nil {
		t.Errorf("after the answer: %v, want the connection closed", err)
	}
}
