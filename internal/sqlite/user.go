package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/wellbase/wellbase"
)

const userColumns = "tenant_id, id, email, role, password_hash, created_at, disabled_at"

// scanUser reads a row of userColumns.
func scanUser(sc scanner) (*wellbase.User, error) {
	var u wellbase.User
	var created string
	var disabled sql.NullString
	if err := sc.Scan(&u.TenantID, &u.ID, &u.Email, (*string)(&u.Role), &u.PasswordHash, &created, &disabled); err != nil {
		return nil, err
	}
	var err error
	if u.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	u.DisabledAt, err = parseNullTime(disabled)
	return &u, err
}

// CreateUser inserts u with its TenantID set to the store's tenant; EConflict if its ID or its
// email exists in the tenant.
func (s *TenantDB) CreateUser(ctx context.Context, u *wellbase.User) error {
	if err := s.check(); err != nil {
		return err
	}
	u.TenantID = s.tenant
	_, err := s.db.write.ExecContext(ctx, "INSERT INTO users ("+userColumns+") VALUES (?, ?, ?, ?, ?, ?, ?)",
		u.TenantID, u.ID, u.Email, u.Role, u.PasswordHash, formatTime(u.CreatedAt), nullTime(u.DisabledAt))
	switch {
	case violates(err, "users.email"):
		return wellbase.Errorf(wellbase.EConflict, "user with email %s already exists in tenant %s", u.Email, s.tenant)
	case isConflict(err):
		return wellbase.Errorf(wellbase.EConflict, "user %s already exists in tenant %s", u.ID, s.tenant)
	}
	return wrap("create user", err)
}

// GetUser returns the tenant's user id; ENotFound if there is none.
func (s *TenantDB) GetUser(ctx context.Context, id string) (*wellbase.User, error) {
	return s.getUser(ctx, "id", id)
}

// UserByEmail returns the tenant's user with email (compared exactly, as stored); ENotFound if
// there is none.
func (s *TenantDB) UserByEmail(ctx context.Context, email string) (*wellbase.User, error) {
	return s.getUser(ctx, "email", email)
}

// getUser returns the tenant's user whose column (id or email, a constant) is value.
func (s *TenantDB) getUser(ctx context.Context, column, value string) (*wellbase.User, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	u, err := scanUser(s.db.read.QueryRowContext(ctx,
		"SELECT "+userColumns+" FROM users WHERE tenant_id = ? AND "+column+" = ?", s.tenant, value))
	if errors.Is(err, sql.ErrNoRows) {
		if column == "email" {
			return nil, wellbase.Errorf(wellbase.ENotFound, "user with email %s not found", value)
		}
		return nil, notFound("user", value)
	}
	if err != nil {
		return nil, wrap("get user", err)
	}
	return u, nil
}

// ListUsers returns the tenant's users in creation order.
func (s *TenantDB) ListUsers(ctx context.Context, page wellbase.Page) ([]*wellbase.User, string, error) {
	if err := s.check(); err != nil {
		return nil, "", err
	}
	tail, args := pageSQL(page, false)
	rows, err := queryList(ctx, s.db.read, scanUser,
		"SELECT "+userColumns+" FROM users WHERE tenant_id = ?"+tail, append([]any{s.tenant}, args...)...)
	if err != nil {
		return nil, "", wrap("list users", err)
	}
	list, next := pageOf(rows, page, func(u *wellbase.User) string { return u.ID })
	return list, next, nil
}

// CountUsers returns the number of the tenant's users.
func (s *TenantDB) CountUsers(ctx context.Context) (int, error) {
	return s.count(ctx, "users")
}

// UpdateUser applies u to the tenant's user id in one statement and returns the result;
// ENotFound if there is no user id. Disabling twice keeps the first time.
func (s *TenantDB) UpdateUser(ctx context.Context, id string, u wellbase.UserUpdate) (*wellbase.User, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	set, args := []string{}, []any{}
	if u.Role != nil {
		set, args = append(set, "role = ?"), append(args, string(*u.Role))
	}
	if u.Disabled != nil {
		if *u.Disabled {
			set, args = append(set, "disabled_at = coalesce(disabled_at, ?)"), append(args, formatTime(u.At))
		} else {
			set = append(set, "disabled_at = NULL")
		}
	}
	if len(set) == 0 {
		return s.GetUser(ctx, id)
	}
	got, err := scanUser(s.db.write.QueryRowContext(ctx, "UPDATE users SET "+strings.Join(set, ", ")+
		" WHERE tenant_id = ? AND id = ? RETURNING "+userColumns, append(args, s.tenant, id)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("user", id)
	}
	return got, wrap("update user", err)
}
