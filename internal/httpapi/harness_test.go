package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/files"
	"github.com/wellbase/wellbase/internal/forecasts"
	"github.com/wellbase/wellbase/internal/httpapi"
	"github.com/wellbase/wellbase/internal/identity"
	"github.com/wellbase/wellbase/internal/jobs"
	"github.com/wellbase/wellbase/internal/keyring"
	"github.com/wellbase/wellbase/internal/sqlite/sqlitetest"
	"github.com/wellbase/wellbase/internal/tenancy"
	"github.com/wellbase/wellbase/internal/welllogs"
)

// harness is the API on real components (SQLite, a root key file, a file bucket) in a temp dir.
type harness struct {
	tb    testing.TB
	api   *httpapi.Server
	srv   *httptest.Server
	store wellbase.Store
	dir   string // the data dir: database, root key, files
	op    string // a platform operator's token
	keys  *tenancy.DataKeys
	files *files.Store
	logs  *welllogs.Service
	off   *tenancy.Offboarder
}

func newHarness(tb testing.TB) *harness {
	tb.Helper()
	return newHarnessWith(tb, harnessOptions{})
}

// newHarnessClock is newHarness with the API's clock set to now, for tests of time-dependent
// rules that must not depend on how fast the machine is.
func newHarnessClock(tb testing.TB, now func() time.Time) *harness {
	tb.Helper()
	return newHarnessWith(tb, harnessOptions{now: now})
}

type harnessOptions struct {
	now func() time.Time
	// asyncParseBytes > 0 parses larger uploads in a job, run by a worker in the harness.
	asyncParseBytes int64
	// worker runs a job worker (log-parse and tenant-export jobs) in the harness.
	worker bool
	// jobTypes are the job types users may enqueue besides "noop".
	jobTypes map[string]httpapi.JobType
	// handlers are more job handlers for the harness's worker (e.g. decline-fit).
	handlers map[string]jobs.Handler
	// maxInFlight and queueWait configure load shedding (httpapi.Config).
	maxInFlight int
	queueWait   time.Duration
	// curveGzip answers curve reads gzip-coded to clients that ask (httpapi.Config.CurveGzip).
	curveGzip bool
	// logger receives the server's log (nil: discarded).
	logger *slog.Logger
}

func newHarnessWith(tb testing.TB, opt harnessOptions) *harness {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	db := sqlitetest.OpenIn(tb, dir)
	kr, err := keyring.Open(ctx, "base64key://", dir)
	if err != nil {
		tb.Fatal(err)
	}
	fs, err := files.Open(ctx, "file://"+filepath.ToSlash(filepath.Join(dir, "files")))
	if err != nil {
		tb.Fatal(err)
	}
	onboarder := &tenancy.Onboarder{
		Store: db,
		NewWrappedDataKey: func(ctx context.Context, tenant string) ([]byte, error) {
			_, w, err := kr.NewDataKey(ctx, tenant)
			return w, err
		},
		CreateFilePrefix: fs.CreateTenantPrefix,
	}
	keys := &tenancy.DataKeys{Store: db, Unwrap: kr.UnwrapDataKey}
	h := &harness{tb: tb, store: db, dir: dir, keys: keys, files: fs}
	logs := &welllogs.Service{Store: db, Files: fs, Keys: keys}
	h.logs = logs
	h.off = &tenancy.Offboarder{Store: db, Files: fs, Keys: keys, RootKeyID: kr.ID()}
	queue := &jobs.Queue{Store: db}
	exporter := &tenancy.Exporter{Store: db, Files: fs, Keys: keys}
	jobTypes := map[string]httpapi.JobType{"noop": {},
		forecasts.JobType:        {Validate: forecasts.Validate, Params: forecasts.ParamsSchema()},
		welllogs.PetrophysicsJob: {Validate: welllogs.ValidatePetrophysics, Params: welllogs.PetrophysicsParamsSchema()}}
	for name, jt := range opt.jobTypes {
		jobTypes[name] = jt
	}
	h.api = httpapi.New(httpapi.Config{Store: db, Onboarder: onboarder, Logs: logs, Now: opt.now,
		Offboarder: h.off, Exporter: exporter,
		RotateKey: func(ctx context.Context, tenant, actor string) (*tenancy.KeyRotation, error) {
			return tenancy.RotateTenantKey(ctx, db, kr, tenant, actor, queue.Enqueue)
		},
		Queue: queue, JobTypes: jobTypes, AsyncParseBytes: opt.asyncParseBytes, MaxInFlight: opt.maxInFlight, QueueWait: opt.queueWait, CurveGzip: opt.curveGzip, Logger: opt.logger})
	if opt.asyncParseBytes > 0 || opt.worker {
		ctx, stop := context.WithCancel(ctx)
		w := &jobs.Worker{Queue: queue, ID: "harness", Poll: 10 * time.Millisecond, Handlers: map[string]jobs.Handler{
			httpapi.LogParseJob: func(ctx context.Context, j *wellbase.Job, progress func(float64)) (any, error) {
				var p struct{ Log string }
				json.Unmarshal(j.Params, &p)
				return logs.Parse(ctx, j.TenantID, p.Log, j.CreatedBy, progress)
			},
			tenancy.ReencryptJob: func(ctx context.Context, j *wellbase.Job, progress func(float64)) (any, error) {
				return logs.Reencrypt(ctx, j.TenantID, progress)
			},
			tenancy.ExportJob: func(ctx context.Context, j *wellbase.Job, progress func(float64)) (any, error) {
				return exporter.Export(ctx, j.TenantID, j.ID, progress)
			}}}
		for name, hd := range opt.handlers {
			w.Handlers[name] = hd
		}
		done := make(chan struct{})
		go func() { w.Run(ctx, ctx); close(done) }()
		tb.Cleanup(func() { stop(); <-done })
	}
	h.srv = httptest.NewServer(h.api)
	// Redirects are answers to check, not to follow: the mux redirects unclean paths ("/a/../b").
	h.srv.Client().CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	// Every exchange of a test is checked against the OpenAPI document (benchmarks measure the
	// API alone).
	if _, bench := tb.(*testing.B); !bench {
		h.srv.Client().Transport = newContract(tb, h.srv.URL, h.srv.Client().Transport)
	}
	tb.Cleanup(func() {
		h.srv.Close()
		h.api.Close(ctx)
		fs.Close()
		kr.Close()
	})
	o := &wellbase.Operator{ID: wellbase.NewID("opr"), Email: "ops@example.com", CreatedAt: time.Now()}
	if err := db.CreateOperator(ctx, o); err != nil {
		tb.Fatal(err)
	}
	h.op, _, err = identity.Issue(ctx, db.CreateOperatorCredential, wellbase.CredentialOperator, "", o.ID, "test", time.Now(), time.Hour)
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

// response is an API answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic value.
func (r response) json() map[string]any {
	var v map[string]any
	json.Unmarshal(r.body, &v)
	return v
}

func (r response) str(key string) string {
	s, _ := r.json()[key].(string)
	return s
}

// do sends a request; body is JSON-encoded unless it is []byte or string.
func (h *harness) do(method, path, token string, body any) response {
	h.tb.Helper()
	return h.doWith(method, path, token, body, nil)
}

// doWith is do with headers added to the request (after Content-Type and Authorization, which
// they may replace).
func (h *harness) doWith(method, path, token string, body any, header http.Header) response {
	h.tb.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			h.tb.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, h.srv.URL+path, rd)
	if err != nil {
		h.tb.Fatal(err)
	}
	if _, raw := body.([]byte); body != nil && !raw {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	res, err := h.srv.Client().Do(req)
	if err != nil {
		h.tb.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, b}
}

// must sends a request and fails the test unless it answers want.
func (h *harness) must(want int, method, path, token string, body any) response {
	h.tb.Helper()
	r := h.do(method, path, token, body)
	if r.status != want {
		h.tb.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, want, r.body)
	}
	return r
}

// mustWith is must with headers added to the request.
func (h *harness) mustWith(want int, method, path, token string, body any, header http.Header) response {
	h.tb.Helper()
	r := h.doWith(method, path, token, body, header)
	if r.status != want {
		h.tb.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, want, r.body)
	}
	return r
}

// onboard creates an active tenant with generous rate limits and returns its owner's token.
func (h *harness) onboard(id string) string {
	h.tb.Helper()
	r := h.must(201, "POST", "/api/v1/tenants", h.op, map[string]any{"id": id, "name": id + " Oil", "tier": "standard", "admin_email": "admin@" + id + ".example"})
	h.must(200, "PATCH", "/api/v1/tenants/"+id, h.op, map[string]any{"limits": map[string]any{"requests_per_second": 100000, "burst": 100000}})
	return r.str("admin_token")
}
