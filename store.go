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

	// CredentialByHash finds a credential of any kind and tenant by its token hash: this is how a
	// request's tenant is found from its token. ENotFound if none.
	CredentialByHash(ctx context.Context, hash string) (*Credential, error)

	// Tenant returns the store of one tenant's data. It does not check that the tenant exists.
	Tenant(id string) TenantStore
}

// TenantStore reads and writes the data of one tenant; every query is scoped to TenantID() by
// the driver. A record of another tenant is ENotFound, exactly as if it did not exist.
type TenantStore interface {
	TenantID() string

	// PutDataKey stores a wrapped data key version; EConflict if that version exists.
	PutDataKey(ctx context.Context, k *WrappedKey) error
	// DataKeys returns the tenant's wrapped data keys, oldest version first.
	DataKeys(ctx context.Context) ([]*WrappedKey, error)

	// CreateUser inserts u; EConflict if its email is taken in the tenant.
	CreateUser(ctx context.Context, u *User) error
	GetUser(ctx context.Context, id string) (*User, error)
	UserByEmail(ctx context.Context, email string) (*User, error)
	// ListUsers returns users in creation order.
	ListUsers(ctx context.Context, page Page) ([]*User, string, error)
	CountUsers(ctx context.Context) (int, error)

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

	// AppendAudit appends e to the tenant's audit log.
	AppendAudit(ctx context.Context, e *AuditEvent) error
	// ListAudit returns audit events newest first.
	ListAudit(ctx context.Context, page Page) ([]*AuditEvent, string, error)

	// AddRequests adds n to the tenant's request count of day ("2006-01-02", UTC).
	AddRequests(ctx context.Context, day string, n int64) error
	// Requests returns the tenant's request count of day.
	Requests(ctx context.Context, day string) (int64, error)
}

// WrappedKey is a version of a tenant's data key, encrypted by the root key. The plaintext key
// is never stored.
type WrappedKey struct {
	TenantID  string    `json:"tenant"`
	Version   int       `json:"version"`
	Wrapped   []byte    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}
