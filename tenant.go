package wellbase

import (
	"regexp"
	"time"
)

// TenantStatus is the lifecycle state of a tenant.
type TenantStatus string

const (
	// TenantProvisioning: onboarding has started but not finished; a retry of the onboarding
	// request resumes it. Credentials of a provisioning tenant are refused.
	TenantProvisioning TenantStatus = "provisioning"
	TenantActive       TenantStatus = "active"
	// TenantSuspended: the tenant's data is kept but every credential of it gets 403.
	TenantSuspended TenantStatus = "suspended"
	// TenantOffboarding: deletion has started; every credential is refused, and a retry of the
	// deletion request resumes it.
	TenantOffboarding TenantStatus = "offboarding"
	// TenantDeleted: the tenant's data keys, files and records are deleted; the tenant record
	// stays as a tombstone (its ID cannot be reused) and its deletion certificate is in the
	// control-plane audit log.
	TenantDeleted TenantStatus = "deleted"
)

// Tenant is an operator company using Wellbase: the unit of isolation, limits and billing.
type Tenant struct {
	ID     string       `json:"id"`
	Name   string       `json:"name"`
	Tier   Tier         `json:"tier"`
	Status TenantStatus `json:"status"`
	// AdminEmail is the email of the first owner, created at onboarding.
	AdminEmail string `json:"admin_email"`
	// Limits holds the per-tenant overrides of the tier defaults; see EffectiveLimits.
	Limits   LimitOverrides `json:"limits"`
	Settings TenantSettings `json:"settings"`
	// Onboarding records each saga step as it completes, so a retry skips finished steps.
	Onboarding []OnboardingStep `json:"onboarding,omitempty"`
	CreatedAt  time.Time        `json:"created_at"`
	UpdatedAt  time.Time        `json:"updated_at"`
}

// EffectiveLimits returns the tenant's tier defaults with its overrides applied.
func (t *Tenant) EffectiveLimits() Limits {
	return t.Tier.Defaults().With(t.Limits)
}

// StepDone reports whether the onboarding step name has completed.
func (t *Tenant) StepDone(name string) bool {
	for _, s := range t.Onboarding {
		if s.Name == name {
			return true
		}
	}
	return false
}

// TenantSettings are a tenant's defaults for display and import; set at onboarding.
type TenantSettings struct {
	// DepthUnit is the unit depths are shown in: "m" or "ft".
	DepthUnit string `json:"depth_unit"`
	// VolumeUnit is the unit production volumes are shown in: "Sm3" or "bbl".
	VolumeUnit string `json:"volume_unit"`
	// TimeZone is an IANA zone name used for production dates.
	TimeZone string `json:"time_zone"`
}

// DefaultTenantSettings are the settings a new tenant starts with (metric, as on the NCS).
func DefaultTenantSettings() TenantSettings {
	return TenantSettings{DepthUnit: "m", VolumeUnit: "Sm3", TimeZone: "UTC"}
}

// OnboardingStep is one completed step of the onboarding saga.
type OnboardingStep struct {
	Name       string    `json:"name"`
	DurationMS float64   `json:"duration_ms"`
	DoneAt     time.Time `json:"done_at"`
}

// TenantUpdate is a partial change to a tenant by a platform operator; nil fields are unchanged.
type TenantUpdate struct {
	Name     *string
	Tier     *Tier
	Status   *TenantStatus
	Limits   *LimitOverrides
	Settings *TenantSettings
	// Step, if set, is appended to the onboarding record.
	Step *OnboardingStep
}

var tenantIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$`)

// ValidateTenantID checks that id is a tenant slug: 3 to 40 characters of lowercase letters,
// digits and hyphens, starting and ending with a letter or digit. It never folds case or trims:
// "Acme" and " acme" are errors, not "acme". The slug is safe as a file prefix and key part.
func ValidateTenantID(id string) error {
	if !tenantIDPattern.MatchString(id) {
		return FieldError(EInvalid, "id", "tenant id %q is invalid: use 3-40 lowercase letters, digits and hyphens, starting and ending with a letter or digit", clip(id, 60))
	}
	return nil
}

// clip shortens s for inclusion in a message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
