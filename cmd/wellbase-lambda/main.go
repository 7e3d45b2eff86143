// Command wellbase-lambda is Wellbase's function on AWS Lambda (runtime provided.al2023, arm64):
// the short job types (app.LambdaJobTypes: decline-fit, petrophysics) run by the same handlers,
// on the same stores and the same queue as `wellbase serve` and `wellbase worker`, and,
// optionally, the API behind API Gateway for small deployments without ECS. Built with
//
//	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -o bootstrap ./cmd/wellbase-lambda
//
// (`make lambda` makes bin/lambda/bootstrap and the deployable bin/wellbase-lambda.zip).
//
// # Events
//
// One handler takes every event and tells them apart by their members (see route):
//
//   - a job event, {"job":{"tenant":"acme","id":"job_…"}}, sent by serve (--job-function) as an
//     asynchronous invoke when a job of a Lambda type is queued: the function runs that one job
//     if it can still claim it (queued and due, its tenant active and within its concurrent_jobs
//     limit), through the store's ClaimJob compare-and-set that every worker uses; otherwise it
//     answers why and runs nothing. A job seen by a worker and by the function runs once.
//   - an EventBridge scheduled event ("source":"aws.events", "detail-type":"Scheduled Event"),
//     every minute: the offboarding sweep once, then a drain of the queue's Lambda-type jobs
//     (lease → run → next) until none is runnable or too little time is left. It catches the job
//     events that were lost (an asynchronous invoke can be throttled or fail) and the retries,
//     which are due later (backoff) and are sent by nobody.
//   - an API Gateway HTTP API (payload version 2.0) event: served by the API's handler
//     (internal/httpapi) through aws-lambda-go-api-proxy.
//
// Anything else is an error naming the event's top-level members.
//
// A job whose handler still runs when the invocation's deadline is near is handed back to the
// queue, as a worker does at SIGTERM, so that the next drain or a worker takes it at once.
//
// # Configuration
//
// Environment variables only, locations, never secrets (as for serve, see internal/app):
// WELLBASE_SECRETS (awsparamstore:///<prefix>?region=…, which holds the database-url secret;
// or WELLBASE_DATABASE), WELLBASE_FILES (s3://…), WELLBASE_ROOT_KEY (awskms:///alias/…),
// optionally WELLBASE_METRICS_NAMESPACE, WELLBASE_LOG_LEVEL and WELLBASE_JOB_FUNCTION (the
// function's own name, so that jobs queued through its API start at once). The stores are
// opened once per execution environment (cold start), not per invocation. Logs are JSON lines on
// stdout, which Lambda sends to CloudWatch Logs; metrics, if on, are Embedded Metric Format lines
// there too (Service=jobs-lambda).
package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/wellbase/wellbase/internal/app"
)

// version is set at build time with -ldflags "-X main.version=…" (make lambda); app.Version
// falls back to what go build recorded.
var version string

func main() {
	start := time.Now()
	ctx := context.Background()
	f, err := openFunction(ctx, os.Stdout)
	if err != nil {
		// Logged as JSON for CloudWatch, then a non-zero exit: Lambda reports an init error
		// (Runtime.ExitError) and tries a new execution environment at the next invoke.
		slog.New(slog.NewJSONHandler(os.Stdout, nil)).Error("wellbase-lambda cannot start", slog.String("error", err.Error()))
		os.Exit(1)
	}
	f.log.Info("wellbase-lambda ready", slog.String("version", app.Version(version)), slog.String("database", f.app.DatabaseName),
		slog.String("files", app.Redact(f.cfg.Files)), slog.Float64("init_ms", float64(time.Since(start).Microseconds())/1000))
	lambda.Start(f.Handle)
}
