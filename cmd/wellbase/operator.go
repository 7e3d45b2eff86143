package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/app"
	"github.com/wellbase/wellbase/internal/identity"
	"github.com/wellbase/wellbase/internal/secretstore"
)

// operatorCreate makes a platform operator and prints its token on stdout, alone, so a script
// can capture it; everything else goes to stderr. It works while serve runs on the same data dir.
//
// With --token-secret NAME the token is written to the secret store (--secrets) under NAME
// instead, and never printed: that is how the first operator of a deployment whose database is
// reachable only from inside its network is made by a one-off task, whose output goes to a log
// group (deploy/README.md). An administrator then reads the secret once and deletes it.
func operatorCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	var email, tokenSecret string
	var days int
	fs := newFlags("operator create", "operator create --email EMAIL [flags]", `Creates a platform operator and prints its API token (wbo_…) alone on standard output, once.
It works while serve runs on the same data dir.`, stdout)
	cfg.BindFlags(fs.FlagSet, app.StoreFlags)
	fs.accept("files") // it opens the database (and the secret store for a secret:// URL) only
	fs.StringVar(&email, "email", "", "the operator's email (required)")
	fs.IntVar(&days, "expires-in-days", 90, "token lifetime in days (1-365)")
	fs.StringVar(&tokenSecret, "token-secret", "", "store the token in the secret store under this name instead of printing it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("operator create: unexpected argument %q", fs.Arg(0))
	}
	if tokenSecret != "" {
		if err := secretstore.ValidateName(tokenSecret); err != nil {
			return fmt.Errorf("operator create: --token-secret: %s", wellbase.ErrorMessage(err))
		}
	}
	if email == "" {
		return fmt.Errorf("operator create: --email is required")
	}
	email, err := wellbase.NormalizeEmail("email", email)
	if err != nil {
		return fmt.Errorf("operator create: %s", wellbase.ErrorMessage(err))
	}
	if days < 1 || days > 365 {
		return fmt.Errorf("operator create: --expires-in-days must be from 1 to 365, got %d", days)
	}
	if err := cfg.Resolve(); err != nil {
		return err
	}
	if cfg, err = app.ResolveSecretRefs(ctx, cfg); err != nil {
		return err
	}
	// The secret store is opened first: a token that cannot be stored must not be issued.
	var secrets secretstore.Store
	if tokenSecret != "" {
		if secrets, err = app.OpenSecretStore(ctx, cfg); err != nil {
			return fmt.Errorf("operator create: secret store: %w", err)
		}
		defer secrets.Close()
	}
	store, err := app.OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	token, o, c, err := identity.CreateOperator(ctx, store, email, time.Duration(days)*24*time.Hour, time.Now())
	if err != nil {
		return fmt.Errorf("operator create: %w", err)
	}
	if secrets != nil {
		if err := secrets.Put(ctx, tokenSecret, []byte(token)); err != nil {
			return fmt.Errorf("operator create: store the token in secret %s: %w (operator %s exists; make another)", tokenSecret, err, o.ID)
		}
		fmt.Fprintf(stderr, "operator %s created (id %s); its token expires %s and is in secret %s: read it once, then delete the secret\n",
			email, o.ID, c.ExpiresAt.Format(time.RFC3339), tokenSecret)
		return nil
	}
	fmt.Fprintf(stderr, "operator %s created (id %s); its token expires %s and is shown only now:\n", email, o.ID, c.ExpiresAt.Format(time.RFC3339))
	fmt.Fprintln(stdout, token)
	return nil
}
