package httpapi

import (
	"net/http"
	"strings"

	"github.com/wellbase/wellbase"
)

type wellCreate struct {
	Name      string   `json:"name"`
	UWI       string   `json:"uwi"`
	Field     string   `json:"field"`
	Operator  string   `json:"operator"`
	Latitude  *float64 `json:"latitude"`
	Longitude *float64 `json:"longitude"`
}

func (s *Server) createWell(w http.ResponseWriter, r *http.Request) error {
	var req wellCreate
	if err := decode(w, r, &req); err != nil {
		return err
	}
	ts := s.tenantStore(r)
	now := s.now().UTC()
	well := &wellbase.Well{
		ID: wellbase.NewIDContext(r.Context(), "wel"), TenantID: ts.TenantID(),
		Name: strings.TrimSpace(req.Name), UWI: strings.TrimSpace(req.UWI), Field: strings.TrimSpace(req.Field), Operator: strings.TrimSpace(req.Operator),
		Latitude: req.Latitude, Longitude: req.Longitude, CreatedAt: now, UpdatedAt: now,
	}
	if err := well.Validate(); err != nil {
		return err
	}
	if err := ts.CreateWell(r.Context(), well); err != nil {
		if made := madeBefore(r, err, func() (*wellbase.Well, error) { return ts.GetWell(r.Context(), well.ID) }); made != nil {
			if made.Name != well.Name || made.UWI != well.UWI {
				return keyReusedAfterDeath()
			}
			return writeJSON(w, http.StatusCreated, made)
		}
		return err
	}
	if err := s.audit(r, ts.TenantID(), "well.create", well.ID, map[string]any{"name": well.Name, "uwi": well.UWI}); err != nil {
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
	ts := s.tenantStore(r)
	well, err := ts.GetWell(r.Context(), r.PathValue("well"))
	if err != nil {
		return err
	}
	updated := u.Apply(*well)
	updated.UpdatedAt = s.now().UTC()
	if err := updated.Validate(); err != nil {
		return err
	}
	if err := ts.UpdateWell(r.Context(), &updated); err != nil {
		return err
	}
	if err := s.audit(r, ts.TenantID(), "well.update", well.ID, changedWellFields(u)); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, updated)
}

func (s *Server) deleteWell(w http.ResponseWriter, r *http.Request) error {
	ts := s.tenantStore(r)
	id := r.PathValue("well")
	if err := ts.DeleteWell(r.Context(), id); err != nil {
		return err
	}
	if err := s.audit(r, ts.TenantID(), "well.delete", id, nil); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// changedWellFields lists the fields a patch set, for the audit event.
func changedWellFields(u wellbase.WellUpdate) map[string]any {
	var f []string
	for name, set := range map[string]bool{"name": u.Name != nil, "uwi": u.UWI != nil, "field": u.Field != nil,
		"operator": u.Operator != nil, "latitude": u.Latitude != nil, "longitude": u.Longitude != nil} {
		if set {
			f = append(f, name)
		}
	}
	return map[string]any{"fields": f}
}
