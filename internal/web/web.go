// Package web is Wellbase's HTML application: server-rendered pages (html/template) and their
// embedded assets, served by the same binary at / beside the JSON API at /api/v1.
//
// The pages call the same application services as the API (wells.Service, identity.Logins, the
// store's tenant-scoped reads); they never do service work themselves. The package declares its
// route table (Routes); internal/httpapi mounts every route behind the same admission as the
// API (session cookie → principal, active tenant, rate limit, role), and answers a page's
// errors with WriteError: a request without a valid session is redirected to the sign-in page
// (303), another tenant's resource is a 404 page, a role too low a 403 page.
//
// # Security
//
// Every page carries a strict Content-Security-Policy (SetHeaders: default-src 'self', no
// inline script or style, frame-ancestors 'none'), X-Content-Type-Options: nosniff and
// Referrer-Policy: same-origin. Templates contain no inline <script> and no style= attribute.
// State-changing forms (sign-in, sign-out, well create and edit) are POSTs that the server's
// same-origin check guards (Origin, else Sec-Fetch-Site, must be this host), and the session
// cookie is SameSite=Strict, so a cross-site form carries no session at all.
package web

import (
	"context"
	"embed"
	"encoding/json"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/identity"
	"github.com/wellbase/wellbase/internal/tenancy"
	"github.com/wellbase/wellbase/internal/wells"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config holds the services the pages call and the hooks of the server that mounts them.
type Config struct {
	Store  wellbase.Store
	Wells  *wells.Service
	Logins *identity.Logins
	// Tenant returns the tenant record of a request admitted with a tenant credential (read
	// when the credential was checked).
	Tenant func(*http.Request) *wellbase.Tenant
	// SetSession sets the session cookie to token until expires; an empty token clears it.
	SetSession func(w http.ResponseWriter, token string, expires time.Time)
	// ClientAddr returns the client's IP address (failed-login budgets, audit).
	ClientAddr func(*http.Request) string
	Logger     *slog.Logger

	// The logs, production, forecasts and jobs pages (analysis.go).
	// EnqueueJob validates params for the job type typ, queues the job for the request's tenant
	// and user and audits it, as POST /api/v1/jobs does; CancelJob cancels the request tenant's
	// job as POST /api/v1/jobs/{job}/cancel does.
	EnqueueJob func(r *http.Request, typ string, params json.RawMessage) (*wellbase.Job, error)
	CancelJob  func(r *http.Request, id string) (*wellbase.Job, error)

	// The admin and operator pages (admin.go, operator.go).
	Users   *identity.Users
	Tenants *tenancy.Tenants
	// Usage returns what a tenant uses now (users, wells, tokens, stored bytes, today's requests).
	Usage      func(ctx context.Context, tenant string) (wellbase.Usage, error)
	Onboarder  *tenancy.Onboarder
	Offboarder *tenancy.Offboarder
	Exporter   *tenancy.Exporter
	// Enqueue queues a job (jobs.Queue.Enqueue); RotateKey as httpapi.Config's.
	Enqueue   func(ctx context.Context, tenant, typ string, params json.RawMessage, createdBy string) (*wellbase.Job, error)
	RotateKey func(ctx context.Context, tenant, actor string) (*tenancy.KeyRotation, error)
	// SetOperatorSession sets the operators' session cookie (OperatorCookie) to token until
	// expires; an empty token clears it.
	SetOperatorSession func(w http.ResponseWriter, token string, expires time.Time)
	// SecureCookies sets Secure on the cookies the pages set themselves.
	SecureCookies bool
	// Now returns the current time; time.Now if nil.
	Now func() time.Time
}

// App serves the pages.
type App struct {
	cfg    Config
	pages  map[string]*template.Template
	static http.Handler
	routes []Route
}

// Route is one page route. Handle writes the page, or returns an error for WriteError.
type Route struct {
	Method string
	// Path is the mux pattern path, with {name} wildcards.
	Path string
	// Public routes need no session (sign-in, assets); the others need a tenant user's session
	// with at least Role.
	Public bool
	Role   wellbase.Role
	Handle func(w http.ResponseWriter, r *http.Request) error
}

// New parses the templates and returns the application. It panics if a template does not parse
// (they are embedded: a test catches it).
func New(cfg Config) *App {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.ClientAddr == nil {
		cfg.ClientAddr = func(r *http.Request) string { return r.RemoteAddr }
	}
	a := &App{cfg: cfg, pages: map[string]*template.Template{}}
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html"))
	for _, page := range []string{"signin", "wells", "well", "wellform", "error"} {
		a.pages[page] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, "templates/"+page+".html"))
	}
	for _, page := range adminPages {
		a.pages[page] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, "templates/admin_tabs.html", "templates/"+page+".html"))
	}
	opBase := template.Must(template.New("op_layout.html").Funcs(funcs).ParseFS(templateFS, "templates/op_layout.html"))
	for _, page := range operatorPages {
		a.pages[page] = template.Must(template.Must(opBase.Clone()).ParseFS(templateFS, "templates/"+page+".html"))
	}
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	a.static = http.StripPrefix("/static/", http.FileServerFS(sub))
	viewer, engineer := wellbase.RoleViewer, wellbase.RoleEngineer
	a.routes = []Route{
		{"GET", "/static/{path...}", true, "", a.asset},
		{"GET", "/signin", true, "", a.signinPage},
		{"POST", "/signin", true, "", a.signin},
		{"POST", "/signout", false, viewer, a.signout},
		{"GET", "/{$}", false, viewer, a.home},
		{"GET", "/wells", false, viewer, a.wellsPage},
		{"POST", "/wells", false, engineer, a.createWell},
		{"GET", "/wells/new", false, engineer, a.newWellPage},
		{"GET", "/wells/{well}", false, viewer, a.wellPage},
		{"GET", "/wells/{well}/edit", false, engineer, a.editWellPage},
		{"POST", "/wells/{well}", false, engineer, a.updateWell},
	}
	a.addAnalysisPages() // logs, production, forecasts, jobs (analysis.go)
	a.routes = append(a.routes, a.adminRoutes()...)
	a.routes = append(a.routes, a.operatorRoutes()...)
	return a
}

// Routes returns the page route table.
func (a *App) Routes() []Route { return a.routes }

// ContentSecurityPolicy is the policy of every page: only this origin's scripts, styles and
// images (data: images for CSS), no plugins, no <base>, forms only to this origin, never framed.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// SetHeaders sets the security headers every page and asset answer carries.
func SetHeaders(h http.Header) {
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
}

func (a *App) asset(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "public, max-age=300")
	a.static.ServeHTTP(w, r)
	return nil
}
