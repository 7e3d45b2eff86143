package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestShutdownDrains starts serve as the binary does, begins a request whose body arrives
// slowly, then asks serve to stop (what SIGTERM does through signal.NotifyContext): the
// in-flight request must finish normally, new connections must be refused, and serve must
// return without error.
func TestShutdownDrains(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	addr := freeAddr(t)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var stderr bytes.Buffer
	go func() {
		done <- serve(ctx, []string{"--data-dir", dir, "--addr", addr, "--log-level", "error"}, &stderr)
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
	time.Sleep(200 * time.Millisecond) // shutdown has begun
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Error("a new connection was accepted after shutdown began")
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
	case <-time.After(shutdownGrace + 2*time.Second):
		t.Fatal("serve did not return after shutdown")
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
	for range 100 {
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
