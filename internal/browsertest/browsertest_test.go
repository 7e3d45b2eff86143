package browsertest_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/wellbase/wellbase/internal/browsertest"
)

// strictCSP is the policy the web application serves.
const strictCSP = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// site serves small pages under the strict CSP and records the uploads it gets.
type site struct {
	*httptest.Server
	mu       sync.Mutex
	uploaded map[string]string // file name -> content
	fields   map[string]string
}

func newSite(t *testing.T) *site {
	s := &site{uploaded: map[string]string{}, fields: map[string]string{}}
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", strictCSP)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>`+
				`</head><body><main>%s</main></body></html>`, body)
		}
	}
	mux := http.NewServeMux()
	mux.Handle("GET /labelled", page(`<h1>Search</h1><form><label for="q">Well name</label><input id="q" name="q"></form>`))
	mux.Handle("GET /unlabelled", page(`<h1>Search</h1><form><input name="q"></form>`))
	mux.Handle("GET /inline", page(`<h1>Inline</h1><script>document.title = "ran"</script>`))
	mux.Handle("GET /external", page(`<h1>External</h1><script src="/app.js"></script>`))
	mux.HandleFunc("GET /app.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		io.WriteString(w, `document.title = "app"; console.error("the app broke"); setTimeout(() => { throw new Error("boom") });`)
	})
	mux.Handle("GET /form", page(`<h1>Upload</h1>
<form method="post" action="/upload" enctype="multipart/form-data">
<label for="name">Well name</label><input id="name" name="name" value="old">
<label for="file">LAS files</label><input id="file" name="file" type="file" multiple>
<button>Upload</button></form>`))
	mux.HandleFunc("POST /upload", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		s.fields["name"] = r.FormValue("name")
		for _, fh := range r.MultipartForm.File["file"] {
			f, _ := fh.Open()
			b, _ := io.ReadAll(f)
			f.Close()
			s.uploaded[fh.Filename] = string(b)
		}
		n := len(s.uploaded)
		s.mu.Unlock()
		w.Header().Set("Content-Security-Policy", strictCSP)
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><title>done</title></head><body><main><h1 id="done">%d files stored</h1></main></body></html>`, n)
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func TestAxe(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := browsertest.New(t)

	t.Run("MissingLabelFails", func(t *testing.T) {
		b.Navigate(s.URL + "/unlabelled")
		vs, err := browsertest.Axe(b.Context())
		if err != nil {
			t.Fatal(err)
		}
		var label *browsertest.Violation
		for i := range vs {
			if vs[i].Rule == "label" {
				label = &vs[i]
			}
		}
		if label == nil {
			t.Fatalf("axe found no label violation on a page with an unlabelled input: %v", vs)
		}
		if !label.Serious() || len(label.Nodes) != 1 || !strings.Contains(label.Nodes[0], "input") {
			t.Errorf("label violation = %+v, want a serious or critical one naming the input", label)
		}
		// The helper itself must fail the test, naming the rule, its impact and the node.
		rec := &recorder{TB: t}
		b.WithT(rec).Axe()
		if !rec.failed || !strings.Contains(rec.msg, "label (critical)") || !strings.Contains(rec.msg, "— input") {
			t.Errorf("Axe on an unlabelled input: failed=%v, message %q", rec.failed, rec.msg)
		}
	})
	t.Run("LabelledPasses", func(t *testing.T) {
		b.Navigate(s.URL + "/labelled")
		rec := &recorder{TB: t}
		b.WithT(rec).Axe()
		if rec.failed {
			t.Errorf("Axe failed a labelled page: %s", rec.msg)
		}
	})
}

func TestProblems(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := browsertest.New(t)

	t.Run("InlineScriptIsACSPViolation", func(t *testing.T) {
		b.Navigate(s.URL + "/inline")
		ps := b.TakeProblems()
		if len(ps) != 1 || ps[0].Kind != browsertest.ProblemCSP || !strings.Contains(ps[0].Text, "inline script") {
			t.Fatalf("problems after an inline script under %q = %v, want one CSP violation naming the inline script", strictCSP, ps)
		}
		if title := browsertest.Eval[string](b, `document.title`); title != "t" {
			t.Errorf("the inline script ran under the strict CSP: title %q", title)
		}
	})
	t.Run("ConsoleErrorAndException", func(t *testing.T) {
		b.Navigate(s.URL + "/external")
		b.WaitVisible("h1")
		browsertest.Eval[bool](b, `new Promise(r => setTimeout(() => r(true), 50))`) // the setTimeout throw
		ps := b.TakeProblems()
		kinds := map[browsertest.ProblemKind]string{}
		for _, p := range ps {
			kinds[p.Kind] += p.Text
		}
		if !strings.Contains(kinds[browsertest.ProblemConsole], "the app broke") || !strings.Contains(kinds[browsertest.ProblemException], "boom") {
			t.Errorf("problems = %v, want the console error and the exception", ps)
		}
		if _, csp := kinds[browsertest.ProblemCSP]; csp {
			t.Errorf("a same-origin script was reported as a CSP violation: %v", ps)
		}
	})
	t.Run("CleanPageHasNone", func(t *testing.T) {
		b.Navigate(s.URL + "/labelled")
		if ps := b.TakeProblems(); len(ps) != 0 {
			t.Errorf("a clean page reported %v", ps)
		}
	})
	t.Run("UntakenProblemsFailTheTest", func(t *testing.T) {
		b.Navigate(s.URL + "/inline")
		rec := &recorder{TB: t}
		b.WithT(rec).CheckProblems()
		if !rec.failed || !strings.Contains(rec.msg, "csp:") {
			t.Errorf("CheckProblems after a CSP violation: failed=%v, %q", rec.failed, rec.msg)
		}
	})
}

func TestFormUploadAndScreenshot(t *testing.T) { // not parallel: it sets WELLBASE_SCREENSHOTS
	s := newSite(t)
	b := browsertest.New(t)
	dir := t.TempDir()
	las := filepath.Join(dir, "a.las")
	if err := os.WriteFile(las, []byte("~VERSION\nVERS. 2.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if st := b.Navigate(s.URL + "/form"); st != http.StatusOK {
		t.Fatalf("GET /form: status %d", st)
	}
	b.Fill("#name", "15/9-19")
	b.SetFiles("#file", las)
	if st := b.Submit("#name"); st != http.StatusCreated {
		t.Fatalf("submit: status %d, want 201", st)
	}
	if got := b.Text("#done"); got != "1 files stored" {
		t.Errorf("page after the upload says %q", got)
	}
	s.mu.Lock()
	if s.fields["name"] != "15/9-19" || s.uploaded["a.las"] != "~VERSION\nVERS. 2.0\n" {
		t.Errorf("server got name %q and files %v", s.fields["name"], s.uploaded)
	}
	s.mu.Unlock()

	shots := t.TempDir()
	t.Setenv("WELLBASE_SCREENSHOTS", shots)
	path := b.Screenshot("after upload")
	if want := filepath.Join(shots, "TestFormUploadAndScreenshot", "after_upload.png"); path != want {
		t.Errorf("screenshot path %s, want %s", path, want)
	}
	png, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) || len(png) < 1000 {
		t.Errorf("screenshot: %d bytes, err %v, want a PNG", len(png), err)
	}
}

// TestVendoredAxe checks the committed axe-core against the SHA256SUMS scripts/vendor-js wrote
// (the script's verify does the same), so an edited or truncated copy is caught offline.
func TestVendoredAxe(t *testing.T) {
	t.Parallel()
	v := browsertest.AxeVersion()
	if v == "" {
		t.Fatal("no vendored axe-core under internal/browsertest/axe: run scripts/vendor-js")
	}
	dir := filepath.Join("axe", v)
	f, err := os.Open(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	for sc := bufio.NewScanner(f); sc.Scan(); n++ {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("SHA256SUMS line %q", sc.Text())
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := sha256.Sum256(b); hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s/%s differs from its SHA256SUMS: run scripts/vendor-js", dir, name)
		}
	}
	if n < 3 {
		t.Errorf("SHA256SUMS lists %d files, want axe.min.js, its licences and SOURCE", n)
	}
}

// recorder is a testing.TB that records failures instead of failing, to test that the helpers
// fail tests.
type recorder struct {
	testing.TB
	failed bool
	msg    string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.failed = true
	r.msg += fmt.Sprintf(format, args...)
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.TB.FailNow()
}

func (r *recorder) Helper() {}
