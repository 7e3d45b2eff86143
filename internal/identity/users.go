package identity

import (
	"context"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
)

// API token lifetimes, in days.
const (
	DefaultTokenDays = 90
	MaxTokenDays     = 365
)

// Users manages a tenant's users and API tokens: the one way the JSON API and the admin pages
// add users, change their roles, disable them, and create and revoke tokens. Every change is
// recorded in the tenant's audit log as done by the context's principal.
type Users struct {
	Store wellbase.Store
	// Now returns the current time; time.Now if nil.
	Now func() time.Time
}

func (s *Users) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// NewUser is a user to add: Password may be "" for a user who will use API tokens only.
type NewUser struct {
	Email    string
	Role     wellbase.Role
	Password string
}

// Create adds a user to tenant t on behalf of actor (a user of t with role admin or owner).
//
// Errors: EInvalid on field email, role or password; EForbidden when an admin adds an admin or
// an owner (only an owner may); ELimitExceeded at the tenant's max_users; EConflict on field
// email when the email is taken in the tenant.
func (s *Users) Create(ctx context.Context, actor *wellbase.Principal, t *wellbase.Tenant, in NewUser) (*wellbase.User, error) {
	email, err := wellbase.NormalizeEmail("email", in.Email)
	if err != nil {
		return nil, err
	}
	if !in.Role.Valid() {
		return nil, wellbase.FieldError(wellbase.EInvalid, "role", "role %q is unknown (want owner, admin, engineer or viewer)", in.Role)
	}
	if in.Role.AtLeast(wellbase.RoleAdmin) && actor.Role != wellbase.RoleOwner {
		return nil, wellbase.FieldError(wellbase.EForbidden, "role", "only an owner may add a user with role %s", in.Role)
	}
	hash := ""
	if in.Password != "" {
		if err := ValidatePassword("password", in.Password); err != nil {
			return nil, err
		}
		hash = HashPassword(in.Password)
	}
	ts := s.Store.Tenant(t.ID)
	n, err := ts.CountUsers(ctx)
	if err != nil {
		return nil, err
	}
	if max := t.EffectiveLimits().MaxUsers; n >= max {
		return nil, wellbase.Errorf(wellbase.ELimitExceeded, "tenant %s has reached its limit of max_users = %d", t.ID, max)
	}
	u := &wellbase.User{ID: wellbase.NewID("usr"), TenantID: t.ID, Email: email, Role: in.Role, PasswordHash: hash, CreatedAt: s.now().UTC()}
	if err := ts.CreateUser(ctx, u); err != nil {
		if wellbase.ErrorCode(err) == wellbase.EConflict {
			return nil, wellbase.FieldError(wellbase.EConflict, "email", "a user with email %s already exists", email)
		}
		return nil, err
	}
	e := wellbase.NewAuditEvent(ctx, s.now(), t.ID, "user.create", u.ID, map[string]any{"email": email, "role": string(in.Role), "password_set": hash != ""})
	if err := ts.AppendAudit(ctx, e); err != nil {
		return nil, err
	}
	return u, nil
}

// UserChange changes a user's role, or disables or enables the user; nil fields are kept.
type UserChange struct {
	Role     *wellbase.Role
	Disabled *bool
}

// Update applies c to user id of actor's tenant and records user.update (with the role from and
// to) or user.disable / user.enable. A disabled user's sessions and API tokens stop working at
// once (Authenticate reads the user on every request) and its password no longer signs in.
//
// Rules: nobody changes or disables themselves (an admin cannot lock the tenant out by
// mistake); only an owner gives or takes the roles admin and owner, or changes an admin or an
// owner; the last enabled owner keeps that role and stays enabled.
//
// Errors: ENotFound for a user not of the tenant; EInvalid on field role; EForbidden for the
// rules above; EConflict for the last owner.
func (s *Users) Update(ctx context.Context, actor *wellbase.Principal, id string, c UserChange) (*wellbase.User, error) {
	ts := s.Store.Tenant(actor.TenantID)
	u, err := ts.GetUser(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Role != nil && !c.Role.Valid() {
		return nil, wellbase.FieldError(wellbase.EInvalid, "role", "role %q is unknown (want owner, admin, engineer or viewer)", *c.Role)
	}
	if u.ID == actor.UserID {
		return nil, wellbase.Errorf(wellbase.EForbidden, "you cannot change or disable your own account; ask another admin or owner")
	}
	if actor.Role != wellbase.RoleOwner && (u.Role.AtLeast(wellbase.RoleAdmin) || (c.Role != nil && c.Role.AtLeast(wellbase.RoleAdmin))) {
		return nil, wellbase.Errorf(wellbase.EForbidden, "only an owner may change an admin or an owner, or give those roles")
	}
	losesOwner := u.Role == wellbase.RoleOwner && u.DisabledAt == nil &&
		((c.Role != nil && *c.Role != wellbase.RoleOwner) || (c.Disabled != nil && *c.Disabled))
	if losesOwner {
		owners := 0
		for o, err := range wellbase.Each(ctx, ts.ListUsers) {
			if err != nil {
				return nil, err
			}
			if o.Role == wellbase.RoleOwner && o.DisabledAt == nil {
				owners++
			}
		}
		if owners <= 1 {
			return nil, wellbase.Errorf(wellbase.EConflict, "%s is the tenant's last owner: make another user owner first", u.Email)
		}
	}
	now := s.now()
	got, err := ts.UpdateUser(ctx, id, wellbase.UserUpdate{Role: c.Role, Disabled: c.Disabled, At: now.UTC()})
	if err != nil {
		return nil, err
	}
	if c.Role != nil && *c.Role != u.Role {
		e := wellbase.NewAuditEvent(ctx, now, actor.TenantID, "user.update", id, map[string]any{"email": u.Email, "role_from": string(u.Role), "role": string(*c.Role)})
		if err := ts.AppendAudit(ctx, e); err != nil {
			return nil, err
		}
	}
	if c.Disabled != nil && *c.Disabled != (u.DisabledAt != nil) {
		action := "user.enable"
		if *c.Disabled {
			action = "user.disable"
		}
		if err := ts.AppendAudit(ctx, wellbase.NewAuditEvent(ctx, now, actor.TenantID, action, id, map[string]any{"email": u.Email})); err != nil {
			return nil, err
		}
	}
	return got, nil
}

// CreateToken makes an API token named name for actor, with actor's role, valid for days (1 to
// MaxTokenDays), and records token.create. It returns the token (wbt_…, to be shown once and
// never stored or logged) and its stored record. Errors: EInvalid on field name or
// expires_in_days.
func (s *Users) CreateToken(ctx context.Context, actor *wellbase.Principal, name string, days int) (string, *wellbase.Credential, error) {
	name = strings.TrimSpace(name)
	if err := wellbase.ValidateName("name", name); err != nil {
		return "", nil, err
	}
	if days < 1 || days > MaxTokenDays {
		return "", nil, wellbase.FieldError(wellbase.EInvalid, "expires_in_days", "expires_in_days must be from 1 to %d, got %d", MaxTokenDays, days)
	}
	ts := s.Store.Tenant(actor.TenantID)
	now := s.now()
	token, c, err := Issue(ctx, ts.CreateCredential, wellbase.CredentialAPIToken, actor.TenantID, actor.UserID, name, now, time.Duration(days)*24*time.Hour)
	if err != nil {
		return "", nil, err
	}
	e := wellbase.NewAuditEvent(ctx, now, actor.TenantID, "token.create", c.ID, map[string]any{"name": c.Name, "expires_at": c.ExpiresAt})
	if err := ts.AppendAudit(ctx, e); err != nil {
		return "", nil, err
	}
	return token, c, nil
}

// RevokeToken revokes API token id: actor's own, or any of the tenant's when actor is an admin
// or owner; records token.revoke. Another user's token is ENotFound to a lower role, like one
// of another tenant.
func (s *Users) RevokeToken(ctx context.Context, actor *wellbase.Principal, id string) (*wellbase.Credential, error) {
	ts := s.Store.Tenant(actor.TenantID)
	c, err := ts.GetCredential(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Kind != wellbase.CredentialAPIToken || (c.UserID != actor.UserID && !actor.Role.AtLeast(wellbase.RoleAdmin)) {
		return nil, wellbase.Errorf(wellbase.ENotFound, "token %s not found", clip(id))
	}
	now := s.now()
	if err := ts.RevokeCredential(ctx, c.ID, now); err != nil {
		return nil, err
	}
	if err := ts.AppendAudit(ctx, wellbase.NewAuditEvent(ctx, now, actor.TenantID, "token.revoke", c.ID, map[string]any{"name": c.Name})); err != nil {
		return nil, err
	}
	return c, nil
}

func clip(id string) string {
	if len(id) > 60 {
		return id[:60] + "…"
	}
	return id
}
