package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/wellbase/wellbase/internal/app"
)

// worker runs `wellbase worker`: job workers without the API, on the same database and file
// store as serve. --job-types restricts the types it leases: on AWS the ECS worker service runs
// the long types (app.LongJobTypes) and the Lambda function the short ones. On SIGTERM it takes
// no new job, gives the jobs in hand --shutdown-grace to finish, hands the rest back to the queue
// and exits 0.
func worker(ctx context.Context, args []string, stdout io.Writer) error {
	var cfg Config
	var concurrency int
	var typeList string
	fs := newFlags("worker", "worker [flags]", `Runs background job workers, without the API, on the same database and file store as serve.
On SIGTERM it takes no new job, lets the jobs in hand finish within the grace and hands the rest back.`, stdout)
	cfg.Bind(fs.FlagSet, false)
	cfg.BindJobs(fs.FlagSet, false)
	fs.IntVar(&concurrency, "concurrency", 2, "jobs run at once")
	graceFlag := bindShutdownGrace(fs.FlagSet, false)
	fs.StringVar(&typeList, "job-types", "", "comma-separated job types to run (default: all: "+strings.Join(app.AllJobTypes(), ",")+
		"); on AWS the worker service runs "+strings.Join(app.LongJobTypes(), ","))
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("worker: unexpected argument %q", fs.Arg(0))
	}
	if concurrency < 1 || concurrency > 64 {
		return fmt.Errorf("worker: --concurrency must be from 1 to 64, got %d", concurrency)
	}
	types, err := app.ParseJobTypes(typeList)
	if err != nil {
		return fmt.Errorf("worker: %w", err)
	}
	grace, err := graceFlag.get(time.Hour)
	if err != nil {
		return fmt.Errorf("worker: %w", err)
	}
	if err := cfg.Resolve(); err != nil {
		return err
	}
	log, err := cfg.Logger(os.Stdout)
	if err != nil {
		return err
	}
	var a App
	if err := a.Open(ctx, cfg); err != nil {
		return err
	}
	defer a.Close()
	wo := app.WorkerOptions{Concurrency: concurrency, Types: types}
	var metrics *app.JobMetrics
	if cfg.MetricsNamespace != "" {
		if metrics, err = app.NewJobMetrics(os.Stdout, cfg.MetricsNamespace, app.ServiceWorker, a.Queue, types, false, log); err != nil {
			return err
		}
		wo.OnOutcome = metrics.Observe
		mctx, stopMetrics := context.WithCancel(context.Background())
		defer stopMetrics()
		go metrics.Run(mctx, app.MetricsInterval)
	}
	g := a.StartWorkers(log, wo)
	shown := "all"
	if types != nil {
		shown = strings.Join(types, ",")
	}
	log.Info("wellbase worker started", slog.Int("concurrency", concurrency), slog.String("job_types", shown), slog.String("database", a.DatabaseName))
	<-ctx.Done()
	log.Info("worker stopping: no new jobs, finishing jobs in hand", slog.String("grace", grace.String()))
	dctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	g.Stop(dctx)
	if metrics != nil {
		// The grace may be spent: the last metrics get their own time.
		fctx, fcancel := context.WithTimeout(context.Background(), closeTimeout)
		defer fcancel()
		if err := metrics.Flush(fctx); err != nil {
			log.Warn("write job metrics", slog.String("error", err.Error()))
		}
	}
	log.Info("worker stopped")
	return nil
}
