package identity

import (
	"context"
	"fmt"
	"time"

	"github.com/wellbase/wellbase"
)

// Authenticate verifies a bearer token and returns the principal it stands for and, for a
// tenant credential, its tenant. The tenant comes only from the stored credential, never from
// the request.
//
// Errors: EUnauthorized for a malformed, unknown, expired or revoked token, or one whose user is
// gone or disabled (the message does not say which); ESuspended when the tenant is suspended or not yet
// active; other errors are the store's.
func Authenticate(ctx context.Context, store wellbase.Store, token string, now time.Time) (*wellbase.Principal, *wellbase.Tenant, error) {
	unauthorized := wellbase.Errorf(wellbase.EUnauthorized, "the credential is invalid, expired or revoked")
	if !LooksLikeToken(token) {
		return nil, nil, unauthorized
	}
	c, err := store.CredentialByHash(ctx, HashToken(token))
	if wellbase.ErrorCode(err) == wellbase.ENotFound {
		return nil, nil, unauthorized
	} else if err != nil {
		return nil, nil, fmt.Errorf("look up credential: %w", err)
	}
	if !c.Usable(now) {
		return nil, nil, unauthorized
	}
	if c.Kind == wellbase.CredentialOperator {
		o, err := store.GetOperator(ctx, c.UserID)
		if wellbase.ErrorCode(err) == wellbase.ENotFound {
			return nil, nil, unauthorized
		} else if err != nil {
			return nil, nil, fmt.Errorf("look up operator: %w", err)
		}
		return &wellbase.Principal{Operator: true, UserID: o.ID, Email: o.Email, CredentialID: c.ID, Kind: c.Kind}, nil, nil
	}
	t, err := store.GetTenant(ctx, c.TenantID)
	if wellbase.ErrorCode(err) == wellbase.ENotFound {
		return nil, nil, unauthorized
	} else if err != nil {
		return nil, nil, fmt.Errorf("look up tenant: %w", err)
	}
	switch t.Status {
	case wellbase.TenantActive:
	case wellbase.TenantSuspended:
		return nil, nil, wellbase.Errorf(wellbase.ESuspended, "tenant %s is suspended; contact the platform operator", t.ID)
	default:
		return nil, nil, wellbase.Errorf(wellbase.ESuspended, "tenant %s is not active (status %s)", t.ID, t.Status)
	}
	u, err := store.Tenant(t.ID).GetUser(ctx, c.UserID)
	if wellbase.ErrorCode(err) == wellbase.ENotFound || (err == nil && u.DisabledAt != nil) {
		return nil, nil, unauthorized
	} else if err != nil {
		return nil, nil, fmt.Errorf("look up user: %w", err)
	}
	return &wellbase.Principal{TenantID: t.ID, UserID: u.ID, Email: u.Email, Role: u.Role, CredentialID: c.ID, Kind: c.Kind}, t, nil
}

// Issue makes a new token of kind for user (or operator) userID of tenant, stores its hash
// through create, and returns the token (to be shown once) with its stored record.
func Issue(ctx context.Context, create func(context.Context, *wellbase.Credential) error, kind wellbase.CredentialKind,
	tenant, userID, name string, now time.Time, ttl time.Duration) (string, *wellbase.Credential, error) {
	token, hash, prefix := NewToken(kind)
	c := &wellbase.Credential{
		ID: wellbase.NewID("tok"), Kind: kind, TenantID: tenant, UserID: userID, Name: name,
		Hash: hash, Prefix: prefix, CreatedAt: now.UTC(), ExpiresAt: now.Add(ttl).UTC(),
	}
	if err := create(ctx, c); err != nil {
		return "", nil, fmt.Errorf("store %s credential: %w", kind, err)
	}
	return token, c, nil
}
