package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/app"
	"github.com/wellbase/wellbase/internal/jobs"
	"github.com/wellbase/wellbase/internal/tenancy"
	"github.com/wellbase/wellbase/internal/testlog"
)

// The in-process tests run the function's handler on real stores (SQLite, local files, a local
// root key: the code paths are the same as on MongoDB, S3 and KMS, which the end-to-end test
// under the runtime interface emulator covers in cmd/wellbase).

type fixture struct {
	f     *function
	out   *testlog.Buffer
	token string // acme's owner token
	well  string // a well of acme with 24 months of oil
}

// newFixture opens a function on a fresh data dir with tenant acme onboarded and a well with
// production, so that decline-fit jobs run for real.
func newFixture(t *testing.T, metrics bool) *fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	cfg := app.Config{DataDir: dir, LogLevel: "info",
		Database: (&url.URL{Scheme: "sqlite", Path: filepath.ToSlash(filepath.Join(dir, "wellbase.db"))}).String()}
	if metrics {
		cfg.MetricsNamespace = "Wellbase/test"
	}
	if err := cfg.Resolve(); err != nil {
		t.Fatal(err)
	}
	out := &testlog.Buffer{}
	f, err := newFunction(ctx, cfg, out)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	res, err := f.app.Onboarder.Onboard(ctx, tenancy.Request{ID: "acme", Name: "Acme", AdminEmail: "a@acme.example"}, &wellbase.Principal{Operator: true, UserID: "opr_t"})
	if err != nil {
		t.Fatal(err)
	}
	ts := f.app.Store.Tenant("acme")
	now := time.Now().UTC()
	well := &wellbase.Well{ID: wellbase.NewID("wel"), Name: "W-1", CreatedAt: now, UpdatedAt: now}
	if err := ts.CreateWell(ctx, well); err != nil {
		t.Fatal(err)
	}
	var recs []*wellbase.ProductionRecord
	for m := range 24 {
		v := 30000 * float64(24-m)
		recs = append(recs, &wellbase.ProductionRecord{WellID: well.ID, Date: time.Date(2015, time.Month(m+1), 1, 0, 0, 0, 0, time.UTC),
			Period: wellbase.PeriodMonth, Oil: &v, Units: wellbase.ProductionUnits{Oil: "Sm3"}, UpdatedAt: now})
	}
	if _, err := ts.UpsertProduction(ctx, recs); err != nil {
		t.Fatal(err)
	}
	return &fixture{f: f, out: out, token: res.AdminToken, well: well.ID}
}

// enqueue queues a job of acme.
func (x *fixture) enqueue(t *testing.T, typ string, params any) *wellbase.Job {
	t.Helper()
	b, _ := json.Marshal(params)
	j, err := x.f.app.Queue.Enqueue(context.Background(), "acme", typ, b, "user:t")
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func (x *fixture) declineFit(t *testing.T) *wellbase.Job {
	return x.enqueue(t, "decline-fit", map[string]any{"well": x.well, "model": "auto", "abandonment_rate": 10})
}

func (x *fixture) job(t *testing.T, id string) *wellbase.Job {
	t.Helper()
	j, err := x.f.app.Store.Tenant("acme").GetJob(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// invoke calls the handler as Lambda does: a context with the invocation's deadline.
func invoke(t *testing.T, f *function, timeout time.Duration, event string) (any, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return f.Handle(ctx, json.RawMessage(event))
}

func jobEventOf(j *wellbase.Job) string {
	return fmt.Sprintf(`{"job":{"tenant":%q,"id":%q}}`, j.TenantID, j.ID)
}

const scheduled = `{"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event","source":"aws.events",
	"account":"123456789012","time":"2026-12-06T12:00:00Z","region":"eu-north-1","resources":["arn:aws:events:eu-north-1:123456789012:rule/wellbase-drain"],"detail":{}}`

func TestRoute(t *testing.T) {
	t.Parallel()
	v2, _ := json.Marshal(v2Request("GET", "/healthz", ""))
	for _, tc := range []struct {
		name, event string
		want        eventKind
		errHas      []string
	}{
		{"Job", `{"job":{"tenant":"acme","id":"job_1"}}`, jobEvent, nil},
		{"Scheduled", scheduled, scheduledEvent, nil},
		{"HTTPv2", string(v2), httpEvent, nil},
		{"SQS", `{"Records":[{"messageId":"1","body":"x"}]}`, 0, []string{`"Records"`}},
		{"OtherEventBridge", `{"source":"aws.events","detail-type":"EC2 Instance State-change Notification","detail":{}}`, 0,
			[]string{`"detail"`, `"detail-type"`, `"source"`, "EC2 Instance State-change Notification"}},
		{"HTTPv1", `{"resource":"/","path":"/","httpMethod":"GET","requestContext":{}}`, 0, []string{`"httpMethod"`, `"requestContext"`}},
		{"Empty", `{}`, 0, []string{"top-level members []"}},
		{"Array", `[1,2]`, 0, []string{"not a JSON object"}},
		{"String", `"hello"`, 0, []string{"not a JSON object"}},
		{"Null", `null`, 0, []string{"not a JSON object"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := route(json.RawMessage(tc.event))
			if tc.errHas == nil {
				if err != nil || got != tc.want {
					t.Fatalf("route = %v, %v; want %v", got, err, tc.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("route = %v, want an error", got)
			}
			for _, s := range tc.errHas {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not name %s", err, s)
				}
			}
		})
	}
}

func TestUnknownEventFailsTheInvocation(t *testing.T) {
	t.Parallel()
	x := newFixture(t, false)
	_, err := invoke(t, x.f, time.Minute, `{"Records":[]}`)
	if err == nil || !strings.Contains(err.Error(), `"Records"`) {
		t.Fatalf("unknown event: %v", err)
	}
	for _, bad := range []string{`{"job":{"tenant":"acme"}}`, `{"job":"job_1"}`} {
		if _, err := invoke(t, x.f, time.Minute, bad); err == nil {
			t.Errorf("malformed job event %s accepted", bad)
		}
	}
}

// TestJobEventRunsTheJob: a job event runs its job, named as the Lambda's in the lease; a second
// event for the finished job runs nothing and says why.
func TestJobEventRunsTheJob(t *testing.T) {
	t.Parallel()
	x := newFixture(t, false)
	j := x.declineFit(t)
	got, err := invoke(t, x.f, 5*time.Minute, jobEventOf(j))
	if err != nil {
		t.Fatal(err)
	}
	res := got.(JobResult)
	if !res.Ran || res.Status != wellbase.JobSucceeded || !strings.HasPrefix(res.Worker, "lambda:") {
		t.Fatalf("job event result %+v", res)
	}
	stored := x.job(t, j.ID)
	var result struct {
		ForecastID string `json:"forecast_id"`
	}
	json.Unmarshal(stored.Result, &result)
	if stored.Status != wellbase.JobSucceeded || stored.Attempts != 1 {
		t.Fatalf("stored job %+v", stored)
	}
	if _, err := x.f.app.Store.Tenant("acme").GetForecast(context.Background(), result.ForecastID); err != nil {
		t.Errorf("forecast of the job: %v", err)
	}
	if !strings.Contains(x.out.String(), `"worker":"`+res.Worker+`"`) {
		t.Errorf("no log line names the Lambda worker %s", res.Worker)
	}
	again, err := invoke(t, x.f, 5*time.Minute, jobEventOf(j))
	if err != nil {
		t.Fatal(err)
	}
	if r := again.(JobResult); r.Ran || !strings.Contains(r.Reason, "already succeeded") {
		t.Errorf("second event for a finished job: %+v", r)
	}
	if x.job(t, j.ID).Attempts != 1 {
		t.Error("the finished job was run again")
	}
	missing, err := invoke(t, x.f, 5*time.Minute, `{"job":{"tenant":"acme","id":"job_nope"}}`)
	if err != nil || missing.(JobResult).Ran || !strings.Contains(missing.(JobResult).Reason, "not found") {
		t.Errorf("event for a missing job: %+v, %v", missing, err)
	}
	other := x.enqueue(t, "tenant-export", nil)
	r, err := invoke(t, x.f, 5*time.Minute, jobEventOf(other))
	if err != nil || r.(JobResult).Ran || !strings.Contains(r.(JobResult).Reason, "tenant-export job") {
		t.Errorf("event for a job of a worker type: %+v, %v", r, err)
	}
	if x.job(t, other.ID).Status != wellbase.JobQueued {
		t.Error("a tenant-export job was touched by the Lambda")
	}
}

// blockingHandlers replaces the decline-fit handler with one that signals its start, counts its
// runs and waits for release (or its context).
func blockingHandlers(f *function, started chan<- string, release <-chan struct{}, runs *atomic.Int32) {
	h := func(ctx context.Context, j *wellbase.Job, _ func(float64)) (any, error) {
		runs.Add(1)
		started <- j.ID
		select {
		case <-release:
			return "done", nil
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		}
	}
	handlers := map[string]jobs.Handler{}
	for k, v := range f.worker.Handlers {
		handlers[k] = v
	}
	handlers["decline-fit"] = h
	f.worker.Handlers = handlers
}

// TestRunsOnceWithWorkers: a job a worker holds is refused by a job event, and a job the
// Lambda holds is neither leased nor claimed by a worker.
func TestRunsOnceWithWorkers(t *testing.T) {
	t.Parallel()
	x := newFixture(t, false)
	ctx := context.Background()
	q := x.f.app.Queue

	held := x.declineFit(t)
	if j, err := q.Lease(ctx, "ecs-worker/1", time.Minute, nil); err != nil || j == nil || j.ID != held.ID {
		t.Fatalf("worker lease: %v %v", j, err)
	}
	got, err := invoke(t, x.f, 5*time.Minute, jobEventOf(held))
	if err != nil {
		t.Fatal(err)
	}
	if r := got.(JobResult); r.Ran || !strings.Contains(r.Reason, "leased by ecs-worker/1") {
		t.Errorf("job event for a job a worker holds: %+v", r)
	}
	if j := x.job(t, held.ID); j.LeaseOwner != "ecs-worker/1" || j.Attempts != 1 {
		t.Errorf("the worker's job after the event: owner %q, %d attempts", j.LeaseOwner, j.Attempts)
	}

	// And the other way round: while the Lambda runs a job, workers cannot have it.
	started, release := make(chan string, 1), make(chan struct{})
	var runs atomic.Int32
	blockingHandlers(x.f, started, release, &runs)
	mine := x.declineFit(t)
	done := make(chan any, 1)
	go func() {
		r, err := invoke(t, x.f, 5*time.Minute, jobEventOf(mine))
		if err != nil {
			t.Error(err)
		}
		done <- r
	}()
	<-started
	if j, err := q.Lease(ctx, "ecs-worker/2", time.Minute, nil); err != nil || j != nil {
		t.Errorf("a worker leased %v (%v) while the Lambda runs it", j, err)
	}
	if _, err := q.Claim(ctx, wellbase.JobRef{TenantID: "acme", ID: mine.ID}, "ecs-worker/2", time.Minute, nil); wellbase.ErrorCode(err) != wellbase.EConflict ||
		!strings.Contains(err.Error(), "leased by lambda:") {
		t.Errorf("a worker's claim of the Lambda's job: %v", err)
	}
	close(release)
	if r := (<-done).(JobResult); !r.Ran || r.Status != wellbase.JobSucceeded || runs.Load() != 1 {
		t.Errorf("the Lambda's job: %+v after %d runs", r, runs.Load())
	}
}

// TestConcurrentJobEventsRunOnce: N events for one job at once (Lambda's asynchronous invokes
// are delivered at least once) run it once.
func TestConcurrentJobEventsRunOnce(t *testing.T) {
	t.Parallel()
	x := newFixture(t, false)
	started, release := make(chan string, 16), make(chan struct{})
	var runs atomic.Int32
	blockingHandlers(x.f, started, release, &runs)
	j := x.declineFit(t)
	const n = 8
	results := make(chan JobResult, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			r, err := invoke(t, x.f, 5*time.Minute, jobEventOf(j))
			if err != nil {
				t.Error(err)
				return
			}
			results <- r.(JobResult)
		})
	}
	<-started
	// Every event but the one that runs the job answers without running it; then the job ends.
	refused := 0
	for range n - 1 {
		r := <-results
		if r.Ran {
			t.Errorf("a second event ran the job: %+v", r)
		}
		refused++
	}
	close(release)
	wg.Wait()
	close(results)
	ran := <-results
	if !ran.Ran || ran.Status != wellbase.JobSucceeded || runs.Load() != 1 || refused != n-1 {
		t.Errorf("%d runs; the running event %+v; %d refused", runs.Load(), ran, refused)
	}
	if got := x.job(t, j.ID); got.Attempts != 1 || got.Status != wellbase.JobSucceeded {
		t.Errorf("job after %d events: %s, %d attempts", n, got.Status, got.Attempts)
	}
}

// TestDeadlineHandsJobBack: a job still running when the invocation's deadline is near goes
// back to the queue, released and runnable; the next drain runs it.
func TestDeadlineHandsJobBack(t *testing.T) {
	t.Parallel()
	x := newFixture(t, false)
	x.f.takeMargin, x.f.handBackMargin = time.Second, time.Second
	started, release := make(chan string, 4), make(chan struct{})
	var runs atomic.Int32
	orig := x.f.worker.Handlers
	blockingHandlers(x.f, started, release, &runs)
	j := x.declineFit(t)
	got, err := invoke(t, x.f, 2500*time.Millisecond, jobEventOf(j)) // hand-back at about 1.5 s
	if err != nil {
		t.Fatal(err)
	}
	r := got.(JobResult)
	if !r.Ran || !r.HandedBack || r.Status != wellbase.JobQueued {
		t.Fatalf("job at the deadline: %+v", r)
	}
	stored := x.job(t, j.ID)
	if stored.Status != wellbase.JobQueued || stored.LeaseOwner != "" || stored.Attempts != 1 || stored.RunAt.After(time.Now()) {
		t.Fatalf("handed-back job: %s, lease %q, %d attempts, run at %v", stored.Status, stored.LeaseOwner, stored.Attempts, stored.RunAt)
	}
	// Too little time left: a job event leaves the job alone.
	short, err := invoke(t, x.f, 500*time.Millisecond, jobEventOf(j))
	if err != nil || short.(JobResult).Ran || !strings.Contains(short.(JobResult).Reason, "left in the invocation") {
		t.Errorf("job event with 0.5 s left: %+v, %v", short, err)
	}
	x.f.worker.Handlers = orig
	x.f.takeMargin, x.f.handBackMargin = defaultTakeMargin, defaultHandBackMargin
	d, err := invoke(t, x.f, 5*time.Minute, scheduled)
	if err != nil {
		t.Fatal(err)
	}
	dr := d.(DrainResult)
	if len(dr.Jobs) != 1 || dr.Jobs[0].Job != j.ID || dr.Jobs[0].Status != wellbase.JobSucceeded || dr.Stopped != "empty" {
		t.Fatalf("drain after the hand-back: %+v", dr)
	}
	if got := x.job(t, j.ID); got.Attempts != 2 {
		t.Errorf("attempts %d after a hand-back and a run, want 2", got.Attempts)
	}
}

// TestDrain: a scheduled event runs every runnable Lambda-type job and nothing else, writes the
// metrics, and does not start a job with too little time left.
func TestDrain(t *testing.T) {
	t.Parallel()
	x := newFixture(t, true)
	long := x.enqueue(t, "log-parse", map[string]any{"log": "log_1"}) // the worker service's: left alone
	a, b := x.declineFit(t), x.declineFit(t)
	bad := x.enqueue(t, "decline-fit", map[string]any{"well": "wel_nope"}) // fails for good (not found)

	tight, err := invoke(t, x.f, 2*time.Second, scheduled)
	if err != nil {
		t.Fatal(err)
	}
	if dr := tight.(DrainResult); len(dr.Jobs) != 0 || dr.Stopped != "deadline" {
		t.Fatalf("drain with 2 s left: %+v", dr)
	}

	got, err := invoke(t, x.f, 5*time.Minute, scheduled)
	if err != nil {
		t.Fatal(err)
	}
	dr := got.(DrainResult)
	if dr.Stopped != "empty" || len(dr.Jobs) != 3 {
		t.Fatalf("drain: %+v", dr)
	}
	status := map[string]wellbase.JobStatus{}
	for _, r := range dr.Jobs {
		status[r.Job] = r.Status
		if !strings.HasPrefix(r.Worker, "lambda:") {
			t.Errorf("job %s run by %q", r.Job, r.Worker)
		}
	}
	if status[a.ID] != wellbase.JobSucceeded || status[b.ID] != wellbase.JobSucceeded || status[bad.ID] != wellbase.JobFailed {
		t.Errorf("drained jobs: %v", status)
	}
	if j := x.job(t, long.ID); j.Status != wellbase.JobQueued || j.Attempts != 0 {
		t.Errorf("log-parse job after the drain: %s, %d attempts", j.Status, j.Attempts)
	}

	// Metrics: one EMF line per job, then the queue's (empty) statistics of the Lambda types.
	var succeeded, failed float64
	var depth *float64
	for _, line := range strings.Split(x.out.String(), "\n") {
		if !strings.Contains(line, `"_aws"`) {
			continue
		}
		var doc map[string]any
		if err := json.Unmarshal([]byte(line), &doc); err != nil {
			t.Fatalf("metrics line %s: %v", line, err)
		}
		if doc["Service"] != "jobs-lambda" {
			t.Errorf("metrics of service %v", doc["Service"])
		}
		if v, ok := doc["JobsSucceeded"].(float64); ok {
			succeeded += v
			if doc["job"] == nil || doc["JobDuration"] == nil {
				t.Errorf("per-job metrics without the job or its duration: %s", line)
			}
		}
		if v, ok := doc["JobsFailed"].(float64); ok {
			failed += v
		}
		if v, ok := doc["QueueDepth"].(float64); ok {
			depth = &v
			if _, ok := doc["QueueOldestAge"].(float64); !ok {
				t.Errorf("QueueDepth without QueueOldestAge: %s", line)
			}
		}
	}
	if succeeded != 2 || failed != 1 || depth == nil || *depth != 0 {
		t.Errorf("metrics: %v succeeded, %v failed, depth %v; want 2, 1, 0", succeeded, failed, depth)
	}
}

// v2Request is an API Gateway HTTP API request (payload format 2.0), as API Gateway sends it.
func v2Request(method, path, token string) events.APIGatewayV2HTTPRequest {
	req := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "$default", RawPath: path, Headers: map[string]string{"accept": "application/json"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			AccountID: "123456789012", APIID: "r3pmxmplak", DomainName: "r3pmxmplak.execute-api.eu-north-1.amazonaws.com",
			RequestID: "JKJaXmPLvHcESHA=", Stage: "$default", Time: "06/Dec/2026:19:03:58 +0000", TimeEpoch: 1796583838000,
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: path, Protocol: "HTTP/1.1", SourceIP: "203.0.113.7", UserAgent: "test"},
		},
	}
	if token != "" {
		req.Headers["authorization"] = "Bearer " + token
	}
	return req
}

// TestHTTPEvents: the API answers API Gateway events, with authentication.
func TestHTTPEvents(t *testing.T) {
	t.Parallel()
	x := newFixture(t, false)
	call := func(method, path, token string) events.APIGatewayV2HTTPResponse {
		t.Helper()
		b, _ := json.Marshal(v2Request(method, path, token))
		got, err := invoke(t, x.f, time.Minute, string(b))
		if err != nil {
			t.Fatal(err)
		}
		return got.(events.APIGatewayV2HTTPResponse)
	}
	if r := call("GET", "/healthz", ""); r.StatusCode != 200 {
		t.Errorf("GET /healthz: %d %s", r.StatusCode, r.Body)
	}
	r := call("GET", "/api/v1/wells", x.token)
	var wells struct {
		Items []wellbase.Well `json:"items"`
	}
	if err := json.Unmarshal([]byte(r.Body), &wells); err != nil || r.StatusCode != 200 || len(wells.Items) != 1 || wells.Items[0].ID != x.well {
		t.Errorf("GET /api/v1/wells: %d %s", r.StatusCode, r.Body)
	}
	if r := call("GET", "/api/v1/wells", ""); r.StatusCode != 401 || !strings.Contains(r.Headers["Content-Type"], "problem+json") {
		t.Errorf("GET /api/v1/wells without a token: %d %v", r.StatusCode, r.Headers)
	}
	// The request was metered: the usage counts are written before the invocation returns.
	n, err := x.f.app.Store.Tenant("acme").Requests(context.Background(), time.Now().UTC().Format(time.DateOnly))
	if err != nil || n < 1 {
		t.Errorf("acme's metered requests: %d, %v", n, err)
	}
}

// TestLambdaConfig: the function refuses to start without the shared stores, naming what is
// missing; it never makes a database of its own.
func TestLambdaConfig(t *testing.T) { // not parallel: environment variables
	for _, v := range []string{"WELLBASE_FILES", "WELLBASE_ROOT_KEY", "WELLBASE_SECRETS", "WELLBASE_DATABASE", "WELLBASE_DATA_DIR", "WELLBASE_JOB_FUNCTION", "WELLBASE_METRICS_NAMESPACE"} {
		t.Setenv(v, "")
	}
	_, err := lambdaConfig()
	for _, want := range []string{"WELLBASE_FILES", "WELLBASE_ROOT_KEY", "WELLBASE_SECRETS"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("config without %s: %v", want, err)
		}
	}
	dir := t.TempDir()
	t.Setenv("WELLBASE_DATA_DIR", dir)
	t.Setenv("WELLBASE_FILES", "file://"+filepath.ToSlash(filepath.Join(dir, "files")))
	t.Setenv("WELLBASE_ROOT_KEY", "base64key://")
	t.Setenv("WELLBASE_SECRETS", "file://"+filepath.ToSlash(dir))
	cfg, err := lambdaConfig()
	if err != nil {
		t.Fatal(err)
	}
	// A secret store without database-url: the function will not fall back to SQLite in /tmp.
	if _, err := newFunction(context.Background(), cfg, &testlog.Buffer{}); err == nil || !strings.Contains(err.Error(), "database-url") {
		t.Errorf("function on a secret store without database-url: %v", err)
	}
	t.Setenv("WELLBASE_DATABASE", "mongodb://u:hunter2@db.example/wellbase")
	if _, err := lambdaConfig(); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("a database URL with a password in the environment: %v", err)
	}
}
