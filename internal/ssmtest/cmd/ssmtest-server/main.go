// Command ssmtest-server runs the SSM Parameter Store test server (package ssmtest) as a process,
// for `make test` and the end-to-end checks:
//
//	ssmtest-server -addr 127.0.0.1:0 -kms-endpoint http://127.0.0.1:8082 [-default-key-id alias/…]
//
// It prints "listening on http://127.0.0.1:PORT" on standard output once it accepts connections
// and serves until SIGINT or SIGTERM. It accepts requests signed with the credentials the AWS
// SDK's default chain finds in its environment (e.g. AWS_SHARED_CREDENTIALS_FILE), and calls KMS
// with them. Parameters live in memory and are lost when it stops. Run it only on loopback or
// inside a private network namespace: it is a test tool.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/wellbase/wellbase/internal/ssmtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "ssmtest-server:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ssmtest-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on")
	kmsEndpoint := fs.String("kms-endpoint", "", "KMS (local-kms) endpoint, e.g. http://127.0.0.1:8082 (required)")
	region := fs.String("region", ssmtest.DefaultRegion, "AWS region of the signing scope and ARNs")
	defaultKey := fs.String("default-key-id", "", "KMS key for SecureString parameters put without KeyId; default: one created on first use")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *kmsEndpoint == "" || fs.NArg() > 0 {
		return errors.New("usage: ssmtest-server -kms-endpoint URL [-addr host:port] [-region r] [-default-key-id id]")
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return fmt.Errorf("load AWS config: %w", err)
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("AWS credentials (set AWS_SHARED_CREDENTIALS_FILE): %w", err)
	}
	srv, err := ssmtest.New(ssmtest.Config{KMSEndpoint: *kmsEndpoint, Region: *region, Credentials: creds, DefaultKeyID: *defaultKey})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return hs.Shutdown(shutdown)
}
