package httpapi_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadyz(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	t.Run("OK", func(t *testing.T) {
		got := h.must(200, "GET", "/readyz", "", nil).json()
		for k, want := range map[string]string{"status": "ready", "database": "ok", "files": "ok"} {
			if got[k] != want {
				t.Errorf("readyz %s = %v, want %q (answer %v)", k, got[k], want, got)
			}
		}
	})
	t.Run("ErrFilesUnavailable", func(t *testing.T) {
		// The bucket's folder is gone: the file store does not answer.
		if err := os.RemoveAll(filepath.Join(h.dir, "files")); err != nil {
			t.Fatal(err)
		}
		got := h.must(503, "GET", "/readyz", "", nil).json()
		if got["code"] != "unavailable" || got["detail"] != "the file store does not answer" {
			t.Errorf("readyz = %v, want code unavailable, detail %q", got, "the file store does not answer")
		}
	})
}

// TestReadyzDraining: once Drain is called (SIGTERM), /readyz answers 503 unavailable for good,
// while /healthz and the API still answer.
func TestReadyzDraining(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	h.must(200, "GET", "/readyz", "", nil)
	h.api.Drain()
	for range 2 {
		r := h.must(503, "GET", "/readyz", "", nil)
		if p := r.json(); p["code"] != "unavailable" || !strings.Contains(p["detail"].(string), "shutting down") {
			t.Errorf("/readyz while draining: %s", r.body)
		}
	}
	h.must(200, "GET", "/healthz", "", nil)
	h.must(201, "POST", "/api/v1/wells", acme, map[string]any{"name": "DRAINING-1"})
}
