package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/identity"
)

// The tenant admin pages: users and roles, API tokens, the audit log, usage against limits.
// Every route needs the admin role (owners too); lower roles get the 403 page, and the layout
// shows them no link.

// adminPages are the templates of the admin pages.
var adminPages = []string{"admin_users", "admin_tokens", "admin_audit", "admin_usage"}

func (a *App) adminRoutes() []Route {
	admin := wellbase.RoleAdmin
	return []Route{
		{"GET", "/admin", false, admin, a.adminHome},
		{"GET", "/admin/users", false, admin, a.usersPage},
		{"POST", "/admin/users", false, admin, a.createUser},
		{"POST", "/admin/users/{user}", false, admin, a.updateUser},
		{"GET", "/admin/tokens", false, admin, a.tokensPage},
		{"POST", "/admin/tokens", false, admin, a.createToken},
		{"POST", "/admin/tokens/{token}/revoke", false, admin, a.revokeToken},
		{"GET", "/admin/audit", false, admin, a.auditPage},
		{"GET", "/admin/usage", false, admin, a.usagePage},
	}
}

func (a *App) adminHome(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
	return nil
}

// adminTab names the admin page shown, for the tabs.
type adminTab struct{ Tab string }

// usersView is the users page's data.
type usersView struct {
	adminTab
	Users  []*wellbase.User
	MeID   string
	Owner  bool // the viewer is an owner: may give admin and owner
	Roles  []wellbase.Role
	Form   newUserForm
	Notice string
	// Error is a message about a change of a user (not about the new-user form).
	Error string
}

type newUserForm struct {
	Email, Role string
	Errors      map[string]string
	Message     string
}

// maxUsersShown bounds the users listed (max_users of the premium tier is far below it).
const maxUsersShown = 500

func (a *App) usersView(r *http.Request) (usersView, error) {
	p := wellbase.PrincipalFromContext(r.Context())
	us, _, err := a.cfg.Store.Tenant(p.TenantID).ListUsers(r.Context(), wellbase.Page{Limit: maxUsersShown})
	if err != nil {
		return usersView{}, err
	}
	v := usersView{adminTab: adminTab{"users"}, Users: us, MeID: p.UserID, Owner: p.Role == wellbase.RoleOwner,
		Form: newUserForm{Role: string(wellbase.RoleViewer), Errors: map[string]string{}}}
	v.Roles = []wellbase.Role{wellbase.RoleViewer, wellbase.RoleEngineer}
	if v.Owner {
		v.Roles = append(v.Roles, wellbase.RoleAdmin, wellbase.RoleOwner)
	}
	return v, nil
}

func (a *App) usersPage(w http.ResponseWriter, r *http.Request) error {
	v, err := a.usersView(r)
	if err != nil {
		return err
	}
	v.Notice = notice(r)
	return a.render(w, r, http.StatusOK, "admin_users", "Users and roles", v)
}

// createUser adds a user with identity.Users.Create; a field's error shows the form again.
func (a *App) createUser(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	form := newUserForm{Email: strings.TrimSpace(f.Get("email")), Role: f.Get("role"), Errors: map[string]string{}}
	if f.Get("password") != f.Get("password2") {
		form.Errors["password2"] = "the two passwords differ"
	}
	var u *wellbase.User
	var err error
	if len(form.Errors) == 0 {
		u, err = a.cfg.Users.Create(r.Context(), wellbase.PrincipalFromContext(r.Context()), a.cfg.Tenant(r),
			identity.NewUser{Email: form.Email, Role: wellbase.Role(form.Role), Password: f.Get("password")})
	}
	if err == nil && len(form.Errors) == 0 {
		http.Redirect(w, r, "/admin/users?done="+url.QueryEscape("Added "+u.Email+" as "+string(u.Role)+"."), http.StatusSeeOther)
		return nil
	}
	if err != nil {
		switch wellbase.ErrorCode(err) {
		case wellbase.EInvalid, wellbase.EConflict, wellbase.EForbidden, wellbase.ELimitExceeded:
			if fld := wellbase.ErrorField(err); fld != "" {
				form.Errors[fld] = wellbase.ErrorMessage(err)
			} else {
				form.Message = wellbase.ErrorMessage(err)
			}
		default:
			return err
		}
	}
	v, verr := a.usersView(r)
	if verr != nil {
		return verr
	}
	v.Form = form
	return a.render(w, r, http.StatusUnprocessableEntity, "admin_users", "Users and roles", v)
}

// updateUser changes a user's role (action=role, role=…), or disables or enables them
// (action=disable|enable), with identity.Users.Update.
func (a *App) updateUser(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	var c identity.UserChange
	var done string
	switch r.PostForm.Get("action") {
	case "role":
		role := wellbase.Role(r.PostForm.Get("role"))
		c.Role, done = &role, "role changed to "+string(role)
	case "disable", "enable":
		off := r.PostForm.Get("action") == "disable"
		c.Disabled, done = &off, r.PostForm.Get("action")+"d"
	default:
		return wellbase.FieldError(wellbase.EBadRequest, "action", "action must be role, disable or enable")
	}
	u, err := a.cfg.Users.Update(r.Context(), wellbase.PrincipalFromContext(r.Context()), r.PathValue("user"), c)
	if err != nil {
		switch wellbase.ErrorCode(err) {
		case wellbase.EInvalid, wellbase.EForbidden, wellbase.EConflict:
			v, verr := a.usersView(r)
			if verr != nil {
				return verr
			}
			v.Error = wellbase.ErrorMessage(err)
			status := http.StatusUnprocessableEntity
			if wellbase.ErrorCode(err) == wellbase.EForbidden {
				status = http.StatusForbidden
			}
			return a.render(w, r, status, "admin_users", "Users and roles", v)
		}
		return err
	}
	http.Redirect(w, r, "/admin/users?done="+url.QueryEscape(u.Email+": "+done+"."), http.StatusSeeOther)
	return nil
}

// notice returns the ?done= message of a redirect after a change, clipped.
func notice(r *http.Request) string {
	d := r.URL.Query().Get("done")
	if r := []rune(d); len(r) > 200 {
		d = string(r[:200])
	}
	return d
}

// tokensView is the API tokens page's data.
type tokensView struct {
	adminTab
	Tokens []*wellbase.Credential
	Users  map[string]string // user ID → email
	Now    time.Time
	// Created is the token just made, shown this once; CreatedName its name.
	Created, CreatedName string
	Name, Days           string
	Errors               map[string]string
	Notice               string
}

// tokenFlash is the cookie that carries a new token's secret from the POST that made it to
// the page that shows it, once: the page clears it, so a reload shows the secret no more, and
// the POST is not repeated by a reload. HttpOnly, SameSite=Strict, scoped to /admin/tokens, and
// a minute long; the secret is never logged nor stored but as its hash.
const tokenFlash = "wellbase_new_token"

func (a *App) tokensView(r *http.Request) (tokensView, error) {
	ctx := r.Context()
	ts := a.cfg.Store.Tenant(wellbase.TenantFromContext(ctx))
	cs, _, err := ts.ListCredentials(ctx, wellbase.CredentialAPIToken, wellbase.Page{Limit: 500})
	if err != nil {
		return tokensView{}, err
	}
	us, _, err := ts.ListUsers(ctx, wellbase.Page{Limit: maxUsersShown})
	if err != nil {
		return tokensView{}, err
	}
	v := tokensView{adminTab: adminTab{"tokens"}, Tokens: cs, Users: map[string]string{}, Now: a.now(), Days: strconv.Itoa(identity.DefaultTokenDays), Errors: map[string]string{}}
	for _, u := range us {
		v.Users[u.ID] = u.Email
	}
	return v, nil
}

func (a *App) tokensPage(w http.ResponseWriter, r *http.Request) error {
	v, err := a.tokensView(r)
	if err != nil {
		return err
	}
	v.Notice = notice(r)
	if c, err := r.Cookie(tokenFlash); err == nil {
		http.SetCookie(w, a.flashCookie(""))
		// Shown only if it is a live token of this user: a planted cookie shows nothing.
		p := wellbase.PrincipalFromContext(r.Context())
		if cred, err := a.cfg.Store.CredentialByHash(r.Context(), identity.HashToken(c.Value)); err == nil &&
			cred.TenantID == p.TenantID && cred.UserID == p.UserID && cred.Kind == wellbase.CredentialAPIToken && cred.Usable(a.now()) {
			v.Created, v.CreatedName = c.Value, cred.Name
		}
	}
	return a.render(w, r, http.StatusOK, "admin_tokens", "API tokens", v)
}

func (a *App) flashCookie(token string) *http.Cookie {
	c := &http.Cookie{Name: tokenFlash, Value: token, Path: "/admin/tokens", MaxAge: 60, HttpOnly: true, Secure: a.cfg.SecureCookies, SameSite: http.SameSiteStrictMode}
	if token == "" {
		c.MaxAge = -1
	}
	return c
}

func (a *App) createToken(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	name, daysText := strings.TrimSpace(r.PostForm.Get("name")), strings.TrimSpace(r.PostForm.Get("days"))
	days, convErr := strconv.Atoi(daysText)
	var err error
	var token string
	if convErr != nil {
		err = wellbase.FieldError(wellbase.EInvalid, "expires_in_days", "the lifetime must be a whole number of days from 1 to %d", identity.MaxTokenDays)
	} else {
		token, _, err = a.cfg.Users.CreateToken(r.Context(), wellbase.PrincipalFromContext(r.Context()), name, days)
	}
	if err != nil {
		if wellbase.ErrorCode(err) != wellbase.EInvalid {
			return err
		}
		v, verr := a.tokensView(r)
		if verr != nil {
			return verr
		}
		v.Name, v.Days = name, daysText
		field := wellbase.ErrorField(err)
		if field == "expires_in_days" {
			field = "days"
		}
		v.Errors[field] = wellbase.ErrorMessage(err)
		return a.render(w, r, http.StatusUnprocessableEntity, "admin_tokens", "API tokens", v)
	}
	http.SetCookie(w, a.flashCookie(token))
	http.Redirect(w, r, "/admin/tokens", http.StatusSeeOther)
	return nil
}

func (a *App) revokeToken(w http.ResponseWriter, r *http.Request) error {
	c, err := a.cfg.Users.RevokeToken(r.Context(), wellbase.PrincipalFromContext(r.Context()), r.PathValue("token"))
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/tokens?done="+url.QueryEscape("Revoked the token “"+c.Name+"”."), http.StatusSeeOther)
	return nil
}

// auditView is the audit log page's data.
type auditView struct {
	adminTab
	Events         []*wellbase.AuditEvent
	Action, User   string
	Users          map[string]string // "user:<id>" → email
	UserList       []*wellbase.User
	Next           string
	First, Clipped bool
}

// auditPageSize is the number of events on a page; auditScanned bounds the events one page
// reads to find its matches (the store has no index by action or user).
const (
	auditPageSize = 50
	auditScanned  = 5000
)

// auditPage lists the tenant's audit events newest first: ?action= keeps the events whose
// action starts with it ("user." or "user.create"), ?user= those of one user's doing (a user
// ID), ?cursor= continues after the last event of the page before.
func (a *App) auditPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	v := auditView{adminTab: adminTab{"audit"}, Action: strings.TrimSpace(q.Get("action")), User: q.Get("user"), Users: map[string]string{}}
	cursor := q.Get("cursor")
	if !validCursor(cursor) || !validCursor(v.User) {
		return wellbase.Errorf(wellbase.EBadRequest, "the cursor or user is malformed: follow the links of the page")
	}
	v.First = cursor != ""
	ts := a.cfg.Store.Tenant(wellbase.TenantFromContext(ctx))
	us, _, err := ts.ListUsers(ctx, wellbase.Page{Limit: maxUsersShown})
	if err != nil {
		return err
	}
	v.UserList = us
	for _, u := range us {
		v.Users["user:"+u.ID] = u.Email
	}
	actor := ""
	if v.User != "" {
		actor = "user:" + v.User
	}
	scanned, after := 0, cursor
scan:
	for scanned < auditScanned {
		page, next, err := ts.ListAudit(ctx, wellbase.Page{Limit: 500, After: after})
		if err != nil {
			return err
		}
		for _, e := range page {
			scanned++
			if (v.Action != "" && !strings.HasPrefix(e.Action, v.Action)) || (actor != "" && e.Actor != actor) {
				continue
			}
			if len(v.Events) == auditPageSize {
				v.Next = v.Events[len(v.Events)-1].ID
				break scan
			}
			v.Events = append(v.Events, e)
		}
		if next == "" {
			break
		}
		after = next
	}
	if scanned >= auditScanned && v.Next == "" && len(v.Events) > 0 {
		// Stopped reading before the end: the next page goes on from the last event read.
		v.Next, v.Clipped = v.Events[len(v.Events)-1].ID, true
	}
	return a.render(w, r, http.StatusOK, "admin_audit", "Audit log", v)
}

// usageBar is one limit with what is used of it.
type usageBar struct {
	Label, Used, Limit, Unit, Note string
	// Percent is used/limit, 0 to 100 (a limit of 0 counts as full).
	Percent int
	// Level is "ok", "high" (from 80 %) or "full" (from 100 %).
	Level string
}

type usageView struct {
	adminTab
	Tier string
	Bars []usageBar
	Rate string
}

// usageJobsScanned bounds the jobs read to count the running ones.
const usageJobsScanned = 500

func (a *App) usagePage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t := a.cfg.Tenant(r)
	u, err := a.cfg.Usage(ctx, t.ID)
	if err != nil {
		return err
	}
	jobs, _, err := a.cfg.Store.Tenant(t.ID).ListJobs(ctx, wellbase.Page{Limit: usageJobsScanned})
	if err != nil {
		return err
	}
	running := 0
	for _, j := range jobs {
		if j.Status == wellbase.JobRunning {
			running++
		}
	}
	l := t.EffectiveLimits()
	v := usageView{adminTab: adminTab{"usage"}, Tier: string(t.Tier),
		Rate: formatNumber(l.RequestsPerSecond) + " requests per second sustained, bursts of " + strconv.Itoa(l.Burst) +
			"; a plot, export or curve read not yet in memory, or an upload, counts one more request per " +
			formatNumber(wellbase.CostSamplesPerRequest) + " samples it reads"}
	v.Bars = []usageBar{
		bar("Storage", float64(u.StorageBytes), float64(l.StorageBytes), bytesText, "files of well logs, uploads staged and exports"),
		bar("Users", float64(u.Users), float64(l.MaxUsers), countText("users"), "disabled users count against the limit too"),
		bar("Jobs running", float64(running), float64(l.ConcurrentJobs), countText("jobs"), "more jobs wait in the queue, they are not refused"),
		{Label: "API requests today", Used: formatNumber(float64(u.RequestsToday)), Unit: "requests", Note: "UTC day; limited by rate, not by count", Level: "none"},
	}
	return a.render(w, r, http.StatusOK, "admin_usage", "Usage and limits", v)
}

func bar(label string, used, limit float64, text func(float64) (string, string), note string) usageBar {
	b := usageBar{Label: label, Note: note}
	var unit string
	b.Used, unit = text(used)
	b.Limit, b.Unit = text(limit)
	if unit != b.Unit { // e.g. 800 MB of 10 GB
		b.Used += " " + unit
	}
	switch {
	case limit <= 0:
		b.Percent = 100
	default:
		b.Percent = int(min(100, used/limit*100+0.5))
	}
	b.Level = "ok"
	if b.Percent >= 100 {
		b.Level = "full"
	} else if b.Percent >= 80 {
		b.Level = "high"
	}
	return b
}

// bytesText writes a byte count in decimal units (kB, MB, GB: as the storage limit is set).
func bytesText(v float64) (string, string) {
	units := []string{"bytes", "kB", "MB", "GB", "TB"}
	i := 0
	for v >= 1000 && i < len(units)-1 {
		v /= 1000
		i++
	}
	if i == 0 {
		return strconv.FormatFloat(v, 'f', 0, 64), units[0]
	}
	return strconv.FormatFloat(v, 'f', 1, 64), units[i]
}

func countText(unit string) func(float64) (string, string) {
	return func(v float64) (string, string) { return formatNumber(v), unit }
}

func (a *App) now() time.Time {
	if a.cfg.Now != nil {
		return a.cfg.Now()
	}
	return time.Now()
}
