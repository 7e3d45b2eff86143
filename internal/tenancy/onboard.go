// Package tenancy is the control plane's onboarding: the saga that turns a request for a new
// tenant into an active, isolated tenant with its own data key, file prefix and first owner.
package tenancy

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/identity"
)

// The onboarding steps, in order. Each is idempotent and recorded on the tenant when done, so a
// retry after a crash skips what is done and finishes the rest.
const (
	StepRecord     = "record"      // the tenant record, status provisioning
	StepDataKey    = "data_key"    // the tenant's AES-256 data key, wrapped by the root key
	StepFilePrefix = "file_prefix" // tenants/<id>/ in the file store
	StepAdmin      = "admin"       // the first owner and an API token for them
	StepDefaults   = "defaults"    // default tenant settings
	StepActivate   = "activate"    // status active, audit event
)

// Steps lists the onboarding steps in the order they run.
var Steps = []string{StepRecord, StepDataKey, StepFilePrefix, StepAdmin, StepDefaults, StepActivate}

// AdminTokenTTL is the lifetime of the owner token made at onboarding.
const AdminTokenTTL = 90 * 24 * time.Hour

// adminTokenName names the onboarding token, so a retry can revoke the one it replaces.
const adminTokenName = "onboarding"

// Onboarder runs the onboarding saga.
type Onboarder struct {
	Store wellbase.Store
	// NewWrappedDataKey makes a new data key for a tenant and returns it wrapped by the root key.
	NewWrappedDataKey func(ctx context.Context, tenant string) ([]byte, error)
	// CreateFilePrefix creates the tenant's prefix in the file store.
	CreateFilePrefix func(ctx context.Context, tenant string) error
	// Now returns the current time; time.Now if nil.
	Now func() time.Time

	// crashAfter, in tests, makes Onboard fail right after the named step as a crash would.
	crashAfter string
}

// Request asks for a new tenant.
type Request struct {
	ID         string        `json:"id"`
	Name       string        `json:"name"`
	Tier       wellbase.Tier `json:"tier"`
	AdminEmail string        `json:"admin_email"`
}

// Validate checks r and normalizes its email; the error names the field.
func (r *Request) Validate() error {
	if err := wellbase.ValidateTenantID(r.ID); err != nil {
		return err
	}
	r.Name = strings.TrimSpace(r.Name)
	if err := wellbase.ValidateName("name", r.Name); err != nil {
		return err
	}
	if r.Tier == "" {
		r.Tier = wellbase.TierStandard
	}
	if !r.Tier.Valid() {
		return wellbase.FieldError(wellbase.EInvalid, "tier", "tier %q is unknown (want basic, standard or premium)", r.Tier)
	}
	email, err := wellbase.NormalizeEmail("admin_email", r.AdminEmail)
	if err != nil {
		return err
	}
	r.AdminEmail = email
	return nil
}

// StepReport says how one step went in this call.
type StepReport struct {
	Name       string  `json:"name"`
	DurationMS float64 `json:"duration_ms"`
	// Status is "done" when this call did the step, "already_done" when an earlier call had.
	Status string `json:"status"`
}

// Result is what onboarding returns: the active tenant, the owner's token (shown once) and
// the timing of each step.
type Result struct {
	Tenant     *wellbase.Tenant `json:"tenant"`
	AdminToken string           `json:"admin_token"`
	Onboarding Report           `json:"onboarding"`
}

// Report times an onboarding call.
type Report struct {
	DurationMS float64      `json:"duration_ms"`
	Resumed    bool         `json:"resumed"`
	Steps      []StepReport `json:"steps"`
}

// errCrash is what the crashAfter test hook fails with.
var errCrash = errors.New("onboarding interrupted (test crash)")

// Onboard runs the saga for r on behalf of actor. A tenant left provisioning by an earlier,
// interrupted call is resumed; an existing tenant in any other state is EConflict, as is a
// provisioning tenant asked for with another admin email. Validation errors are EInvalid.
func (o *Onboarder) Onboard(ctx context.Context, r Request, actor *wellbase.Principal) (*Result, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	now := o.now()
	start := now
	res := &Result{}
	run := func(name string, done bool, fn func(ctx context.Context) error) error {
		t0 := o.now()
		status := "already_done"
		if !done {
			if err := fn(ctx); err != nil {
				return fmt.Errorf("onboard tenant %s: step %s: %w", r.ID, name, err)
			}
			status = "done"
		}
		res.Onboarding.Steps = append(res.Onboarding.Steps, StepReport{Name: name, DurationMS: ms(o.now().Sub(t0)), Status: status})
		if o.crashAfter == name {
			return errCrash
		}
		return nil
	}
	step := func(name string, t0 time.Time) *wellbase.OnboardingStep {
		return &wellbase.OnboardingStep{Name: name, DurationMS: ms(o.now().Sub(t0)), DoneAt: o.now().UTC()}
	}

	var t *wellbase.Tenant
	ts := o.Store.Tenant(r.ID)
	if err := run(StepRecord, false, func(ctx context.Context) error {
		t0 := o.now()
		t = &wellbase.Tenant{ID: r.ID, Name: r.Name, Tier: r.Tier, Status: wellbase.TenantProvisioning,
			AdminEmail: r.AdminEmail, CreatedAt: now.UTC(), UpdatedAt: now.UTC()}
		err := o.Store.CreateTenant(ctx, t)
		if wellbase.ErrorCode(err) == wellbase.EConflict {
			if t, err = o.resumable(ctx, r); err != nil {
				return err
			}
			res.Onboarding.Resumed = true
			return nil
		} else if err != nil {
			return err
		}
		t, err = o.Store.UpdateTenant(ctx, r.ID, wellbase.TenantUpdate{Step: step(StepRecord, t0)})
		return err
	}); err != nil {
		return nil, err
	}

	if err := run(StepDataKey, t.StepDone(StepDataKey), func(ctx context.Context) error {
		t0 := o.now()
		keys, err := ts.DataKeys(ctx)
		if err != nil {
			return err
		}
		if len(keys) == 0 {
			wrapped, err := o.NewWrappedDataKey(ctx, r.ID)
			if err != nil {
				return err
			}
			err = ts.PutDataKey(ctx, &wellbase.WrappedKey{TenantID: r.ID, Version: 1, Wrapped: wrapped, CreatedAt: o.now().UTC()})
			if err != nil && wellbase.ErrorCode(err) != wellbase.EConflict { // conflict: a concurrent retry made it
				return err
			}
		}
		t, err = o.Store.UpdateTenant(ctx, r.ID, wellbase.TenantUpdate{Step: step(StepDataKey, t0)})
		return err
	}); err != nil {
		return nil, err
	}

	if err := run(StepFilePrefix, t.StepDone(StepFilePrefix), func(ctx context.Context) error {
		t0 := o.now()
		if err := o.CreateFilePrefix(ctx, r.ID); err != nil {
			return err
		}
		var err error
		t, err = o.Store.UpdateTenant(ctx, r.ID, wellbase.TenantUpdate{Step: step(StepFilePrefix, t0)})
		return err
	}); err != nil {
		return nil, err
	}

	// The admin step always runs on a tenant that is not active yet: the token it made in an
	// interrupted call was never shown, so it is revoked and a new one made.
	if err := run(StepAdmin, false, func(ctx context.Context) error {
		t0 := o.now()
		token, err := o.admin(ctx, ts, r.AdminEmail)
		if err != nil {
			return err
		}
		res.AdminToken = token
		if !t.StepDone(StepAdmin) {
			t, err = o.Store.UpdateTenant(ctx, r.ID, wellbase.TenantUpdate{Step: step(StepAdmin, t0)})
		}
		return err
	}); err != nil {
		return nil, err
	}

	if err := run(StepDefaults, t.StepDone(StepDefaults), func(ctx context.Context) error {
		t0 := o.now()
		settings := wellbase.DefaultTenantSettings()
		var err error
		t, err = o.Store.UpdateTenant(ctx, r.ID, wellbase.TenantUpdate{Settings: &settings, Step: step(StepDefaults, t0)})
		return err
	}); err != nil {
		return nil, err
	}

	if err := run(StepActivate, false, func(ctx context.Context) error {
		t0 := o.now()
		active := wellbase.TenantActive
		var err error
		t, err = o.Store.UpdateTenant(ctx, r.ID, wellbase.TenantUpdate{Status: &active, Step: step(StepActivate, t0)})
		if err != nil {
			return err
		}
		e := &wellbase.AuditEvent{
			ID: wellbase.NewID("aud"), TenantID: r.ID, Time: o.now().UTC(), Actor: actor.Actor(),
			Action: "tenant.onboard", Target: r.ID, RequestID: wellbase.RequestIDFromContext(ctx),
			Details: map[string]any{"tier": string(r.Tier), "admin_email": r.AdminEmail, "resumed": res.Onboarding.Resumed},
		}
		if err := ts.AppendAudit(ctx, e); err != nil {
			return err
		}
		ce := *e // the control plane keeps its own record, which outlives the tenant's log
		ce.ID = wellbase.NewID("cae")
		return o.Store.AppendControlAudit(ctx, &ce)
	}); err != nil {
		return nil, err
	}
	res.Tenant = t
	res.Onboarding.DurationMS = ms(o.now().Sub(start))
	return res, nil
}

// resumable returns the existing tenant of r if an interrupted onboarding of the same request
// may be resumed, and an EConflict error otherwise.
func (o *Onboarder) resumable(ctx context.Context, r Request) (*wellbase.Tenant, error) {
	t, err := o.Store.GetTenant(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	if t.Status != wellbase.TenantProvisioning {
		return nil, wellbase.FieldError(wellbase.EConflict, "id", "tenant %s already exists", r.ID)
	}
	if t.AdminEmail != r.AdminEmail {
		return nil, wellbase.FieldError(wellbase.EConflict, "admin_email", "tenant %s is being onboarded with another admin email; retry with the same request", r.ID)
	}
	if t.Name != r.Name || t.Tier != r.Tier {
		return o.Store.UpdateTenant(ctx, r.ID, wellbase.TenantUpdate{Name: &r.Name, Tier: &r.Tier})
	}
	return t, nil
}

// admin finds or creates the tenant's first owner and makes a new onboarding token for them,
// revoking any onboarding token an interrupted call made.
func (o *Onboarder) admin(ctx context.Context, ts wellbase.TenantStore, email string) (string, error) {
	u, err := ts.UserByEmail(ctx, email)
	if wellbase.ErrorCode(err) == wellbase.ENotFound {
		u = &wellbase.User{ID: wellbase.NewID("usr"), TenantID: ts.TenantID(), Email: email, Role: wellbase.RoleOwner, CreatedAt: o.now().UTC()}
		err = ts.CreateUser(ctx, u)
		if wellbase.ErrorCode(err) == wellbase.EConflict {
			u, err = ts.UserByEmail(ctx, email)
		}
	}
	if err != nil {
		return "", err
	}
	old, _, err := ts.ListCredentials(ctx, wellbase.CredentialAPIToken, wellbase.Page{Limit: 500})
	if err != nil {
		return "", err
	}
	for _, c := range old {
		if c.Name == adminTokenName && c.UserID == u.ID && c.RevokedAt == nil {
			if err := ts.RevokeCredential(ctx, c.ID, o.now()); err != nil {
				return "", err
			}
		}
	}
	token, _, err := identity.Issue(ctx, ts.CreateCredential, wellbase.CredentialAPIToken, ts.TenantID(), u.ID, adminTokenName, o.now(), AdminTokenTTL)
	return token, err
}

func (o *Onboarder) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
