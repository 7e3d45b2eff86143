// Package forecasts runs decline-curve forecasts of a well's production (the decline-fit job):
// it turns stored volumes into rates, fits an Arps decline (internal/dca) and stores the
// forecast with its history, fit quality, EUR and series.
package forecasts

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/dca"
)

// JobType is the job type of a decline fit.
const JobType = "decline-fit"

// Params are a decline-fit job's parameters.
type Params struct {
	Well  string `json:"well"`
	Phase string `json:"phase"`
	// Model is exponential, harmonic, hyperbolic (default), modified-hyperbolic or auto.
	Model string `json:"model"`
	// Start is "peak" (default) or a date YYYY-MM-DD: the first point of the decline.
	Start string `json:"start"`
	// Period is the series to fit: "month" (calendar-day rates from monthly volumes), "day", or
	// "" for monthly when the well has at least 6 months of it, else daily.
	Period string `json:"period"`
	// AbandonmentRate is the economic limit, volume per day; 0 = none (then the horizon ends it).
	AbandonmentRate float64 `json:"abandonment_rate"`
	// TerminalDeclineEffectivePerYear is the terminal decline (tangent effective, a fraction per
	// year, e.g. 0.08) of a modified hyperbolic; with auto it adds that candidate.
	TerminalDeclineEffectivePerYear float64 `json:"terminal_decline_effective_per_year"`
	// HorizonYears is the forecast length after the last production date (default 30).
	HorizonYears float64 `json:"horizon_years"`
}

// ParseParams reads and checks a decline-fit job's params; errors name the field (EInvalid).
func ParseParams(raw json.RawMessage) (Params, error) {
	var p Params
	if err := wellbase.DecodeParams(raw, &p); err != nil {
		return p, err
	}
	if p.Well == "" {
		return p, wellbase.FieldError(wellbase.EInvalid, "params.well", "params.well is required: the well to forecast")
	}
	if p.Phase == "" {
		p.Phase = "oil"
	}
	if _, _, ok := (&wellbase.ProductionRecord{}).Volume(p.Phase); !ok || strings.Contains(p.Phase, "injected") {
		return p, wellbase.FieldError(wellbase.EInvalid, "params.phase", "params.phase must be oil, gas or water, got %q", p.Phase)
	}
	switch dca.Model(p.Model) {
	case "":
		p.Model = string(dca.Hyperbolic)
	case dca.Exponential, dca.Harmonic, dca.Hyperbolic, dca.ModifiedHyperbolic, dca.Auto:
	default:
		return p, wellbase.FieldError(wellbase.EInvalid, "params.model", "params.model must be exponential, harmonic, hyperbolic, modified-hyperbolic or auto, got %q", p.Model)
	}
	if p.Start == "" {
		p.Start = "peak"
	}
	if p.Start != "peak" {
		if _, err := time.Parse(time.DateOnly, p.Start); err != nil {
			return p, wellbase.FieldError(wellbase.EInvalid, "params.start", `params.start must be "peak" or a date YYYY-MM-DD, got %q`, p.Start)
		}
	}
	if p.Period != "" && p.Period != wellbase.PeriodDay && p.Period != wellbase.PeriodMonth {
		return p, wellbase.FieldError(wellbase.EInvalid, "params.period", "params.period must be day or month, got %q", p.Period)
	}
	if p.AbandonmentRate < 0 || math.IsNaN(p.AbandonmentRate) {
		return p, wellbase.FieldError(wellbase.EInvalid, "params.abandonment_rate", "params.abandonment_rate must be ≥ 0 (volume per day)")
	}
	if d := p.TerminalDeclineEffectivePerYear; d < 0 || d >= 1 || math.IsNaN(d) {
		return p, wellbase.FieldError(wellbase.EInvalid, "params.terminal_decline_effective_per_year", "params.terminal_decline_effective_per_year must be a fraction per year in [0, 1), got %g", d)
	}
	if dca.Model(p.Model) == dca.ModifiedHyperbolic && p.TerminalDeclineEffectivePerYear == 0 {
		return p, wellbase.FieldError(wellbase.EInvalid, "params.terminal_decline_effective_per_year", "the modified-hyperbolic model needs params.terminal_decline_effective_per_year (e.g. 0.08)")
	}
	if p.HorizonYears == 0 {
		p.HorizonYears = 30
	}
	if p.HorizonYears < 0 || p.HorizonYears > 100 {
		return p, wellbase.FieldError(wellbase.EInvalid, "params.horizon_years", "params.horizon_years must be from 0 to 100, got %g", p.HorizonYears)
	}
	return p, nil
}

// Validate checks params and that the well exists in the tenant, before the job is queued.
func Validate(ctx context.Context, ts wellbase.TenantStore, raw json.RawMessage) error {
	p, err := ParseParams(raw)
	if err != nil {
		return err
	}
	if _, err := ts.GetWell(ctx, p.Well); err != nil {
		if wellbase.ErrorCode(err) == wellbase.ENotFound {
			return wellbase.FieldError(wellbase.EInvalid, "params.well", "well %q not found", p.Well)
		}
		return err
	}
	return nil
}

// Run fits and stores the forecast of a decline-fit job.
func Run(ctx context.Context, ts wellbase.TenantStore, job *wellbase.Job, now time.Time) (*wellbase.Forecast, error) {
	p, err := ParseParams(job.Params)
	if err != nil {
		return nil, err
	}
	well, err := ts.GetWell(ctx, p.Well)
	if err != nil {
		return nil, err
	}
	recs, period, err := series(ctx, ts, well.ID, p.Period)
	if err != nil {
		return nil, err
	}
	var (
		dates  []time.Time
		points []dca.Point
		cum    float64
		unit   string
		start  = dca.StartAtPeak
	)
	for _, r := range recs {
		v, u, _ := r.Volume(p.Phase)
		if v == nil {
			continue
		}
		if unit == "" {
			unit = u
		}
		cum += max(*v, 0)
		// A monthly volume over the calendar days of its month is a calendar-day rate, put at
		// mid-month (DOMAIN.md, "Production data").
		at, rate := r.Date, *v/r.Days()
		if period == wellbase.PeriodMonth {
			at = r.Date.Add(time.Duration(r.Days()/2*24) * time.Hour)
		}
		if p.Start != "peak" && start == dca.StartAtPeak && at.Format(time.DateOnly) >= p.Start {
			start = len(points)
		}
		dates = append(dates, at)
		points = append(points, dca.Point{T: at.Sub(dates[0]).Hours() / 24, Rate: max(rate, 0)})
	}
	if len(points) == 0 {
		return nil, wellbase.Errorf(wellbase.EInvalid, "well %s has no %s production to fit", well.Name, p.Phase)
	}
	if p.Start != "peak" && start == dca.StartAtPeak {
		return nil, wellbase.FieldError(wellbase.EInvalid, "params.start", "well %s has no %s production on or after %s", well.Name, p.Phase, p.Start)
	}
	opt := dca.FitOptions{Model: dca.Model(p.Model), Start: start}
	if p.TerminalDeclineEffectivePerYear > 0 {
		opt.DlimNominalPerDay = dca.NominalFromTangent(p.TerminalDeclineEffectivePerYear) / dca.DaysPerYear
	}
	fit, err := dca.FitDecline(points, opt)
	if err != nil {
		return nil, wellbase.Errorf(wellbase.EInvalid, "decline fit of %s %s: %s", well.Name, p.Phase, wellbase.ErrorMessage(err))
	}
	fopt := dca.ForecastOptions{Horizon: p.HorizonYears * dca.DaysPerYear, AbandonmentRate: p.AbandonmentRate, CumulativeToDate: cum}
	if opt.DlimNominalPerDay > 0 && fit.Params.Model == dca.Hyperbolic {
		// A terminal decline bounds a hyperbolic forecast (b ≥ 1 would never end otherwise).
		fopt.DlimNominalPerDay = opt.DlimNominalPerDay
	}
	fc, err := fit.Forecast(fopt)
	if err != nil {
		return nil, wellbase.Errorf(wellbase.EInvalid, "forecast of %s %s: %s", well.Name, p.Phase, wellbase.ErrorMessage(err))
	}
	origin := dates[0]
	at := func(t float64) string {
		return origin.Add(time.Duration(t * 24 * float64(time.Hour))).Format(time.DateOnly)
	}
	f := &wellbase.Forecast{
		ID: wellbase.NewIDContext(ctx, "fc"), TenantID: ts.TenantID(), WellID: well.ID, JobID: job.ID, Phase: p.Phase, Unit: unit,
		Model: string(fit.Summary.Model), Qi: fit.Summary.Qi, DiNominalPerDay: fit.Summary.DiNominalPerDay,
		DiEffectivePerYear: fit.Summary.DiEffectivePerYear, DiConvention: string(fit.Summary.DiConvention), B: fit.Summary.B,
		DlimNominalPerDay: fit.Summary.DlimNominalPerDay,
		Fit:               wellbase.FitQuality{RMSELog: fit.RMSELog, R2: fit.R2, PointsUsed: fit.PointsUsed, PointsDropped: fit.PointsDropped},
		StartDate:         dates[fit.StartIndex].UTC(), AbandonmentRate: p.AbandonmentRate, HorizonYears: p.HorizonYears,
		CumulativeToDate: fc.CumulativeToDate, EUR: fc.EUR, Remaining: fc.Remaining, CreatedAt: now.UTC(),
		Notes: []string{fmt.Sprintf("%s rates from %s volumes (%d points); %s", p.Phase, period, len(points), fit.Chosen)},
	}
	if fc.End != "" {
		f.Notes = append(f.Notes, "forecast ends at the "+fc.End)
	}
	for i, pt := range points {
		f.History = append(f.History, wellbase.RatePoint{Date: dates[i].Format(time.DateOnly), Rate: pt.Rate})
	}
	for i, t := range fc.T {
		f.Series = append(f.Series, wellbase.RatePoint{Date: at(t), Rate: fc.Rate[i]})
	}
	if err := ts.CreateForecast(ctx, f); err != nil {
		if wellbase.ErrorCode(err) == wellbase.EConflict && wellbase.SeededID(ctx) {
			// An earlier attempt of this job stored it, then its worker died before the
			// job's end was recorded: that forecast is the answer.
			return ts.GetForecast(ctx, f.ID)
		}
		return nil, err
	}
	return f, nil
}

// series returns the well's records of period, or of the better period when period is "".
func series(ctx context.Context, ts wellbase.TenantStore, wellID, period string) ([]*wellbase.ProductionRecord, string, error) {
	if period != "" {
		recs, err := ts.Production(ctx, wellbase.ProductionQuery{WellID: wellID, Period: period})
		return recs, period, err
	}
	monthly, err := ts.Production(ctx, wellbase.ProductionQuery{WellID: wellID, Period: wellbase.PeriodMonth})
	if err != nil {
		return nil, "", err
	}
	if len(monthly) >= 6 {
		return monthly, wellbase.PeriodMonth, nil
	}
	daily, err := ts.Production(ctx, wellbase.ProductionQuery{WellID: wellID, Period: wellbase.PeriodDay})
	return daily, wellbase.PeriodDay, err
}
