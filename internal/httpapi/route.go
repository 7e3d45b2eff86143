package httpapi

import (
	"net/http"

	"github.com/wellbase/wellbase"
)

// Access says which credential a route needs.
type Access int

const (
	// Public routes need no credential (health, login, documentation).
	Public Access = iota
	// Operator routes are the control plane: a platform operator's credential.
	Operator
	// Tenant routes are the application plane: a credential of an active tenant, with at least
	// the route's Role.
	Tenant
	// OperatorOrTenant routes under /api/v1/tenants/{tenant}/ serve a platform operator, or a
	// credential of that very tenant with at least the route's Role; another tenant's
	// credential gets 404, as if the tenant did not exist.
	OperatorOrTenant
)

func (a Access) String() string {
	return [...]string{"public", "operator", "tenant", "operator-or-tenant"}[a]
}

// Route is one entry of the route table.
type Route struct {
	Method string
	// Path is the mux pattern path, with {name} wildcards.
	Path   string
	Access Access
	// Role is the least role a tenant credential needs (Tenant routes).
	Role    wellbase.Role
	Summary string
	// Request and Response name schemas of the OpenAPI document ("" for none).
	Request  string
	Response string
	// Status is the success status.
	Status int

	handle func(w http.ResponseWriter, r *http.Request) error
}

// Idempotent reports whether the route takes an Idempotency-Key header (see idempotency.go):
// every POST that creates something is in idempotentRoutes.
func (rt Route) Idempotent() bool { return idempotentRoutes[rt.Method+" "+rt.Path] }

// idempotentRoutes are the routes of routeTable that take an Idempotency-Key: the POSTs that
// create something (a tenant, an export job, a data key version and its job, a user, a token, a
// well, a log, a production import, a job). TestIdempotentRoutes fails for a POST route that is
// neither here nor in its list of reviewed exceptions. Not here: login (a retry makes another
// session, which creates nothing a user sees, and keeping the answer would keep a live session
// token), logout, suspend and resume (setting a state twice is the same as once), job cancel
// (idempotent as it is).
var idempotentRoutes = map[string]bool{
	"POST /api/v1/tenants":                     true,
	"POST /api/v1/tenants/{tenant}/export":     true,
	"POST /api/v1/tenants/{tenant}/rotate-key": true,
	"POST /api/v1/users":                       true,
	"POST /api/v1/tokens":                      true,
	"POST /api/v1/wells":                       true,
	"POST /api/v1/logs":                        true,
	"POST /api/v1/production":                  true,
	"POST /api/v1/jobs":                        true,
}

// routeTable declares every route of the API.
func (s *Server) routeTable() []Route {
	viewer, engineer, admin, owner := wellbase.RoleViewer, wellbase.RoleEngineer, wellbase.RoleAdmin, wellbase.RoleOwner
	return []Route{
		{"GET", "/healthz", Public, "", "Liveness: the process answers", "", "Health", 200, s.healthz},
		{"GET", "/readyz", Public, "", "Readiness: the database and the file store answer", "", "Health", 200, s.readyz},
		{"GET", "/metrics", Public, "", "Prometheus metrics", "", "", 200, s.prometheus},
		{"GET", "/api/v1/openapi.json", Public, "", "This OpenAPI 3 document", "", "", 200, s.openapi},

		{"POST", "/api/v1/tenants", Operator, "", "Onboard a tenant (resumes an interrupted onboarding)", "OnboardRequest", "OnboardResult", 201, s.createTenant},
		{"GET", "/api/v1/tenants", Operator, "", "List tenants", "", "TenantList", 200, s.listTenants},
		{"GET", "/api/v1/tenants/{tenant}", Operator, "", "Get a tenant with its effective limits", "", "TenantView", 200, s.getTenant},
		{"PATCH", "/api/v1/tenants/{tenant}", Operator, "", "Change a tenant's name, tier or limit overrides", "TenantPatch", "TenantView", 200, s.patchTenant},
		{"POST", "/api/v1/tenants/{tenant}/suspend", Operator, "", "Suspend a tenant: its credentials get 403", "", "TenantView", 200, s.suspendTenant},
		{"POST", "/api/v1/tenants/{tenant}/resume", Operator, "", "Resume a suspended tenant", "", "TenantView", 200, s.resumeTenant},
		{"POST", "/api/v1/tenants/{tenant}/rotate-key", Operator, "", "New data key version for the tenant's new writes; a job re-encrypts its files", "", "KeyRotation", 202, s.rotateTenantKey},
		{"DELETE", "/api/v1/tenants/{tenant}", Operator, "", "Offboard a tenant: destroy its data keys, delete its files and records; returns the deletion certificate", "", "DeletionCertificate", 200, s.deleteTenant},
		{"POST", "/api/v1/tenants/{tenant}/export", OperatorOrTenant, owner, "Export everything of the tenant to an archive (a job)", "", "Job", 202, s.exportTenant},
		{"GET", "/api/v1/tenants/{tenant}/exports/{job}", OperatorOrTenant, owner, "Download an export archive (application/zip; 202 with the job while it runs)", "", "application/zip", 200, s.downloadExport},
		{"GET", "/api/v1/control/audit", Operator, "", "The control-plane audit log (deletion certificates, key rotations), newest first", "", "AuditList", 200, s.listControlAudit},

		{"POST", "/api/v1/login", Public, "", "Sign in with email and password; returns a session token and cookie", "LoginRequest", "Session", 200, s.login},
		{"POST", "/api/v1/logout", Tenant, viewer, "End the current session", "", "", 204, s.logout},
		{"GET", "/api/v1/me", Tenant, viewer, "The caller: tenant, user, role", "", "Me", 200, s.me},

		{"POST", "/api/v1/users", Tenant, admin, "Add a user to the tenant", "UserCreate", "User", 201, s.createUser},
		{"GET", "/api/v1/users", Tenant, admin, "List the tenant's users", "", "UserList", 200, s.listUsers},

		{"POST", "/api/v1/tokens", Tenant, viewer, "Create an API token for the caller (shown once)", "TokenCreate", "TokenCreated", 201, s.createToken},
		{"GET", "/api/v1/tokens", Tenant, viewer, "List API tokens (the caller's; all for admins); never the secrets", "", "TokenList", 200, s.listTokens},
		{"DELETE", "/api/v1/tokens/{token}", Tenant, viewer, "Revoke an API token", "", "", 204, s.revokeToken},

		{"POST", "/api/v1/wells", Tenant, engineer, "Create a well", "WellCreate", "Well", 201, s.createWell},
		{"GET", "/api/v1/wells", Tenant, viewer, "List wells", "", "WellList", 200, s.listWells},
		{"GET", "/api/v1/wells/{well}", Tenant, viewer, "Get a well", "", "Well", 200, s.getWell},
		{"PATCH", "/api/v1/wells/{well}", Tenant, engineer, "Change a well", "WellPatch", "Well", 200, s.patchWell},
		{"DELETE", "/api/v1/wells/{well}", Tenant, engineer, "Delete a well", "", "", 204, s.deleteWell},

		{"POST", "/api/v1/logs", Tenant, engineer, "Upload a LAS 1.2/2.0/3.0 file (raw body or multipart field file; ?well=, ?name=)", "LASFile", "WellLog", 201, s.uploadLog},
		{"POST", "/api/v1/las/check", Tenant, engineer, "Check a LAS file as an upload would, storing nothing: its summary and warnings (raw body or multipart field file; ?name=, ?encoding=; at most 32 MiB)", "LASFile", "LASCheck", 200, s.checkLog},
		{"GET", "/api/v1/logs", Tenant, viewer, "List well logs", "", "LogList", 200, s.listLogs},
		{"GET", "/api/v1/wells/{well}/logs", Tenant, viewer, "List a well's logs", "", "LogList", 200, s.listWellLogs},
		{"GET", "/api/v1/logs/{log}", Tenant, viewer, "Get a well log: index, curves, warnings", "", "WellLog", 200, s.getLog},
		{"DELETE", "/api/v1/logs/{log}", Tenant, engineer, "Delete a well log and its stored files", "", "", 204, s.deleteLog},
		{"GET", "/api/v1/logs/{log}/curves/{mnemonic}", Tenant, viewer, "One curve with its index (?top=&base=&max_points=&format=json|csv|f64)", "", "CurveData|text/csv|application/octet-stream", 200, s.getCurve},
		{"GET", "/api/v1/logs/{log}/data", Tenant, viewer, "All curves as CSV, or the log as LAS 2.0 (?format=csv|las&top=&base=)", "", "text/csv|text/plain", 200, s.exportLog},
		{"GET", "/api/v1/logs/{log}/plot.svg", Tenant, viewer, "Composite log plot (?curves=GR,RDEP,DEN,NEU&top=&base=)", "", "image/svg+xml", 200, s.plotLog},

		{"POST", "/api/v1/production", Tenant, engineer, "Import production volumes from CSV or XLSX (?format=csv|xlsx; idempotent)", "ProductionFile", "ProductionImport", 201, s.importProduction},
		{"GET", "/api/v1/wells/{well}/production/plot.svg", Tenant, viewer, "Production rates of one phase or several on one chart, log or linear rate axis (?phase=oil,gas,water&period=&from=&to=&scale=log|linear)", "", "image/svg+xml", 200, s.plotProduction},
		{"GET", "/api/v1/forecasts/{forecast}", Tenant, viewer, "A decline forecast: model, qi, Di, b, fit, EUR, series", "", "Forecast", 200, s.getForecast},
		{"GET", "/api/v1/forecasts/{forecast}/data.csv", Tenant, viewer, "A forecast as CSV: date, kind (history or forecast), rate per day, and on each row the model, qi, Di nominal per year, b and EUR", "", "text/csv", 200, s.forecastCSV},
		{"GET", "/api/v1/forecasts/{forecast}/plot.svg", Tenant, viewer, "History, fit and forecast on a log rate axis, to the abandonment rate or 1 % of qi; the caption gives the model, qi, Di, b and EUR", "", "image/svg+xml", 200, s.plotForecast},
		{"GET", "/api/v1/wells/{well}/production", Tenant, viewer, "A well's production of one phase (?period=day|month&phase=oil&from=&to=)", "", "ProductionSeries", 200, s.wellProduction},

		{"POST", "/api/v1/jobs", Tenant, engineer, "Queue a background job: a type and its params (see JobCreate)", "JobCreate", "Job", 202, s.createJob},
		{"GET", "/api/v1/jobs", Tenant, viewer, "List jobs, newest first", "", "JobList", 200, s.listJobs},
		{"GET", "/api/v1/jobs/{job}", Tenant, viewer, "Get a job: status, attempts, progress, result or error", "", "Job", 200, s.getJob},
		{"POST", "/api/v1/jobs/{job}/cancel", Tenant, engineer, "Cancel a job (a running one stops at its next heartbeat)", "", "Job", 200, s.cancelJob},

		{"GET", "/api/v1/audit", Tenant, admin, "The tenant's audit events, newest first", "", "AuditList", 200, s.listAudit},
		{"GET", "/api/v1/usage", Tenant, viewer, "The tenant's limits and current usage", "", "UsageView", 200, s.usage},
	}
}
