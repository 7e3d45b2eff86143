// Package tenancy is the control plane's onboarding: the saga that turns a request for a new
// tenant into an active, isolated tenant with its own data key, file prefix and first owner.
package tenancy

import (
	"context"
	"errors"
	"fmt"
	"math"
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

// StepResume is not a step: it marks on the onboarding record each call that claimed an
// interrupted onboarding to resume it (see Onboarder.StaleAfter).
const StepResume = "resume"

// DefaultStaleAfter is the Onboarder's StaleAfter when it is not set.
const DefaultStaleAfter = 30 * time.Second

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
	// StaleAfter is how long a provisioning tenant must have gone without an update before a
	// request for it resumes its onboarding; DefaultStaleAfter if 0. Every step updates the
	// tenant, so one updated more recently is being onboarded by a live call, and a duplicate
	// request is EConflict with RetryAfterSeconds: resuming it would run the saga twice at once,
	// and the second admin step would revoke the token the first call returns. StaleAfter must
	// exceed the longest step (a KMS or file-store call with its retries) plus the clock skew
	// between serve processes: a call stalled in one step for longer can be taken over, and
	// then both calls finish and the stalled one's token may be revoked.
	StaleAfter time.Duration

	// crashAfter, in tests, makes Onboard fail right after the named step as a crash would.
	crashAfter string
}

// Request asks for a new tenant.
type Request struct {
	ID         string        `json:"id"`
	Name       string        `json:"name"`
	Tier       wellbase.Tier `json:"tier"`
	AdminEmail string        `json:"admin_email"`
	// AdminPassword, if not "", is the first owner's initial password, so that they can sign in
	// to the web application (the operators' onboarding form sets it; the JSON API does not,
	// and its owner uses the onboarding token). Never stored but as its hash, never audited.
	AdminPassword string `json:"-"`
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
	if r.AdminPassword != "" {
		return identity.ValidatePassword("admin_password", r.AdminPassword)
	}
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
// interrupted call is resumed once it has not been updated for StaleAfter; before that, the
// onboarding is taken to be in progress in another call, and Onboard is EConflict with
// RetryAfterSeconds set. Of concurrent calls for a new tenant, the one whose record is created
// runs the saga and the others get that EConflict. An existing tenant in any other state is
// EConflict, as is a provisioning tenant asked for with another admin email. Validation errors
// are EInvalid.
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
			if t, err = o.resume(ctx, r); err != nil {
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
	// interrupted call was never shown, so it is revoked and a new one made. Only one call at a
	// time gets this far (see resume), so a token another call has returned is never revoked.
	if err := run(StepAdmin, false, func(ctx context.Context) error {
		t0 := o.now()
		token, err := o.admin(ctx, ts, r.AdminEmail, r.AdminPassword)
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
		return wellbase.AppendAuditWithControl(ctx, o.Store, e)
	}); err != nil {
		return nil, err
	}
	res.Tenant = t
	res.Onboarding.DurationMS = ms(o.now().Sub(start))
	return res, nil
}

// resume returns the existing tenant of r if this call may resume an interrupted onboarding of
// the same request, and an EConflict error otherwise: the tenant is not provisioning, was asked
// for with another admin email, or is being onboarded by another call (updated within
// StaleAfter, or claimed first by a concurrent resume).
func (o *Onboarder) resume(ctx context.Context, r Request) (*wellbase.Tenant, error) {
	t, err := o.Store.GetTenant(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	if err := sameRequest(t, r); err != nil {
		return nil, err
	}
	stale := o.staleAfter()
	if age := max(o.now().Sub(t.UpdatedAt), 0); age < stale {
		return nil, inProgress(r.ID, stale-age)
	}
	// Calls that read the stale tenant at once would all resume it. The port has no
	// compare-and-set, so each claims it by appending a StepResume marker: the store appends in
	// one single-record update and returns the tenant as that update left it, so this call's
	// marker is the last entry, and a marker between the entries read above and it is that of
	// a call that claimed first. A call reading after a claim sees a fresh UpdatedAt above.
	seen := len(t.Onboarding)
	t, err = o.Store.UpdateTenant(ctx, r.ID, wellbase.TenantUpdate{Step: &wellbase.OnboardingStep{Name: StepResume, DoneAt: o.now().UTC()}})
	if err != nil {
		return nil, err
	}
	if err := sameRequest(t, r); err != nil { // a stalled call activated it meanwhile
		return nil, err
	}
	for i := seen; i < len(t.Onboarding)-1; i++ {
		if t.Onboarding[i].Name == StepResume {
			return nil, inProgress(r.ID, stale)
		}
	}
	if t.Name != r.Name || t.Tier != r.Tier {
		return o.Store.UpdateTenant(ctx, r.ID, wellbase.TenantUpdate{Name: &r.Name, Tier: &r.Tier})
	}
	return t, nil
}

// sameRequest returns nil if the existing tenant t is provisioning for the admin email of r, and
// an EConflict error otherwise.
func sameRequest(t *wellbase.Tenant, r Request) error {
	if t.Status != wellbase.TenantProvisioning {
		return wellbase.FieldError(wellbase.EConflict, "id", "tenant %s already exists", r.ID)
	}
	if t.AdminEmail != r.AdminEmail {
		return wellbase.FieldError(wellbase.EConflict, "admin_email", "tenant %s is being onboarded with another admin email; retry with the same request", r.ID)
	}
	return nil
}

// inProgress is the EConflict of a request for a tenant that another call is onboarding, to
// retry after wait: by then that call has finished, or stopped updating the tenant long enough
// for the retry to resume its work.
func inProgress(id string, wait time.Duration) error {
	s := max(int(math.Ceil(wait.Seconds())), 1)
	return &wellbase.Error{Code: wellbase.EConflict, RetryAfterSeconds: s,
		Message: fmt.Sprintf("tenant %s is being onboarded right now by another request; retry in %d s", id, s)}
}

// admin finds or creates the tenant's first owner (with password's hash, if any) and makes a new onboarding token for them,
// revoking any onboarding token an interrupted call made.
func (o *Onboarder) admin(ctx context.Context, ts wellbase.TenantStore, email, password string) (string, error) {
	u, err := ts.UserByEmail(ctx, email)
	if wellbase.ErrorCode(err) == wellbase.ENotFound {
		u = &wellbase.User{ID: wellbase.NewID("usr"), TenantID: ts.TenantID(), Email: email, Role: wellbase.RoleOwner, CreatedAt: o.now().UTC()}
		if password != "" {
			u.PasswordHash = identity.HashPassword(password)
		}
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

func (o *Onboarder) staleAfter() time.Duration {
	if o.StaleAfter > 0 {
		return o.StaleAfter
	}
	return DefaultStaleAfter
}

func (o *Onboarder) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
