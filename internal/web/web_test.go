package web

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

func TestFormatNumber(t *testing.T) {
	t.Parallel()
	for v, want := range map[float64]string{0: "0", 1234567.4: "1\u202f234\u202f567", -4321: "−4\u202f321", 999.4: "999", 0.12345: "0.123", 12.5: "12.5", 1000: "1\u202f000"} {
		if got := formatNumber(v); got != want {
			t.Errorf("formatNumber(%g) = %q, want %q", v, got, want)
		}
	}
}

func TestSafeNext(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"/wells/wel_1": "/wells/wel_1", "/": "/", "": "/wells", "//evil.example": "/wells",
		"/\\evil.example": "/wells", "https://evil.example/": "/wells", "javascript:alert(1)": "/wells", "/a\r\nSet-Cookie: x": "/wells"} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTemplatesStrict: the templates parse, and hold no inline script, style element, style=
// attribute or on…= handler, which the Content-Security-Policy would block anyway.
func TestTemplatesStrict(t *testing.T) {
	t.Parallel()
	New(Config{}) // panics on a template that does not parse
	inline := regexp.MustCompile(`(?i)<script(\s[^>]*)?>\s*[^<\s]|<style|\sstyle=|\son[a-z]+=|javascript:`)
	fs.WalkDir(templateFS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := templateFS.ReadFile(path)
		if m := inline.Find(b); m != nil {
			t.Errorf("%s: inline script or style %q", path, m)
		}
		return nil
	})
}

// TestAssetBudget: the JavaScript and CSS served under /static/ stay under 300 KB gzip-compressed
// in total.
func TestAssetBudget(t *testing.T) {
	t.Parallel()
	var total int
	fs.WalkDir(staticFS, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".js") || strings.HasSuffix(path, ".css")) {
			return err
		}
		b, _ := staticFS.ReadFile(path)
		var z bytes.Buffer
		w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
		w.Write(b)
		w.Close()
		total += z.Len()
		return nil
	})
	t.Logf("JavaScript and CSS: %d bytes gzip-compressed", total)
	if total == 0 || total > 300_000 {
		t.Errorf("JavaScript and CSS are %d bytes compressed, want 1 to 300 000", total)
	}
}
