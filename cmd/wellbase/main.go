// Command wellbase is the Wellbase server and its command-line tools.
//
//	wellbase serve                       serve the API on embedded defaults (./wellbase-data, :8080)
//	wellbase operator create --email E   create a platform operator; prints its token, once
//	wellbase worker                      run background job workers on the same stores as serve
//	wellbase las check [--json] FILE...  validate LAS files before uploading them
//	wellbase keys rotate-root [--from U] rewrap every tenant data key with the current root key
//	wellbase tenant rotate-key TENANT    new data key version; a job re-encrypts the tenant's files
//	wellbase tenant retire-keys TENANT   destroy the old versions once nothing is encrypted with them
//	wellbase version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signalContext()
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "wellbase:", err)
		}
		os.Exit(2)
	}
}

// stopSignal is the cause of the context signalContext cancels: the signal received.
type stopSignal struct{ sig os.Signal }

func (s stopSignal) Error() string { return s.sig.String() + " received" }

// signalContext returns a context cancelled at the first SIGTERM or SIGINT, with that signal as
// its cause (see interrupted); later ones are ignored until stop is called. The commands watch
// it to stop gracefully.
func signalContext() (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM, syscall.SIGINT)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			cancel(stopSignal{s})
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(context.Canceled)
	}
}

// interrupted reports whether ctx was cancelled by SIGINT: Ctrl-C in a terminal, where no
// balancer needs time to notice that the server is going.
func interrupted(ctx context.Context) bool {
	var s stopSignal
	return errors.As(context.Cause(ctx), &s) && s.sig == os.Interrupt
}

const usage = `wellbase — multi-tenant well and production data

Usage:
  wellbase serve [flags]                          serve the API (embedded defaults: ./wellbase-data, :8080)
  wellbase operator create --email EMAIL [flags]  create a platform operator and print its API token once
  wellbase worker [flags]                         run background job workers on the same stores as serve
  wellbase secret put|get|list|delete [NAME]      manage the secret store (values on stdin; get --reveal prints)
  wellbase las check [--json] FILE...             validate LAS files before uploading them
  wellbase keys rotate-root [--from URL] [flags]  rewrap every tenant data key with the current root key
  wellbase tenant rotate-key [flags] TENANT       new data key version for a tenant; a job re-encrypts its files
  wellbase tenant retire-keys [flags] TENANT      destroy a tenant's old key versions once nothing uses them
  wellbase healthcheck [--addr HOST:PORT]         exit 0 if the server answers GET /healthz with 200 within 2 s, else 1
  wellbase version

Run 'wellbase COMMAND -h' for a command's flags.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stderr)
	case "operator":
		if len(args) < 2 || args[1] != "create" {
			return errors.New("usage: wellbase operator create --email EMAIL")
		}
		return operatorCreate(ctx, args[2:], stdout, stderr)
	case "worker":
		return worker(ctx, args[1:], stderr)
	case "secret":
		return secretCommand(ctx, args[1:], os.Stdin, stdout, stderr)
	case "las":
		return lasCommand(ctx, args[1:], stdout, stderr)
	case "keys":
		return keysCommand(ctx, args[1:], stdout, stderr)
	case "tenant":
		return tenantCommand(ctx, args[1:], stdout, stderr)
	case "healthcheck":
		return healthcheck(ctx, args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}
