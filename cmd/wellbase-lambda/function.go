package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/app"
	"github.com/wellbase/wellbase/internal/awslambda"
	"github.com/wellbase/wellbase/internal/httpapi"
	"github.com/wellbase/wellbase/internal/jobs"
)

// Time kept in reserve before an invocation's deadline.
const (
	// defaultTakeMargin: no new job is started with less than this left (a drain stops, a job
	// event is refused): a decline fit or petrophysics run takes seconds, and a job started
	// with less time would likely be handed back half done, spending one of its attempts.
	defaultTakeMargin = 30 * time.Second
	// defaultHandBackMargin: a job still running this long before the deadline is stopped and
	// handed back to the queue. It covers the handler's time to stop (jobs.Worker gives it up
	// to a second), the write of the hand-back and the invocation's answer.
	defaultHandBackMargin = 10 * time.Second
)

// asyncParseBytes: the function's API parses uploads up to this size in the request, like
// serve; larger ones are queued as log-parse jobs for the worker service.
const asyncParseBytes = 64 << 20

// function is the Lambda function: the stores, opened once per execution environment, and the
// event handlers.
type function struct {
	cfg     app.Config
	app     *app.App
	log     *slog.Logger
	worker  *jobs.Worker
	api     *httpapi.Server
	http    *httpadapter.HandlerAdapterV2
	send    *jobs.Dispatcher // nil without WELLBASE_JOB_FUNCTION
	metrics *app.JobMetrics  // nil without WELLBASE_METRICS_NAMESPACE
	// name is the function's name, in lease owners: lambda:<name>/<request ID>.
	name string
	// takeMargin and handBackMargin: see defaultTakeMargin and defaultHandBackMargin.
	takeMargin, handBackMargin time.Duration
}

// lambdaConfig returns the function's configuration from its environment. The function runs
// on the shared stores only: files, root key and database (or the secret store holding its URL)
// must be named, for embedded defaults in the execution environment's /tmp would be a private
// store that no one else sees and that vanishes with the environment. The data dir (scratch
// space only) defaults to $TMPDIR/wellbase: the rest of Lambda's file system is read-only.
func lambdaConfig() (app.Config, error) {
	cfg := app.FromEnv()
	if os.Getenv("WELLBASE_DATA_DIR") == "" {
		cfg.DataDir = filepath.Join(os.TempDir(), "wellbase")
	}
	var missing []string
	if cfg.Files == "" {
		missing = append(missing, "WELLBASE_FILES (s3://<bucket>?region=…)")
	}
	if cfg.RootKey == "" {
		missing = append(missing, "WELLBASE_ROOT_KEY (awskms:///alias/<name>?region=…)")
	}
	if cfg.Database == "" && cfg.Secrets == "" {
		missing = append(missing, "WELLBASE_SECRETS (awsparamstore:///<prefix>?region=…, holding the database-url secret) or WELLBASE_DATABASE")
	}
	if len(missing) > 0 {
		return cfg, fmt.Errorf("wellbase-lambda runs on the stores serve and the workers share; set %s", strings.Join(missing, ", "))
	}
	if err := cfg.Resolve(); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// openFunction opens the function from its environment (the cold start); logs and metrics go
// to out.
func openFunction(ctx context.Context, out io.Writer) (*function, error) {
	cfg, err := lambdaConfig()
	if err != nil {
		return nil, err
	}
	return newFunction(ctx, cfg, out)
}

// newFunction opens the stores cfg (resolved) names and wires the handlers.
func newFunction(ctx context.Context, cfg app.Config, out io.Writer) (_ *function, err error) {
	log, err := cfg.Logger(out)
	if err != nil {
		return nil, err
	}
	name := lambdacontext.FunctionName
	if name == "" {
		name = "wellbase-lambda"
	}
	f := &function{cfg: cfg, app: &app.App{}, log: log, name: name, takeMargin: defaultTakeMargin, handBackMargin: defaultHandBackMargin}
	if err := f.app.Open(ctx, cfg); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			f.app.Close()
		}
	}()
	if cfg.DatabaseDefaulted() && strings.HasPrefix(f.app.DatabaseName, "sqlite:") {
		return nil, fmt.Errorf("the secret store %s has no %s secret and WELLBASE_DATABASE is not set: wellbase-lambda will not run on a database of its own in %s",
			app.Redact(cfg.Secrets), app.DatabaseSecret, cfg.DataDir)
	}
	if cfg.JobFunction != "" {
		fn, err := awslambda.Open(ctx, cfg.JobFunction)
		if err != nil {
			return nil, fmt.Errorf("WELLBASE_JOB_FUNCTION: %w", err)
		}
		f.send = &jobs.Dispatcher{Types: app.LambdaJobTypes, Log: log,
			Send: func(ctx context.Context, j *wellbase.Job) error { return fn.InvokeJob(ctx, j.TenantID, j.ID) }}
		f.app.Queue.OnEnqueue = f.send.Notify
	}
	f.worker = &jobs.Worker{Queue: f.app.Queue, Handlers: f.app.JobHandlers, Types: app.LambdaJobTypes, Log: log}
	if cfg.MetricsNamespace != "" {
		if f.metrics, err = app.NewJobMetrics(out, cfg.MetricsNamespace, app.ServiceLambda, f.app.Queue, app.LambdaJobTypes, true, log); err != nil {
			return nil, err
		}
		f.worker.OnOutcome = f.metrics.Observe
	}
	// The API's usage meter is flushed after each HTTP invocation (see serveHTTP), not by its
	// background loop: an execution environment is frozen between invocations and may be
	// dropped without notice.
	f.api = httpapi.New(httpapi.Config{Store: f.app.Store, Onboarder: f.app.Onboarder, Offboarder: f.app.Offboarder, Exporter: f.app.Exporter,
		RotateKey: f.app.RotateKey, Logs: f.app.Logs, Queue: f.app.Queue, JobTypes: f.app.JobTypes, AsyncParseBytes: asyncParseBytes,
		Logger: log, Registry: prometheus.NewRegistry()})
	f.http = httpadapter.NewV2(f.api)
	return f, nil
}

// Close closes the stores.
func (f *function) Close() error { return f.app.Close() }

// eventKind is what route makes of an event.
type eventKind int

const (
	jobEvent eventKind = iota + 1
	scheduledEvent
	httpEvent
)

// route tells the event kinds apart by their members: "job" (a job event); "source" aws.events
// with "detail-type" Scheduled Event (EventBridge's schedule); "version" 2.0 with "routeKey" and
// "requestContext" (API Gateway HTTP API, payload format 2.0). Anything else is an error that
// names the event's top-level members (never their values).
func route(event json.RawMessage) (eventKind, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(event, &members); err != nil || members == nil {
		return 0, fmt.Errorf("unrecognised event: not a JSON object (%.40q)", string(event))
	}
	str := func(k string) string {
		var s string
		json.Unmarshal(members[k], &s)
		return s
	}
	switch {
	case members["job"] != nil:
		return jobEvent, nil
	case str("source") == "aws.events" && str("detail-type") == "Scheduled Event":
		return scheduledEvent, nil
	case str("version") == "2.0" && members["routeKey"] != nil && members["requestContext"] != nil:
		return httpEvent, nil
	}
	keys := make([]string, 0, len(members))
	for k := range members {
		keys = append(keys, fmt.Sprintf("%.40q", k))
	}
	slices.Sort(keys)
	if len(keys) > 20 {
		keys = append(keys[:20], "…")
	}
	what := "top-level members [" + strings.Join(keys, ", ") + "]"
	if str("source") == "aws.events" {
		what += fmt.Sprintf(", an EventBridge event of detail-type %.60q", str("detail-type"))
	}
	return 0, fmt.Errorf("unrecognised event with %s: want a job event {\"job\":{\"tenant\":…,\"id\":…}}, an EventBridge Scheduled Event or an API Gateway HTTP API (2.0) event", what)
}

// Handle handles one invocation: see the package doc.
func (f *function) Handle(ctx context.Context, event json.RawMessage) (any, error) {
	kind, err := route(event)
	if err != nil {
		f.log.ErrorContext(ctx, "event refused", slog.String("error", err.Error()))
		return nil, err
	}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		ctx = wellbase.NewContextWithRequestID(ctx, lc.AwsRequestID)
	}
	switch kind {
	case jobEvent:
		var e awslambda.JobEvent
		if err := json.Unmarshal(event, &e); err != nil || e.Job.Tenant == "" || e.Job.ID == "" {
			return nil, fmt.Errorf(`job event: want {"job":{"tenant":"<tenant>","id":"<job ID>"}}`)
		}
		return f.runJob(ctx, wellbase.JobRef{TenantID: e.Job.Tenant, ID: e.Job.ID})
	case scheduledEvent:
		return f.drain(ctx)
	default:
		var req events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(event, &req); err != nil {
			return nil, fmt.Errorf("API Gateway HTTP API event: %w", err)
		}
		return f.serveHTTP(ctx, req)
	}
}

// JobResult is the answer to a job event, and one job of a drain.
type JobResult struct {
	Tenant string `json:"tenant"`
	Job    string `json:"job"`
	// Ran: the function claimed and ran the job; else Reason says why not.
	Ran    bool   `json:"ran"`
	Reason string `json:"reason,omitempty"`
	// Status is the job's status after the run: succeeded, failed, cancelled, or queued (Retry:
	// a failed attempt to be retried; HandedBack: stopped before the deadline).
	Status     wellbase.JobStatus `json:"status,omitempty"`
	Retry      bool               `json:"retry,omitempty"`
	HandedBack bool               `json:"handed_back,omitempty"`
	Error      string             `json:"error,omitempty"`
	// Worker is the lease owner that ran it: lambda:<function>/<request ID>.
	Worker     string  `json:"worker,omitempty"`
	DurationMS float64 `json:"duration_ms,omitempty"`
}

// DrainResult is the answer to a scheduled event.
type DrainResult struct {
	// Swept counts what the offboarding sweep deleted.
	Swept int `json:"swept"`
	// Jobs are the jobs run, in order.
	Jobs []JobResult `json:"jobs"`
	// Stopped says why the drain ended: "empty" (no runnable job of the Lambda types left) or
	// "deadline" (too little time left).
	Stopped string `json:"stopped"`
}

// workerID names this invocation in leases.
func (f *function) workerID(ctx context.Context) string {
	id := ""
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		id = lc.AwsRequestID
	}
	if id == "" {
		id = wellbase.NewID("inv")
	}
	return "lambda:" + f.name + "/" + id
}

// budget returns the time left in the invocation and the context whose end hands back the jobs
// still running: handBackMargin before the deadline. Without a deadline (not under Lambda), the
// time is unbounded.
func (f *function) budget(ctx context.Context) (left func() time.Duration, drain context.Context, cancel context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok {
		drain, cancel = context.WithCancel(context.WithoutCancel(ctx))
		return func() time.Duration { return time.Duration(1<<63 - 1) }, drain, cancel
	}
	drain, cancel = context.WithDeadline(context.WithoutCancel(ctx), deadline.Add(-f.handBackMargin))
	return func() time.Duration { return time.Until(deadline) }, drain, cancel
}

// runJob runs the one job a job event names, if it can claim it.
func (f *function) runJob(ctx context.Context, ref wellbase.JobRef) (JobResult, error) {
	res := JobResult{Tenant: ref.TenantID, Job: ref.ID}
	left, drain, cancel := f.budget(ctx)
	defer cancel()
	if l := left(); l < f.takeMargin {
		res.Reason = fmt.Sprintf("only %s left in the invocation: the job is left to the scheduled drain", l.Round(time.Millisecond))
		f.log.WarnContext(ctx, "job event not run", slog.String("tenant", ref.TenantID), slog.String("job", ref.ID), slog.String("reason", res.Reason))
		return res, nil
	}
	worker := f.workerID(ctx)
	j, err := f.app.Queue.Claim(ctx, ref, worker, jobs.DefaultLease, app.LambdaJobTypes)
	if err != nil {
		switch wellbase.ErrorCode(err) {
		case wellbase.EConflict, wellbase.ENotFound, wellbase.ELimitExceeded:
			// Another worker has it, it is done, not due, or its tenant must wait: nothing to do.
			res.Reason = wellbase.ErrorMessage(err)
			f.log.InfoContext(ctx, "job event not run", slog.String("tenant", ref.TenantID), slog.String("job", ref.ID), slog.String("reason", res.Reason))
			return res, nil
		}
		return res, fmt.Errorf("claim job %s of tenant %s: %w", ref.ID, ref.TenantID, err)
	}
	return f.run(ctx, drain, worker, j), nil
}

// run runs a claimed job and reports it.
func (f *function) run(ctx, drain context.Context, worker string, j *wellbase.Job) JobResult {
	o := f.worker.RunJob(ctx, drain, worker, j)
	res := JobResult{Tenant: j.TenantID, Job: j.ID, Ran: true, Status: o.Status, Retry: o.Retry, HandedBack: o.HandedBack,
		Error: o.Error, Worker: worker, DurationMS: float64(o.Duration.Microseconds()) / 1000}
	switch {
	case o.LeaseLost:
		res.Reason = "the lease was lost: another worker runs the job"
	case o.RecordError != nil:
		res.Reason = "the outcome could not be recorded; the job runs again when its lease runs out"
	}
	return res
}

// drain runs the offboarding sweep, then Lambda-type jobs one after another until none is
// runnable or less than takeMargin is left, then writes the queue's metrics.
func (f *function) drain(ctx context.Context) (DrainResult, error) {
	res := DrainResult{Jobs: []JobResult{}}
	left, drain, cancel := f.budget(ctx)
	defer cancel()
	// The sweep first: a busy queue could otherwise take every minute's invocation whole.
	n, err := f.app.Offboarder.Sweep(drain)
	switch {
	case err != nil:
		f.log.WarnContext(ctx, "sweep of offboarded tenants failed", slog.String("error", err.Error()))
	case n > 0:
		f.log.InfoContext(ctx, "swept leftovers of offboarded tenants", slog.Int("deleted", n))
	}
	res.Swept = n
	worker := f.workerID(ctx)
	var leaseErr error
	for {
		if left() < f.takeMargin {
			res.Stopped = "deadline"
			break
		}
		j, err := f.app.Queue.Lease(ctx, worker, jobs.DefaultLease, app.LambdaJobTypes)
		if err != nil {
			leaseErr = fmt.Errorf("lease a job: %w", err)
			break
		}
		if j == nil {
			res.Stopped = "empty"
			break
		}
		r := f.run(ctx, drain, worker, j)
		res.Jobs = append(res.Jobs, r)
		if r.HandedBack {
			res.Stopped = "deadline"
			break
		}
	}
	if f.metrics != nil {
		if err := f.metrics.Flush(ctx); err != nil {
			f.log.WarnContext(ctx, "write queue metrics", slog.String("error", err.Error()))
		}
	}
	f.log.InfoContext(ctx, "drain ended", slog.Int("jobs", len(res.Jobs)), slog.String("stopped", res.Stopped), slog.Int("swept", res.Swept))
	if leaseErr != nil {
		// The jobs run so far are recorded; the error makes the invocation fail visibly
		// (CloudWatch's Errors metric), and the next minute's drain tries again.
		return res, leaseErr
	}
	return res, nil
}

// serveHTTP serves one API Gateway HTTP API request with the API's handler, then writes the
// request counts (usage metering) and waits for the job dispatches the request started: the
// execution environment may be frozen as soon as the answer is returned.
func (f *function) serveHTTP(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	resp, err := f.http.ProxyWithContext(ctx, req)
	if ferr := f.api.Close(context.WithoutCancel(ctx)); ferr != nil {
		f.log.WarnContext(ctx, "write request usage", slog.String("error", ferr.Error()))
	}
	if f.send != nil {
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if werr := f.send.Wait(wctx); werr != nil && !errors.Is(werr, context.DeadlineExceeded) {
			f.log.WarnContext(ctx, "job dispatch", slog.String("error", werr.Error()))
		}
	}
	return resp, err
}
