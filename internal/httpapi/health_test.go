package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
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

// TestCancelledRequest: a request whose context ends while it runs (its client went away, or
// the shutdown grace ended) fails with context.Canceled deep in a store: that is answered 503
// unavailable with Retry-After, not 500 internal.
func TestCancelledRequest(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.onboard("acme")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	req := httptest.NewRequestWithContext(ctx, "GET", "/api/v1/wells", nil)
	req.Header.Set("Authorization", "Bearer "+acme)
	rec := httptest.NewRecorder()
	h.api.ServeHTTP(rec, req)
	var p struct{ Code string }
	json.Unmarshal(rec.Body.Bytes(), &p)
	if rec.Code != 503 || p.Code != "unavailable" || rec.Header().Get("Retry-After") != "1" {
		t.Errorf("cancelled request answered %d %s (Retry-After %q), want 503 unavailable, Retry-After 1", rec.Code, rec.Body, rec.Header().Get("Retry-After"))
	}
}
