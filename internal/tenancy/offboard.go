package tenancy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/files"
)

// Offboarder deletes a tenant: its data keys first (crypto-shredding, so that no copy of its
// encrypted files, backups included, can be decrypted any more), then its files and records,
// and records a deletion certificate in the control-plane audit log. Every step is idempotent
// and the tenant is marked offboarding before the first, so a retry after a crash finishes the
// job; the tenant's credentials are refused from the first step.
type Offboarder struct {
	Store wellbase.Store
	Files *files.Store
	// Keys is the process's cache of unwrapped data keys; the tenant's are dropped from it.
	Keys *DataKeys
	// RootKeyID names the root key that wrapped the tenant's data keys (keyring.Keyring.ID).
	RootKeyID string
	Now       func() time.Time
}

// Certificate is the record of a tenant's deletion: what was deleted, when, by whom, and which
// data keys were destroyed. It is stored as the details of a "tenant.delete" control-plane
// audit event.
type Certificate struct {
	Tenant    string    `json:"tenant"`
	Name      string    `json:"name"`
	Tier      string    `json:"tier"`
	DeletedAt time.Time `json:"deleted_at"`
	DeletedBy string    `json:"deleted_by"`
	RequestID string    `json:"request_id,omitempty"`
	// DataKeys are the destroyed data key versions. WrappedSHA256 identifies each wrapped key
	// without revealing anything of it.
	DataKeys []DestroyedKey `json:"data_keys_destroyed"`
	// Objects and Bytes count the files deleted from the file store.
	Objects int   `json:"objects_deleted"`
	Bytes   int64 `json:"bytes_deleted"`
	// Records counts the database records deleted, by kind.
	Records map[string]int64 `json:"records_deleted"`
	// AuditEventID is the control-plane audit event that holds this certificate.
	AuditEventID string `json:"audit_event_id"`
}

// DestroyedKey identifies one destroyed data key version.
type DestroyedKey struct {
	ID            string    `json:"id"` // "<tenant>/data-key/v<version>"
	Version       int       `json:"version"`
	CreatedAt     time.Time `json:"created_at"`
	WrappedSHA256 string    `json:"wrapped_sha256"`
	RootKey       string    `json:"root_key"`
}

// Delete offboards tenant id on behalf of actor ("operator:<id>"). A tenant already deleted is
// ENotFound; a missing one too. The certificate is returned and audited.
func (o *Offboarder) Delete(ctx context.Context, id, actor, requestID, remoteAddr string) (*Certificate, error) {
	if err := wellbase.ValidateTenantID(id); err != nil {
		return nil, wellbase.Errorf(wellbase.ENotFound, "tenant %q not found", id)
	}
	t, err := o.Store.GetTenant(ctx, id)
	if err != nil {
		return nil, err
	}
	if t.Status == wellbase.TenantDeleted {
		return nil, wellbase.Errorf(wellbase.ENotFound, "tenant %s was deleted at %s; its deletion certificate is in the control-plane audit log",
			id, t.UpdatedAt.Format(time.RFC3339))
	}
	ts := o.Store.Tenant(id)
	start := wellbase.TenantOffboarding
	if t.Status != start {
		if t, err = o.Store.UpdateTenant(ctx, id, wellbase.TenantUpdate{Status: &start}); err != nil {
			return nil, fmt.Errorf("offboard %s: mark offboarding: %w", id, err)
		}
	}
	cert := &Certificate{Tenant: t.ID, Name: t.Name, Tier: string(t.Tier), DeletedBy: actor, RequestID: requestID}

	// 1. Crypto-shredding: the wrapped data keys go first. The keys about to be destroyed are
	// audited before, so that a crash right after the deletion still leaves their record.
	keys, err := ts.DataKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("offboard %s: list data keys: %w", id, err)
	}
	for _, k := range keys {
		sum := sha256.Sum256(k.Wrapped)
		cert.DataKeys = append(cert.DataKeys, DestroyedKey{ID: fmt.Sprintf("%s/data-key/v%d", id, k.Version), Version: k.Version,
			CreatedAt: k.CreatedAt, WrappedSHA256: hex.EncodeToString(sum[:]), RootKey: o.RootKeyID})
	}
	if len(keys) > 0 {
		if err := o.audit(ctx, id, actor, "tenant.delete.start", requestID, remoteAddr, map[string]any{"data_keys": cert.DataKeys}); err != nil {
			return nil, err
		}
	}
	if _, err := ts.DeleteDataKeys(ctx); err != nil {
		return nil, fmt.Errorf("offboard %s: destroy data keys: %w", id, err)
	}
	destroyed := int64(len(keys))
	if o.Keys != nil {
		o.Keys.Forget(id)
	}

	// 2. Files: unreadable already; deleted to free the storage, with what writes under way or
	// killed had staged.
	objs, err := o.allFiles(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("offboard %s: %w", id, err)
	}
	for _, obj := range objs {
		cert.Objects++
		cert.Bytes += obj.Size
	}
	if err := o.Files.DeleteAll(ctx, id, ""); err != nil {
		return nil, fmt.Errorf("offboard %s: %w", id, err)
	}

	// 3. Records.
	if cert.Records, err = ts.Purge(ctx); err != nil {
		return nil, fmt.Errorf("offboard %s: purge records: %w", id, err)
	}
	cert.Records["data_keys"] += destroyed

	// 4. The certificate, then the tombstone.
	cert.DeletedAt = o.now().UTC()
	cert.AuditEventID = wellbase.NewID("cae")
	details := map[string]any{"certificate": cert}
	if err := o.Store.AppendControlAudit(ctx, &wellbase.AuditEvent{ID: cert.AuditEventID, TenantID: id, Time: cert.DeletedAt, Actor: actor,
		Action: "tenant.delete", Target: id, RequestID: requestID, RemoteAddr: remoteAddr, Details: details}); err != nil {
		return nil, fmt.Errorf("offboard %s: record deletion certificate: %w", id, err)
	}
	deleted := wellbase.TenantDeleted
	if _, err := o.Store.UpdateTenant(ctx, id, wellbase.TenantUpdate{Status: &deleted}); err != nil {
		return nil, fmt.Errorf("offboard %s: mark deleted: %w", id, err)
	}
	return cert, nil
}

func (o *Offboarder) audit(ctx context.Context, tenant, actor, action, requestID, remoteAddr string, details map[string]any) error {
	err := o.Store.AppendControlAudit(ctx, &wellbase.AuditEvent{ID: wellbase.NewID("cae"), TenantID: tenant, Time: o.now().UTC(),
		Actor: actor, Action: action, Target: tenant, RequestID: requestID, RemoteAddr: remoteAddr, Details: details})
	if err != nil {
		return fmt.Errorf("offboard %s: audit %s: %w", tenant, action, err)
	}
	return nil
}

// allFiles lists the tenant's objects, finished and staged (files.Store.Staged).
func (o *Offboarder) allFiles(ctx context.Context, id string) ([]files.ObjectInfo, error) {
	objs, err := o.Files.List(ctx, id, "")
	if err != nil {
		return nil, err
	}
	staged, err := o.Files.Staged(ctx, id)
	return append(objs, staged...), err
}

func (o *Offboarder) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// Sweep deletes what writes already under way when a tenant was offboarded left behind: a file
// stored or a record written by a request or job that began before the deletion and ended after
// it (the objects are undecryptable, their data key being destroyed, but they must not stay). It
// looks at every deleted tenant, deletes its files and records, and audits what it found in the
// control-plane log. serve runs it every minute; it is idempotent and cheap when there is nothing.
func (o *Offboarder) Sweep(ctx context.Context) (int, error) {
	found := 0
	for t, err := range wellbase.Each(ctx, o.Store.ListTenants) {
		if err != nil {
			return found, err
		}
		if t.Status != wellbase.TenantDeleted {
			continue
		}
		n, err := o.sweep(ctx, t.ID)
		if err != nil {
			return found, fmt.Errorf("sweep offboarded tenant %s: %w", t.ID, err)
		}
		found += n
	}
	return found, nil
}

func (o *Offboarder) sweep(ctx context.Context, id string) (int, error) {
	ts := o.Store.Tenant(id)
	keys, err := ts.DeleteDataKeys(ctx)
	if err != nil {
		return 0, err
	}
	objs, err := o.allFiles(ctx, id)
	if err != nil {
		return 0, err
	}
	if len(objs) > 0 {
		if err := o.Files.DeleteAll(ctx, id, ""); err != nil {
			return 0, err
		}
	}
	records, err := ts.Purge(ctx)
	if err != nil {
		return 0, err
	}
	n := len(keys) + len(objs)
	for _, c := range records {
		n += int(c)
	}
	if n == 0 {
		return 0, nil
	}
	keyIDs := make([]string, len(keys))
	for i, k := range keys {
		keyIDs[i] = fmt.Sprintf("%s/data-key/v%d", id, k.Version)
	}
	return n, o.audit(ctx, id, "system", "tenant.delete.sweep", "", "",
		map[string]any{"objects_deleted": len(objs), "records_deleted": records, "data_keys_destroyed": keyIDs})
}
