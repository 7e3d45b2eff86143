package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/forecasts"
	"github.com/wellbase/wellbase/internal/httpapi"
	"github.com/wellbase/wellbase/internal/jobs"
	"github.com/wellbase/wellbase/internal/tenancy"
	"github.com/wellbase/wellbase/internal/welllogs"
)

// LambdaJobTypes are the job types the Lambda function (cmd/wellbase-lambda) runs: short and of
// bounded memory — a decline fit or a petrophysics run takes seconds. This is the one place that
// says so: serve sends these types to the function when it is configured (--job-function), and
// the function leases only these. The others stay with the workers (on AWS the ECS worker
// service, started with --job-types LongJobTypes): log-parse (uploads over 64 MiB: memory and
// time grow with the file), tenant-export (unbounded size) and data-key-reencrypt (every object
// of a tenant) can outlive Lambda's 15 minutes or its memory.
var LambdaJobTypes = []string{forecasts.JobType, welllogs.PetrophysicsJob}

// AllJobTypes returns every job type that has a handler, sorted.
func AllJobTypes() []string {
	_, handlers := jobTypes(&App{})
	names := make([]string, 0, len(handlers))
	for n := range handlers {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// LongJobTypes returns the job types that are not LambdaJobTypes: what the ECS worker runs.
func LongJobTypes() []string {
	return slices.DeleteFunc(AllJobTypes(), func(t string) bool { return slices.Contains(LambdaJobTypes, t) })
}

// ParseJobTypes reads a comma-separated list of job types (--job-types): empty is nil (every
// type); an unknown type is an error that names it and lists the known ones.
func ParseJobTypes(list string) ([]string, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	known := AllJobTypes()
	var types []string
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimSpace(t)
		if !slices.Contains(known, t) {
			return nil, fmt.Errorf("--job-types: unknown job type %q (known: %s)", t, strings.Join(known, ", "))
		}
		if !slices.Contains(types, t) {
			types = append(types, t)
		}
	}
	return types, nil
}

// jobTypes returns the job types users may enqueue through the API, and the handlers of every
// job type (log-parse is queued only by Wellbase itself, for large uploads).
func jobTypes(a *App) (map[string]httpapi.JobType, map[string]jobs.Handler) {
	types := map[string]httpapi.JobType{
		forecasts.JobType:        {Validate: forecasts.Validate, Params: forecasts.ParamsSchema()},
		welllogs.PetrophysicsJob: {Validate: welllogs.ValidatePetrophysics, Params: welllogs.PetrophysicsParamsSchema()},
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
			// Under the job's ID as ID seed, as petrophysics: a rerun finds the forecast.
			f, err := forecasts.Run(wellbase.WithIDSeed(ctx, j.ID), a.Store.Tenant(j.TenantID), j, time.Now())
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
			// Under the job's ID as ID seed, an attempt run again after its worker died (lease
			// expired after the derived log was stored, before the job's end was recorded) makes
			// the same log ID and finds that log instead of storing a second one (found by the
			// drill: one derived log too many).
			l, warnings, err := a.Logs.Petrophysics(wellbase.WithIDSeed(ctx, j.ID), j.TenantID, p, j.CreatedBy)
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
