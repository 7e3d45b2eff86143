// Package app is the wiring shared by the wellbase and wellbase-lambda binaries: the
// configuration (Config: every dependency a URL, from flags or WELLBASE_* environment
// variables), the stores and services opened from it (App), the job types and their handlers,
// which job types run on Lambda (LambdaJobTypes), and job metrics (JobMetrics). Both binaries
// open the stores the same way and run the same handlers on the same queue.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/files"
	"github.com/wellbase/wellbase/internal/httpapi"
	"github.com/wellbase/wellbase/internal/jobs"
	"github.com/wellbase/wellbase/internal/keyring"
	"github.com/wellbase/wellbase/internal/mongodb"
	"github.com/wellbase/wellbase/internal/sqlite"
	"github.com/wellbase/wellbase/internal/tenancy"
	"github.com/wellbase/wellbase/internal/welllogs"
)

// App is Wellbase's stores and services, wired from the configuration: what `serve`, `worker`,
// the CLI commands and the Lambda function share.
type App struct {
	// DatabaseName shows which database was opened, for logs (see Config.DatabaseName).
	DatabaseName string
	Store        wellbase.Store
	Keys         *keyring.Keyring
	Files        *files.Store
	DataKeys     *tenancy.DataKeys
	Onboarder    *tenancy.Onboarder
	// Offboarder deletes tenants; Exporter writes their export archives.
	Offboarder *tenancy.Offboarder
	Exporter   *tenancy.Exporter
	Logs       *welllogs.Service
	Queue      *jobs.Queue
	// JobTypes are the job types users may enqueue; JobHandlers run them.
	JobTypes    map[string]httpapi.JobType
	JobHandlers map[string]jobs.Handler
}

// Open opens the stores cfg (resolved) names — the database URL from the secret store when cfg
// names none or a secret:// reference — checks that the root key and the file store answer, and
// wires the services. On error, what was opened is closed.
func (a *App) Open(ctx context.Context, cfg Config) (err error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("create data dir: %w", err)
	}
	defer func() {
		if err != nil {
			a.Close()
		}
	}()
	if cfg, err = ResolveSecretRefs(ctx, cfg); err != nil {
		return err
	}
	a.DatabaseName = cfg.DatabaseName()
	if a.Store, err = OpenStore(ctx, cfg); err != nil {
		return err
	}
	if a.Keys, err = keyring.Open(ctx, cfg.RootKey, cfg.DataDir); err != nil {
		return err // keyring's errors name the root key
	}
	if a.Files, err = files.Open(ctx, cfg.Files); err != nil {
		return err
	}
	// A wrong KMS alias or bucket is found now, with a message naming it, not at the first
	// onboarding or upload.
	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := a.Keys.Check(cctx); err != nil {
		return err
	}
	if err := a.Files.Check(cctx); err != nil {
		return err
	}
	a.DataKeys = &tenancy.DataKeys{Store: a.Store, Unwrap: a.Keys.UnwrapDataKey}
	a.Onboarder = &tenancy.Onboarder{
		Store: a.Store,
		NewWrappedDataKey: func(ctx context.Context, tenant string) ([]byte, error) {
			_, wrapped, err := a.Keys.NewDataKey(ctx, tenant)
			return wrapped, err
		},
		CreateFilePrefix: a.Files.CreateTenantPrefix,
	}
	a.Offboarder = &tenancy.Offboarder{Store: a.Store, Files: a.Files, Keys: a.DataKeys, RootKeyID: a.Keys.ID()}
	a.Exporter = &tenancy.Exporter{Store: a.Store, Files: a.Files, Keys: a.DataKeys}
	a.Logs = &welllogs.Service{Store: a.Store, Files: a.Files, Keys: a.DataKeys}
	a.Queue = &jobs.Queue{Store: a.Store}
	a.JobTypes, a.JobHandlers = jobTypes(a)
	return nil
}

// Close closes the stores.
func (a *App) Close() error {
	var errs []error
	if a.Files != nil {
		errs = append(errs, a.Files.Close())
	}
	if a.Keys != nil {
		errs = append(errs, a.Keys.Close())
	}
	if a.Store != nil {
		errs = append(errs, a.Store.Close())
	}
	return errors.Join(errs...)
}

// WorkerGroup is job workers running until Stop.
type WorkerGroup struct {
	stopTaking context.CancelFunc
	drain      context.Context
	endDrain   context.CancelFunc
	done       chan struct{}
}

// WorkerOptions are the settings of StartWorkers.
type WorkerOptions struct {
	// Concurrency is the number of jobs run at once; 0 starts no worker (StartWorkers returns nil).
	Concurrency int
	// Types are the job types leased; nil: every type.
	Types []string
	// OnOutcome is called after each job run (JobMetrics.Observe).
	OnOutcome func(jobs.Outcome)
}

// StartWorkers runs job workers in this process, named <host>/<pid> in leases; nil if
// o.Concurrency is 0.
func (a *App) StartWorkers(log *slog.Logger, o WorkerOptions) *WorkerGroup {
	if o.Concurrency <= 0 {
		return nil
	}
	host, _ := os.Hostname()
	ctx, stopTaking := context.WithCancel(context.Background())
	drain, endDrain := context.WithCancel(context.Background())
	g := &WorkerGroup{stopTaking: stopTaking, drain: drain, endDrain: endDrain, done: make(chan struct{})}
	w := &jobs.Worker{Queue: a.Queue, Handlers: a.JobHandlers, ID: fmt.Sprintf("%s/%d", host, os.Getpid()), Concurrency: o.Concurrency,
		Types: o.Types, OnOutcome: o.OnOutcome, Log: log}
	go func() {
		w.Run(ctx, drain)
		close(g.done)
	}()
	return g
}

// StopTaking makes the workers take no new job; the jobs in hand run on. serve calls it at
// SIGTERM, when the drain begins. A nil group has nothing to stop.
func (g *WorkerGroup) StopTaking() {
	if g != nil {
		g.stopTaking()
	}
}

// Stop makes the workers take no new job and gives the jobs in hand until ctx ends; then they
// are handed back to the queue. A nil group is stopped at once.
func (g *WorkerGroup) Stop(ctx context.Context) {
	if g == nil {
		return
	}
	g.stopTaking()
	var once sync.Once
	go func() {
		select {
		case <-ctx.Done():
		case <-g.done:
		}
		once.Do(g.endDrain)
	}()
	<-g.done
	once.Do(g.endDrain)
}

// RotateKey gives tenant a new data key version and queues the re-encryption of its files.
func (a *App) RotateKey(ctx context.Context, tenant, actor string) (*tenancy.KeyRotation, error) {
	return tenancy.RotateTenantKey(ctx, a.Store, a.Keys, tenant, actor, a.Queue.Enqueue)
}

// scrub removes from msg every part of the secret URL raw that a driver might quote: the whole
// URL, its user info, host, path and each parameter value.
func scrub(msg, raw string) string {
	parts := []string{raw}
	if u, err := url.Parse(raw); err == nil {
		parts = append(parts, u.User.String(), u.Host, u.Path, u.RawQuery)
		if p, ok := u.User.Password(); ok {
			parts = append(parts, p)
		}
		for _, vs := range u.Query() {
			parts = append(parts, vs...)
		}
	}
	for _, p := range parts {
		if len(p) >= 3 {
			msg = strings.ReplaceAll(msg, p, "…")
		}
	}
	return msg
}

// OpenStore opens the database named by the config's URL: sqlite:// (the embedded default) or
// mongodb:// and mongodb+srv:// (MongoDB Atlas). cfg's secret:// references must be resolved
// (ResolveSecretRefs).
func OpenStore(ctx context.Context, cfg Config) (wellbase.Store, error) {
	var db wellbase.Store
	var err error
	switch {
	case strings.HasPrefix(cfg.Database, "mongodb://"), strings.HasPrefix(cfg.Database, "mongodb+srv://"):
		db, err = mongodb.Open(ctx, cfg.Database)
	default:
		db, err = sqlite.Open(ctx, cfg.Database)
	}
	if err != nil {
		if cfg.databaseSecret != "" {
			// The driver's message may quote the URL's parts; none of a secret may show.
			return nil, fmt.Errorf("open database %s: %s", cfg.DatabaseName(), scrub(err.Error(), cfg.Database))
		}
		return nil, fmt.Errorf("open database %s: %w", cfg.DatabaseName(), err)
	}
	return db, nil
}
