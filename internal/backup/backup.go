// Package backup makes and restores portable copies of a Wellbase platform, or of one tenant:
// what `wellbase backup --to URL` and `wellbase restore --from URL` run. A backup is independent
// of the drivers: one taken from SQLite and a folder restores into MongoDB and S3, and back,
// which is also how a deployment moves from the embedded default to MongoDB Atlas and S3.
//
// # What a backup holds
//
// Every record of every kind (wellbase.ControlKinds and TenantKinds, through the store's Dump),
// password and token hashes included so that passwords and API tokens keep working; every
// stored object of the tenants, copied as stored: ciphertext under the tenant's data key,
// never decrypted; and the tenants' data keys, every version, still wrapped by the root key.
// A tenant's record files are encrypted with its current data key (the stream format of its
// files, with the backup's ID and the file's name as associated data), so that without the root
// key a backup shows of a tenant only its ID and counts. The control-plane files (operators,
// their token hashes, the tenants' records, the control-plane audit log) are plaintext.
// Idempotency records of retried requests are not backed up: they expire within a day.
//
// # Layout
//
//	manifest.json                    written last; a location without it holds no complete backup
//	control/<kind>.jsonl             operators, operator_credentials, control_audit, tenants
//	records/<tenant>/<kind>.jsonl    the tenant's records of each kind, one JSON object per line,
//	                                 encrypted with its data key (data_keys.jsonl: wrapped keys)
//	objects/<tenant>/<key>           the tenant's object "tenants/<tenant>/<key>", bytes as stored
//
// The manifest (Manifest) names the format, the backup's ID and times, the source's drivers and
// root key (their kinds and the root key's ID, never a location's secrets), each tenant with its
// record counts, and every file with its size and SHA-256.
//
// # Consistency
//
// A backup may be taken while serve runs. It is consistent per tenant in this sense: for each
// tenant, its records are one snapshot (SQLite: one read transaction; MongoDB: read kind by kind,
// what refers before what it refers to, so nothing dumped refers to a record created later),
// and the objects copied are exactly those of the records in the snapshot: the original and
// curves of each log in it, the archive of each export job in it, and the tenant's other files.
// Objects are written whole before their log is recorded (and staged until complete), so a
// log's objects are final when its record is read; objects of logs recorded after the snapshot
// are left out, and a log deleted while the backup runs (its objects gone before they were
// copied) is left out too, as if the backup had been taken a moment later for it. The data key
// versions are read once more after the objects are copied, so that an object re-encrypted by a
// key rotation meanwhile has its version in the backup. Tenants are copied one after another:
// there is no single instant across tenants, which share no records.
//
// # What must survive
//
// The root key that wrapped the data keys (root.key of the data dir, or the KMS key): a restore
// needs it (--from-root-key if the target uses another root key). Without it the tenants'
// records and files in a backup are ciphertext. A backup holds the tenants' wrapped data keys,
// so offboarding a tenant does not make earlier backups of it unreadable: erasing it from them
// means deleting them.
package backup

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/files"
)

// Format is the format of the backups this package writes and reads.
const Format = "wellbase-backup/1"

// ManifestFile is the name of the manifest in a backup.
const ManifestFile = "manifest.json"

// Scopes of a backup.
const (
	ScopePlatform = "platform" // every tenant, and the operators and control-plane audit log
	ScopeTenant   = "tenant"   // one tenant, its record and the control-plane audit events about it
)

// Manifest describes a complete backup; it is written last.
type Manifest struct {
	Format string `json:"format"`
	// ID names the backup ("bkp_…"); a restore records it in the control-plane audit log.
	ID         string    `json:"id"`
	Scope      string    `json:"scope"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	Source     Source    `json:"source"`
	// Control counts the control-plane records by kind.
	Control map[wellbase.RecordKind]int `json:"control"`
	Tenants []TenantEntry               `json:"tenants"`
	// Files lists every file of the backup but the manifest, by name.
	Files map[string]FileEntry `json:"files"`
}

// Source describes where a backup was taken, without locations or secrets.
type Source struct {
	// Database and Files are the drivers' URL schemes ("sqlite", "mongodb", "file", "s3").
	Database string `json:"database"`
	Files    string `json:"files"`
	// RootKey names the root key that wraps the data keys in the backup (keyring.Keyring.ID):
	// restore needs it, or --from-root-key naming it.
	RootKey string `json:"root_key"`
	// Version is the Wellbase version that wrote the backup.
	Version string `json:"version"`
}

// TenantEntry is a tenant in a backup.
type TenantEntry struct {
	ID     string                `json:"id"`
	Status wellbase.TenantStatus `json:"status"`
	// Records counts the tenant's records by kind.
	Records map[wellbase.RecordKind]int `json:"records"`
	// Objects and ObjectBytes count its objects and their stored bytes.
	Objects     int   `json:"objects"`
	ObjectBytes int64 `json:"object_bytes"`
	// DataKeyVersions are the versions of its data key in the backup.
	DataKeyVersions []int `json:"data_key_versions"`
	// RecordsKeyVersion is the data key version its record files (but data_keys.jsonl) are
	// encrypted with; 0: they are in plaintext (a tenant with no data key).
	RecordsKeyVersion int `json:"records_key_version,omitempty"`
	// DroppedLogs are logs deleted while the backup ran: their objects were gone before they
	// could be copied, so the backup holds neither.
	DroppedLogs []string `json:"dropped_logs,omitempty"`
}

// Options are the settings of Backup.
type Options struct {
	// Tenant, if set, backs up that tenant only (ScopeTenant).
	Tenant string
	// Concurrency is the number of objects copied at once; 4 if 0.
	Concurrency int
	// Progress, if set, is told what is done, one line at a time.
	Progress func(format string, args ...any)
}

// From is what a backup is taken from.
type From struct {
	Store wellbase.Store
	Files *files.Store
	// DataKey returns tenant's current data key and its version (tenancy.DataKeys.Current),
	// ENotFound if it has none: the tenant's record files are encrypted with it. nil: they are
	// written in plaintext.
	DataKey func(ctx context.Context, tenant string) (int, files.Cipher, error)
	// Source is recorded in the manifest.
	Source Source
}

// Backup copies src (the whole platform, or opts.Tenant) to the location to (file:///folder or
// s3://bucket/prefix?region=…) and returns the manifest it wrote last. A location that holds a
// backup already (a manifest) is refused with EConflict: backups are never overwritten. An
// interrupted backup leaves files but no manifest; run it again to the same location, or use
// another. Errors name the tenant, kind or object at fault.
func Backup(ctx context.Context, src From, to string, opts Options) (*Manifest, error) {
	loc, err := openLocation(ctx, to, true)
	if err != nil {
		return nil, err
	}
	defer loc.Close()
	if ok, err := loc.exists(ctx, ManifestFile); err != nil {
		return nil, err
	} else if ok {
		return nil, wellbase.Errorf(wellbase.EConflict, "%s holds a backup already (%s): backups are never overwritten; choose an empty location", loc.name, ManifestFile)
	}
	if opts.Tenant != "" {
		if err := wellbase.ValidateTenantID(opts.Tenant); err != nil {
			return nil, err
		}
	}
	b := &backup{src: src, loc: loc, opts: opts, m: &Manifest{Format: Format, ID: wellbase.NewID("bkp"), Scope: ScopePlatform,
		StartedAt: time.Now().UTC(), Source: src.Source, Control: map[wellbase.RecordKind]int{}, Files: map[string]FileEntry{}}}
	if opts.Tenant != "" {
		b.m.Scope = ScopeTenant
	}
	tenants, err := b.control(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range tenants {
		if err := b.tenant(ctx, t); err != nil {
			return nil, fmt.Errorf("back up tenant %s: %w", t.ID, err)
		}
	}
	b.m.FinishedAt = time.Now().UTC()
	w, err := loc.create(ctx, ManifestFile, "application/json")
	if err != nil {
		return nil, err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b.m); err != nil {
		w.Abort()
		return nil, fmt.Errorf("write %s: %w", ManifestFile, err)
	}
	if _, err := w.Close(); err != nil {
		return nil, fmt.Errorf("write %s: %w", ManifestFile, err)
	}
	return b.m, nil
}

type backup struct {
	src  From
	loc  *location
	opts Options
	mu   sync.Mutex // guards m.Files during object copies
	m    *Manifest
}

func (b *backup) progress(format string, args ...any) {
	if b.opts.Progress != nil {
		b.opts.Progress(format, args...)
	}
}

// jsonlFile writes one JSON Lines file of a backup, encrypted if it has a cipher.
type jsonlFile struct {
	name string
	w    *fileWriter
	enc  io.WriteCloser // the cipher's stream into w; nil for a file in plaintext
	buf  *bufio.Writer
	n    int
}

// createJSONL starts file name, encrypted with c (nil: in plaintext) under the associated data
// of the file (fileAAD).
func (b *backup) createJSONL(ctx context.Context, name string, c files.Cipher) (*jsonlFile, error) {
	w, err := b.loc.create(ctx, name, "application/jsonl")
	if err != nil {
		return nil, err
	}
	f := &jsonlFile{name: name, w: w}
	var dst io.Writer = w
	if c != nil {
		if f.enc, err = c.EncryptWriter(w, fileAAD(b.m.ID, name)); err != nil {
			w.Abort()
			return nil, fmt.Errorf("write %s: %w", name, err)
		}
		dst = f.enc
	}
	f.buf = bufio.NewWriterSize(dst, 256<<10)
	return f, nil
}

// fileAAD is the associated data of an encrypted file of backup id: the backup's ID and the
// file's name, so that a file decrypts only as itself, in its own backup.
func fileAAD(id, name string) []byte { return []byte(Format + " " + id + " " + name) }

// writeLine writes line and a newline.
func (f *jsonlFile) writeLine(line []byte) error {
	f.buf.Write(line)
	if err := f.buf.WriteByte('\n'); err != nil {
		return fmt.Errorf("write %s: %w", f.name, err)
	}
	f.n++
	return nil
}

// write writes rec as a line.
func (f *jsonlFile) write(rec any) error {
	line, err := encodeRecord(rec)
	if err != nil {
		return fmt.Errorf("write %s: %w", f.name, err)
	}
	return f.writeLine(line)
}

// close finishes the file and lists it in the manifest.
func (b *backup) close(f *jsonlFile) error {
	err := f.buf.Flush()
	if err == nil && f.enc != nil {
		err = f.enc.Close()
	}
	if err != nil {
		f.w.Abort()
		return fmt.Errorf("write %s: %w", f.name, err)
	}
	e, err := f.w.Close()
	if err != nil {
		return fmt.Errorf("write %s: %w", f.name, err)
	}
	b.mu.Lock()
	b.m.Files[f.name] = e
	b.mu.Unlock()
	return nil
}

// writeRecords writes the JSON Lines file name of recs, encrypted with c if not nil.
func (b *backup) writeRecords(ctx context.Context, name string, c files.Cipher, recs []any) error {
	f, err := b.createJSONL(ctx, name, c)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if err := f.write(rec); err != nil {
			f.w.Abort()
			return err
		}
	}
	return b.close(f)
}

// control writes the control-plane files and returns the tenants to back up. A tenant backup
// holds the tenant's record and the control-plane audit events about it, not the operators.
func (b *backup) control(ctx context.Context) ([]*wellbase.Tenant, error) {
	recs := map[wellbase.RecordKind][]any{}
	err := b.src.Store.Dump(ctx, func(kind wellbase.RecordKind, rec any) error {
		if b.opts.Tenant != "" {
			switch r := rec.(type) {
			case *wellbase.Tenant:
				if r.ID != b.opts.Tenant {
					return nil
				}
			case *wellbase.AuditEvent:
				if r.TenantID != b.opts.Tenant {
					return nil
				}
			default: // operators and their credentials
				return nil
			}
		}
		recs[kind] = append(recs[kind], rec)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the control plane: %w", err)
	}
	var tenants []*wellbase.Tenant
	for _, rec := range recs[wellbase.KindTenant] {
		tenants = append(tenants, rec.(*wellbase.Tenant))
	}
	if b.opts.Tenant != "" && len(tenants) == 0 {
		return nil, wellbase.Errorf(wellbase.ENotFound, "tenant %s not found", b.opts.Tenant)
	}
	for _, kind := range wellbase.ControlKinds {
		if err := b.writeRecords(ctx, "control/"+string(kind)+".jsonl", nil, recs[kind]); err != nil {
			return nil, err
		}
		b.m.Control[kind] = len(recs[kind])
	}
	b.progress("control plane: %d tenants, %d operators, %d control-plane audit events", len(tenants),
		len(recs[wellbase.KindOperator]), len(recs[wellbase.KindControlAudit]))
	return tenants, nil
}

// tenant backs up one tenant: its records, then the objects they refer to, then its logs and
// data keys (see the package doc).
func (b *backup) tenant(ctx context.Context, t *wellbase.Tenant) error {
	start := time.Now()
	ts := b.src.Store.Tenant(t.ID)
	dir := "records/" + t.ID + "/"
	e := TenantEntry{ID: t.ID, Status: t.Status, Records: map[wellbase.RecordKind]int{}}
	// The tenant's records are encrypted with its current data key, as its files are. A tenant
	// without one (offboarded, or onboarding stopped before its key) has them in plaintext.
	var c files.Cipher
	if b.src.DataKey != nil {
		v, dk, err := b.src.DataKey(ctx, t.ID)
		switch {
		case err == nil:
			c, e.RecordsKeyVersion = dk, v
		case wellbase.ErrorCode(err) != wellbase.ENotFound:
			return fmt.Errorf("data key: %w", err)
		}
	}

	// 1. The records, from one snapshot. Logs and data keys are held back: logs until their
	// objects are copied, data keys until they are read again.
	var (
		open    *jsonlFile
		logs    = map[string]*heldLog{}
		logIDs  []string
		keys    = map[int]*wellbase.WrappedKey{}
		jobs    = map[string]bool{}
		written = map[wellbase.RecordKind]bool{}
	)
	err := ts.Dump(ctx, func(kind wellbase.RecordKind, rec any) error {
		switch r := rec.(type) {
		case *wellbase.WellLog:
			line, err := encodeRecord(r)
			if err != nil {
				return fmt.Errorf("log %s: %w", r.ID, err)
			}
			logs[r.ID] = &heldLog{line: line, storedBytes: r.StoredBytes}
			logIDs = append(logIDs, r.ID)
			return nil
		case *wellbase.WrappedKey:
			keys[r.Version] = r
			return nil
		case *wellbase.Job:
			jobs[r.ID] = true
		}
		if open == nil || open.name != dir+string(kind)+".jsonl" {
			if written[kind] { // the store's Dump keeps a kind's records together
				return fmt.Errorf("the store yielded records of kind %s apart from one another", kind)
			}
			if open != nil {
				if err := b.close(open); err != nil {
					return err
				}
			}
			var err error
			if open, err = b.createJSONL(ctx, dir+string(kind)+".jsonl", c); err != nil {
				return err
			}
			written[kind] = true
		}
		e.Records[kind]++
		return open.write(rec)
	})
	if err == nil && open != nil {
		err = b.close(open)
		open = nil
	}
	if err != nil {
		if open != nil {
			open.w.Abort()
		}
		return fmt.Errorf("read records: %w", err)
	}
	for _, kind := range wellbase.TenantKinds { // an empty file for each kind the tenant has none of
		if !written[kind] && kind != wellbase.KindLog && kind != wellbase.KindDataKey {
			if err := b.writeRecords(ctx, dir+string(kind)+".jsonl", c, nil); err != nil {
				return err
			}
			e.Records[kind] = 0
		}
	}

	// 2. The objects of those records.
	if t.Status != wellbase.TenantDeleted {
		dropped, err := b.objects(ctx, t.ID, logs, jobs, &e)
		if err != nil {
			return err
		}
		for id := range dropped {
			delete(logs, id)
			e.DroppedLogs = append(e.DroppedLogs, id)
		}
		slices.Sort(e.DroppedLogs)
	}

	// 3. The logs whose objects were copied, in the dump's order.
	f, err := b.createJSONL(ctx, dir+string(wellbase.KindLog)+".jsonl", c)
	if err != nil {
		return err
	}
	for _, id := range logIDs {
		if l, ok := logs[id]; ok {
			if err := f.writeLine(l.line); err != nil {
				f.w.Abort()
				return err
			}
		}
	}
	e.Records[wellbase.KindLog] = f.n
	if err := b.close(f); err != nil {
		return err
	}

	// 4. The data keys: those of the snapshot and any version made since (an object copied may
	// have been re-encrypted with it), the newer reading of a version winning.
	now, err := ts.DataKeys(ctx)
	if err != nil {
		return fmt.Errorf("read data keys: %w", err)
	}
	for _, k := range now {
		keys[k.Version] = k
	}
	versions := slices.Sorted(maps.Keys(keys))
	recs := make([]any, len(versions))
	for i, v := range versions {
		recs[i] = keys[v]
	}
	// In plaintext: they are what decrypts the rest, wrapped by the root key.
	if err := b.writeRecords(ctx, dir+string(wellbase.KindDataKey)+".jsonl", nil, recs); err != nil {
		return err
	}
	e.Records[wellbase.KindDataKey] = len(recs)
	e.DataKeyVersions = versions
	b.m.Tenants = append(b.m.Tenants, e)
	b.progress("tenant %s: %d records, %d objects (%.1f MB) in %.1f s", t.ID, sum(e.Records), e.Objects,
		float64(e.ObjectBytes)/1e6, time.Since(start).Seconds())
	return nil
}

// objects copies the tenant's objects that the snapshot refers to: the objects of its logs,
// the archives of its export jobs, and its other files. It returns the logs whose objects were
// deleted before they could be copied.
func (b *backup) objects(ctx context.Context, tenant string, logs map[string]*heldLog, jobs map[string]bool, e *TenantEntry) (map[string]bool, error) {
	objs, err := b.src.Files.List(ctx, tenant, "")
	if err != nil {
		return nil, fmt.Errorf("list objects: %w", err)
	}
	var mu sync.Mutex
	dropped := map[string]bool{}
	// A log's objects take its StoredBytes (re-encryption keeps their sizes). A log of the
	// snapshot whose objects listed take less was deleted before or while they were listed (a
	// log's record goes first, then its objects); one whose objects take more was parsed since
	// the snapshot (its curves added), and is kept.
	listed := map[string]int64{}
	for _, o := range objs {
		if id, ok := ownerLog(o.Key); ok {
			listed[id] += o.Size
		}
	}
	for id, l := range logs {
		if listed[id] < l.storedBytes {
			dropped[id] = true
		}
	}
	gone := maps.Clone(dropped) // read below while copies add to dropped
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(concurrency(b.opts.Concurrency))
	for _, o := range objs {
		logID, isLog := ownerLog(o.Key)
		if isLog && (logs[logID] == nil || gone[logID]) {
			continue // a log recorded after the snapshot, never recorded (a write killed mid-way), or deleted
		}
		if jobID, isExport := exportJob(o.Key); isExport && !jobs[jobID] {
			continue
		}
		g.Go(func() error {
			n, err := b.copyObject(gctx, tenant, o.Key)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case wellbase.ErrorCode(err) == wellbase.ENotFound && isLog:
				dropped[logID] = true // deleted with its log since the snapshot
				return nil
			case wellbase.ErrorCode(err) == wellbase.ENotFound:
				return nil // deleted since it was listed
			case err != nil:
				return fmt.Errorf("object %s: %w", o.Key, err)
			}
			e.Objects++
			e.ObjectBytes += n
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	// A log whose objects were partly copied before it was deleted: drop those copies too, so
	// the backup holds neither.
	prefix := "objects/" + tenant + "/"
	for name, f := range b.m.Files {
		if id, ok := ownerLog(strings.TrimPrefix(name, prefix)); ok && strings.HasPrefix(name, prefix) && dropped[id] {
			if err := b.loc.bucket.Delete(ctx, name); err != nil {
				return nil, fmt.Errorf("delete %s of log %s, deleted meanwhile: %w", name, id, err)
			}
			e.Objects--
			e.ObjectBytes -= f.Size
			delete(b.m.Files, name)
		}
	}
	return dropped, nil
}

// heldLog is a log of the snapshot, held until its objects are copied: its line and the
// bytes its objects take.
type heldLog struct {
	line        []byte
	storedBytes int64
}

// copyObject copies object key of tenant, as stored, to objects/<tenant>/<key>.
func (b *backup) copyObject(ctx context.Context, tenant, key string) (int64, error) {
	r, _, err := b.src.Files.OpenStored(ctx, tenant, key)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	name := "objects/" + tenant + "/" + key
	w, err := b.loc.create(ctx, name, "application/octet-stream")
	if err != nil {
		return 0, err
	}
	if _, err := io.CopyBuffer(w, r, make([]byte, copyBufferSize)); err != nil {
		w.Abort()
		return 0, err
	}
	e, err := w.Close()
	if err != nil {
		return 0, fmt.Errorf("write %s: %w", name, err)
	}
	b.mu.Lock()
	b.m.Files[name] = e
	b.mu.Unlock()
	return e.Size, nil
}

// copyBufferSize is the buffer of one object copy: large reads and writes, few calls.
const copyBufferSize = 1 << 20

// concurrency returns the number of objects copied at once for the option n.
func concurrency(n int) int {
	if n <= 0 {
		return 4
	}
	return n
}

// ownerLog returns the log ID of an object key under "logs/<id>/".
func ownerLog(key string) (string, bool) {
	rest, ok := strings.CutPrefix(key, "logs/")
	if !ok {
		return "", false
	}
	id, _, ok := strings.Cut(rest, "/")
	return id, ok && id != ""
}

// exportJob returns the job ID of an export archive's key, "exports/<job>.zip".
func exportJob(key string) (string, bool) {
	rest, ok := strings.CutPrefix(key, "exports/")
	if !ok || path.Ext(rest) != ".zip" || strings.Contains(rest, "/") {
		return "", false
	}
	return strings.TrimSuffix(rest, ".zip"), true
}

func sum(m map[wellbase.RecordKind]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
