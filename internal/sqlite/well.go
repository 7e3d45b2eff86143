package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/wellbase/wellbase"
)

const wellColumns = "tenant_id, id, name, uwi, field, operator, latitude, longitude, created_at, updated_at"

// scanWell reads a row of wellColumns. A NULL latitude or longitude is nil; 0 is a pointer to 0.
func scanWell(sc scanner) (*wellbase.Well, error) {
	var w wellbase.Well
	var created, updated string
	if err := sc.Scan(&w.TenantID, &w.ID, &w.Name, &w.UWI, &w.Field, &w.Operator, &w.Latitude, &w.Longitude,
		&created, &updated); err != nil {
		return nil, err
	}
	return &w, parseTimes([]*time.Time{&w.CreatedAt, &w.UpdatedAt}, created, updated)
}

// CreateWell inserts w with its TenantID set to the store's tenant; EConflict if its ID exists in
// the tenant.
func (s *TenantDB) CreateWell(ctx context.Context, w *wellbase.Well) error {
	if err := s.check(); err != nil {
		return err
	}
	w.TenantID = s.tenant
	_, err := s.db.write.ExecContext(ctx, "INSERT INTO wells ("+wellColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		w.TenantID, w.ID, w.Name, w.UWI, w.Field, w.Operator, w.Latitude, w.Longitude,
		formatTime(w.CreatedAt), formatTime(w.UpdatedAt))
	if isConflict(err) {
		return wellbase.Errorf(wellbase.EConflict, "well %s already exists in tenant %s", w.ID, s.tenant)
	}
	return wrap("create well", err)
}

// GetWell returns the tenant's well id; ENotFound if there is none.
func (s *TenantDB) GetWell(ctx context.Context, id string) (*wellbase.Well, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	w, err := scanWell(s.db.read.QueryRowContext(ctx,
		"SELECT "+wellColumns+" FROM wells WHERE tenant_id = ? AND id = ?", s.tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("well", id)
	}
	if err != nil {
		return nil, wrap("get well", err)
	}
	return w, nil
}

// ListWells returns the tenant's wells in creation order.
func (s *TenantDB) ListWells(ctx context.Context, page wellbase.Page) ([]*wellbase.Well, string, error) {
	if err := s.check(); err != nil {
		return nil, "", err
	}
	tail, args := pageSQL(page, false)
	rows, err := queryList(ctx, s.db.read, scanWell,
		"SELECT "+wellColumns+" FROM wells WHERE tenant_id = ?"+tail, append([]any{s.tenant}, args...)...)
	if err != nil {
		return nil, "", wrap("list wells", err)
	}
	list, next := pageOf(rows, page, func(w *wellbase.Well) string { return w.ID })
	return list, next, nil
}

// UpdateWell replaces the tenant's well w.ID with w, all fields but CreatedAt (a well's creation
// time does not change); w.TenantID is set to the store's tenant. ENotFound if there is no such
// well.
func (s *TenantDB) UpdateWell(ctx context.Context, w *wellbase.Well) error {
	if err := s.check(); err != nil {
		return err
	}
	w.TenantID = s.tenant
	res, err := s.db.write.ExecContext(ctx, `UPDATE wells SET name = ?, uwi = ?, field = ?, operator = ?,
		latitude = ?, longitude = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
		w.Name, w.UWI, w.Field, w.Operator, w.Latitude, w.Longitude, formatTime(w.UpdatedAt), s.tenant, w.ID)
	return changedOne(res, err, "update well", "well", w.ID)
}

// DeleteWell deletes the tenant's well id; ENotFound if there is none.
func (s *TenantDB) DeleteWell(ctx context.Context, id string) error {
	if err := s.check(); err != nil {
		return err
	}
	res, err := s.db.write.ExecContext(ctx, "DELETE FROM wells WHERE tenant_id = ? AND id = ?", s.tenant, id)
	return changedOne(res, err, "delete well", "well", id)
}

// changedOne returns the error of a statement of op that changes the resource id: ENotFound if
// it changed no row.
func changedOne(res sql.Result, err error, op, resource, id string) error {
	if err != nil {
		return wrap(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return wrap(op, err)
	}
	if n == 0 {
		return notFound(resource, id)
	}
	return nil
}

// CountWells returns the number of the tenant's wells.
func (s *TenantDB) CountWells(ctx context.Context) (int, error) {
	return s.count(ctx, "wells")
}
