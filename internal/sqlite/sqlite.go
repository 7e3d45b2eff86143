// Package sqlite is the embedded store driver: wellbase.Store on one SQLite database file, through
// modernc.org/sqlite (pure Go, no cgo). It is what `wellbase serve` uses when no database URL is
// given, and several processes on one machine (a running server and a CLI command) may use the
// same file at once.
//
// # Concurrency
//
// The database is in WAL mode, so readers block neither the writer nor each other. A DB holds two
// connection pools on the file: a single connection for every write of the process, so that the
// process's writers queue in Go instead of polling SQLite's lock, and a pool of query-only
// connections for reads. A write of another process is waited for up to 10 s (busy_timeout,
// set on every connection by the DSN). Transactions begin IMMEDIATE, taking the write lock at
// once, so a transaction that reads then writes never fails to upgrade its lock.
//
// # Tenancy
//
// Every table of tenant data has tenant_id as the first column of its primary key and of its
// unique indexes, and every query of tenant data has tenant_id = ?. The one index across tenants
// is the unique index of credential token hashes: the hash is how a request's tenant is found.
// Operator credentials are stored with tenant_id ”, so a TenantDB refuses the empty tenant ID.
// Idempotency records are keyed by scope first (the tenant ID, or "operator:<id>"); the sweep of
// expired ones reads an index on their expiry across scopes.
//
// # Storage
//
// Times are stored as fixed-width UTC text ("2006-01-02T15:04:05.000000000Z"), which sorts as the
// times do, and are read back in UTC at nanosecond precision. A tenant's limits, settings and
// onboarding steps and an audit event's details are stored as JSON text; JSON numbers in details
// are read back as float64.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/wellbase/wellbase"
)

var (
	_ wellbase.Store       = (*DB)(nil)
	_ wellbase.TenantStore = (*TenantDB)(nil)
)

// busyTimeout is how long a call waits for another process's write lock.
const busyTimeout = 10 * time.Second

// Connection parameters, applied by modernc.org/sqlite to every connection it opens; it applies
// busy_timeout (milliseconds) before the other pragmas. secure_delete overwrites deleted
// records with zeros, so a destroyed data key does not linger in free pages (crypto-shredding).
var (
	pragmas = fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=secure_delete(1)",
		busyTimeout.Milliseconds())
	writeParams = pragmas + "&_txlock=immediate"
	readParams  = pragmas + "&_pragma=query_only(1)"
)

// DB is the store on one SQLite database file. It is safe for concurrent use.
type DB struct {
	path  string
	write *sql.DB // one connection: every write of this process
	read  *sql.DB // query-only connections

	byHash *sql.Stmt // CredentialByHash, run on every authenticated request
}

// Open opens the database of dsn, creating it if missing, and brings its schema up to date. dsn is
// "sqlite:///abs/path/wellbase.db" or "sqlite://relative/path.db" (relative to the working
// directory); a path with "%" or "#" in it is percent-encoded, as url.URL.String does. A missing
// parent directory is created with mode 0700 and a missing database file
// with mode 0600. Processes may open the same file at once; one of them migrates the schema while
// the others wait.
func Open(ctx context.Context, dsn string) (*DB, error) {
	path, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: create database directory: %w", err)
	}
	// SQLite creates the -wal and -shm files with the mode of the database file.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sqlite: create database file: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("sqlite: create database file: %w", err)
	}

	db := &DB{path: path}
	if db.write, err = sql.Open("sqlite", path+"?"+writeParams); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.write.SetMaxOpenConns(1)
	db.write.SetMaxIdleConns(1)
	if err := setup(ctx, db.write); err != nil {
		db.write.Close()
		return nil, err
	}
	if db.read, err = sql.Open("sqlite", path+"?"+readParams); err != nil {
		db.write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	db.read.SetMaxOpenConns(n)
	db.read.SetMaxIdleConns(n)
	if db.byHash, err = db.read.PrepareContext(ctx, "SELECT "+credentialColumns+" FROM credentials WHERE hash = ?"); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
}

// setup opens the first write connection, which puts the file in WAL mode, and migrates the
// schema. It retries for up to busyTimeout while SQLite answers SQLITE_BUSY: when processes open a
// new file at once, the change of its journal mode to WAL can fail at once, without waiting for
// the busy timeout. WAL mode is kept in the file, so this happens on the first opening only.
func setup(ctx context.Context, db *sql.DB) error {
	deadline := time.Now().Add(busyTimeout)
	for delay := time.Millisecond; ; delay = min(2*delay, 100*time.Millisecond) {
		err := migrate(ctx, db)
		if !isBusy(err) || time.Now().Add(delay).After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("sqlite: migrate: %w", ctx.Err())
		case <-time.After(delay):
		}
	}
}

// parseDSN returns the absolute path of the database file named by dsn.
func parseDSN(dsn string) (string, error) {
	const want = `want "sqlite:///abs/path/wellbase.db" or "sqlite://relative/path.db"`
	u, err := url.Parse(dsn)
	if err != nil {
		return "", wellbase.Errorf(wellbase.EInvalid, "database URL is invalid: %v; %s", err, want)
	}
	path := u.Host + u.Path
	switch {
	case u.Scheme != "sqlite":
		return "", wellbase.Errorf(wellbase.EInvalid, "database URL scheme %q is not sqlite; %s", u.Scheme, want)
	case u.Opaque != "" || u.User != nil || u.RawQuery != "" || u.Fragment != "":
		return "", wellbase.Errorf(wellbase.EInvalid, "database URL %q has parts other than a path; %s", dsn, want)
	case path == "" || strings.HasSuffix(path, "/"):
		return "", wellbase.Errorf(wellbase.EInvalid, "database URL %q names no file; %s", dsn, want)
	case strings.Contains(path, "?"): // modernc.org/sqlite cuts the file name at the first "?"
		return "", wellbase.Errorf(wellbase.EInvalid, "database file name %q has a ?", path)
	}
	abs, err := filepath.Abs(filepath.FromSlash(path))
	if err != nil {
		return "", fmt.Errorf("sqlite: database path: %w", err)
	}
	return abs, nil
}

// Path returns the absolute path of the database file.
func (db *DB) Path() string { return db.path }

// Ping checks that the database answers, on both connection pools.
func (db *DB) Ping(ctx context.Context) error {
	for _, p := range []*sql.DB{db.read, db.write} {
		var one int
		if err := p.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
			return fmt.Errorf("sqlite: ping: %w", err)
		}
	}
	return nil
}

// Close closes the database; calls in progress finish first.
func (db *DB) Close() error {
	var errs []error
	if db.byHash != nil {
		errs = append(errs, db.byHash.Close())
	}
	if db.read != nil {
		errs = append(errs, db.read.Close())
	}
	errs = append(errs, db.write.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sqlite: close: %w", err)
	}
	return nil
}

// Tenant returns the store of tenant id's data. It does not check that the tenant exists; every
// method of a store with the empty tenant ID fails with EInvalid.
func (db *DB) Tenant(id string) wellbase.TenantStore {
	return &TenantDB{db: db, tenant: id}
}

// TenantDB is the store of one tenant's data, from DB.Tenant: every query it makes is scoped to
// its tenant, and every record it creates is the tenant's, whatever the record's TenantID said
// (the field is set to the tenant).
type TenantDB struct {
	db     *DB
	tenant string
}

// TenantID returns the tenant of the store.
func (s *TenantDB) TenantID() string { return s.tenant }

// check returns an error for a store without a tenant ID, whose queries would reach the operator
// credentials (tenant_id ”).
func (s *TenantDB) check() error {
	if s.tenant == "" {
		return wellbase.Errorf(wellbase.EInvalid, "tenant store has no tenant ID")
	}
	return nil
}

// count returns the number of the tenant's rows in table (a constant).
func (s *TenantDB) count(ctx context.Context, table string) (int, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	var n int
	err := s.db.read.QueryRowContext(ctx, "SELECT count(*) FROM "+table+" WHERE tenant_id = ?", s.tenant).Scan(&n)
	return n, wrap("count "+table, err)
}
