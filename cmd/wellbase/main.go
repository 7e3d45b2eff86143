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
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "wellbase:", err)
		}
		os.Exit(2)
	}
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
  wellbase backup --to URL [--tenant T] [flags]   copy the platform (or a tenant) to file:///folder or s3://bucket/prefix
  wellbase restore --from URL [flags]             rebuild a backup into these stores (--from-root-key if another root key)
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
	case "backup":
		return backupCommand(ctx, args[1:], stdout, stderr)
	case "restore":
		return restoreCommand(ctx, args[1:], stdout, stderr)
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
