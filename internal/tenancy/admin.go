package tenancy

import (
	"context"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
)

// Tenants is the control plane's changes to existing tenants (status, name, tier, limits), the
// one way the JSON API and the operator pages make them; each is recorded in the tenant's audit
// log and, done by an operator, in the control-plane audit log.
type Tenants struct {
	Store wellbase.Store
	// Now returns the current time; time.Now if nil.
	Now func() time.Time
}

func (s *Tenants) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Suspend makes an active tenant suspended (its credentials then get ESuspended) and records
// tenant.suspend; suspending a suspended tenant changes nothing. Errors: ENotFound for a
// malformed or unknown ID, EConflict for a tenant in another state.
func (s *Tenants) Suspend(ctx context.Context, id string) (*wellbase.Tenant, error) {
	return s.setStatus(ctx, id, wellbase.TenantActive, wellbase.TenantSuspended, "tenant.suspend")
}

// Resume makes a suspended tenant active again and records tenant.resume; see Suspend.
func (s *Tenants) Resume(ctx context.Context, id string) (*wellbase.Tenant, error) {
	return s.setStatus(ctx, id, wellbase.TenantSuspended, wellbase.TenantActive, "tenant.resume")
}

// Get returns tenant id; ENotFound for a malformed ID (checked before the store sees it) or an
// unknown one.
func (s *Tenants) Get(ctx context.Context, id string) (*wellbase.Tenant, error) {
	if wellbase.ValidateTenantID(id) != nil {
		return nil, wellbase.Errorf(wellbase.ENotFound, "tenant %q not found", clipID(id))
	}
	return s.Store.GetTenant(ctx, id)
}

func (s *Tenants) setStatus(ctx context.Context, id string, from, to wellbase.TenantStatus, action string) (*wellbase.Tenant, error) {
	t, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if t.Status == to {
		return t, nil
	}
	if t.Status != from {
		return nil, wellbase.Errorf(wellbase.EConflict, "tenant %s is %s; only %s %s tenant can be changed to %s", t.ID, t.Status, article(string(from)), from, to)
	}
	t, err = s.Store.UpdateTenant(ctx, t.ID, wellbase.TenantUpdate{Status: &to})
	if err != nil {
		return nil, err
	}
	if err := wellbase.RecordAudit(ctx, s.Store, wellbase.NewAuditEvent(ctx, s.now(), t.ID, action, t.ID, map[string]any{"status": string(to)})); err != nil {
		return nil, err
	}
	return t, nil
}

// Change changes a tenant's name, tier or limit overrides; nil fields are kept, and Limits is
// merged into the existing overrides field by field.
type Change struct {
	Name   *string
	Tier   *wellbase.Tier
	Limits *wellbase.LimitOverrides
}

// Update applies c to tenant id and records tenant.update with what changed. Errors: ENotFound
// as Get; EConflict for a tenant deleted or being offboarded; EInvalid on field name, tier or
// the limit's.
func (s *Tenants) Update(ctx context.Context, id string, c Change) (*wellbase.Tenant, error) {
	t, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if t.Status == wellbase.TenantDeleted || t.Status == wellbase.TenantOffboarding {
		return nil, wellbase.Errorf(wellbase.EConflict, "tenant %s is %s and cannot be changed", t.ID, t.Status)
	}
	u := wellbase.TenantUpdate{}
	changed := map[string]any{}
	if c.Name != nil {
		name := strings.TrimSpace(*c.Name)
		if err := wellbase.ValidateName("name", name); err != nil {
			return nil, err
		}
		u.Name, changed["name"] = &name, name
	}
	if c.Tier != nil {
		if !c.Tier.Valid() {
			return nil, wellbase.FieldError(wellbase.EInvalid, "tier", "tier %q is unknown (want basic, standard or premium)", *c.Tier)
		}
		u.Tier, changed["tier"] = c.Tier, string(*c.Tier)
	}
	if c.Limits != nil {
		if err := c.Limits.Validate(); err != nil {
			return nil, err
		}
		u.Limits, changed["limits"] = c.Limits, *c.Limits
	}
	t, err = s.Store.UpdateTenant(ctx, t.ID, u)
	if err != nil {
		return nil, err
	}
	if err := wellbase.RecordAudit(ctx, s.Store, wellbase.NewAuditEvent(ctx, s.now(), t.ID, "tenant.update", t.ID, changed)); err != nil {
		return nil, err
	}
	return t, nil
}

// clipID shortens an ID for a message.
func clipID(id string) string {
	if len(id) > 60 {
		return id[:60] + "…"
	}
	return id
}

// article is "an" before a word that starts with a vowel, else "a".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}
