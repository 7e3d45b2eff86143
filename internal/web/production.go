package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/production"
	"github.com/wellbase/wellbase/internal/wells"
)

// importForm is the production import form: the units of volume columns whose header and units
// row name none (the file's own units win, and a difference is reported as an issue), and the
// period of rows without a period cell ("" lets the parser decide per sheet).
type importForm struct {
	OilUnit, GasUnit, WaterUnit, Period string
	Error                               string
	Units                               map[string][]string // phase → the units offered
}

// volumeUnits are the units the form offers per phase (barrels for liquids, cubic feet for
// gas); the parser knows more spellings (NormalizeUnit).
var volumeUnits = map[string][]string{"oil": production.VolumeUnits(production.Oil), "gas": production.VolumeUnits(production.Gas),
	"water": production.VolumeUnits(production.Water)}

func (a *App) importPage(w http.ResponseWriter, r *http.Request) error {
	return a.render(w, r, http.StatusOK, "prodimport", "Import production", importForm{Units: volumeUnits})
}

// importResult is the import's answer: the stored counts, the wells matched or created, and the
// issues by sheet and row.
type importResult struct {
	*wells.ProductionImport
	FileName string
	Created  int
}

// maxImportFormMemory is how much of a multipart import form is held in memory; the rest of the
// file is spooled to a temporary file by net/http.
const maxImportFormMemory = 8 << 20

// importProduction reads the multipart form (fields oil_unit, gas_unit, water_unit, period and
// the file, at most the tenant's upload_bytes) and imports it with wells.Service.ImportProduction,
// as POST /api/v1/production does. A file that cannot be read shows the form again (422) with
// the reason.
func (a *App) importProduction(w http.ResponseWriter, r *http.Request) error {
	limit := int64(64 << 20)
	if t := a.cfg.Tenant(r); t != nil {
		limit = t.EffectiveLimits().UploadBytes
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit+64<<10)
	f := importForm{Units: volumeUnits}
	if err := r.ParseMultipartForm(maxImportFormMemory); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return wellbase.Errorf(wellbase.ETooLarge, "the file is larger than the tenant's upload limit: upload_bytes = %d (%.0f MiB)", limit, float64(limit)/(1<<20))
		}
		return wellbase.Errorf(wellbase.EBadRequest, "the form could not be read (multipart/form-data with a file): %v", err)
	}
	defer r.MultipartForm.RemoveAll()
	f.OilUnit, f.GasUnit, f.WaterUnit, f.Period = r.FormValue("oil_unit"), r.FormValue("gas_unit"), r.FormValue("water_unit"), r.FormValue("period")
	file, hdr, err := r.FormFile("file")
	if err != nil {
		f.Error = "Choose a CSV or XLSX file to import."
		return a.render(w, r, http.StatusUnprocessableEntity, "prodimport", "Import production", f)
	}
	defer file.Close()
	format := "csv"
	if strings.HasSuffix(strings.ToLower(hdr.Filename), ".xlsx") {
		format = "xlsx"
	}
	opt := production.Options{Units: production.Units{Oil: f.OilUnit, Gas: f.GasUnit, Water: f.WaterUnit}, DefaultPeriod: production.Period(f.Period)}
	imp, err := a.cfg.Wells.ImportProduction(r.Context(), wellbase.TenantFromContext(r.Context()), file, format, opt)
	if err != nil {
		if c := wellbase.ErrorCode(err); c != wellbase.EInvalid && c != wellbase.EBadRequest {
			return err
		}
		f.Error = hdr.Filename + ": " + wellbase.ErrorMessage(err)
		return a.render(w, r, http.StatusUnprocessableEntity, "prodimport", "Import production", f)
	}
	res := importResult{ProductionImport: imp, FileName: hdr.Filename}
	for _, w := range imp.Wells {
		if w.Created {
			res.Created++
		}
	}
	return a.render(w, r, http.StatusCreated, "prodresult", "Production imported", res)
}

// productionView is the production chart page's data: the query as chosen and the chart's URL
// (the API's SVG plot route, with the same parameters).
type productionView struct {
	Well                    *wellbase.Well
	Summary                 *productionSummary
	Period, Scale, From, To string
	Phases                  []phaseChoice
	PlotURL, Message        string
}

type phaseChoice struct {
	Phase, Label string
	Checked      bool
}

// productionPage shows a well's multi-phase rate chart with the period (day, month), the rate
// axis (log, linear), the phases and the date range chosen in a GET form.
func (a *App) productionPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ts := a.cfg.Store.Tenant(wellbase.TenantFromContext(ctx))
	well, err := ts.GetWell(ctx, r.PathValue("well"))
	if err != nil {
		return err
	}
	sum, err := a.production(r, ts, well)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v := productionView{Well: well, Summary: sum, Period: q.Get("period"), Scale: q.Get("scale"), From: q.Get("from"), To: q.Get("to")}
	if v.Period == "" && sum != nil {
		v.Period = sum.Period
	}
	if v.Period != wellbase.PeriodDay && v.Period != wellbase.PeriodMonth && v.Period != "" {
		return wellbase.FieldError(wellbase.EBadRequest, "period", "period must be day or month, got %q", clip(v.Period))
	}
	if v.Scale == "" {
		v.Scale = "log"
	}
	if v.Scale != "log" && v.Scale != "linear" {
		return wellbase.FieldError(wellbase.EBadRequest, "scale", "scale must be log or linear, got %q", clip(v.Scale))
	}
	for _, d := range []struct{ name, v string }{{"from", v.From}, {"to", v.To}} {
		if _, err := time.Parse(time.DateOnly, d.v); d.v != "" && err != nil {
			return wellbase.FieldError(wellbase.EBadRequest, d.name, "%s must be a date YYYY-MM-DD, got %q", d.name, clip(d.v))
		}
	}
	chosen := q["phase"]
	if len(chosen) == 0 {
		chosen = []string{"oil", "gas", "water"}
	}
	var phases []string
	for _, ph := range wellbase.Phases {
		c := slices.Contains(chosen, ph)
		v.Phases = append(v.Phases, phaseChoice{Phase: ph, Label: strings.ReplaceAll(ph, "_", " "), Checked: c})
		if c {
			phases = append(phases, ph)
		}
	}
	switch {
	case sum == nil:
		v.Message = "This well has no production yet."
	case len(phases) == 0:
		v.Message = "Choose at least one phase to plot."
	default:
		p := url.Values{"period": {v.Period}, "phase": {strings.Join(phases, ",")}, "scale": {v.Scale}}
		if v.From != "" {
			p.Set("from", v.From)
		}
		if v.To != "" {
			p.Set("to", v.To)
		}
		v.PlotURL = "/api/v1/wells/" + well.ID + "/production/plot.svg?" + p.Encode()
	}
	return a.render(w, r, http.StatusOK, "production", "Production of "+well.Name, v)
}
