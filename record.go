package wellbase

// RecordKind names a kind of stored record, for the bulk export and import of a store
// (Store.Dump and Load, TenantStore.Dump and Load) that backup and restore are made of. The
// names of tenant kinds are those TenantStore.Purge counts.
type RecordKind string

// Control-plane kinds: records that belong to the platform, not to one tenant's data.
const (
	// KindTenant is a *Tenant.
	KindTenant RecordKind = "tenants"
	// KindOperator is an *Operator.
	KindOperator RecordKind = "operators"
	// KindOperatorCredential is a *Credential of kind CredentialOperator (no tenant).
	KindOperatorCredential RecordKind = "operator_credentials"
	// KindControlAudit is an *AuditEvent of the control-plane audit log.
	KindControlAudit RecordKind = "control_audit"
)

// Tenant kinds: one tenant's records, reached through its TenantStore.
const (
	// KindDataKey is a *WrappedKey: a data key version, still wrapped by the root key.
	KindDataKey RecordKind = "data_keys"
	// KindUser is a *User, password hash included.
	KindUser RecordKind = "users"
	// KindCredential is a *Credential of kind CredentialAPIToken or CredentialSession: its token
	// hash, never the token.
	KindCredential RecordKind = "credentials"
	KindWell       RecordKind = "wells"        // *Well
	KindLog        RecordKind = "logs"         // *WellLog
	KindProduction RecordKind = "production"   // *ProductionRecord
	KindJob        RecordKind = "jobs"         // *Job
	KindForecast   RecordKind = "forecasts"    // *Forecast
	KindAudit      RecordKind = "audit_events" // *AuditEvent of the tenant's own audit log
	// KindRequests is a *RequestCount: the tenant's API requests of one day.
	KindRequests RecordKind = "request_counts"
)

// ControlKinds are the kinds Store.Dump yields and Store.Load takes, in the order a restore
// loads them (tenant records last: a tenant record is what makes a restored tenant usable).
var ControlKinds = []RecordKind{KindOperator, KindOperatorCredential, KindControlAudit, KindTenant}

// TenantKinds are the kinds TenantStore.Dump yields and TenantStore.Load takes, in the order a
// restore loads them: what a record refers to before the record (users before their
// credentials, wells before their logs and production, jobs before the forecasts they made).
// Every kind of tenant record a driver stores is here, but the idempotency records of retried
// requests, which expire within a day and are not backed up.
var TenantKinds = []RecordKind{KindDataKey, KindUser, KindCredential, KindWell, KindLog, KindProduction, KindJob,
	KindForecast, KindAudit, KindRequests}

// RequestCount is a tenant's count of API requests on one UTC day (TenantStore.AddRequests):
// the usage figure a bill is made from.
type RequestCount struct {
	TenantID string `json:"tenant"`
	// Day is the UTC day, "2006-01-02".
	Day      string `json:"day"`
	Requests int64  `json:"requests"`
}

// NewRecord returns a pointer to a new zero record of kind, of the type Dump yields and Load
// takes for it (see the kinds' documentation); EInvalid for an unknown kind.
func NewRecord(kind RecordKind) (any, error) {
	switch kind {
	case KindTenant:
		return new(Tenant), nil
	case KindOperator:
		return new(Operator), nil
	case KindOperatorCredential, KindCredential:
		return new(Credential), nil
	case KindControlAudit, KindAudit:
		return new(AuditEvent), nil
	case KindDataKey:
		return new(WrappedKey), nil
	case KindUser:
		return new(User), nil
	case KindWell:
		return new(Well), nil
	case KindLog:
		return new(WellLog), nil
	case KindProduction:
		return new(ProductionRecord), nil
	case KindJob:
		return new(Job), nil
	case KindForecast:
		return new(Forecast), nil
	case KindRequests:
		return new(RequestCount), nil
	}
	return nil, Errorf(EInvalid, "unknown kind of record %q", kind)
}

// RecordTypeError is the error of a Load given a record of the wrong type for its kind (a
// programming error, never a user's).
func RecordTypeError(kind RecordKind, rec any) error {
	return Errorf(EInvalid, "a record of kind %s cannot be a %T", kind, rec)
}

// DumpFunc receives each record of a dump: rec is a pointer of the kind's type (NewRecord).
// A non-nil error stops the dump, and Dump returns it.
type DumpFunc func(kind RecordKind, rec any) error

// checkKind returns the EInvalid error of a kind that is not one of kinds.
func checkKind(kind RecordKind, kinds []RecordKind, what string) error {
	for _, k := range kinds {
		if k == kind {
			return nil
		}
	}
	return Errorf(EInvalid, "%q is not a kind of %s record", kind, what)
}

// CheckControlKind returns nil if kind is a control-plane kind (ControlKinds), else EInvalid.
func CheckControlKind(kind RecordKind) error { return checkKind(kind, ControlKinds, "control-plane") }

// CheckTenantKind returns nil if kind is a tenant kind (TenantKinds), else EInvalid.
func CheckTenantKind(kind RecordKind) error { return checkKind(kind, TenantKinds, "tenant") }
