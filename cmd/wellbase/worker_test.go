package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/tenancy"
)

// TestWorkerCommand runs `wellbase worker --job-types decline-fit` on a data dir where a
// petrophysics job and then a decline-fit job wait: the worker runs the decline fit to success,
// leaves the older petrophysics job alone (not its type), then stops on its signal and returns
// without error.
func TestWorkerCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	cfg := Config{DataDir: dir, LogLevel: "error"}
	if err := cfg.Resolve(); err != nil {
		t.Fatal(err)
	}
	var app App
	if err := app.Open(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	_, err := app.Onboarder.Onboard(ctx, tenancy.Request{ID: "acme", Name: "Acme", AdminEmail: "a@acme.example"}, &wellbase.Principal{Operator: true, UserID: "opr_t"})
	if err != nil {
		t.Fatal(err)
	}
	ts := app.Store.Tenant("acme")
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
	other, err := app.Queue.Enqueue(ctx, "acme", "petrophysics", json.RawMessage(`{"log":"log_1"}`), "user:t")
	if err != nil {
		t.Fatal(err)
	}
	params, _ := json.Marshal(map[string]any{"well": well.ID, "model": "auto", "abandonment_rate": 10})
	j, err := app.Queue.Enqueue(ctx, "acme", "decline-fit", params, "user:t")
	if err != nil {
		t.Fatal(err)
	}
	app.Close()

	wctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	var stderr bytes.Buffer
	go func() {
		done <- worker(wctx, []string{"--data-dir", dir, "--log-level", "error", "--concurrency", "1", "--job-types", "decline-fit"}, &stderr)
	}()
	var app2 App
	if err := app2.Open(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	defer app2.Close()
	var got *wellbase.Job
	for range 600 {
		if got, err = app2.Store.Tenant("acme").GetJob(ctx, j.ID); err == nil && got.Status.Done() {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("worker returned %v: %s", err, stderr.String())
	}
	if got == nil || got.Status != wellbase.JobSucceeded {
		t.Fatalf("job %+v", got)
	}
	var result struct {
		ForecastID string `json:"forecast_id"`
	}
	json.Unmarshal(got.Result, &result)
	if _, err := app2.Store.Tenant("acme").GetForecast(ctx, result.ForecastID); err != nil {
		t.Errorf("forecast of the job's result: %v", err)
	}
	if o, err := app2.Store.Tenant("acme").GetJob(ctx, other.ID); err != nil || o.Status != wellbase.JobQueued || o.Attempts != 0 {
		t.Errorf("a job of a type the worker does not run: %+v, %v", o, err)
	}
	if err := worker(ctx, []string{"--concurrency", "0"}, io.Discard); err == nil {
		t.Error("--concurrency 0 accepted")
	}
}
