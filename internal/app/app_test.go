package app

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/jobs"
	"github.com/wellbase/wellbase/internal/sqlite/sqlitetest"
)

func TestJobTypes(t *testing.T) {
	t.Parallel()
	all := AllJobTypes()
	want := []string{"data-key-reencrypt", "decline-fit", "log-parse", "petrophysics", "tenant-export"}
	if !slices.Equal(all, want) {
		t.Errorf("AllJobTypes = %v, want %v", all, want)
	}
	if long := LongJobTypes(); !slices.Equal(long, []string{"data-key-reencrypt", "log-parse", "tenant-export"}) {
		t.Errorf("LongJobTypes = %v", long)
	}
	for _, typ := range LambdaJobTypes {
		if !slices.Contains(all, typ) {
			t.Errorf("Lambda job type %q has no handler", typ)
		}
	}
	for list, want := range map[string][]string{
		"":                                     nil,
		"decline-fit":                          {"decline-fit"},
		" log-parse , tenant-export,log-parse": {"log-parse", "tenant-export"},
	} {
		got, err := ParseJobTypes(list)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("ParseJobTypes(%q) = %v, %v; want %v", list, got, err, want)
		}
	}
	for _, bad := range []string{"decline-fit,nope", "decline-fit,", "Decline-Fit"} {
		_, err := ParseJobTypes(bad)
		if err == nil || !strings.Contains(err.Error(), "unknown job type") || !strings.Contains(err.Error(), "known: data-key-reencrypt") {
			t.Errorf("ParseJobTypes(%q) = %v", bad, err)
		}
	}
	if _, err := ParseJobTypes("nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("the unknown type is not named: %v", err)
	}
}

// metricsDocs parses the EMF lines of out.
func metricsDocs(t *testing.T, out string) []map[string]any {
	t.Helper()
	var docs []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var d map[string]any
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		if _, ok := d["_aws"].(map[string]any); !ok {
			t.Fatalf("metrics line without _aws: %s", line)
		}
		docs = append(docs, d)
	}
	return docs
}

// TestJobMetrics: outcomes are summed until Flush, which writes them with the queue's depth and
// the age of its oldest runnable job; then the counts start again from zero.
func TestJobMetrics(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := sqlitetest.Open(t)
	now := time.Now().UTC().Truncate(time.Millisecond)
	tn := &wellbase.Tenant{ID: "acme", Name: "Acme", Tier: wellbase.TierStandard, Status: wellbase.TenantActive, CreatedAt: now, UpdatedAt: now}
	if err := db.CreateTenant(ctx, tn); err != nil {
		t.Fatal(err)
	}
	clock := now
	q := &jobs.Queue{Store: db, Now: func() time.Time { return clock }}
	var out bytes.Buffer
	m, err := NewJobMetrics(&out, "Wellbase/test", ServiceWorker, q, []string{"decline-fit"}, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	q.Enqueue(ctx, "acme", "decline-fit", nil, "user:a")
	q.Enqueue(ctx, "acme", "log-parse", nil, "user:a") // not of the worker's types: not in its queue metrics
	clock = now.Add(90 * time.Second)
	j := &wellbase.Job{ID: "job_1", TenantID: "acme", Type: "decline-fit"}
	for _, o := range []jobs.Outcome{
		{Job: j, Status: wellbase.JobSucceeded, Duration: 1500 * time.Millisecond},
		{Job: j, Status: wellbase.JobSucceeded, Duration: 500 * time.Millisecond},
		{Job: j, Status: wellbase.JobFailed, Duration: time.Second},
		{Job: j, Status: wellbase.JobQueued, Retry: true, Duration: 2 * time.Second},
		{Job: j, Status: wellbase.JobQueued, HandedBack: true, Duration: time.Minute}, // not counted
		{Job: j, LeaseLost: true},
	} {
		m.Observe(o)
	}
	if out.Len() != 0 {
		t.Fatalf("metrics written before Flush: %s", out.String())
	}
	if err := m.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	docs := metricsDocs(t, out.String())
	if len(docs) != 1 {
		t.Fatalf("%d documents", len(docs))
	}
	d := docs[0]
	want := map[string]any{"Service": "worker", "JobsSucceeded": 2.0, "JobsFailed": 1.0, "JobsRetried": 1.0, "QueueDepth": 1.0, "QueueOldestAge": 90.0}
	for k, v := range want {
		if d[k] != v {
			t.Errorf("%s = %v, want %v", k, d[k], v)
		}
	}
	if got, _ := json.Marshal(d["JobDuration"]); string(got) != "[1500,500,1000,2000]" {
		t.Errorf("JobDuration = %s", got)
	}
	dir := d["_aws"].(map[string]any)["CloudWatchMetrics"].([]any)[0].(map[string]any)
	if dir["Namespace"] != "Wellbase/test" {
		t.Errorf("namespace %v", dir["Namespace"])
	}
	units := map[string]string{}
	for _, x := range dir["Metrics"].([]any) {
		units[x.(map[string]any)["Name"].(string)] = x.(map[string]any)["Unit"].(string)
	}
	if units["JobDuration"] != "Milliseconds" || units["QueueOldestAge"] != "Seconds" || units["JobsFailed"] != "Count" || len(units) != 6 {
		t.Errorf("units %v", units)
	}

	// The next minute: zeros (alarms see data), no durations.
	out.Reset()
	if err := m.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	d = metricsDocs(t, out.String())[0]
	if d["JobsSucceeded"] != 0.0 || d["JobsFailed"] != 0.0 || d["JobDuration"] != nil || d["QueueDepth"] != 1.0 {
		t.Errorf("second flush %v", d)
	}
}

// TestJobMetricsPerJob: the Lambda's metrics are written at each outcome, with the job's tenant,
// ID and type as properties; Flush writes only the queue's statistics.
func TestJobMetricsPerJob(t *testing.T) {
	t.Parallel()
	db := sqlitetest.Open(t)
	var out bytes.Buffer
	m, err := NewJobMetrics(&out, "Wellbase/test", ServiceLambda, &jobs.Queue{Store: db}, LambdaJobTypes, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	m.Observe(jobs.Outcome{Job: &wellbase.Job{ID: "job_1", TenantID: "acme", Type: "petrophysics"}, Status: wellbase.JobSucceeded, Duration: 250 * time.Millisecond})
	docs := metricsDocs(t, out.String())
	if len(docs) != 1 || docs[0]["job"] != "job_1" || docs[0]["tenant"] != "acme" || docs[0]["JobsSucceeded"] != 1.0 ||
		docs[0]["JobsFailed"] != 0.0 || docs[0]["JobDuration"] != 250.0 || docs[0]["Service"] != "jobs-lambda" {
		t.Fatalf("per-job metrics %v", docs)
	}
	out.Reset()
	if err := m.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	d := metricsDocs(t, out.String())[0]
	if d["QueueDepth"] != 0.0 || d["QueueOldestAge"] != 0.0 || d["JobsSucceeded"] != nil {
		t.Errorf("Lambda flush %v", d)
	}
	if _, err := NewJobMetrics(&out, "", ServiceLambda, &jobs.Queue{Store: db}, nil, true, nil); err == nil || !strings.Contains(err.Error(), "WELLBASE_METRICS_NAMESPACE") {
		t.Errorf("empty namespace: %v", err)
	}
}

// TestConfigFromEnv: the Lambda's configuration comes from the same variables as the flags'
// defaults, and a job function URL with a secret in it is refused like any other location.
func TestConfigFromEnv(t *testing.T) { // not parallel: environment variables
	t.Setenv("WELLBASE_FILES", "s3://bucket?region=eu-north-1")
	t.Setenv("WELLBASE_ROOT_KEY", "awskms:///alias/wellbase?region=eu-north-1")
	t.Setenv("WELLBASE_SECRETS", "awsparamstore:///wellbase/prod?region=eu-north-1")
	t.Setenv("WELLBASE_METRICS_NAMESPACE", "Wellbase/prod")
	t.Setenv("WELLBASE_JOB_FUNCTION", "awslambda:///wellbase-jobs?region=eu-north-1")
	c := FromEnv()
	if c.Files != "s3://bucket?region=eu-north-1" || c.RootKey != "awskms:///alias/wellbase?region=eu-north-1" || c.MetricsNamespace != "Wellbase/prod" ||
		c.JobFunction != "awslambda:///wellbase-jobs?region=eu-north-1" || c.Secrets != "awsparamstore:///wellbase/prod?region=eu-north-1" {
		t.Errorf("FromEnv = %+v", c)
	}
	c.DataDir = t.TempDir()
	c.JobFunction = "awslambda:///wellbase-jobs?region=eu-north-1&endpoint=http://u:hunter2@127.0.0.1:1"
	if err := c.Resolve(); err == nil || strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), "WELLBASE_JOB_FUNCTION") {
		t.Errorf("job function URL with a password: %v", err)
	}
}

// TestNoSecretAcceptsLocations: the locations deploy/terraform gives the tasks and the function
// (flags and WELLBASE_* variables) pass the check that refuses secrets in them, and so does the
// Atlas URL with IAM authentication, which carries no credential.
func TestNoSecretAcceptsLocations(t *testing.T) {
	for _, raw := range []string{
		"awsparamstore:///wellbase/prod?region=eu-north-1",
		"s3://wellbase-prod-files-111122223333?region=eu-north-1",
		"awskms:///alias/wellbase-prod-root?region=eu-north-1",
		"awslambda:///wellbase-prod-jobs?region=eu-north-1",
		"mongodb+srv://wellbase-pl-0.ab1cd.mongodb.net/wellbase?authSource=%24external&authMechanism=MONGODB-AWS&retryWrites=true&w=majority",
	} {
		if err := NoSecret("--flag (WELLBASE_FLAG)", raw); err != nil {
			t.Errorf("%s: %v", raw, err)
		}
	}
	if err := NoSecret("--database (WELLBASE_DATABASE)", "mongodb+srv://wellbase:hunter2@c.mongodb.net/wellbase"); err == nil {
		t.Error("a URL with a password passed")
	}
}
