package wellbase

import (
	"context"
	"time"
)

// Store is the database port. Drivers (internal/sqlite, later internal/mongodb) implement it and
// pass internal/storetest. Tenant data is reachable only through a TenantStore, which a driver
// scopes to one tenant in every query it makes: no method lists or reads tenant data without a
// tenant. The port speaks in domain types and has no SQL or driver types in it; methods that
// must change several records together are written as single-record updates or idempotent steps,
// because not every driver has multi-record transactions.
//
// Callers assign IDs (NewID) and creation times; drivers store times in UTC at ≥ millisecond
// precision. UpdateTenant sets UpdatedAt itself; UpdateWell keeps the stored CreatedAt.
//
// Errors: ENotFound for a missing record, EConflict for a duplicate key, EInvalid for a tenant
// store of an empty or malformed tenant ID (Tenant cannot fail, so each method refuses it);
// anything else is the driver's error, wrapped. A cancelled context is an error wrapping
// context.Canceled, and nothing is written.
type Store interface {
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	Close() error

	// CreateTenant inserts t; EConflict if its ID exists.
	CreateTenant(ctx context.Context, t *Tenant) error
	GetTenant(ctx context.Context, id string) (*Tenant, error)
	// ListTenants returns tenants ordered by ID, after page.After, and the cursor of the next page.
	ListTenants(ctx context.Context, page Page) ([]*Tenant, string, error)
	// UpdateTenant applies u to the tenant as one single-record update and returns the result.
	// u.Limits is merged into the stored overrides (LimitOverrides.Merge: a nil field keeps the
	// tenant's), inside the update so concurrent changes are all kept; u.Step is appended to the
	// onboarding record.
	UpdateTenant(ctx context.Context, id string, u TenantUpdate) (*Tenant, error)

	CreateOperator(ctx context.Context, o *Operator) error
	GetOperator(ctx context.Context, id string) (*Operator, error)
	// CreateOperatorCredential stores a credential as kind CredentialOperator with no tenant,
	// whatever c says.
	CreateOperatorCredential(ctx context.Context, c *Credential) error
	// RevokeOperatorCredential marks the operator credential id revoked at time at (revoking
	// twice keeps the first time); ENotFound if there is no operator credential id.
	RevokeOperatorCredential(ctx context.Context, id string, at time.Time) error

	// CredentialByHash finds a credential of any kind and tenant by its token hash: this is how a
	// request's tenant is found from its token. ENotFound if none.
	CredentialByHash(ctx context.Context, hash string) (*Credential, error)

	// RunnableJobs returns, for each tenant with a job a worker may lease at now (queued with
	// RunAt ≤ now, or running with an expired lease) whose type is one of types (nil or empty:
	// any type), its oldest such job; and the number of jobs each tenant has running under a
	// live lease, of every type (a tenant's concurrent_jobs limit counts all its jobs). The jobs
	// package picks among them fairly. A worker that runs only some types (the ECS worker its
	// long types, the Lambda its short ones) passes them, so it never leases a job it cannot run.
	RunnableJobs(ctx context.Context, now time.Time, types []string) ([]JobRef, map[string]int, error)
	// QueueStats returns the number of jobs of types (nil or empty: any type) a worker may lease
	// at now, across all tenants, and when the longest-waiting of them became runnable (its
	// RunAt, or for a running job under an expired lease its LeaseUntil). For queue metrics.
	QueueStats(ctx context.Context, now time.Time, types []string) (QueueStats, error)
	// ClaimJob leases job ref to worker until leaseUntil if it is still leasable at now, counting
	// an attempt; EConflict if another worker took it first or it is no longer runnable. A
	// leasable job with no attempts left (its worker died on the last one) is marked failed
	// instead, and one a user asked to cancel is marked cancelled, with EConflict.
	ClaimJob(ctx context.Context, ref JobRef, worker string, now, leaseUntil time.Time) (*Job, error)

	// AppendControlAudit appends e to the control-plane audit log: operator actions on tenants,
	// and the deletion certificates of offboarded tenants. It is kept apart from the tenants'
	// own logs so that it survives their deletion; e.TenantID names the tenant concerned ("" for
	// none). EConflict if e.ID exists.
	AppendControlAudit(ctx context.Context, e *AuditEvent) error
	// ListControlAudit returns control-plane audit events newest first.
	ListControlAudit(ctx context.Context, page Page) ([]*AuditEvent, string, error)

	// IdempotencyStore keeps the records of requests sent with an Idempotency-Key, per tenant
	// (and per platform operator), for every replica to see.
	IdempotencyStore

	// Tenant returns the store of one tenant's data. It does not check that the tenant exists.
	Tenant(id string) TenantStore

	// Dump calls fn with every control-plane record (ControlKinds: tenants, operators, operator
	// credentials, control-plane audit events), every field as stored (password and token
	// hashes, times), all records of one kind together, each kind ordered by key. It reads a
	// snapshot where the driver has one (SQLite); otherwise each kind as it is when read.
	Dump(ctx context.Context, fn DumpFunc) error
	// Load writes recs, control-plane records of kind, exactly as given (IDs, times, status),
	// each replacing the record with the same key: an idempotent upsert, so a restore run again
	// after an interruption leaves one copy of each. A record that would take another's unique
	// value (an operator credential's token hash) is EConflict; a kind that is not a
	// control-plane kind, or a record not of its type (NewRecord), EInvalid. A batch is not
	// atomic.
	Load(ctx context.Context, kind RecordKind, recs ...any) error
}

// TenantStore reads and writes the data of one tenant; every query is scoped to TenantID() by
// the driver. A record of another tenant is ENotFound, exactly as if it did not exist.
type TenantStore interface {
	TenantID() string

	// PutDataKey stores a wrapped data key version; EConflict if that version exists.
	PutDataKey(ctx context.Context, k *WrappedKey) error
	// DataKeys returns the tenant's wrapped data keys, oldest version first.
	DataKeys(ctx context.Context) ([]*WrappedKey, error)
	// RewrapDataKey replaces the wrapped form of version k.Version (root key rotation: the same
	// data key, wrapped again); ENotFound if the tenant has no such version.
	RewrapDataKey(ctx context.Context, k *WrappedKey) error
	// DeleteDataKey deletes one wrapped data key version (retiring it once nothing is encrypted
	// with it any more); ENotFound if the tenant has no such version.
	DeleteDataKey(ctx context.Context, version int) error
	// DeleteDataKeys deletes every wrapped data key of the tenant and returns what it deleted
	// (nothing if there were none): crypto-shredding, after which no copy of the tenant's files
	// can be decrypted.
	DeleteDataKeys(ctx context.Context) ([]*WrappedKey, error)
	// Purge deletes every record of the tenant (users, credentials, wells, logs, jobs,
	// production, forecasts, audit events, request counts, data keys, the idempotency records of
	// its scope) but the tenant record itself and the control-plane audit log, and returns how
	// many it deleted of each kind.
	// It is idempotent: a retry after a failure finishes the job.
	Purge(ctx context.Context) (map[string]int64, error)

	// CreateUser inserts u; EConflict if its email is taken in the tenant.
	CreateUser(ctx context.Context, u *User) error
	GetUser(ctx context.Context, id string) (*User, error)
	UserByEmail(ctx context.Context, email string) (*User, error)
	// ListUsers returns users in creation order.
	ListUsers(ctx context.Context, page Page) ([]*User, string, error)
	CountUsers(ctx context.Context) (int, error)
	// UpdateUser applies u to the tenant's user id as one single-record update and returns the
	// result; ENotFound if there is no user id.
	UpdateUser(ctx context.Context, id string, u UserUpdate) (*User, error)

	// CreateCredential stores a tenant credential (API token or session) under this tenant;
	// kind CredentialOperator is EInvalid.
	CreateCredential(ctx context.Context, c *Credential) error
	// ListCredentials returns the tenant's credentials of kind, newest first.
	ListCredentials(ctx context.Context, kind CredentialKind, page Page) ([]*Credential, string, error)
	GetCredential(ctx context.Context, id string) (*Credential, error)
	// RevokeCredential marks the credential revoked at time at; revoking twice keeps the first time.
	RevokeCredential(ctx context.Context, id string, at time.Time) error
	// CountCredentials counts the tenant's usable credentials of kind at time now.
	CountCredentials(ctx context.Context, kind CredentialKind, now time.Time) (int, error)

	CreateWell(ctx context.Context, w *Well) error
	GetWell(ctx context.Context, id string) (*Well, error)
	// ListWells returns wells in creation order.
	ListWells(ctx context.Context, page Page) ([]*Well, string, error)
	// UpdateWell replaces the stored well w.ID with w; ENotFound if there is none.
	UpdateWell(ctx context.Context, w *Well) error
	DeleteWell(ctx context.Context, id string) error
	CountWells(ctx context.Context) (int, error)

	// CreateLog inserts l; EConflict if its ID exists.
	CreateLog(ctx context.Context, l *WellLog) error
	GetLog(ctx context.Context, id string) (*WellLog, error)
	// ListLogs returns the logs of well wellID ("": of every well) in creation order.
	ListLogs(ctx context.Context, wellID string, page Page) ([]*WellLog, string, error)
	// UpdateLog replaces the stored log l.ID with l (status, summary after a background parse).
	UpdateLog(ctx context.Context, l *WellLog) error
	DeleteLog(ctx context.Context, id string) error
	// StoredBytes returns the bytes the tenant's stored objects take (the sum of StoredBytes of
	// its logs), the figure held against its storage limit.
	StoredBytes(ctx context.Context) (int64, error)

	// CreateJob inserts a queued job.
	CreateJob(ctx context.Context, j *Job) error
	GetJob(ctx context.Context, id string) (*Job, error)
	// ListJobs returns the tenant's jobs newest first.
	ListJobs(ctx context.Context, page Page) ([]*Job, string, error)
	// UpdateHeldJob applies u to job id if worker holds its lease (status running, lease owner
	// worker) and returns the job as updated (so the worker sees CancelRequested); EConflict if
	// the worker no longer holds it.
	UpdateHeldJob(ctx context.Context, id, worker string, now time.Time, u JobUpdate) (*Job, error)
	// CancelJob cancels a queued job at once, or asks the worker of a running one to stop;
	// a finished job is unchanged. It returns the job as it is after.
	CancelJob(ctx context.Context, id string, now time.Time) (*Job, error)
	// CountRunningJobs counts the tenant's jobs running under a live lease at now.
	CountRunningJobs(ctx context.Context, now time.Time) (int, error)

	// UpsertProduction stores records, each merged into any with the same (well, date, period):
	// a volume, on-stream hours or unit that a record has (not nil, not "") replaces the
	// stored one, and one it lacks keeps the stored value, so that re-importing a file that
	// lacks a column (the Volve daily CSV after the workbook: no units) loses nothing. It
	// returns how many it stored. Records are stored one by one; a batch need not be atomic.
	UpsertProduction(ctx context.Context, records []*ProductionRecord) (int, error)
	// Production returns a well's records of one period within q's dates, oldest first.
	Production(ctx context.Context, q ProductionQuery) ([]*ProductionRecord, error)

	CreateForecast(ctx context.Context, f *Forecast) error
	GetForecast(ctx context.Context, id string) (*Forecast, error)

	// AppendAudit appends e to the tenant's audit log.
	AppendAudit(ctx context.Context, e *AuditEvent) error
	// ListAudit returns audit events newest first.
	ListAudit(ctx context.Context, page Page) ([]*AuditEvent, string, error)

	// AddRequests adds n to the tenant's request count of day ("2006-01-02", UTC).
	AddRequests(ctx context.Context, day string, n int64) error
	// Requests returns the tenant's request count of day.
	Requests(ctx context.Context, day string) (int64, error)

	// Dump calls fn with every record of the tenant, of each kind of TenantKinds (data keys
	// still wrapped, password and token hashes, times as stored), all records of one kind
	// together, each kind ordered by key. It reads one snapshot of the tenant where the
	// driver has snapshots (SQLite); otherwise it reads kind by kind, records that refer to
	// others before what they refer to (logs before wells, credentials before users), so that
	// what a dumped record refers to is dumped too unless it was deleted meanwhile.
	Dump(ctx context.Context, fn DumpFunc) error
	// Load writes recs, records of kind (TenantKinds), into the tenant exactly as given (IDs,
	// times, statuses; TenantID set to the store's tenant), each replacing the record with the
	// same key (ID; a production record's well, period and date; a data key's version; a
	// request count's day): an idempotent upsert, so a restore run again after an interruption
	// leaves one copy of each. A record that would take another's unique value (a user's
	// email, a token hash) is EConflict; an unknown kind or a record not of its type
	// (NewRecord) EInvalid. A batch is not atomic.
	Load(ctx context.Context, kind RecordKind, recs ...any) error
}

// WrappedKey is a version of a tenant's data key, encrypted by the root key. The plaintext key
// is never stored.
type WrappedKey struct {
	TenantID  string    `json:"tenant"`
	Version   int       `json:"version"`
	Wrapped   []byte    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}
