package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/paramstore"
	"github.com/wellbase/wellbase/internal/ssmtest"
	"github.com/wellbase/wellbase/internal/testlog"
	"github.com/wellbase/wellbase/internal/testservers"
)

// TestLambdaEndToEnd runs the job function (cmd/wellbase-lambda, built as a bootstrap for this
// machine) under the Lambda runtime interface emulator, on the production drivers against real
// servers: its environment holds only locations (the database URL is the database-url secret in
// SSM Parameter Store, files on S3, the root key in KMS). serve runs on the same stores with no
// job worker of its own (--workers 0) and sends queued jobs to the function (--job-function).
//
// A petrophysics job posted through the API is run by the function (its log line names the
// Lambda as the lease owner) and its derived log reads back; a decline fit on production
// imported through the API, whose dispatch is lost, is run by the scheduled drain; a job event
// for a finished job runs nothing; the API answers API Gateway HTTP API events; an unknown event
// is an error naming its members.
//
// The emulator has no event queue: an asynchronous invoke (InvocationType Event) runs the
// function at once and answers when it is done, with 200 and the function's result rather than
// Lambda's immediate 202. Lambda's own retries of failed asynchronous runs, throttling and the
// EventBridge rule cannot be tried here.
func TestLambdaEndToEnd(t *testing.T) {
	testservers.LambdaRIE(t)
	mongoURL := testservers.MongoDBURL(t)
	s3URL := testservers.S3URL(t)
	kmsURL := testservers.KMSURL(t)
	las, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "data", "las", "volve", "15-9-19_SR_COMP.LAS"))
	if err != nil {
		t.Skipf("shared data absent (%v): the end-to-end test reads ../shared/data", err)
	}
	ctx := context.Background()
	id := wellbase.NewID("e")
	suffix := strings.ToLower(id[len(id)-8:])
	dbName := "wblambda_" + suffix
	t.Cleanup(func() { dropDatabase(t, mongoURL, dbName) })
	kmsEndpoint, _ := testservers.KMS(t)
	ssmEndpoint, _ := ssmtest.Start(t, kmsEndpoint)
	secretsURL := "awsparamstore:///wellbase/lambda-" + suffix + "?region=" + testservers.Region + "&endpoint=" + ssmEndpoint
	u, _ := url.Parse(secretsURL)
	ps, err := paramstore.OpenURL(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	if err := ps.Put(ctx, "database-url", []byte(mongoURL+"/"+dbName)); err != nil {
		t.Fatal(err)
	}

	// The function's environment: Wellbase's locations, and what Lambda itself provides (region,
	// function name, timeout; the credentials of the function's role reach the AWS SDK's default
	// chain; here from the test servers' shared credentials file).
	bootstrap := testservers.BuildLambda(t, filepath.Join("..", ".."), "./cmd/wellbase-lambda")
	env := []string{
		"WELLBASE_SECRETS=" + secretsURL,
		"WELLBASE_FILES=" + s3URL,
		"WELLBASE_ROOT_KEY=" + kmsURL,
		"WELLBASE_METRICS_NAMESPACE=Wellbase/e2e",
		"AWS_REGION=" + testservers.Region,
		"AWS_LAMBDA_FUNCTION_NAME=wellbase-jobs",
		"AWS_LAMBDA_FUNCTION_TIMEOUT=120",
		"AWS_SHARED_CREDENTIALS_FILE=" + os.Getenv("AWS_SHARED_CREDENTIALS_FILE"),
		"AWS_CONFIG_FILE=" + os.Getenv("AWS_CONFIG_FILE"),
		"AWS_EC2_METADATA_DISABLED=true",
		"TMPDIR=" + t.TempDir(),
	}
	fn := testservers.StartLambda(t, bootstrap, env)

	var serveLogs testlog.Buffer
	dir := t.TempDir()
	m := &Main{Config: Config{DataDir: dir, Addr: "127.0.0.1:0", Files: s3URL, RootKey: kmsURL, Secrets: secretsURL,
		JobFunction: "awslambda:///function?region=" + testservers.Region + "&endpoint=" + fn.Endpoint},
		Workers: NoWorkers, Logger: slog.New(wellbase.ContextLogHandler(slog.NewJSONHandler(&serveLogs, nil))),
		// The emulator answers an asynchronous invoke once the job has run, cold start included.
		DispatchTimeout: 3 * time.Minute}
	c := startMain(t, m)
	var out bytes.Buffer
	if err := run(ctx, []string{"operator", "create", "--data-dir", dir, "--email", "ops@example.com",
		"--secrets", secretsURL, "--files", s3URL, "--root-key", kmsURL}, &out, &serveLogs); err != nil {
		t.Fatalf("operator create: %v", err)
	}
	op := strings.TrimSpace(out.String())
	tenant := "acme-" + suffix
	token := c.json(201, "POST", "/api/v1/tenants", op, map[string]any{"id": tenant, "name": "Acme", "admin_email": "a@acme.example"})["admin_token"].(string)

	// Petrophysics: queued through the API, sent to the function, run there.
	logID := c.json(201, "POST", "/api/v1/logs?name=15-9-19_SR_COMP.LAS", token, las)["id"].(string)
	job := c.json(202, "POST", "/api/v1/jobs", token, map[string]any{"type": "petrophysics", "params": map[string]any{"log": logID}})
	jobID := job["id"].(string)
	done := c.waitJob(token, jobID)
	if done["status"] != "succeeded" || done["attempts"] != 1.0 {
		t.Fatalf("petrophysics job: %v\nfunction output:\n%s", done, fn.Logs())
	}
	// The job is marked succeeded before the function logs its end: wait for the line.
	ended := waitLogLine(t, fn.Logs, `"msg":"job ended"`, jobID)
	if w, _ := ended["worker"].(string); !strings.HasPrefix(w, "lambda:wellbase-jobs/") || ended["status"] != "succeeded" {
		t.Errorf("the function's log of the job: %v", ended)
	}
	if err := m.Dispatcher.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	logLine(t, serveLogs.String(), `"msg":"job dispatched"`, jobID)
	derived := done["result"].(map[string]any)["log_id"].(string)
	var vsh struct{ Values []*float64 }
	json.Unmarshal(c.call(200, "GET", "/api/v1/logs/"+derived+"/curves/VSH", token, nil), &vsh)
	if len(vsh.Values) != 29754 {
		t.Fatalf("derived VSH has %d values", len(vsh.Values))
	}
	readable := 0
	for _, v := range vsh.Values {
		if v != nil && *v >= 0 && *v <= 1 {
			readable++
		}
	}
	if readable < 1000 {
		t.Errorf("derived VSH has %d values in [0, 1]", readable)
	}
	// A job event for the finished job: refused, nothing run.
	status, body := fn.Invoke(t, []byte(fmt.Sprintf(`{"job":{"tenant":%q,"id":%q}}`, tenant, jobID)))
	var again struct {
		Ran    bool
		Reason string
	}
	if json.Unmarshal(body, &again); status != 200 || again.Ran || !strings.Contains(again.Reason, "already succeeded") {
		t.Errorf("job event for a finished job: %d %s", status, body)
	}

	// Decline fit: production imported through the API, the job's dispatch lost (as an
	// asynchronous invoke can be), run by the scheduled drain.
	var csv strings.Builder
	csv.WriteString("date,well,period,oil[Sm3]\n")
	for i := range 24 {
		fmt.Fprintf(&csv, "%s,LAMBDA-A1,month,%.0f\n", time.Date(2016, time.Month(i+1), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), 30000*float64(24-i))
	}
	imp := c.json(201, "POST", "/api/v1/production?format=csv", token, []byte(csv.String()))
	if imp["rows_stored"] != 24.0 {
		t.Fatalf("production import: %v", imp)
	}
	well := imp["wells"].([]any)[0].(map[string]any)["id"].(string)
	// Another API task on the same stores whose invoke is lost: one without a job function.
	lost := startMain(t, &Main{Config: Config{DataDir: t.TempDir(), Addr: "127.0.0.1:0", Files: s3URL, RootKey: kmsURL, Secrets: secretsURL},
		Workers: NoWorkers, Logger: slog.New(slog.DiscardHandler)})
	fit := lost.json(202, "POST", "/api/v1/jobs", token, map[string]any{"type": "decline-fit", "params": map[string]any{"well": well, "model": "auto"}})
	if got := c.json(200, "GET", "/api/v1/jobs/"+fit["id"].(string), token, nil); got["status"] != "queued" {
		t.Fatalf("decline fit before the drain: %v", got)
	}
	status, body = fn.Invoke(t, []byte(`{"version":"0","id":"c4f3e2d1-0000-4000-8000-000000000001","detail-type":"Scheduled Event","source":"aws.events",`+
		`"account":"123456789012","time":"2026-12-06T12:00:00Z","region":"us-east-1","resources":["arn:aws:events:us-east-1:123456789012:rule/wellbase-drain"],"detail":{}}`))
	var drained struct {
		Jobs    []struct{ Job, Status string }
		Stopped string
	}
	if err := json.Unmarshal(body, &drained); err != nil || status != 200 || len(drained.Jobs) != 1 || drained.Jobs[0].Job != fit["id"] ||
		drained.Jobs[0].Status != "succeeded" || drained.Stopped != "empty" {
		t.Fatalf("scheduled drain: %d %s", status, body)
	}
	fitDone := c.json(200, "GET", "/api/v1/jobs/"+fit["id"].(string), token, nil)
	forecast := fitDone["result"].(map[string]any)["forecast_id"].(string)
	if f := c.json(200, "GET", "/api/v1/forecasts/"+forecast, token, nil); f["eur"] == nil || f["model"] == nil {
		t.Errorf("forecast %v", f)
	}

	// The API through API Gateway HTTP API events.
	httpEvent := func(path, token string) events.APIGatewayV2HTTPResponse {
		t.Helper()
		req := events.APIGatewayV2HTTPRequest{Version: "2.0", RouteKey: "$default", RawPath: path, Headers: map[string]string{},
			RequestContext: events.APIGatewayV2HTTPRequestContext{DomainName: "api.example.com", Stage: "$default", RequestID: "req-" + suffix,
				HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET", Path: path, Protocol: "HTTP/1.1", SourceIP: "203.0.113.9"}}}
		if token != "" {
			req.Headers["authorization"] = "Bearer " + token
		}
		b, _ := json.Marshal(req)
		status, body := fn.Invoke(t, b)
		var resp events.APIGatewayV2HTTPResponse
		if err := json.Unmarshal(body, &resp); err != nil || status != 200 {
			t.Fatalf("GET %s as an API Gateway event: %d %s", path, status, body)
		}
		return resp
	}
	if r := httpEvent("/healthz", ""); r.StatusCode != 200 {
		t.Errorf("GET /healthz through the function: %d %s", r.StatusCode, r.Body)
	}
	r := httpEvent("/api/v1/wells", token)
	if r.StatusCode != 200 || !strings.Contains(r.Body, well) || !strings.Contains(r.Body, "LAMBDA-A1") {
		t.Errorf("GET /api/v1/wells through the function: %d %s", r.StatusCode, r.Body)
	}
	if r := httpEvent("/api/v1/wells", ""); r.StatusCode != 401 {
		t.Errorf("GET /api/v1/wells through the function without a token: %d", r.StatusCode)
	}

	// An event of no known kind fails the invocation, naming its members.
	status, body = fn.Invoke(t, []byte(`{"Records":[{"eventSource":"aws:sqs"}]}`))
	if !strings.Contains(string(body), "errorMessage") || !strings.Contains(string(body), "Records") {
		t.Errorf("unknown event: %d %s", status, body)
	}

	// Metrics: the function's EMF lines (per job, and the queue after the drain).
	logs := fn.Logs()
	if !strings.Contains(logs, `"Service":"jobs-lambda"`) || !strings.Contains(logs, `"JobsSucceeded":1`) || !strings.Contains(logs, `"QueueDepth":0`) {
		t.Errorf("no job metrics in the function's output:\n%s", logs)
	}
	// Cold start: the emulator's init phase (process start to the first request for an event)
	// and, within it, the function's opening of the stores (secret, database, KMS and S3 checks).
	if mm := regexp.MustCompile(`INIT REPORT\(durationMs: ([0-9.]+)\)`).FindStringSubmatch(logs); mm != nil {
		ready := logLine(t, logs, `"msg":"wellbase-lambda ready"`, "")
		t.Logf("cold start: init phase %s ms, of which opening the stores %v ms", mm[1], ready["init_ms"])
	}
	if strings.Contains(logs, "hunter2") || strings.Contains(logs, mongoURL+"/"+dbName) {
		t.Error("the database URL from the secret store appears in the function's logs")
	}
}

// logLine returns the first JSON log line of logs that contains marker and has (if not "")
// must anywhere; it fails the test if there is none.
func logLine(t *testing.T, logs, marker, must string) map[string]any {
	t.Helper()
	if v := findLogLine(logs, marker, must); v != nil {
		return v
	}
	t.Fatalf("no log line with %s %s in:\n%s", marker, must, logs)
	return nil
}

// waitLogLine is logLine on the output logs returns, asked again until the line is there or
// 30 s have passed: a process may write it just after what the test waited for.
func waitLogLine(t *testing.T, logs func() string, marker, must string) map[string]any {
	t.Helper()
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if v := findLogLine(logs(), marker, must); v != nil {
			return v
		}
	}
	return logLine(t, logs(), marker, must)
}

// findLogLine returns the first JSON line of logs that contains marker and must, or nil.
func findLogLine(logs, marker, must string) map[string]any {
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, marker) && strings.Contains(line, must) {
			var v map[string]any
			if err := json.Unmarshal([]byte(line), &v); err == nil {
				return v
			}
		}
	}
	return nil
}
