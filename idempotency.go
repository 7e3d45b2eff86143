package wellbase

import (
	"context"
	"strings"
	"time"
)

// Idempotent writes.
//
// A client that sends a creating request with an Idempotency-Key header and does not get the
// answer (a replica died, the connection broke) sends it again with the same key, to any
// replica: the first answer is replayed and nothing new is created. What makes that work across
// replicas is an IdempotencyRecord in the shared database, claimed before the request runs and
// completed with its answer after.

// IdempotencyTTL is how long a key is remembered after its request began: a retry within it
// replays the first answer; after it the key is free again. The issue asks for at least 24 h.
const IdempotencyTTL = 24 * time.Hour

// MaxIdempotencyKey is the longest Idempotency-Key accepted, in bytes.
const MaxIdempotencyKey = 255

// ValidIdempotencyKey checks an Idempotency-Key header value: 1 to MaxIdempotencyKey printable
// ASCII characters (0x20 to 0x7E; a UUID is the usual choice). EBadRequest on field
// Idempotency-Key otherwise, naming the rule broken.
func ValidIdempotencyKey(key string) error {
	if key == "" || len(key) > MaxIdempotencyKey {
		return FieldError(EBadRequest, "Idempotency-Key", "the Idempotency-Key header must have 1 to %d characters, got %d", MaxIdempotencyKey, len(key))
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; c < 0x20 || c > 0x7e {
			return FieldError(EBadRequest, "Idempotency-Key", "the Idempotency-Key header must be printable ASCII; byte %d is 0x%02x", i+1, c)
		}
	}
	return nil
}

// CheckIdempotencyID is the check every IdempotencyStore method makes of the (scope, key) of a
// record: EInvalid for an empty scope, one with a "/" (MongoDB's document IDs are
// "<scope>/<key>") or over 100 bytes, or a key that ValidIdempotencyKey refuses.
func CheckIdempotencyID(scope, key string) error {
	if scope == "" || len(scope) > 100 || strings.Contains(scope, "/") {
		return Errorf(EInvalid, "idempotency scope %q is invalid: want a tenant ID or operator:<id>", scope)
	}
	if err := ValidIdempotencyKey(key); err != nil {
		return Errorf(EInvalid, "%s", ErrorMessage(err))
	}
	return nil
}

// IdempotencyState is the state of an IdempotencyRecord.
type IdempotencyState string

const (
	// IdempotencyInProgress: a request holds the key and runs; its claim lapses at LeaseUntil
	// unless renewed, so that a process killed in the middle does not block the key.
	IdempotencyInProgress IdempotencyState = "in_progress"
	// IdempotencyDone: the request ran; the record holds its answer for replay.
	IdempotencyDone IdempotencyState = "done"
)

// IdempotencyRecord is what is kept of a request sent with an Idempotency-Key: its claim while
// it runs, then its answer. Records are keyed by (Scope, Key).
type IdempotencyRecord struct {
	// Scope is whose key it is: the tenant ID for a tenant's credential, or "operator:<id>" for a
	// platform operator's control-plane requests. The same key in two scopes is two records.
	Scope string
	// Key is the Idempotency-Key header (ValidIdempotencyKey).
	Key string
	// Owner identifies the attempt that holds the record (a random ID): only it may renew,
	// complete or release its claim.
	Owner string
	State IdempotencyState
	// Fingerprint identifies the request (method, path, query, content type, body and
	// credential) without revealing it: a keyed hash. Set when the record is done; a retry with
	// another fingerprint is another request reusing the key.
	Fingerprint string
	// Status, ContentType, Location and Body are the answer (done records): Body as the API
	// stores it (sealed, see internal/httpapi), at most MaxIdempotencyBody bytes.
	Status      int
	ContentType string
	Location    string
	Body        []byte
	// CreatedAt is when the claim was made; ExpiresAt when the record is forgotten (CreatedAt +
	// IdempotencyTTL); LeaseUntil when an in-progress claim lapses.
	CreatedAt  time.Time
	LeaseUntil time.Time
	ExpiresAt  time.Time
	// Seed is the ID seed of the request (WithIDSeed): a new ID (NewID) given by the claim, and
	// kept when a claim whose process died is taken over, so that the request run again makes
	// the same resource IDs and finds what the dead run stored before it could answer, instead
	// of storing it twice. Empty in records stored before seeds existed.
	Seed string
}

// MaxIdempotencyBody is the largest answer body an IdempotencyRecord holds, in bytes: well
// under MongoDB's 16 MiB document limit. The API keeps no larger answer (see internal/httpapi).
const MaxIdempotencyBody = 12 << 20

// Live reports whether r still binds its key at now: a done record until it expires, an
// in-progress one until its lease lapses.
func (r *IdempotencyRecord) Live(now time.Time) bool {
	if !now.Before(r.ExpiresAt) {
		return false
	}
	return r.State == IdempotencyDone || now.Before(r.LeaseUntil)
}

// IdempotencyStore keeps IdempotencyRecords in the shared database, where every replica sees
// them. Each call is one atomic step on one record, so two replicas racing for a key cannot
// both win. Errors: EInvalid for an empty scope or an invalid key; the driver's error, wrapped,
// otherwise.
type IdempotencyStore interface {
	// ClaimIdempotencyKey stores r (State IdempotencyInProgress, with its Owner, CreatedAt,
	// LeaseUntil and ExpiresAt) as the record of (r.Scope, r.Key), unless a record that is Live
	// at now holds the key: that record is then returned, and nothing is stored. A record that
	// is not live (expired, or in progress past its lease: its process died) is replaced; when
	// the replaced record was in progress and not expired, its Seed is kept (r.Seed is set to
	// it), else r.Seed is stored. A nil record and nil error mean the caller holds the key.
	ClaimIdempotencyKey(ctx context.Context, r *IdempotencyRecord, now time.Time) (*IdempotencyRecord, error)
	// RenewIdempotencyKey extends the lease of the in-progress record (scope, key) held by
	// owner to leaseUntil; EConflict if owner no longer holds it.
	RenewIdempotencyKey(ctx context.Context, scope, key, owner string, leaseUntil time.Time) error
	// CompleteIdempotencyKey makes the in-progress record (r.Scope, r.Key) held by r.Owner done,
	// with r's Fingerprint and answer (Status, ContentType, Location, Body); EConflict if
	// r.Owner no longer holds it. CreatedAt and ExpiresAt stay as claimed.
	CompleteIdempotencyKey(ctx context.Context, r *IdempotencyRecord) error
	// ReleaseIdempotencyKey deletes the in-progress record (scope, key) if owner holds it, so
	// that a retry runs the request again (it failed in a way that is not its answer: a 5xx, a
	// body cut off). Nothing happens if owner does not hold it.
	ReleaseIdempotencyKey(ctx context.Context, scope, key, owner string) error
	// DeleteExpiredIdempotencyKeys deletes, in every scope, the records that are not Live at
	// now, and returns how many it deleted.
	DeleteExpiredIdempotencyKeys(ctx context.Context, now time.Time) (int, error)
}

// OperatorScope is the IdempotencyRecord scope of platform operator operatorID's requests.
func OperatorScope(operatorID string) string { return "operator:" + operatorID }
