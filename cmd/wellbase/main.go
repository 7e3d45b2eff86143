// Command wellbase is the Wellbase server and its command-line tools.
//
//	wellbase serve                       serve the API on embedded defaults (./wellbase-data, :8080)
//	wellbase operator create --email E   create a platform operator; prints its token, once
//	wellbase worker                      run background job workers on the same stores as serve
//	wellbase las check [--json] FILE...  validate LAS files before uploading them
//	wellbase keys rotate-root [--from U] rewrap every tenant data key with the current root key
//	wellbase tenant rotate-key TENANT    new data key version; a job re-encrypts the tenant's files
//	wellbase tenant retire-keys TENANT   destroy the old versions once nothing is encrypted with them
//	wellbase backup --to URL             copy the platform (or --tenant) to a folder or S3
//	wellbase restore --from URL          rebuild a backup on any stores (SQLite + folder, MongoDB + S3)
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
	"strings"
	"syscall"

	"github.com/wellbase/wellbase/internal/app"
)

// version is set at build time with -ldflags "-X main.version=…" (make build, the image);
// without it `wellbase version` reports the VCS revision go build recorded (app.Version).
var version string

func main() {
	ctx, stop := signalContext()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "wellbase:", err)
	}
	os.Exit(exitCode(err))
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

usage:
  wellbase serve [flags]                          serve the API (embedded defaults: ./wellbase-data, :8080)
  wellbase operator create --email EMAIL [flags]  create a platform operator and print its API token once
  wellbase worker [flags]                         run background job workers on the same stores as serve
  wellbase secret put|get|list|delete [NAME]      manage the secret store (values on stdin; get --reveal prints)
  wellbase las check [--json] FILE...             validate LAS files before uploading them
  wellbase keys rotate-root [--from URL] [flags]  rewrap every tenant data key with the current root key
  wellbase tenant rotate-key [flags] TENANT       new data key version for a tenant; a job re-encrypts its files
  wellbase tenant retire-keys [flags] TENANT      destroy a tenant's old key versions once nothing uses them
  wellbase backup --to URL [--tenant T] [flags]   copy the platform (or a tenant) to file:///folder or s3://bucket/prefix
  wellbase restore --from URL [flags]             rebuild a backup into these stores (--from-root-key if another root key)
  wellbase healthcheck [--addr HOST:PORT]         exit 0 if the server answers GET /healthz with 200 within 2 s, else 1
  wellbase version                                print the version this binary was built from

Run 'wellbase COMMAND -h' (or 'wellbase help COMMAND') for a command's usage and flags.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	if args[0] == "help" && len(args) > 1 {
		// wellbase help COMMAND [SUBCOMMAND] = wellbase COMMAND [SUBCOMMAND] -h
		return run(ctx, append(args[1:], "-h"), stdout, stderr)
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout)
	case "operator":
		if err := groupHelp(args[1:], operatorUsage, stdout); err != nil {
			return err
		}
		if len(args) < 2 || args[1] != "create" {
			return errors.New(strings.TrimSpace(operatorUsage))
		}
		return operatorCreate(ctx, args[2:], stdout, stderr)
	case "worker":
		return worker(ctx, args[1:], stdout)
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
	case "backup":
		return backupCommand(ctx, args[1:], stdout, stderr)
	case "restore":
		return restoreCommand(ctx, args[1:], stdout, stderr)
	case "version":
		fs := newFlags("version", "version", "Prints the version this binary was built from: the one stamped at build time (git describe),\nelse the VCS revision go build recorded.", stdout)
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return fmt.Errorf("version: unexpected argument %q", fs.Arg(0))
		}
		// Only the version on stdout, for scripts (`go version -m wellbase` has the rest).
		v := app.Version(version)
		fmt.Fprintf(stdout, "wellbase %s\n", v)
		if v == app.UnknownVersion {
			fmt.Fprintln(stderr, "wellbase: this binary carries no version: it was built without -ldflags \"-X main.version=…\" (make build sets it)"+
				" and without VCS information (go build records the git revision only in a git clone, not a git worktree, and not with GOFLAGS=-buildvcs=false)")
		}
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return flag.ErrHelp
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

const operatorUsage = `usage: wellbase operator create --email EMAIL [flags]

Creates a platform operator and prints its API token once. Run 'wellbase operator create -h'
for its flags.
`
