package identity

import (
	"context"
	"math"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/wellbase/wellbase"
)

// SessionTTL is how long a password login lasts.
const SessionTTL = 12 * time.Hour

// Logins signs tenant users in and out with email and password: the one way both the JSON API
// (POST /api/v1/login) and the web sign-in page do it. It holds the failed-login budgets of this
// process, so one Logins must serve both.
type Logins struct {
	Store wellbase.Store
	// Now returns the current time; time.Now if nil.
	Now func() time.Time

	limiter loginLimiter
}

// Session is a signed-in user's new session: Token is the secret (wbs_…), shown to the user
// once (as the session cookie).
type Session struct {
	Token      string
	Credential *wellbase.Credential
	Tenant     *wellbase.Tenant
	User       *wellbase.User
}

func (l *Logins) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// Login checks a tenant user's email and password and issues a session of SessionTTL, recorded
// as a session.create audit event (login.fail for a failure), with addr (the client's IP
// address) as where it came from.
//
// Errors: EInvalid on field tenant for a malformed tenant ID; EUnauthorized "the tenant, email
// or password is wrong" for every failure, whichever was wrong, after the same password-hash
// time; ELimitExceeded with the seconds to wait when the tenant's or the address's budget of
// failures is spent (10 per address then one per 6 s, 50 per tenant then one a second);
// ESuspended for a right password of a tenant that is not active; EUnauthorized saying so for
// the right password of a disabled user.
func (l *Logins) Login(ctx context.Context, tenant, email, password, addr string) (*Session, error) {
	if err := wellbase.ValidateTenantID(tenant); err != nil {
		return nil, wellbase.FieldError(wellbase.EInvalid, "tenant", "%s", wellbase.ErrorMessage(err))
	}
	now := l.now()
	if err := l.limiter.check(tenant, addr, now); err != nil {
		return nil, err
	}
	denied := wellbase.Errorf(wellbase.EUnauthorized, "the tenant, email or password is wrong")
	ts := l.Store.Tenant(tenant)
	t, err := l.Store.GetTenant(ctx, tenant)
	if err != nil && wellbase.ErrorCode(err) != wellbase.ENotFound {
		return nil, err
	}
	var u *wellbase.User
	if t != nil {
		if email, err := wellbase.NormalizeEmail("email", email); err == nil {
			u, err = ts.UserByEmail(ctx, email)
			if err != nil && wellbase.ErrorCode(err) != wellbase.ENotFound {
				return nil, err
			}
		}
	}
	hash := ""
	if u != nil {
		hash = u.PasswordHash
	}
	rid := wellbase.RequestIDFromContext(ctx)
	if !VerifyPassword(hash, password) || u == nil {
		l.limiter.failed(tenant, addr, now)
		if t != nil {
			ts.AppendAudit(ctx, &wellbase.AuditEvent{
				ID: wellbase.NewID("aud"), TenantID: t.ID, Time: now.UTC(), Actor: "anonymous", Action: "login.fail",
				RequestID: rid, RemoteAddr: addr,
			})
		}
		return nil, denied
	}
	if u.DisabledAt != nil {
		return nil, wellbase.Errorf(wellbase.EUnauthorized, "this user is disabled; ask an admin of tenant %s", t.ID)
	}
	if t.Status != wellbase.TenantActive {
		return nil, wellbase.Errorf(wellbase.ESuspended, "tenant %s is %s; contact the platform operator", t.ID, t.Status)
	}
	token, c, err := Issue(ctx, ts.CreateCredential, wellbase.CredentialSession, t.ID, u.ID, "login", now, SessionTTL)
	if err != nil {
		return nil, err
	}
	p := &wellbase.Principal{TenantID: t.ID, UserID: u.ID, Role: u.Role}
	if err := ts.AppendAudit(ctx, &wellbase.AuditEvent{ID: wellbase.NewID("aud"), TenantID: t.ID, Time: now.UTC(), Actor: p.Actor(),
		Action: "session.create", Target: c.ID, RequestID: rid, RemoteAddr: addr}); err != nil {
		return nil, err
	}
	return &Session{Token: token, Credential: c, Tenant: t, User: u}, nil
}

// Logout revokes the session credential p signed in with and records a session.revoke audit
// event. EBadRequest if p's credential is not a session (API tokens are revoked as tokens).
func (l *Logins) Logout(ctx context.Context, p *wellbase.Principal) error {
	if p == nil || p.Kind != wellbase.CredentialSession {
		return wellbase.Errorf(wellbase.EBadRequest, "logout ends a login session; to revoke an API token use DELETE /api/v1/tokens/{token}")
	}
	if err := l.Store.Tenant(p.TenantID).RevokeCredential(ctx, p.CredentialID, l.now()); err != nil {
		return err
	}
	return l.Store.Tenant(p.TenantID).AppendAudit(ctx, wellbase.NewAuditEvent(ctx, l.now(), p.TenantID, "session.revoke", p.CredentialID, nil))
}

// loginLimiter slows password guessing: failed logins spend tokens from a bucket per tenant
// and a bucket per client address; an empty bucket refuses further attempts until it refills.
// Buckets live in this process (as the tenants' request rate buckets do).
type loginLimiter struct {
	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

// Failed-login budgets: an address may fail 10 times, then once per 6 s; a tenant may see 50
// failures, then one a second, which bounds a spread-out guessing attack without locking
// everyone out for long.
var (
	loginPerAddress = struct {
		every time.Duration
		burst int
	}{6 * time.Second, 10}
	loginPerTenant = struct {
		every time.Duration
		burst int
	}{time.Second, 50}
)

func (l *loginLimiter) bucket(key string) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buckets == nil {
		l.buckets = map[string]*rate.Limiter{}
	}
	b, ok := l.buckets[key]
	if !ok {
		every, burst := loginPerAddress.every, loginPerAddress.burst
		if key[0] == 't' {
			every, burst = loginPerTenant.every, loginPerTenant.burst
		}
		b = rate.NewLimiter(rate.Every(every), burst)
		l.buckets[key] = b
	}
	return b
}

// check refuses a login attempt when the tenant's or the address's failure budget is spent.
func (l *loginLimiter) check(tenant, addr string, now time.Time) error {
	for _, key := range []string{"t:" + tenant, "a:" + addr} {
		b := l.bucket(key)
		if b.TokensAt(now) < 1 {
			wait := time.Duration((1 - b.TokensAt(now)) / float64(b.Limit()) * float64(time.Second))
			what := "tenant " + tenant
			if key[0] == 'a' {
				what = "address " + addr
			}
			return &wellbase.Error{Code: wellbase.ELimitExceeded,
				Message:           "too many failed logins for " + what + " (limit " + strconv.Itoa(b.Burst()) + " failures, then one per " + (time.Duration(float64(time.Second) / float64(b.Limit()))).String() + "); retry later",
				RetryAfterSeconds: max(1, int(math.Ceil(wait.Seconds())))}
		}
	}
	return nil
}

// failed spends one token of the tenant's and the address's budgets.
func (l *loginLimiter) failed(tenant, addr string, now time.Time) {
	l.bucket("t:"+tenant).AllowN(now, 1)
	l.bucket("a:"+addr).AllowN(now, 1)
}
