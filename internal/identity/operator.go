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
