package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/wellbase/wellbase"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "readiness: database does not answer", "error", err.Error())
		return wellbase.Errorf(wellbase.EUnavailable, "the database does not answer")
	}
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "database": "ok"})
}

func (s *Server) prometheus(w http.ResponseWriter, r *http.Request) error {
	s.promHandler.ServeHTTP(w, r)
	return nil
}
