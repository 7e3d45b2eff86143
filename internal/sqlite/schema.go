package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are the schema changes in order: migrations[i] takes the database from
// PRAGMA user_version i to i+1. Append new ones; never edit one that has been released.
//
// Tables of tenant data have tenant_id first in their primary key and unique indexes. Times are
// TEXT of timeLayout; JSON columns are TEXT. Tables are STRICT, so a value of the wrong type is
// an error rather than a silent conversion.
var migrations = []string{
	// 1: control plane (tenants, operators), identity, wells, audit, data keys, request counts.
	`
CREATE TABLE tenants (
	id          TEXT NOT NULL PRIMARY KEY,
	name        TEXT NOT NULL,
	tier        TEXT NOT NULL,
	status      TEXT NOT NULL,
	admin_email TEXT NOT NULL,
	limits      TEXT NOT NULL, -- JSON wellbase.LimitOverrides
	settings    TEXT NOT NULL, -- JSON wellbase.TenantSettings
	onboarding  TEXT NOT NULL, -- JSON []wellbase.OnboardingStep
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE operators (
	id         TEXT NOT NULL PRIMARY KEY,
	email      TEXT NOT NULL,
	created_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE users (
	tenant_id     TEXT NOT NULL,
	id            TEXT NOT NULL,
	email         TEXT NOT NULL,
	role          TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	created_at    TEXT NOT NULL,
	PRIMARY KEY (tenant_id, id),
	UNIQUE (tenant_id, email)
) STRICT, WITHOUT ROWID;

-- Tenant credentials (API tokens, sessions) and, with tenant_id '', operator credentials.
-- The hash index is the one index across tenants: CredentialByHash finds a token's tenant.
CREATE TABLE credentials (
	tenant_id  TEXT NOT NULL,
	id         TEXT NOT NULL,
	kind       TEXT NOT NULL,
	user_id    TEXT NOT NULL,
	name       TEXT NOT NULL,
	hash       TEXT NOT NULL,
	prefix     TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	revoked_at TEXT,
	PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX credentials_hash ON credentials (hash);
CREATE INDEX credentials_kind ON credentials (tenant_id, kind, id);

CREATE TABLE wells (
	tenant_id  TEXT NOT NULL,
	id         TEXT NOT NULL,
	name       TEXT NOT NULL,
	uwi        TEXT NOT NULL,
	field      TEXT NOT NULL,
	operator   TEXT NOT NULL,
	latitude   REAL,
	longitude  REAL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE audit_events (
	tenant_id   TEXT NOT NULL,
	id          TEXT NOT NULL,
	time        TEXT NOT NULL,
	actor       TEXT NOT NULL,
	action      TEXT NOT NULL,
	target      TEXT NOT NULL,
	request_id  TEXT NOT NULL,
	remote_addr TEXT NOT NULL,
	details     TEXT, -- JSON object, NULL if none
	PRIMARY KEY (tenant_id, id)
) STRICT;

CREATE TABLE data_keys (
	tenant_id  TEXT NOT NULL,
	version    INTEGER NOT NULL,
	wrapped    BLOB NOT NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (tenant_id, version)
) STRICT, WITHOUT ROWID;

-- API requests per tenant and UTC day ("2006-01-02").
CREATE TABLE request_counts (
	tenant_id TEXT NOT NULL,
	day       TEXT NOT NULL,
	requests  INTEGER NOT NULL,
	PRIMARY KEY (tenant_id, day)
) STRICT, WITHOUT ROWID;
`,
	// 2: well logs. summary is JSON of the parsed facts (well items, index, curves, warnings).
	`
CREATE TABLE well_logs (
	tenant_id    TEXT NOT NULL,
	id           TEXT NOT NULL,
	well_id      TEXT NOT NULL,
	file_name    TEXT NOT NULL,
	status       TEXT NOT NULL,
	error        TEXT NOT NULL,
	version      TEXT NOT NULL,
	summary      TEXT NOT NULL,
	size_bytes   INTEGER NOT NULL,
	stored_bytes INTEGER NOT NULL,
	key_version  INTEGER NOT NULL,
	created_at   TEXT NOT NULL,
	PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX well_logs_well ON well_logs (tenant_id, well_id, id);
`,
	// 3: background jobs. jobs_runnable is the one other index across tenants: workers look for
	// runnable jobs of any tenant.
	`
CREATE TABLE jobs (
	tenant_id        TEXT NOT NULL,
	id               TEXT NOT NULL,
	type             TEXT NOT NULL,
	params           TEXT NOT NULL, -- JSON
	status           TEXT NOT NULL,
	attempts         INTEGER NOT NULL,
	max_attempts     INTEGER NOT NULL,
	progress         REAL NOT NULL,
	result           TEXT,          -- JSON, NULL if none
	error            TEXT NOT NULL,
	run_at           TEXT NOT NULL,
	lease_owner      TEXT NOT NULL,
	lease_until      TEXT,
	cancel_requested INTEGER NOT NULL,
	created_by       TEXT NOT NULL,
	created_at       TEXT NOT NULL,
	updated_at       TEXT NOT NULL,
	finished_at      TEXT,
	PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX jobs_runnable ON jobs (status, run_at);
`,
	// 4: production volumes (one row per well, date and period; volumes and units as JSON-free
	// columns for range queries) and decline forecasts (the result as JSON).
	`
CREATE TABLE production (
	tenant_id       TEXT NOT NULL,
	well_id         TEXT NOT NULL,
	period          TEXT NOT NULL,
	date            TEXT NOT NULL, -- 2006-01-02
	oil             REAL,
	gas             REAL,
	water           REAL,
	water_injected  REAL,
	gas_injected    REAL,
	on_stream_hours REAL,
	units           TEXT NOT NULL, -- JSON wellbase.ProductionUnits
	import_id       TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	PRIMARY KEY (tenant_id, well_id, period, date)
) STRICT, WITHOUT ROWID;

CREATE TABLE forecasts (
	tenant_id  TEXT NOT NULL,
	id         TEXT NOT NULL,
	well_id    TEXT NOT NULL,
	body       TEXT NOT NULL, -- JSON wellbase.Forecast
	created_at TEXT NOT NULL,
	PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;
`,
	// 5: the control-plane audit log (operator actions, deletion certificates), apart from the
	// tenants' logs so that it outlives an offboarded tenant. tenant_id names the tenant concerned.
	`
CREATE TABLE control_audit_events (
	id          TEXT NOT NULL PRIMARY KEY,
	tenant_id   TEXT NOT NULL,
	time        TEXT NOT NULL,
	actor       TEXT NOT NULL,
	action      TEXT NOT NULL,
	target      TEXT NOT NULL,
	request_id  TEXT NOT NULL,
	remote_addr TEXT NOT NULL,
	details     TEXT -- JSON object, NULL if none
) STRICT;
`,
	// 6: idempotency records of requests sent with an Idempotency-Key, keyed by scope (a tenant
	// ID, or "operator:<id>") and key. A rowid table, for the answer bodies can be large.
	// idempotency_keys_expiry serves the sweep across scopes.
	`
CREATE TABLE idempotency_keys (
	scope        TEXT NOT NULL,
	key          TEXT NOT NULL,
	owner        TEXT NOT NULL,
	state        TEXT NOT NULL,
	fingerprint  TEXT NOT NULL,
	status       INTEGER NOT NULL,
	content_type TEXT NOT NULL,
	location     TEXT NOT NULL,
	body         BLOB,
	created_at   TEXT NOT NULL,
	lease_until  TEXT NOT NULL,
	expires_at   TEXT NOT NULL,
	PRIMARY KEY (scope, key)
) STRICT;
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
`,
	// 7: the ID seed of an idempotent request, kept when a dead replica's claim is taken over.
	`
ALTER TABLE idempotency_keys ADD COLUMN seed TEXT NOT NULL DEFAULT '';
`,
	// 8: disabled users.
	`
ALTER TABLE users ADD COLUMN disabled_at TEXT;
`,
}

// migrate applies the migrations the database has not had yet, in one transaction. The
// transaction begins IMMEDIATE (the write pool's _txlock), so when processes open a new database
// at once, one migrates and the others wait for it, then find nothing left to do.
func migrate(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("sqlite: migrate: read schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("sqlite: database schema version %d is newer than this program's (%d): upgrade wellbase", version, len(migrations))
	}
	for v := version; v < len(migrations); v++ {
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			return fmt.Errorf("sqlite: migrate to schema version %d: %w", v+1, err)
		}
		// PRAGMA takes no parameters; v is an int.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			return fmt.Errorf("sqlite: migrate to schema version %d: %w", v+1, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	return nil
}
