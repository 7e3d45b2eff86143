package backup

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"gocloud.dev/gcerrors"
	"golang.org/x/sync/errgroup"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/files"
	"github.com/wellbase/wellbase/internal/keyring"
)

// Into is what a backup is restored into: any store and file store, empty or not (see
// RestoreOptions), and its root key.
type Into struct {
	Store wellbase.Store
	Files *files.Store
	// RootKey is the target's root key: the data keys are stored wrapped by it.
	RootKey *keyring.Keyring
}

// RestoreOptions are the settings of Restore.
type RestoreOptions struct {
	// FromRootKey is the root key the backup's data keys are wrapped by, when the target's root
	// key is another (a new key file, or KMS after the local key): each data key is unwrapped
	// with it and wrapped again with the target's, in memory only. nil: the target's root key
	// must unwrap them as they are.
	FromRootKey *keyring.Keyring
	// Merge restores beside tenants of the target that the backup does not hold.
	Merge bool
	// Force restores over tenants the target holds too: their records are replaced by the
	// backup's (by ID; records the backup lacks are kept) and their objects by the backup's.
	// It implies Merge.
	Force bool
	// Tenant, if set, restores that tenant of the backup only.
	Tenant string
	// Concurrency is the number of objects copied at once; 4 if 0.
	Concurrency int
	// Progress, if set, is told what is done, one line at a time.
	Progress func(format string, args ...any)
}

// Report says what a restore did.
type Report struct {
	Backup string `json:"backup"`
	Scope  string `json:"scope"`
	// Tenants are the tenants restored.
	Tenants []TenantReport `json:"tenants"`
	// AlreadyRestored are tenants the target held already, as the backup has them (the same
	// tenant: ID and creation time), left as they are: what a restore run again after an
	// interruption finds of the tenants it finished. Force restores them again.
	AlreadyRestored []string `json:"already_restored,omitempty"`
	// RootKey is the target's root key; FromRootKey the backup's, when they differ; Rewrapped
	// counts the data key versions wrapped again.
	RootKey     string  `json:"root_key"`
	FromRootKey string  `json:"from_root_key,omitempty"`
	Rewrapped   int     `json:"rewrapped_data_keys"`
	Seconds     float64 `json:"seconds"`
}

// TenantReport is one tenant restored.
type TenantReport struct {
	ID      string                      `json:"id"`
	Records map[wellbase.RecordKind]int `json:"records"`
	// Objects counts the objects copied, ObjectsPresent those the target held already with the
	// backup's bytes (a restore run again), Bytes the bytes copied.
	Objects        int     `json:"objects"`
	ObjectsPresent int     `json:"objects_present"`
	Bytes          int64   `json:"bytes"`
	Seconds        float64 `json:"seconds"`
}

// loadBatch is how many records a restore loads in one call of the store's Load.
const loadBatch = 500

// Restore rebuilds the backup at from (file:///folder or s3://bucket/prefix?region=…) into
// into, and returns what it did. In order:
//
//  1. The manifest is read: a location without one is ENotFound (no backup, or one that did not
//     finish). Nothing is written before steps 2-4 pass.
//  2. The target must hold no tenant (EConflict), except tenants of the backup it holds as the
//     backup has them (a restore run again: they are skipped), unless opts.Merge (tenants the
//     backup lacks may be there) or opts.Force (the backup's tenants may be there too).
//  3. Every record file is read and checked against its SHA-256 (ErrCorrupt).
//  4. Every data key must unwrap with the target's root key, or be rewrapped from
//     opts.FromRootKey; otherwise an error names both root keys.
//  5. The control plane (operators, their credentials, the control-plane audit log), then each
//     tenant: its objects, each checked against its SHA-256 as it is copied (a copy that does
//     not match is not stored), then its records kind by kind, then its tenant record, last: a
//     tenant whose record is missing is not usable (its tokens are refused), so a tenant is
//     committed by its record.
//
// Records are written with their IDs and times, password and token hashes included, so that
// passwords and API tokens keep working. Every write is an upsert by key, and an object the
// target holds with the backup's bytes is not copied again, so a restore interrupted at any
// point and run again finishes without duplicates. The restore is recorded in the
// control-plane audit log (action platform.restore, target the backup's ID).
//
// An error before anything is written returns no report, and its message says that nothing
// was restored; an error after returns the report of what was done so far.
func Restore(ctx context.Context, into Into, from string, opts RestoreOptions) (*Report, error) {
	start := time.Now()
	loc, err := openLocation(ctx, from, false)
	if err != nil {
		return nil, err
	}
	defer loc.Close()
	m, err := readManifest(ctx, loc)
	if err != nil {
		return nil, err
	}
	r := &restore{into: into, loc: loc, m: m, opts: opts,
		rep: &Report{Backup: m.ID, Scope: m.Scope, RootKey: into.RootKey.ID()}}
	if opts.FromRootKey != nil && opts.FromRootKey.ID() != into.RootKey.ID() {
		r.rep.FromRootKey = opts.FromRootKey.ID()
	}
	if err := r.plan(ctx); err != nil {
		return nil, err
	}
	if err := r.verifyRecords(ctx); err != nil {
		return nil, err
	}
	if err := r.dataKeys(ctx); err != nil {
		return nil, err
	}
	// From here on the target is written to: an error returns the report of what was done.
	if err := r.control(ctx); err != nil {
		return r.rep, err
	}
	for _, e := range r.todo {
		if err := r.tenant(ctx, e); err != nil {
			return r.rep, fmt.Errorf("restore tenant %s: %w", e.ID, err)
		}
	}
	r.rep.Seconds = time.Since(start).Seconds()
	ids := make([]string, len(r.rep.Tenants))
	for i, t := range r.rep.Tenants {
		ids[i] = t.ID
	}
	if err := into.Store.AppendControlAudit(ctx, &wellbase.AuditEvent{ID: wellbase.NewID("cae"), Time: time.Now().UTC(),
		Actor: "system", Action: "platform.restore", Target: m.ID, Details: map[string]any{
			"scope": m.Scope, "tenants": ids, "already_restored": r.rep.AlreadyRestored, "backup_taken_at": m.StartedAt,
			"source": m.Source, "root_key": r.rep.RootKey, "rewrapped_data_keys": r.rep.Rewrapped}}); err != nil {
		return r.rep, fmt.Errorf("restore finished; recording it in the control-plane audit log failed: %w", err)
	}
	return r.rep, nil
}

// ReadManifest returns the manifest of the backup at rawURL: what it holds, without reading
// the rest.
func ReadManifest(ctx context.Context, rawURL string) (*Manifest, error) {
	loc, err := openLocation(ctx, rawURL, false)
	if err != nil {
		return nil, err
	}
	defer loc.Close()
	return readManifest(ctx, loc)
}

func readManifest(ctx context.Context, loc *location) (*Manifest, error) {
	b, err := loc.bucket.ReadAll(ctx, ManifestFile)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil, wellbase.Errorf(wellbase.ENotFound, "%s has no %s: it holds no backup, or a backup that did not finish (a backup writes its manifest last); nothing was restored", loc.name, ManifestFile)
	}
	if err != nil {
		return nil, fmt.Errorf("backup location %s: read %s: %w", loc.name, ManifestFile, err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, wellbase.Errorf(wellbase.EInvalid, "%s/%s is not a backup manifest: %v", loc.name, ManifestFile, err)
	}
	if m.Format != Format {
		return nil, wellbase.Errorf(wellbase.EInvalid, "%s/%s has format %q; this Wellbase reads %q", loc.name, ManifestFile, m.Format, Format)
	}
	for _, t := range m.Tenants {
		if err := wellbase.ValidateTenantID(t.ID); err != nil {
			return nil, wellbase.Errorf(wellbase.EInvalid, "%s/%s names an invalid tenant %q", loc.name, ManifestFile, t.ID)
		}
	}
	return &m, nil
}

type restore struct {
	into Into
	loc  *location
	m    *Manifest
	opts RestoreOptions
	rep  *Report

	todo    []TenantEntry                     // the tenants to restore, in the manifest's order
	tenants map[string]*wellbase.Tenant       // the backup's tenant records
	keys    map[string][]*wellbase.WrappedKey // each tenant's data keys, wrapped by the target's root key
	ciphers map[string]files.Cipher           // the key each tenant's record files are encrypted with
}

func (r *restore) progress(format string, args ...any) {
	if r.opts.Progress != nil {
		r.opts.Progress(format, args...)
	}
}

// plan reads the backup's tenant records and the target's tenants, and decides which tenants
// to restore (step 2 of Restore).
func (r *restore) plan(ctx context.Context) error {
	r.tenants = map[string]*wellbase.Tenant{}
	if _, err := r.records(ctx, "control/"+string(wellbase.KindTenant)+".jsonl", wellbase.KindTenant, nil, func(recs []any) error {
		for _, rec := range recs {
			t := rec.(*wellbase.Tenant)
			r.tenants[t.ID] = t
		}
		return nil
	}); err != nil {
		return err
	}
	var selected []TenantEntry
	for _, e := range r.m.Tenants {
		if r.opts.Tenant == "" || e.ID == r.opts.Tenant {
			if r.tenants[e.ID] == nil {
				return wellbase.Errorf(wellbase.EInvalid, "backup %s lists tenant %s but has no record of it", r.m.ID, e.ID)
			}
			selected = append(selected, e)
		}
	}
	if r.opts.Tenant != "" && len(selected) == 0 {
		return wellbase.Errorf(wellbase.ENotFound, "backup %s holds no tenant %s", r.m.ID, r.opts.Tenant)
	}
	existing, err := wellbase.All(ctx, r.into.Store.ListTenants)
	if err != nil {
		return fmt.Errorf("list the target's tenants: %w", err)
	}
	have := map[string]*wellbase.Tenant{}
	for _, t := range existing {
		have[t.ID] = t
	}
	var foreign []string
	for _, t := range existing {
		if r.tenants[t.ID] == nil || !slices.ContainsFunc(selected, func(e TenantEntry) bool { return e.ID == t.ID }) {
			foreign = append(foreign, t.ID)
		}
	}
	if len(foreign) > 0 && !r.opts.Merge && !r.opts.Force {
		return wellbase.Errorf(wellbase.EConflict, "the target is not empty: it holds %d tenant(s) that are not being restored (%s); restore refuses a non-empty target: restore into an empty one, or add the backup's tenants beside them with --merge",
			len(foreign), list(foreign, 5))
	}
	var differ []string
	for _, e := range selected {
		t, ok := have[e.ID]
		switch {
		case !ok:
			r.todo = append(r.todo, e)
		case sameTenant(t, r.tenants[e.ID]) && !r.opts.Force:
			r.rep.AlreadyRestored = append(r.rep.AlreadyRestored, e.ID)
		case r.opts.Force:
			r.todo = append(r.todo, e)
		default:
			differ = append(differ, e.ID)
		}
	}
	if len(differ) > 0 {
		return wellbase.Errorf(wellbase.EConflict, "the target holds tenant(s) %s, other than the backup's of the same ID (created at another time); --force replaces their records and files with the backup's",
			list(differ, 5))
	}
	if len(r.rep.AlreadyRestored) > 0 {
		r.progress("already restored, skipped: %s", strings.Join(r.rep.AlreadyRestored, ", "))
	}
	return nil
}

// sameTenant reports whether a and b are one tenant: the same ID and creation time (to the
// millisecond, the precision every store keeps).
func sameTenant(a, b *wellbase.Tenant) bool {
	return a.ID == b.ID && a.CreatedAt.Truncate(time.Millisecond).Equal(b.CreatedAt.Truncate(time.Millisecond))
}

func list(ids []string, n int) string {
	if len(ids) > n {
		return strings.Join(ids[:n], ", ") + fmt.Sprintf(" and %d more", len(ids)-n)
	}
	return strings.Join(ids, ", ")
}

// verifyRecords checks every record file that the restore reads against its SHA-256 (step 3).
func (r *restore) verifyRecords(ctx context.Context) error {
	prefixes := []string{"control/"}
	for _, e := range r.todo {
		prefixes = append(prefixes, "records/"+e.ID+"/")
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for name := range r.m.Files {
			if slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(name, p) }) && !yield(name) {
				return
			}
		}
	})
	for _, name := range names {
		if err := r.loc.verify(ctx, name, r.m.Files[name]); err != nil {
			return fmt.Errorf("check the backup before restoring: %w; nothing was restored", err)
		}
	}
	r.progress("checked %d record files", len(names))
	return nil
}

// dataKeys reads the data keys of the tenants to restore and makes sure the target's root key
// unwraps each: as they are, or rewrapped from opts.FromRootKey (step 4).
func (r *restore) dataKeys(ctx context.Context) error {
	r.keys = map[string][]*wellbase.WrappedKey{}
	r.ciphers = map[string]files.Cipher{}
	for _, e := range r.todo {
		name := "records/" + e.ID + "/" + string(wellbase.KindDataKey) + ".jsonl"
		if _, err := r.records(ctx, name, wellbase.KindDataKey, nil, func(recs []any) error {
			for _, rec := range recs {
				k := rec.(*wellbase.WrappedKey)
				dk, err := r.into.RootKey.UnwrapDataKey(ctx, e.ID, k.Wrapped)
				switch {
				case err == nil:
				case r.opts.FromRootKey == nil:
					return fmt.Errorf("data key version %d of tenant %s does not unwrap with the target's root key %s (%v); the backup's data keys are wrapped by %s: give that key with --from-root-key, and they are wrapped again with the target's",
						k.Version, e.ID, r.into.RootKey.ID(), err, r.m.Source.RootKey)
				default:
					w, rerr := r.into.RootKey.Rewrap(ctx, e.ID, k.Wrapped, r.opts.FromRootKey)
					if rerr != nil {
						return fmt.Errorf("data key version %d of tenant %s unwraps neither with the target's root key %s nor with --from-root-key %s (%v); the backup's data keys are wrapped by %s",
							k.Version, e.ID, r.into.RootKey.ID(), r.opts.FromRootKey.ID(), rerr, r.m.Source.RootKey)
					}
					k.Wrapped = w
					r.rep.Rewrapped++
					if dk, err = r.into.RootKey.UnwrapDataKey(ctx, e.ID, w); err != nil {
						return err
					}
				}
				r.keys[e.ID] = append(r.keys[e.ID], k)
				if k.Version == e.RecordsKeyVersion {
					r.ciphers[e.ID] = dk
				}
			}
			return nil
		}); err != nil {
			return fmt.Errorf("%w; nothing was restored", err)
		}
		if e.RecordsKeyVersion != 0 && r.ciphers[e.ID] == nil {
			return wellbase.Errorf(wellbase.EInvalid, "tenant %s: its records are encrypted with data key version %d, which the backup does not hold; nothing was restored",
				e.ID, e.RecordsKeyVersion)
		}
	}
	return nil
}

// control loads the control plane: operators, their credentials and the control-plane audit
// log (a tenant backup holds only the audit events about its tenant).
func (r *restore) control(ctx context.Context) error {
	for _, kind := range wellbase.ControlKinds {
		if kind == wellbase.KindTenant {
			continue // each with its tenant, last
		}
		n, err := r.records(ctx, "control/"+string(kind)+".jsonl", kind, nil, func(recs []any) error {
			return r.into.Store.Load(ctx, kind, recs...)
		})
		if err != nil {
			return fmt.Errorf("restore the control plane: %w", err)
		}
		if n > 0 {
			r.progress("control plane: %d %s", n, kind)
		}
	}
	return nil
}

// tenant restores one tenant (step 5): objects, records, and its tenant record last.
func (r *restore) tenant(ctx context.Context, e TenantEntry) error {
	start := time.Now()
	rep := TenantReport{ID: e.ID, Records: map[wellbase.RecordKind]int{}}
	if e.Status != wellbase.TenantDeleted {
		if err := r.into.Files.CreateTenantPrefix(ctx, e.ID); err != nil {
			return err
		}
	}
	if err := r.objects(ctx, e.ID, &rep); err != nil {
		return err
	}
	ts := r.into.Store.Tenant(e.ID)
	for _, kind := range wellbase.TenantKinds {
		if kind == wellbase.KindDataKey {
			keys := make([]any, len(r.keys[e.ID]))
			for i, k := range r.keys[e.ID] {
				keys[i] = k
			}
			if err := ts.Load(ctx, kind, keys...); err != nil {
				return fmt.Errorf("load data keys: %w", err)
			}
			rep.Records[kind] = len(keys)
			continue
		}
		n, err := r.records(ctx, "records/"+e.ID+"/"+string(kind)+".jsonl", kind, r.ciphers[e.ID], func(recs []any) error {
			return ts.Load(ctx, kind, recs...)
		})
		if err != nil {
			return err
		}
		rep.Records[kind] = n
	}
	if err := r.into.Store.Load(ctx, wellbase.KindTenant, r.tenants[e.ID]); err != nil {
		return fmt.Errorf("load the tenant record: %w", err)
	}
	rep.Seconds = time.Since(start).Seconds()
	r.rep.Tenants = append(r.rep.Tenants, rep)
	r.progress("tenant %s: %d records, %d objects copied (%.1f MB), %d already there, in %.1f s", e.ID, sum(rep.Records),
		rep.Objects, float64(rep.Bytes)/1e6, rep.ObjectsPresent, rep.Seconds)
	return nil
}

// objects copies the tenant's objects from the backup, checking each against its SHA-256 as it
// streams; an object the target holds with the same bytes is kept.
func (r *restore) objects(ctx context.Context, tenant string, rep *TenantReport) error {
	prefix := "objects/" + tenant + "/"
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(concurrency(r.opts.Concurrency))
	for name, want := range r.m.Files {
		key, ok := strings.CutPrefix(name, prefix)
		if !ok {
			continue
		}
		g.Go(func() error {
			copied, err := r.object(gctx, tenant, key, name, want)
			if err != nil {
				return fmt.Errorf("object %s: %w", key, err)
			}
			mu.Lock()
			defer mu.Unlock()
			if copied {
				rep.Objects++
				rep.Bytes += want.Size
			} else {
				rep.ObjectsPresent++
			}
			return nil
		})
	}
	return g.Wait()
}

// object copies backup file name to the tenant's object key, unless the target holds it with
// the same bytes already; it reports whether it copied.
func (r *restore) object(ctx context.Context, tenant, key, name string, want FileEntry) (bool, error) {
	size, err := r.into.Files.Size(ctx, tenant, key)
	switch {
	case err == nil && size == want.Size:
		same, err := r.sameStored(ctx, tenant, key, want)
		if err != nil || same {
			return false, err
		}
	case err != nil && wellbase.ErrorCode(err) != wellbase.ENotFound:
		return false, err
	}
	src, err := r.loc.open(ctx, name, want)
	if err != nil {
		return false, err
	}
	defer src.Close()
	// A copy that does not match its checksum fails at its end, and PutStored then stores nothing.
	if _, err := r.into.Files.PutStored(ctx, tenant, key, bufio.NewReaderSize(src, copyBufferSize)); err != nil {
		return false, err
	}
	return true, nil
}

// sameStored reports whether the target's object key of tenant has the SHA-256 of want.
func (r *restore) sameStored(ctx context.Context, tenant, key string, want FileEntry) (bool, error) {
	rc, _, err := r.into.Files.OpenStored(ctx, tenant, key)
	if err != nil {
		return false, err
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.CopyBuffer(h, rc, make([]byte, copyBufferSize)); err != nil {
		return false, err
	}
	return hex.EncodeToString(h.Sum(nil)) == want.SHA256, nil
}

// records reads the records of backup file name, of kind, checked against the manifest and
// decrypted with c (nil: a file in plaintext), and calls fn with them in batches of loadBatch;
// it returns how many it read. A file the manifest does not list holds no record.
func (r *restore) records(ctx context.Context, name string, kind wellbase.RecordKind, c files.Cipher, fn func([]any) error) (int, error) {
	want, ok := r.m.Files[name]
	if !ok {
		return 0, nil
	}
	rc, err := r.loc.open(ctx, name, want)
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	var src io.Reader = rc
	if c != nil {
		if src, err = c.DecryptReader(rc, fileAAD(r.m.ID, name)); err != nil {
			return 0, fmt.Errorf("decrypt %s: %w", name, err)
		}
	}
	br := bufio.NewReaderSize(src, 256<<10)
	var batch []any
	n, line := 0, 0
	for {
		b, err := br.ReadBytes('\n')
		if b = bytes.TrimSuffix(b, []byte("\n")); len(b) > 0 {
			line++
			rec, derr := decodeRecord(kind, b)
			if derr != nil {
				return n, wellbase.Errorf(wellbase.EInvalid, "backup file %s line %d: %v", name, line, derr)
			}
			if batch = append(batch, rec); len(batch) == loadBatch {
				if err := fn(batch); err != nil {
					return n, fmt.Errorf("%s line %d: %w", name, line, err)
				}
				n += len(batch)
				batch = nil
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, err
		}
	}
	if len(batch) > 0 {
		if err := fn(batch); err != nil {
			return n, fmt.Errorf("%s: %w", name, err)
		}
		n += len(batch)
	}
	return n, nil
}
