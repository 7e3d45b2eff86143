package backup_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/backup"
	"github.com/wellbase/wellbase/internal/keyring"
)

// rootKeyOf opens the root key of e's data dir as a file:// root key, the way a restore is
// given the old environment's key (--from-root-key file:///…/root.key).
func rootKeyOf(tb testing.TB, e *env) *keyring.Keyring {
	tb.Helper()
	path := filepath.Join(e.cfg.DataDir, keyring.RootKeyFile)
	k, err := keyring.Open(context.Background(), (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String(), "")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { k.Close() })
	return k
}

// TestBackupRestore backs up two tenants of the embedded default and restores them into a new
// data dir, with its own root key: every record, file and token is back; run again, the
// restore copies nothing twice.
func TestBackupRestore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := embedded(t)
	acme, globex := seed(t, src, "acme", 2), seed(t, src, "globex", 1)
	loc := folder(t)
	m, err := backup.Backup(ctx, src.from(), loc, backup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Format != backup.Format || m.Scope != backup.ScopePlatform || len(m.Tenants) != 2 || m.Source.RootKey != src.Keys.ID() {
		t.Fatalf("manifest %+v", m)
	}
	if got := len(objectNames(m, "acme")); got != 4 {
		t.Errorf("acme's objects in the backup: %d, want 4 (2 logs, original and curves)", got)
	}

	t.Run("NoPlaintextNoKey", func(t *testing.T) {
		rootKey, _ := os.ReadFile(filepath.Join(src.cfg.DataDir, keyring.RootKeyFile))
		for name := range m.Files {
			b, err := os.ReadFile(fileOf(t, loc, name))
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(b, bytes.TrimSpace(rootKey)) {
				t.Errorf("%s holds the root key", name)
			}
			if strings.HasPrefix(name, "objects/") && (bytes.Contains(b, []byte("~Curve")) || bytes.Contains(b, []byte("gamma ray"))) {
				t.Errorf("%s holds plaintext", name)
			}
			// The tenants' records are encrypted with their data keys, but the wrapped keys.
			if strings.HasPrefix(name, "records/") && !strings.HasSuffix(name, "/data_keys.jsonl") &&
				(bytes.Contains(b, []byte("@acme.example")) || bytes.Contains(b, []byte("@globex.example")) || bytes.Contains(b, []byte("argon2id")) || bytes.Contains(b, []byte("Sm3"))) {
				t.Errorf("%s holds a tenant's records in plaintext", name)
			}
		}
		for _, e := range m.Tenants {
			if e.RecordsKeyVersion != 1 {
				t.Errorf("tenant %s: records_key_version %d, want 1", e.ID, e.RecordsKeyVersion)
			}
		}
	})

	dst := embedded(t)
	if _, err := backup.Restore(ctx, dst.into(), loc, backup.RestoreOptions{}); err == nil || !strings.Contains(err.Error(), "--from-root-key") {
		t.Fatalf("restore under another root key without the backup's: %v, want an error naming --from-root-key", err)
	}
	if tenants, _, _ := dst.Store.ListTenants(ctx, wellbase.Page{}); len(tenants) != 0 {
		t.Fatalf("a refused restore wrote %d tenants", len(tenants))
	}
	oldKey := rootKeyOf(t, src)
	rep, err := backup.Restore(ctx, dst.into(), loc, backup.RestoreOptions{FromRootKey: oldKey})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Tenants) != 2 || rep.Rewrapped != 2 || rep.FromRootKey != oldKey.ID() || rep.Tenants[0].Objects != 4 {
		t.Errorf("report %+v", rep)
	}
	sameRecords(t, records(t, src), records(t, dst))
	sameFiles(t, dst, acme)
	sameFiles(t, dst, globex)
	tokenWorks(t, dst, "acme", acme.token)
	tokenWorks(t, dst, "globex", globex.token)

	t.Run("RunAgain", func(t *testing.T) {
		before := records(t, dst)
		rep, err := backup.Restore(ctx, dst.into(), loc, backup.RestoreOptions{FromRootKey: rootKeyOf(t, src)})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Tenants) != 0 || !slices.Equal(rep.AlreadyRestored, []string{"acme", "globex"}) {
			t.Errorf("a restore run again: restored %+v, already restored %v", rep.Tenants, rep.AlreadyRestored)
		}
		sameRecords(t, before, records(t, dst))
	})
	t.Run("Force", func(t *testing.T) {
		w, _ := wellbase.All(ctx, dst.Store.Tenant("acme").ListWells)
		renamed := *w[0]
		renamed.Name = "renamed after the restore"
		if err := dst.Store.Tenant("acme").UpdateWell(ctx, &renamed); err != nil {
			t.Fatal(err)
		}
		rep, err := backup.Restore(ctx, dst.into(), loc, backup.RestoreOptions{FromRootKey: rootKeyOf(t, src), Force: true, Tenant: "acme"})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Tenants) != 1 || rep.Tenants[0].Objects != 0 || rep.Tenants[0].ObjectsPresent != 4 {
			t.Errorf("--force over the same data: %+v (want every object found present, none copied)", rep.Tenants)
		}
		if got, _ := dst.Store.Tenant("acme").GetWell(ctx, w[0].ID); got.Name != w[0].Name {
			t.Errorf("--force left the well named %q, want the backup's %q", got.Name, w[0].Name)
		}
	})
}

// TestRestoreRefusals: a restore refuses what would mix or overwrite data, and says why.
func TestRestoreRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := embedded(t)
	seed(t, src, "acme", 1)
	loc := folder(t)
	if _, err := backup.Backup(ctx, src.from(), loc, backup.Options{}); err != nil {
		t.Fatal(err)
	}
	from := rootKeyOf(t, src)

	t.Run("BackupOverABackup", func(t *testing.T) {
		_, err := backup.Backup(ctx, src.from(), loc, backup.Options{})
		if wellbase.ErrorCode(err) != wellbase.EConflict || !strings.Contains(err.Error(), "never overwritten") {
			t.Errorf("a second backup to the same location: %v, want conflict", err)
		}
	})
	t.Run("NoManifest", func(t *testing.T) {
		empty := folder(t)
		os.MkdirAll(fileOf(t, empty, "records/acme"), 0o700)
		_, err := backup.Restore(ctx, embedded(t).into(), empty, backup.RestoreOptions{})
		if wellbase.ErrorCode(err) != wellbase.ENotFound || !strings.Contains(err.Error(), "did not finish") {
			t.Errorf("restore of a location without a manifest: %v", err)
		}
	})
	t.Run("NonEmptyTarget", func(t *testing.T) {
		dst := embedded(t)
		seed(t, dst, "initech", 0)
		_, err := backup.Restore(ctx, dst.into(), loc, backup.RestoreOptions{FromRootKey: from})
		if wellbase.ErrorCode(err) != wellbase.EConflict || !strings.Contains(err.Error(), "initech") || !strings.Contains(err.Error(), "--merge") {
			t.Fatalf("restore into a target with a tenant: %v", err)
		}
		if _, err := dst.Store.GetTenant(ctx, "acme"); wellbase.ErrorCode(err) != wellbase.ENotFound {
			t.Errorf("the refused restore wrote acme: %v", err)
		}
		if _, err := backup.Restore(ctx, dst.into(), loc, backup.RestoreOptions{FromRootKey: from, Merge: true}); err != nil {
			t.Fatalf("--merge: %v", err)
		}
		for _, id := range []string{"acme", "initech"} {
			if _, err := dst.Store.GetTenant(ctx, id); err != nil {
				t.Errorf("after --merge, tenant %s: %v", id, err)
			}
		}
	})
	t.Run("OtherTenantOfTheSameID", func(t *testing.T) {
		dst := embedded(t)
		seed(t, dst, "acme", 0)
		_, err := backup.Restore(ctx, dst.into(), loc, backup.RestoreOptions{FromRootKey: from, Merge: true})
		if wellbase.ErrorCode(err) != wellbase.EConflict || !strings.Contains(err.Error(), "--force") {
			t.Errorf("restore over another tenant acme: %v, want a conflict naming --force", err)
		}
	})
	t.Run("UnknownTenant", func(t *testing.T) {
		_, err := backup.Restore(ctx, embedded(t).into(), loc, backup.RestoreOptions{FromRootKey: from, Tenant: "nope"})
		if wellbase.ErrorCode(err) != wellbase.ENotFound {
			t.Errorf("restore of a tenant the backup lacks: %v", err)
		}
	})
	t.Run("BadLocation", func(t *testing.T) {
		for _, bad := range []string{"ftp://x/y", "file://relative/path", "s3:///prefix"} {
			if _, err := backup.Backup(ctx, src.from(), bad, backup.Options{}); wellbase.ErrorCode(err) != wellbase.EInvalid {
				t.Errorf("backup to %q: %v, want invalid", bad, err)
			}
		}
	})
}

// corrupt flips a byte in the middle of backup file name.
func corrupt(t *testing.T, loc, name string) []byte {
	t.Helper()
	path := fileOf(t, loc, name)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	orig := slices.Clone(b)
	b[len(b)/2] ^= 0x55
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return orig
}

// TestRestoreCorrupt: a record file that does not match its checksum stops the restore before
// anything is written; an object that does not match is not stored, and its tenant is not
// committed. Put right and run again, the restore finishes without duplicates.
func TestRestoreCorrupt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := embedded(t)
	acme, globex := seed(t, src, "acme", 1), seed(t, src, "globex", 2)
	loc := folder(t)
	m, err := backup.Backup(ctx, src.from(), loc, backup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	from := rootKeyOf(t, src)
	dst := embedded(t)

	t.Run("RecordFile", func(t *testing.T) {
		name := "records/globex/wells.jsonl"
		orig := corrupt(t, loc, name)
		defer os.WriteFile(fileOf(t, loc, name), orig, 0o600)
		rep, err := backup.Restore(ctx, dst.into(), loc, backup.RestoreOptions{FromRootKey: from})
		if !errors.Is(err, backup.ErrCorrupt) || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "nothing was restored") || rep != nil {
			t.Fatalf("restore with a corrupt record file: %v", err)
		}
		if d := records(t, dst); len(d[""][wellbase.KindOperator]) != 0 || len(d[""][wellbase.KindTenant]) != 0 {
			t.Errorf("something was written: %d tenants", len(d[""][wellbase.KindTenant]))
		}
	})
	t.Run("Object", func(t *testing.T) {
		name := objectNames(m, "globex")[1]
		orig := corrupt(t, loc, name)
		rep, err := backup.Restore(ctx, dst.into(), loc, backup.RestoreOptions{FromRootKey: from, Concurrency: 1})
		if !errors.Is(err, backup.ErrCorrupt) || !strings.Contains(err.Error(), "globex") || rep == nil {
			t.Fatalf("restore with a corrupt object: %v", err)
		}
		key := strings.TrimPrefix(name, "objects/globex/")
		if _, _, err := dst.Files.OpenStored(ctx, "globex", key); wellbase.ErrorCode(err) != wellbase.ENotFound {
			t.Errorf("the corrupt object was stored: %v", err)
		}
		if _, err := dst.Store.GetTenant(ctx, "globex"); wellbase.ErrorCode(err) != wellbase.ENotFound {
			t.Errorf("globex was committed although an object failed: %v", err)
		}
		if _, err := dst.Store.GetTenant(ctx, "acme"); err != nil {
			t.Errorf("acme, restored before globex, is not there: %v", err)
		}

		// Put right, run again: acme is left as it is, globex finishes.
		os.WriteFile(fileOf(t, loc, name), orig, 0o600)
		rep, err = backup.Restore(ctx, dst.into(), loc, backup.RestoreOptions{FromRootKey: from})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rep.AlreadyRestored, []string{"acme"}) || len(rep.Tenants) != 1 || rep.Tenants[0].Objects+rep.Tenants[0].ObjectsPresent != 4 {
			t.Errorf("second run: %+v", rep)
		}
		sameRecords(t, records(t, src), records(t, dst))
		sameFiles(t, dst, acme)
		sameFiles(t, dst, globex)
	})
}

// TestTenantBackup backs up one tenant and restores it beside another platform's tenants,
// with its tokens and its control-plane audit events but no operator.
func TestTenantBackup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := embedded(t)
	acme := seed(t, src, "acme", 1)
	seed(t, src, "globex", 1)
	loc := folder(t)
	m, err := backup.Backup(ctx, src.from(), loc, backup.Options{Tenant: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Scope != backup.ScopeTenant || len(m.Tenants) != 1 || len(objectNames(m, "globex")) != 0 || m.Control[wellbase.KindOperator] != 0 {
		t.Fatalf("tenant backup manifest: scope %s, %d tenants, control %v", m.Scope, len(m.Tenants), m.Control)
	}
	if _, err := backup.Backup(ctx, src.from(), folder(t), backup.Options{Tenant: "nope"}); wellbase.ErrorCode(err) != wellbase.ENotFound {
		t.Errorf("backup of a missing tenant: %v", err)
	}
	dst := embedded(t)
	seed(t, dst, "initech", 0)
	if _, err := backup.Restore(ctx, dst.into(), loc, backup.RestoreOptions{FromRootKey: rootKeyOf(t, src), Merge: true}); err != nil {
		t.Fatal(err)
	}
	want, got := records(t, src), records(t, dst)
	sameRecords(t, map[string]map[wellbase.RecordKind][]any{"acme": want["acme"]}, map[string]map[wellbase.RecordKind][]any{"acme": got["acme"]})
	sameFiles(t, dst, acme)
	tokenWorks(t, dst, "acme", acme.token)
	for _, rec := range got[""][wellbase.KindControlAudit] {
		if e := rec.(*wellbase.AuditEvent); e.TenantID != "acme" && e.TenantID != "initech" {
			t.Errorf("control-plane audit event of %q restored from acme's backup", e.TenantID)
		}
	}
}

// TestManifestJSON: the manifest is JSON a person can read: the tenants with their counts.
func TestManifestJSON(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := embedded(t)
	seed(t, src, "acme", 1)
	loc := folder(t)
	if _, err := backup.Backup(ctx, src.from(), loc, backup.Options{}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(fileOf(t, loc, backup.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"format", "id", "scope", "started_at", "finished_at", "source", "control", "tenants", "files"} {
		if _, ok := m[k]; !ok {
			t.Errorf("manifest has no %q", k)
		}
	}
	tenants := m["tenants"].([]any)
	records := tenants[0].(map[string]any)["records"].(map[string]any)
	if records["logs"] != 1.0 || records["production"] != 24.0 || records["users"] != 2.0 {
		t.Errorf("manifest's record counts of acme: %v", records)
	}
	if got, err := backup.ReadManifest(ctx, loc); err != nil || got.ID != m["id"] {
		t.Errorf("ReadManifest: %v, %v", got, err)
	}
}
