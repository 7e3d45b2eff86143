package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/wellbase/wellbase"
)

// JobType describes a job type users may enqueue: Validate checks its params in the tenant
// before the job is queued, so that a bad request fails at once with a 422 rather than later
// in a worker; Params is the JSON Schema of its params (an OpenAPI 3.0 schema object: fields,
// types, units in the descriptions), published in the OpenAPI document as <Type>Params and one
// of JobCreate's choices; nil documents them as any object.
type JobType struct {
	Validate func(ctx context.Context, ts wellbase.TenantStore, params json.RawMessage) error
	Params   map[string]any
}

type jobCreate struct {
	Type   string          `json:"type"`
	Params json.RawMessage `json:"params"`
}

func (s *Server) createJob(w http.ResponseWriter, r *http.Request) error {
	if s.queue == nil {
		return wellbase.Errorf(wellbase.EUnavailable, "the job queue is not configured")
	}
	var req jobCreate
	if err := decode(w, r, &req); err != nil {
		return err
	}
	jt, ok := s.jobTypes[req.Type]
	if !ok {
		names := make([]string, 0, len(s.jobTypes))
		for n := range s.jobTypes {
			names = append(names, n)
		}
		sort.Strings(names)
		return wellbase.FieldError(wellbase.EInvalid, "type", "job type %q is unknown (known: %s)", clipID(req.Type), strings.Join(names, ", "))
	}
	if len(req.Params) == 0 || string(req.Params) == "null" {
		req.Params = json.RawMessage("{}")
	}
	ts := s.tenantStore(r)
	if jt.Validate != nil {
		if err := jt.Validate(r.Context(), ts, req.Params); err != nil {
			return err
		}
	}
	p := wellbase.PrincipalFromContext(r.Context())
	j, err := s.queue.Enqueue(r.Context(), ts.TenantID(), req.Type, req.Params, p.Actor())
	if err != nil {
		return err
	}
	if err := s.audit(r, ts.TenantID(), "job.create", j.ID, map[string]any{"type": j.Type}); err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, j)
}

func (s *Server) getJob(w http.ResponseWriter, r *http.Request) error {
	j, err := s.tenantStore(r).GetJob(r.Context(), r.PathValue("job"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, j)
}

func (s *Server) listJobs(w http.ResponseWriter, r *http.Request) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	js, next, err := s.tenantStore(r).ListJobs(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(js, next))
}

func (s *Server) cancelJob(w http.ResponseWriter, r *http.Request) error {
	ts := s.tenantStore(r)
	j, err := ts.CancelJob(r.Context(), r.PathValue("job"), s.now())
	if err != nil {
		return err
	}
	if err := s.audit(r, ts.TenantID(), "job.cancel", j.ID, map[string]any{"status": string(j.Status)}); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, j)
}
