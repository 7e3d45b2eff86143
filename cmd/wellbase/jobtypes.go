package main

import (
	"github.com/wellbase/wellbase/internal/httpapi"
	"github.com/wellbase/wellbase/internal/jobs"
)

// jobTypes returns the job types of the application and their handlers.
func jobTypes(a *App) (map[string]httpapi.JobType, map[string]jobs.Handler) {
	types := map[string]httpapi.JobType{}
	handlers := map[string]jobs.Handler{}
	return types, handlers
}
