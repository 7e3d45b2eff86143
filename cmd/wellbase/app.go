package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"

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

// App is Wellbase's stores and services, wired from the configuration: what `serve` and
// `worker` share.
type App struct {
	Store     wellbase.Store
	Keys      *keyring.Keyring
	Files     *files.Store
	DataKeys  *tenancy.DataKeys
	Onboarder *tenancy.Onboarder
	// Offboarder deletes tenants; Exporter writes their export archives.
	Offboarder *tenancy.Offboarder
	Exporter   *tenancy.Exporter
	Logs       *welllogs.Service
	Queue      *jobs.Queue
	// JobTypes are the job types users may enqueue; JobHandlers run them.
	JobTypes    map[string]httpapi.JobType
	JobHandlers map[string]jobs.Handler
}

func (a *App) open(ctx context.Context, cfg Config, log *slog.Logger) (err error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("create data dir: %w", err)
	}
	defer func() {
		if err != nil {
			a.close()
		}
	}()
	if cfg, err = resolveSecretRefs(ctx, cfg); err != nil {
		return err
	}
	if a.Store, err = openStore(ctx, cfg); err != nil {
		return err
	}
	if a.Keys, err = keyring.Open(ctx, cfg.RootKey, cfg.DataDir); err != nil {
		return fmt.Errorf("open root key: %w", err)
	}
	if a.Files, err = files.Open(ctx, cfg.Files); err != nil {
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

func (a *App) close() error {
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

// workerGroup is job workers running until stop.
type workerGroup struct {
	stopTaking context.CancelFunc
	drain      context.Context
	endDrain   context.CancelFunc
	done       chan struct{}
}

// startWorkers runs concurrency job workers in this process.
func (a *App) startWorkers(log *slog.Logger, concurrency int) *workerGroup {
	host, _ := os.Hostname()
	ctx, stopTaking := context.WithCancel(context.Background())
	drain, endDrain := context.WithCancel(context.Background())
	g := &workerGroup{stopTaking: stopTaking, drain: drain, endDrain: endDrain, done: make(chan struct{})}
	w := &jobs.Worker{Queue: a.Queue, Handlers: a.JobHandlers, ID: fmt.Sprintf("%s/%d", host, os.Getpid()), Concurrency: concurrency, Log: log}
	go func() {
		w.Run(ctx, drain)
		close(g.done)
	}()
	return g
}

// stop makes the workers take no new job and gives the jobs in hand until ctx ends.
func (g *workerGroup) stop(ctx context.Context) {
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

// rotateKey gives tenant a new data key version and queues the re-encryption of its files.
func (a *App) rotateKey(ctx context.Context, tenant, actor string) (*tenancy.KeyRotation, error) {
	return tenancy.RotateTenantKey(ctx, a.Store, a.Keys, tenant, actor, a.Queue.Enqueue)
}

// openStore opens the database named by the config's URL: sqlite:// (the embedded default) or
// mongodb:// and mongodb+srv:// (MongoDB Atlas).
func openStore(ctx context.Context, cfg Config) (wellbase.Store, error) {
	var db wellbase.Store
	var err error
	switch {
	case strings.HasPrefix(cfg.Database, "mongodb://"), strings.HasPrefix(cfg.Database, "mongodb+srv://"):
		db, err = mongodb.Open(ctx, cfg.Database)
	default:
		db, err = sqlite.Open(ctx, cfg.Database)
	}
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", redact(cfg.Database), err)
	}
	return db, nil
}
