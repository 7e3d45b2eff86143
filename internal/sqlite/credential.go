package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/wellbase/wellbase"
)

const credentialColumns = "tenant_id, id, kind, user_id, name, hash, prefix, created_at, expires_at, revoked_at"

// scanCredential reads a row of credentialColumns.
func scanCredential(sc scanner) (*wellbase.Credential, error) {
	var c wellbase.Credential
	var created, expires string
	var revoked sql.NullString
	if err := sc.Scan(&c.TenantID, &c.ID, (*string)(&c.Kind), &c.UserID, &c.Name, &c.Hash, &c.Prefix,
		&created, &expires, &revoked); err != nil {
		return nil, err
	}
	if err := parseTimes([]*time.Time{&c.CreatedAt, &c.ExpiresAt}, created, expires); err != nil {
		return nil, err
	}
	if revoked.Valid {
		t, err := parseTime(revoked.String)
		if err != nil {
			return nil, err
		}
		c.RevokedAt = &t
	}
	return &c, nil
}

// insertCredential inserts c as it is; EConflict if its ID (in its tenant) or its hash exists.
// Other errors are wrapped with op.
func insertCredential(ctx context.Context, db *sql.DB, c *wellbase.Credential, op string) error {
	var revoked *string
	if c.RevokedAt != nil {
		s := formatTime(*c.RevokedAt)
		revoked = &s
	}
	_, err := db.ExecContext(ctx, "INSERT INTO credentials ("+credentialColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		c.TenantID, c.ID, c.Kind, c.UserID, c.Name, c.Hash, c.Prefix, formatTime(c.CreatedAt), formatTime(c.ExpiresAt), revoked)
	switch {
	case violates(err, "credentials.hash"):
		return wellbase.Errorf(wellbase.EConflict, "a credential with this token hash already exists")
	case isConflict(err) && c.TenantID == "":
		return wellbase.Errorf(wellbase.EConflict, "operator credential %s already exists", c.ID)
	case isConflict(err):
		return wellbase.Errorf(wellbase.EConflict, "credential %s already exists in tenant %s", c.ID, c.TenantID)
	}
	return wrap(op, err)
}

// CredentialByHash finds a credential of any kind and tenant, revoked and expired ones included,
// by its token hash; ENotFound if none.
func (db *DB) CredentialByHash(ctx context.Context, hash string) (*wellbase.Credential, error) {
	c, err := scanCredential(db.byHash.QueryRowContext(ctx, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, wellbase.Errorf(wellbase.ENotFound, "credential not found")
	}
	if err != nil {
		return nil, wrap("credential by hash", err)
	}
	return c, nil
}

// CreateCredential stores the tenant credential c (an API token or a session) with its TenantID
// set to the store's tenant. EInvalid for an operator credential; EConflict if its ID (in the
// tenant) or its hash (in any tenant) exists.
func (s *TenantDB) CreateCredential(ctx context.Context, c *wellbase.Credential) error {
	if err := s.check(); err != nil {
		return err
	}
	if c.Kind == wellbase.CredentialOperator {
		return wellbase.Errorf(wellbase.EInvalid, "an operator credential cannot belong to tenant %s", s.tenant)
	}
	c.TenantID = s.tenant
	return insertCredential(ctx, s.db.write, c, "create credential")
}

// ListCredentials returns the tenant's credentials of kind, newest first.
func (s *TenantDB) ListCredentials(ctx context.Context, kind wellbase.CredentialKind, page wellbase.Page) ([]*wellbase.Credential, string, error) {
	if err := s.check(); err != nil {
		return nil, "", err
	}
	tail, args := pageSQL(page, true)
	rows, err := queryList(ctx, s.db.read, scanCredential,
		"SELECT "+credentialColumns+" FROM credentials WHERE tenant_id = ? AND kind = ?"+tail,
		append([]any{s.tenant, kind}, args...)...)
	if err != nil {
		return nil, "", wrap("list credentials", err)
	}
	list, next := pageOf(rows, page, func(c *wellbase.Credential) string { return c.ID })
	return list, next, nil
}

// GetCredential returns the tenant's credential id; ENotFound if there is none.
func (s *TenantDB) GetCredential(ctx context.Context, id string) (*wellbase.Credential, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	c, err := scanCredential(s.db.read.QueryRowContext(ctx,
		"SELECT "+credentialColumns+" FROM credentials WHERE tenant_id = ? AND id = ?", s.tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("credential", id)
	}
	if err != nil {
		return nil, wrap("get credential", err)
	}
	return c, nil
}

// RevokeCredential marks the tenant's credential id revoked at time at; revoking twice keeps the
// first time. ENotFound if there is no credential id.
func (s *TenantDB) RevokeCredential(ctx context.Context, id string, at time.Time) error {
	if err := s.check(); err != nil {
		return err
	}
	res, err := s.db.write.ExecContext(ctx,
		"UPDATE credentials SET revoked_at = coalesce(revoked_at, ?) WHERE tenant_id = ? AND id = ?",
		formatTime(at), s.tenant, id)
	if err != nil {
		return wrap("revoke credential", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return wrap("revoke credential", err)
	} else if n == 0 {
		return notFound("credential", id)
	}
	return nil
}

// CountCredentials counts the tenant's credentials of kind that are usable at time now: not
// revoked, and expiring after now.
func (s *TenantDB) CountCredentials(ctx context.Context, kind wellbase.CredentialKind, now time.Time) (int, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	var n int
	err := s.db.read.QueryRowContext(ctx, `SELECT count(*) FROM credentials
		WHERE tenant_id = ? AND kind = ? AND revoked_at IS NULL AND expires_at > ?`,
		s.tenant, kind, formatTime(now)).Scan(&n)
	return n, wrap("count credentials", err)
}
