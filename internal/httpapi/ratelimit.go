package httpapi

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/wellbase/wellbase"
)

// tenantLimiter holds one token bucket per tenant, sized by the tenant's effective limits.
// Buckets live in this process: with N replicas behind a load balancer a tenant gets up to N
// times its rate; a shared limiter (in the database or a cache) is the step after this one.
type tenantLimiter struct {
	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

func newTenantLimiter() *tenantLimiter {
	return &tenantLimiter{buckets: map[string]*rate.Limiter{}}
}

// allow takes one request from t's bucket, or returns an ELimitExceeded error naming the
// tenant, the limit and its value, with the seconds to wait.
func (l *tenantLimiter) allow(t *wellbase.Tenant) error {
	lim := t.EffectiveLimits()
	l.mu.Lock()
	b, ok := l.buckets[t.ID]
	if !ok {
		b = rate.NewLimiter(rate.Limit(lim.RequestsPerSecond), lim.Burst)
		l.buckets[t.ID] = b
	} else if b.Limit() != rate.Limit(lim.RequestsPerSecond) || b.Burst() != lim.Burst {
		// Overrides changed: resize the bucket now, not at the next start.
		b.SetLimit(rate.Limit(lim.RequestsPerSecond))
		b.SetBurst(lim.Burst)
	}
	l.mu.Unlock()
	if b.Allow() {
		return nil
	}
	return &wellbase.Error{
		Code: wellbase.ELimitExceeded,
		Message: "tenant " + t.ID + " exceeded its request rate limit: requests_per_second = " +
			formatRate(lim.RequestsPerSecond) + " (burst " + itoa(lim.Burst) + "); retry later",
		RetryAfterSeconds: retryAfter(1 / lim.RequestsPerSecond),
	}
}

// loginLimiter slows password guessing: failed logins spend tokens from a bucket per tenant
// and a bucket per client address; an empty bucket refuses further attempts until it refills.
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

func newLoginLimiter() *loginLimiter { return &loginLimiter{buckets: map[string]*rate.Limiter{}} }

func (l *loginLimiter) bucket(key string) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
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
				Message:           "too many failed logins for " + what + " (limit " + itoa(b.Burst()) + " failures, then one per " + (time.Duration(float64(time.Second) / float64(b.Limit()))).String() + "); retry later",
				RetryAfterSeconds: retryAfter(wait.Seconds())}
		}
	}
	return nil
}

// failed spends one token of the tenant's and the address's budgets.
func (l *loginLimiter) failed(tenant, addr string, now time.Time) {
	l.bucket("t:"+tenant).AllowN(now, 1)
	l.bucket("a:"+addr).AllowN(now, 1)
}

func retryAfter(seconds float64) int {
	return max(1, int(math.Ceil(seconds)))
}

func formatRate(v float64) string {
	if v == math.Trunc(v) {
		return itoa(int(v))
	}
	return trimFloat(v)
}
