package mongodb

import (
	"context"
	"time"

	"github.com/wellbase/wellbase"
)

// forecastDoc is a document of forecasts: a wellbase.Forecast.
type forecastDoc struct {
	Key                string         `bson:"_id"` // "<tenant>/<id>"
	TenantID           string         `bson:"tenant"`
	ID                 string         `bson:"id"`
	WellID             string         `bson:"well_id"`
	JobID              string         `bson:"job_id"`
	Phase              string         `bson:"phase"`
	Unit               string         `bson:"unit"`
	Model              string         `bson:"model"`
	Qi                 float64        `bson:"qi"`
	DiNominalPerDay    float64        `bson:"di_nominal_per_day"`
	DiEffectivePerYear float64        `bson:"di_effective_per_year"`
	DiConvention       string         `bson:"di_convention"`
	B                  float64        `bson:"b"`
	DlimNominalPerDay  float64        `bson:"dlim_nominal_per_day"`
	Fit                fitDoc         `bson:"fit"`
	StartDate          time.Time      `bson:"start_date"`
	AbandonmentRate    float64        `bson:"abandonment_rate"`
	HorizonYears       float64        `bson:"horizon_years"`
	CumulativeToDate   float64        `bson:"cumulative_to_date"`
	EUR                float64        `bson:"eur"`
	Remaining          float64        `bson:"remaining"`
	History            []ratePointDoc `bson:"history"`
	Series             []ratePointDoc `bson:"series"`
	Notes              []string       `bson:"notes"`
	CreatedAt          time.Time      `bson:"created_at"`
}

// fitDoc is wellbase.FitQuality.
type fitDoc struct {
	RMSELog       float64 `bson:"rmse_log"`
	R2            float64 `bson:"r2"`
	PointsUsed    int     `bson:"points_used"`
	PointsDropped int     `bson:"points_dropped"`
}

// ratePointDoc is wellbase.RatePoint.
type ratePointDoc struct {
	Date string  `bson:"date"`
	Rate float64 `bson:"rate"`
}

func ratePointDocs(ps []wellbase.RatePoint) []ratePointDoc {
	out := make([]ratePointDoc, len(ps))
	for i, p := range ps {
		out[i] = ratePointDoc(p)
	}
	return out
}

func ratePoints(ps []ratePointDoc) []wellbase.RatePoint {
	var out []wellbase.RatePoint
	for _, p := range ps {
		out = append(out, wellbase.RatePoint(p))
	}
	return out
}

// CreateForecast inserts f with its TenantID set to the store's tenant; EConflict if its ID
// exists in the tenant.
func (s *TenantDB) CreateForecast(ctx context.Context, f *wellbase.Forecast) error {
	if err := s.check(ctx, "create forecast"); err != nil {
		return err
	}
	f.TenantID = s.tenant
	_, err := s.db.coll(colForecasts).InsertOne(ctx, s.forecastDoc(f))
	if isDup(err) {
		return wellbase.Errorf(wellbase.EConflict, "forecast %s already exists in tenant %s", f.ID, s.tenant)
	}
	return wrap("create forecast", err)
}

// GetForecast returns the tenant's forecast id; ENotFound if there is none.
func (s *TenantDB) GetForecast(ctx context.Context, id string) (*wellbase.Forecast, error) {
	if err := s.check(ctx, "get forecast"); err != nil {
		return nil, err
	}
	var d forecastDoc
	err := findOne(ctx, s.db.coll(colForecasts), s.byID(id), &d)
	if isNoDoc(err) {
		return nil, notFound("forecast", id)
	}
	if err != nil {
		return nil, wrap("get forecast", err)
	}
	return d.forecast(), nil
}

func (s *TenantDB) forecastDoc(f *wellbase.Forecast) *forecastDoc {
	return &forecastDoc{
		Key: s.key(f.ID), TenantID: s.tenant, ID: f.ID, WellID: f.WellID, JobID: f.JobID, Phase: f.Phase, Unit: f.Unit,
		Model: f.Model, Qi: f.Qi, DiNominalPerDay: f.DiNominalPerDay, DiEffectivePerYear: f.DiEffectivePerYear,
		DiConvention: f.DiConvention, B: f.B, DlimNominalPerDay: f.DlimNominalPerDay, Fit: fitDoc(f.Fit),
		StartDate: f.StartDate, AbandonmentRate: f.AbandonmentRate, HorizonYears: f.HorizonYears,
		CumulativeToDate: f.CumulativeToDate, EUR: f.EUR, Remaining: f.Remaining, History: ratePointDocs(f.History),
		Series: ratePointDocs(f.Series), Notes: f.Notes, CreatedAt: f.CreatedAt,
	}
}

func (d *forecastDoc) forecast() *wellbase.Forecast {
	return &wellbase.Forecast{
		ID: d.ID, TenantID: d.TenantID, WellID: d.WellID, JobID: d.JobID, Phase: d.Phase, Unit: d.Unit, Model: d.Model,
		Qi: d.Qi, DiNominalPerDay: d.DiNominalPerDay, DiEffectivePerYear: d.DiEffectivePerYear, DiConvention: d.DiConvention,
		B: d.B, DlimNominalPerDay: d.DlimNominalPerDay, Fit: wellbase.FitQuality(d.Fit), StartDate: d.StartDate,
		AbandonmentRate: d.AbandonmentRate, HorizonYears: d.HorizonYears, CumulativeToDate: d.CumulativeToDate,
		EUR: d.EUR, Remaining: d.Remaining, History: ratePoints(d.History), Series: ratePoints(d.Series),
		Notes: d.Notes, CreatedAt: d.CreatedAt,
	}
}
