package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/wellbase/wellbase/internal/app"
)

const secretUsage = `usage:
  wellbase secret put NAME            read the value from standard input (never from an argument)
  wellbase secret get NAME [--reveal] show NAME's size and update time; print the value only with --reveal
  wellbase secret list
  wellbase secret delete NAME
flags: --secrets URL (default file:///<data-dir>; awsparamstore:///<prefix>?region=… for SSM Parameter Store), --data-dir, --root-key`

// secretCommand manages the secrets the server reads at start-up, in the secret store --secrets
// names: by default the local one (values sealed by the root key in <data-dir>/secrets.json), on
// AWS SSM Parameter Store. Values are read from standard input so they never appear in a shell's
// history or the process list.
func secretCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(secretUsage)
	}
	verb := args[0]
	var cfg Config
	fs := flag.NewFlagSet("secret "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.Bind(fs, false)
	reveal := fs.Bool("reveal", false, "get: print the secret's value")
	// Flags may come before or after NAME.
	var pos []string
	for rest := args[1:]; ; {
		if err := fs.Parse(rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos, rest = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
	name := ""
	if len(pos) > 0 {
		name = pos[0]
	}
	if (verb == "list") != (len(pos) == 0) || len(pos) > 1 {
		return errors.New(secretUsage)
	}
	if err := cfg.Resolve(); err != nil {
		return err
	}
	store, err := app.OpenSecretStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	switch verb {
	case "put":
		value, err := io.ReadAll(io.LimitReader(stdin, 64<<10+1))
		if err != nil {
			return err
		}
		value = bytes.TrimRight(value, "\r\n")
		if len(value) == 0 || len(value) > 64<<10 {
			return fmt.Errorf("secret put %s: the value on standard input must have 1 byte to 64 KiB", name)
		}
		if err := store.Put(ctx, name, value); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "secret %s set (%d bytes)\n", name, len(value))
	case "get":
		if *reveal {
			value, err := store.Get(ctx, name)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s\n", value)
			break
		}
		info, err := store.Stat(ctx, name)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s is set (%d bytes, updated %s); add --reveal to print it\n", info.Name, info.Bytes, info.UpdatedAt.Format(time.RFC3339))
	case "list":
		infos, err := store.List(ctx)
		if err != nil {
			return err
		}
		for _, i := range infos {
			size := fmt.Sprintf("%d bytes", i.Bytes)
			if i.Bytes < 0 {
				size = "size not listed" // Parameter Store: `secret get NAME` measures it
			}
			fmt.Fprintf(stdout, "%s\t%s\tupdated %s\n", i.Name, size, i.UpdatedAt.Format(time.RFC3339))
		}
	case "delete":
		if err := store.Delete(ctx, name); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "secret %s deleted\n", name)
	default:
		return errors.New(secretUsage)
	}
	return nil
}
