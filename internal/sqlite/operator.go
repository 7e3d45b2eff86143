package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/wellbase/wellbase"
)

// CreateOperator inserts the platform operator o; EConflict if its ID exists.
func (db *DB) CreateOperator(ctx context.Context, o *wellbase.Operator) error {
	_, err := db.write.ExecContext(ctx, "INSERT INTO operators (id, email, created_at) VALUES (?, ?, ?)",
		o.ID, o.Email, formatTime(o.CreatedAt))
	if isConflict(err) {
		return wellbase.Errorf(wellbase.EConflict, "operator %s already exists", o.ID)
	}
	return wrap("create operator", err)
}

// GetOperator returns operator id; ENotFound if there is none.
func (db *DB) GetOperator(ctx context.Context, id string) (*wellbase.Operator, error) {
	var o wellbase.Operator
	var created string
	err := db.read.QueryRowContext(ctx, "SELECT id, email, created_at FROM operators WHERE id = ?", id).
		Scan(&o.ID, &o.Email, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("operator", id)
	}
	if err == nil {
		o.CreatedAt, err = parseTime(created)
	}
	if err != nil {
		return nil, wrap("get operator", err)
	}
	return &o, nil
}

// CreateOperatorCredential stores c as an operator credential: its Kind is set to
// CredentialOperator and its TenantID to "". EConflict if its ID or hash exists.
func (db *DB) CreateOperatorCredential(ctx context.Context, c *wellbase.Credential) error {
	c.Kind, c.TenantID = wellbase.CredentialOperator, ""
	return insertCredential(ctx, db.write, c, "create operator credential")
}

// RevokeOperatorCredential marks the operator credential id revoked at time at; revoking twice
// keeps the first time. ENotFound if there is no operator credential id.
func (db *DB) RevokeOperatorCredential(ctx context.Context, id string, at time.Time) error {
	res, err := db.write.ExecContext(ctx,
		"UPDATE credentials SET revoked_at = coalesce(revoked_at, ?) WHERE tenant_id = '' AND id = ? AND kind = ?",
		formatTime(at), id, string(wellbase.CredentialOperator))
	if err != nil {
		return wrap("revoke operator credential", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return wrap("revoke operator credential", err)
	} else if n == 0 {
		return notFound("operator credential", id)
	}
	return nil
}
