package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestHealthcheckTarget(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ addr, want string }{
		{":8080", "127.0.0.1:8080"},
		{"0.0.0.0:9000", "127.0.0.1:9000"},
		{"[::]:8080", "127.0.0.1:8080"},
		{"127.0.0.1:8081", "127.0.0.1:8081"},
		{"localhost:8080", "localhost:8080"},
		{"10.0.3.7:8080", "10.0.3.7:8080"},
		{"[::1]:8080", "[::1]:8080"},
		{"8080", "8080"}, // not HOST:PORT: kept, so the probe's error names it
	} {
		if got := healthcheckTarget(tc.addr); got != tc.want {
			t.Errorf("healthcheckTarget(%q) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}

// TestProbeHealth probes the real server, and servers that fail in the ways a health check
// must catch; every failure is one line that says what happened.
func TestProbeHealth(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := startServer(t)

	t.Run("OK", func(t *testing.T) {
		if err := probeHealth(ctx, base+"/healthz", healthcheckTimeout); err != nil {
			t.Fatal(err)
		}
	})

	closed := "http://" + freeAddr(t) + "/healthz"
	unavailable := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "database\nunreachable", http.StatusServiceUnavailable)
	}))
	t.Cleanup(unavailable.Close)
	redirect := httptest.NewServer(http.RedirectHandler("/elsewhere", http.StatusFound))
	t.Cleanup(redirect.Close)
	// Accepts connections and never answers: the probe must give up at its timeout.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { silent.Close() })
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(io.Discard, c); c.Close() }() // read until the client gives up
		}
	}()

	for _, tc := range []struct {
		name, url string
		timeout   time.Duration
		want      string
	}{
		{"ErrRefused", closed, healthcheckTimeout, "connection refused"},
		{"ErrStatus", unavailable.URL + "/healthz", healthcheckTimeout, "answered 503 Service Unavailable: database unreachable"},
		{"ErrRedirect", redirect.URL + "/healthz", healthcheckTimeout, "answered 302 Found"},
		{"ErrNoAnswer", "http://" + silent.Addr().String() + "/healthz", 200 * time.Millisecond, "no answer within 200ms"},
		{"ErrNotHostPort", "http://8080/healthz", healthcheckTimeout, "GET http://8080/healthz: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := probeHealth(ctx, tc.url, tc.timeout)
			if err == nil {
				t.Fatalf("probe of %s succeeded", tc.url)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.want) || !strings.HasPrefix(msg, "GET "+tc.url) || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line starting with GET %s and containing %q", msg, tc.url, tc.want)
			}
		})
	}
}

// TestHealthcheckCommand runs `wellbase healthcheck` as the container does, in a child process
// (it ends the process with its status): 0 and one stdout line against the running server, found
// through --addr or WELLBASE_ADDR; 1 and one stderr line when nothing answers; 2 on a bad flag.
func TestHealthcheckCommand(t *testing.T) {
	if args, ok := os.LookupEnv("WELLBASE_TEST_HEALTHCHECK_CHILD"); ok {
		os.Args = append([]string{"wellbase", "healthcheck"}, strings.Fields(args)...)
		main()
		os.Exit(0)
	}
	t.Parallel()
	addr := strings.TrimPrefix(startServer(t), "http://")
	_, port, _ := net.SplitHostPort(addr)
	closed := freeAddr(t)

	for _, tc := range []struct {
		name, args, envAddr string
		code                int
		stdout, stderr      string
	}{
		{"OK", "--addr " + addr, "", 0, "http://" + addr + "/healthz answered 200", ""},
		{"OKFromEnv", "", ":" + port, 0, "http://127.0.0.1:" + port + "/healthz answered 200", ""},
		{"ErrRefused", "--addr " + closed, "", 1, "", "wellbase healthcheck: unhealthy: GET http://" + closed + "/healthz: "},
		{"ErrDefaultAddrFromEnv", "", closed, 1, "", "unhealthy: GET http://" + closed + "/healthz"},
		{"ErrFlag", "--nope", "", 2, "", "flag provided but not defined: -nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-test.run=^TestHealthcheckCommand$")
			cmd.Env = append(os.Environ(), "WELLBASE_TEST_HEALTHCHECK_CHILD="+tc.args, "WELLBASE_ADDR="+tc.envAddr)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.code {
				t.Errorf("exit status %d, want %d (stdout %q, stderr %q)", code, tc.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.stdout) || tc.stdout == "" && stdout.Len() != 0 {
				t.Errorf("stdout %q, want %q", stdout.String(), tc.stdout)
			}
			if !strings.Contains(stderr.String(), tc.stderr) || tc.stderr == "" && stderr.Len() != 0 {
				t.Errorf("stderr %q, want %q", stderr.String(), tc.stderr)
			}
			if tc.code == 1 && strings.Count(strings.TrimSpace(stderr.String()), "\n") != 0 {
				t.Errorf("stderr is not one line: %q", stderr.String())
			}
		})
	}
}

// startServer starts the real server (embedded defaults in a temp dir) on a loopback port and
// returns its base URL; it stops when the test ends.
func startServer(t *testing.T) string {
	t.Helper()
	m := &Main{Config: Config{DataDir: t.TempDir(), Addr: "127.0.0.1:0", LogLevel: "error"},
		Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))}
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	go m.Serve()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), DefaultShutdownGrace)
		defer cancel()
		m.Close(ctx)
	})
	base := "http://" + m.Addr()
	waitHealthy(t, base)
	return base
}
