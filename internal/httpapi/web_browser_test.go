package httpapi_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/wellbase/wellbase/internal/browsertest"
)

const (
	kgsLAS3 = "../../../shared/data/las/kgs/Wellington_KGS-1-32-wDST2_LASv3.las"
)

// waitFor polls the JavaScript condition cond (true when done) for up to limit; a poll that
// fails because the page is reloading (jobs.js reloads a finished job's page) is retried.
func waitFor(t *testing.T, b *browsertest.Browser, what, cond string, limit time.Duration) {
	t.Helper()
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(b.Context(), 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		cancel()
		if err == nil && ok {
			return
		}
	}
	t.Fatalf("%s: not done after %s", what, limit)
}

// TestWebAnalysisBrowser is part 2's story in chromium: a tenant onboarded by an operator (API);
// its owner signs in through the form, uploads the Volve LAS file and a Kansas LAS 3.0 file
// (several at once, a progress bar each; the larger one parsed by a job, shown as processing
// until it ends), opens the log page and zooms the viewer, imports the Volve workbook with the
// units given in the form, looks at the rate chart, runs a decline forecast and sees its EUR; a
// viewer has no upload control and the upload API refuses the viewer's session from the page;
// another tenant's user sees none of it, also when typing its URLs. Axe runs on every page and
// every page is kept as a screenshot.
func TestWebAnalysisBrowser(t *testing.T) {
	for _, p := range []string{volvePath, kgsLAS3, volveWorkbook} {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("the real-data folder ../shared/data is absent here (%v)", err)
		}
	}
	b := browsertest.New(t, browsertest.WindowSize(1400, 1000), browsertest.Timeout(90*time.Second))
	var h *harness
	// The KGS file (2.9 MB) goes through a log-parse job; the harness's worker runs the forecast.
	h = newHarnessWith(t, harnessOptions{asyncParseBytes: 2_800_000, handlers: analysisHandlers(&h)})
	acme, globex := h.onboard("acme"), h.onboard("globex")
	const pw = "a long enough password 1"
	for _, u := range []struct{ tok, email, role string }{{acme, "owner@acme.example", "owner"}, {acme, "viewer@acme.example", "viewer"}, {globex, "eng@globex.example", "engineer"}} {
		h.must(201, "POST", "/api/v1/users", u.tok, map[string]any{"email": u.email, "role": u.role, "password": pw})
	}
	base := h.srv.URL
	page := func(name string) {
		t.Helper()
		b.Screenshot(name)
		b.Axe()
	}

	signIn(t, b, base, "acme", "owner@acme.example", pw)
	page("wells-empty")

	// Upload two files at once.
	b.Navigate(base + "/logs/upload")
	b.WaitVisible(`form[data-ready]`)
	b.SetFiles("#las-files", volvePath, kgsLAS3)
	waitFor(t, b, "two uploads listed", `document.querySelectorAll("li.upload").length === 2`, 10*time.Second)
	// Each file is checked before it is uploaded: its summary shows, nothing is stored yet.
	waitFor(t, b, "both files checked", `[...document.querySelectorAll("li.upload")].every(li => li.dataset.state === "checked")`, 30*time.Second)
	checks := browsertest.Eval[[]string](b, `[...document.querySelectorAll("li.upload .check-summary")].map(e => e.innerText)`)
	if len(checks) != 2 || !strings.Contains(checks[0], "LAS 2.0") || !strings.Contains(checks[0], "29754 rows") || !strings.Contains(checks[0], "15/9-19") || !strings.Contains(checks[0], "AC (µs/ft)") || !strings.Contains(checks[0], "DEN (g/cm3)") || !strings.Contains(checks[0], " m, ") || strings.Contains(checks[0], "US/F") ||
		!strings.Contains(checks[1], "LAS 3.0") {
		t.Errorf("check summaries before upload: %q", checks)
	}
	// The file's own spelling of the units stays at hand, in the curves line's title.
	if raw := browsertest.Eval[string](b, `document.querySelector("li.upload .check-summary p.hint").title`); !strings.Contains(raw, "AC (US/F)") {
		t.Errorf("the check summary's curves keep no raw units in their title: %q", raw)
	}
	if n := len(h.must(200, "GET", "/api/v1/logs", acme, nil).json()["items"].([]any)); n != 0 {
		t.Errorf("%d logs stored after the check alone", n)
	}
	page("checked")
	b.Click(`form[data-wb-upload] button[type=submit]`)
	sawProcessing := false
	for end := time.Now().Add(80 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		st := browsertest.Eval[[]string](b, `[...document.querySelectorAll("li.upload")].map(li => li.dataset.state)`)
		if strings.Contains(strings.Join(st, ","), "processing") {
			sawProcessing = true
		}
		if !strings.Contains(strings.Join(st, ","), "uploading") && !strings.Contains(strings.Join(st, ","), "processing") {
			break
		}
	}
	got := browsertest.Eval[[]string](b, `[...document.querySelectorAll("li.upload")].map(li => li.dataset.state + " " + li.dataset.progress + " " + li.innerText)`)
	if len(got) != 2 || !strings.HasPrefix(got[0], "done 100") || !strings.HasPrefix(got[1], "done 100") {
		t.Fatalf("uploads: %q", got)
	}
	if !sawProcessing {
		t.Errorf("the 2.9 MB LAS 3.0 file was never shown as processing")
	}
	if !strings.Contains(got[0], "LAS 2.0, 29754 rows") || !strings.Contains(got[1], "LAS 3.0") {
		t.Errorf("upload summaries: %q", got)
	}
	page("uploaded")

	// The Volve log's page: header, curves, viewer; zoom in.
	b.Click(`li.upload[data-file="15-9-19_SR_COMP.LAS"] .upload-summary a`)
	b.WaitVisible(`[data-wb-log-viewer][data-state=ready]`)
	view := func() [2]float64 {
		return browsertest.Eval[[2]float64](b, `(() => { const e = document.querySelector("[data-wb-log-viewer]"); return [+e.dataset.viewTop, +e.dataset.viewBase]; })()`)
	}
	full := view()
	b.Keys(".wbv-plot", "++")
	if z := view(); !(z[1]-z[0] < (full[1]-full[0])/2) {
		t.Errorf("zoom: the window %v is not narrower than half of %v", z, full)
	}
	if txt := b.Text("main"); !strings.Contains(txt, "15/9-19") || !strings.Contains(txt, "NEU") || !strings.Contains(txt, "NULL") {
		t.Errorf("log page lacks the well, the curve NEU or the NULL column")
	}
	// One spelling of units and descriptions (logplot's) in the curves table and the viewer's
	// track headers; the file's own unit in the cell's title.
	rows := browsertest.Eval[map[string][3]string](b, `Object.fromEntries([...document.querySelectorAll("section[aria-labelledby=curves-h] tbody tr")].map(tr => [tr.cells[0].textContent, [tr.cells[1].textContent, tr.cells[1].title, tr.cells[2].textContent]]))`)
	if ac := rows["AC"]; ac != [3]string{"µs/ft", "unit in the file: US/F", "Sonic Transit Time (Slowness)"} {
		t.Errorf("curves table row AC: %q", ac)
	}
	if rows["DEPT"][0] != "m" || rows["DEPT"][2] != "DEPTH" || rows["RDEP"][0] != "ohm·m" || rows["DEN"][0] != "g/cm3" {
		t.Errorf("curves table: %q", rows)
	}
	heads := browsertest.Eval[[]string](b, `[...document.querySelectorAll("[data-wb-log-viewer] .wbv-unit")].map(e => e.textContent)`)
	for _, want := range []string{"(m)", "µs/ft", "ohm·m (log)", "g/cm3", "v/v"} {
		if !slices.Contains(heads, want) {
			t.Errorf("viewer track headers lack the unit %q: %q", want, heads)
		}
	}
	page("log-volve")
	logURL := browsertest.Eval[string](b, `location.pathname`)
	wellURL := browsertest.Eval[string](b, `document.querySelector(".crumbs a[href^='/wells/wel_']").getAttribute("href")`)
	b.Navigate(base + wellURL)
	b.WaitVisible("h1")
	page("well-with-logs")
	b.Navigate(base + wellURL + "/viewer")
	b.WaitVisible(`[data-wb-log-viewer][data-state=ready]`)
	page("well-viewer")

	// Import the Volve workbook with the units in the form.
	b.Navigate(base + "/production/import")
	b.Select("#oil_unit", "Sm3")
	b.Select("#gas_unit", "Sm3")
	b.Select("#water_unit", "Sm3")
	b.SetFiles("#prod-file", volveWorkbook)
	page("import-form")
	if st := b.Submit("#prod-file"); st != 201 {
		t.Fatalf("import: status %d: %s", st, b.Text("main"))
	}
	if txt := b.Text("main"); !strings.Contains(txt, "15/9-F-14") || !strings.Contains(txt, "records stored for 7 wells") {
		t.Errorf("import result: %.600s", txt)
	}
	page("import-result")
	f14 := browsertest.Eval[string](b, `[...document.querySelectorAll("table.data a")].find(a => a.textContent === "15/9-F-14").getAttribute("href")`)

	b.Navigate(base + f14 + "/production?period=month&scale=log&phase=oil&phase=gas&phase=water")
	waitFor(t, b, "rate chart", `(() => { const i = document.querySelector("img.plot"); return i && i.complete && i.naturalWidth > 0; })()`, 20*time.Second)
	page("production-chart")

	// A decline forecast from the form, through its job, to its EUR.
	b.Navigate(base + f14 + "/forecasts/new")
	b.Select("#model", "auto")
	b.Fill("#abandonment_rate", "20")
	page("forecast-form")
	b.Submit("#abandonment_rate")
	// jobs.js reloads the page once when the job ends: wait for the page after that reload (a
	// succeeded job's page links its forecast), not for the status the script set before it.
	waitFor(t, b, "forecast job", `(() => { const j = document.querySelector("[data-job]"); if (!j) return false; const s = j.dataset.status;
		return !["queued", "running"].includes(s) && (s !== "succeeded" || !!document.querySelector('a[href^="/forecasts/"]')); })()`, 60*time.Second)
	if st := browsertest.Eval[string](b, `(() => { const j = document.querySelector("[data-job]"); return j ? j.dataset.status : "gone"; })()`); st != "succeeded" {
		b.Screenshot("forecast-job-" + st)
		t.Fatalf("forecast job %s: %s", st, b.Text("main"))
	}
	page("forecast-job")
	b.Click(`a[href^="/forecasts/"]`)
	b.WaitVisible("#eur")
	eur := b.Text("#eur")
	if !strings.HasSuffix(eur, "Sm3") || len(eur) < 6 {
		t.Errorf("EUR %q", eur)
	}
	waitFor(t, b, "forecast chart", `document.querySelector("img.plot").complete && document.querySelector("img.plot").naturalWidth > 0`, 20*time.Second)
	page("forecast")
	forecastURL := browsertest.Eval[string](b, `location.pathname`)
	b.Navigate(base + "/jobs")
	b.WaitVisible("h1")
	page("jobs")
	b.Navigate(base + "/wells")
	b.WaitVisible("h1")
	page("wells")

	// A viewer: no upload control; the API refuses an upload from the page.
	b.Submit(`form[action="/signout"]`)
	signIn(t, b, base, "acme", "viewer@acme.example", pw)
	b.Navigate(base + wellURL)
	b.WaitVisible("h1")
	if n := browsertest.Eval[int](b, `document.querySelectorAll("[data-wb-upload], input[type=file]").length`); n != 0 {
		t.Errorf("a viewer's well page has %d upload controls", n)
	}
	page("well-viewer-role")
	st := browsertest.Eval[int](b, `fetch("/api/v1/logs?name=x.las", {method: "POST", body: "~V\n"}).then(r => r.status)`)
	if st != 403 {
		t.Errorf("a viewer's upload from the page: %d, want 403", st)
	}
	b.TakeProblems() // the refused fetch is logged by the browser

	// Another tenant's user: none of it, also by URL.
	b.Submit(`form[action="/signout"]`)
	signIn(t, b, base, "globex", "eng@globex.example", pw)
	if txt := b.Text("main"); strings.Contains(txt, "15/9") {
		t.Errorf("globex's wells list shows acme's wells: %.300s", txt)
	}
	for _, u := range []string{logURL, wellURL, wellURL + "/viewer", f14 + "/production", f14 + "/forecasts/new", forecastURL} {
		if st := b.Navigate(base + u); st != 404 {
			t.Errorf("globex opens acme's %s: %d, want 404", u, st)
		}
		if strings.Contains(b.Text("main"), "15/9") {
			t.Errorf("globex's 404 for %s names acme's well", u)
		}
	}
	page("other-tenant-404")
	b.TakeProblems() // the 404 documents are logged by the browser
}
