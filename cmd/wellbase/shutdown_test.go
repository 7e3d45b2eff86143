package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestShutdownDrains starts serve as the binary does, begins a request whose body arrives
// slowly, then asks serve to stop (what SIGTERM does through signalContext): /readyz answers 503
// at once while new requests are still served for the drain delay; then new connections are
// refused, the in-flight request finishes normally, and serve returns without error.
func TestShutdownDrains(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	addr := freeAddr(t)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var stderr bytes.Buffer
	go func() {
		done <- serve(ctx, []string{"--data-dir", dir, "--addr", addr, "--log-level", "error", "--drain-delay", "3s"}, &stderr)
	}()
	base := "http://" + addr
	waitHealthy(t, base)

	var out bytes.Buffer
	if err := run(context.Background(), []string{"operator", "create", "--data-dir", dir, "--email", "ops@example.com"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	op := strings.TrimSpace(out.String())

	// An in-flight request: headers now, the body after shutdown has begun.
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", base+"/api/v1/tenants", pr)
	req.Header.Set("Authorization", "Bearer "+op)
	req.Header.Set("Content-Type", "application/json")
	answered := make(chan *http.Response, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("in-flight request failed: %v", err)
			close(answered)
			return
		}
		answered <- res
	}()
	pw.Write([]byte(`{"id":"acme","name":"Acme Oil",`))
	time.Sleep(100 * time.Millisecond) // let the server start reading the body
	stop()

	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 2 * time.Second}
	status := func(path string) int {
		res, err := fresh.Get(base + path)
		if err != nil {
			return 0
		}
		res.Body.Close()
		return res.StatusCode
	}
	var ready int
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if ready = status("/readyz"); ready != 200 || time.Now().After(deadline) {
			break
		}
	}
	if ready != 503 {
		t.Errorf("/readyz after the signal: %d, want 503 while the server still serves", ready)
	}
	if got := status("/healthz"); got != 200 {
		t.Errorf("a new request during the drain delay: %d, want it served", got)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("new connections are still accepted 10 s after the 3 s drain delay")
		}
	}
	pw.Write([]byte(`"admin_email":"admin@acme.example"}`))
	pw.Close()
	res := <-answered
	if res == nil {
		t.FailNow()
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Errorf("in-flight request answered %d, want 201", res.StatusCode)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v: %s", err, stderr.String())
		}
	case <-time.After(DefaultShutdownGrace + 10*time.Second):
		t.Fatal("serve did not return after shutdown")
	}
}

// TestShutdownFlags: the shutdown durations are checked, naming the flag and its variable.
func TestShutdownFlags(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--shutdown-grace", "soon"}, "not a duration"},
		{[]string{"serve", "--shutdown-grace", "-1s"}, "--shutdown-grace (WELLBASE_SHUTDOWN_GRACE) must be from 0s to 1h0m0s"},
		{[]string{"serve", "--drain-delay", "10m"}, "--drain-delay (WELLBASE_DRAIN_DELAY) must be from 0s to 5m0s"},
		{[]string{"worker", "--shutdown-grace", "2h"}, "--shutdown-grace (WELLBASE_SHUTDOWN_GRACE) must be from 0s to 1h0m0s"},
	} {
		err := run(context.Background(), append(tt.args, "--data-dir", t.TempDir()), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want an error with %q", tt.args, err, tt.want)
		}
	}
}

// TestShutdownGraceFromEnvironment: WELLBASE_SHUTDOWN_GRACE sets the grace; a malformed value is
// an error naming the variable. (Not parallel: it sets the environment.)
func TestShutdownGraceFromEnvironment(t *testing.T) {
	t.Setenv("WELLBASE_SHUTDOWN_GRACE", "twenty")
	err := run(context.Background(), []string{"worker", "--data-dir", t.TempDir()}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "environment variable WELLBASE_SHUTDOWN_GRACE") {
		t.Errorf("worker with WELLBASE_SHUTDOWN_GRACE=twenty: %v, want an error naming the variable", err)
	}
	// The flag replaces the variable: the first error is then a later one's.
	err = run(context.Background(), []string{"worker", "--data-dir", t.TempDir(), "--shutdown-grace", "1s", "--log-level", "loud"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--log-level") {
		t.Errorf("worker --shutdown-grace 1s --log-level loud with a malformed variable: %v, want the --log-level error", err)
	}
}

// child is `wellbase serve` in its own process (TestServeHelper), to send signals to.
type child struct {
	cmd    *exec.Cmd
	base   string
	exited chan struct{}
	stderr bytes.Buffer
}

// startServe runs serve on dir in a child process with args added and waits until it answers.
func startServe(t *testing.T, dir string, args ...string) *child {
	t.Helper()
	addr := freeAddr(t)
	c := &child{base: "http://" + addr, exited: make(chan struct{})}
	c.cmd = exec.Command(os.Args[0], "-test.run=^TestServeHelper$", "-test.count=1")
	c.cmd.Env = append(os.Environ(), envServeArgs+"="+strings.Join(append([]string{"--data-dir", dir, "--addr", addr, "--log-level", "warn"}, args...), "\t"))
	c.cmd.Stderr = &c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.cmd.Wait(); close(c.exited) }()
	t.Cleanup(func() {
		c.cmd.Process.Kill()
		<-c.exited
	})
	waitHealthy(t, c.base)
	return c
}

// exitCode waits up to d for the child to exit and returns its exit code.
func (c *child) exitCode(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case <-c.exited:
		return c.cmd.ProcessState.ExitCode()
	case <-time.After(d):
		t.Fatalf("serve still runs %s after SIGTERM", d)
		return -1
	}
}

// onboardAcme creates an operator on dir and the tenant acme through the API at base, and
// returns acme's owner token.
func onboardAcme(t *testing.T, dir, base string) string {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"operator", "create", "--data-dir", dir, "--email", "ops@example.com"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", base+"/api/v1/tenants", strings.NewReader(`{"id":"acme","name":"Acme Oil","admin_email":"a@acme.example"}`))
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(out.String()))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var onboarded struct {
		Token string `json:"admin_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&onboarded); err != nil || res.StatusCode != 201 {
		t.Fatalf("onboard: %d %v", res.StatusCode, err)
	}
	return onboarded.Token
}

// lasRows returns a LAS 2.0 file with n depth rows.
func lasRows(n int) []byte {
	var b bytes.Buffer
	b.WriteString("~VERSION INFORMATION\n VERS. 2.0 :\n WRAP. NO :\n~WELL INFORMATION\n STRT.M 1.0 :\n")
	fmt.Fprintf(&b, " STOP.M %d.0 :\n STEP.M 1.0 :\n NULL. -999.25 :\n WELL. DRAIN-1 :\n~CURVE INFORMATION\n DEPT.M :\n GR.GAPI :\n~A\n", n)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d.0 %d.5\n", i, 40+i%50)
	}
	return b.Bytes()
}

// beginUpload opens a connection to base and sends the head of a log upload of size bytes with
// Idempotency-Key key, and body (all or part of it).
func beginUpload(t *testing.T, base, token, key string, size int, body []byte) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	fmt.Fprintf(c, "POST /api/v1/logs?name=drain.las HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/octet-stream\r\n"+
		"Idempotency-Key: %s\r\nContent-Length: %d\r\n\r\n", token, key, size)
	if _, err := c.Write(body); err != nil {
		t.Fatal(err)
	}
	return c
}

// getJSON GETs path at base with token into v and returns the status.
func getJSON(t *testing.T, base, path, token string, v any) int {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	json.NewDecoder(res.Body).Decode(v)
	return res.StatusCode
}

// TestSIGTERMDrainsUpload sends SIGTERM to a serve process while an upload streams in over a few
// seconds: /readyz answers 503 at once (before the listener closes), the upload finishes with
// 201, the process exits 0, and the acknowledged log is there after a restart — with its
// Idempotency-Key answer, replayed to a retry.
func TestSIGTERMDrainsUpload(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := startServe(t, dir, "--drain-delay", "2s", "--shutdown-grace", "20s")
	tok := onboardAcme(t, dir, srv.base)
	las := lasRows(20000)
	const parts = 20
	step := len(las)/parts + 1
	conn := beginUpload(t, srv.base, tok, "k-drain", len(las), las[:step])

	srv.cmd.Process.Signal(syscall.SIGTERM)
	first := 0
	for deadline := time.Now().Add(5 * time.Second); first == 0 || first == 200; time.Sleep(10 * time.Millisecond) {
		res, err := http.Get(srv.base + "/readyz")
		if err != nil {
			first = -1 // refused
			break
		}
		res.Body.Close()
		first = res.StatusCode
		if time.Now().After(deadline) {
			break
		}
	}
	if first != 503 {
		t.Errorf("/readyz after SIGTERM: %d (-1: connection refused), want 503 before the listener closes", first)
	}
	for i := step; i < len(las); i += step { // the rest of the upload, over about 3 s
		time.Sleep(150 * time.Millisecond)
		if _, err := conn.Write(las[i:min(i+step, len(las))]); err != nil {
			t.Fatalf("sending the upload after SIGTERM: %v", err)
		}
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the upload in flight at SIGTERM got no answer: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 201 {
		t.Fatalf("the upload in flight at SIGTERM: %d %s", res.StatusCode, body)
	}
	var log struct {
		ID   string `json:"id"`
		Rows int    `json:"rows"`
	}
	json.Unmarshal(body, &log)
	if code := srv.exitCode(t, 30*time.Second); code != 0 {
		t.Fatalf("serve exited %d after SIGTERM, want 0: %s", code, srv.stderr.String())
	}

	again := startServe(t, dir)
	var back struct {
		Rows int `json:"rows"`
	}
	if st := getJSON(t, again.base, "/api/v1/logs/"+log.ID, tok, &back); st != 200 || back.Rows != 20000 {
		t.Errorf("the log acknowledged during the drain, after a restart: %d, %d rows", st, back.Rows)
	}
	req, _ := http.NewRequest("POST", again.base+"/api/v1/logs?name=drain.las", bytes.NewReader(las))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/octet-stream") // as the first attempt: part of the request
	req.Header.Set("Idempotency-Key", "k-drain")
	retry, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	retryBody, _ := io.ReadAll(retry.Body)
	retry.Body.Close()
	if retry.StatusCode != 201 || retry.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(retryBody, body) {
		t.Errorf("retry of the drained upload on the restarted server: %d (replayed %q), want the first answer replayed", retry.StatusCode, retry.Header.Get("Idempotent-Replayed"))
	}
}

// TestSIGTERMGraceCutsOffUpload sends SIGTERM to a serve process with a 1 s grace while an
// upload is half sent: the process cancels it when the grace ends and exits 0, and the upload
// leaves nothing — no staged bytes (without a sweep), no log or object, no usage — and its
// Idempotency-Key is free: a retry runs.
func TestSIGTERMGraceCutsOffUpload(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := startServe(t, dir, "--drain-delay", "0s", "--shutdown-grace", "1s")
	tok := onboardAcme(t, dir, srv.base)
	las := lasRows(400000) // about 5 MiB, under the 64 MiB of a parse by a job: parsed as it arrives
	conn := beginUpload(t, srv.base, tok, "k-cut", len(las), las[:len(las)/2])
	tenantDir := filepath.Join(dir, "files", "tenants", "acme")
	for deadline := time.Now().Add(time.Minute); diskBytes(filepath.Join(tenantDir, ".staging")) < 1<<20; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the upload staged nothing in a minute")
		}
	}
	srv.cmd.Process.Signal(syscall.SIGTERM)
	if code := srv.exitCode(t, 30*time.Second); code != 0 {
		t.Fatalf("serve exited %d after SIGTERM, want 0: %s", code, srv.stderr.String())
	}
	conn.Close()
	if n := diskBytes(filepath.Join(tenantDir, ".staging")); n != 0 {
		t.Errorf("%d bytes staged after the cut-off upload, want none (before any sweep)", n)
	}
	if n := diskBytes(filepath.Join(tenantDir, "logs")); n != 0 {
		t.Errorf("%d bytes of log objects after the cut-off upload, want none", n)
	}

	again := startServe(t, dir)
	var logs struct{ Items []any }
	var usage struct {
		Usage struct {
			StorageBytes int64 `json:"storage_bytes"`
		}
	}
	getJSON(t, again.base, "/api/v1/logs", tok, &logs)
	getJSON(t, again.base, "/api/v1/usage", tok, &usage)
	if len(logs.Items) != 0 || usage.Usage.StorageBytes != 0 {
		t.Errorf("after the cut-off upload: %d logs, storage_bytes %d; want none", len(logs.Items), usage.Usage.StorageBytes)
	}
	small := lasRows(10)
	req, _ := http.NewRequest("POST", again.base+"/api/v1/logs?name=drain.las", bytes.NewReader(small))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Idempotency-Key", "k-cut")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 201 || res.Header.Get("Idempotent-Replayed") != "" {
		t.Errorf("retry with the cut-off upload's key: %d %s, want it run (the key was released)", res.StatusCode, b)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitHealthy(t *testing.T, base string) {
	t.Helper()
	for range 200 {
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal(fmt.Sprintf("%s/healthz never answered", base))
}
