package httpapi_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/keyring"
)

// waitExport polls the export download until it is ready and returns the archive.
func (h *harness) waitExport(tenant, token, job string) []byte {
	h.tb.Helper()
	for range 400 {
		r := h.do("GET", "/api/v1/tenants/"+tenant+"/exports/"+job, token, nil)
		if r.status == 200 {
			if ct := r.header.Get("Content-Type"); ct != "application/zip" {
				h.tb.Fatalf("export Content-Type %q", ct)
			}
			return r.body
		}
		if r.status != 202 {
			h.tb.Fatalf("export download: %d %s", r.status, r.body)
		}
		time.Sleep(10 * time.Millisecond)
	}
	h.tb.Fatal("export did not finish")
	return nil
}

func zipFiles(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], err = io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// old returns a data key of another tenant, as a stand-in for the key a late writer held.
func old(t *testing.T, h *harness) *keyring.DataKey {
	t.Helper()
	_, dk, err := h.keys.Current(t.Context(), "globex")
	if err != nil {
		t.Fatal(err)
	}
	return dk
}

// readTree returns every regular file under dir by its path relative to dir.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out[rel] = b
		}
		return nil
	})
	return out
}

func TestExportAndOffboard(t *testing.T) {
	h := newHarnessWith(t, harnessOptions{worker: true})
	acme, globex := h.onboard("acme"), h.onboard("globex")
	const marker = "ACME-PLAINTEXT-MARKER"
	las := smallLAS(marker, "ACME-UWI-9")
	log := h.must(201, "POST", "/api/v1/logs?name=acme.las", acme, []byte(las)).json()
	h.must(201, "POST", "/api/v1/logs?name=globex.las", globex, []byte(smallLAS("GLOBEX-WELL", "G-1")))
	h.must(201, "POST", "/api/v1/production?format=csv", acme, []byte("well,date,oil\n"+log["well_id"].(string)+",2020-01-01,12.5\n"))

	t.Run("export", func(t *testing.T) {
		// An owner may export; globex's owner does not see acme.
		job := h.must(202, "POST", "/api/v1/tenants/acme/export", acme, nil).json()
		h.must(404, "POST", "/api/v1/tenants/acme/export", globex, nil)
		h.must(404, "GET", "/api/v1/tenants/acme/exports/"+job["id"].(string), globex, nil)
		archive := zipFiles(t, h.waitExport("acme", acme, job["id"].(string)))
		var manifest struct {
			Format  string         `json:"format"`
			Tenant  string         `json:"tenant"`
			Records map[string]int `json:"records"`
			Files   int            `json:"files"`
		}
		if err := json.Unmarshal(archive["manifest.json"], &manifest); err != nil {
			t.Fatalf("manifest: %v", err)
		}
		if manifest.Format != "wellbase-export/1" || manifest.Tenant != "acme" || manifest.Records["logs"] != 1 || manifest.Records["production"] != 1 || manifest.Files != 2 {
			t.Errorf("manifest = %+v", manifest)
		}
		if got := archive["files/logs/"+log["id"].(string)+"/original.las"]; string(got) != las {
			t.Errorf("the original LAS file in the export differs (%d bytes)", len(got))
		}
		if _, ok := archive["files/logs/"+log["id"].(string)+"/curves.parquet"]; !ok {
			t.Error("the export lacks the derived curves")
		}
		for name, b := range archive {
			if bytes.Contains(b, []byte("GLOBEX")) || bytes.Contains(b, []byte("password")) {
				t.Errorf("%s holds another tenant's data or a password hash", name)
			}
		}
		if !bytes.Contains(archive["users.json"], []byte("admin@acme")) || !bytes.Contains(archive["audit.jsonl"], []byte("log.upload")) {
			t.Errorf("users or audit missing from the export")
		}
		// The operator may download it too.
		if b := h.waitExport("acme", h.op, job["id"].(string)); len(b) == 0 {
			t.Error("operator download empty")
		}
	})

	// The encrypted files of acme as a backup would hold them, taken before the deletion.
	filesDir := filepath.Join(h.dir, "files", "tenants", "acme")
	backup := readTree(t, filesDir)
	if len(backup) < 3 {
		t.Fatalf("acme has %d files before deletion", len(backup))
	}
	for name, b := range backup {
		if bytes.Contains(b, []byte(marker)) {
			t.Fatalf("plaintext at rest in %s", name)
		}
	}

	wrappedKeys, err := h.store.Tenant("acme").DataKeys(context.Background())
	if err != nil || len(wrappedKeys) != 1 {
		t.Fatalf("acme's data keys: %d, %v", len(wrappedKeys), err)
	}
	h.must(403, "DELETE", "/api/v1/tenants/acme", acme, nil)
	cert := h.must(200, "DELETE", "/api/v1/tenants/acme", h.op, nil).json()
	t.Run("certificate", func(t *testing.T) {
		keys, _ := cert["data_keys_destroyed"].([]any)
		if len(keys) != 1 || keys[0].(map[string]any)["id"] != "acme/data-key/v1" || len(keys[0].(map[string]any)["wrapped_sha256"].(string)) != 64 {
			t.Errorf("data keys destroyed: %v", cert["data_keys_destroyed"])
		}
		rec, _ := cert["records_deleted"].(map[string]any)
		if rec["logs"] != 1.0 || rec["users"] != 1.0 || rec["production"] != 1.0 || cert["objects_deleted"].(float64) < 3 {
			t.Errorf("certificate counts: %v", cert)
		}
		if !strings.HasPrefix(cert["deleted_by"].(string), "operator:") {
			t.Errorf("deleted_by %v", cert["deleted_by"])
		}
		ev := h.must(200, "GET", "/api/v1/control/audit", h.op, nil).json()["items"].([]any)
		last := ev[0].(map[string]any)
		if last["action"] != "tenant.delete" || last["tenant"] != "acme" || last["id"] != cert["audit_event_id"] {
			t.Errorf("newest control audit event: %v", last)
		}
		h.must(403, "GET", "/api/v1/control/audit", globex, nil)
		// The operator's earlier actions on acme outlive acme's own audit log.
		all := string(h.must(200, "GET", "/api/v1/control/audit?limit=500", h.op, nil).body)
		for _, action := range []string{`"action":"tenant.onboard","target":"acme"`, `"action":"tenant.update","target":"acme"`} {
			if !strings.Contains(all, action) {
				t.Errorf("control audit lacks %s", action)
			}
		}
	})
	t.Run("after", func(t *testing.T) {
		h.must(401, "GET", "/api/v1/wells", acme, nil)
		if rec := cert["records_deleted"].(map[string]any); rec["data_keys"] != 1.0 {
			t.Errorf("certificate counts %v data keys", rec["data_keys"])
		}
		if st := h.must(200, "GET", "/api/v1/tenants/acme", h.op, nil).json()["status"]; st != "deleted" {
			t.Errorf("tenant status %v", st)
		}
		h.must(404, "DELETE", "/api/v1/tenants/acme", h.op, nil)
		h.must(409, "PATCH", "/api/v1/tenants/acme", h.op, map[string]any{"name": "zombie"})
		h.must(409, "POST", "/api/v1/tenants/acme/resume", h.op, nil)
		h.must(404, "POST", "/api/v1/tenants/acme/export", h.op, nil)
		h.must(409, "POST", "/api/v1/tenants", h.op, map[string]any{"id": "acme", "name": "Acme again", "admin_email": "a@acme.example"})
		if left := readTree(t, filesDir); len(left) != 0 {
			t.Errorf("%d acme files left", len(left))
		}
		// The backup copy cannot be decrypted: no data key of acme exists anywhere.
		ctx := context.Background()
		if _, err := h.keys.Version(ctx, "acme", 1); wellbase.ErrorCode(err) != wellbase.ENotFound {
			t.Errorf("acme's data key version 1 still available: %v", err)
		}
		if keys, err := h.store.Tenant("acme").DataKeys(ctx); err != nil || len(keys) != 0 {
			t.Errorf("acme has %d wrapped keys, %v", len(keys), err)
		}
		// Nor does the database file keep the wrapped key in free pages or its write-ahead log.
		for name, b := range readTree(t, h.dir) {
			if strings.HasPrefix(name, "wellbase.db") && bytes.Contains(b, wrappedKeys[0].Wrapped) {
				t.Errorf("the destroyed wrapped key is still in %s", name)
			}
		}
		// Put the backup back where it was: reading it through the API still fails.
		for name, b := range backup {
			p := filepath.Join(filesDir, name)
			os.MkdirAll(filepath.Dir(p), 0o700)
			os.WriteFile(p, b, 0o600)
		}
		if _, _, err := h.keys.Current(ctx, "acme"); err == nil {
			t.Error("a data key for acme after deletion")
		}
		// A write under way during the deletion (a job that held the key) leaves a file and a
		// record behind; the sweep removes them and says so in the control-plane log.
		if _, err := h.files.Put(ctx, "acme", "exports/late.zip", old(t, h), strings.NewReader("late")); err != nil {
			t.Fatal(err)
		}
		if err := h.store.Tenant("acme").AddRequests(ctx, "2026-11-29", 3); err != nil {
			t.Fatal(err)
		}
		n, err := h.off.Sweep(ctx)
		want := 1 + 1 + len(backup) - 1 // the late file and record, the restored backup but its prefix marker
		if err != nil || n != want {
			t.Errorf("Sweep = %d, %v; want %d: the late file, the late record and the restored backup", n, err, want)
		}
		if objs, _ := h.files.List(ctx, "acme", ""); len(objs) != 0 {
			t.Errorf("%d acme objects after the sweep", len(objs))
		}
		if again, err := h.off.Sweep(ctx); err != nil || again != 0 {
			t.Errorf("second Sweep = %d, %v", again, err)
		}
		if ev := string(h.must(200, "GET", "/api/v1/control/audit", h.op, nil).body); !strings.Contains(ev, "tenant.delete.sweep") {
			t.Error("the sweep is not audited")
		}
		// globex is untouched.
		if n := len(h.must(200, "GET", "/api/v1/logs", globex, nil).json()["items"].([]any)); n != 1 {
			t.Errorf("globex has %d logs", n)
		}
	})
}
