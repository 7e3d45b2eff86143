package httpapi

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wellbase/wellbase"
)

// Load shedding. A server past saturation that queues every request answers all of them late:
// at 300-500 req/s on 2 cores curve reads waited 4-9 s and timed out. Instead, at most
// MaxInFlight requests run at once; a request that finds every slot taken waits for one at most
// QueueWait, behind at most MaxInFlight others, and is otherwise answered 503 with Retry-After
// at once, before its credential is even checked (the cheapest refusal there is). A tenant
// holding more than half of the slots while other tenants are served and requests wait is the
// cause: its new requests get 429 instead. /healthz, /readyz and /metrics never wait for a slot, so that the balancer's health
// checks and the scrapes answer under any load. Nothing here measures time: the limits are
// counts, and the only clock is the queue wait.

// DefaultQueueWait is how long a request waits for a slot before it is shed.
const DefaultQueueWait = 100 * time.Millisecond

// DefaultMaxInFlight is the number of requests run at once unless configured: 64 per usable
// CPU. Enough that a pause of the process (a GC, a neighbour's burst on a shared host) at
// 500 req/s of cached reads does not fill them (measured: 32 on 2 CPUs shed 0.5 % of such a
// load on a busy machine), few enough that the ones admitted past saturation finish well
// within a second (cached reads: about 1 ms of CPU each).
func DefaultMaxInFlight() int { return 64 * runtime.GOMAXPROCS(0) }

// errShed marks the 503 of a shed request (logged as such, not as a failing dependency).
var errShed = errors.New("shed")

type shedder struct {
	slots    chan struct{}
	wait     time.Duration
	maxQueue int64
	queued   atomic.Int64

	mu       sync.Mutex
	byTenant map[string]int
	// costly holds, per tenant, the slots of its costly routes in progress (costlyRoutes).
	costly          map[string]chan struct{}
	perTenantCostly int

	shed *prometheus.CounterVec
}

// newShedder returns the limiter of max requests at once (nil, no limit, if max < 0).
func newShedder(max int, wait time.Duration, reg *prometheus.Registry) *shedder {
	if max < 0 {
		return nil
	}
	if max == 0 {
		max = DefaultMaxInFlight()
	}
	if wait <= 0 {
		wait = DefaultQueueWait
	}
	sh := &shedder{slots: make(chan struct{}, max), wait: wait, maxQueue: int64(max), byTenant: map[string]int{},
		costly: map[string]chan struct{}{}, perTenantCostly: DefaultCostlyPerTenant(),
		shed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wellbase_http_shed_total",
			Help: "Requests refused by load shedding: server (503, every slot taken) or tenant (429, the tenant held over half of them)."}, []string{"reason"})}
	reg.MustRegister(sh.shed,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "wellbase_http_in_flight", Help: "Requests holding a slot of the load shedder."},
			func() float64 { return float64(len(sh.slots)) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "wellbase_http_in_flight_limit", Help: "Slots of the load shedder (serve --max-inflight)."},
			func() float64 { return float64(cap(sh.slots)) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "wellbase_http_queued", Help: "Requests waiting for a slot of the load shedder."},
			func() float64 { return float64(sh.queued.Load()) }))
	return sh
}

// costlyRoutes render a whole log or series (tens of ms of CPU each on a large log, against
// about 1 ms for a cached curve read): a tenant runs at most DefaultCostlyPerTenant of them at
// once, so that one tenant's plots, within its request rate, cannot hold every CPU while another
// tenant's reads wait for one.
var costlyRoutes = map[string]bool{
	"GET /api/v1/logs/{log}/plot.svg":              true,
	"GET /api/v1/logs/{log}/data":                  true,
	"GET /api/v1/wells/{well}/production/plot.svg": true,
	"GET /api/v1/forecasts/{forecast}/plot.svg":    true,
}

// DefaultCostlyPerTenant is how many costly requests (costlyRoutes) of one tenant run at once:
// half the CPUs of GOMAXPROCS, at least 1.
func DefaultCostlyPerTenant() int { return max(1, runtime.GOMAXPROCS(0)/2) }

// enterCostly takes one of tenant's slots for costly routes, waiting at most the queue wait;
// else 429 naming the tenant and the limit.
func (sh *shedder) enterCostly(ctx context.Context, tenant string) (leave func(), err error) {
	if sh == nil {
		return func() {}, nil
	}
	sh.mu.Lock()
	c, ok := sh.costly[tenant]
	if !ok {
		c = make(chan struct{}, sh.perTenantCostly)
		sh.costly[tenant] = c
	}
	sh.mu.Unlock()
	leave = func() { <-c }
	select {
	case c <- struct{}{}:
		return leave, nil
	default:
	}
	t := time.NewTimer(sh.wait)
	defer t.Stop()
	select {
	case c <- struct{}{}:
		return leave, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
	}
	sh.shed.WithLabelValues("tenant_costly").Inc()
	return nil, shedError{e: &wellbase.Error{Code: wellbase.ELimitExceeded, RetryAfterSeconds: 1,
		Message: fmt.Sprintf("tenant %s already runs %d plots or exports at once, the most one tenant may; retry after a second", tenant, cap(c))}}
}

// exempt routes never wait for a slot.
func exempt(rt Route) bool {
	return rt.Path == "/healthz" || rt.Path == "/readyz" || rt.Path == "/metrics"
}

// acquire takes a slot, waiting at most the queue wait; release gives it back. The error is a
// 503 unavailable with Retry-After.
func (sh *shedder) acquire(ctx context.Context) (release func(), err error) {
	if sh == nil {
		return func() {}, nil
	}
	release = func() { <-sh.slots }
	select {
	case sh.slots <- struct{}{}:
		return release, nil
	default:
	}
	if sh.queued.Add(1) > sh.maxQueue {
		sh.queued.Add(-1)
		return nil, sh.refuse()
	}
	defer sh.queued.Add(-1)
	t := time.NewTimer(sh.wait)
	defer t.Stop()
	select {
	case sh.slots <- struct{}{}:
		return release, nil
	case <-t.C:
		return nil, sh.refuse()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (sh *shedder) refuse() error {
	sh.shed.WithLabelValues("server").Inc()
	return shedError{e: &wellbase.Error{Code: wellbase.EUnavailable, RetryAfterSeconds: 1,
		Message: fmt.Sprintf("the server is at capacity (%d requests in progress); retry after a second", cap(sh.slots))}}
}

// enter counts a request of tenant among those holding slots; leave uncounts it. A tenant that
// holds over half the slots while other tenants hold some and requests wait for one is refused
// with 429 (the request is not counted then); a tenant alone on the server is shed with 503 like
// anyone when the slots run out.
func (sh *shedder) enter(tenant string) (leave func(), err error) {
	if sh == nil {
		return func() {}, nil
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if n := sh.byTenant[tenant]; n >= cap(sh.slots)/2 && len(sh.byTenant) > 1 && sh.queued.Load() > 0 {
		sh.shed.WithLabelValues("tenant").Inc()
		return nil, shedError{e: &wellbase.Error{Code: wellbase.ELimitExceeded, RetryAfterSeconds: 1,
			Message: fmt.Sprintf("tenant %s has %d requests in progress, over half of what the server runs at once (%d) while others wait; retry after a second", tenant, n, cap(sh.slots))}}
	}
	sh.byTenant[tenant]++
	return func() {
		sh.mu.Lock()
		defer sh.mu.Unlock()
		if sh.byTenant[tenant]--; sh.byTenant[tenant] <= 0 {
			delete(sh.byTenant, tenant)
		}
	}, nil
}

// shedError is the answer of a shed request.
type shedError struct{ e *wellbase.Error }

func (e shedError) Error() string   { return e.e.Error() }
func (e shedError) Unwrap() []error { return []error{e.e, errShed} }
