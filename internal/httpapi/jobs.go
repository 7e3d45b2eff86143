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
	var req jobCreate
	if err := decode(w, r, &req); err != nil {
		return err
	}
	j, err := s.enqueueJob(r, req.Type, req.Params)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, j)
}

// enqueueJob validates params for the job type typ, queues the job for the request's tenant and
// principal, and audits it: the one way to start a job, for the API and the pages.
func (s *Server) enqueueJob(r *http.Request, typ string, params json.RawMessage) (*wellbase.Job, error) {
	if s.queue == nil {
		return nil, wellbase.Errorf(wellbase.EUnavailable, "the job queue is not configured")
	}
	jt, ok := s.jobTypes[typ]
	if !ok {
		names := make([]string, 0, len(s.jobTypes))
		for n := range s.jobTypes {
			names = append(names, n)
		}
		sort.Strings(names)
		return nil, wellbase.FieldError(wellbase.EInvalid, "type", "job type %q is unknown (known: %s)", clipID(typ), strings.Join(names, ", "))
	}
	if len(params) == 0 || string(params) == "null" {
		params = json.RawMessage("{}")
	}
	ts := s.tenantStore(r)
	if jt.Validate != nil {
		if err := jt.Validate(r.Context(), ts, params); err != nil {
			return nil, err
		}
	}
	p := wellbase.PrincipalFromContext(r.Context())
	j, err := s.queue.Enqueue(r.Context(), ts.TenantID(), typ, params, p.Actor())
	if err != nil {
		return nil, err
	}
	if err := s.audit(r, ts.TenantID(), "job.create", j.ID, map[string]any{"type": j.Type}); err != nil {
		return nil, err
	}
	return j, nil
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
	j, err := s.cancelTenantJob(r, r.PathValue("job"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, j)
}

// cancelTenantJob cancels the request tenant's job id and audits it (API and pages).
func (s *Server) cancelTenantJob(r *http.Request, id string) (*wellbase.Job, error) {
	ts := s.tenantStore(r)
	j, err := ts.CancelJob(r.Context(), id, s.now())
	if err != nil {
		return nil, err
	}
	if err := s.audit(r, ts.TenantID(), "job.cancel", j.ID, map[string]any{"status": string(j.Status)}); err != nil {
		return nil, err
	}
	return j, nil
}
