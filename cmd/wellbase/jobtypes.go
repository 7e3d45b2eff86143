package main

import (
	"context"
	"encoding/json"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/httpapi"
	"github.com/wellbase/wellbase/internal/jobs"
)

// jobTypes returns the job types users may enqueue through the API, and the handlers of every
// job type (some, like log-parse, are queued only by Wellbase itself).
func jobTypes(a *App) (map[string]httpapi.JobType, map[string]jobs.Handler) {
	types := map[string]httpapi.JobType{}
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
	}
	return types, handlers
}
