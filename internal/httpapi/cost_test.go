package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wellbase/wellbase/internal/httpapi"
)

// longLAS is a LAS 2.0 file of rows rows (0.1 m step) with GR and RDEP.
func longLAS(name string, rows int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "~VERSION INFORMATION\n VERS. 2.0 : CWLS LOG ASCII STANDARD - VERSION 2.0\n WRAP. NO : ONE LINE PER DEPTH STEP\n"+
		"~WELL INFORMATION\n STRT.M 1000.0 : START DEPTH\n STOP.M %.1f : STOP DEPTH\n STEP.M 0.1 : STEP\n NULL. -999.25 : NULL VALUE\n"+
		" WELL. %s : WELL\n~CURVE INFORMATION\n DEPT.M : DEPTH\n GR  .GAPI : GAMMA RAY\n RDEP.OHMM : DEEP RESISTIVITY\n~A\n", 1000+float64(rows-1)/10, name)
	for i := range rows {
		fmt.Fprintf(&b, "%.1f %d %d\n", 1000+float64(i)/10, 20+i%100, 1+i%7)
	}
	return b.String()
}

// TestCostWeightedLimit: a plot of a large log that is not cached takes tokens of the tenant's
// request bucket in proportion to its samples, so the tenant's next request waits (429); the
// same plot again, cached, costs one request, and another tenant is not affected.
func TestCostWeightedLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme, globex := h.onboard("acme"), h.onboard("globex")
	const rows = 150000 // plotting GR and RDEP with the index reads 450 000 samples: 6 units
	id := h.must(201, "POST", "/api/v1/logs?name=long.las", acme, []byte(longLAS("LONG-1", rows))).str("id")
	if units := 3 * rows / httpapi.CostSamplesPerUnit; units < 5 {
		t.Fatalf("the plot costs %d units, the test needs more than the burst (5)", units)
	}
	h.must(200, "PATCH", "/api/v1/tenants/acme", h.op, map[string]any{"limits": map[string]any{"requests_per_second": 0.1, "burst": 5}})
	plot := "/api/v1/logs/" + id + "/plot.svg"
	h.must(200, "GET", plot, acme, nil) // 1 token to enter, then the debt of the samples drawn
	r := h.do("GET", "/api/v1/wells", acme, nil)
	if r.status != 429 || r.header.Get("Retry-After") == "" {
		t.Fatalf("the request after an uncached plot of %d rows answered %d (Retry-After %q), want 429 with Retry-After", rows, r.status, r.header.Get("Retry-After"))
	}
	if !strings.Contains(string(r.body), "samples") {
		t.Errorf("the 429 does not say that reads count by samples: %s", r.body)
	}
	h.must(200, "GET", "/api/v1/wells", globex, nil)

	// A cached plot costs one request: globex plots its copy once with a large limit, then five
	// plots in a row pass within a burst of 5.
	mine := h.must(201, "POST", "/api/v1/logs?name=long.las", globex, []byte(longLAS("LONG-2", rows))).str("id")
	h.must(200, "GET", "/api/v1/logs/"+mine+"/plot.svg", globex, nil)
	h.must(200, "PATCH", "/api/v1/tenants/globex", h.op, map[string]any{"limits": map[string]any{"requests_per_second": 0.1, "burst": 5}})
	for i := range 5 {
		if r := h.do("GET", "/api/v1/logs/"+mine+"/plot.svg", globex, nil); r.status != 200 {
			t.Fatalf("cached plot %d answered %d: %.200s", i+1, r.status, r.body)
		}
	}
}
