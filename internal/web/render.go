package web

import (
	"bytes"
	"fmt"
	"html/template"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/logplot"
)

// view is what every template gets: the page's title, the signed-in user (nil on the sign-in
// page) and the page's own data.
type view struct {
	Title string
	Me    *signedIn
	Data  any
}

// signedIn is the header's tenant, user and role.
type signedIn struct {
	TenantID, TenantName, Email string
	Role                        wellbase.Role
	// CanWrite: the role may create and change wells (engineer and above).
	CanWrite bool
}

func (a *App) signedIn(r *http.Request) *signedIn {
	p := wellbase.PrincipalFromContext(r.Context())
	if p == nil || p.Operator {
		return nil
	}
	s := &signedIn{TenantID: p.TenantID, TenantName: p.TenantID, Email: p.Email, Role: p.Role, CanWrite: p.Role.AtLeast(wellbase.RoleEngineer)}
	if a.cfg.Tenant != nil {
		if t := a.cfg.Tenant(r); t != nil && t.Name != "" {
			s.TenantName = t.Name
		}
	}
	return s
}

// render writes page with status. The page is rendered into a buffer first, so that a template
// error is a clean 500 instead of half a page.
func (a *App) render(w http.ResponseWriter, r *http.Request, status int, page, title string, data any) error {
	return a.writePage(w, status, page, "layout.html", view{Title: title, Me: a.signedIn(r), Data: data})
}

// writePage executes page's template inside layout with v and writes it with status and the
// pages' headers; nothing is written when the template fails.
func (a *App) writePage(w http.ResponseWriter, status int, page, layout string, v any) error {
	var buf bytes.Buffer
	if err := a.pages[page].ExecuteTemplate(&buf, layout, v); err != nil {
		return fmt.Errorf("render page %s: %w", page, err)
	}
	SetHeaders(w.Header())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// errorView is the error page's data.
type errorView struct {
	Status    int
	Message   string
	RequestID string
}

// errorSite is what differs between the tenants' pages and the operators' (/operator/) when a
// page request fails: where to sign in, where to go after it, the 404 message and the error page.
type errorSite struct {
	signin, home, notFound, page string
	render                       func(a *App, w http.ResponseWriter, r *http.Request, status int, page, title string, data any) error
}

var (
	tenantSite = errorSite{signin: "/signin", home: "/", page: "error", render: (*App).render,
		notFound: "There is no such page, or it belongs to another tenant."} // never say which
	operatorSite = errorSite{signin: "/operator/signin", home: "/operator/tenants", page: "op_error", render: (*App).renderOp,
		notFound: "There is no such page."}
)

// WriteError answers a page request's error as HTML with status (the API's status of the
// error's code): EUnauthorized redirects to the sign-in page (303; the operators' for
// /operator/ paths) with the page asked for as next; anything else is an error page with the
// error's user-safe message and the request ID.
func (a *App) WriteError(w http.ResponseWriter, r *http.Request, status int, err error) {
	site := tenantSite
	if strings.HasPrefix(r.URL.Path, "/operator/") {
		site = operatorSite
	}
	if wellbase.ErrorCode(err) == wellbase.EUnauthorized {
		next := site.home
		if r.Method == http.MethodGet {
			next = r.URL.RequestURI()
		}
		SetHeaders(w.Header())
		w.Header().Set("Cache-Control", "no-store")
		// No body (http.Redirect writes one with the URL): a page's path names a resource, and
		// an answer without a session carries nothing of it but the Location.
		w.Header().Set("Location", site.signin+"?next="+url.QueryEscape(next))
		w.WriteHeader(http.StatusSeeOther)
		return
	}
	msg := wellbase.ErrorMessage(err)
	switch status {
	case http.StatusNotFound:
		msg = site.notFound
	case http.StatusInternalServerError:
		msg = "Something went wrong on our side; the request ID below helps the operators find it."
	}
	v := errorView{Status: status, Message: msg, RequestID: wellbase.RequestIDFromContext(r.Context())}
	if rerr := site.render(a, w, r, status, site.page, fmt.Sprintf("%d %s", status, http.StatusText(status)), v); rerr != nil {
		a.cfg.Logger.ErrorContext(r.Context(), "error page", slog.String("error", rerr.Error()))
	}
}

// safeNext returns next if it is a path on this site ("/…", not "//…" nor "/\…"), else "/wells".
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/wells"
	}
	return next
}

var funcs = template.FuncMap{
	"num":   formatNumber,
	"float": func(n int) float64 { return float64(n) },
	"deref": func(v *float64) float64 { return *v },
	"fieldOf": func(name, label, value, typ string, errs map[string]string, required bool, hint string) formField {
		return formField{Name: name, Label: label, Value: value, Type: typ, Error: errs[name], Required: required, Hint: hint}
	},
	"date": func(t time.Time) string { return t.UTC().Format(time.DateOnly) },
	"fptr": func(v *float64) string {
		if v == nil {
			return ""
		}
		return formatNumber(*v)
	},
	"depth": func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) },
	// unit and curveLabel spell a LAS unit and curve description as the log viewer and the SVG
	// plots do (logplot is the one table); the raw unit goes in a title attribute beside it.
	"unit":       logplot.DisplayUnit,
	"curveLabel": logplot.CurveLabel,
	"query": func(kv ...string) template.URL {
		q := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] != "" {
				q.Set(kv[i], kv[i+1])
			}
		}
		if len(q) == 0 {
			return ""
		}
		return template.URL("?" + q.Encode())
	},
}

// formField is one input of a form with its label, value, hint and error.
type formField struct {
	Name, Label, Value, Type, Error, Hint string
	Required                              bool
}

// formatNumber writes v for a table: thousands separated by a thin space, whole numbers from
// 1000 up, three significant digits below.
func formatNumber(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "–"
	case v == 0:
		return "0"
	case math.Abs(v) >= 1000:
		s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
		neg := strings.HasPrefix(s, "-")
		s = strings.TrimPrefix(s, "-")
		var b strings.Builder
		for i, c := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteString("\u202f")
			}
			b.WriteRune(c)
		}
		if neg {
			return "−" + b.String()
		}
		return b.String()
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}
