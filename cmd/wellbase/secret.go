package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/wellbase/wellbase/internal/keyring"
	"github.com/wellbase/wellbase/internal/secretstore"
)

const secretUsage = `usage:
  wellbase secret put NAME            read the value from standard input (never from an argument)
  wellbase secret get NAME [--reveal] say whether NAME is set; print the value only with --reveal
  wellbase secret list
  wellbase secret delete NAME`

// secretCommand manages the secrets the server reads at start-up, in the local secret store
// (values sealed by the root key in <data-dir>/secrets.json). Values are read from standard input
// so they never appear in a shell's history or the process list.
func secretCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(secretUsage)
	}
	verb := args[0]
	var cfg Config
	fs := flag.NewFlagSet("secret "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.bind(fs, false)
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
	if err := cfg.resolve(); err != nil {
		return err
	}
	kr, err := keyring.Open(ctx, cfg.RootKey, cfg.DataDir)
	if err != nil {
		return fmt.Errorf("open root key: %w", err)
	}
	defer kr.Close()
	store := secretstore.Open(cfg.DataDir, kr)
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
		value, err := store.Get(ctx, name)
		if err != nil {
			return err
		}
		if *reveal {
			fmt.Fprintf(stdout, "%s\n", value)
		} else {
			fmt.Fprintf(stdout, "%s is set (%d bytes); add --reveal to print it\n", name, len(value))
		}
	case "list":
		infos, err := store.List(ctx)
		if err != nil {
			return err
		}
		for _, i := range infos {
			fmt.Fprintf(stdout, "%s\t%d bytes\tupdated %s\n", i.Name, i.Bytes, i.UpdatedAt.Format(time.RFC3339))
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
