package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wellbase/wellbase/internal/app"
)

const secretUsage = `usage:
  wellbase secret put NAME [flags]            read the value from standard input (never from an argument)
  wellbase secret get NAME [--reveal] [flags] show NAME's size and update time; print the value only with --reveal
  wellbase secret list [flags]
  wellbase secret delete NAME [flags]

Manages the secrets Wellbase reads at start-up (database-url, …) in the secret store: by default
<data-dir>/secrets.json, each value sealed by the root key; on AWS SSM Parameter Store. Run
'wellbase secret VERB -h' for the flags.
`

// secretVerbs are the usage lines and descriptions of the secret commands.
var secretVerbs = map[string][2]string{
	"put":    {"secret put NAME [flags]", "Stores the value read from standard input (1 byte to 64 KiB; trailing newlines dropped) as NAME."},
	"get":    {"secret get NAME [--reveal] [flags]", "Shows that NAME is set, its size and update time; --reveal prints its value."},
	"list":   {"secret list [flags]", "Lists the secrets' names, sizes and update times (never their values)."},
	"delete": {"secret delete NAME [flags]", "Deletes the secret NAME."},
}

// secretCommand manages the secrets the server reads at start-up, in the secret store --secrets
// names: by default the local one (values sealed by the root key in <data-dir>/secrets.json), on
// AWS SSM Parameter Store. Values are read from standard input so they never appear in a shell's
// history or the process list.
func secretCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if err := groupHelp(args, secretUsage, stdout); err != nil {
		return err
	}
	if len(args) == 0 {
		return errors.New(strings.TrimSpace(secretUsage))
	}
	verb := args[0]
	use, ok := secretVerbs[verb]
	if !ok {
		return errors.New(strings.TrimSpace(secretUsage))
	}
	var cfg Config
	fs := newFlags("secret "+verb, use[0], use[1], stdout)
	// The secret store, and the root key that seals the local one: nothing else is opened.
	cfg.BindFlags(fs.FlagSet, app.StoreFlags)
	fs.accept("database", "files")
	var reveal *bool
	if verb == "get" {
		reveal = fs.Bool("reveal", false, "print the secret's value")
	}
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
		return fmt.Errorf("usage: wellbase %s", use[0])
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
		fmt.Fprintf(stderr, "secret %s set (%s)\n", name, plural(len(value), "byte"))
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
		fmt.Fprintf(stdout, "%s is set (%s, updated %s); add --reveal to print it\n", info.Name, plural(info.Bytes, "byte"), info.UpdatedAt.Format(time.RFC3339))
	case "list":
		infos, err := store.List(ctx)
		if err != nil {
			return err
		}
		for _, i := range infos {
			size := plural(i.Bytes, "byte")
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
	}
	return nil
}
