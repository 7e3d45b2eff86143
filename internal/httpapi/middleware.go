package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/identity"
	"github.com/wellbase/wellbase/internal/web"
)

// sessionCookie is the name of the browser session cookie.
const sessionCookie = "wellbase_session"

// wrap returns rt's handler inside the middleware every route shares: request ID, recovery,
// logging and metrics, authentication, tenant rate limit and role check, Idempotency-Key (on
// the routes that take one, see idempotency.go), error answers.
func (s *Server) wrap(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rid := requestID(r)
		w.Header().Set("X-Request-ID", rid)
		ctx := wellbase.NewContextWithRemoteAddr(wellbase.NewContextWithRequestID(r.Context(), rid), clientAddr(r))
		r = r.WithContext(ctx)
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = &trackedBody{ReadCloser: r.Body}
		}
		rec := &statusRecorder{ResponseWriter: w}
		st := &requestState{}
		r = r.WithContext(context.WithValue(r.Context(), requestStateKey{}, st))
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.writeError(rec, r, fmt.Errorf("panic in %s %s: %v", rt.Method, rt.Path, v))
			}
			status := rec.status()
			if st.clientGone {
				status = StatusClientClosedRequest
			}
			s.observe(r, rt, status, wellbase.PrincipalFromContext(r.Context()), time.Since(start))
		}()
		if !exempt(rt) {
			release, err := s.shed.acquire(r.Context())
			if err != nil {
				s.writeError(rec, r, err)
				return
			}
			defer release()
		}
		principal, tenant, err := s.admit(rec, r, rt)
		if principal != nil {
			// Also when admission failed (429, 403): the log line then names who was refused.
			ctx := wellbase.NewContextWithPrincipal(r.Context(), principal)
			r = r.WithContext(context.WithValue(ctx, tenantKey{}, tenant))
		}
		if err == nil && tenant != nil && !exempt(rt) {
			var leave func()
			if leave, err = s.shed.enter(tenant.ID); err == nil {
				defer leave()
			}
			if err == nil && costlyRoutes[rt.Method+" "+rt.Path] {
				if leave, err = s.shed.enterCostly(r.Context(), tenant.ID); err == nil {
					defer leave()
				}
			}
		}
		if err == nil && rt.Idempotent() {
			var key string
			var ok bool
			if key, ok, err = idempotencyKey(r); ok && err == nil {
				s.serveIdempotent(rec, r, rt, key)
				return
			}
		}
		if err == nil {
			err = rt.handle(rec, r)
			if tenant != nil {
				s.limits.charge(tenant, st.extraUnits())
			}
		}
		if err != nil {
			s.writeError(rec, r, err)
		}
	})
}

// admit authenticates r as rt requires and applies the tenant's rate limit and the route's
// role. It returns the principal and, for tenant credentials, the tenant as of this request.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, rt Route) (*wellbase.Principal, *wellbase.Tenant, error) {
	if isPage(r) && unsafeMethod(r.Method) && !sameOrigin(r) {
		// Every form of the pages, signed in or not (the sign-in form too: no login CSRF).
		return nil, nil, wellbase.Errorf(wellbase.EForbidden, "cross-origin form refused: submit it from this site's own page")
	}
	if rt.Access == Public {
		return nil, nil, nil
	}
	token, fromCookie := credential(r)
	if rt.Access == Operator && isPage(r) {
		// The control plane's pages read the operators' cookie only. A tenant's credential gets
		// the 404 page: a tenant user has no control plane.
		token, fromCookie = "", true
		if c, err := r.Cookie(web.OperatorCookie); err == nil {
			token = c.Value
		} else if t, _ := credential(r); t != "" {
			return nil, nil, wellbase.Errorf(wellbase.ENotFound, "no such page")
		}
	}
	if token == "" {
		return nil, nil, wellbase.Errorf(wellbase.EUnauthorized, "a credential is required: send Authorization: Bearer <token>")
	}
	p, t, err := identity.Authenticate(r.Context(), s.store, token, s.now())
	if err != nil {
		return nil, nil, err
	}
	if fromCookie && unsafeMethod(r.Method) && !sameOrigin(r) {
		return nil, nil, wellbase.Errorf(wellbase.EForbidden, "cross-origin request refused for a cookie session")
	}
	switch rt.Access {
	case Operator:
		if !p.Operator {
			return p, nil, wellbase.Errorf(wellbase.EForbidden, "this is a control-plane route: it needs a platform operator credential")
		}
	case OperatorOrTenant:
		if p.Operator {
			return p, nil, nil
		}
		if r.PathValue("tenant") != p.TenantID {
			return p, t, wellbase.Errorf(wellbase.ENotFound, "tenant %q not found", clipID(r.PathValue("tenant")))
		}
		fallthrough
	case Tenant:
		if p.Operator {
			return p, nil, wellbase.Errorf(wellbase.EForbidden, "this route needs a tenant user's credential; platform operators use the control plane")
		}
		if err := s.limits.allow(t); err != nil {
			return p, t, err
		}
		s.meter.add(t.ID)
		if !p.Role.AtLeast(rt.Role) {
			return p, t, wellbase.Errorf(wellbase.EForbidden, "role %s may not do this; it needs %s or above", p.Role, rt.Role)
		}
	}
	return p, t, nil
}

type tenantKey struct{}

type pageKey struct{}

// wrapPage is wrap for an HTML page route: the page's security headers, and errors answered as
// HTML pages (web.App.WriteError) instead of problem+json. With only, the request is a page
// request only when only says so (the catch-all route: an unknown path asked for by a browser).
func (s *Server) wrapPage(rt Route, only func(*http.Request) bool) http.Handler {
	h := s.wrap(rt)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if only == nil || only(r) {
			web.SetHeaders(w.Header())
			r = r.WithContext(context.WithValue(r.Context(), pageKey{}, true))
		}
		h.ServeHTTP(w, r)
	})
}

// isPage reports whether r is served as an HTML page (see wrapPage).
func isPage(r *http.Request) bool { return r.Context().Value(pageKey{}) != nil }

// wantsPage reports whether a request for an unknown path is a browser's, to be answered with
// an HTML 404 page: not under /api/, and accepting text/html.
func wantsPage(r *http.Request) bool {
	return !strings.HasPrefix(r.URL.Path, "/api/") && strings.Contains(r.Header.Get("Accept"), "text/html")
}

// requestTenant returns the tenant record of the request's credential, read when it was
// authenticated (tenant routes only).
func requestTenant(r *http.Request) *wellbase.Tenant {
	t, _ := r.Context().Value(tenantKey{}).(*wellbase.Tenant)
	return t
}

// credential returns the request's bearer token, from the Authorization header or else the
// session cookie.
func credential(r *http.Request) (token string, fromCookie bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(tok), false
		}
		return "", false
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value, true
	}
	return "", false
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// sameOrigin reports whether a cookie-authenticated request comes from a page of this host:
// an Origin header, when the browser sends one, must name the request's host.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return r.Header.Get("Sec-Fetch-Site") == "" || r.Header.Get("Sec-Fetch-Site") == "same-origin"
	}
	_, host, ok := strings.Cut(o, "://")
	return ok && host == r.Host
}

// requestID returns the caller's X-Request-ID if it is short and plain, else a new random one.
func requestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-ID"); id != "" && len(id) <= 64 && !strings.ContainsFunc(id, func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')
	}) {
		return id
	}
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// clientAddr returns the client's IP address (the connection's peer; a proxy-aware variant is
// the deployment's job, behind a load balancer that sets it).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// observe logs the request and records its metrics. The log line never carries credentials.
func (s *Server) observe(r *http.Request, rt Route, status int, p *wellbase.Principal, d time.Duration) {
	attrs := []slog.Attr{
		slog.String("request_id", wellbase.RequestIDFromContext(r.Context())),
		slog.String("method", r.Method),
		slog.String("route", rt.Path),
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
		slog.Float64("duration_ms", float64(d.Microseconds())/1000),
		slog.String("remote", clientAddr(r)),
	}
	if t := r.PathValue("tenant"); t != "" {
		attrs = append(attrs, slog.String("target_tenant", clipID(t)))
	}
	if p != nil {
		if p.Operator {
			attrs = append(attrs, slog.String("operator", p.UserID))
		} else {
			attrs = append(attrs, slog.String("tenant", p.TenantID), slog.String("user", p.UserID))
		}
	}
	s.metrics.requests.WithLabelValues(r.Method, rt.Path, strconv.Itoa(status)).Inc()
	s.metrics.duration.WithLabelValues(r.Method, rt.Path).Observe(d.Seconds())
	if stateOf(r).shed {
		// Past saturation a line per refusal would add load when it is least affordable: one
		// line a second, with how many refusals it stands for.
		s.shedQuiet.Add(1)
		logged := false
		s.shedLines.Do(func() { logged = true })
		if !logged {
			return
		}
		attrs = append(attrs, slog.Int64("shed_since_last_line", s.shedQuiet.Swap(0)-1))
	}
	level := slog.LevelInfo
	switch {
	case status == StatusClientClosedRequest: // the client's doing
	case stateOf(r).shed:
		level = slog.LevelWarn // overload, not a fault: the shed counter says how much
	case status >= 500 && !(rt.Path == "/readyz" && s.draining.Load()): // a draining replica's 503 is no fault
		level = slog.LevelError
	}
	s.log.LogAttrs(r.Context(), level, "request", attrs...)
}

// StatusClientClosedRequest is the status logged and counted for a request whose client went
// away before it was answered (nginx's 499; never sent, there is no one to send it to).
const StatusClientClosedRequest = 499

// requestState is what the middleware learns of a request while it is served, for its log line.
type requestState struct {
	clientGone bool // the client closed the connection before the answer was complete
	shed       bool // refused by load shedding
	// samples read or drawn by the handler beyond an ordinary request (cost.go).
	samples atomic.Int64
}

type requestStateKey struct{}

func stateOf(r *http.Request) *requestState {
	if st, ok := r.Context().Value(requestStateKey{}).(*requestState); ok {
		return st
	}
	return &requestState{}
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// headerWritten reports whether the answer's status line went out already.
func (w *statusRecorder) headerWritten() bool { return w.code != 0 }

func (w *statusRecorder) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}

func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
