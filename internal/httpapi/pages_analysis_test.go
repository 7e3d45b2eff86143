package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/forecasts"
	"github.com/wellbase/wellbase/internal/httpapi"
	"github.com/wellbase/wellbase/internal/jobs"
	"github.com/wellbase/wellbase/internal/welllogs"
)

// acmeForecast stores an exponential forecast of well in tenant acme (as a decline-fit job
// would) and returns its ID.
func acmeForecast(tb testing.TB, h *harness, well string) string {
	tb.Helper()
	start := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	f := &wellbase.Forecast{ID: wellbase.NewID("fc"), TenantID: "acme", WellID: well, JobID: "job_none", Phase: "oil", Unit: "Sm3",
		Model: "exponential", Qi: 1000, DiNominalPerDay: 0.5 / 365.25, DiEffectivePerYear: 1 - math.Exp(-0.5), DiConvention: "tangent",
		StartDate: start, HorizonYears: 30, CumulativeToDate: 1.2e6, EUR: 1.3e6, Remaining: 1e5, CreatedAt: time.Now(),
		History: []wellbase.RatePoint{{Date: "2010-01-01", Rate: 1000}}, Series: []wellbase.RatePoint{{Date: "2011-01-01", Rate: 606}}}
	if err := h.store.Tenant("acme").CreateForecast(context.Background(), f); err != nil {
		tb.Fatal(err)
	}
	return f.ID
}

// analysisHandlers are the decline-fit and petrophysics job handlers on the harness *h (set
// once the harness is made), as internal/app wires them.
func analysisHandlers(h **harness) map[string]jobs.Handler {
	return map[string]jobs.Handler{
		forecasts.JobType: func(ctx context.Context, j *wellbase.Job, progress func(float64)) (any, error) {
			f, err := forecasts.Run(ctx, (*h).store.Tenant(j.TenantID), j, time.Now())
			if err != nil {
				return nil, err
			}
			return map[string]any{"forecast_id": f.ID, "model": f.Model, "eur": f.EUR, "unit": f.Unit}, nil
		},
		welllogs.PetrophysicsJob: func(ctx context.Context, j *wellbase.Job, progress func(float64)) (any, error) {
			p, err := welllogs.ParsePetrophysicsParams(j.Params)
			if err != nil {
				return nil, err
			}
			l, warnings, err := (*h).logs.Petrophysics(ctx, j.TenantID, p, j.CreatedBy)
			if err != nil {
				return nil, err
			}
			return map[string]any{"log_id": l.ID, "well_id": l.WellID, "warnings": warnings}, nil
		},
	}
}

// runAnalysisJobs runs a worker for the decline-fit, petrophysics and log-parse jobs in a
// harness that has no worker of its own, until the test ends or the returned function is
// called. It fails the jobs of other types it leases.
func runAnalysisJobs(tb testing.TB, h *harness) (stopWorker func()) {
	ctx, stop := context.WithCancel(context.Background())
	hs := analysisHandlers(&h)
	hs[httpapi.LogParseJob] = func(ctx context.Context, j *wellbase.Job, progress func(float64)) (any, error) {
		var p struct{ Log string }
		json.Unmarshal(j.Params, &p)
		return h.logs.Parse(ctx, j.TenantID, p.Log, j.CreatedBy, progress)
	}
	w := &jobs.Worker{Queue: &jobs.Queue{Store: h.store}, ID: "analysis", Poll: 20 * time.Millisecond, Handlers: hs}
	done := make(chan struct{})
	go func() { w.Run(ctx, ctx); close(done) }()
	var once sync.Once
	stopWorker = func() { once.Do(func() { stop(); <-done }) }
	tb.Cleanup(stopWorker)
	return stopWorker
}

// postFile sends a multipart form (fields, and path as the field "file") from this site, as the
// browser does with the production import form.
func (b *browser) postFile(path string, fields url.Values, name string, content []byte) page {
	b.h.tb.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", b.h.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.h.srv.URL)
	req.Header.Set("Accept", "text/html")
	req.AddCookie(&http.Cookie{Name: "wellbase_session", Value: b.cookie})
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		b.h.tb.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return page{status: res.StatusCode, header: res.Header, body: string(raw)}
}

// waitJob follows a job page until the job ends and returns the last page.
func (b *browser) waitJob(t *testing.T, path string) page {
	t.Helper()
	for range 200 {
		p := b.get(path)
		if !strings.Contains(p.body, `data-status="queued"`) && !strings.Contains(p.body, `data-status="running"`) {
			return p
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: the job did not end in 10 s", path)
	return page{}
}

// TestAnalysisPages walks the pages of part 2 as an engineer and a viewer would, on real
// components: the production import form with its units, the rate chart's choices, a decline
// forecast from the form through its job to its result (qi, Di, b, EUR, CSV), the log page
// (curves, NULL counts, warnings, viewer) and petrophysics from it, the jobs pages and cancel;
// a viewer sees no upload control or form and the upload API refuses the viewer's session.
func TestAnalysisPages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	stopWorker := runAnalysisJobs(t, h)
	owner := h.onboard("acme")
	eng := &browser{h: h, cookie: h.session(owner, "acme", "eng@acme.example", "engineer")}
	view := &browser{h: h, cookie: h.session(owner, "acme", "view@acme.example", "viewer")}

	// Production import through the form: the file has no units, the form gives them.
	var csv strings.Builder
	csv.WriteString("date,well,oil,gas,water\n")
	for m := range 24 {
		oil := 3000 * math.Exp(-0.06*float64(m))
		csv.WriteString(time.Date(2020, time.Month(m+1), 1, 0, 0, 0, 0, time.UTC).Format("2006-01-02") + ",P-1," +
			strings.Join([]string{ftoa(oil), ftoa(oil * 120), ftoa(200 + 30*float64(m))}, ",") + "\n")
	}
	csv.WriteString("2022-13-01,P-1,1,1,1\n") // a bad row: an issue, the rest stored
	res := eng.postFile("/production/import", url.Values{"oil_unit": {"Sm3"}, "gas_unit": {"Sm3"}, "water_unit": {"Sm3"}, "period": {"month"}}, "p1.csv", []byte(csv.String()))
	if res.status != 201 || !strings.Contains(res.body, "24 records stored for 1 well (1 created, 0 matched)") || strings.Contains(res.body, "No issue") {
		t.Fatalf("import: %d\n%.2000s", res.status, res.body)
	}
	well := regexp.MustCompile(`href="/wells/(wel_[a-z0-9]+)/production"`).FindStringSubmatch(res.body)
	if well == nil {
		t.Fatalf("import result links no well's rates:\n%.2000s", res.body)
	}
	w := well[1]
	if got := h.must(200, "GET", "/api/v1/wells/"+w+"/production?period=month&phase=oil", owner, nil).json(); got["unit"] != "Sm3" {
		t.Errorf("the form's oil unit was not applied: %v", got["unit"])
	}
	if p := eng.postFile("/production/import", nil, "empty.csv", []byte("nothing here\n")); p.status != 422 || !strings.Contains(p.body, "empty.csv: ") {
		t.Errorf("an unreadable file: %d, want 422 with the file's name and reason:\n%.1500s", p.status, p.body)
	}

	// The rate chart: the choices go into the SVG route's query, which answers.
	p := view.get("/wells/" + w + "/production?period=month&scale=linear&phase=oil&phase=water&from=2020-03-01")
	var img string
	for _, n := range p.nodes("img") {
		img = attr(n, "src")
	}
	if p.status != 200 || !strings.Contains(img, "phase=oil%2Cwater") || !strings.Contains(img, "scale=linear") || !strings.Contains(img, "from=2020-03-01") {
		t.Fatalf("production page: %d, chart %q", p.status, img)
	}
	h.must(200, "GET", img, owner, nil)
	if p := view.get("/wells/" + w + "/production?scale=cubic"); p.status != 400 {
		t.Errorf("scale=cubic: %d, want 400", p.status)
	}

	// A decline forecast from the form: the job, then its result.
	if p := view.get("/wells/" + w + "/forecasts/new"); p.status != 403 {
		t.Errorf("a viewer's forecast form: %d, want 403", p.status)
	}
	bad := eng.post("/wells/"+w+"/forecasts", url.Values{"phase": {"oil"}, "model": {"auto"}, "horizon_years": {"thirty"}})
	if bad.status != 422 || !strings.Contains(bad.body, "horizon_years must be a number") {
		t.Errorf("bad horizon: %d\n%.1500s", bad.status, bad.body)
	}
	sub := eng.post("/wells/"+w+"/forecasts", url.Values{"phase": {"oil"}, "model": {"auto"}, "abandonment_rate": {"50"}, "horizon_years": {"30"}})
	if sub.status != 303 || !strings.HasPrefix(sub.header.Get("Location"), "/jobs/job_") {
		t.Fatalf("forecast form: %d %q\n%.1500s", sub.status, sub.header.Get("Location"), sub.body)
	}
	job := eng.waitJob(t, sub.header.Get("Location"))
	m := regexp.MustCompile(`href="/forecasts/(fc_[a-z0-9]+)"`).FindStringSubmatch(job.body)
	if !strings.Contains(job.body, `data-status="succeeded"`) || m == nil {
		t.Fatalf("forecast job:\n%.2500s", job.body)
	}
	fc := view.get("/forecasts/" + m[1])
	f := h.must(200, "GET", "/api/v1/forecasts/"+m[1], owner, nil).json()
	e := f["eur"].(float64)
	p10 := math.Pow(10, math.Floor(math.Log10(e))-2)
	eur := formatThin(math.Round(e/p10) * p10) // three significant digits
	for _, want := range []string{`id="eur">` + eur + " Sm3<", "Sm3/d", "/yr", "nominal", "/api/v1/forecasts/" + m[1] + "/data.csv", "/api/v1/forecasts/" + m[1] + "/plot.svg", "AICc"} {
		if !strings.Contains(fc.body, want) {
			t.Errorf("forecast page lacks %q:\n%.3000s", want, fc.body)
		}
	}
	if f["eur"].(float64) < 1e4 {
		t.Errorf("EUR %v: the fit did not run on the imported volumes", f["eur"])
	}

	// The log page, petrophysics from it, and the viewer with the derived curves.
	lasWell := h.must(201, "POST", "/api/v1/wells", owner, map[string]any{"name": "L-1"}).str("id")
	log := h.must(201, "POST", "/api/v1/logs?well="+lasWell+"&name=l1.las", owner, []byte(petroLAS())).json()
	lp := view.get("/logs/" + log["id"].(string))
	for _, want := range []string{"<th scope=\"row\">GR</th><td title=\"unit in the file: GAPI\">gAPI</td><td>GAMMA RAY</td>", "data-wb-log-viewer", `data-logs="` + log["id"].(string) + `"`, "Warnings ("} {
		if !strings.Contains(lp.body, want) {
			t.Errorf("log page lacks %q", want)
		}
	}
	if strings.Contains(lp.body, "petro-form") || strings.Contains(view.get("/wells/"+lasWell).body, "data-wb-upload") {
		t.Errorf("a viewer is shown the petrophysics or upload form")
	}
	if !strings.Contains(eng.get("/wells/"+lasWell).body, "data-wb-upload") {
		t.Errorf("an engineer's well page has no upload form")
	}
	run := eng.post("/logs/"+log["id"].(string)+"/petrophysics", url.Values{"vsh_method": {"larionov-tertiary"}, "matrix_density": {"2.65"}, "fluid_density": {"1.0"}, "rw": {"0.05"}})
	if run.status != 303 {
		t.Fatalf("petrophysics form: %d\n%.1500s", run.status, run.body)
	}
	if j := eng.waitJob(t, run.header.Get("Location")); !strings.Contains(j.body, "the derived curves") {
		t.Fatalf("petrophysics job:\n%.2500s", j.body)
	}
	lp = view.get("/logs/" + log["id"].(string))
	if !regexp.MustCompile(`data-logs="`+log["id"].(string)+`,log_[a-z0-9]+"`).MatchString(lp.body) || !strings.Contains(lp.body, "l1 petrophysics.las") {
		t.Errorf("the log page's viewer does not show the derived curves")
	}
	if p := eng.post("/logs/"+log["id"].(string)+"/petrophysics", url.Values{"matrix_density": {"heavy"}}); p.status != 422 || !strings.Contains(p.body, "matrix_density must be a number") {
		t.Errorf("bad matrix density: %d", p.status)
	}
	if p := view.get("/wells/" + lasWell + "/viewer"); p.status != 200 || !strings.Contains(p.body, "data-wb-log-viewer") {
		t.Errorf("side-by-side viewer: %d", p.status)
	}

	// Jobs: listed; a queued one is cancelled from the page by an engineer, not by a viewer.
	stopWorker() // it would fail the noop job
	queued := h.must(202, "POST", "/api/v1/jobs", owner, map[string]any{"type": "noop"}).str("id")
	if js := view.get("/jobs"); js.status != 200 || !strings.Contains(js.body, queued) || strings.Contains(js.body, "/jobs/"+queued+"/cancel") {
		t.Errorf("jobs page for a viewer: %d, want the job without a cancel form", js.status)
	}
	if p := view.post("/jobs/"+queued+"/cancel", url.Values{}); p.status != 403 {
		t.Errorf("a viewer's cancel: %d, want 403", p.status)
	}
	if p := eng.post("/jobs/"+queued+"/cancel", url.Values{}); p.status != 303 {
		t.Errorf("cancel: %d", p.status)
	}
	if j := h.must(200, "GET", "/api/v1/jobs/"+queued, owner, nil).json(); j["status"] != "cancelled" {
		t.Errorf("after cancel the job is %v", j["status"])
	}

	// Uploads: the viewer has no upload page, and the API refuses the viewer's session.
	if p := view.get("/logs/upload"); p.status != 403 {
		t.Errorf("a viewer's upload page: %d, want 403", p.status)
	}
	req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/logs?name=v.las", strings.NewReader(smallLAS("V", "V")))
	req.Header.Set("Origin", h.srv.URL)
	req.AddCookie(&http.Cookie{Name: "wellbase_session", Value: view.cookie})
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 403 {
		t.Errorf("a viewer's upload through the API with the session cookie: %v %v, want 403", res.StatusCode, err)
	}
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func fmtF(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }

// formatThin is the pages' number format for values from 1000 up: whole, thin-space groups.
func formatThin(v float64) string {
	s := fmtF(math.Round(v))
	s = strings.TrimSuffix(s, ".000")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteRune(c)
	}
	return b.String()
}

// petroLAS is a small log with GR, RHOB, NPHI and ILD over 20 m.
func petroLAS() string {
	var b strings.Builder
	b.WriteString("~VERSION INFORMATION\n VERS. 2.0 : CWLS LOG ASCII STANDARD - VERSION 2.0\n WRAP. NO : ONE LINE PER DEPTH STEP\n")
	b.WriteString("~WELL INFORMATION\n STRT.M 1000.0 : START DEPTH\n STOP.M 1020.0 : STOP DEPTH\n STEP.M 0.5 : STEP\n NULL. -999.25 : NULL VALUE\n WELL. L-1 : WELL\n")
	b.WriteString("~CURVE INFORMATION\n DEPT.M : DEPTH\n GR.GAPI : GAMMA RAY\n RHOB.G/CC : BULK DENSITY\n NPHI.V/V : NEUTRON POROSITY\n ILD.OHMM : DEEP RESISTIVITY\n~A\n")
	for i := 0; i <= 40; i++ {
		d := 1000 + 0.5*float64(i)
		x := float64(i%10) / 10
		b.WriteString(fmtF(d) + " " + fmtF(30+90*x) + " " + fmtF(2.2+0.3*x) + " " + fmtF(0.3-0.15*x) + " " + fmtF(20-15*x) + "\n")
	}
	return b.String()
}

// BenchmarkAnalysisPages measures the server time of part 2's pages on the Volve data:
//
//	go test -run '^$' -bench AnalysisPages -benchtime 50x ./internal/httpapi/
func BenchmarkAnalysisPages(b *testing.B) {
	br, eng, logWell, f14 := volvePages(b)
	h := br.h
	var logID string
	if ls, _, err := h.store.Tenant("acme").ListLogs(context.Background(), logWell, wellbase.Page{Limit: 1}); err != nil || len(ls) == 0 {
		b.Fatal("no log", err)
	} else {
		logID = ls[0].ID
	}
	fcID := acmeForecast(b, h, f14)
	b.Run("Log", func(b *testing.B) { benchPage(b, br, "/logs/"+logID, "DEPTH") })
	b.Run("LogViewer", func(b *testing.B) { benchPage(b, br, "/wells/"+logWell+"/viewer", "data-wb-log-viewer") })
	b.Run("Upload", func(b *testing.B) { benchPage(b, eng, "/logs/upload?well="+logWell, "data-wb-upload") })
	b.Run("ImportForm", func(b *testing.B) { benchPage(b, eng, "/production/import", "oil_unit") })
	b.Run("Production", func(b *testing.B) {
		benchPage(b, br, "/wells/"+f14+"/production?period=day&scale=linear&phase=oil&phase=gas", "plot.svg")
	})
	b.Run("ForecastForm", func(b *testing.B) { benchPage(b, eng, "/wells/"+f14+"/forecasts/new", "abandonment_rate") })
	b.Run("Forecast", func(b *testing.B) { benchPage(b, br, "/forecasts/"+fcID, "EUR") })
	b.Run("Jobs", func(b *testing.B) { benchPage(b, br, "/jobs", "Jobs") })
}
