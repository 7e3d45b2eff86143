package wellbase

import (
	"net/mail"
	"strings"
	"time"
)

// Role is a user's role within its tenant. Roles are ordered: each can do what the ones below it can.
type Role string

const (
	RoleOwner    Role = "owner"    // everything, including managing admins
	RoleAdmin    Role = "admin"    // users, tokens, all data
	RoleEngineer Role = "engineer" // reads and writes data
	RoleViewer   Role = "viewer"   // reads only
)

var roleRank = map[Role]int{RoleViewer: 1, RoleEngineer: 2, RoleAdmin: 3, RoleOwner: 4}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return roleRank[r] > 0 }

// AtLeast reports whether r grants everything min grants.
func (r Role) AtLeast(min Role) bool { return roleRank[r] >= roleRank[min] && roleRank[r] > 0 }

// User is a person of one tenant.
type User struct {
	ID       string `json:"id"`
	TenantID string `json:"tenant"`
	Email    string `json:"email"`
	Role     Role   `json:"role"`
	// PasswordHash is a PHC-format argon2id hash, or "" for a user who signs in by token only.
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
	// DisabledAt is when an admin disabled the user (nil: enabled). A disabled user's
	// credentials do not authenticate and its password does not sign in.
	DisabledAt *time.Time `json:"disabled_at,omitempty"`
}

// UserUpdate changes a user; a nil field keeps the stored value.
type UserUpdate struct {
	Role *Role
	// Disabled true sets DisabledAt to At (keeping an earlier time); false clears it.
	Disabled *bool
	At       time.Time
}

// CredentialKind says what a Credential is for.
type CredentialKind string

const (
	// CredentialAPIToken is a long-lived token a user creates for scripts; listed under /tokens.
	CredentialAPIToken CredentialKind = "api"
	// CredentialSession is a short-lived token made by a password login.
	CredentialSession CredentialKind = "session"
	// CredentialOperator is a platform operator's token for the control plane; it has no tenant.
	CredentialOperator CredentialKind = "operator"
)

// Credential is a bearer token as stored: only its SHA-256 hash, never the secret.
type Credential struct {
	ID       string         `json:"id"`
	Kind     CredentialKind `json:"kind"`
	TenantID string         `json:"tenant,omitempty"` // "" for operator credentials
	// UserID is the user (tenant credentials) or the operator (operator credentials) it acts as.
	UserID string `json:"user_id"`
	Name   string `json:"name"`
	// Hash is the hex SHA-256 of the token; unique.
	Hash string `json:"-"`
	// Prefix is the token's first characters, shown so a user can tell tokens apart.
	Prefix    string     `json:"prefix"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// Usable reports whether c may authenticate at time now.
func (c *Credential) Usable(now time.Time) bool {
	return c.RevokedAt == nil && now.Before(c.ExpiresAt)
}

// Operator is a platform operator: a person who runs Wellbase itself, on the control plane only.
type Operator struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	CreatedAt time.Time `json:"created_at"`
}

// Principal is the verified identity of a request.
type Principal struct {
	// Operator is set for platform operators; TenantID, UserID and Role are then empty.
	Operator     bool
	TenantID     string
	UserID       string
	Email        string
	Role         Role
	CredentialID string
	Kind         CredentialKind
}

// Actor names the principal in audit events: "operator:<id>" or "user:<id>".
func (p *Principal) Actor() string {
	if p == nil {
		return "anonymous"
	}
	if p.Operator {
		return "operator:" + p.UserID
	}
	return "user:" + p.UserID
}

// NormalizeEmail validates an email address and returns it in the form it is stored and compared
// in: the bare address with the domain lowercased. The error names field.
func NormalizeEmail(field, s string) (string, error) {
	if len(s) > 254 {
		return "", FieldError(EInvalid, field, "%s is longer than 254 characters", field)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "", FieldError(EInvalid, field, "%s %q is not an email address (want local@domain)", field, clip(s, 60))
	}
	at := strings.LastIndexByte(s, '@')
	domain := strings.ToLower(s[at+1:])
	if !strings.Contains(domain, ".") && domain != "localhost" {
		return "", FieldError(EInvalid, field, "%s %q has no domain name (want local@domain.tld)", field, clip(s, 60))
	}
	return s[:at+1] + domain, nil
}
