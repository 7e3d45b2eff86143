package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/wellbase/wellbase"
)

const auditColumns = "tenant_id, id, time, actor, action, target, request_id, remote_addr, details"

// scanAudit reads a row of auditColumns.
func scanAudit(sc scanner) (*wellbase.AuditEvent, error) {
	var e wellbase.AuditEvent
	var at string
	var details sql.NullString
	if err := sc.Scan(&e.TenantID, &e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.RequestID, &e.RemoteAddr, &details); err != nil {
		return nil, err
	}
	if details.Valid {
		if err := json.Unmarshal([]byte(details.String), &e.Details); err != nil {
			return nil, fmt.Errorf("decode details of audit event %s: %w", e.ID, err)
		}
	}
	var err error
	e.Time, err = parseTime(at)
	return &e, err
}

// AppendAudit appends e to the tenant's audit log, with its TenantID set to the store's tenant.
// e.Details must encode as JSON; it is stored NULL if empty. EConflict if e.ID exists.
func (s *TenantDB) AppendAudit(ctx context.Context, e *wellbase.AuditEvent) error {
	if err := s.check(); err != nil {
		return err
	}
	e.TenantID = s.tenant
	var details *string
	if len(e.Details) > 0 {
		b, err := json.Marshal(e.Details)
		if err != nil {
			return fmt.Errorf("sqlite: append audit: encode details: %w", err)
		}
		d := string(b)
		details = &d
	}
	_, err := s.db.write.ExecContext(ctx, "INSERT INTO audit_events ("+auditColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		e.TenantID, e.ID, formatTime(e.Time), e.Actor, e.Action, e.Target, e.RequestID, e.RemoteAddr, details)
	if isConflict(err) {
		return wellbase.Errorf(wellbase.EConflict, "audit event %s already exists in tenant %s", e.ID, s.tenant)
	}
	return wrap("append audit", err)
}

// ListAudit returns the tenant's audit events newest first.
func (s *TenantDB) ListAudit(ctx context.Context, page wellbase.Page) ([]*wellbase.AuditEvent, string, error) {
	if err := s.check(); err != nil {
		return nil, "", err
	}
	tail, args := pageSQL(page, true)
	rows, err := queryList(ctx, s.db.read, scanAudit,
		"SELECT "+auditColumns+" FROM audit_events WHERE tenant_id = ?"+tail, append([]any{s.tenant}, args...)...)
	if err != nil {
		return nil, "", wrap("list audit", err)
	}
	list, next := pageOf(rows, page, func(e *wellbase.AuditEvent) string { return e.ID })
	return list, next, nil
}
