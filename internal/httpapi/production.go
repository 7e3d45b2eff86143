package httpapi

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/production"
)

// importedWell is one well of an import answer.
type importedWell struct {
	ID      string                     `json:"id"`
	Name    string                     `json:"name"`
	UWI     string                     `json:"uwi,omitempty"`
	Code    string                     `json:"code"`
	Created bool                       `json:"created"`
	Names   []string                   `json:"names"`
	Periods []production.PeriodSummary `json:"periods"`
}

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
	res, err := production.Parse(body, format, opt)
	if err != nil {
		return err
	}
	if len(res.Records) == 0 {
		// Nothing usable: say why with the first issues, and store nothing (not even wells).
		why := make([]string, 0, 3)
		for _, is := range res.Issues[:min(3, len(res.Issues))] {
			why = append(why, fmt.Sprintf("row %d: %s", is.Row, is.Message))
		}
		return wellbase.Errorf(wellbase.EInvalid, "no row of the file could be read (%d rows read): %s", res.RowsRead, strings.Join(why, "; "))
	}
	ts := s.tenantStore(r)
	importID := wellbase.NewIDContext(r.Context(), "imp")
	wells, ids, err := s.matchProductionWells(r, ts, res)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	records := make([]*wellbase.ProductionRecord, len(res.Records))
	for i := range res.Records {
		rec := &res.Records[i]
		records[i] = &wellbase.ProductionRecord{
			WellID: ids[rec.Well.Code], Date: rec.Date, Period: string(rec.Period),
			Oil: rec.Oil, Gas: rec.Gas, Water: rec.Water, WaterInjected: rec.WaterInjected, GasInjected: rec.GasInjected,
			OnStreamHours: rec.OnStreamHours, ImportID: importID, UpdatedAt: now,
			Units: wellbase.ProductionUnits{Oil: rec.Units.Oil, Gas: rec.Units.Gas, Water: rec.Units.Water,
				WaterInjected: rec.Units.WaterInjected, GasInjected: rec.Units.GasInjected},
		}
	}
	stored, err := ts.UpsertProduction(r.Context(), records)
	if err != nil {
		return err
	}
	if err := s.audit(r, ts.TenantID(), "production.import", importID, map[string]any{
		"format": res.Format, "rows_read": res.RowsRead, "rows_stored": stored, "wells": len(wells), "issues": len(res.Issues) + res.IssuesOmitted}); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]any{
		"import_id": importID, "format": res.Format, "rows_read": res.RowsRead, "rows_stored": stored,
		"wells": wells, "issues": nonNil(res.Issues), "issues_omitted": res.IssuesOmitted, "issue_counts": res.IssueCounts, "sheets": nonNil(res.Sheets),
	})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// matchProductionWells finds each well of an import among the tenant's wells (by UWI or code,
// then by any of its names) or creates it, and maps well codes to well IDs.
func (s *Server) matchProductionWells(r *http.Request, ts wellbase.TenantStore, res *production.Result) ([]importedWell, map[string]string, error) {
	ctx := r.Context()
	byUWI, byName := map[string]*wellbase.Well{}, map[string]*wellbase.Well{}
	for w, err := range wellbase.Each(ctx, ts.ListWells) {
		if err != nil {
			return nil, nil, err
		}
		if w.UWI != "" {
			byUWI[strings.ToUpper(w.UWI)] = w
		}
		byName[strings.ToUpper(w.Name)] = w
	}
	out := make([]importedWell, 0, len(res.Wells))
	ids := map[string]string{}
	for _, ws := range res.Wells {
		iw := importedWell{Code: ws.Code, Name: ws.Name, UWI: ws.UWI, Names: ws.Names, Periods: ws.Periods}
		var found *wellbase.Well
		for _, k := range []string{ws.UWI, ws.Code} {
			if k != "" && found == nil {
				found = byUWI[strings.ToUpper(k)]
			}
		}
		for _, n := range append([]string{ws.Name}, ws.Names...) {
			if n != "" && found == nil {
				found = byName[strings.ToUpper(n)]
			}
		}
		if found == nil {
			now := s.now().UTC()
			uwi := ws.UWI
			if uwi == "" {
				uwi = ws.Code
			}
			name := ws.Name
			if name == "" {
				name = ws.Code
			}
			found = &wellbase.Well{ID: wellbase.NewIDContext(ctx, "wel"), TenantID: ts.TenantID(), Name: name, UWI: uwi, CreatedAt: now, UpdatedAt: now}
			if err := found.Validate(); err != nil {
				return nil, nil, err
			}
			if err := ts.CreateWell(ctx, found); err != nil {
				return nil, nil, err
			}
			if err := s.audit(r, ts.TenantID(), "well.create", found.ID, map[string]any{"name": name, "uwi": uwi, "from_import": true}); err != nil {
				return nil, nil, err
			}
			iw.Created = true
			byUWI[strings.ToUpper(uwi)] = found
			byName[strings.ToUpper(name)] = found
		}
		iw.ID = found.ID
		ids[ws.Code] = found.ID
		out = append(out, iw)
	}
	return out, ids, nil
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
