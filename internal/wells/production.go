package wells

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/production"
)

// ImportedWell is one well of a production import: the stored well it went to and how the file
// named it.
type ImportedWell struct {
	ID      string                     `json:"id"`
	Name    string                     `json:"name"`
	UWI     string                     `json:"uwi,omitempty"`
	Code    string                     `json:"code"`
	Created bool                       `json:"created"`
	Names   []string                   `json:"names"`
	Periods []production.PeriodSummary `json:"periods"`
}

// ProductionImport is what an import stored, with what the parser found (see production.Result).
type ProductionImport struct {
	ID         string
	RowsStored int
	Wells      []ImportedWell
	*production.Result
}

// ImportProduction reads production volumes from body (format "csv", "xlsx" or a Content-Type,
// see production.Parse), matches each well of the file to tenant's wells or creates it
// (Matcher), and upserts the records by (well, date, period), so that importing the same file
// again changes nothing. A production.import audit event records the counts. Bad rows are issues
// with sheet and row and never stop the good ones; a file that cannot be read, or of which no
// row can be used, is EInvalid and nothing is stored (not even wells). Reading body may fail
// with the caller's error (e.g. a size limit), returned as it is.
func (s *Service) ImportProduction(ctx context.Context, tenant string, body io.Reader, format string, opt production.Options) (*ProductionImport, error) {
	res, err := production.Parse(body, format, opt)
	if err != nil {
		return nil, err
	}
	if len(res.Records) == 0 {
		why := make([]string, 0, 3)
		for _, is := range res.Issues[:min(3, len(res.Issues))] {
			why = append(why, fmt.Sprintf("row %d: %s", is.Row, is.Message))
		}
		return nil, wellbase.Errorf(wellbase.EInvalid, "no row of the file could be read (%d rows read): %s", res.RowsRead, strings.Join(why, "; "))
	}
	imp := &ProductionImport{ID: wellbase.NewIDContext(ctx, "imp"), Result: res}
	m, err := s.Matcher(ctx, tenant)
	if err != nil {
		return nil, err
	}
	if err := s.checkStoredUnits(ctx, tenant, m, res); err != nil {
		return nil, err
	}
	ids := map[string]string{}
	imp.Wells = make([]ImportedWell, 0, len(res.Wells))
	for _, ws := range res.Wells {
		uwi, name := ws.UWI, ws.Name
		if uwi == "" {
			uwi = ws.Code
		}
		if name == "" {
			name = ws.Code
		}
		ref := wellbase.WellRef{IDs: []string{ws.UWI, ws.Code}, Names: append([]string{ws.Name}, ws.Names...)}
		w, created, err := m.FindOrCreate(ctx, ref, wellbase.Well{Name: name, UWI: uwi}, "", map[string]any{"from_import": true})
		if err != nil {
			return nil, err
		}
		ids[ws.Code] = w.ID
		imp.Wells = append(imp.Wells, ImportedWell{ID: w.ID, Code: ws.Code, Name: ws.Name, UWI: ws.UWI, Names: ws.Names, Periods: ws.Periods, Created: created})
	}
	now := s.now()
	records := make([]*wellbase.ProductionRecord, len(res.Records))
	for i := range res.Records {
		rec := &res.Records[i]
		records[i] = &wellbase.ProductionRecord{
			WellID: ids[rec.Well.Code], Date: rec.Date, Period: string(rec.Period),
			Oil: rec.Oil, Gas: rec.Gas, Water: rec.Water, WaterInjected: rec.WaterInjected, GasInjected: rec.GasInjected,
			OnStreamHours: rec.OnStreamHours, ImportID: imp.ID, UpdatedAt: now,
			Units: wellbase.ProductionUnits{Oil: rec.Units.Oil, Gas: rec.Units.Gas, Water: rec.Units.Water,
				WaterInjected: rec.Units.WaterInjected, GasInjected: rec.Units.GasInjected},
		}
	}
	if imp.RowsStored, err = s.Store.Tenant(tenant).UpsertProduction(ctx, records); err != nil {
		return nil, err
	}
	return imp, s.audit(ctx, tenant, "", "production.import", imp.ID, map[string]any{
		"format": res.Format, "rows_read": res.RowsRead, "rows_stored": imp.RowsStored, "wells": len(imp.Wells),
		"issues": len(res.Issues) + res.IssuesOmitted})
}

// checkStoredUnits refuses an import whose volumes of a phase are in another unit than the
// volumes of that phase already stored for the same well (either period): volumes are never
// converted, so a well's series of a phase must keep one unit, or its charts and decline fits
// would mix, e.g., Sm3 and Mcf. It runs before anything is stored (wells the file would create
// have nothing stored). The error names the well, the phase and both units.
func (s *Service) checkStoredUnits(ctx context.Context, tenant string, m *Matcher, res *production.Result) error {
	ts := s.Store.Tenant(tenant)
	stored := map[string]map[production.Phase]string{} // well ID → phase → unit stored
	for _, ws := range res.Wells {
		w := m.Find(wellbase.WellRef{IDs: []string{ws.UWI, ws.Code}, Names: append([]string{ws.Name}, ws.Names...)})
		if w == nil || stored[w.ID] != nil {
			continue
		}
		units := map[production.Phase]string{}
		for _, period := range []string{wellbase.PeriodDay, wellbase.PeriodMonth} {
			recs, err := ts.Production(ctx, wellbase.ProductionQuery{WellID: w.ID, Period: period})
			if err != nil {
				return err
			}
			for _, r := range recs {
				for _, p := range production.Phases() {
					if v, u, _ := r.Volume(string(p)); v != nil && u != "" && units[p] == "" {
						units[p] = u
					}
				}
			}
		}
		stored[w.ID] = units
		for i := range res.Records {
			rec := &res.Records[i]
			if rec.Well.Code != ws.Code {
				continue
			}
			for _, p := range production.Phases() {
				v, u := rec.Volume(p)
				if have := units[p]; v != nil && u != "" && have != "" && u != have {
					at := fmt.Sprintf("row %d", rec.Row)
					if rec.Sheet != "" {
						at = "sheet " + rec.Sheet + " " + at
					}
					return wellbase.Errorf(wellbase.EInvalid, "well %s: its %s volumes are stored in %s and this file gives them in %s (%s, %s); volumes are never converted: import them in %s",
						w.Name, p, have, u, rec.Date.Format(time.DateOnly), at, have)
				}
			}
		}
	}
	return nil
}
