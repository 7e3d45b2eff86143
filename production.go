package wellbase

import "time"

// Production periods.
const (
	PeriodDay   = "day"
	PeriodMonth = "month"
)

// Production phases: the volumes a ProductionRecord carries.
var Phases = []string{"oil", "gas", "water", "water_injected", "gas_injected"}

// ProductionRecord is the volumes of one well over one day or one calendar month. Volumes are
// nil when the source left them blank; their units are in Units (Sm3, bbl, Mcf, …), kept as
// imported and never converted silently. The record's key is (well, date, period): a re-import
// merges into it (TenantStore.UpsertProduction): what the new file has replaces, what it lacks
// is kept.
type ProductionRecord struct {
	TenantID string `json:"tenant"`
	WellID   string `json:"well_id"`
	// Date is the day, or the first day of the month, at 00:00 UTC.
	Date          time.Time       `json:"date"`
	Period        string          `json:"period"`
	Oil           *float64        `json:"oil,omitempty"`
	Gas           *float64        `json:"gas,omitempty"`
	Water         *float64        `json:"water,omitempty"`
	WaterInjected *float64        `json:"water_injected,omitempty"`
	GasInjected   *float64        `json:"gas_injected,omitempty"`
	OnStreamHours *float64        `json:"on_stream_hours,omitempty"`
	Units         ProductionUnits `json:"units"`
	ImportID      string          `json:"import_id"`
	UpdatedAt     time.Time       `json:"updated_at"`
}

// ProductionUnits names the unit of each volume of a record.
type ProductionUnits struct {
	Oil           string `json:"oil,omitempty"`
	Gas           string `json:"gas,omitempty"`
	Water         string `json:"water,omitempty"`
	WaterInjected string `json:"water_injected,omitempty"`
	GasInjected   string `json:"gas_injected,omitempty"`
}

// Volume returns the record's volume of phase and its unit; ok is false for an unknown phase.
func (r *ProductionRecord) Volume(phase string) (v *float64, unit string, ok bool) {
	switch phase {
	case "oil":
		return r.Oil, r.Units.Oil, true
	case "gas":
		return r.Gas, r.Units.Gas, true
	case "water":
		return r.Water, r.Units.Water, true
	case "water_injected":
		return r.WaterInjected, r.Units.WaterInjected, true
	case "gas_injected":
		return r.GasInjected, r.Units.GasInjected, true
	}
	return nil, "", false
}

// Days returns the calendar days the record covers: 1 for a day, 28 to 31 for a month. A
// volume over Days is a calendar-day rate (DOMAIN.md: not a producing-day rate).
func (r *ProductionRecord) Days() float64 {
	if r.Period == PeriodMonth {
		return r.Date.AddDate(0, 1, 0).Sub(r.Date).Hours() / 24
	}
	return 1
}

// ProductionQuery selects a well's records of one period in [From, To] (zero: unbounded).
type ProductionQuery struct {
	WellID string
	Period string
	From   time.Time
	To     time.Time
}

// Forecast is a decline-curve forecast of one well's phase, fitted by a decline-fit job.
// Rates are per day in Unit per day; declines are nominal per day internally, with the
// effective decline per year reported under its stated convention.
type Forecast struct {
	ID       string `json:"id"`
	TenantID string `json:"tenant"`
	WellID   string `json:"well_id"`
	JobID    string `json:"job_id"`
	Phase    string `json:"phase"`
	// Unit is the volume unit; rates are in Unit per day.
	Unit  string `json:"unit"`
	Model string `json:"model"`
	// Qi is the rate at StartDate (t = 0), per day.
	Qi                 float64 `json:"qi"`
	DiNominalPerDay    float64 `json:"di_nominal_per_day"`
	DiEffectivePerYear float64 `json:"di_effective_per_year"`
	// DiConvention says which effective decline DiEffectivePerYear is: "secant" (hyperbolic
	// family) or "tangent" (exponential).
	DiConvention string  `json:"di_convention"`
	B            float64 `json:"b"`
	// DlimNominalPerDay is the terminal decline of a modified hyperbolic model (0: none).
	DlimNominalPerDay float64     `json:"dlim_nominal_per_day,omitempty"`
	Fit               FitQuality  `json:"fit"`
	StartDate         time.Time   `json:"start_date"`
	AbandonmentRate   float64     `json:"abandonment_rate"`
	HorizonYears      float64     `json:"horizon_years"`
	CumulativeToDate  float64     `json:"cumulative_to_date"`
	EUR               float64     `json:"eur"`
	Remaining         float64     `json:"remaining"`
	History           []RatePoint `json:"history"`
	Series            []RatePoint `json:"series"`
	Notes             []string    `json:"notes,omitempty"`
	CreatedAt         time.Time   `json:"created_at"`
}

// FitQuality is how well a decline model fits the points it was fitted to.
type FitQuality struct {
	RMSELog       float64 `json:"rmse_log"`
	R2            float64 `json:"r2"`
	PointsUsed    int     `json:"points_used"`
	PointsDropped int     `json:"points_dropped"`
}

// RatePoint is a rate (per day) on a date ("2006-01-02").
type RatePoint struct {
	Date string  `json:"date"`
	Rate float64 `json:"rate"`
}
