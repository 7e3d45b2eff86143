package httpapi_test

import (
	"bytes"
	"io"
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

// A re-encryption interrupted half-way: one object of a log is on the new key version while the
// log's record still names the old one. Reads go on working, and the job run again finishes.
func TestReencryptInterrupted(t *testing.T) {
	h := newHarness(t) // no worker: the re-encryption job stays queued
	acme := h.onboard("acme")
	log := h.must(201, "POST", "/api/v1/logs", acme, []byte(smallLAS("HALF-WAY", "H-1"))).json()
	id := log["id"].(string)
	gr := string(h.must(200, "GET", "/api/v1/logs/"+id+"/curves/GR", acme, nil).body)
	h.must(202, "POST", "/api/v1/tenants/acme/rotate-key", h.op, nil)

	ctx := t.Context()
	old, err := h.keys.Version(ctx, "acme", 1)
	if err != nil {
		t.Fatal(err)
	}
	_, cur, err := h.keys.Current(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	key := "logs/" + id + "/original.las"
	r, err := h.files.Open(ctx, "acme", key, old)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	r.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.files.Put(ctx, "acme", key, cur, bytes.NewReader(plain)); err != nil {
		t.Fatal(err)
	}

	if got := h.must(200, "GET", "/api/v1/logs/"+id+"/data?format=las", acme, nil).body; !bytes.Contains(got, []byte("HALF-WAY")) {
		t.Errorf("LAS of a half re-encrypted log: %.200s", got)
	}
	if got := string(h.must(200, "GET", "/api/v1/logs/"+id+"/curves/GR", acme, nil).body); got != gr {
		t.Error("curves of a half re-encrypted log differ")
	}
	rep, err := h.logs.Reencrypt(ctx, "acme", nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Logs != 1 || rep.Objects != 1 || rep.ToVersion != 2 {
		t.Errorf("resumed re-encryption: %+v, want 1 log and only the curves object", rep)
	}
	if got := string(h.must(200, "GET", "/api/v1/logs/"+id+"/curves/GR", acme, nil).body); got != gr {
		t.Error("curves after the resumed re-encryption differ")
	}
}
