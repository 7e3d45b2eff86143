package httpapi

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/production"
)

// importProduction reads production volumes from a CSV or XLSX body (?format=csv|xlsx or the
// Content-Type), matches or creates the wells, and upserts the records by (well, date, period),
// so that importing the same file again changes nothing. Bad rows are reported as issues with
// sheet and row and never stop the good ones; a file that cannot be read at all is 422 and
// nothing is stored.
func (s *Server) importProduction(w http.ResponseWriter, r *http.Request) error {
	t := requestTenant(r)
	lim := t.EffectiveLimits()
	if r.ContentLength > lim.UploadBytes {
		return tooLarge(t.ID, lim.UploadBytes)
	}
	format, err := formatParam(r, "", "csv", "xlsx")
	if err != nil {
		return err
	}
	if format == "" {
		format = r.Header.Get("Content-Type")
	}
	q := r.URL.Query()
	opt := production.Options{Units: production.Units{Oil: q.Get("oil_unit"), Gas: q.Get("gas_unit"), Water: q.Get("water_unit"),
		WaterInjected: q.Get("water_injected_unit"), GasInjected: q.Get("gas_injected_unit")}}
	body := &limitedBody{r: http.MaxBytesReader(w, r.Body, lim.UploadBytes), tenant: t.ID, limit: lim.UploadBytes}
	imp, err := s.wells.ImportProduction(r.Context(), t.ID, body, format, opt)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]any{
		"import_id": imp.ID, "format": imp.Format, "rows_read": imp.RowsRead, "rows_stored": imp.RowsStored,
		"wells": imp.Wells, "issues": nonNil(imp.Issues), "issues_omitted": imp.IssuesOmitted, "issue_counts": imp.IssueCounts, "sheets": nonNil(imp.Sheets),
	})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// productionPoint is one point of a production series.
type productionPoint struct {
	Date          string   `json:"date"`
	Volume        *float64 `json:"volume"`
	OnStreamHours *float64 `json:"on_stream_hours"`
}

// wellProduction answers one phase of a well's production of one period.
func (s *Server) wellProduction(w http.ResponseWriter, r *http.Request) error {
	well, q, phases, recs, err := s.production(r)
	if err != nil {
		return err
	}
	if len(phases) != 1 {
		return wellbase.FieldError(wellbase.EBadRequest, "phase", "a series is of one phase, got %d (several phases go on one chart at …/production/plot.svg)", len(phases))
	}
	phase := phases[0]
	unit := ""
	points := make([]productionPoint, len(recs))
	for i, rec := range recs {
		v, u, _ := rec.Volume(phase)
		if unit == "" {
			unit = u
		}
		points[i] = productionPoint{Date: rec.Date.Format(time.DateOnly), Volume: v, OnStreamHours: rec.OnStreamHours}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"well": well.ID, "well_name": well.Name, "period": q.Period, "phase": phase, "unit": unit, "points": points})
}

// production reads the records the request asks for (see productionQuery).
func (s *Server) production(r *http.Request) (*wellbase.Well, wellbase.ProductionQuery, []string, []*wellbase.ProductionRecord, error) {
	well, q, phases, err := s.productionQuery(r)
	if err != nil {
		return nil, q, nil, nil, err
	}
	recs, err := s.tenantStore(r).Production(r.Context(), q)
	return well, q, phases, recs, err
}

// productionQuery reads {well}, ?period=, ?phase= (one phase or a comma-separated list, default
// oil), ?from= and ?to=.
func (s *Server) productionQuery(r *http.Request) (*wellbase.Well, wellbase.ProductionQuery, []string, error) {
	var q wellbase.ProductionQuery
	well, err := s.tenantStore(r).GetWell(r.Context(), r.PathValue("well"))
	if err != nil {
		return nil, q, nil, err
	}
	qs := r.URL.Query()
	q.WellID, q.Period = well.ID, qs.Get("period")
	if q.Period == "" {
		q.Period = wellbase.PeriodDay
	}
	if q.Period != wellbase.PeriodDay && q.Period != wellbase.PeriodMonth {
		return nil, q, nil, wellbase.FieldError(wellbase.EBadRequest, "period", "period must be day or month, got %q", clipID(q.Period))
	}
	var phases []string
	for _, phase := range strings.Split(qs.Get("phase"), ",") {
		if phase = strings.TrimSpace(phase); phase == "" || slices.Contains(phases, phase) {
			continue
		}
		if _, _, ok := (&wellbase.ProductionRecord{}).Volume(phase); !ok {
			return nil, q, nil, wellbase.FieldError(wellbase.EBadRequest, "phase", "phase must be one of %s (or several, comma-separated), got %q", strings.Join(wellbase.Phases, ", "), clipID(phase))
		}
		phases = append(phases, phase)
	}
	if len(phases) == 0 {
		phases = []string{"oil"}
	}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &q.From}, {"to", &q.To}} {
		if v := qs.Get(p.name); v != "" {
			d, err := time.Parse(time.DateOnly, v)
			if err != nil {
				return nil, q, nil, wellbase.FieldError(wellbase.EBadRequest, p.name, "%s must be a date YYYY-MM-DD, got %q", p.name, clipID(v))
			}
			*p.dst = d
		}
	}
	return well, q, phases, nil
}
