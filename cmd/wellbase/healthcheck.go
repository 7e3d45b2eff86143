package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// healthcheckTimeout bounds the whole probe (connect, request, answer): a server that cannot
// answer /healthz within it is as good as down to a load balancer.
const healthcheckTimeout = 2 * time.Second

// healthcheck runs `wellbase healthcheck [--addr HOST:PORT]`: GET http://HOST:PORT/healthz,
// within healthcheckTimeout. It is the container health check of the image, which has no shell
// or curl (ECS: healthCheck.command = ["CMD", "/usr/local/bin/wellbase", "healthcheck"]).
//
// The address defaults to WELLBASE_ADDR (what serve listens on), with an empty or wildcard host
// (":8080", "0.0.0.0:8080", "[::]:8080") probed on 127.0.0.1; without WELLBASE_ADDR it is
// 127.0.0.1:8080. A 200 prints one line on stdout and returns nil. Anything else (refused, no
// answer in time, another status, a redirect) prints a one-line reason on stderr and ends the
// process with status 1, the code Docker and ECS read as "unhealthy" (main's usual 2 is reserved
// by Docker). Flag errors return an error like every other command.
func healthcheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", env("WELLBASE_ADDR", "127.0.0.1:8080"),
		"HOST:PORT of the server to probe; an empty or wildcard host means 127.0.0.1 (env WELLBASE_ADDR)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("healthcheck: unexpected argument %q", fs.Arg(0))
	}
	target := "http://" + healthcheckTarget(*addr) + "/healthz"
	if err := probeHealth(ctx, target, healthcheckTimeout); err != nil {
		fmt.Fprintln(stderr, "wellbase healthcheck: unhealthy:", err)
		os.Exit(1)
	}
	fmt.Fprintf(stdout, "wellbase healthcheck: %s answered 200\n", target)
	return nil
}

// healthcheckTarget is the HOST:PORT to probe for a listen address: an empty or unspecified host
// (":8080", "0.0.0.0:8080", "[::]:8080") becomes 127.0.0.1, the container's own loopback; a
// named host is kept. An address that is not HOST:PORT is returned as it is, so that the probe's
// error names it.
func healthcheckTarget(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// probeHealth GETs target (a URL) and returns nil if it answers 200 within timeout. Its errors are one line:
// the transport error ("connection refused"), "no answer within 2s", or the status with the start
// of the body. Redirects are not followed (a 3xx is a failure) and no proxy is used.
func probeHealth(ctx context.Context, target string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return fmt.Errorf("GET %s: %w", target, err)
	}
	client := &http.Client{
		Transport:     &http.Transport{Proxy: nil, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	res, err := client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("GET %s: no answer within %s", target, timeout)
		}
		if uerr, ok := err.(*url.Error); ok { // its text repeats the method and URL
			err = uerr.Err
		}
		return fmt.Errorf("GET %s: %v", target, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 200))
	if res.StatusCode != http.StatusOK {
		msg := fmt.Sprintf("GET %s answered %s", target, res.Status)
		if b := strings.Join(strings.Fields(string(body)), " "); b != "" {
			msg += ": " + b
		}
		return errors.New(msg)
	}
	return nil
}
