package httpapi_test

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wellbase/wellbase/internal/testlog"
)

// TestLoadShedding: with every slot taken, a request is refused with 503 and Retry-After
// instead of queueing, while /healthz and /readyz answer; once the slot is free, requests are
// served again. (No timing is asserted: the one slot is held by an upload whose body is not
// sent yet.)
func TestLoadShedding(t *testing.T) {
	var logs testlog.Buffer
	h := newHarnessWith(t, harnessOptions{maxInFlight: 1, queueWait: time.Millisecond, logger: slog.New(slog.NewJSONHandler(&logs, nil))})
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

	start := time.Now()
	r := h.do("GET", path, acme, nil)
	if r.status != 503 || r.header.Get("Retry-After") == "" || r.str("code") != "unavailable" || !strings.Contains(r.str("detail"), "capacity") {
		t.Errorf("with the slot taken: %d, Retry-After %q: %s", r.status, r.header.Get("Retry-After"), r.body)
	}
	h.must(200, "GET", "/healthz", "", nil)
	h.must(200, "GET", "/readyz", "", nil)
	for range 9 {
		h.do("GET", path, acme, nil)
	}
	if got := h.metric(`wellbase_http_shed_total{reason="server"}`); got != 10 {
		t.Errorf("shed requests counted %v, want 10", got)
	}
	// A log line per refusal would add load past saturation: one a second at most, the next
	// one saying how many refusals it stands for.
	lines := strings.Count(logs.String(), `"status":503`)
	if most := 1 + int(time.Since(start)/time.Second); lines < 1 || lines > most {
		t.Errorf("%d log lines for 10 shed requests in %v, want 1 to %d: %s", lines, time.Since(start), most, logs.String())
	}

	io.WriteString(pw, smallLAS("HELD", "H-1"))
	pw.Close()
	if st := <-held; st != 201 {
		t.Fatalf("the held upload answered %d", st)
	}
	h.must(200, "GET", path, acme, nil)
}
