package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/wellbase/wellbase"
)

const idempotencyColumns = "scope, key, owner, state, fingerprint, status, content_type, location, body, created_at, lease_until, expires_at, seed"

// notLive is the condition, on a row of idempotency_keys, that it no longer binds its key at
// the time given twice as arguments: expired, or in progress past its lease.
const notLive = "(expires_at <= ? OR (state = 'in_progress' AND lease_until <= ?))"

// ClaimIdempotencyKey stores r as the in-progress record of (r.Scope, r.Key) unless a live
// record holds the key, which it returns. One upsert decides, in a transaction on the write
// connection (which other processes wait for), so of two claims only one wins.
func (db *DB) ClaimIdempotencyKey(ctx context.Context, r *wellbase.IdempotencyRecord, now time.Time) (*wellbase.IdempotencyRecord, error) {
	if err := checkClaim(r); err != nil {
		return nil, err
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, wrap("claim idempotency key", err)
	}
	defer tx.Rollback()
	at := formatTime(now)
	// A dead replica's claim (in progress, not expired) keeps its seed: see wellbase.IdempotencyStore.
	res, err := tx.ExecContext(ctx, "INSERT INTO idempotency_keys ("+idempotencyColumns+`)
		VALUES (?, ?, ?, 'in_progress', '', 0, '', '', NULL, ?, ?, ?, ?)
		ON CONFLICT (scope, key) DO UPDATE SET owner = excluded.owner, state = excluded.state, fingerprint = '', status = 0,
			content_type = '', location = '', body = NULL, created_at = excluded.created_at, lease_until = excluded.lease_until,
			expires_at = excluded.expires_at,
			seed = CASE WHEN idempotency_keys.state = 'in_progress' AND idempotency_keys.expires_at > ? AND idempotency_keys.seed != ''
				THEN idempotency_keys.seed ELSE excluded.seed END
		WHERE `+notLive,
		r.Scope, r.Key, r.Owner, formatTime(r.CreatedAt), formatTime(r.LeaseUntil), formatTime(r.ExpiresAt), r.Seed, at, at, at)
	if err != nil {
		return nil, wrap("claim idempotency key", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		if err := tx.QueryRowContext(ctx, "SELECT seed FROM idempotency_keys WHERE scope = ? AND key = ?", r.Scope, r.Key).Scan(&r.Seed); err != nil {
			return nil, wrap("claim idempotency key", err)
		}
		if err := tx.Commit(); err != nil {
			return nil, wrap("claim idempotency key", err)
		}
		r.State = wellbase.IdempotencyInProgress
		return nil, nil
	}
	held, err := scanIdempotency(tx.QueryRowContext(ctx, "SELECT "+idempotencyColumns+" FROM idempotency_keys WHERE scope = ? AND key = ?", r.Scope, r.Key))
	if err != nil {
		return nil, wrap("claim idempotency key: read the record holding it", err)
	}
	return held, nil
}

// checkClaim checks the record a claim would store.
func checkClaim(r *wellbase.IdempotencyRecord) error {
	if err := wellbase.CheckIdempotencyID(r.Scope, r.Key); err != nil {
		return err
	}
	if r.Owner == "" || r.ExpiresAt.IsZero() || r.LeaseUntil.IsZero() {
		return wellbase.Errorf(wellbase.EInvalid, "an idempotency claim needs an owner, a lease and an expiry")
	}
	return nil
}

// RenewIdempotencyKey extends owner's lease of the in-progress record (scope, key).
func (db *DB) RenewIdempotencyKey(ctx context.Context, scope, key, owner string, leaseUntil time.Time) error {
	if err := wellbase.CheckIdempotencyID(scope, key); err != nil {
		return err
	}
	res, err := db.write.ExecContext(ctx, "UPDATE idempotency_keys SET lease_until = ? WHERE scope = ? AND key = ? AND owner = ? AND state = 'in_progress'",
		formatTime(leaseUntil), scope, key, owner)
	return heldBy(res, err, "renew idempotency key", key)
}

// CompleteIdempotencyKey stores r's answer in the in-progress record r.Owner holds.
func (db *DB) CompleteIdempotencyKey(ctx context.Context, r *wellbase.IdempotencyRecord) error {
	if err := wellbase.CheckIdempotencyID(r.Scope, r.Key); err != nil {
		return err
	}
	if len(r.Body) > wellbase.MaxIdempotencyBody {
		return wellbase.Errorf(wellbase.EInvalid, "an idempotency record holds at most %d bytes of answer, got %d", wellbase.MaxIdempotencyBody, len(r.Body))
	}
	res, err := db.write.ExecContext(ctx, `UPDATE idempotency_keys SET state = 'done', fingerprint = ?, status = ?, content_type = ?, location = ?, body = ?
		WHERE scope = ? AND key = ? AND owner = ? AND state = 'in_progress'`,
		r.Fingerprint, r.Status, r.ContentType, r.Location, r.Body, r.Scope, r.Key, r.Owner)
	return heldBy(res, err, "complete idempotency key", r.Key)
}

// heldBy returns the error of an update of a record its owner must hold: EConflict if it
// changed no row.
func heldBy(res sql.Result, err error, op, key string) error {
	if err != nil {
		return wrap(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return wellbase.Errorf(wellbase.EConflict, "the claim of Idempotency-Key %q was lost: its lease lapsed and another request took it", key)
	}
	return nil
}

// ReleaseIdempotencyKey deletes the in-progress record (scope, key) if owner holds it.
func (db *DB) ReleaseIdempotencyKey(ctx context.Context, scope, key, owner string) error {
	if err := wellbase.CheckIdempotencyID(scope, key); err != nil {
		return err
	}
	_, err := db.write.ExecContext(ctx, "DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND owner = ? AND state = 'in_progress'", scope, key, owner)
	return wrap("release idempotency key", err)
}

// DeleteExpiredIdempotencyKeys deletes the records that are not live at now, in every scope.
func (db *DB) DeleteExpiredIdempotencyKeys(ctx context.Context, now time.Time) (int, error) {
	at := formatTime(now)
	res, err := db.write.ExecContext(ctx, "DELETE FROM idempotency_keys WHERE "+notLive, at, at)
	if err != nil {
		return 0, wrap("delete expired idempotency keys", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// scanIdempotency reads a row of idempotencyColumns.
func scanIdempotency(row scanner) (*wellbase.IdempotencyRecord, error) {
	var (
		r                       wellbase.IdempotencyRecord
		state                   string
		created, lease, expires string
	)
	err := row.Scan(&r.Scope, &r.Key, &r.Owner, &state, &r.Fingerprint, &r.Status, &r.ContentType, &r.Location, &r.Body, &created, &lease, &expires, &r.Seed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, wellbase.Errorf(wellbase.ENotFound, "no record of this Idempotency-Key")
	}
	if err != nil {
		return nil, err
	}
	r.State = wellbase.IdempotencyState(state)
	if err := parseTimes([]*time.Time{&r.CreatedAt, &r.LeaseUntil, &r.ExpiresAt}, created, lease, expires); err != nil {
		return nil, err
	}
	return &r, nil
}
