package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/testlog"
	"github.com/wellbase/wellbase/internal/testservers"
)

// startMain opens m on :0 and serves it until the test ends.
func startMain(t *testing.T, m *Main) client {
	t.Helper()
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- m.Serve() }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		m.Close(ctx)
		<-served
	})
	return client{t: t, base: "http://" + m.Addr()}
}

// onboard creates an operator and tenant acme with a well; it returns the owner's token and
// the well's ID.
func onboard(t *testing.T, c client, dataDir string, extra ...string) (token, well string) {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), append([]string{"operator", "create", "--data-dir", dataDir, "--email", "ops@example.com"}, extra...), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	op := strings.TrimSpace(out.String())
	token = c.json(201, "POST", "/api/v1/tenants", op, map[string]any{"id": "acme", "name": "Acme", "admin_email": "a@acme.example"})["admin_token"].(string)
	well = c.json(201, "POST", "/api/v1/wells", token, map[string]any{"name": "W-1"})["id"].(string)
	return token, well
}

func TestServeFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--workers", "-1"}, {"--workers", "65"}, {"--job-function", "lambda:///x"}} {
		err := serve(context.Background(), append([]string{"--data-dir", t.TempDir(), "--addr", "127.0.0.1:0"}, args...), io.Discard)
		if err == nil {
			t.Errorf("serve %v: no error", args)
		}
	}
	err := worker(context.Background(), []string{"--data-dir", t.TempDir(), "--job-types", "decline-fit,nope"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `"nope"`) || !strings.Contains(err.Error(), "known:") {
		t.Errorf("worker with an unknown job type: %v", err)
	}
}

// TestDispatchFailureKeepsTheJob: serve with no workers (--workers 0) and a job function that
// cannot be reached: the job is still accepted (202), the failed dispatch is a warning naming
// the job, and the job waits in the queue, untouched, for the scheduled drain.
func TestDispatchFailureKeepsTheJob(t *testing.T) { // not parallel: AWS credentials in the environment
	testservers.UseTestCredentials(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := l.Addr().String()
	l.Close()
	dir := t.TempDir()
	var logs testlog.Buffer
	m := &Main{Config: Config{DataDir: dir, Addr: "127.0.0.1:0", JobFunction: "awslambda:///wellbase-jobs?region=us-east-1&endpoint=http://" + dead},
		Workers: NoWorkers, Logger: slog.New(wellbase.ContextLogHandler(slog.NewJSONHandler(&logs, nil)))}
	c := startMain(t, m)
	if m.workers != nil {
		t.Fatal("serve with no workers started workers")
	}
	token, well := onboard(t, c, dir)
	j := c.json(202, "POST", "/api/v1/jobs", token, map[string]any{"type": "decline-fit", "params": map[string]any{"well": well}})
	id := j["id"].(string)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := m.Dispatcher.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	var warned map[string]any
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "job not dispatched") && strings.Contains(line, id) {
			json.Unmarshal([]byte(line), &warned)
		}
	}
	if warned["level"] != "WARN" || !strings.Contains(warned["error"].(string), "wellbase-jobs") || warned["request_id"] == nil {
		t.Errorf("dispatch warning %v", warned)
	}
	got := c.json(200, "GET", "/api/v1/jobs/"+id, token, nil)
	if got["status"] != "queued" || got["attempts"] != 0.0 {
		t.Errorf("job after a failed dispatch with no workers: %v", got)
	}
}

// TestServeMetrics: serve with --metrics-namespace writes its job counters and the queue's
// statistics as EMF lines (Service=api), the last ones at shutdown.
func TestServeMetrics(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var metrics testlog.Buffer
	m := &Main{Config: Config{DataDir: dir, Addr: "127.0.0.1:0", MetricsNamespace: "Wellbase/test"}, MetricsOut: &metrics,
		Logger: slog.New(slog.DiscardHandler)}
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- m.Serve() }()
	c := client{t: t, base: "http://" + m.Addr()}
	token, _ := onboard(t, c, dir)
	// A job that fails for good at once (its log does not exist): counted as JobsFailed.
	job, err := m.Queue.Enqueue(context.Background(), "acme", "petrophysics", []byte(`{"log":"log_nope"}`), "user:t")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.waitJob(token, job.ID); got["status"] != "failed" {
		t.Fatalf("job %v", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := m.Close(ctx); err != nil {
		t.Fatal(err)
	}
	<-served
	var failed float64
	var depth *float64
	for _, line := range strings.Split(strings.TrimSpace(metrics.String()), "\n") {
		var d map[string]any
		if err := json.Unmarshal([]byte(line), &d); err != nil || d["_aws"] == nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		if d["Service"] != "api" {
			t.Errorf("Service %v", d["Service"])
		}
		f, _ := d["JobsFailed"].(float64)
		failed += f
		if v, ok := d["QueueDepth"].(float64); ok {
			depth = &v
		}
	}
	if failed != 1 || depth == nil || *depth != 0 {
		t.Errorf("metrics: %v failed, depth %v; want 1 and 0:\n%s", failed, depth, metrics.String())
	}
}
