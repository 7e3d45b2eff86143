package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/app"
	"github.com/wellbase/wellbase/internal/keyring"
	"github.com/wellbase/wellbase/internal/tenancy"
)

// keysCommand runs `wellbase keys rotate-root [--from URL]`: every tenant data key is rewrapped
// with the current root key (--root-key). Without --from the current key unwraps too: right
// for a KMS key with automatic rotation, whose newest backing key then wraps. With --from the
// keys move from an old root key to a new one (a new key file, or from a local key to KMS); run
// it again after an interruption, it skips keys already moved. The report is JSON on stdout.
func keysCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "rotate-root" {
		return errors.New("usage: wellbase keys rotate-root [--from OLD-ROOT-KEY-URL] [flags]")
	}
	var cfg Config
	var from string
	fs := flag.NewFlagSet("keys rotate-root", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.Bind(fs, false)
	fs.StringVar(&from, "from", "", "root key URL the data keys are wrapped with now (default: --root-key itself)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if err := app.NoSecret("--from", from); err != nil {
		return err
	}
	a, err := openApp(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	old := a.Keys
	if from != "" {
		if old, err = keyring.Open(ctx, from, cfg.DataDir); err != nil {
			return fmt.Errorf("keys rotate-root: open --from root key: %w", err)
		}
		defer old.Close()
		if err := old.Check(ctx); err != nil {
			return fmt.Errorf("keys rotate-root: --from: %w", err)
		}
	}
	rep, err := tenancy.RotateRoot(ctx, a.Store, old, a.Keys, "system")
	out, _ := json.MarshalIndent(rep, "", "  ")
	fmt.Fprintln(stdout, string(out))
	if err != nil {
		return fmt.Errorf("keys rotate-root: %w (run it again to finish: keys already rewrapped are skipped)", err)
	}
	return nil
}

const tenantUsage = "usage: wellbase tenant rotate-key|retire-keys [flags] TENANT"

// tenantCommand runs `wellbase tenant rotate-key TENANT`: a new data key version for the
// tenant's new writes, and a queued job (run by serve or worker) that re-encrypts its files;
// and `wellbase tenant retire-keys TENANT`: once the rotation is at least --min-age old, the
// rest re-encrypted and the older versions destroyed.
func tenantCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "rotate-key" && args[0] != "retire-keys") {
		return errors.New(tenantUsage)
	}
	var cfg Config
	var minAge time.Duration
	fs := flag.NewFlagSet("tenant "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.Bind(fs, false)
	if args[0] == "retire-keys" {
		fs.DurationVar(&minAge, "min-age", time.Hour, "the current key version must be this old (uploads begun before the rotation finish first)")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	// Flags may also follow the tenant: wellbase tenant rotate-key acme --secrets …
	tenant := fs.Arg(0)
	if fs.NArg() > 1 {
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return fmt.Errorf("tenant rotate-key: unexpected argument %q after the tenant", fs.Arg(0))
		}
	}
	if tenant == "" {
		return errors.New(tenantUsage)
	}
	a, err := openApp(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	if args[0] == "retire-keys" {
		rep, err := a.Logs.RetireOldKeys(ctx, tenant, minAge)
		if rep != nil {
			out, _ := json.MarshalIndent(rep, "", "  ")
			fmt.Fprintln(stdout, string(out))
		}
		if err != nil {
			return fmt.Errorf("tenant retire-keys: %w", err)
		}
		return wellbase.AppendAuditWithControl(ctx, a.Store, &wellbase.AuditEvent{ID: wellbase.NewID("aud"), TenantID: tenant,
			Time: time.Now().UTC(), Actor: "system", Action: "tenant.retire_keys", Target: tenant,
			Details: map[string]any{"retired": rep.Retired, "current_version": rep.Current}})
	}
	rot, err := a.RotateKey(ctx, tenant, "system")
	if err != nil {
		return fmt.Errorf("tenant rotate-key: %w", err)
	}
	out, _ := json.MarshalIndent(rot, "", "  ")
	fmt.Fprintln(stdout, string(out))
	return nil
}

// openApp resolves cfg and opens the stores, for CLI commands.
func openApp(ctx context.Context, cfg Config) (*App, error) {
	if err := cfg.Resolve(); err != nil {
		return nil, err
	}
	a := &App{}
	if err := a.Open(ctx, cfg); err != nil {
		return nil, err
	}
	return a, nil
}
