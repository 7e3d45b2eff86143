package main

import (
	"context"
	"encoding/json"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/forecasts"
	"github.com/wellbase/wellbase/internal/httpapi"
	"github.com/wellbase/wellbase/internal/jobs"
	"github.com/wellbase/wellbase/internal/tenancy"
	"github.com/wellbase/wellbase/internal/welllogs"
)

// jobTypes returns the job types users may enqueue through the API, and the handlers of every
// job type (log-parse is queued only by Wellbase itself, for large uploads).
func jobTypes(a *App) (map[string]httpapi.JobType, map[string]jobs.Handler) {
	types := map[string]httpapi.JobType{
		forecasts.JobType:        {Validate: forecasts.Validate},
		welllogs.PetrophysicsJob: {Validate: welllogs.ValidatePetrophysics},
	}
	handlers := map[string]jobs.Handler{
		httpapi.LogParseJob: func(ctx context.Context, j *wellbase.Job, progress func(float64)) (any, error) {
			var p struct {
				Log string `json:"log"`
			}
			if err := json.Unmarshal(j.Params, &p); err != nil || p.Log == "" {
				return nil, wellbase.FieldError(wellbase.EInvalid, "params.log", "params.log must name a log")
			}
			l, err := a.Logs.Parse(ctx, j.TenantID, p.Log, j.CreatedBy, progress)
			if err != nil {
				return nil, err
			}
			return map[string]any{"log_id": l.ID, "well_id": l.WellID, "rows": l.Rows, "curves": len(l.Curves), "warnings": len(l.Warnings)}, nil
		},
		forecasts.JobType: func(ctx context.Context, j *wellbase.Job, progress func(float64)) (any, error) {
			f, err := forecasts.Run(ctx, a.Store.Tenant(j.TenantID), j, time.Now())
			if err != nil {
				return nil, err
			}
			return map[string]any{"forecast_id": f.ID, "model": f.Model, "b": f.B, "di_nominal_per_day": f.DiNominalPerDay,
				"eur": f.EUR, "unit": f.Unit, "r2": f.Fit.R2}, nil
		},
		tenancy.ReencryptJob: func(ctx context.Context, j *wellbase.Job, progress func(float64)) (any, error) {
			return a.Logs.Reencrypt(ctx, j.TenantID, progress)
		},
		tenancy.ExportJob: func(ctx context.Context, j *wellbase.Job, progress func(float64)) (any, error) {
			return a.Exporter.Export(ctx, j.TenantID, j.ID, progress)
		},
		welllogs.PetrophysicsJob: func(ctx context.Context, j *wellbase.Job, progress func(float64)) (any, error) {
			p, err := welllogs.ParsePetrophysicsParams(j.Params)
			if err != nil {
				return nil, err
			}
			l, warnings, err := a.Logs.Petrophysics(ctx, j.TenantID, p, j.CreatedBy)
			if err != nil {
				return nil, err
			}
			mnems := make([]string, 0, len(l.Curves))
			for _, c := range l.Curves[1:] {
				mnems = append(mnems, c.Mnemonic)
			}
			return map[string]any{"log_id": l.ID, "well_id": l.WellID, "curves": mnems, "warnings": warnings}, nil
		},
	}
	return types, handlers
}
