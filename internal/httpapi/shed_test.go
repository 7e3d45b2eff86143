package httpapi_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestLoadShedding: with every slot taken, a request is refused with 503 and Retry-After
// instead of queueing, while /healthz and /readyz answer; once the slot is free, requests are
// served again. (No timing is asserted: the one slot is held by an upload whose body is not
// sent yet.)
func TestLoadShedding(t *testing.T) {
	h := newHarnessWith(t, harnessOptions{maxInFlight: 1, queueWait: time.Millisecond})
	acme := h.onboard("acme")
	id := uploadSmall(h, acme, "SHED-1")
	path := "/api/v1/logs/" + id + "/curves/GR"

	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/logs?name=held.las", pr)
	req.Header.Set("Authorization", "Bearer "+acme)
	held := make(chan int, 1)
	go func() {
		res, err := http.DefaultClient.Do(req) // not the checked client: it would read the body first
		if err != nil {
			held <- 0
			return
		}
		res.Body.Close()
		held <- res.StatusCode
	}()
	for i := 0; h.metric("wellbase_http_in_flight") != 1; i++ {
		if i > 1000 {
			t.Fatal("the upload never took the slot")
		}
		time.Sleep(5 * time.Millisecond)
	}

	r := h.do("GET", path, acme, nil)
	if r.status != 503 || r.header.Get("Retry-After") == "" || r.str("code") != "unavailable" || !strings.Contains(r.str("detail"), "capacity") {
		t.Errorf("with the slot taken: %d, Retry-After %q: %s", r.status, r.header.Get("Retry-After"), r.body)
	}
	h.must(200, "GET", "/healthz", "", nil)
	h.must(200, "GET", "/readyz", "", nil)
	if got := h.metric(`wellbase_http_shed_total{reason="server"}`); got != 1 {
		t.Errorf("shed requests counted %v, want 1", got)
	}

	io.WriteString(pw, smallLAS("HELD", "H-1"))
	pw.Close()
	if st := <-held; st != 201 {
		t.Fatalf("the held upload answered %d", st)
	}
	h.must(200, "GET", path, acme, nil)
}
