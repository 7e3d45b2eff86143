// Package httpapi is Wellbase's REST API: the route table, middleware (request ID, logging,
// metrics, authentication, tenant limits, roles, Idempotency-Key), handlers and the OpenAPI
// document.
//
// Every route is declared once in routes(); the mux, the OpenAPI document and the
// tenant-isolation test all read that table, so a route cannot be served without being
// documented and covered.
package httpapi

import (
	"cmp"
	"context"
	"golang.org/x/time/rate"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/identity"
	"github.com/wellbase/wellbase/internal/jobs"
	"github.com/wellbase/wellbase/internal/readcache"
	"github.com/wellbase/wellbase/internal/tenancy"
	"github.com/wellbase/wellbase/internal/web"
	"github.com/wellbase/wellbase/internal/welllogs"
	"github.com/wellbase/wellbase/internal/wells"
)

// Config holds what the API needs.
type Config struct {
	Store     wellbase.Store
	Onboarder *tenancy.Onboarder
	// Offboarder deletes tenants and Exporter's archives are downloaded; the routes answer 503
	// without them.
	Offboarder *tenancy.Offboarder
	Exporter   *tenancy.Exporter
	// RotateKey makes a new data key version for a tenant and queues the re-encryption of its
	// files (tenancy.RotateTenantKey); the route answers 503 without it.
	RotateKey func(ctx context.Context, tenant, actor string) (*tenancy.KeyRotation, error)
	// Logs stores and reads well logs; the log routes answer 503 without it.
	Logs *welllogs.Service
	// Queue takes jobs; JobTypes are the types users may enqueue.
	Queue    *jobs.Queue
	JobTypes map[string]JobType
	// AsyncParseBytes: log uploads declaring a larger Content-Length are stored and parsed by a
	// job (LogParseJob), so the upload answers at once; 0 parses every upload in the request.
	AsyncParseBytes int64
	Logger          *slog.Logger
	// Logins signs users in (and holds the failed-login budgets); one of its own if nil.
	Logins *identity.Logins
	// Registry receives the API's Prometheus metrics and is served at /metrics; a new one if nil.
	Registry *prometheus.Registry
	// Now returns the current time; time.Now if nil.
	Now func() time.Time
	// InsecureCookies leaves the Secure attribute off session cookies (for plain-HTTP
	// development behind no TLS terminator); false in production.
	InsecureCookies bool
	// IdempotencyLease is how long an Idempotency-Key claim holds without renewal: the longest
	// a replica that died mid-request blocks its key. DefaultIdempotencyLease if 0.
	IdempotencyLease time.Duration
	// CurveCacheBytes bounds the memory of cached curves and curve answers
	// (DefaultCurveCacheBytes if 0; negative: no cache).
	CurveCacheBytes int64
	// CurveGzip answers curve reads gzip-coded to clients that accept it.
	CurveGzip bool
	// MaxInFlight and QueueWait configure load shedding (see shed.go): DefaultMaxInFlight and
	// DefaultQueueWait if 0; MaxInFlight negative turns shedding off.
	MaxInFlight int
	QueueWait   time.Duration
}

// Server serves the API.
type Server struct {
	store           wellbase.Store
	onboarder       *tenancy.Onboarder
	offboarder      *tenancy.Offboarder
	exporter        *tenancy.Exporter
	rotateKey       func(ctx context.Context, tenant, actor string) (*tenancy.KeyRotation, error)
	logs            *welllogs.Service
	queue           *jobs.Queue
	jobTypes        map[string]JobType
	asyncParseBytes int64
	log             *slog.Logger
	now             func() time.Time
	secure          bool
	idemLease       time.Duration

	mux     *http.ServeMux
	limits  *tenantLimiter
	logins  *identity.Logins
	wells   *wells.Service
	users   *identity.Users
	tenants *tenancy.Tenants
	meter   *meter
	metrics *metrics
	routes  []Route
	pages   *web.App
	// pageRoutes are the HTML pages' routes (internal/web), behind the same admission.
	pageRoutes []Route

	// draining: /readyz answers 503 (Drain).
	draining atomic.Bool
	// shedLines lets one log line a second through for shed requests; shedQuiet counts the
	// ones not logged since (the metric counts them all).
	shedLines rate.Sometimes
	shedQuiet atomic.Int64

	curveCache   *readcache.Cache
	curveMetrics *curveMetrics
	curveGzip    bool
	shed         *shedder

	promHandler http.Handler
	docOnce     sync.Once
	doc         map[string]any
}

// New returns a Server with every route registered.
func New(cfg Config) *Server {
	s := &Server{
		store: cfg.Store, onboarder: cfg.Onboarder, offboarder: cfg.Offboarder, exporter: cfg.Exporter, rotateKey: cfg.RotateKey, logs: cfg.Logs, queue: cfg.Queue, jobTypes: cfg.JobTypes, asyncParseBytes: cfg.AsyncParseBytes, log: cfg.Logger, now: cfg.Now, secure: !cfg.InsecureCookies,
		mux: http.NewServeMux(), limits: newTenantLimiter(), logins: cfg.Logins, shedLines: rate.Sometimes{Interval: time.Second},
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.logins == nil {
		s.logins = &identity.Logins{Store: cfg.Store, Now: s.now}
	}
	s.wells = &wells.Service{Store: cfg.Store, Now: s.now}
	s.users = &identity.Users{Store: cfg.Store, Now: s.now}
	s.tenants = &tenancy.Tenants{Store: cfg.Store, Now: s.now}
	if s.idemLease = cfg.IdempotencyLease; s.idemLease <= 0 {
		s.idemLease = DefaultIdempotencyLease
	}
	reg := cfg.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	s.metrics = newMetrics(reg)
	s.curveCache, s.curveGzip = readcache.New(cmp.Or(cfg.CurveCacheBytes, DefaultCurveCacheBytes)), cfg.CurveGzip
	s.curveMetrics = newCurveMetrics(reg, s.curveCache)
	s.shed = newShedder(cfg.MaxInFlight, cfg.QueueWait, reg)
	s.promHandler = promHandler(reg)
	s.meter = newMeter(cfg.Store, s.log)
	s.routes = s.routeTable()
	for _, rt := range s.routes {
		s.mux.Handle(rt.Method+" "+rt.Path, s.wrap(rt))
	}
	s.pages = web.New(web.Config{Store: cfg.Store, Wells: s.wells, Logins: s.logins, Tenant: requestTenant, ClientAddr: clientAddr, Logger: s.log,
		EnqueueJob: s.enqueueJob, CancelJob: s.cancelTenantJob, // forecasts, petrophysics, jobs pages
		SetSession: func(w http.ResponseWriter, token string, expires time.Time) {
			http.SetCookie(w, SessionCookie(token, expires, s.secure))
		},
		// The admin and operator pages.
		Users: s.users, Tenants: s.tenants, Usage: s.tenantUsage, Onboarder: cfg.Onboarder, Offboarder: cfg.Offboarder,
		Exporter: cfg.Exporter, Enqueue: s.enqueue(), RotateKey: cfg.RotateKey, SecureCookies: s.secure, Now: s.now,
		SetOperatorSession: func(w http.ResponseWriter, token string, expires time.Time) {
			http.SetCookie(w, OperatorCookie(token, expires, s.secure))
		},
	})
	for _, pr := range s.pages.Routes() {
		rt := Route{Method: pr.Method, Path: pr.Path, Access: Tenant, Role: pr.Role, Summary: "HTML page", Status: http.StatusOK, handle: pr.Handle}
		if pr.Public {
			rt.Access = Public
		}
		if strings.HasPrefix(pr.Path, "/operator/") && !pr.Public {
			rt.Access = Operator // the control plane's pages: an operator's session only
		}
		s.pageRoutes = append(s.pageRoutes, rt)
		s.mux.Handle(rt.Method+" "+rt.Path, s.wrapPage(rt, nil))
	}
	s.mux.Handle("/", s.wrapPage(Route{Path: "/", Access: Public, handle: func(w http.ResponseWriter, r *http.Request) error {
		return wellbase.Errorf(wellbase.ENotFound, "no route for %s %s", r.Method, r.URL.Path)
	}}, wantsPage))
	return s
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Routes returns the route table of the API.
func (s *Server) Routes() []Route { return s.routes }

// PageRoutes returns the route table of the HTML pages (internal/web), mounted beside the API
// behind the same admission; they are not in the OpenAPI document.
func (s *Server) PageRoutes() []Route { return s.pageRoutes }

// Start runs the background work of the API (usage metering) until ctx ends.
func (s *Server) Start(ctx context.Context) { go s.meter.run(ctx) }

// Close flushes what the API holds in memory (usage counts) to the store.
func (s *Server) Close(ctx context.Context) error { return s.meter.flush(ctx) }
