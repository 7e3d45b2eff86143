package awslambda

import (
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/testservers"
)

func TestParseURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		raw  string
		want Function
	}{
		{"awslambda:///wellbase-jobs?region=eu-north-1", Function{Name: "wellbase-jobs", Region: "eu-north-1"}},
		{"awslambda:///wellbase-jobs:live", Function{Name: "wellbase-jobs:live"}},
		{"awslambda:///arn:aws:lambda:eu-north-1:123456789012:function:wellbase-jobs?region=eu-north-1",
			Function{Name: "arn:aws:lambda:eu-north-1:123456789012:function:wellbase-jobs", Region: "eu-north-1"}},
		{"awslambda:///function?region=us-east-1&endpoint=http://127.0.0.1:9001", Function{Name: "function", Region: "us-east-1", Endpoint: "http://127.0.0.1:9001"}},
	} {
		got, err := ParseURL(tc.raw)
		if err != nil || got != tc.want {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", tc.raw, got, err, tc.want)
		}
	}
	for raw, why := range map[string]string{
		"":                                    "scheme",
		"lambda:///f":                         "scheme",
		"awslambda://wellbase-jobs":           "three slashes",
		"awslambda:///":                       "not a Lambda function name",
		"awslambda:///bad name":               "not a Lambda function name",
		"awslambda:///f?region=a&region=b":    "given 2 times",
		"awslambda:///f?timeout=3":            "unknown parameter",
		"awslambda:///f?endpoint=127.0.0.1:9": "endpoint",
		"awslambda://u:p@/f":                  "credentials",
	} {
		_, err := ParseURL(raw)
		if wellbase.ErrorCode(err) != wellbase.EInvalid || !strings.Contains(err.Error(), why) {
			t.Errorf("ParseURL(%q) = %v, want an invalid error about %s", raw, err, why)
		}
	}
}

func TestJobEventShape(t *testing.T) {
	t.Parallel()
	b, _ := json.Marshal(JobEvent{Job: JobName{Tenant: "acme", ID: "job_1"}})
	if string(b) != `{"job":{"tenant":"acme","id":"job_1"}}` {
		t.Errorf("job event %s", b)
	}
}

// TestInvokeUnreachable: an invoke that Lambda does not take is an error naming the function
// and the job (serve logs it; the job stays queued).
func TestInvokeUnreachable(t *testing.T) {
	testservers.UseTestCredentials(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	inv, err := Open(context.Background(), "awslambda:///wellbase-jobs?region=eu-north-1&endpoint=http://"+addr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = inv.InvokeJob(ctx, "acme", "job_1")
	if err == nil || !strings.Contains(err.Error(), "wellbase-jobs") || !strings.Contains(err.Error(), "job_1") {
		t.Errorf("invoke of an unreachable function: %v", err)
	}
	t.Setenv("AWS_REGION", "")
	if _, err := Open(context.Background(), "awslambda:///wellbase-jobs"); err == nil || !strings.Contains(err.Error(), "region") {
		t.Errorf("Open without a region: %v", err)
	}
}
