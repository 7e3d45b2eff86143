package testservers

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/wellbase/wellbase/internal/testlog"
)

// EnvLambdaRIE is the path of the Lambda runtime interface emulator (aws-lambda-rie), built by
// scripts/testservers into the tools cache.
const EnvLambdaRIE = "WELLBASE_TEST_LAMBDA_RIE_BIN"

// LambdaRIE returns the path of the runtime interface emulator, or skips/fails the test.
func LambdaRIE(t testing.TB) string {
	t.Helper()
	return need(t, "Lambda runtime interface emulator", EnvLambdaRIE)[0]
}

// BuildLambda builds the package pkg (a module path such as ./cmd/wellbase-lambda, relative to
// the module root dir) as a Lambda bootstrap for this machine, with -tags lambda.norpc as for
// Lambda's provided runtimes, into a temporary folder; it returns the binary's path.
func BuildLambda(t testing.TB, dir, pkg string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "bootstrap")
	cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", out, pkg)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+runtime.GOOS, "GOARCH="+runtime.GOARCH)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build the Lambda bootstrap %s: %v\n%s", pkg, err, b)
	}
	return out
}

// Lambda is a function running under the runtime interface emulator.
type Lambda struct {
	// Endpoint is the emulator's base URL, for the AWS SDK's Lambda client (BaseEndpoint): its
	// Invoke of the function "function" is the emulator's invoke path.
	Endpoint string
	// InvokeURL is the emulator's invoke path: POST an event there.
	InvokeURL string
	logs      *testlog.Buffer
}

// Logs returns what the emulator and the function wrote so far (the function's stdout and
// stderr go through the emulator's, with its START, END and REPORT lines).
func (l *Lambda) Logs() string { return l.logs.String() }

// Invoke posts event to the function and returns the status and the body of the answer: the
// function's result, or its error as {"errorMessage":…,"errorType":…}.
func (l *Lambda) Invoke(t testing.TB, event []byte) (int, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", l.InvokeURL, bytes.NewReader(event))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("invoke the function: %v", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// StartLambda runs bootstrap under the runtime interface emulator on two free loopback ports
// (its invoke API and the runtime API: both are always given, or it listens on 0.0.0.0:8080),
// with env as the whole environment of the emulator, which passes it on to the function. The
// function starts at the first invoke (the cold start). The emulator and the function are
// killed when the test ends.
func StartLambda(t testing.TB, bootstrap string, env []string) *Lambda {
	t.Helper()
	rie := LambdaRIE(t)
	for attempt := 1; ; attempt++ {
		invokeAddr, runtimeAddr := freeAddr(t), freeAddr(t)
		logs := &testlog.Buffer{}
		cmd := exec.Command(rie, "--runtime-interface-emulator-address", invokeAddr, "--runtime-api-address", runtimeAddr, bootstrap)
		cmd.Dir = filepath.Dir(bootstrap)
		cmd.Env = env
		cmd.Stdout, cmd.Stderr = logs, logs
		// A process group of its own: the function is the emulator's child, and both go at the end.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			t.Fatalf("start %s: %v", rie, err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		stop := func() {
			syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
			select {
			case <-exited:
			case <-time.After(5 * time.Second):
			}
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
		if waitListening(invokeAddr, exited) {
			t.Cleanup(func() {
				stop()
				if t.Failed() {
					t.Logf("runtime interface emulator and function output:\n%s", logs.String())
				}
			})
			return &Lambda{Endpoint: "http://" + invokeAddr, InvokeURL: "http://" + invokeAddr + "/2015-03-31/functions/function/invocations", logs: logs}
		}
		stop()
		if attempt == 3 {
			t.Fatalf("the runtime interface emulator did not start:\n%s", logs.String())
		}
	}
}

// freeAddr returns a loopback address that was free a moment ago (StartLambda retries if
// another process takes it first).
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// waitListening waits up to 15 s until addr accepts connections; false if the process exited.
func waitListening(addr string, exited <-chan struct{}) bool {
	for range 150 {
		select {
		case <-exited:
			return false
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond); err == nil {
			c.Close()
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}
