package httpapi_test

import (
	"os"
	"path/filepath"
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
