package browsertest_test

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"
)

// staticBudget is issue 11's limit for the app's JavaScript and CSS together, gzip-compressed.
const staticBudget = 300 << 10

// TestStaticBudget measures what the browser downloads: every .js and .css file under
// internal/web/static (the viewer, vendored packages, the pages' own), each gzip-compressed at
// gzip's best level as a server or CDN serves it, and fails over the budget. axe-core must not
// be there: it is test-only (internal/browsertest/axe).
func TestStaticBudget(t *testing.T) {
	t.Parallel()
	root := os.DirFS("../web/static")
	total, raw := 0, 0
	err := fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.Contains(strings.ToLower(path.Base(p)), "axe") {
			t.Errorf("%s: axe-core is test-only and must not be served (it lives in internal/browsertest/axe)", p)
		}
		if ext := path.Ext(p); ext != ".js" && ext != ".css" && ext != ".mjs" {
			return nil
		}
		b, err := fs.ReadFile(root, p)
		if err != nil {
			return err
		}
		var z bytes.Buffer
		w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
		w.Write(b)
		w.Close()
		t.Logf("%-40s %7d bytes, %6d gzipped", p, len(b), z.Len())
		raw += len(b)
		total += z.Len()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if total == 0 {
		t.Fatal("no JavaScript or CSS under internal/web/static: the viewer is missing")
	}
	t.Logf("JavaScript + CSS: %d bytes, %d gzipped (%.1f%% of the %d KB budget)", raw, total, 100*float64(total)/staticBudget, staticBudget>>10)
	if total > staticBudget {
		t.Errorf("JavaScript + CSS is %d bytes gzipped, over the %d KB budget", total, staticBudget>>10)
	}
}
