package httpapi

import (
	"context"
	"time"

	"github.com/wellbase/wellbase"
)

// Cost-weighted limits. A request takes one token from its tenant's request bucket when it is
// admitted; a request that did more work than an ordinary one (a plot or an export of a large
// log that was not in the cache, an upload parsed at once) then takes more, in proportion to the
// samples it read, parsed or drew, so that requests_per_second bounds a tenant's CPU as well as
// its request count. The extra tokens are taken after the answer, as debt: the tenant's next
// requests get 429 with Retry-After until its bucket has refilled.
//
// The unit: a plot of a 303 030-row log with 8 curves (2.7 million samples with the index)
// costs about 70 ms of CPU, about 26 ns a sample, so CostSamplesPerUnit samples are about 2 ms,
// what two cached curve reads cost. A standard tier tenant (50 requests/s) so draws at most
// about 1.3 such plots a second uncached (about 5 % of two CPUs), while its cached plots and
// reads cost one token each.

// CostSamplesPerUnit is the number of samples read or drawn that costs one request token
// (wellbase.CostSamplesPerRequest).
const CostSamplesPerUnit = wellbase.CostSamplesPerRequest

// chargeSamples adds n samples read or drawn to the cost of the request of ctx, to be taken
// from its tenant's request bucket after the answer.
func chargeSamples(ctx context.Context, n int) {
	if st, ok := ctx.Value(requestStateKey{}).(*requestState); ok && n > 0 {
		st.samples.Add(int64(n))
	}
}

// extraUnits is what a request costs beyond its admission token: whole units of its samples.
func (st *requestState) extraUnits() int {
	return int(st.samples.Load() / CostSamplesPerUnit)
}

// charge takes n more tokens from t's bucket as debt (at most the burst at once: a bucket
// cannot owe more than it holds when full). It never refuses: the request is done.
func (l *tenantLimiter) charge(t *wellbase.Tenant, n int) {
	if n <= 0 {
		return
	}
	l.mu.Lock()
	b := l.buckets[t.ID]
	l.mu.Unlock()
	if b == nil {
		return
	}
	b.ReserveN(time.Now(), min(n, b.Burst()))
}
