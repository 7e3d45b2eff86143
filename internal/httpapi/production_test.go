package httpapi_test

import (
	"testing"
)

// TestProductionReimportKeepsWhatTheFileLacks: a second file of the same days without units,
// on-stream hours or water (the Volve daily CSV after the workbook) updates the volumes it has
// and keeps the rest: the series keeps its unit, hours and water.
func TestProductionReimportKeepsWhatTheFileLacks(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	h.must(201, "POST", "/api/v1/production?format=csv", acme,
		[]byte("date,well,oil[Sm3],gas[Sm3],water[Sm3],on_stream_hours\n2020-01-01,W-1,100,9000,5,24\n2020-01-02,W-1,90,8000,6,20\n"))
	well := h.must(200, "GET", "/api/v1/wells", acme, nil).json()["items"].([]any)[0].(map[string]any)["id"].(string)
	h.must(201, "POST", "/api/v1/production?format=csv", acme, []byte("date,well,oil\n2020-01-01,W-1,101\n2020-01-02,W-1,91\n"))
	oil := h.must(200, "GET", "/api/v1/wells/"+well+"/production?phase=oil", acme, nil).json()
	points := oil["points"].([]any)
	if oil["unit"] != "Sm3" || len(points) != 2 {
		t.Fatalf("oil after the re-import: unit %q, %d points; want Sm3, 2", oil["unit"], len(points))
	}
	if p := points[0].(map[string]any); p["volume"] != 101.0 || p["on_stream_hours"] != 24.0 {
		t.Errorf("first day after the re-import: %v, want volume 101 (new) and 24 hours (kept)", p)
	}
	water := h.must(200, "GET", "/api/v1/wells/"+well+"/production?phase=water", acme, nil).json()
	if p := water["points"].([]any)[1].(map[string]any); water["unit"] != "Sm3" || p["volume"] != 6.0 {
		t.Errorf("water after an oil-only re-import: unit %q, second day %v; want Sm3, 6", water["unit"], p)
	}
}
