package httpapi_test

import (
	"testing"
)

// TestOneWellMatchingRule: a LAS upload and a production import attach to the same well by the
// same rule (wellbase.WellIndex), whichever of them made it: the upload's ~W UWI finds the well
// an import made from its UWI column, and an import's name finds the well an upload made from
// its ~W WELL, whatever the case and spacing.
func TestOneWellMatchingRule(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tok := h.onboard("acme")

	imp := h.must(201, "POST", "/api/v1/production?format=csv", tok,
		[]byte("date,well,uwi,oil[Sm3]\n2020-01-01,From import,NO 15/9-F-14 H,10\n")).json()
	made := imp["wells"].([]any)[0].(map[string]any)
	if made["created"] != true {
		t.Fatalf("the import did not make its well: %v", made)
	}
	log := h.must(201, "POST", "/api/v1/logs?name=a.las", tok, []byte(smallLAS("Another name", "no 15/9-f-14  h"))).json()
	if log["well_id"] != made["id"] {
		t.Errorf("the upload with the import's UWI went to well %v, want %v", log["well_id"], made["id"])
	}

	log2 := h.must(201, "POST", "/api/v1/logs?name=b.las", tok, []byte(smallLAS("15/9-19 A", "UNKNOWN-UWI-1"))).json()
	imp2 := h.must(201, "POST", "/api/v1/production?format=csv", tok,
		[]byte("date,well,oil[Sm3]\n2020-01-01,  15/9-19   a ,10\n")).json()
	w2 := imp2["wells"].([]any)[0].(map[string]any)
	if w2["created"] != false || w2["id"] != log2["well_id"] {
		t.Errorf("the import of the upload's well name went to %v (created %v), want %v", w2["id"], w2["created"], log2["well_id"])
	}
	wells := h.must(200, "GET", "/api/v1/wells", tok, nil).json()["items"].([]any)
	if len(wells) != 2 {
		t.Errorf("%d wells, want 2: %v", len(wells), wells)
	}
}
