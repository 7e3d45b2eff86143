package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/wellbase/wellbase"
)

const logColumns = "tenant_id, id, well_id, file_name, status, error, version, summary, size_bytes, stored_bytes, key_version, created_at"

// logSummary is the JSON of the summary column: the parsed facts of a log.
type logSummary struct {
	Wrap     bool                    `json:"wrap"`
	Null     *float64                `json:"null,omitempty"`
	Well     map[string]string       `json:"well,omitempty"`
	Index    wellbase.LogIndex       `json:"index"`
	Rows     int                     `json:"rows"`
	Curves   []wellbase.CurveSummary `json:"curves"`
	Warnings []wellbase.LogWarning   `json:"warnings"`
	Encoding string                  `json:"encoding,omitempty"`
}

func scanLog(sc scanner) (*wellbase.WellLog, error) {
	var l wellbase.WellLog
	var summary, created string
	if err := sc.Scan(&l.TenantID, &l.ID, &l.WellID, &l.FileName, &l.Status, &l.Error, &l.Version, &summary,
		&l.SizeBytes, &l.StoredBytes, &l.KeyVersion, &created); err != nil {
		return nil, err
	}
	var s logSummary
	if err := json.Unmarshal([]byte(summary), &s); err != nil {
		return nil, err
	}
	l.Wrap, l.Null, l.Well, l.Index, l.Rows, l.Curves, l.Warnings = s.Wrap, s.Null, s.Well, s.Index, s.Rows, s.Curves, s.Warnings
	l.Encoding = s.Encoding
	return &l, parseTimes([]*time.Time{&l.CreatedAt}, created)
}

func encodeLogSummary(l *wellbase.WellLog) (string, error) {
	b, err := json.Marshal(logSummary{Wrap: l.Wrap, Null: l.Null, Well: l.Well, Index: l.Index, Rows: l.Rows, Curves: l.Curves, Warnings: l.Warnings, Encoding: l.Encoding})
	return string(b), err
}

// CreateLog inserts l with its TenantID set to the store's tenant; EConflict if its ID exists.
func (s *TenantDB) CreateLog(ctx context.Context, l *wellbase.WellLog) error {
	if err := s.check(); err != nil {
		return err
	}
	l.TenantID = s.tenant
	summary, err := encodeLogSummary(l)
	if err != nil {
		return wrap("create log", err)
	}
	_, err = s.db.write.ExecContext(ctx, "INSERT INTO well_logs ("+logColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		l.TenantID, l.ID, l.WellID, l.FileName, l.Status, l.Error, l.Version, summary, l.SizeBytes, l.StoredBytes, l.KeyVersion, formatTime(l.CreatedAt))
	if isConflict(err) {
		return wellbase.Errorf(wellbase.EConflict, "log %s already exists in tenant %s", l.ID, s.tenant)
	}
	return wrap("create log", err)
}

// GetLog returns the tenant's log id; ENotFound if there is none.
func (s *TenantDB) GetLog(ctx context.Context, id string) (*wellbase.WellLog, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	l, err := scanLog(s.db.read.QueryRowContext(ctx, "SELECT "+logColumns+" FROM well_logs WHERE tenant_id = ? AND id = ?", s.tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("log", id)
	}
	if err != nil {
		return nil, wrap("get log", err)
	}
	return l, nil
}

// ListLogs returns the logs of the tenant's well wellID, or of all its wells for "", in
// creation order.
func (s *TenantDB) ListLogs(ctx context.Context, wellID string, page wellbase.Page) ([]*wellbase.WellLog, string, error) {
	if err := s.check(); err != nil {
		return nil, "", err
	}
	where, args := " WHERE tenant_id = ?", []any{s.tenant}
	if wellID != "" {
		where, args = where+" AND well_id = ?", append(args, wellID)
	}
	tail, pargs := pageSQL(page, false)
	rows, err := queryList(ctx, s.db.read, scanLog, "SELECT "+logColumns+" FROM well_logs"+where+tail, append(args, pargs...)...)
	if err != nil {
		return nil, "", wrap("list logs", err)
	}
	list, next := pageOf(rows, page, func(l *wellbase.WellLog) string { return l.ID })
	return list, next, nil
}

// UpdateLog replaces the tenant's log l.ID with l (all but its creation time).
func (s *TenantDB) UpdateLog(ctx context.Context, l *wellbase.WellLog) error {
	if err := s.check(); err != nil {
		return err
	}
	l.TenantID = s.tenant
	summary, err := encodeLogSummary(l)
	if err != nil {
		return wrap("update log", err)
	}
	res, err := s.db.write.ExecContext(ctx, `UPDATE well_logs SET well_id = ?, file_name = ?, status = ?, error = ?, version = ?, summary = ?,
		size_bytes = ?, stored_bytes = ?, key_version = ? WHERE tenant_id = ? AND id = ?`,
		l.WellID, l.FileName, l.Status, l.Error, l.Version, summary, l.SizeBytes, l.StoredBytes, l.KeyVersion, s.tenant, l.ID)
	return changedOne(res, err, "update log", "log", l.ID)
}

// DeleteLog deletes the tenant's log id; ENotFound if there is none.
func (s *TenantDB) DeleteLog(ctx context.Context, id string) error {
	if err := s.check(); err != nil {
		return err
	}
	res, err := s.db.write.ExecContext(ctx, "DELETE FROM well_logs WHERE tenant_id = ? AND id = ?", s.tenant, id)
	return changedOne(res, err, "delete log", "log", id)
}

// StoredBytes returns the sum of the tenant's logs' stored bytes.
func (s *TenantDB) StoredBytes(ctx context.Context) (int64, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	var n int64
	err := s.db.read.QueryRowContext(ctx, "SELECT COALESCE(SUM(stored_bytes), 0) FROM well_logs WHERE tenant_id = ?", s.tenant).Scan(&n)
	return n, wrap("stored bytes", err)
}
