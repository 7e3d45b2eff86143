package web

import (
	"encoding/json"
	"net/http"

	"github.com/wellbase/wellbase"
)

// jobsPageSize is the number of jobs on the jobs page (the newest).
const jobsPageSize = 50

// jobRow is a job with what its result links to.
type jobRow struct {
	*wellbase.Job
	What    string // the job's subject in words
	Links   [][2]string
	Summary string
}

func describeJob(j *wellbase.Job) jobRow {
	row := jobRow{Job: j}
	var p struct{ Well, Log, Phase, Model string }
	_ = json.Unmarshal(j.Params, &p)
	switch j.Type {
	case "decline-fit":
		row.What = cmpOr(p.Phase, "oil") + " decline, " + cmpOr(p.Model, "hyperbolic")
		if p.Well != "" {
			row.Links = append(row.Links, [2]string{"/wells/" + p.Well, "the well"})
		}
	case "petrophysics", "log-parse":
		if p.Log != "" {
			row.Links = append(row.Links, [2]string{"/logs/" + p.Log, "the log"})
		}
	}
	var res struct {
		ForecastID string  `json:"forecast_id"`
		LogID      string  `json:"log_id"`
		WellID     string  `json:"well_id"`
		Model      string  `json:"model"`
		EUR        float64 `json:"eur"`
		Unit       string  `json:"unit"`
		Rows       int     `json:"rows"`
	}
	if len(j.Result) > 0 && json.Unmarshal(j.Result, &res) == nil {
		if res.ForecastID != "" {
			row.Links = append(row.Links, [2]string{"/forecasts/" + res.ForecastID, "the forecast"})
			row.Summary = res.Model + ", EUR " + formatNumber(res.EUR) + " " + res.Unit
		}
		if res.LogID != "" && (j.Type != "log-parse" || res.LogID != p.Log) {
			row.Links = append(row.Links, [2]string{"/logs/" + res.LogID, map[bool]string{true: "the derived curves", false: "the log"}[j.Type == "petrophysics"]})
		}
	}
	return row
}

type jobsView struct {
	Jobs []jobRow
	More bool
}

func (a *App) jobsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	js, next, err := a.cfg.Store.Tenant(wellbase.TenantFromContext(ctx)).ListJobs(ctx, wellbase.Page{Limit: jobsPageSize})
	if err != nil {
		return err
	}
	v := jobsView{More: next != ""}
	for _, j := range js {
		v.Jobs = append(v.Jobs, describeJob(j))
	}
	return a.render(w, r, http.StatusOK, "jobs", "Jobs", v)
}

func (a *App) jobPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	j, err := a.cfg.Store.Tenant(wellbase.TenantFromContext(ctx)).GetJob(ctx, r.PathValue("job"))
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "job", "Job "+j.Type, describeJob(j))
}

// cancelJob cancels the job (Config.CancelJob: a running one stops at its next heartbeat) and
// shows it again.
func (a *App) cancelJob(w http.ResponseWriter, r *http.Request) error {
	j, err := a.cfg.CancelJob(r, r.PathValue("job"))
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/jobs/"+j.ID, http.StatusSeeOther)
	return nil
}
