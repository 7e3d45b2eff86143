// Package mongodb is the MongoDB store driver: wellbase.Store on one MongoDB database, through
// go.mongodb.org/mongo-driver/v2. It is what Wellbase uses on AWS (MongoDB Atlas, a
// mongodb+srv:// URL), and it is tested against FerretDB (the MongoDB wire protocol on SQLite).
//
// # Tenancy
//
// Tenancy is pooled: every tenant's records of one kind share a collection, and every tenant
// document has a tenant field holding its tenant ID. A tenant record's _id is "<tenant>/<id>"
// (a request-count's "<tenant>/<day>", a data key's "<tenant>/<version>"), so that IDs never
// collide across tenants and, within one tenant, _id order is ID order. Every query a TenantDB
// makes is built by TenantDB.filter, which puts {tenant: <its tenant>} first in the filter, so no
// query can leave the tenant out; a TenantDB refuses an empty tenant ID and one with a "/" (the
// separator of its document IDs) with EInvalid.
//
// # Collections and indexes
//
// Control plane, not tenant data: tenants (_id: tenant ID), operators (_id: operator ID) and
// control_audit (_id: event ID; tenant names the tenant concerned, whose deletion it outlives).
// Tenant data, each with its tenant first in every index but _id:
//
//	users        users_tenant {tenant, _id}; users_email {tenant, email} unique
//	credentials  credentials_kind {tenant, kind, _id}; credentials_hash {hash} unique (see below)
//	wells        wells_tenant {tenant, _id}
//	logs         logs_tenant {tenant, _id}; logs_well {tenant, well_id, _id}
//	jobs         jobs_tenant {tenant, _id}; jobs_status {tenant, status, _id}
//	production   production_key {tenant, well_id, period, date} unique (_id: see productionDoc)
//	forecasts    forecasts_tenant {tenant, _id}
//	audit        audit_tenant {tenant, _id}
//	requests     requests_tenant {tenant, _id}
//	data_keys    data_keys_version {tenant, version} unique
//	idempotency  idempotency_scope {scope, _id}; idempotency_expiry {expires_at} (TTL on MongoDB)
//
// On FerretDB alone, the collection locks holds the short-lived locks of documents being updated
// (see "FerretDB" below): no tenant data, index locks_key {key} unique.
//
// The one index across tenants is credentials_hash: a token's hash is how a request's tenant is
// found (CredentialByHash), and a hash must be unique in every tenant. (Idempotency records are
// keyed by scope, the tenant ID or "operator:<id>", in _id "<scope>/<key>"; idempotency_expiry,
// across scopes, lets MongoDB delete expired records itself and serves the sweep on FerretDB.) Operator credentials are
// stored in credentials with tenant "" (_id "/<id>"). Indexes are created at start-up by Open; an
// index that exists is left as it is. A duplicate key (server error 11000) is EConflict.
//
// # No transactions
//
// The driver uses no multi-document transaction (FerretDB has none, and Atlas does not need
// them here). Writes that must go together are one single-document update: UpdateTenant is one
// findAndModify that sets each changed field (each limit override on its own, so concurrent
// updates of different overrides are all kept) and $pushes the onboarding step; AddRequests is
// one $inc upsert; ClaimJob, UpdateHeldJob and CancelJob are compare-and-set updates whose filter
// holds the lease condition, so that of two workers only one wins. UpsertProduction is one
// upsert per record, keyed (tenant, well, period, date). Purge deletes collection by collection
// and may be retried.
//
// # Storage
//
// Times are BSON datetimes: UTC, millisecond precision (finer parts are dropped), read back in
// UTC. A production date is the datetime of its UTC midnight. Job parameters and results and an
// audit event's details are kept as JSON text (exactly as given; details are free-form, and their
// keys may hold '.' or start with '$', which a field name may not on FerretDB), so JSON numbers
// in details are read back as float64, as with the SQLite driver.
//
// # FerretDB
//
// FerretDB 1.24 (SQLite backend) speaks the protocol with these limitations, which the driver
// works around:
//
//   - An update (update, findAndModify) is not atomic: the server reads the matching documents,
//     computes the new ones, then writes them back whole, each in its own statement (the SQLite
//     backend's UpdateAll is "UPDATE … SET doc = ? WHERE _id = ?"). Concurrent updates of one
//     document lose all but one ($inc from 20 goroutines adds 1), and a compare-and-set lets
//     several writers win: two workers lease one job, two replicas claim one Idempotency-Key.
//     So when Open finds FerretDB (buildInfo.ferretdbVersion), every update of a document that
//     several writers may change (a job, an idempotency record, a tenant, a request count, a
//     credential, a data key, a well or log) runs under that document's lock (DB.lockDoc),
//     across processes: a goroutine of this process takes an in-process lock of the document,
//     then inserts a lock document {_id: <random>, key: "<collection>/<_id>", expires_at} into
//     the collection locks, whose unique index locks_key FerretDB enforces in SQLite within the
//     insert, so one insert of a key wins and the others get a duplicate key error and wait
//     (polls of 2 to 100 ms). The holder deletes its lock document by its random _id when done.
//     A lock past its expiry (10 s: its holder was killed) is deleted, again by its own _id,
//     by the next process that wants it. Deletes are by _id only, so none can remove a later
//     lock of the same key, whatever it read before. ClaimJob does not wait: a job whose lock
//     another worker holds is EConflict, as when that worker wins it. A wait longer than 25 s
//     (endless contention) is EUnavailable. The lock is correct while a holder finishes within
//     the expiry (its section is a few reads and writes of one document) and the processes'
//     clocks agree to well within it (one machine, or NTP). Cost: an insert and a delete per
//     locked update, measured with BenchmarkLockedUpdate on FerretDB 1.24.2 (2 shared cores):
//     a job heartbeat 4.5 → 8 ms, a request count $inc 4 → 6 ms, an Idempotency-Key claim and
//     completion 10 to 20 ms more (21-56 → 32-74 ms, growing with the collection). MongoDB
//     makes every single-document update atomic itself: there the lock does nothing and the
//     collection locks is never written. TestClientsRace
//     and TestProcessesClaim race independent clients and processes on one document.
//     UpsertProduction is not locked: concurrent imports that change different fields of one
//     record may lose one merge on FerretDB (the last writer of the record wins).
//   - createIndexes naming several indexes that all exist drops the connection (a server
//     panic), so on FerretDB indexes are created one command per index.
//   - A concurrent upsert of a missing document may fail with a duplicate key error instead of
//     updating (MongoDB retries it itself): AddRequests and UpsertProduction retry once.
//   - An update command with 100 or more statements that replace existing documents never
//     answers: on FerretDB UpsertProduction updates stored records one statement at a time.
//   - distinct refuses maxTimeMS ("unknown field"), which the driver adds when the context has
//     a deadline (a Lambda invocation's); the driver's DistinctResult.Decode then reports only
//     "error decoding key arr". On FerretDB the one distinct (RunnableJobs, QueueStats) is sent
//     without the context's deadline.
//   - No update pipelines, no $expr, no $min or $first in $group (and $count returns 0): filters
//     compare with values read first (compare-and-set), RunnableJobs finds tenant by tenant,
//     StoredBytes sums with $group/$sum.
//   - Only a filter of _id alone, {_id: <string>}, finds a document by its primary key; any
//     other filter, {tenant, _id} included, reads the whole collection (a count of 1000
//     documents by tenant takes ~25 ms, a find by _id under 1 ms, and an upsert of the Volve
//     workbook's 15 000 daily records, each reading a growing collection, did not end in 10
//     minutes). So on FerretDB TenantDB.byID is {_id} alone (the _id names the tenant), and the
//     updates of one document under its lock (jobs, idempotency records) read it by _id, check
//     their conditions on what they read (the lock keeps it unchanged) and write by _id alone.
//     Production records, upserted in bulk, have an _id made of their key for that reason.
package mongodb

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/wellbase/wellbase"
)

var (
	_ wellbase.Store       = (*DB)(nil)
	_ wellbase.TenantStore = (*TenantDB)(nil)
)

// DefaultDatabase is the database of a URL without a path.
const DefaultDatabase = "wellbase"

// DB is the store on one MongoDB database. It is safe for concurrent use.
type DB struct {
	client *mongo.Client
	db     *mongo.Database
	name   string

	// ferret is set when the server is FerretDB (see the package doc): updates of one document
	// are then serialized across processes (lockDoc), and indexes created one by one.
	ferret bool
	local  keyLocks // lockDoc's in-process part
}

// Open connects to the MongoDB server of rawURL, "mongodb://host[:port][,…]/[database][?options]"
// or "mongodb+srv://host/[database][?options]", and creates the indexes the store needs. The
// database is the URL's path, DefaultDatabase if it has none. As in every MongoDB URL, the path
// is also the database that credentials in the URL authenticate against unless authSource says
// otherwise (Atlas users: authSource=admin; IAM: authMechanism=MONGODB-AWS). Errors: EInvalid
// for a URL of another scheme or an invalid database name; the driver's error if the URL's
// options are invalid, its hosts cannot be resolved or the server refuses the indexes;
// EUnavailable if the server does not answer (see wrap). A call waits for a server for at most
// ServerSelectionTimeout (or the URL's serverSelectionTimeoutMS), or until ctx is done: Open as
// well as every later call, so that a request fails fast with EUnavailable while the server is
// down rather than hang for the driver's default of 30 s.
func Open(ctx context.Context, rawURL string) (*DB, error) {
	name, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	client, err := mongo.Connect(clientOptions(rawURL))
	if err != nil {
		// A malformed option, or a mongodb+srv host whose DNS records cannot be read: the
		// driver's message may quote the URL, so it is passed on without the password.
		return nil, errors.New("mongodb: open: " + redact(err, rawURL))
	}
	db := &DB{client: client, db: client.Database(name), name: name}
	if err := db.setup(ctx); err != nil {
		client.Disconnect(context.WithoutCancel(ctx))
		return nil, err
	}
	return db, nil
}

// ServerSelectionTimeout is how long a call waits for a server that answers unless the URL sets
// serverSelectionTimeoutMS.
const ServerSelectionTimeout = 5 * time.Second

// clientOptions returns the driver's options of rawURL, with ServerSelectionTimeout unless the
// URL sets its own.
func clientOptions(rawURL string) *options.ClientOptions {
	opts := options.Client().ApplyURI(rawURL).SetAppName("wellbase")
	if opts.ServerSelectionTimeout == nil {
		opts.SetServerSelectionTimeout(ServerSelectionTimeout)
	}
	return opts
}

// parseURL checks rawURL's scheme and returns its database name.
func parseURL(rawURL string) (string, error) {
	const want = `want "mongodb://host/database" or "mongodb+srv://host/database"`
	u, err := url.Parse(rawURL)
	if err != nil {
		// The URL may hold a password: say what is wrong without it.
		return "", wellbase.Errorf(wellbase.EInvalid, "database URL is invalid; %s", want)
	}
	if u.Scheme != "mongodb" && u.Scheme != "mongodb+srv" {
		return "", wellbase.Errorf(wellbase.EInvalid, "database URL scheme %q is not mongodb or mongodb+srv; %s", u.Scheme, want)
	}
	if u.Host == "" {
		return "", wellbase.Errorf(wellbase.EInvalid, "database URL names no host; %s", want)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" {
		return DefaultDatabase, nil
	}
	// MongoDB's rules for database names: fewer than 64 bytes, none of /\. "$ or NUL.
	if len(name) >= 64 || strings.ContainsAny(name, "/\\. \"$\x00") {
		return "", wellbase.Errorf(wellbase.EInvalid, "database name %q is invalid: use fewer than 64 letters, digits, '-' or '_'", name)
	}
	return name, nil
}

// redact returns err's message without the password of rawURL, as written in it
// (percent-encoded) and decoded, if it has one.
func redact(err error, rawURL string) string {
	msg := err.Error()
	_, rest, _ := strings.Cut(rawURL, "://")
	if end := strings.IndexAny(rest, "/?"); end >= 0 {
		rest = rest[:end]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return msg
	}
	if _, raw, ok := strings.Cut(rest[:at], ":"); ok && raw != "" {
		if p, perr := url.PathUnescape(raw); perr == nil && p != "" {
			msg = strings.ReplaceAll(msg, p, "xxxxx")
		}
		msg = strings.ReplaceAll(msg, raw, "xxxxx")
	}
	return msg
}

// setup finds out whether the server is FerretDB and creates the indexes.
func (db *DB) setup(ctx context.Context) error {
	var info struct {
		FerretDB string `bson:"ferretdbVersion"`
	}
	if err := db.db.RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info); err != nil {
		return wrap("open: build info", err)
	}
	db.ferret = info.FerretDB != ""
	if err := db.createIndexes(ctx); err != nil {
		return err
	}
	if err := db.createLockIndex(ctx); err != nil {
		return err
	}
	return db.createTTLIndex(ctx)
}

// Name returns the name of the database.
func (db *DB) Name() string { return db.name }

// Ping checks that the server answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := ready(ctx, "ping"); err != nil {
		return err
	}
	return wrap("ping", db.client.Ping(ctx, nil))
}

// Close closes the connections to the server; calls in progress finish first.
func (db *DB) Close() error {
	return wrap("close", db.client.Disconnect(context.Background()))
}

// Drop deletes the whole database, every tenant's data with it. Tests use it to clean up.
func (db *DB) Drop(ctx context.Context) error {
	return wrap("drop database", db.db.Drop(ctx))
}

// coll returns collection name of the database.
func (db *DB) coll(name string) *mongo.Collection { return db.db.Collection(name) }

// Tenant returns the store of tenant id's data. It does not check that the tenant exists; every
// method of a store with an empty tenant ID or one with a "/" fails with EInvalid.
func (db *DB) Tenant(id string) wellbase.TenantStore { return db.tenant(id) }

func (db *DB) tenant(id string) *TenantDB { return &TenantDB{db: db, tenant: id} }

// TenantDB is the store of one tenant's data, from DB.Tenant: every query it makes is filtered by
// its tenant (TenantDB.filter), and every record it creates is the tenant's, whatever the
// record's TenantID said (the field is set to the tenant).
type TenantDB struct {
	db     *DB
	tenant string
}

// TenantID returns the tenant of the store.
func (s *TenantDB) TenantID() string { return s.tenant }

// check returns the error of a call of op that must not start: a done context, or a store
// without a valid tenant ID (whose queries would reach the operator credentials, tenant "", or
// whose document IDs would be ambiguous).
func (s *TenantDB) check(ctx context.Context, op string) error {
	if err := ready(ctx, op); err != nil {
		return err
	}
	if s.tenant == "" || strings.Contains(s.tenant, "/") {
		return wellbase.Errorf(wellbase.EInvalid, "tenant store has an invalid tenant ID %q", s.tenant)
	}
	return nil
}

// key returns the _id of the tenant's record id: "<tenant>/<id>".
func (s *TenantDB) key(id string) string { return s.tenant + "/" + id }

// filter returns a filter of the tenant's documents: {tenant: <tenant>} and then conds. Every
// query of tenant data is built with it.
func (s *TenantDB) filter(conds ...bson.E) bson.D {
	return append(bson.D{{Key: "tenant", Value: s.tenant}}, conds...)
}

// byID returns the filter of the tenant's record id, and then conds. On FerretDB a filter
// without conds is {_id} alone: FerretDB looks a document up by its _id only when the filter
// has no other field, and reads the whole collection otherwise (see the package doc). It is
// still the tenant's record alone: its _id "<tenant>/<id>" names the tenant, which has no "/".
func (s *TenantDB) byID(id string, conds ...bson.E) bson.D {
	if s.db.ferret && len(conds) == 0 {
		return bson.D{{Key: "_id", Value: s.key(id)}}
	}
	return s.filter(append([]bson.E{{Key: "_id", Value: s.key(id)}}, conds...)...)
}

// count returns the number of the tenant's documents in collection coll that match conds.
func (s *TenantDB) count(ctx context.Context, op, coll string, conds ...bson.E) (int, error) {
	if err := s.check(ctx, op); err != nil {
		return 0, err
	}
	n, err := s.db.coll(coll).CountDocuments(ctx, s.filter(conds...))
	return int(n), wrap(op, err)
}

// ready returns the error of a call of op with a done context: nothing is sent.
func ready(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return wrap(op, err)
	}
	return nil
}

// notFound returns the ENotFound error of a missing resource: "well wel_… not found".
func notFound(resource, id string) error {
	return wellbase.Errorf(wellbase.ENotFound, "%s %s not found", resource, id)
}

// isDup reports whether err is a duplicate key error (code 11000) of a unique index.
func isDup(err error) bool { return mongo.IsDuplicateKeyError(err) }

// isNoDoc reports whether err says that no document matched.
func isNoDoc(err error) bool { return errors.Is(err, mongo.ErrNoDocuments) }
