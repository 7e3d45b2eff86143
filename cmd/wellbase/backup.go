package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/app"
	"github.com/wellbase/wellbase/internal/backup"
	"github.com/wellbase/wellbase/internal/files"
	"github.com/wellbase/wellbase/internal/keyring"
	"github.com/wellbase/wellbase/internal/mongodb"
	"github.com/wellbase/wellbase/internal/sqlite"
)

// backupCommand runs `wellbase backup --to URL [--tenant T]`: a copy of the platform (or one
// tenant) on the stores the usual flags name, to a folder or S3 (internal/backup). It may run
// while serve runs. Progress goes to stderr, the manifest's summary as JSON to stdout.
func backupCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	var to, tenant string
	var concurrency int
	fs := newFlags("backup", "backup --to URL [--tenant T] [flags]", `Copies the platform (or one tenant) on these stores to a folder or S3: every record (a tenant's
encrypted with its data key), every file as stored (ciphertext), the wrapped data keys and a
manifest with every file's SHA-256, written last. serve may run meanwhile. Prints a JSON summary.`, stdout)
	cfg.BindFlags(fs.FlagSet, app.StoreFlags)
	fs.StringVar(&to, "to", "", "where to write the backup (required): file:///absolute/folder or s3://bucket/prefix?region=…[&endpoint=…&use_path_style=true]; an empty location")
	fs.StringVar(&tenant, "tenant", "", "back up this tenant only (default: the whole platform)")
	fs.IntVar(&concurrency, "concurrency", 4, "objects copied at once")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("backup: unexpected argument %q", fs.Arg(0))
	}
	if to == "" {
		return errors.New("backup: --to is required: file:///absolute/folder or s3://bucket/prefix?region=…")
	}
	if err := app.NoSecret("--to", to); err != nil {
		return err
	}
	a, err := openApp(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	dataKey := func(ctx context.Context, tenant string) (int, files.Cipher, error) {
		v, dk, err := a.DataKeys.Current(ctx, tenant)
		if err != nil {
			return 0, nil, err
		}
		return v, dk, nil
	}
	m, err := backup.Backup(ctx, backup.From{Store: a.Store, Files: a.Files, DataKey: dataKey, Source: backup.Source{
		Database: storeKind(a), Files: a.Files.Scheme(), RootKey: a.Keys.ID(), Version: version,
	}}, to, backup.Options{Tenant: tenant, Concurrency: concurrency, Progress: progressTo(stderr)})
	if err != nil {
		return fmt.Errorf("backup: %s", message(err))
	}
	var bytes int64
	for _, f := range m.Files {
		bytes += f.Size
	}
	out, _ := json.MarshalIndent(map[string]any{"backup": m.ID, "scope": m.Scope, "to": app.Redact(to), "tenants": m.Tenants,
		"files": len(m.Files) + 1, "bytes": bytes, "root_key": m.Source.RootKey,
		"seconds": m.FinishedAt.Sub(m.StartedAt).Seconds()}, "", "  ")
	fmt.Fprintln(stdout, string(out))
	fmt.Fprintf(stderr, "backup %s complete; keep the root key %s: without it the backup cannot be read\n", m.ID, m.Source.RootKey)
	return nil
}

// restoreCommand runs `wellbase restore --from URL`: the backup rebuilt on the stores the usual
// flags name, whatever drivers the backup came from (internal/backup). The report goes to
// stdout as JSON, progress to stderr.
func restoreCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	var from, fromRootKey, tenant string
	var force, merge bool
	var concurrency int
	fs := newFlags("restore", "restore --from URL [--from-root-key URL] [--merge|--force] [flags]", `Rebuilds a backup into these stores, whatever drivers it came from: checks every file against its
SHA-256, rewraps the data keys from --from-root-key into --root-key, refuses a target that has
tenants (unless --merge or --force), and finishes without duplicates when run again. Prints a JSON
report.`, stdout)
	cfg.BindFlags(fs.FlagSet, app.StoreFlags)
	fs.StringVar(&from, "from", "", "the backup to restore (required): file:///absolute/folder or s3://bucket/prefix?region=…")
	fs.StringVar(&fromRootKey, "from-root-key", "", "the root key the backup's data keys are wrapped by, when --root-key is another one: file:///path/root.key of the old data dir, or awskms:///alias/…; they are wrapped again with --root-key")
	fs.StringVar(&tenant, "tenant", "", "restore this tenant of the backup only")
	fs.BoolVar(&merge, "merge", false, "restore beside the tenants the target holds already (default: refuse a target that has tenants)")
	fs.BoolVar(&force, "force", false, "restore over tenants the target holds too: their records and files are replaced by the backup's")
	fs.IntVar(&concurrency, "concurrency", 4, "objects copied at once")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("restore: unexpected argument %q", fs.Arg(0))
	}
	if from == "" {
		return errors.New("restore: --from is required: file:///absolute/folder or s3://bucket/prefix?region=…")
	}
	for name, v := range map[string]string{"--from": from, "--from-root-key": fromRootKey} {
		if err := app.NoSecret(name, v); err != nil {
			return err
		}
	}
	// Read the manifest before opening the target, so that a wrong --from changes nothing (not
	// even a root key generated in a new data dir).
	m, err := backup.ReadManifest(ctx, from)
	if err != nil {
		return fmt.Errorf("restore: %s", message(err))
	}
	a, err := openApp(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	opts := backup.RestoreOptions{Tenant: tenant, Merge: merge, Force: force, Concurrency: concurrency, Progress: progressTo(stderr)}
	if fromRootKey != "" {
		if opts.FromRootKey, err = keyring.Open(ctx, fromRootKey, cfg.DataDir); err != nil {
			return fmt.Errorf("restore: --from-root-key: %w", err)
		}
		defer opts.FromRootKey.Close()
	}
	fmt.Fprintf(stderr, "restoring backup %s (%s, %d tenants, taken %s from %s + %s) into %s\n", m.ID, m.Scope, len(m.Tenants),
		m.StartedAt.Format("2006-01-02 15:04:05Z"), m.Source.Database, m.Source.Files, a.DatabaseName)
	rep, err := backup.Restore(ctx, backup.Into{Store: a.Store, Files: a.Files, RootKey: a.Keys}, from, opts)
	if rep != nil {
		out, _ := json.MarshalIndent(rep, "", "  ")
		fmt.Fprintln(stdout, string(out))
	}
	switch {
	case err != nil && rep != nil:
		return fmt.Errorf("restore: %s (run it again to finish: what is restored already is not copied twice)", message(err))
	case err != nil:
		return fmt.Errorf("restore: %s", message(err))
	}
	return nil
}

// message returns the text of err for a person at a terminal: a Wellbase error's message, or
// the error itself.
func message(err error) string {
	if wellbase.ErrorCode(err) != wellbase.EInternal {
		return wellbase.ErrorMessage(err)
	}
	return err.Error()
}

// storeKind names the database driver of a, for a backup's manifest.
func storeKind(a *App) string {
	switch a.Store.(type) {
	case *sqlite.DB:
		return "sqlite"
	case *mongodb.DB:
		return "mongodb"
	}
	return fmt.Sprintf("%T", a.Store)
}

// progressTo returns a Progress function that writes lines to w.
func progressTo(w io.Writer) func(string, ...any) {
	return func(format string, args ...any) {
		fmt.Fprintf(w, strings.TrimSuffix(format, "\n")+"\n", args...)
	}
}
