package httpapi_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// waitJob polls a job until it ends and returns it.
func (h *harness) waitJob(token, id string) map[string]any {
	h.tb.Helper()
	for range 500 {
		j := h.must(200, "GET", "/api/v1/jobs/"+id, token, nil).json()
		if st := j["status"]; st == "succeeded" || st == "failed" || st == "cancelled" {
			return j
		}
		time.Sleep(10 * time.Millisecond)
	}
	h.tb.Fatalf("job %s did not end", id)
	return nil
}

func TestRotateTenantKey(t *testing.T) {
	h := newHarnessWith(t, harnessOptions{worker: true})
	acme, globex := h.onboard("acme"), h.onboard("globex")
	las := smallLAS("ROTATE-WELL", "R-1")
	log := h.must(201, "POST", "/api/v1/logs", acme, []byte(las)).json()
	id := log["id"].(string)
	gr := string(h.must(200, "GET", "/api/v1/logs/"+id+"/curves/GR", acme, nil).body)
	original := filepath.Join(h.dir, "files", "tenants", "acme", "logs", id, "original.las")
	before, err := os.ReadFile(original)
	if err != nil {
		t.Fatal(err)
	}

	h.must(403, "POST", "/api/v1/tenants/acme/rotate-key", acme, nil)
	rot := h.must(202, "POST", "/api/v1/tenants/acme/rotate-key", h.op, nil).json()
	if rot["new_version"] != 2.0 {
		t.Fatalf("rotation: %v", rot)
	}
	// A log uploaded now is written with version 2.
	fresh := h.must(201, "POST", "/api/v1/logs", acme, []byte(smallLAS("NEW-WELL", "N-1"))).json()
	if fresh["key_version"] != 2.0 {
		t.Errorf("new log key_version %v, want 2", fresh["key_version"])
	}
	job := h.waitJob(acme, rot["job"].(map[string]any)["id"].(string))
	if job["status"] != "succeeded" {
		t.Fatalf("re-encryption job: %v", job)
	}
	res := job["result"].(map[string]any)
	if res["logs"] != 1.0 || res["objects"] != 2.0 || res["to_version"] != 2.0 {
		t.Errorf("re-encryption result %v", res)
	}
	if got := h.must(200, "GET", "/api/v1/logs/"+id, acme, nil).json()["key_version"]; got != 2.0 {
		t.Errorf("log key_version %v after re-encryption", got)
	}
	after, _ := os.ReadFile(original)
	if bytes.Equal(before, after) || len(before) != len(after) {
		t.Errorf("stored object not re-encrypted (%d → %d bytes, equal %v)", len(before), len(after), bytes.Equal(before, after))
	}
	if got := string(h.must(200, "GET", "/api/v1/logs/"+id+"/curves/GR", acme, nil).body); got != gr {
		t.Errorf("curve after re-encryption differs")
	}
	if got := string(h.must(200, "GET", "/api/v1/logs/"+id+"/data?format=las", acme, nil).body); !bytes.Contains([]byte(got), []byte("ROTATE-WELL")) {
		t.Errorf("LAS export after re-encryption: %.200s", got)
	}
	// A second run has nothing to do; globex was never touched.
	again := h.must(202, "POST", "/api/v1/tenants/acme/rotate-key", h.op, nil).json()
	if again["new_version"] != 3.0 {
		t.Errorf("second rotation %v", again)
	}
	if j := h.waitJob(acme, again["job"].(map[string]any)["id"].(string)); j["status"] != "succeeded" || j["result"].(map[string]any)["logs"] != 2.0 {
		t.Errorf("second re-encryption: %v", j)
	}
	if v := h.must(200, "GET", "/api/v1/audit", acme, nil).body; !bytes.Contains(v, []byte("tenant.rotate_key")) {
		t.Error("rotation not in the tenant's audit log")
	}
	h.must(200, "GET", "/api/v1/wells", globex, nil)
	h.must(404, "POST", "/api/v1/tenants/nope/rotate-key", h.op, nil)
}
