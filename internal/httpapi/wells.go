package httpapi

import (
	"net/http"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/wells"
)

func (s *Server) createWell(w http.ResponseWriter, r *http.Request) error {
	var req wells.Input
	if err := decode(w, r, &req); err != nil {
		return err
	}
	well, err := s.wells.Create(r.Context(), wellbase.TenantFromContext(r.Context()), req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, well)
}

func (s *Server) listWells(w http.ResponseWriter, r *http.Request) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	ws, next, err := s.tenantStore(r).ListWells(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(ws, next))
}

func (s *Server) getWell(w http.ResponseWriter, r *http.Request) error {
	well, err := s.tenantStore(r).GetWell(r.Context(), r.PathValue("well"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, well)
}

func (s *Server) patchWell(w http.ResponseWriter, r *http.Request) error {
	var u wellbase.WellUpdate
	if err := decode(w, r, &u); err != nil {
		return err
	}
	well, err := s.wells.Update(r.Context(), wellbase.TenantFromContext(r.Context()), r.PathValue("well"), u)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, well)
}

func (s *Server) deleteWell(w http.ResponseWriter, r *http.Request) error {
	if err := s.wells.Delete(r.Context(), wellbase.TenantFromContext(r.Context()), r.PathValue("well")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
