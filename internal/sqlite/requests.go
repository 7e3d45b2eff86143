package sqlite

import (
	"context"
	"database/sql"
	"errors"
)

// AddRequests adds n to the tenant's request count of day ("2006-01-02", UTC), in one statement,
// so that concurrent calls all count.
func (s *TenantDB) AddRequests(ctx context.Context, day string, n int64) error {
	if err := s.check(); err != nil {
		return err
	}
	_, err := s.db.write.ExecContext(ctx, `INSERT INTO request_counts (tenant_id, day, requests) VALUES (?, ?, ?)
		ON CONFLICT (tenant_id, day) DO UPDATE SET requests = requests + excluded.requests`, s.tenant, day, n)
	return wrap("add requests", err)
}

// Requests returns the tenant's request count of day; 0 if none was added.
func (s *TenantDB) Requests(ctx context.Context, day string) (int64, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	var n int64
	err := s.db.read.QueryRowContext(ctx, "SELECT requests FROM request_counts WHERE tenant_id = ? AND day = ?", s.tenant, day).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, wrap("requests", err)
}
