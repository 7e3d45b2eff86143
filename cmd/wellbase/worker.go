package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
)

// worker runs `wellbase worker`: job workers without the API, on the same database and file
// store as serve. On SIGTERM it takes no new job, gives the jobs in hand shutdownGrace to
// finish, hands the rest back to the queue and exits 0.
func worker(ctx context.Context, args []string, stderr io.Writer) error {
	var cfg Config
	var concurrency int
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.bind(fs, false)
	fs.IntVar(&concurrency, "concurrency", 2, "jobs run at once")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if concurrency < 1 || concurrency > 64 {
		return fmt.Errorf("worker: --concurrency must be from 1 to 64, got %d", concurrency)
	}
	if err := cfg.resolve(); err != nil {
		return err
	}
	log, err := cfg.logger()
	if err != nil {
		return err
	}
	var app App
	if err := app.open(ctx, cfg, log); err != nil {
		return err
	}
	defer app.close()
	g := app.startWorkers(log, concurrency)
	log.Info("wellbase worker started", slog.Int("concurrency", concurrency), slog.String("database", app.DatabaseName))
	<-ctx.Done()
	log.Info("worker stopping: no new jobs, finishing jobs in hand", slog.String("grace", shutdownGrace.String()))
	dctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	g.stop(dctx)
	log.Info("worker stopped")
	return nil
}
