package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/wellbase/wellbase"
)

// RewrapDataKey replaces the wrapped form of data key version k.Version; ENotFound if the
// tenant has no such version.
func (s *TenantDB) RewrapDataKey(ctx context.Context, k *wellbase.WrappedKey) error {
	if err := s.check(); err != nil {
		return err
	}
	if len(k.Wrapped) == 0 {
		return wellbase.Errorf(wellbase.EInvalid, "rewrap data key version %d of tenant %s: empty wrapped key", k.Version, s.tenant)
	}
	res, err := s.db.write.ExecContext(ctx, "UPDATE data_keys SET wrapped = ? WHERE tenant_id = ? AND version = ?",
		k.Wrapped, s.tenant, k.Version)
	if err != nil {
		return wrap("rewrap data key", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return wellbase.Errorf(wellbase.ENotFound, "tenant %s has no data key version %d", s.tenant, k.Version)
	}
	k.TenantID = s.tenant
	return nil
}

// DeleteDataKey deletes data key version version of the tenant.
func (s *TenantDB) DeleteDataKey(ctx context.Context, version int) error {
	if err := s.check(); err != nil {
		return err
	}
	res, err := s.db.write.ExecContext(ctx, "DELETE FROM data_keys WHERE tenant_id = ? AND version = ?", s.tenant, version)
	if err != nil {
		return wrap("delete data key", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return wellbase.Errorf(wellbase.ENotFound, "tenant %s has no data key version %d", s.tenant, version)
	}
	// As in DeleteDataKeys: the old page images in the write-ahead log go too.
	if _, err := s.db.write.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return wrap("checkpoint after deleting a data key", err)
	}
	return nil
}

// DeleteDataKeys deletes the tenant's wrapped data keys and returns them.
func (s *TenantDB) DeleteDataKeys(ctx context.Context) ([]*wellbase.WrappedKey, error) {
	keys, err := s.DataKeys(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.db.write.ExecContext(ctx, "DELETE FROM data_keys WHERE tenant_id = ?", s.tenant); err != nil {
		return nil, wrap("delete data keys", err)
	}
	// The write-ahead log still holds the pages as they were, wrapped keys included: checkpoint
	// it into the database (where secure_delete has zeroed them) and truncate it. A reader
	// holding an old snapshot can keep the checkpoint from finishing; it is then retried by
	// SQLite's next automatic checkpoint, and the keys are already unusable through the store.
	if _, err := s.db.write.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return nil, wrap("checkpoint after deleting data keys", err)
	}
	return keys, nil
}

// purgeTables are the tables of tenant records Purge empties, by the name of the kind counted.
var purgeTables = []struct{ kind, table string }{
	{"data_keys", "data_keys"},
	{"credentials", "credentials"},
	{"users", "users"},
	{"jobs", "jobs"},
	{"logs", "well_logs"},
	{"production", "production"},
	{"forecasts", "forecasts"},
	{"wells", "wells"},
	{"audit_events", "audit_events"},
	{"request_counts", "request_counts"},
}

// Purge deletes every record of the tenant but the tenant record, in one transaction.
func (s *TenantDB) Purge(ctx context.Context) (map[string]int64, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	tx, err := s.db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, wrap("purge", err)
	}
	defer tx.Rollback()
	counts := map[string]int64{}
	for _, t := range purgeTables {
		res, err := tx.ExecContext(ctx, "DELETE FROM "+t.table+" WHERE tenant_id = ?", s.tenant)
		if err != nil {
			return nil, wrap("purge "+t.table, err)
		}
		counts[t.kind], _ = res.RowsAffected()
	}
	// Idempotency records are keyed by scope, which for a tenant's requests is its ID.
	res, err := tx.ExecContext(ctx, "DELETE FROM idempotency_keys WHERE scope = ?", s.tenant)
	if err != nil {
		return nil, wrap("purge idempotency_keys", err)
	}
	counts["idempotency_keys"], _ = res.RowsAffected()
	if err := tx.Commit(); err != nil {
		return nil, wrap("purge", err)
	}
	return counts, nil
}

// AppendControlAudit appends e to the control-plane audit log.
func (db *DB) AppendControlAudit(ctx context.Context, e *wellbase.AuditEvent) error {
	var details *string
	if len(e.Details) > 0 {
		b, err := json.Marshal(e.Details)
		if err != nil {
			return fmt.Errorf("sqlite: append control audit: encode details: %w", err)
		}
		d := string(b)
		details = &d
	}
	_, err := db.write.ExecContext(ctx, "INSERT INTO control_audit_events ("+auditColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		e.TenantID, e.ID, formatTime(e.Time), e.Actor, e.Action, e.Target, e.RequestID, e.RemoteAddr, details)
	if isConflict(err) {
		return wellbase.Errorf(wellbase.EConflict, "control audit event %s already exists", e.ID)
	}
	return wrap("append control audit", err)
}

// ListControlAudit returns control-plane audit events newest first.
func (db *DB) ListControlAudit(ctx context.Context, page wellbase.Page) ([]*wellbase.AuditEvent, string, error) {
	tail, args := pageSQL(page, true)
	rows, err := queryList(ctx, db.read, scanAudit, "SELECT "+auditColumns+" FROM control_audit_events WHERE true"+tail, args...)
	if err != nil {
		return nil, "", wrap("list control audit", err)
	}
	list, next := pageOf(rows, page, func(e *wellbase.AuditEvent) string { return e.ID })
	return list, next, nil
}
