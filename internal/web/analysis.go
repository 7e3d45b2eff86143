package web

import (
	"encoding/json"
	"github.com/wellbase/wellbase/internal/welllogs"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/wellbase/wellbase"
)

// The pages of analysis work (logs, production, forecasts, jobs) and their templates. They read
// the store's tenant-scoped records; what changes anything goes through the services the API
// uses: uploads are sent by the browser to the API itself (POST /api/v1/logs, static/upload.js),
// production imports call wells.Service.ImportProduction, jobs go through Config.EnqueueJob and
// Config.CancelJob.
var analysisPages = []string{"log", "logupload", "logviewer", "prodimport", "prodresult", "production", "forecastform", "forecast", "jobs", "job"}

// The analysis pages' template functions join funcs before any template is parsed: the well
// page (parsed by New) uses them too.
func init() {
	for k, v := range analysisFuncs {
		funcs[k] = v
	}
}

func (a *App) addAnalysisPages() {
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html"))
	for _, page := range analysisPages {
		a.pages[page] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, "templates/"+page+".html", "templates/logdrop.html"))
	}
	// The well page again, with the upload form (logdrop.html) and these functions.
	a.pages["well"] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, "templates/well.html", "templates/logdrop.html"))
	viewer, engineer := wellbase.RoleViewer, wellbase.RoleEngineer
	a.routes = append(a.routes,
		Route{"GET", "/logs/upload", false, engineer, a.uploadPage},
		Route{"GET", "/logs/{log}", false, viewer, a.logPage},
		Route{"POST", "/logs/{log}/petrophysics", false, engineer, a.runPetrophysics},
		Route{"GET", "/wells/{well}/viewer", false, viewer, a.wellViewerPage},
		Route{"GET", "/production/import", false, engineer, a.importPage},
		Route{"POST", "/production/import", false, engineer, a.importProduction},
		Route{"GET", "/wells/{well}/production", false, viewer, a.productionPage},
		Route{"GET", "/wells/{well}/forecasts/new", false, engineer, a.forecastFormPage},
		Route{"POST", "/wells/{well}/forecasts", false, engineer, a.createForecast},
		Route{"GET", "/forecasts/{forecast}", false, viewer, a.forecastPage},
		Route{"GET", "/jobs", false, viewer, a.jobsPage},
		Route{"GET", "/jobs/{job}", false, viewer, a.jobPage},
		Route{"POST", "/jobs/{job}/cancel", false, engineer, a.cancelJob},
	)
}

var analysisFuncs = template.FuncMap{
	"pct":     func(v float64) string { return strconv.FormatFloat(100*v, 'f', 0, 64) },
	"sig":     func(v float64, n int) string { return strconv.FormatFloat(v, 'g', n, 64) },
	"join":    strings.Join,
	"perYear": func(perDay float64) float64 { return perDay * 365.25 },
	"mul":     func(a, b float64) float64 { return a * b },
	"bytes": func(n int64) string {
		switch {
		case n >= 1<<20:
			return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
		case n >= 1<<10:
			return strconv.FormatFloat(float64(n)/(1<<10), 'f', 0, 64) + " KiB"
		}
		return strconv.FormatInt(n, 10) + " B"
	},
	"uploadTo": func(w *wellbase.Well) uploadView { return uploadView{Well: w} },
	// checkBytes is the largest file upload.js checks before uploading (POST /api/v1/las/check).
	"checkBytes": func() int64 { return welllogs.MaxCheckBytes },
	// num3 is num of v rounded to 3 significant digits: an EUR is not known to the barrel.
	"num3": func(v float64) string {
		if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return formatNumber(v)
		}
		p := math.Pow(10, math.Floor(math.Log10(math.Abs(v)))-2)
		return formatNumber(math.Round(v/p) * p)
	},
	"list":  func(s ...string) []string { return s },
	"sub":   func(a, b int) int { return a - b },
	"nulls": func(l *wellbase.WellLog, count int) int { return l.Rows - count },
	"pair":  func(a, b any) struct{ A, B any } { return struct{ A, B any }{a, b} },
	"unitOf": func(f importForm, phase string) string {
		return map[string]string{"oil": f.OilUnit, "gas": f.GasUnit, "water": f.WaterUnit}[phase]
	},
	"live": func(s wellbase.JobStatus) bool { return s == wellbase.JobQueued || s == wellbase.JobRunning },
}

// jobForm is what a form that starts a job shows again when the job was refused: the message,
// beside its field when the service named one.
type jobForm struct {
	Errors  map[string]string
	Message string
}

// enqueue starts a job of type typ with params through Config.EnqueueJob. An EInvalid error is
// returned in the jobForm (the form is shown again, 422); any other error is returned.
func (a *App) enqueue(r *http.Request, typ string, params any) (*wellbase.Job, jobForm, error) {
	f := jobForm{Errors: map[string]string{}}
	raw, err := json.Marshal(params)
	if err != nil {
		return nil, f, err
	}
	j, err := a.cfg.EnqueueJob(r, typ, raw)
	if err != nil {
		if wellbase.ErrorCode(err) != wellbase.EInvalid {
			return nil, f, err
		}
		if fld := strings.TrimPrefix(wellbase.ErrorField(err), "params."); fld != "" {
			f.Errors[fld] = wellbase.ErrorMessage(err)
		} else {
			f.Message = wellbase.ErrorMessage(err)
		}
		return nil, f, nil
	}
	return j, f, nil
}

// formFloat reads the optional number field name of r's form into dst; a malformed one is a
// message in f.Errors naming the field and what it takes.
func formFloat(r *http.Request, f *jobForm, name, what string, dst *float64) {
	v := strings.TrimSpace(r.PostForm.Get(name))
	if v == "" {
		return
	}
	x, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64)
	if err != nil {
		f.Errors[name] = name + " must be a number (" + what + "), got \"" + clip(v) + "\""
		return
	}
	*dst = x
}
