package wellbase

// Tier is a tenant's service tier; it sets the default Limits.
type Tier string

const (
	TierBasic    Tier = "basic"
	TierStandard Tier = "standard"
	TierPremium  Tier = "premium"
)

// Tiers lists the tiers in ascending order.
var Tiers = []Tier{TierBasic, TierStandard, TierPremium}

// Valid reports whether t is a known tier.
func (t Tier) Valid() bool {
	for _, k := range Tiers {
		if t == k {
			return true
		}
	}
	return false
}

const (
	mib = 1 << 20
	gib = 1 << 30
)

// Defaults returns the tier's default limits. An unknown tier gets the basic limits.
func (t Tier) Defaults() Limits {
	switch t {
	case TierPremium:
		return Limits{RequestsPerSecond: 200, Burst: 400, StorageBytes: 2048 * gib, MaxUsers: 1000, ConcurrentJobs: 16, UploadBytes: 4096 * mib}
	case TierStandard:
		return Limits{RequestsPerSecond: 50, Burst: 100, StorageBytes: 256 * gib, MaxUsers: 100, ConcurrentJobs: 4, UploadBytes: 512 * mib}
	default:
		return Limits{RequestsPerSecond: 10, Burst: 20, StorageBytes: 10 * gib, MaxUsers: 10, ConcurrentJobs: 1, UploadBytes: 512 * mib}
	}
}

// CostSamplesPerRequest is how many samples a request may read, parse or draw (a plot, an export
// or a curve read that is not cached, an upload parsed at once) for the cost of one request
// against RequestsPerSecond: each further CostSamplesPerRequest samples count as one more request
// (about 2 ms of CPU), so that the request rate bounds a tenant's CPU as well.
const CostSamplesPerRequest = 65536

// Limits are the quotas a tenant runs under. One struct serves for tier defaults and for the
// effective limits of a tenant (tier defaults with the tenant's overrides applied).
type Limits struct {
	// RequestsPerSecond is the sustained API request rate (token bucket refill rate).
	RequestsPerSecond float64 `json:"requests_per_second"`
	// Burst is the token bucket size: requests allowed at once above the sustained rate.
	Burst int `json:"burst"`
	// StorageBytes caps the bytes of files stored for the tenant.
	StorageBytes int64 `json:"storage_bytes"`
	// MaxUsers caps the number of users of the tenant.
	MaxUsers int `json:"max_users"`
	// ConcurrentJobs caps the tenant's jobs running at once.
	ConcurrentJobs int `json:"concurrent_jobs"`
	// UploadBytes caps the size of one uploaded file.
	UploadBytes int64 `json:"upload_bytes"`
}

// LimitOverrides are per-tenant changes to the tier defaults; a nil field keeps the default.
type LimitOverrides struct {
	RequestsPerSecond *float64 `json:"requests_per_second,omitempty"`
	Burst             *int     `json:"burst,omitempty"`
	StorageBytes      *int64   `json:"storage_bytes,omitempty"`
	MaxUsers          *int     `json:"max_users,omitempty"`
	ConcurrentJobs    *int     `json:"concurrent_jobs,omitempty"`
	UploadBytes       *int64   `json:"upload_bytes,omitempty"`
}

// With returns l with the non-nil overrides of o applied.
func (l Limits) With(o LimitOverrides) Limits {
	if o.RequestsPerSecond != nil {
		l.RequestsPerSecond = *o.RequestsPerSecond
	}
	if o.Burst != nil {
		l.Burst = *o.Burst
	}
	if o.StorageBytes != nil {
		l.StorageBytes = *o.StorageBytes
	}
	if o.MaxUsers != nil {
		l.MaxUsers = *o.MaxUsers
	}
	if o.ConcurrentJobs != nil {
		l.ConcurrentJobs = *o.ConcurrentJobs
	}
	if o.UploadBytes != nil {
		l.UploadBytes = *o.UploadBytes
	}
	return l
}

// Merge returns o with the non-nil fields of p replacing its own.
func (o LimitOverrides) Merge(p LimitOverrides) LimitOverrides {
	if p.RequestsPerSecond != nil {
		o.RequestsPerSecond = p.RequestsPerSecond
	}
	if p.Burst != nil {
		o.Burst = p.Burst
	}
	if p.StorageBytes != nil {
		o.StorageBytes = p.StorageBytes
	}
	if p.MaxUsers != nil {
		o.MaxUsers = p.MaxUsers
	}
	if p.ConcurrentJobs != nil {
		o.ConcurrentJobs = p.ConcurrentJobs
	}
	if p.UploadBytes != nil {
		o.UploadBytes = p.UploadBytes
	}
	return o
}

// Validate checks that every override is in range; the error names the field.
func (o LimitOverrides) Validate() error {
	if v := o.RequestsPerSecond; v != nil && (*v <= 0 || *v > 100000) {
		return FieldError(EInvalid, "limits.requests_per_second", "requests_per_second must be > 0 and ≤ 100000, got %g", *v)
	}
	if v := o.Burst; v != nil && (*v < 1 || *v > 1000000) {
		return FieldError(EInvalid, "limits.burst", "burst must be between 1 and 1000000, got %d", *v)
	}
	if v := o.StorageBytes; v != nil && *v < 0 {
		return FieldError(EInvalid, "limits.storage_bytes", "storage_bytes must be ≥ 0, got %d", *v)
	}
	if v := o.MaxUsers; v != nil && *v < 1 {
		return FieldError(EInvalid, "limits.max_users", "max_users must be ≥ 1, got %d", *v)
	}
	if v := o.ConcurrentJobs; v != nil && *v < 0 {
		return FieldError(EInvalid, "limits.concurrent_jobs", "concurrent_jobs must be ≥ 0, got %d", *v)
	}
	if v := o.UploadBytes; v != nil && *v < 1 {
		return FieldError(EInvalid, "limits.upload_bytes", "upload_bytes must be ≥ 1, got %d", *v)
	}
	return nil
}
