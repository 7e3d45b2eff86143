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
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/app"
	"github.com/wellbase/wellbase/internal/awslambda"
	"github.com/wellbase/wellbase/internal/httpapi"
	"github.com/wellbase/wellbase/internal/jobs"
)

// shutdownGrace is how long in-flight requests get to finish after SIGTERM; under the 10 s
// that ECS (and the acceptance check) allow before SIGKILL.
const shutdownGrace = 8 * time.Second

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
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve: unexpected argument %q", fs.Arg(0))
	}
	if workers < 0 || workers > 64 {
		return fmt.Errorf("serve: --workers must be from 0 to 64, got %d", workers)
	}
	m := &Main{Config: cfg, Workers: workers}
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
	m.Logger.Info("shutting down: no new connections, finishing in-flight requests", slog.String("grace", shutdownGrace.String()))
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := m.Close(sctx)
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
		Logger: m.Logger, Registry: reg})
	bctx, cancel := context.WithCancel(context.Background())
	m.stopBkg = cancel
	m.API.Start(bctx)
	go m.sweepOffboarded(bctx)
	if m.Metrics != nil {
		go m.Metrics.Run(bctx, app.MetricsInterval)
	}
	go m.sweepStaged(bctx)
	m.http = &http.Server{
		Handler:           m.API,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
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

// Addr returns the address the server listens on.
func (m *Main) Addr() string { return m.ln.Addr().String() }

// Serve serves until Close; it returns nil after a graceful Close.
func (m *Main) Serve() error {
	if err := m.http.Serve(m.ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Close stops accepting connections, waits for in-flight requests until ctx ends, stops the job
// workers (handing back jobs not finished by then), waits for the job dispatches under way,
// writes the pending usage counts and metrics and closes the stores.
func (m *Main) Close(ctx context.Context) error {
	var errs []error
	if m.http != nil {
		if err := m.http.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("drain requests: %w", err))
		}
	}
	// Jobs in hand get what is left of ctx to finish, then go back to the queue.
	m.workers.Stop(ctx)
	if m.Dispatcher != nil {
		if err := m.Dispatcher.Wait(ctx); err != nil {
			m.Logger.Warn("job dispatches still under way at shutdown; the scheduled drain will run those jobs")
		}
	}
	if m.stopBkg != nil {
		m.stopBkg()
	}
	if m.Metrics != nil {
		if err := m.Metrics.Flush(ctx); err != nil {
			m.Logger.Warn("write job metrics", slog.String("error", err.Error()))
		}
	}
	if m.API != nil {
		if err := m.API.Close(ctx); err != nil {
			errs = append(errs, fmt.Errorf("flush usage: %w", err))
		}
	}
	errs = append(errs, m.App.Close())
	return errors.Join(errs...)
}
