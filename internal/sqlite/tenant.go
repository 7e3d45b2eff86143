package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/wellbase/wellbase"
)

const tenantColumns = "id, name, tier, status, admin_email, limits, settings, onboarding, created_at, updated_at"

// tenantJSON holds the JSON columns of a tenant.
type tenantJSON struct {
	limits, settings, onboarding string
}

// encodeTenant returns the JSON columns of t. Onboarding step times are stored in UTC.
func encodeTenant(t *wellbase.Tenant) (tenantJSON, error) {
	steps := make([]wellbase.OnboardingStep, len(t.Onboarding))
	for i, s := range t.Onboarding {
		s.DoneAt = s.DoneAt.UTC()
		steps[i] = s
	}
	limits, err1 := json.Marshal(t.Limits)
	settings, err2 := json.Marshal(t.Settings)
	onboarding, err3 := json.Marshal(steps)
	if err := errors.Join(err1, err2, err3); err != nil {
		return tenantJSON{}, fmt.Errorf("encode tenant %s: %w", t.ID, err)
	}
	return tenantJSON{string(limits), string(settings), string(onboarding)}, nil
}

// scanTenant reads a row of tenantColumns.
func scanTenant(sc scanner) (*wellbase.Tenant, error) {
	var t wellbase.Tenant
	var limits, settings, onboarding []byte
	var created, updated string
	if err := sc.Scan(&t.ID, &t.Name, (*string)(&t.Tier), (*string)(&t.Status), &t.AdminEmail,
		&limits, &settings, &onboarding, &created, &updated); err != nil {
		return nil, err
	}
	if err := errors.Join(
		json.Unmarshal(limits, &t.Limits),
		json.Unmarshal(settings, &t.Settings),
		json.Unmarshal(onboarding, &t.Onboarding),
		parseTimes([]*time.Time{&t.CreatedAt, &t.UpdatedAt}, created, updated),
	); err != nil {
		return nil, fmt.Errorf("decode tenant %s: %w", t.ID, err)
	}
	return &t, nil
}

// CreateTenant inserts t; EConflict if its ID exists.
func (db *DB) CreateTenant(ctx context.Context, t *wellbase.Tenant) error {
	j, err := encodeTenant(t)
	if err != nil {
		return wrap("create tenant", err)
	}
	_, err = db.write.ExecContext(ctx, "INSERT INTO tenants ("+tenantColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		t.ID, t.Name, t.Tier, t.Status, t.AdminEmail, j.limits, j.settings, j.onboarding, formatTime(t.CreatedAt), formatTime(t.UpdatedAt))
	if isConflict(err) {
		return wellbase.Errorf(wellbase.EConflict, "tenant %s already exists", t.ID)
	}
	return wrap("create tenant", err)
}

// GetTenant returns tenant id; ENotFound if there is none.
func (db *DB) GetTenant(ctx context.Context, id string) (*wellbase.Tenant, error) {
	return getTenant(ctx, db.read, id)
}

// querier is a *sql.DB or *sql.Tx.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func getTenant(ctx context.Context, q querier, id string) (*wellbase.Tenant, error) {
	t, err := scanTenant(q.QueryRowContext(ctx, "SELECT "+tenantColumns+" FROM tenants WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("tenant", id)
	}
	if err != nil {
		return nil, wrap("get tenant", err)
	}
	return t, nil
}

// ListTenants returns tenants ordered by ID, after page.After, and the cursor of the next page.
func (db *DB) ListTenants(ctx context.Context, page wellbase.Page) ([]*wellbase.Tenant, string, error) {
	tail, args := pageSQL(page, false)
	rows, err := queryList(ctx, db.read, scanTenant, "SELECT "+tenantColumns+" FROM tenants WHERE TRUE"+tail, args...)
	if err != nil {
		return nil, "", wrap("list tenants", err)
	}
	list, next := pageOf(rows, page, func(t *wellbase.Tenant) string { return t.ID })
	return list, next, nil
}

// UpdateTenant applies u to the tenant and returns the result, with UpdatedAt the time of the
// update; ENotFound if there is no tenant id. Limits are merged: a nil override in u.Limits keeps
// the tenant's. The read and the write are one transaction, so concurrent updates (onboarding
// steps appended at once) are all kept.
func (db *DB) UpdateTenant(ctx context.Context, id string, u wellbase.TenantUpdate) (*wellbase.Tenant, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, wrap("update tenant", err)
	}
	defer tx.Rollback()
	t, err := getTenant(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if u.Name != nil {
		t.Name = *u.Name
	}
	if u.Tier != nil {
		t.Tier = *u.Tier
	}
	if u.Status != nil {
		t.Status = *u.Status
	}
	if u.Limits != nil {
		t.Limits = t.Limits.Merge(*u.Limits)
	}
	if u.Settings != nil {
		t.Settings = *u.Settings
	}
	if u.Step != nil {
		step := *u.Step
		step.DoneAt = step.DoneAt.UTC()
		t.Onboarding = append(t.Onboarding, step)
	}
	t.UpdatedAt = time.Now().UTC()
	j, err := encodeTenant(t)
	if err != nil {
		return nil, wrap("update tenant", err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE tenants SET name = ?, tier = ?, status = ?, limits = ?, settings = ?,
		onboarding = ?, updated_at = ? WHERE id = ?`,
		t.Name, t.Tier, t.Status, j.limits, j.settings, j.onboarding, formatTime(t.UpdatedAt), id)
	if err != nil {
		return nil, wrap("update tenant", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, wrap("update tenant", err)
	}
	return t, nil
}
