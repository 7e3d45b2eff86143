package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/wellbase/wellbase"
)

const dateLayout = "2006-01-02"

// UpsertProduction stores records under the tenant, each merged into the record with the same
// key: a volume, on-stream hours or unit the new record has replaces the stored one, and what
// it lacks (NULL, "") keeps the stored value (units merged by json_patch: the new record's
// units JSON omits empty ones). In transactions of up to 1000 rows (one transaction per row
// would make a 15 000-row import slow).
func (s *TenantDB) UpsertProduction(ctx context.Context, records []*wellbase.ProductionRecord) (int, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	n := 0
	for start := 0; start < len(records); start += 1000 {
		batch := records[start:min(start+1000, len(records))]
		if err := s.upsertBatch(ctx, batch); err != nil {
			return n, err
		}
		n += len(batch)
	}
	return n, nil
}

func (s *TenantDB) upsertBatch(ctx context.Context, batch []*wellbase.ProductionRecord) error {
	tx, err := s.db.write.BeginTx(ctx, nil)
	if err != nil {
		return wrap("upsert production", err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO production (tenant_id, well_id, period, date, oil, gas, water, water_injected,
		gas_injected, on_stream_hours, units, import_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, well_id, period, date) DO UPDATE SET oil = COALESCE(excluded.oil, oil), gas = COALESCE(excluded.gas, gas),
		water = COALESCE(excluded.water, water), water_injected = COALESCE(excluded.water_injected, water_injected),
		gas_injected = COALESCE(excluded.gas_injected, gas_injected), on_stream_hours = COALESCE(excluded.on_stream_hours, on_stream_hours),
		units = json_patch(units, excluded.units), import_id = excluded.import_id, updated_at = excluded.updated_at`)
	if err != nil {
		return wrap("upsert production", err)
	}
	defer stmt.Close()
	for _, r := range batch {
		r.TenantID = s.tenant
		units, err := json.Marshal(r.Units)
		if err != nil {
			return wrap("upsert production", err)
		}
		if _, err := stmt.ExecContext(ctx, s.tenant, r.WellID, r.Period, r.Date.UTC().Format(dateLayout), r.Oil, r.Gas, r.Water,
			r.WaterInjected, r.GasInjected, r.OnStreamHours, string(units), r.ImportID, formatTime(r.UpdatedAt)); err != nil {
			return wrap("upsert production", err)
		}
	}
	return wrap("upsert production", tx.Commit())
}

// Production returns a well's records of one period within q's dates, oldest first.
func (s *TenantDB) Production(ctx context.Context, q wellbase.ProductionQuery) ([]*wellbase.ProductionRecord, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	from, to := "0000-01-01", "9999-12-31"
	if !q.From.IsZero() {
		from = q.From.UTC().Format(dateLayout)
	}
	if !q.To.IsZero() {
		to = q.To.UTC().Format(dateLayout)
	}
	rows, err := queryList(ctx, s.db.read, scanProduction, `SELECT tenant_id, well_id, period, date, oil, gas, water, water_injected,
		gas_injected, on_stream_hours, units, import_id, updated_at FROM production
		WHERE tenant_id = ? AND well_id = ? AND period = ? AND date >= ? AND date <= ? ORDER BY date`,
		s.tenant, q.WellID, q.Period, from, to)
	return rows, wrap("production", err)
}

func scanProduction(sc scanner) (*wellbase.ProductionRecord, error) {
	var r wellbase.ProductionRecord
	var date, units, updated string
	if err := sc.Scan(&r.TenantID, &r.WellID, &r.Period, &date, &r.Oil, &r.Gas, &r.Water, &r.WaterInjected, &r.GasInjected,
		&r.OnStreamHours, &units, &r.ImportID, &updated); err != nil {
		return nil, err
	}
	d, err := time.Parse(dateLayout, date)
	if err != nil {
		return nil, err
	}
	r.Date = d
	if err := json.Unmarshal([]byte(units), &r.Units); err != nil {
		return nil, err
	}
	return &r, parseTimes([]*time.Time{&r.UpdatedAt}, updated)
}

// CreateForecast inserts f under the tenant.
func (s *TenantDB) CreateForecast(ctx context.Context, f *wellbase.Forecast) error {
	if err := s.check(); err != nil {
		return err
	}
	f.TenantID = s.tenant
	body, err := json.Marshal(f)
	if err != nil {
		return wrap("create forecast", err)
	}
	_, err = s.db.write.ExecContext(ctx, "INSERT INTO forecasts (tenant_id, id, well_id, body, created_at) VALUES (?, ?, ?, ?, ?)",
		s.tenant, f.ID, f.WellID, string(body), formatTime(f.CreatedAt))
	if isConflict(err) {
		return wellbase.Errorf(wellbase.EConflict, "forecast %s already exists in tenant %s", f.ID, s.tenant)
	}
	return wrap("create forecast", err)
}

// GetForecast returns the tenant's forecast id; ENotFound if there is none.
func (s *TenantDB) GetForecast(ctx context.Context, id string) (*wellbase.Forecast, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	var body string
	err := s.db.read.QueryRowContext(ctx, "SELECT body FROM forecasts WHERE tenant_id = ? AND id = ?", s.tenant, id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("forecast", id)
	}
	if err != nil {
		return nil, wrap("get forecast", err)
	}
	var f wellbase.Forecast
	if err := json.Unmarshal([]byte(body), &f); err != nil {
		return nil, wrap("get forecast", err)
	}
	f.TenantID = s.tenant
	f.CreatedAt = f.CreatedAt.UTC()
	f.StartDate = f.StartDate.UTC()
	return &f, nil
}
