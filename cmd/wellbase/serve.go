package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wellbase/wellbase/internal/files"
	"github.com/wellbase/wellbase/internal/httpapi"
	"github.com/wellbase/wellbase/internal/keyring"
	"github.com/wellbase/wellbase/internal/sqlite"
	"github.com/wellbase/wellbase/internal/tenancy"
)

// shutdownGrace is how long in-flight requests get to finish after SIGTERM; under the 10 s
// that ECS (and the acceptance check) allow before SIGKILL.
const shutdownGrace = 8 * time.Second

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	var cfg Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.bind(fs, true)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve: unexpected argument %q", fs.Arg(0))
	}
	m := &Main{Config: cfg}
	if err := m.Open(ctx); err != nil {
		return err
	}
	m.Logger.Info("wellbase serving", slog.String("addr", m.Addr()), slog.String("data_dir", m.Config.DataDir),
		slog.String("database", redact(m.Config.Database)), slog.String("files", redact(m.Config.Files)), slog.String("version", version))
	errc := make(chan error, 1)
	go func() { errc <- m.Serve() }()
	select {
	case err := <-errc:
		m.Close(context.Background())
		return err
	case <-ctx.Done():
	}
	m.Logger.Info("shutting down: no new connections, finishing in-flight requests", slog.Duration("grace", shutdownGrace))
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

// Main is a running Wellbase server: its stores, API and listener. Tests start it on :0.
type Main struct {
	Config Config
	Logger *slog.Logger

	Store   *sqlite.DB
	Keys    *keyring.Keyring
	Files   *files.Store
	API     *httpapi.Server
	http    *http.Server
	ln      net.Listener
	stopBkg context.CancelFunc
}

// Open opens the stores, builds the API and starts listening (but not serving).
func (m *Main) Open(ctx context.Context) (err error) {
	if err := m.Config.resolve(); err != nil {
		return err
	}
	if m.Logger == nil {
		if m.Logger, err = m.Config.logger(); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(m.Config.DataDir, 0o700); err != nil {
		return fmt.Errorf("create data dir: %w", err)
	}
	defer func() {
		if err != nil {
			m.closeStores()
		}
	}()
	if m.Store, err = openStore(ctx, m.Config); err != nil {
		return err
	}
	if m.Keys, err = keyring.Open(ctx, m.Config.RootKey, m.Config.DataDir); err != nil {
		return fmt.Errorf("open root key: %w", err)
	}
	if m.Files, err = files.Open(ctx, m.Config.Files); err != nil {
		return err
	}
	onboarder := &tenancy.Onboarder{
		Store: m.Store,
		NewWrappedDataKey: func(ctx context.Context, tenant string) ([]byte, error) {
			_, wrapped, err := m.Keys.NewDataKey(ctx, tenant)
			return wrapped, err
		},
		CreateFilePrefix: m.Files.CreateTenantPrefix,
	}
	reg := prometheus.NewRegistry()
	m.API = httpapi.New(httpapi.Config{Store: m.Store, Onboarder: onboarder, Logger: m.Logger, Registry: reg})
	bctx, cancel := context.WithCancel(context.Background())
	m.stopBkg = cancel
	m.API.Start(bctx)
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
	return nil
}

// openStore opens the database named by the config's URL.
func openStore(ctx context.Context, cfg Config) (*sqlite.DB, error) {
	db, err := sqlite.Open(ctx, cfg.Database)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", redact(cfg.Database), err)
	}
	return db, nil
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

// Close stops accepting connections, waits for in-flight requests until ctx ends, writes the
// pending usage counts and closes the stores.
func (m *Main) Close(ctx context.Context) error {
	var errs []error
	if m.http != nil {
		if err := m.http.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("drain requests: %w", err))
		}
	}
	if m.stopBkg != nil {
		m.stopBkg()
	}
	if m.API != nil {
		if err := m.API.Close(ctx); err != nil {
			errs = append(errs, fmt.Errorf("flush usage: %w", err))
		}
	}
	errs = append(errs, m.closeStores())
	return errors.Join(errs...)
}

func (m *Main) closeStores() error {
	var errs []error
	if m.Files != nil {
		errs = append(errs, m.Files.Close())
	}
	if m.Keys != nil {
		errs = append(errs, m.Keys.Close())
	}
	if m.Store != nil {
		errs = append(errs, m.Store.Close())
	}
	return errors.Join(errs...)
}
