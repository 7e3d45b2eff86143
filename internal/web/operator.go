package web

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/identity"
	"github.com/wellbase/wellbase/internal/tenancy"
)

// The platform operators' pages, under /operator/: the control plane in the browser.
//
// # Signing in
//
// An operator signs in by pasting the operator token that `wellbase operator create` printed
// (wbo_…) into the sign-in form once; identity.OperatorSignIn exchanges it for an operator
// session of at most 8 hours, held in its own cookie (OperatorCookie: HttpOnly, Secure,
// SameSite=Strict, Path=/operator). Operators have no password: the token is already their
// credential, made by someone with access to the database, and a second secret (a password with
// its reset flow) would be another thing to steal and to run; the browser never keeps the
// long-lived token, only a session that expires and that signing out revokes. Sign-in and
// sign-out are in the control-plane audit log. A tenant's session cookie is never read on these
// pages (a tenant user gets the 404 page), and the operator cookie is never sent to the tenant
// pages, nor accepted there.

// OperatorCookie is the name of the operators' session cookie.
const OperatorCookie = "wellbase_operator"

// operatorPages are the templates of the operator pages (each parsed with op_layout.html).
var operatorPages = []string{"op_signin", "op_tenants", "op_tenant_new", "op_onboarded", "op_tenant", "op_certificate", "op_audit", "op_error"}

func (a *App) operatorRoutes() []Route {
	return []Route{
		{"GET", "/operator/signin", true, "", a.opSigninPage},
		{"POST", "/operator/signin", true, "", a.opSignin},
		{"POST", "/operator/signout", false, "", a.opSignout},
		{"GET", "/operator/{$}", false, "", a.opHome},
		{"GET", "/operator/tenants", false, "", a.opTenants},
		{"GET", "/operator/tenants/new", false, "", a.opNewTenant},
		{"POST", "/operator/tenants", false, "", a.opOnboard},
		{"GET", "/operator/tenants/{tenant}", false, "", a.opTenant},
		{"POST", "/operator/tenants/{tenant}/suspend", false, "", a.opSuspend},
		{"POST", "/operator/tenants/{tenant}/resume", false, "", a.opResume},
		{"POST", "/operator/tenants/{tenant}/limits", false, "", a.opLimits},
		{"POST", "/operator/tenants/{tenant}/rotate-key", false, "", a.opRotateKey},
		{"POST", "/operator/tenants/{tenant}/export", false, "", a.opExport},
		{"GET", "/operator/tenants/{tenant}/exports/{job}", false, "", a.opDownloadExport},
		{"POST", "/operator/tenants/{tenant}/offboard", false, "", a.opOffboard},
		{"GET", "/operator/audit", false, "", a.opAudit},
	}
}

// opView is what the operator templates get.
type opView struct {
	Title string
	// Op is the signed-in operator's email ("" on the sign-in page).
	Op   string
	Data any
}

// renderOp writes an operator page with status (see render).
func (a *App) renderOp(w http.ResponseWriter, r *http.Request, status int, page, title string, data any) error {
	v := opView{Title: title, Data: data}
	if p := wellbase.PrincipalFromContext(r.Context()); p != nil && p.Operator {
		v.Op = p.Email
	}
	return a.writePage(w, status, page, "op_layout.html", v)
}

// safeOpNext returns next if it is an operator page, else the tenants list.
func safeOpNext(next string) string {
	if n := safeNext(next); strings.HasPrefix(n, "/operator/") {
		return n
	}
	return "/operator/tenants"
}

type opSigninView struct{ Next, Error string }

func (a *App) opSigninPage(w http.ResponseWriter, r *http.Request) error {
	return a.renderOp(w, r, http.StatusOK, "op_signin", "Operator sign-in", opSigninView{Next: safeOpNext(r.URL.Query().Get("next"))})
}

func (a *App) opSignin(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	v := opSigninView{Next: safeOpNext(r.PostForm.Get("next"))}
	ses, err := identity.OperatorSignIn(r.Context(), a.cfg.Store, strings.TrimSpace(r.PostForm.Get("token")), a.cfg.ClientAddr(r), a.now())
	if err != nil {
		if wellbase.ErrorCode(err) != wellbase.EUnauthorized {
			return err
		}
		v.Error = wellbase.ErrorMessage(err)
		return a.renderOp(w, r, http.StatusUnauthorized, "op_signin", "Operator sign-in", v)
	}
	a.cfg.SetOperatorSession(w, ses.Token, ses.Credential.ExpiresAt)
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
	return nil
}

func (a *App) opSignout(w http.ResponseWriter, r *http.Request) error {
	if err := identity.OperatorSignOut(r.Context(), a.cfg.Store, wellbase.PrincipalFromContext(r.Context()), a.now()); err != nil {
		return err
	}
	a.cfg.SetOperatorSession(w, "", a.now())
	http.Redirect(w, r, "/operator/signin", http.StatusSeeOther)
	return nil
}

func (a *App) opHome(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, "/operator/tenants", http.StatusSeeOther)
	return nil
}

// tenantRow is a tenant in the list, with its usage.
type tenantRow struct {
	*wellbase.Tenant
	Usage  wellbase.Usage
	Limits wellbase.Limits
}

type opTenantsView struct {
	Tenants []tenantRow
	Deleted []string // offboarded tenants' IDs on this page
	Next    string
	First   bool
	Notice  string
}

// opTenantsPageSize is the number of tenants on a page of the list (each reads its usage).
const opTenantsPageSize = 50

func (a *App) opTenants(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	cursor := r.URL.Query().Get("cursor")
	if wellbase.ValidateTenantID(cursor) != nil && cursor != "" {
		return wellbase.Errorf(wellbase.EBadRequest, "the cursor is malformed: follow the Next link")
	}
	ts, next, err := a.cfg.Store.ListTenants(ctx, wellbase.Page{Limit: opTenantsPageSize, After: cursor})
	if err != nil {
		return err
	}
	v := opTenantsView{Next: next, First: cursor != "", Notice: notice(r)}
	for _, t := range ts {
		// An offboarded tenant is a tombstone (its ID cannot be taken again): it is named under
		// the table, not listed among the tenants.
		if t.Status == wellbase.TenantDeleted {
			v.Deleted = append(v.Deleted, t.ID)
			continue
		}
		row := tenantRow{Tenant: t, Limits: t.EffectiveLimits()}
		if t.Status != wellbase.TenantDeleted {
			if row.Usage, err = a.cfg.Usage(ctx, t.ID); err != nil {
				return err
			}
		}
		v.Tenants = append(v.Tenants, row)
	}
	return a.renderOp(w, r, http.StatusOK, "op_tenants", "Tenants", v)
}

// onboardForm is the onboarding form's data.
type onboardForm struct {
	ID, Name, Tier, AdminEmail string
	Errors                     map[string]string
	Message                    string
	Tiers                      []wellbase.Tier
}

var tiers = []wellbase.Tier{wellbase.TierBasic, wellbase.TierStandard, wellbase.TierPremium}

func (a *App) opNewTenant(w http.ResponseWriter, r *http.Request) error {
	return a.renderOp(w, r, http.StatusOK, "op_tenant_new", "Onboard a tenant", onboardForm{Tier: string(wellbase.TierStandard), Tiers: tiers, Errors: map[string]string{}})
}

// onboardedView is the onboarding's result: the tenant, the time of each step, and the owner's
// onboarding token, shown on this page only.
type onboardedView struct {
	Tenant     *wellbase.Tenant
	Report     tenancy.Report
	AdminToken string
	Password   bool
}

func (a *App) opOnboard(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	form := onboardForm{ID: strings.TrimSpace(f.Get("id")), Name: f.Get("name"), Tier: f.Get("tier"), AdminEmail: f.Get("admin_email"), Tiers: tiers, Errors: map[string]string{}}
	if f.Get("admin_password") != f.Get("admin_password2") {
		form.Errors["admin_password2"] = "the two passwords differ"
		return a.renderOp(w, r, http.StatusUnprocessableEntity, "op_tenant_new", "Onboard a tenant", form)
	}
	req := tenancy.Request{ID: form.ID, Name: form.Name, Tier: wellbase.Tier(form.Tier), AdminEmail: form.AdminEmail, AdminPassword: f.Get("admin_password")}
	res, err := a.cfg.Onboarder.Onboard(r.Context(), req, wellbase.PrincipalFromContext(r.Context()))
	if err != nil {
		switch wellbase.ErrorCode(err) {
		case wellbase.EInvalid, wellbase.EConflict:
			fld := wellbase.ErrorField(err)
			if fld == "" {
				form.Message = wellbase.ErrorMessage(err)
			} else {
				form.Errors[fld] = wellbase.ErrorMessage(err)
			}
			return a.renderOp(w, r, http.StatusUnprocessableEntity, "op_tenant_new", "Onboard a tenant", form)
		}
		return err
	}
	// Answered, not redirected: the owner's token exists only in this answer (no-store).
	return a.renderOp(w, r, http.StatusCreated, "op_onboarded", "Onboarded "+res.Tenant.ID,
		onboardedView{Tenant: res.Tenant, Report: res.Onboarding, AdminToken: res.AdminToken, Password: req.AdminPassword != ""})
}

// limitField is one limit of the override form.
type limitField struct {
	Name, Label, Unit, Default, Override, Effective, Error string
}

// Readable writes a limit's value for people: byte limits in decimal units.
func (f limitField) Readable(v string) string {
	if f.Unit != "bytes" {
		return v
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return v
	}
	num, unit := bytesText(float64(n))
	return num + " " + unit
}

type opTenantView struct {
	Tenant  *wellbase.Tenant
	Usage   wellbase.Usage
	Limits  []limitField
	Exports []*wellbase.Job
	// Keys are the tenant's data key versions, oldest first (the last one encrypts new writes);
	// Reencryptions the re-encryption jobs of its rotations, newest first.
	Keys          []*wellbase.WrappedKey
	CurrentKey    *wellbase.WrappedKey
	Reencryptions []*wellbase.Job
	Notice        string
	Error         string
	Live          bool
	// Confirm is what the offboarding form was sent with, when it did not match.
	Confirm string
}

func (a *App) opTenantView(r *http.Request) (opTenantView, error) {
	ctx := r.Context()
	t, err := a.cfg.Tenants.Get(ctx, r.PathValue("tenant"))
	if err != nil {
		return opTenantView{}, err
	}
	v := opTenantView{Tenant: t, Notice: notice(r), Live: t.Status != wellbase.TenantDeleted && t.Status != wellbase.TenantOffboarding}
	if v.Live {
		if v.Usage, err = a.cfg.Usage(ctx, t.ID); err != nil {
			return v, err
		}
		if v.Exports, err = tenancy.ExportJobs(ctx, a.cfg.Store, t.ID, 200); err != nil {
			return v, err
		}
		if v.Reencryptions, err = tenancy.JobsOfType(ctx, a.cfg.Store, t.ID, tenancy.ReencryptJob, 200); err != nil {
			return v, err
		}
		if v.Keys, err = a.cfg.Store.Tenant(t.ID).DataKeys(ctx); err != nil {
			return v, err
		}
		if len(v.Keys) > 0 {
			v.CurrentKey = v.Keys[len(v.Keys)-1]
		}
	}
	d, e, o := t.Tier.Defaults(), t.EffectiveLimits(), t.Limits
	ip := func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	}
	i64 := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	f64 := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	v.Limits = []limitField{
		{"requests_per_second", "Requests per second", "requests/s", f64(&d.RequestsPerSecond), f64(o.RequestsPerSecond), f64(&e.RequestsPerSecond), ""},
		{"burst", "Burst", "requests", strconv.Itoa(d.Burst), ip(o.Burst), strconv.Itoa(e.Burst), ""},
		{"storage_bytes", "Storage", "bytes", i64(&d.StorageBytes), i64(o.StorageBytes), i64(&e.StorageBytes), ""},
		{"max_users", "Users", "", strconv.Itoa(d.MaxUsers), ip(o.MaxUsers), strconv.Itoa(e.MaxUsers), ""},
		{"concurrent_jobs", "Concurrent jobs", "jobs", strconv.Itoa(d.ConcurrentJobs), ip(o.ConcurrentJobs), strconv.Itoa(e.ConcurrentJobs), ""},
		{"upload_bytes", "Largest upload", "bytes", i64(&d.UploadBytes), i64(o.UploadBytes), i64(&e.UploadBytes), ""},
	}
	return v, nil
}

func (a *App) opTenant(w http.ResponseWriter, r *http.Request) error {
	v, err := a.opTenantView(r)
	if err != nil {
		return err
	}
	return a.renderOp(w, r, http.StatusOK, "op_tenant", "Tenant "+v.Tenant.ID, v)
}

// opTenantError shows the tenant page again with err's message (a conflict or invalid input),
// or returns err.
func (a *App) opTenantError(w http.ResponseWriter, r *http.Request, err error, edit func(*opTenantView)) error {
	switch wellbase.ErrorCode(err) {
	case wellbase.EInvalid, wellbase.EConflict, wellbase.EBadRequest:
	default:
		return err
	}
	v, verr := a.opTenantView(r)
	if verr != nil {
		return verr
	}
	v.Error = wellbase.ErrorMessage(err)
	if edit != nil {
		edit(&v)
	}
	return a.renderOp(w, r, http.StatusUnprocessableEntity, "op_tenant", "Tenant "+v.Tenant.ID, v)
}

func (a *App) backToTenant(w http.ResponseWriter, r *http.Request, id, done string) error {
	http.Redirect(w, r, "/operator/tenants/"+id+"?done="+url.QueryEscape(done), http.StatusSeeOther)
	return nil
}

func (a *App) opSuspend(w http.ResponseWriter, r *http.Request) error {
	t, err := a.cfg.Tenants.Suspend(r.Context(), r.PathValue("tenant"))
	if err != nil {
		return a.opTenantError(w, r, err, nil)
	}
	return a.backToTenant(w, r, t.ID, "Suspended: its users and tokens are refused until it is resumed.")
}

func (a *App) opResume(w http.ResponseWriter, r *http.Request) error {
	t, err := a.cfg.Tenants.Resume(r.Context(), r.PathValue("tenant"))
	if err != nil {
		return a.opTenantError(w, r, err, nil)
	}
	return a.backToTenant(w, r, t.ID, "Resumed: the tenant is active again.")
}

// opLimits sets the limit overrides the form sends: a value overrides the tier's default; an
// empty field keeps the override as it is (overrides are merged, as in the API).
func (a *App) opLimits(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	var o wellbase.LimitOverrides
	bad := map[string]string{}
	for _, name := range []string{"requests_per_second", "burst", "storage_bytes", "max_users", "concurrent_jobs", "upload_bytes"} {
		s := strings.TrimSpace(r.PostForm.Get(name))
		if s == "" {
			continue
		}
		switch name {
		case "requests_per_second":
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				bad[name] = name + " must be a number, got " + strconv.Quote(clip(s))
			}
			o.RequestsPerSecond = &v
		case "storage_bytes", "upload_bytes":
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				bad[name] = name + " must be a whole number of bytes, got " + strconv.Quote(clip(s))
			}
			if name == "storage_bytes" {
				o.StorageBytes = &v
			} else {
				o.UploadBytes = &v
			}
		default:
			v, err := strconv.Atoi(s)
			if err != nil {
				bad[name] = name + " must be a whole number, got " + strconv.Quote(clip(s))
			}
			switch name {
			case "burst":
				o.Burst = &v
			case "max_users":
				o.MaxUsers = &v
			case "concurrent_jobs":
				o.ConcurrentJobs = &v
			}
		}
	}
	var err error
	if len(bad) > 0 {
		for name, msg := range bad {
			err = wellbase.FieldError(wellbase.EInvalid, "limits."+name, "%s", msg)
			break
		}
	} else {
		_, err = a.cfg.Tenants.Update(r.Context(), r.PathValue("tenant"), tenancy.Change{Limits: &o})
	}
	if err != nil {
		return a.opTenantError(w, r, err, func(v *opTenantView) {
			fld := strings.TrimPrefix(wellbase.ErrorField(err), "limits.")
			for i := range v.Limits {
				v.Limits[i].Override = r.PostForm.Get(v.Limits[i].Name)
				if v.Limits[i].Name == fld {
					v.Limits[i].Error = wellbase.ErrorMessage(err)
				}
			}
		})
	}
	return a.backToTenant(w, r, r.PathValue("tenant"), "Limits saved.")
}

func (a *App) opRotateKey(w http.ResponseWriter, r *http.Request) error {
	if a.cfg.RotateKey == nil {
		return wellbase.Errorf(wellbase.EUnavailable, "key rotation is not configured")
	}
	t, err := a.cfg.Tenants.Get(r.Context(), r.PathValue("tenant"))
	if err != nil {
		return err
	}
	rot, err := a.cfg.RotateKey(r.Context(), t.ID, wellbase.PrincipalFromContext(r.Context()).Actor())
	if err != nil {
		return a.opTenantError(w, r, err, nil)
	}
	return a.backToTenant(w, r, t.ID, fmt.Sprintf("Data key version %d made; job %s re-encrypts the tenant's files with it.", rot.NewVersion, rot.Job.ID))
}

func (a *App) opExport(w http.ResponseWriter, r *http.Request) error {
	if a.cfg.Enqueue == nil || a.cfg.Exporter == nil {
		return wellbase.Errorf(wellbase.EUnavailable, "exports are not configured")
	}
	j, err := a.cfg.Tenants.StartExport(r.Context(), r.PathValue("tenant"), a.cfg.Enqueue)
	if err != nil {
		return a.opTenantError(w, r, err, nil)
	}
	return a.backToTenant(w, r, j.TenantID, "Export "+j.ID+" queued: its download appears below when it has run.")
}

// opDownloadExport sends a finished export archive; before that, it goes back to the tenant
// page, which shows the job's status.
func (a *App) opDownloadExport(w http.ResponseWriter, r *http.Request) error {
	if a.cfg.Exporter == nil {
		return wellbase.Errorf(wellbase.EUnavailable, "exports are not configured")
	}
	t, err := a.cfg.Tenants.Live(r.Context(), r.PathValue("tenant"))
	if err != nil {
		return err
	}
	j, f, err := a.cfg.Exporter.OpenExport(r.Context(), t.ID, r.PathValue("job"))
	if err != nil {
		return err
	}
	if f == nil {
		return a.backToTenant(w, r, t.ID, "Export "+j.ID+" is "+string(j.Status)+": reload this page in a moment.")
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": t.ID + "-export-" + j.ID + ".zip"}))
	w.Header().Set("Cache-Control", "no-store")
	_, err = io.Copy(w, io.NewSectionReader(f, 0, f.Size()))
	return err
}

// opOffboard deletes the tenant when the form's confirm field is its ID, and shows the deletion
// certificate.
func (a *App) opOffboard(w http.ResponseWriter, r *http.Request) error {
	if a.cfg.Offboarder == nil {
		return wellbase.Errorf(wellbase.EUnavailable, "offboarding is not configured")
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	t, err := a.cfg.Tenants.Get(r.Context(), r.PathValue("tenant"))
	if err != nil {
		return err
	}
	if confirm := strings.TrimSpace(r.PostForm.Get("confirm")); confirm != t.ID {
		return a.opTenantError(w, r, wellbase.FieldError(wellbase.EInvalid, "confirm", "type the tenant ID %s exactly to confirm the deletion", t.ID),
			func(v *opTenantView) { v.Confirm = confirm })
	}
	p := wellbase.PrincipalFromContext(r.Context())
	cert, err := a.cfg.Offboarder.Delete(r.Context(), t.ID, p.Actor(), wellbase.RequestIDFromContext(r.Context()), a.cfg.ClientAddr(r))
	if err != nil {
		return a.opTenantError(w, r, err, nil)
	}
	return a.renderOp(w, r, http.StatusOK, "op_certificate", "Deletion certificate of "+t.ID, cert)
}

type opAuditView struct {
	Events []*wellbase.AuditEvent
	Next   string
	First  bool
}

func (a *App) opAudit(w http.ResponseWriter, r *http.Request) error {
	cursor := r.URL.Query().Get("cursor")
	if !validCursor(cursor) {
		return wellbase.Errorf(wellbase.EBadRequest, "the cursor is malformed: follow the Older link")
	}
	es, next, err := a.cfg.Store.ListControlAudit(r.Context(), wellbase.Page{Limit: auditPageSize, After: cursor})
	if err != nil {
		return err
	}
	return a.renderOp(w, r, http.StatusOK, "op_audit", "Control-plane audit log", opAuditView{Events: es, Next: next, First: cursor != ""})
}

// stepTexts say what each onboarding step does, for the onboarding result.
var stepTexts = map[string]string{
	tenancy.StepRecord:     "the tenant record, status provisioning",
	tenancy.StepDataKey:    "the tenant's AES-256 data key, wrapped by the root key",
	tenancy.StepFilePrefix: "its prefix in the file store",
	tenancy.StepAdmin:      "the first owner and their onboarding token",
	tenancy.StepDefaults:   "default settings",
	tenancy.StepActivate:   "status active, audit event",
}

func init() {
	// Template functions of the admin and operator pages.
	funcs["bytes"] = func(v int64) string {
		n, unit := bytesText(float64(v))
		return n + " " + unit
	}
	funcs["ms"] = func(v float64) string {
		if v < 10 {
			return strconv.FormatFloat(v, 'f', 2, 64) + " ms"
		}
		return formatNumber(v) + " ms"
	}
	funcs["count"] = func(v int64) string { return formatNumber(float64(v)) }
	funcs["stepText"] = func(name string) string { return stepTexts[name] }
}
