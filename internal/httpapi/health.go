package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/wellbase/wellbase"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyTimeout bounds the readiness checks of one /readyz request.
const readyTimeout = 2 * time.Second

// dependency is one thing /readyz checks: its name in the answer, the user-safe message when it
// fails, and its check.
type dependency struct {
	name, failure string
	check         func(context.Context) error
}

// dependencies returns what /readyz checks: the database, and the file store if the server
// stores well logs.
func (s *Server) dependencies() []dependency {
	deps := []dependency{{"database", "the database does not answer", s.store.Ping}}
	if s.logs != nil && s.logs.Files != nil {
		deps = append(deps, dependency{"files", "the file store does not answer", s.logs.Files.Check})
	}
	return deps
}

// readyz answers 200 {"status": "ready", "<dependency>": "ok", …} when every dependency answers
// within readyTimeout (they are checked concurrently), else 503 unavailable naming the first
// that failed, in the order of dependencies; each failure is logged with its cause. Once Drain
// was called it answers 503 at once, so that the balancer sends this replica no new request.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if s.draining.Load() {
		// Answered here rather than through writeError, which logs an unavailable dependency.
		w.Header().Set("Content-Type", "application/problem+json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusServiceUnavailable)
		return json.NewEncoder(w).Encode(Problem{Type: "https://wellbase.dev/problems/" + wellbase.EUnavailable, Title: http.StatusText(http.StatusServiceUnavailable),
			Status: http.StatusServiceUnavailable, Code: wellbase.EUnavailable, Detail: "this replica is shutting down; its in-flight requests are finishing",
			RequestID: wellbase.RequestIDFromContext(r.Context())})
	}
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	deps := s.dependencies()
	errs := make([]error, len(deps))
	var wg sync.WaitGroup
	for i, d := range deps {
		wg.Go(func() { errs[i] = d.check(ctx) })
	}
	wg.Wait()
	for i, d := range deps {
		if errs[i] != nil {
			s.log.WarnContext(ctx, "readiness: "+d.failure, "dependency", d.name, "error", errs[i].Error())
			return wellbase.Errorf(wellbase.EUnavailable, "%s", d.failure)
		}
	}
	body := map[string]string{"status": "ready"}
	for _, d := range deps {
		body[d.name] = "ok"
	}
	return writeJSON(w, http.StatusOK, body)
}

func (s *Server) prometheus(w http.ResponseWriter, r *http.Request) error {
	s.promHandler.ServeHTTP(w, r)
	return nil
}

// Drain turns /readyz to 503 for good: the process is shutting down (SIGTERM). Requests are
// still served, so that those the balancer sends before it notices do not fail.
func (s *Server) Drain() { s.draining.Store(true) }
