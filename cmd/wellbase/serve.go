package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/app"
	"github.com/wellbase/wellbase/internal/awslambda"
	"github.com/wellbase/wellbase/internal/httpapi"
	"github.com/wellbase/wellbase/internal/jobs"
)

// Shutdown on SIGTERM (see serve): /readyz turns 503 at once and requests are still served for
// the drain delay, so that a balancer that learns from the health check (haproxy's inter, an
// ALB's 10 s interval) stops sending before the port closes, rather than meeting refused
// connections; ECS itself usually deregisters a task from its target group before the SIGTERM.
// Then the listener closes, and in-flight requests (uploads included) and in-process jobs get
// the shutdown grace to finish; what still runs then is cancelled (an upload leaves nothing
// behind: it is staged) and jobs are handed back. ECS sends SIGKILL after the task's
// stopTimeout (30 s for the API in deploy/terraform): 5 s + 20 s leaves 5 s to write the usage
// counts and close the stores. Where the timeout is shorter, the flags must sum under it.
const (
	DefaultDrainDelay    = 5 * time.Second
	DefaultShutdownGrace = 20 * time.Second
	// abortWait bounds the wait, after the grace, for cancelled requests to clean up.
	abortWait = 5 * time.Second
	// closeTimeout bounds writing the usage counts and metrics once requests and jobs are done.
	closeTimeout = 5 * time.Second
)

// asyncParseBytes: log uploads larger than this are stored at once and parsed by a job.
const asyncParseBytes = 64 << 20

// DefaultWorkers is the number of job workers serve runs in-process unless told otherwise.
const DefaultWorkers = 2

// Sweeps of what killed writes left (files.Store.SweepStaged, welllogs.Service.SweepOrphans):
// at start and then every sweepInterval, of what is older than stagedMaxAge. An upload of the
// largest file on a slow link finishes well within the hour, so a write still under way on
// another replica is never removed; it is also retire-keys' default --min-age, so a write
// begun with a key version about to be retired ends before that version is destroyed.
const (
	sweepInterval = 10 * time.Minute
	stagedMaxAge  = time.Hour
)

func serve(ctx context.Context, args []string, stdout io.Writer) error {
	var cfg Config
	var workers int
	fs := newFlags("serve", "serve [flags]", `Serves the API and runs job workers in-process, on embedded defaults unless flags or WELLBASE_*
variables name other stores: SQLite, files and a root key under --data-dir. Stops on SIGTERM or
SIGINT after in-flight requests finish.`, stdout)
	cfg.Bind(fs.FlagSet, true)
	cfg.BindJobs(fs.FlagSet, true)
	fs.IntVar(&workers, "workers", DefaultWorkers, "job workers run in-process; 0: none (on AWS the worker service and the Lambda function run the jobs)")
	graceFlag := bindShutdownGrace(fs.FlagSet, true)
	delayFlag := bindDuration(fs.FlagSet, "drain-delay", "WELLBASE_DRAIN_DELAY", DefaultDrainDelay,
		"after SIGTERM, the `duration` /readyz answers 503 while requests are still served, before the listener closes: about the balancer's health check interval (SIGINT skips it)")
	var reads ReadOptions
	reads.bind(fs.FlagSet)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve: unexpected argument %q", fs.Arg(0))
	}
	if err := reads.check(); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if workers < 0 || workers > 64 {
		return fmt.Errorf("serve: --workers must be from 0 to 64, got %d", workers)
	}
	grace, err := graceFlag.get(time.Hour)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	delay, err := delayFlag.get(5 * time.Minute)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	m := &Main{Config: cfg, Workers: workers, Reads: reads}
	if workers == 0 {
		m.Workers = NoWorkers
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	m.Logger.Info("wellbase serving", slog.String("addr", m.Addr()), slog.String("data_dir", m.Config.DataDir),
		slog.String("database", m.DatabaseName), slog.String("files", app.Redact(m.Config.Files)), slog.String("version", app.Version(version)),
		slog.Int("workers", max(m.Workers, 0)))
	errc := make(chan error, 1)
	go func() { errc <- m.Serve() }()
	select {
	case err := <-errc:
		m.Close(context.Background())
		return err
	case <-ctx.Done():
	}
	// Readiness off at once; the balancer needs the drain delay to notice. An interrupt (Ctrl-C
	// in a terminal) comes from no balancer: it skips the delay.
	m.Drain()
	if interrupted(ctx) {
		delay = 0
	}
	m.Logger.Info("shutting down: /readyz answers 503; serving until the drain delay ends, then finishing in-flight requests within the grace",
		slog.String("cause", context.Cause(ctx).Error()), slog.String("drain_delay", delay.String()), slog.String("grace", grace.String()))
	select {
	case err := <-errc:
		m.Close(context.Background())
		return err
	case <-time.After(delay):
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err = m.Close(sctx)
	if err != nil {
		m.Logger.Error("shutdown", slog.String("error", err.Error()))
	} else {
		m.Logger.Info("stopped")
	}
	return err
}

// NoWorkers as Main.Workers runs no job worker in the server (serve --workers 0).
const NoWorkers = -1

// Main is a running Wellbase server: its stores and services, API, in-process job workers and
// listener. Tests start it on :0.
type Main struct {
	Config Config
	Logger *slog.Logger
	// Workers is the number of in-process job workers: 0 means DefaultWorkers, NoWorkers none.
	Workers int
	// MetricsOut receives the job metrics when Config.MetricsNamespace is set; os.Stdout if nil.
	MetricsOut io.Writer
	// Reads configures the curve cache and load shedding (serve's flags; zero: the defaults).
	Reads ReadOptions
	// DispatchTimeout bounds one send of a job to Config.JobFunction (jobs.Dispatcher's
	// default, 10 s, if 0).
	DispatchTimeout time.Duration
	App

	API *httpapi.Server
	// Dispatcher sends queued jobs of the Lambda types to Config.JobFunction; nil without one.
	Dispatcher *jobs.Dispatcher
	// Metrics writes job and queue metrics; nil without Config.MetricsNamespace.
	Metrics *app.JobMetrics
	http    *http.Server
	ln      net.Listener
	stopBkg context.CancelFunc
	workers *app.WorkerGroup
	// cancelRequests cancels the context of every request (the grace has ended); inflight
	// counts the requests whose handlers run.
	cancelRequests context.CancelCauseFunc
	inflight       atomic.Int64
}

// Open opens the stores, builds the API, starts the job workers and starts listening (but not
// serving).
func (m *Main) Open(ctx context.Context) (err error) {
	if err := m.Config.Resolve(); err != nil {
		return err
	}
	if m.Logger == nil {
		if m.Logger, err = m.Config.Logger(os.Stdout); err != nil {
			return err
		}
	}
	if err := m.App.Open(ctx, m.Config); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			m.App.Close()
		}
	}()
	if m.Config.JobFunction != "" {
		// A queued job of a Lambda type is sent to the function as an asynchronous invoke once
		// it is stored, off the request path; the send never fails the request. A lost invoke,
		// and every retry (due later, after a backoff), is run by the function's scheduled
		// drain instead. The function claims the job with the workers' lease, so it runs once.
		fn, err := awslambda.Open(ctx, m.Config.JobFunction)
		if err != nil {
			return fmt.Errorf("--job-function (WELLBASE_JOB_FUNCTION): %w", err)
		}
		m.Dispatcher = &jobs.Dispatcher{Types: app.LambdaJobTypes, Log: m.Logger, Timeout: m.DispatchTimeout,
			Send: func(ctx context.Context, j *wellbase.Job) error { return fn.InvokeJob(ctx, j.TenantID, j.ID) }}
		m.Queue.OnEnqueue = m.Dispatcher.Notify
		m.Logger.Info("queued jobs are sent to the job function", slog.String("function", fn.Function()),
			slog.String("types", strings.Join(app.LambdaJobTypes, ",")))
	}
	if m.Config.MetricsNamespace != "" {
		out := m.MetricsOut
		if out == nil {
			out = os.Stdout
		}
		if m.Metrics, err = app.NewJobMetrics(out, m.Config.MetricsNamespace, app.ServiceAPI, m.Queue, nil, false, m.Logger); err != nil {
			return err
		}
	}
	reg := prometheus.NewRegistry()
	m.API = httpapi.New(httpapi.Config{Store: m.Store, Onboarder: m.Onboarder, Offboarder: m.Offboarder, Exporter: m.Exporter, RotateKey: m.RotateKey, Logs: m.Logs, Queue: m.Queue, JobTypes: m.JobTypes, AsyncParseBytes: asyncParseBytes,
		Logger: m.Logger, Registry: reg,
		CurveCacheBytes: m.Reads.CurveCacheBytes, CurveGzip: m.Reads.CurveGzip, MaxInFlight: m.Reads.MaxInFlight, QueueWait: m.Reads.QueueWait})
	bctx, cancel := context.WithCancel(context.Background())
	m.stopBkg = cancel
	m.API.Start(bctx)
	go m.sweepOffboarded(bctx)
	if m.Metrics != nil {
		go m.Metrics.Run(bctx, app.MetricsInterval)
	}
	go m.sweepStaged(bctx)
	go m.sweepIdempotencyKeys(bctx)
	// Requests run under their own base context, cancelled when the shutdown grace ends, so that
	// an upload cut off then stops and removes what it staged before the stores close.
	rctx, cancelRequests := context.WithCancelCause(context.Background())
	m.cancelRequests = cancelRequests
	m.http = &http.Server{
		Handler:           m.track(m.API),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return rctx },
	}
	if m.ln, err = net.Listen("tcp", m.Config.Addr); err != nil {
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	n := m.Workers
	if n == 0 {
		n = DefaultWorkers
	}
	wo := app.WorkerOptions{Concurrency: max(n, 0)}
	if m.Metrics != nil {
		wo.OnOutcome = m.Metrics.Observe
	}
	m.workers = m.App.StartWorkers(m.Logger, wo)
	return nil
}

// sweepOffboarded deletes, every minute, what writes under way during an offboarding left of
// the deleted tenants (tenancy.Offboarder.Sweep), until ctx ends.
func (m *Main) sweepOffboarded(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := m.Offboarder.Sweep(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			m.Logger.WarnContext(ctx, "sweep of offboarded tenants failed", slog.String("error", err.Error()))
		case n > 0:
			m.Logger.InfoContext(ctx, "swept leftovers of offboarded tenants", slog.Int("deleted", n))
		}
	}
}

// sweepStaged removes, at start and then every sweepInterval until ctx ends, what writes killed
// before they finished left in the file store: staged objects and incomplete uploads, and the
// objects of logs that were never recorded, older than stagedMaxAge.
func (m *Main) sweepStaged(ctx context.Context) {
	t := time.NewTicker(sweepInterval)
	defer t.Stop()
	for {
		sw, err := m.Files.SweepStaged(ctx, stagedMaxAge)
		if err == nil {
			err = m.sweepOrphans(ctx)
		}
		switch {
		case err != nil && ctx.Err() == nil:
			m.Logger.WarnContext(ctx, "sweep of staged files failed", slog.String("error", err.Error()))
		case sw.Objects > 0:
			m.Logger.InfoContext(ctx, "swept files left by writes that never finished", slog.Int("objects", sw.Objects), slog.Int64("bytes", sw.Bytes))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// sweepOrphans runs welllogs.Service.SweepOrphans for every tenant that is not deleted.
func (m *Main) sweepOrphans(ctx context.Context) error {
	for t, err := range wellbase.Each(ctx, m.Store.ListTenants) {
		if err != nil {
			return err
		}
		if t.Status == wellbase.TenantDeleted {
			continue
		}
		n, err := m.Logs.SweepOrphans(ctx, t.ID, stagedMaxAge)
		if err != nil {
			return fmt.Errorf("tenant %s: %w", t.ID, err)
		}
		if n > 0 {
			m.Logger.InfoContext(ctx, "swept objects of logs never recorded", slog.String("tenant", t.ID), slog.Int("logs", n))
		}
	}
	return nil
}

// sweepIdempotencyKeys deletes, every sweepInterval until ctx ends, the idempotency records
// past their 24 h and the claims of requests whose replica died (on MongoDB a TTL index deletes
// expired records too; every replica sweeping is harmless).
func (m *Main) sweepIdempotencyKeys(ctx context.Context) {
	t := time.NewTicker(sweepInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := m.Store.DeleteExpiredIdempotencyKeys(ctx, time.Now())
		switch {
		case err != nil && ctx.Err() == nil:
			m.Logger.WarnContext(ctx, "sweep of expired idempotency keys failed", slog.String("error", err.Error()))
		case n > 0:
			m.Logger.InfoContext(ctx, "swept expired idempotency keys", slog.Int("records", n))
		}
	}
}

// track counts the requests whose handlers run (inflight), for Close to wait for them.
func (m *Main) track(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.inflight.Add(1)
		defer m.inflight.Add(-1)
		h.ServeHTTP(w, r)
	})
}

// Drain begins the shutdown while the server still serves: /readyz answers 503 (the balancer
// stops sending requests), connections are closed after their current request, and the
// in-process workers take no new job.
func (m *Main) Drain() {
	if m.API != nil {
		m.API.Drain()
	}
	if m.http != nil {
		m.http.SetKeepAlivesEnabled(false)
	}
	m.workers.StopTaking()
}

// Addr returns the address the server listens on.
func (m *Main) Addr() string { return m.ln.Addr().String() }

// Serve serves until Close; it returns nil after a graceful Close.
func (m *Main) Serve() error {
	if err := m.http.Serve(m.ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Close stops accepting connections and, until ctx ends (the shutdown grace), lets in-flight
// requests and the jobs in hand finish, both at once. Requests still running then are cancelled
// — an upload removes what it staged, an Idempotency-Key claim is released — and waited for up
// to abortWait; jobs still running are handed back to the queue. Then, within closeTimeout
// whatever is left of ctx, it waits for the job dispatches under way, writes the pending usage
// counts and metrics and closes the stores. Requests cut off by the grace are logged, not an
// error: the shutdown went as configured, and their clients retry (with their Idempotency-Key).
func (m *Main) Close(ctx context.Context) error {
	var errs []error
	m.Drain() // if serve did not already
	jobsStopped := make(chan struct{})
	go func() {
		// Jobs in hand get until ctx ends to finish, then go back to the queue.
		m.workers.Stop(ctx)
		close(jobsStopped)
	}()
	if m.http != nil {
		if err := m.http.Shutdown(ctx); err != nil {
			m.Logger.Warn("shutdown grace ended with requests running: cancelling them", slog.Int64("requests", m.inflight.Load()))
			m.cancelRequests(httpapi.ErrServerStopping)
			m.http.Close() // closes their connections too
			if !m.waitRequests(abortWait) {
				m.Logger.Error("requests still running after being cancelled; closing the stores under them", slog.Int64("requests", m.inflight.Load()))
			}
		}
	}
	<-jobsStopped
	// The grace may be spent: what follows has its own time.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), closeTimeout)
	defer cancel()
	if m.Dispatcher != nil {
		if err := m.Dispatcher.Wait(fctx); err != nil {
			m.Logger.Warn("job dispatches still under way at shutdown; the scheduled drain will run those jobs")
		}
	}
	if m.stopBkg != nil {
		m.stopBkg()
	}
	if m.cancelRequests != nil {
		m.cancelRequests(httpapi.ErrServerStopping)
	}
	if m.Metrics != nil {
		if err := m.Metrics.Flush(fctx); err != nil {
			m.Logger.Warn("write job metrics", slog.String("error", err.Error()))
		}
	}
	if m.API != nil {
		if err := m.API.Close(fctx); err != nil {
			errs = append(errs, fmt.Errorf("flush usage: %w", err))
		}
	}
	errs = append(errs, m.App.Close())
	return errors.Join(errs...)
}

// waitRequests waits until no request handler runs, for at most d; false if some still run.
func (m *Main) waitRequests(d time.Duration) bool {
	deadline := time.Now().Add(d)
	for m.inflight.Load() > 0 {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}
