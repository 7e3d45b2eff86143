package web

import (
	"net/http"
	"strings"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/forecasts"
)

// forecastForm is the decline-fit form as typed, with its errors.
type forecastForm struct {
	jobForm
	Well                                                      *wellbase.Well
	Phase, Model, Start, StartDate, Period, Abandonment, Dlim string
	Horizon                                                   string
	Models                                                    []string
}

var declineModels = []string{"auto", "exponential", "harmonic", "hyperbolic", "modified-hyperbolic"}

func (a *App) forecastFormPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	well, err := a.cfg.Store.Tenant(wellbase.TenantFromContext(ctx)).GetWell(ctx, r.PathValue("well"))
	if err != nil {
		return err
	}
	f := forecastForm{Well: well, Phase: "oil", Model: "auto", Start: "peak", Horizon: "30", Models: declineModels, jobForm: jobForm{Errors: map[string]string{}}}
	return a.render(w, r, http.StatusOK, "forecastform", "Decline forecast for "+well.Name, f)
}

// createForecast queues a decline-fit job (forecasts.JobType) with the form's phase, model, fit
// start (the peak or a date), period, abandonment rate (volume/d), terminal decline (%/yr,
// tangent effective) and horizon, and shows the job, which links to the forecast when done.
func (a *App) createForecast(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	well, err := a.cfg.Store.Tenant(wellbase.TenantFromContext(ctx)).GetWell(ctx, r.PathValue("well"))
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	pf := r.PostForm
	f := forecastForm{Well: well, Phase: pf.Get("phase"), Model: pf.Get("model"), Start: pf.Get("start"), StartDate: strings.TrimSpace(pf.Get("start_date")),
		Period: pf.Get("period"), Abandonment: pf.Get("abandonment_rate"), Dlim: pf.Get("terminal_decline"), Horizon: pf.Get("horizon_years"),
		Models: declineModels, jobForm: jobForm{Errors: map[string]string{}}}
	params := map[string]any{"well": well.ID, "phase": f.Phase, "model": f.Model}
	if f.Start == "date" {
		if f.StartDate == "" {
			f.Errors["start"] = "give the first date of the decline (YYYY-MM-DD), or fit from the peak"
		}
		params["start"] = f.StartDate
	}
	if f.Period != "" {
		params["period"] = f.Period
	}
	var ab, dlim, horizon float64
	formFloat(r, &f.jobForm, "abandonment_rate", "volume per day in the well's unit, e.g. 20", &ab)
	formFloat(r, &f.jobForm, "terminal_decline", "percent per year, tangent effective, e.g. 8", &dlim)
	formFloat(r, &f.jobForm, "horizon_years", "years, e.g. 30", &horizon)
	if ab > 0 {
		params["abandonment_rate"] = ab
	}
	if dlim != 0 {
		params["terminal_decline_effective_per_year"] = dlim / 100
	}
	if horizon != 0 {
		params["horizon_years"] = horizon
	}
	if len(f.Errors) == 0 {
		j, jf, err := a.enqueue(r, forecasts.JobType, params)
		if err != nil {
			return err
		}
		if j != nil {
			http.Redirect(w, r, "/jobs/"+j.ID, http.StatusSeeOther)
			return nil
		}
		f.jobForm = jf
		// The job's field names, as the form's.
		for from, to := range map[string]string{"terminal_decline_effective_per_year": "terminal_decline", "abandonment_rate": "abandonment_rate"} {
			if m, ok := f.Errors[from]; ok && from != to {
				f.Errors[to] = m
				delete(f.Errors, from)
			}
		}
	}
	return a.render(w, r, http.StatusUnprocessableEntity, "forecastform", "Decline forecast for "+well.Name, f)
}

// forecastView is the forecast page's data.
type forecastView struct {
	F    *wellbase.Forecast
	Well *wellbase.Well
	// DiNominalPerYear is Di as a nominal decline per year; DlimTangent the terminal decline
	// as a tangent effective fraction per year.
	DiNominalPerYear float64
	Job              *wellbase.Job
}

func (a *App) forecastPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ts := a.cfg.Store.Tenant(wellbase.TenantFromContext(ctx))
	f, err := ts.GetForecast(ctx, r.PathValue("forecast"))
	if err != nil {
		return err
	}
	well, err := ts.GetWell(ctx, f.WellID)
	if err != nil {
		return err
	}
	v := forecastView{F: f, Well: well, DiNominalPerYear: f.DiNominalPerDay * 365.25}
	if j, err := ts.GetJob(ctx, f.JobID); err == nil {
		v.Job = j
	}
	return a.render(w, r, http.StatusOK, "forecast", well.Name+" — "+f.Phase+" decline", v)
}
