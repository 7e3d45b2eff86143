package web

import (
	"cmp"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/forecasts"
	"github.com/wellbase/wellbase/internal/wells"
)

func errorAs(err error, target **wellbase.Error) bool { return errors.As(err, target) }

// maxFormBytes bounds a form's body: the largest form (a well) is a few hundred bytes.
const maxFormBytes = 64 << 10

// parseForm reads a url-encoded form of at most maxFormBytes.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return wellbase.Errorf(wellbase.EBadRequest, "the form could not be read (at most %d KiB of application/x-www-form-urlencoded)", maxFormBytes>>10)
	}
	return nil
}

// signinView is the sign-in form's data.
type signinView struct {
	Tenant, Email, Next string
	Error               string
}

func (a *App) signinPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return a.render(w, r, http.StatusOK, "signin", "Sign in", signinView{Tenant: q.Get("tenant"), Next: safeNext(q.Get("next"))})
}

// signin signs the user in with identity.Logins (the API's login) and sends the browser on to
// the page it asked for. A failure shows the form again with the reason, without the password.
func (a *App) signin(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	v := signinView{Tenant: strings.TrimSpace(r.PostForm.Get("tenant")), Email: strings.TrimSpace(r.PostForm.Get("email")), Next: safeNext(r.PostForm.Get("next"))}
	ses, err := a.cfg.Logins.Login(r.Context(), v.Tenant, v.Email, r.PostForm.Get("password"), a.cfg.ClientAddr(r))
	if err != nil {
		status := http.StatusUnauthorized
		switch wellbase.ErrorCode(err) {
		case wellbase.EInvalid:
			status = http.StatusUnprocessableEntity
		case wellbase.ESuspended:
			status = http.StatusForbidden
		case wellbase.ELimitExceeded:
			status = http.StatusTooManyRequests
			var e *wellbase.Error
			if errorAs(err, &e) && e.RetryAfterSeconds > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfterSeconds))
			}
		case wellbase.EUnauthorized:
		default:
			return err
		}
		v.Error = wellbase.ErrorMessage(err)
		return a.render(w, r, status, "signin", "Sign in", v)
	}
	a.cfg.SetSession(w, ses.Token, ses.Credential.ExpiresAt)
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
	return nil
}

func (a *App) signout(w http.ResponseWriter, r *http.Request) error {
	p := wellbase.PrincipalFromContext(r.Context())
	if p.Kind == wellbase.CredentialSession {
		if err := a.cfg.Logins.Logout(r.Context(), p); err != nil {
			return err
		}
	}
	a.cfg.SetSession(w, "", time.Time{})
	http.Redirect(w, r, "/signin?tenant="+p.TenantID, http.StatusSeeOther)
	return nil
}

// home is the tenant's start page: its wells.
func (a *App) home(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, "/wells", http.StatusSeeOther)
	return nil
}

// wellsPageSize is the number of wells on a page of the list.
const wellsPageSize = 50

// wellsView is the wells list's data.
type wellsView struct {
	Q, Sort string
	Wells   []*wellbase.Well
	// Next is the cursor of the next page ("" on the last); First is set past the first page.
	Next  string
	First bool
	Sorts []sortOption
}

type sortOption struct{ Value, Label string }

var wellSorts = []sortOption{{"", "Added (oldest first)"}, {"name", "Name"}, {"uwi", "UWI"}, {"field", "Field"}}

// wellsPage lists the tenant's wells: ?q= keeps wells whose name, UWI or field contains it
// (WellKey-folded: case and white space), ?sort= orders them (by the store's order, which is
// when they were added, or by name, UWI or field), ?cursor= is the ID of the last well of the
// page before, as in the API. In the store's order the list reads the store page by page from
// the cursor until a page is full; sorted by a column it reads all the tenant's wells.
func (a *App) wellsPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	v := wellsView{Q: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort"), Sorts: wellSorts}
	if !slices.ContainsFunc(wellSorts, func(s sortOption) bool { return s.Value == v.Sort }) {
		return wellbase.FieldError(wellbase.EBadRequest, "sort", "sort must be name, uwi or field (or none), got %q", clip(v.Sort))
	}
	cursor := q.Get("cursor")
	if !validCursor(cursor) {
		return wellbase.FieldError(wellbase.EBadRequest, "cursor", "the cursor is malformed: follow the Next link, or start from the first page")
	}
	v.First = cursor != ""
	key := wellbase.WellKey(v.Q)
	match := func(w *wellbase.Well) bool {
		return key == "" || strings.Contains(wellbase.WellKey(w.Name), key) || strings.Contains(wellbase.WellKey(w.UWI), key) || strings.Contains(wellbase.WellKey(w.Field), key)
	}
	ts := a.cfg.Store.Tenant(wellbase.TenantFromContext(r.Context()))
	ctx := r.Context()
	if v.Sort == "" {
		after := cursor
	scan:
		for {
			page, next, err := ts.ListWells(ctx, wellbase.Page{Limit: 500, After: after})
			if err != nil {
				return err
			}
			for _, well := range page {
				if !match(well) {
					continue
				}
				if len(v.Wells) == wellsPageSize {
					// A further match exists: the next page starts after the last one shown.
					v.Next = v.Wells[len(v.Wells)-1].ID
					break scan
				}
				v.Wells = append(v.Wells, well)
			}
			if next == "" {
				break
			}
			after = next
		}
	} else {
		all, err := wellbase.All(ctx, ts.ListWells)
		if err != nil {
			return err
		}
		all = slices.DeleteFunc(all, func(w *wellbase.Well) bool { return !match(w) })
		field := map[string]func(*wellbase.Well) string{
			"name": func(w *wellbase.Well) string { return w.Name }, "uwi": func(w *wellbase.Well) string { return w.UWI },
			"field": func(w *wellbase.Well) string { return w.Field }}[v.Sort]
		slices.SortStableFunc(all, func(x, y *wellbase.Well) int {
			// Wells without the value go last; ties in the store's order, so the cursor is exact.
			fx, fy := wellbase.WellKey(field(x)), wellbase.WellKey(field(y))
			if (fx == "") != (fy == "") {
				return cmp.Compare(fy, fx) // "" after anything
			}
			return cmp.Or(cmp.Compare(fx, fy), cmp.Compare(x.ID, y.ID))
		})
		start := 0
		if cursor != "" {
			start = slices.IndexFunc(all, func(w *wellbase.Well) bool { return w.ID == cursor }) + 1 // 0 if gone
		}
		end := min(start+wellsPageSize, len(all))
		v.Wells = all[start:end]
		if end < len(all) {
			v.Next = all[end-1].ID
		}
	}
	return a.render(w, r, http.StatusOK, "wells", "Wells", v)
}

// validCursor: "" or 1 to 100 letters, digits, '_' and '-' (a well ID), as the API's cursor.
func validCursor(v string) bool {
	if len(v) > 100 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// wellView is the well page's data.
type wellView struct {
	Well       *wellbase.Well
	Logs       []*wellbase.WellLog
	MoreLogs   bool
	Production *productionSummary
	Forecasts  []*wellbase.Forecast
}

// productionSummary is a well's production of one period: per phase the cumulative volume,
// and the rate plot of the phases it has.
type productionSummary struct {
	Period      string
	Records     int
	First, Last time.Time
	Phases      []phaseTotal
	PlotURL     string
}

type phaseTotal struct {
	Phase, Unit string
	Total       float64
	Values      int
}

// maxLogsShown bounds the logs listed on a well page (the first, oldest).
const maxLogsShown = 100

// forecastJobsScanned bounds the jobs a well page reads to find its forecasts (the newest): the
// store keeps no index of forecasts by well yet.
const forecastJobsScanned = 500

func (a *App) wellPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ts := a.cfg.Store.Tenant(wellbase.TenantFromContext(ctx))
	well, err := ts.GetWell(ctx, r.PathValue("well"))
	if err != nil {
		return err
	}
	v := wellView{Well: well}
	logs, next, err := ts.ListLogs(ctx, well.ID, wellbase.Page{Limit: maxLogsShown})
	if err != nil {
		return err
	}
	v.Logs, v.MoreLogs = logs, next != ""
	if v.Production, err = a.production(r, ts, well); err != nil {
		return err
	}
	if v.Forecasts, err = wellForecasts(r, ts, well.ID); err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "well", well.Name, v)
}

// production summarizes the well's monthly records, else its daily ones; nil if it has none.
func (a *App) production(r *http.Request, ts wellbase.TenantStore, well *wellbase.Well) (*productionSummary, error) {
	for _, period := range []string{wellbase.PeriodMonth, wellbase.PeriodDay} {
		recs, err := ts.Production(r.Context(), wellbase.ProductionQuery{WellID: well.ID, Period: period})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			continue
		}
		s := &productionSummary{Period: period, Records: len(recs), First: recs[0].Date, Last: recs[len(recs)-1].Date}
		var plotted []string
		for _, ph := range wellbase.Phases {
			t := phaseTotal{Phase: ph}
			for _, rec := range recs {
				if v, u, _ := rec.Volume(ph); v != nil {
					t.Total += *v
					t.Values++
					if t.Unit == "" {
						t.Unit = u
					}
				}
			}
			if t.Values > 0 {
				s.Phases = append(s.Phases, t)
				if ph == "oil" || ph == "gas" || ph == "water" {
					plotted = append(plotted, ph)
				}
			}
		}
		if len(plotted) > 0 {
			s.PlotURL = "/api/v1/wells/" + well.ID + "/production/plot.svg?period=" + period + "&phase=" + strings.Join(plotted, ",")
		}
		return s, nil
	}
	return nil, nil
}

// wellForecasts returns the forecasts of the well's decline-fit jobs among the tenant's newest
// jobs, newest first.
func wellForecasts(r *http.Request, ts wellbase.TenantStore, wellID string) ([]*wellbase.Forecast, error) {
	jobs, _, err := ts.ListJobs(r.Context(), wellbase.Page{Limit: forecastJobsScanned})
	if err != nil {
		return nil, err
	}
	var out []*wellbase.Forecast
	for _, j := range jobs {
		if j.Type != forecasts.JobType || j.Status != wellbase.JobSucceeded {
			continue
		}
		var p struct{ Well string }
		var res struct {
			ForecastID string `json:"forecast_id"`
		}
		if json.Unmarshal(j.Params, &p) != nil || p.Well != wellID || json.Unmarshal(j.Result, &res) != nil || res.ForecastID == "" {
			continue
		}
		f, err := ts.GetForecast(r.Context(), res.ForecastID)
		if wellbase.ErrorCode(err) == wellbase.ENotFound {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// wellForm is the create and edit form's data: the values as typed and a message per field.
type wellForm struct {
	Well                                            *wellbase.Well // nil when creating
	Name, UWI, Field, Operator, Latitude, Longitude string
	Errors                                          map[string]string
	Message                                         string
}

func (a *App) newWellPage(w http.ResponseWriter, r *http.Request) error {
	return a.render(w, r, http.StatusOK, "wellform", "New well", wellForm{})
}

func (a *App) editWellPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	well, err := a.cfg.Store.Tenant(wellbase.TenantFromContext(ctx)).GetWell(ctx, r.PathValue("well"))
	if err != nil {
		return err
	}
	f := wellForm{Well: well, Name: well.Name, UWI: well.UWI, Field: well.Field, Operator: well.Operator}
	if well.Latitude != nil {
		f.Latitude, f.Longitude = strconv.FormatFloat(*well.Latitude, 'f', -1, 64), strconv.FormatFloat(*well.Longitude, 'f', -1, 64)
	}
	return a.render(w, r, http.StatusOK, "wellform", "Edit "+well.Name, f)
}

// readWellForm reads the form; errors are per field (latitude and longitude must be numbers).
func readWellForm(w http.ResponseWriter, r *http.Request) (wellForm, *float64, *float64, error) {
	if err := parseForm(w, r); err != nil {
		return wellForm{}, nil, nil, err
	}
	f := r.PostForm
	form := wellForm{Name: f.Get("name"), UWI: f.Get("uwi"), Field: f.Get("field"), Operator: f.Get("operator"),
		Latitude: strings.TrimSpace(f.Get("latitude")), Longitude: strings.TrimSpace(f.Get("longitude")), Errors: map[string]string{}}
	num := func(field, s string) *float64 {
		if s == "" {
			return nil
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			form.Errors[field] = field + " must be a number of decimal degrees, e.g. 58.4411"
			return nil
		}
		return &v
	}
	lat, lon := num("latitude", form.Latitude), num("longitude", form.Longitude)
	return form, lat, lon, nil
}

// formError shows the form again with the service's error beside its field (422), or returns
// an error that is not about the form.
func (a *App) formError(w http.ResponseWriter, r *http.Request, form wellForm, title string, err error) error {
	if err != nil {
		if wellbase.ErrorCode(err) != wellbase.EInvalid {
			return err
		}
		if f := wellbase.ErrorField(err); f != "" {
			form.Errors[f] = wellbase.ErrorMessage(err)
		} else {
			form.Message = wellbase.ErrorMessage(err)
		}
	}
	return a.render(w, r, http.StatusUnprocessableEntity, "wellform", title, form)
}

func (a *App) createWell(w http.ResponseWriter, r *http.Request) error {
	form, lat, lon, err := readWellForm(w, r)
	if err != nil {
		return err
	}
	if len(form.Errors) > 0 {
		return a.formError(w, r, form, "New well", nil)
	}
	well, err := a.cfg.Wells.Create(r.Context(), wellbase.TenantFromContext(r.Context()),
		wells.Input{Name: form.Name, UWI: form.UWI, Field: form.Field, Operator: form.Operator, Latitude: lat, Longitude: lon})
	if err != nil {
		return a.formError(w, r, form, "New well", err)
	}
	http.Redirect(w, r, "/wells/"+well.ID, http.StatusSeeOther)
	return nil
}

func (a *App) updateWell(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	tenant := wellbase.TenantFromContext(ctx)
	well, err := a.cfg.Store.Tenant(tenant).GetWell(ctx, r.PathValue("well"))
	if err != nil {
		return err
	}
	form, lat, lon, err := readWellForm(w, r)
	if err != nil {
		return err
	}
	form.Well = well
	title := "Edit " + well.Name
	if len(form.Errors) > 0 {
		return a.formError(w, r, form, title, nil)
	}
	if (lat == nil) != (lon == nil) {
		form.Errors["latitude"] = "latitude and longitude must be given together"
		return a.formError(w, r, form, title, nil)
	}
	u := wellbase.WellUpdate{Name: &form.Name, UWI: &form.UWI, Field: &form.Field, Operator: &form.Operator, Latitude: lat, Longitude: lon}
	if _, err := a.cfg.Wells.Update(ctx, tenant, well.ID, u); err != nil {
		return a.formError(w, r, form, title, err)
	}
	http.Redirect(w, r, "/wells/"+well.ID, http.StatusSeeOther)
	return nil
}
