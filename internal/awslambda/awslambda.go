// Package awslambda sends Wellbase's queued jobs to the job function on AWS Lambda
// (cmd/wellbase-lambda): an asynchronous invoke (InvocationType Event) whose payload names the
// job, JobEvent. It is the client side only; the function decides whether it can still run the
// job (the same lease as every worker), so a lost, repeated or late event is harmless.
//
// # URL
//
//	awslambda:///<function-name-or-arn>?region=eu-north-1[&endpoint=http://127.0.0.1:9001]
//
// Three slashes: the host part is empty and the path is the function's name, ARN or partial ARN,
// with an optional :qualifier (version or alias). region defaults to the SDK's (AWS_REGION);
// endpoint is for the Lambda runtime interface emulator, whose one function is named
// "function": the SDK's POST /2015-03-31/functions/function/invocations is the emulator's
// invoke path. Credentials come only from the AWS SDK's default chain (the ECS task role on
// AWS), never from the URL. The caller needs lambda:InvokeFunction on the function.
package awslambda

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/wellbase/wellbase"
)

// Scheme is the URL scheme of a job function location.
const Scheme = "awslambda"

// JobEvent is the payload of an invoke that names one job: {"job":{"tenant":"acme","id":"job_…"}}.
type JobEvent struct {
	Job JobName `json:"job"`
}

// JobName names a job of a tenant.
type JobName struct {
	Tenant string `json:"tenant"`
	ID     string `json:"id"`
}

// Function is where the job function is: its name, region and (emulators only) endpoint.
type Function struct {
	// Name is the function's name, ARN or partial ARN, with an optional :qualifier.
	Name string
	// Region is the AWS region; empty: the SDK's default (AWS_REGION).
	Region string
	// Endpoint overrides the Lambda endpoint (the runtime interface emulator in tests).
	Endpoint string
}

// namePattern is the FunctionName pattern of the Lambda API reference (Invoke).
var namePattern = regexp.MustCompile(`^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9_.-]+)(:(\$LATEST|[a-zA-Z0-9_-]+))?$`)

// ParseURL reads a job function location (see the package doc). Errors are EInvalid and say
// what is wrong with the URL.
func ParseURL(raw string) (Function, error) {
	var f Function
	u, err := url.Parse(raw)
	if err != nil {
		return f, wellbase.Errorf(wellbase.EInvalid, "job function %q is not a URL: %v", raw, err)
	}
	if u.Scheme != Scheme {
		return f, wellbase.Errorf(wellbase.EInvalid, "job function URL: scheme %q, want %s:///<function-name-or-arn>?region=…", u.Scheme, Scheme)
	}
	if u.User != nil {
		return f, wellbase.Errorf(wellbase.EInvalid, "job function URL: credentials come from the AWS SDK's default chain, never from the URL")
	}
	if u.Host != "" {
		return f, wellbase.Errorf(wellbase.EInvalid, "job function URL: write %s:///%s%s (three slashes: the path is the function)", Scheme, u.Host, u.Path)
	}
	f.Name = u.Path
	if len(f.Name) > 0 && f.Name[0] == '/' {
		f.Name = f.Name[1:]
	}
	if len(f.Name) == 0 || len(f.Name) > 170 || !namePattern.MatchString(f.Name) {
		return f, wellbase.Errorf(wellbase.EInvalid, "job function URL: %q is not a Lambda function name, ARN or partial ARN", f.Name)
	}
	for k, v := range u.Query() {
		if len(v) != 1 {
			return f, wellbase.Errorf(wellbase.EInvalid, "job function URL: %s given %d times", k, len(v))
		}
		switch k {
		case "region":
			f.Region = v[0]
		case "endpoint":
			e, err := url.Parse(v[0])
			if err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" || e.User != nil {
				return f, wellbase.Errorf(wellbase.EInvalid, "job function URL: endpoint: want http(s)://host[:port]")
			}
			f.Endpoint = v[0]
		default:
			return f, wellbase.Errorf(wellbase.EInvalid, "job function URL: unknown parameter %q (want region, endpoint)", k)
		}
	}
	return f, nil
}

// Invoker sends job events to one function.
type Invoker struct {
	client   *lambda.Client
	function string
}

// Open returns an Invoker of the function at the location raw (see ParseURL), with credentials
// from the AWS SDK's default chain. It sends no request.
func Open(ctx context.Context, raw string) (*Invoker, error) {
	f, err := ParseURL(raw)
	if err != nil {
		return nil, err
	}
	var opts []func(*config.LoadOptions) error
	if f.Region != "" {
		opts = append(opts, config.WithRegion(f.Region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return nil, wellbase.Errorf(wellbase.EInvalid, "job function URL: no AWS region: add ?region=… (or set AWS_REGION)")
	}
	client := lambda.NewFromConfig(cfg, func(o *lambda.Options) {
		if f.Endpoint != "" {
			o.BaseEndpoint = aws.String(f.Endpoint)
		}
	})
	return &Invoker{client: client, function: f.Name}, nil
}

// Function returns the name (or ARN) of the function events are sent to.
func (i *Invoker) Function() string { return i.function }

// InvokeJob sends the job event of job id of tenant to the function as an asynchronous invoke:
// Lambda queues the event and answers 202 at once; the function runs it within seconds. Lambda
// itself retries a failed asynchronous run twice. An error means Lambda did not take the event
// (throttled, unreachable, not allowed): the job stays queued for the scheduled drain.
//
// The runtime interface emulator has no event queue: it runs the function at once and answers
// 200 with its result when it is done, so against it InvokeJob returns after the job ran.
func (i *Invoker) InvokeJob(ctx context.Context, tenant, id string) error {
	payload, err := json.Marshal(JobEvent{Job: JobName{Tenant: tenant, ID: id}})
	if err != nil {
		return err
	}
	out, err := i.client.Invoke(ctx, &lambda.InvokeInput{
		FunctionName:   aws.String(i.function),
		InvocationType: types.InvocationTypeEvent,
		Payload:        payload,
	})
	if err != nil {
		return fmt.Errorf("invoke %s for job %s: %w", i.function, id, err)
	}
	if out.FunctionError != nil {
		return fmt.Errorf("invoke %s for job %s: function error %s", i.function, id, aws.ToString(out.FunctionError))
	}
	if out.StatusCode != 202 && out.StatusCode != 200 {
		return fmt.Errorf("invoke %s for job %s: status %d, want 202", i.function, id, out.StatusCode)
	}
	return nil
}
