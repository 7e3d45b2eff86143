package identity

import (
	"context"
	"fmt"
	"time"

	"github.com/wellbase/wellbase"
)

// CreateOperator makes a platform operator with email and an operator token (wbo_…) valid for
// ttl from now, and records operator.create in the control-plane audit log (actor "system": the
// command is run by whoever can reach the database). The token is returned once; only its hash
// is stored. Errors: EInvalid on field email for a malformed address, EInvalid for a ttl outside
// 1 to 365 days, the store's.
func CreateOperator(ctx context.Context, store wellbase.Store, email string, ttl time.Duration, now time.Time) (token string, o *wellbase.Operator, c *wellbase.Credential, err error) {
	email, err = wellbase.NormalizeEmail("email", email)
	if err != nil {
		return "", nil, nil, err
	}
	if ttl < 24*time.Hour || ttl > 365*24*time.Hour {
		return "", nil, nil, wellbase.FieldError(wellbase.EInvalid, "expires_in_days", "an operator token lasts from 1 to 365 days, got %s", ttl)
	}
	now = now.UTC()
	o = &wellbase.Operator{ID: wellbase.NewID("opr"), Email: email, CreatedAt: now}
	if err := store.CreateOperator(ctx, o); err != nil {
		return "", nil, nil, err
	}
	token, c, err = Issue(ctx, store.CreateOperatorCredential, wellbase.CredentialOperator, "", o.ID, "cli", now, ttl)
	if err != nil {
		return "", nil, nil, err
	}
	if err := store.AppendControlAudit(ctx, &wellbase.AuditEvent{ID: wellbase.NewID("cae"), Time: now, Actor: "system",
		Action: "operator.create", Target: o.ID, Details: map[string]any{"email": email, "token_expires_at": c.ExpiresAt}}); err != nil {
		return "", nil, nil, fmt.Errorf("audit: %w", err)
	}
	return token, o, c, nil
}

// OperatorSessionTTL is the longest an operator's browser session lasts.
const OperatorSessionTTL = 8 * time.Hour

// OperatorSession is an operator's browser session made by OperatorSignIn.
type OperatorSession struct {
	// Token is the session secret (wbo_…), for the HttpOnly control-plane cookie only.
	Token      string
	Credential *wellbase.Credential
	Operator   *wellbase.Principal
}

// OperatorSignIn exchanges an operator token (made by wellbase operator create) for a browser
// session: a new operator credential named "browser session" that lasts OperatorSessionTTL, or
// less if the token expires sooner, so that the long-lived token is pasted once and never kept
// by the browser. The sign-in is recorded as operator.signin in the control-plane audit log,
// from addr. Errors: EUnauthorized for anything but a usable operator token (a tenant's token
// included, with the same message).
func OperatorSignIn(ctx context.Context, store wellbase.Store, token, addr string, now time.Time) (*OperatorSession, error) {
	denied := wellbase.Errorf(wellbase.EUnauthorized, "this is not a valid operator token (wbo_…): it is wrong, expired or revoked")
	p, _, err := Authenticate(ctx, store, token, now)
	if wellbase.ErrorCode(err) == wellbase.EUnauthorized || wellbase.ErrorCode(err) == wellbase.ESuspended || (err == nil && !p.Operator) {
		return nil, denied
	} else if err != nil {
		return nil, err
	}
	src, err := store.CredentialByHash(ctx, HashToken(token))
	if err != nil {
		return nil, err
	}
	ttl := min(OperatorSessionTTL, src.ExpiresAt.Sub(now))
	ses, c, err := Issue(ctx, store.CreateOperatorCredential, wellbase.CredentialOperator, "", p.UserID, "browser session", now, ttl)
	if err != nil {
		return nil, err
	}
	p.CredentialID = c.ID
	e := &wellbase.AuditEvent{ID: wellbase.NewID("cae"), Time: now.UTC(), Actor: p.Actor(), Action: "operator.signin", Target: c.ID,
		RequestID: wellbase.RequestIDFromContext(ctx), RemoteAddr: addr,
		Details: map[string]any{"email": p.Email, "token": src.ID, "expires_at": c.ExpiresAt}}
	if err := store.AppendControlAudit(ctx, e); err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	return &OperatorSession{Token: ses, Credential: c, Operator: p}, nil
}

// OperatorSignOut revokes the operator credential p signed in with and records operator.signout
// in the control-plane audit log.
func OperatorSignOut(ctx context.Context, store wellbase.Store, p *wellbase.Principal, now time.Time) error {
	if p == nil || !p.Operator {
		return wellbase.Errorf(wellbase.EBadRequest, "only an operator's session can be ended here")
	}
	if err := store.RevokeOperatorCredential(ctx, p.CredentialID, now); err != nil {
		return err
	}
	return store.AppendControlAudit(ctx, &wellbase.AuditEvent{ID: wellbase.NewID("cae"), Time: now.UTC(), Actor: p.Actor(),
		Action: "operator.signout", Target: p.CredentialID, RequestID: wellbase.RequestIDFromContext(ctx),
		RemoteAddr: wellbase.RemoteAddrFromContext(ctx)})
}
