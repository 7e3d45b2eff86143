package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
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
	if err := groupHelp(args, keysUsage, stdout); err != nil {
		return err
	}
	if len(args) == 0 || args[0] != "rotate-root" {
		return errors.New(strings.TrimSpace(keysUsage))
	}
	var cfg Config
	var from string
	fs := newFlags("keys rotate-root", "keys rotate-root [--from OLD-ROOT-KEY-URL] [flags]", `Rewraps every tenant's data keys with the root key --root-key names, and prints a JSON report.
Without --from the current root key unwraps too (a KMS key with automatic rotation then wraps under
its newest backing key); with --from the keys move from an old root key to a new one. Run it again
after an interruption: keys already rewrapped are skipped.`, stdout)
	cfg.BindFlags(fs.FlagSet, app.StoreFlags)
	fs.StringVar(&from, "from", "", "root key URL the data keys are wrapped with now (default: --root-key itself)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("keys rotate-root: unexpected argument %q", fs.Arg(0))
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

const keysUsage = `usage: wellbase keys rotate-root [--from OLD-ROOT-KEY-URL] [flags]

Rewraps every tenant's data keys with the current root key. Run 'wellbase keys rotate-root -h'
for its flags.
`

const tenantUsage = `usage:
  wellbase tenant rotate-key [flags] TENANT    new data key version for the tenant's new writes; a job re-encrypts its files
  wellbase tenant retire-keys [flags] TENANT   re-encrypt what is left and destroy the older key versions

Run 'wellbase tenant VERB -h' for the flags.
`

// tenantVerbs are the usage lines and descriptions of the tenant commands.
var tenantVerbs = map[string][2]string{
	"rotate-key": {"tenant rotate-key [flags] TENANT", `Makes a new data key version for the tenant's new writes and queues a data-key-reencrypt job
(run by serve or worker) that re-encrypts its files; older versions stay for reading. Prints the
rotation as JSON.`},
	"retire-keys": {"tenant retire-keys [--min-age DURATION] [flags] TENANT", `Once the current key version is at least --min-age old, re-encrypts whatever is left, checks
that every log is on the current version and destroys the older wrapped keys. Prints a JSON report.`},
}

// tenantCommand runs `wellbase tenant rotate-key TENANT`: a new data key version for the
// tenant's new writes, and a queued job (run by serve or worker) that re-encrypts its files;
// and `wellbase tenant retire-keys TENANT`: once the rotation is at least --min-age old, the
// rest re-encrypted and the older versions destroyed.
func tenantCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if err := groupHelp(args, tenantUsage, stdout); err != nil {
		return err
	}
	if len(args) == 0 {
		return errors.New(strings.TrimSpace(tenantUsage))
	}
	use, ok := tenantVerbs[args[0]]
	if !ok {
		return errors.New(strings.TrimSpace(tenantUsage))
	}
	var cfg Config
	var minAge time.Duration
	fs := newFlags("tenant "+args[0], use[0], use[1], stdout)
	cfg.BindFlags(fs.FlagSet, app.StoreFlags)
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
			return fmt.Errorf("tenant %s: unexpected argument %q after the tenant", args[0], fs.Arg(0))
		}
	}
	if tenant == "" {
		return fmt.Errorf("usage: wellbase %s", use[0])
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
