package sqlite

import (
	"context"

	"github.com/wellbase/wellbase"
)

// PutDataKey stores the wrapped data key version k.Version of the tenant, with k.TenantID set to
// the store's tenant; EConflict if the tenant has that version.
func (s *TenantDB) PutDataKey(ctx context.Context, k *wellbase.WrappedKey) error {
	if err := s.check(); err != nil {
		return err
	}
	k.TenantID = s.tenant
	wrapped := k.Wrapped
	if wrapped == nil {
		wrapped = []byte{} // NULL otherwise
	}
	_, err := s.db.write.ExecContext(ctx, "INSERT INTO data_keys (tenant_id, version, wrapped, created_at) VALUES (?, ?, ?, ?)",
		k.TenantID, k.Version, wrapped, formatTime(k.CreatedAt))
	if isConflict(err) {
		return wellbase.Errorf(wellbase.EConflict, "data key version %d already exists in tenant %s", k.Version, s.tenant)
	}
	return wrap("put data key", err)
}

// DataKeys returns the tenant's wrapped data keys, oldest version first.
func (s *TenantDB) DataKeys(ctx context.Context) ([]*wellbase.WrappedKey, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	keys, err := queryList(ctx, s.db.read, func(sc scanner) (*wellbase.WrappedKey, error) {
		var k wellbase.WrappedKey
		var created string
		if err := sc.Scan(&k.TenantID, &k.Version, &k.Wrapped, &created); err != nil {
			return nil, err
		}
		var err error
		k.CreatedAt, err = parseTime(created)
		return &k, err
	}, "SELECT tenant_id, version, wrapped, created_at FROM data_keys WHERE tenant_id = ? ORDER BY version", s.tenant)
	return keys, wrap("list data keys", err)
}
