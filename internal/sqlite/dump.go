package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/wellbase/wellbase"
)

// Bulk export and import (Dump, Load), for backup and restore.
//
// Dump reads in one read transaction: a snapshot of the database as of its first query, which
// writers (this process's or another's) do not block and cannot change. Load upserts each record
// by its primary key ("INSERT … ON CONFLICT (key) DO UPDATE SET" every other column) in one write
// transaction per batch; a record that takes another row's unique email or token hash fails the
// batch with EConflict rather than replacing that row (as INSERT OR REPLACE would).

// table describes how records of one kind are stored: their table, columns, primary key
// columns, and the column values of a record.
type table struct {
	name    string
	columns string // as in the INSERT, comma separated
	key     []string
	values  func(tenant string, rec any) ([]any, error)
}

// tables are the tables of each kind, control-plane kinds with tenant "".
var tables = map[wellbase.RecordKind]table{
	wellbase.KindTenant: {"tenants", tenantColumns, []string{"id"}, func(_ string, rec any) ([]any, error) {
		t, ok := rec.(*wellbase.Tenant)
		if !ok {
			return nil, wellbase.RecordTypeError(wellbase.KindTenant, rec)
		}
		j, err := encodeTenant(t)
		if err != nil {
			return nil, err
		}
		return []any{t.ID, t.Name, t.Tier, t.Status, t.AdminEmail, j.limits, j.settings, j.onboarding,
			formatTime(t.CreatedAt), formatTime(t.UpdatedAt)}, nil
	}},
	wellbase.KindOperator: {"operators", "id, email, created_at", []string{"id"}, func(_ string, rec any) ([]any, error) {
		o, ok := rec.(*wellbase.Operator)
		if !ok {
			return nil, wellbase.RecordTypeError(wellbase.KindOperator, rec)
		}
		return []any{o.ID, o.Email, formatTime(o.CreatedAt)}, nil
	}},
	wellbase.KindOperatorCredential: {"credentials", credentialColumns, []string{"tenant_id", "id"}, func(_ string, rec any) ([]any, error) {
		c, ok := rec.(*wellbase.Credential)
		if !ok {
			return nil, wellbase.RecordTypeError(wellbase.KindOperatorCredential, rec)
		}
		if c.Kind != wellbase.CredentialOperator {
			return nil, wellbase.Errorf(wellbase.EInvalid, "credential %s of kind %q is not an operator credential", c.ID, c.Kind)
		}
		c.TenantID = ""
		return credentialValues(c), nil
	}},
	wellbase.KindControlAudit: {"control_audit_events", auditColumns, []string{"id"}, func(_ string, rec any) ([]any, error) {
		e, ok := rec.(*wellbase.AuditEvent)
		if !ok {
			return nil, wellbase.RecordTypeError(wellbase.KindControlAudit, rec)
		}
		return auditValues(e)
	}},

	wellbase.KindDataKey: {"data_keys", "tenant_id, version, wrapped, created_at", []string{"tenant_id", "version"}, func(tenant string, rec any) ([]any, error) {
		k, ok := rec.(*wellbase.WrappedKey)
		if !ok {
			return nil, wellbase.RecordTypeError(wellbase.KindDataKey, rec)
		}
		k.TenantID = tenant
		wrapped := k.Wrapped
		if wrapped == nil {
			wrapped = []byte{}
		}
		return []any{tenant, k.Version, wrapped, formatTime(k.CreatedAt)}, nil
	}},
	wellbase.KindUser: {"users", userColumns, []string{"tenant_id", "id"}, func(tenant string, rec any) ([]any, error) {
		u, ok := rec.(*wellbase.User)
		if !ok {
			return nil, wellbase.RecordTypeError(wellbase.KindUser, rec)
		}
		u.TenantID = tenant
		return []any{tenant, u.ID, u.Email, u.Role, u.PasswordHash, formatTime(u.CreatedAt), nullTime(u.DisabledAt)}, nil
	}},
	wellbase.KindCredential: {"credentials", credentialColumns, []string{"tenant_id", "id"}, func(tenant string, rec any) ([]any, error) {
		c, ok := rec.(*wellbase.Credential)
		if !ok {
			return nil, wellbase.RecordTypeError(wellbase.KindCredential, rec)
		}
		if c.Kind == wellbase.CredentialOperator {
			return nil, wellbase.Errorf(wellbase.EInvalid, "an operator credential cannot belong to tenant %s", tenant)
		}
		c.TenantID = tenant
		return credentialValues(c), nil
	}},
	wellbase.KindWell: {"wells", wellColumns, []string{"tenant_id", "id"}, func(tenant string, rec any) ([]any, error) {
		w, ok := rec.(*wellbase.Well)
		if !ok {
			return nil, wellbase.RecordTypeError(wellbase.KindWell, rec)
		}
		w.TenantID = tenant
		return []any{tenant, w.ID, w.Name, w.UWI, w.Field, w.Operator, w.Latitude, w.Longitude,
			formatTime(w.CreatedAt), formatTime(w.UpdatedAt)}, nil
	}},
	wellbase.KindLog: {"well_logs", logColumns, []string{"tenant_id", "id"}, func(tenant string, rec any) ([]any, error) {
		l, ok := rec.(*wellbase.WellLog)
		if !ok {
			return nil, wellbase.RecordTypeError(wellbase.KindLog, rec)
		}
		l.TenantID = tenant
		summary, err := encodeLogSummary(l)
		if err != nil {
			return nil, err
		}
		return []any{tenant, l.ID, l.WellID, l.FileName, l.Status, l.Error, l.Version, summary, l.SizeBytes, l.StoredBytes,
			l.KeyVersion, formatTime(l.CreatedAt)}, nil
	}},
	wellbase.KindProduction: {"production", productionColumns, []string{"tenant_id", "well_id", "period", "date"}, func(tenant string, rec any) ([]any, error) {
		r, ok := rec.(*wellbase.ProductionRecord)
		if !ok {
			return nil, wellbase.RecordTypeError(wellbase.KindProduction, rec)
		}
		r.TenantID = tenant
		units, err := json.Marshal(r.Units)
		if err != nil {
			return nil, err
		}
		return []any{tenant, r.WellID, r.Period, r.Date.UTC().Format(dateLayout), r.Oil, r.Gas, r.Water, r.WaterInjected,
			r.GasInjected, r.OnStreamHours, string(units), r.ImportID, formatTime(r.UpdatedAt)}, nil
	}},
	wellbase.KindJob: {"jobs", jobColumns, []string{"tenant_id", "id"}, func(tenant string, rec any) ([]any, error) {
		j, ok := rec.(*wellbase.Job)
		if !ok {
			return nil, wellbase.RecordTypeError(wellbase.KindJob, rec)
		}
		j.TenantID = tenant
		params := string(j.Params)
		if params == "" {
			params = "{}"
		}
		return []any{tenant, j.ID, j.Type, params, j.Status, j.Attempts, j.MaxAttempts, j.Progress, nullJSON(j.Result), j.Error,
			formatTime(j.RunAt), j.LeaseOwner, nullTime(j.LeaseUntil), j.CancelRequested, j.CreatedBy,
			formatTime(j.CreatedAt), formatTime(j.UpdatedAt), nullTime(j.FinishedAt)}, nil
	}},
	wellbase.KindForecast: {"forecasts", "tenant_id, id, well_id, body, created_at", []string{"tenant_id", "id"}, func(tenant string, rec any) ([]any, error) {
		f, ok := rec.(*wellbase.Forecast)
		if !ok {
			return nil, wellbase.RecordTypeError(wellbase.KindForecast, rec)
		}
		f.TenantID = tenant
		body, err := json.Marshal(f)
		if err != nil {
			return nil, err
		}
		return []any{tenant, f.ID, f.WellID, string(body), formatTime(f.CreatedAt)}, nil
	}},
	wellbase.KindAudit: {"audit_events", auditColumns, []string{"tenant_id", "id"}, func(tenant string, rec any) ([]any, error) {
		e, ok := rec.(*wellbase.AuditEvent)
		if !ok {
			return nil, wellbase.RecordTypeError(wellbase.KindAudit, rec)
		}
		e.TenantID = tenant
		return auditValues(e)
	}},
	wellbase.KindRequests: {"request_counts", "tenant_id, day, requests", []string{"tenant_id", "day"}, func(tenant string, rec any) ([]any, error) {
		r, ok := rec.(*wellbase.RequestCount)
		if !ok {
			return nil, wellbase.RecordTypeError(wellbase.KindRequests, rec)
		}
		r.TenantID = tenant
		return []any{tenant, r.Day, r.Requests}, nil
	}},
}

const productionColumns = `tenant_id, well_id, period, date, oil, gas, water, water_injected, gas_injected, on_stream_hours,
	units, import_id, updated_at`

// credentialValues returns the column values of credentialColumns.
func credentialValues(c *wellbase.Credential) []any {
	var revoked *string
	if c.RevokedAt != nil {
		s := formatTime(*c.RevokedAt)
		revoked = &s
	}
	return []any{c.TenantID, c.ID, c.Kind, c.UserID, c.Name, c.Hash, c.Prefix, formatTime(c.CreatedAt), formatTime(c.ExpiresAt), revoked}
}

// auditValues returns the column values of auditColumns; details are stored NULL if empty.
func auditValues(e *wellbase.AuditEvent) ([]any, error) {
	var details *string
	if len(e.Details) > 0 {
		b, err := json.Marshal(e.Details)
		if err != nil {
			return nil, fmt.Errorf("encode details of audit event %s: %w", e.ID, err)
		}
		d := string(b)
		details = &d
	}
	return []any{e.TenantID, e.ID, formatTime(e.Time), e.Actor, e.Action, e.Target, e.RequestID, e.RemoteAddr, details}, nil
}

// upsertSQL returns the statement that inserts a row of t or, if its key exists, sets every
// other column of that row.
func (t table) upsertSQL() string {
	cols := strings.Split(t.columns, ",")
	set := make([]string, 0, len(cols))
	for _, c := range cols {
		c = strings.TrimSpace(c)
		if !slices.Contains(t.key, c) {
			set = append(set, c+" = excluded."+c)
		}
	}
	return "INSERT INTO " + t.name + " (" + t.columns + ") VALUES (?" + strings.Repeat(", ?", len(cols)-1) +
		") ON CONFLICT (" + strings.Join(t.key, ", ") + ") DO UPDATE SET " + strings.Join(set, ", ")
}

// load upserts recs of kind under tenant ("" for the control plane) in one transaction.
func (db *DB) load(ctx context.Context, tenant string, kind wellbase.RecordKind, recs []any) error {
	t := tables[kind]
	if len(recs) == 0 {
		return nil
	}
	op := "load " + string(kind)
	rows := make([][]any, len(recs))
	for i, rec := range recs {
		v, err := t.values(tenant, rec)
		if err != nil {
			return fmt.Errorf("sqlite: %s: %w", op, err)
		}
		rows[i] = v
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return wrap(op, err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, t.upsertSQL())
	if err != nil {
		return wrap(op, err)
	}
	defer stmt.Close()
	for _, v := range rows {
		_, err := stmt.ExecContext(ctx, v...)
		switch {
		case violates(err, "users.email"):
			return wellbase.Errorf(wellbase.EConflict, "user %s: another user of tenant %s has the email %s", v[1], tenant, v[2])
		case violates(err, "credentials.hash"):
			return wellbase.Errorf(wellbase.EConflict, "credential %s: another credential has the same token hash", v[1])
		case err != nil:
			return wrap(op, err)
		}
	}
	return wrap(op, tx.Commit())
}

// Load upserts control-plane records of kind (see wellbase.Store).
func (db *DB) Load(ctx context.Context, kind wellbase.RecordKind, recs ...any) error {
	if err := wellbase.CheckControlKind(kind); err != nil {
		return err
	}
	return db.load(ctx, "", kind, recs)
}

// Load upserts the tenant's records of kind (see wellbase.TenantStore).
func (s *TenantDB) Load(ctx context.Context, kind wellbase.RecordKind, recs ...any) error {
	if err := s.check(); err != nil {
		return err
	}
	if err := wellbase.CheckTenantKind(kind); err != nil {
		return err
	}
	return s.db.load(ctx, s.tenant, kind, recs)
}

// dumpQuery is how one kind is read for a dump: the query (its one argument the tenant, for
// tenant kinds), and how a row is read.
type dumpQuery struct {
	kind  wellbase.RecordKind
	query string
	scan  func(scanner) (any, error)
}

func scanAs[T any](scan func(scanner) (T, error)) func(scanner) (any, error) {
	return func(sc scanner) (any, error) { return scan(sc) }
}

var controlDump = []dumpQuery{
	{wellbase.KindOperator, "SELECT id, email, created_at FROM operators ORDER BY id", func(sc scanner) (any, error) {
		var o wellbase.Operator
		var created string
		if err := sc.Scan(&o.ID, &o.Email, &created); err != nil {
			return nil, err
		}
		var err error
		o.CreatedAt, err = parseTime(created)
		return &o, err
	}},
	{wellbase.KindOperatorCredential, "SELECT " + credentialColumns + " FROM credentials WHERE tenant_id = '' ORDER BY id", scanAs(scanCredential)},
	{wellbase.KindControlAudit, "SELECT " + auditColumns + " FROM control_audit_events ORDER BY id", scanAs(scanAudit)},
	{wellbase.KindTenant, "SELECT " + tenantColumns + " FROM tenants ORDER BY id", scanAs(scanTenant)},
}

var tenantDump = []dumpQuery{
	{wellbase.KindDataKey, "SELECT tenant_id, version, wrapped, created_at FROM data_keys WHERE tenant_id = ? ORDER BY version", func(sc scanner) (any, error) {
		var k wellbase.WrappedKey
		var created string
		if err := sc.Scan(&k.TenantID, &k.Version, &k.Wrapped, &created); err != nil {
			return nil, err
		}
		var err error
		k.CreatedAt, err = parseTime(created)
		return &k, err
	}},
	{wellbase.KindUser, "SELECT " + userColumns + " FROM users WHERE tenant_id = ? ORDER BY id", scanAs(scanUser)},
	{wellbase.KindCredential, "SELECT " + credentialColumns + " FROM credentials WHERE tenant_id = ? ORDER BY id", scanAs(scanCredential)},
	{wellbase.KindWell, "SELECT " + wellColumns + " FROM wells WHERE tenant_id = ? ORDER BY id", scanAs(scanWell)},
	{wellbase.KindLog, "SELECT " + logColumns + " FROM well_logs WHERE tenant_id = ? ORDER BY id", scanAs(scanLog)},
	{wellbase.KindProduction, "SELECT " + productionColumns + " FROM production WHERE tenant_id = ? ORDER BY well_id, period, date", scanAs(scanProduction)},
	{wellbase.KindJob, "SELECT " + jobColumns + " FROM jobs WHERE tenant_id = ? ORDER BY id", scanAs(scanJob)},
	{wellbase.KindForecast, "SELECT tenant_id, body FROM forecasts WHERE tenant_id = ? ORDER BY id", func(sc scanner) (any, error) {
		var tenant, body string
		if err := sc.Scan(&tenant, &body); err != nil {
			return nil, err
		}
		var f wellbase.Forecast
		if err := json.Unmarshal([]byte(body), &f); err != nil {
			return nil, err
		}
		f.TenantID = tenant
		f.CreatedAt, f.StartDate = f.CreatedAt.UTC(), f.StartDate.UTC()
		return &f, nil
	}},
	{wellbase.KindAudit, "SELECT " + auditColumns + " FROM audit_events WHERE tenant_id = ? ORDER BY id", scanAs(scanAudit)},
	{wellbase.KindRequests, "SELECT tenant_id, day, requests FROM request_counts WHERE tenant_id = ? ORDER BY day", func(sc scanner) (any, error) {
		var r wellbase.RequestCount
		return &r, sc.Scan(&r.TenantID, &r.Day, &r.Requests)
	}},
}

// dump runs queries in one read transaction (a snapshot) and calls fn with each row.
func (db *DB) dump(ctx context.Context, tenant string, queries []dumpQuery, fn wellbase.DumpFunc) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return wrap("dump", err)
	}
	defer tx.Rollback()
	for _, q := range queries {
		var args []any
		if tenant != "" {
			args = []any{tenant}
		}
		if err := eachRow(ctx, tx, q.query, args, func(sc scanner) error {
			rec, err := q.scan(sc)
			if err != nil {
				return wrap("dump "+string(q.kind), err)
			}
			return fn(q.kind, rec)
		}); err != nil {
			return err
		}
	}
	return nil
}

// eachRow calls fn with each row of query, as it is read.
func eachRow(ctx context.Context, tx *sql.Tx, query string, args []any, fn func(scanner) error) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return wrap("dump", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return wrap("dump", rows.Err())
}

// Dump calls fn with every control-plane record, from one snapshot (see wellbase.Store).
func (db *DB) Dump(ctx context.Context, fn wellbase.DumpFunc) error {
	return db.dump(ctx, "", controlDump, fn)
}

// Dump calls fn with every record of the tenant, from one snapshot (see wellbase.TenantStore).
func (s *TenantDB) Dump(ctx context.Context, fn wellbase.DumpFunc) error {
	if err := s.check(); err != nil {
		return err
	}
	return s.db.dump(ctx, s.tenant, tenantDump, fn)
}
