package httpapi

import (
	"math"
	"sync"

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
			formatRate(lim.RequestsPerSecond) + " (burst " + itoa(lim.Burst) + "; a plot, export or curve read that is not cached counts one more request per " +
			itoa(CostSamplesPerUnit) + " samples it reads); retry later",
		RetryAfterSeconds: retryAfter(1 / lim.RequestsPerSecond),
	}
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
