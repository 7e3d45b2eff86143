package dca

import (
	"math"
)

// MaxForecastPoints is the most points a forecast series may have; a longer one is an error
// that asks for a larger step or a shorter horizon.
const MaxForecastPoints = 100_000

// DefaultStep is the forecast step used when ForecastOptions.Step is 0: one average month,
// 365.25/12 = 30.4375 days.
const DefaultStep = DaysPerYear / 12

// ForecastOptions say where a forecast starts and ends. Times are days on the decline's time
// axis (t = 0 at Qi); rates are volume per day.
type ForecastOptions struct {
	// From is the time the forecast starts, usually the last production date (Fit.EndT), ≥ 0.
	From float64
	// Horizon is the forecast length in days after From; 0 means until the abandonment rate.
	Horizon float64
	// Step is the spacing of the series in days; 0 means DefaultStep (one average month).
	Step float64
	// AbandonmentRate is the economic limit in volume per day; 0 means none (then Horizon is
	// required). The forecast ends at the first of the horizon and the abandonment rate.
	AbandonmentRate float64
	// CumulativeToDate is the volume produced up to From, measured (it includes any build-up
	// before the start of the decline). 0 means unknown: the model's cumulative Np(From) is
	// used instead.
	CumulativeToDate float64
	// DlimNominalPerDay, when > 0, is a terminal nominal decline (1/day) applied before the
	// forecast with [Params.WithTerminalDecline]: a hyperbolic or harmonic decline is forecast
	// as modified hyperbolic, which gives b ≥ 1 a finite EUR. Forecast.Params is what was used.
	DlimNominalPerDay float64
}

// End reasons of a forecast.
const (
	EndAbandonment = "abandonment" // the rate reached the abandonment rate
	EndHorizon     = "horizon"     // the horizon came first
)

// Forecast is a forecast series with its volumes. The series starts at From and ends at the
// abandonment time or the horizon, whichever comes first, with both ends included.
type Forecast struct {
	// Params is the decline forecast: the given one, or its modified hyperbolic form when
	// ForecastOptions.DlimNominalPerDay is set.
	Params Params `json:"params"`
	// T are the times of the series, days on the decline's time axis (see [Fit.Forecast] for a
	// series on the input's time axis).
	T []float64 `json:"t_days"`
	// Rate are the rates at T, volume per day; non-increasing.
	Rate []float64 `json:"rate"`
	// Cumulative are the cumulative volumes at T: CumulativeToDate plus the volume forecast
	// between From and T; the last one is EUR.
	Cumulative []float64 `json:"cumulative"`
	// CumulativeToDate is the volume produced before From that EUR includes; ModelCumulative
	// says it was computed from the model because ForecastOptions.CumulativeToDate was 0.
	CumulativeToDate float64 `json:"cumulative_to_date"`
	ModelCumulative  bool    `json:"model_cumulative,omitempty"`
	// Remaining is the volume forecast between From and the end of the series.
	Remaining float64 `json:"remaining"`
	// EUR is the estimated ultimate recovery: CumulativeToDate + Remaining.
	EUR float64 `json:"eur"`
	// TimeToAbandonment is the time in days from From until the rate reaches the abandonment
	// rate (even beyond the horizon); 0 without an abandonment rate or when the rate at From is
	// already at or below it.
	TimeToAbandonment float64 `json:"time_to_abandonment_days"`
	// End says why the series ends: EndAbandonment or EndHorizon.
	End string `json:"end"`
}

// Forecast returns the rates and volumes of the decline from opt.From to the abandonment rate
// or the horizon. EUR = cumulative to date + forecast volume (DOMAIN.md; SPEE Monograph 4). A
// hyperbolic or harmonic decline with b ≥ 1 produces an unbounded volume, so it needs a limit: an
// abandonment rate or a horizon; without either Forecast returns an invalid error that names
// them and the terminal decline (opt.DlimNominalPerDay, see [Params.WithTerminalDecline]). Any
// decline needs a horizon or an abandonment rate, since the series would be infinite. Other
// errors: invalid params, negative or non-finite options, more than MaxForecastPoints points.
func (p Params) Forecast(opt ForecastOptions) (*Forecast, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := opt.check(); err != nil {
		return nil, err
	}
	if opt.DlimNominalPerDay > 0 {
		var err error
		if p, err = p.WithTerminalDecline(opt.DlimNominalPerDay); err != nil {
			return nil, err
		}
	}
	if opt.Horizon == 0 && opt.AbandonmentRate == 0 {
		if p.Model != ModifiedHyperbolic && p.Model != Exponential && p.b() >= 1 {
			return nil, divergesError(p)
		}
		return nil, invalidf("horizon", "a forecast needs a horizon or an abandonment rate")
	}
	step := opt.Step
	if step == 0 {
		step = DefaultStep
	}

	from := opt.From
	end := math.Inf(1)
	fc := &Forecast{Params: p, End: EndHorizon}
	if opt.Horizon > 0 {
		end = from + opt.Horizon
	}
	if opt.AbandonmentRate > 0 {
		tab := p.timeToRate(opt.AbandonmentRate)
		fc.TimeToAbandonment = math.Max(tab-from, 0)
		if tab <= end {
			end = math.Max(tab, from)
			fc.End = EndAbandonment
		}
	}
	n := math.Ceil((end - from) / step)
	if n+1 > MaxForecastPoints {
		return nil, invalidf("step", "a forecast of %.0f days with a step of %g days has more than %d points: use a larger step or a shorter horizon", end-from, step, MaxForecastPoints)
	}
	// Regular points from From, then the end itself unless the last regular point is on it.
	cnt := int(n)
	if cnt > 0 && from+float64(cnt-1)*step >= end-1e-9*step {
		cnt--
	}
	cnt++
	fc.T = make([]float64, cnt)
	fc.Rate = make([]float64, cnt)
	fc.Cumulative = make([]float64, cnt)

	npFrom := p.Cumulative(from)
	fc.CumulativeToDate = opt.CumulativeToDate
	if opt.CumulativeToDate == 0 {
		fc.CumulativeToDate = npFrom
		fc.ModelCumulative = true
	}
	for i := range fc.T {
		t := from + float64(i)*step
		if i == cnt-1 {
			t = end
		}
		fc.T[i] = t
		fc.Rate[i] = p.Rate(t)
		fc.Cumulative[i] = fc.CumulativeToDate + (p.Cumulative(t) - npFrom)
	}
	fc.Remaining = fc.Cumulative[cnt-1] - fc.CumulativeToDate
	fc.EUR = fc.Cumulative[cnt-1]
	return fc, nil
}

func (opt ForecastOptions) check() error {
	for _, c := range []struct {
		field string
		v     float64
	}{
		{"from", opt.From}, {"horizon", opt.Horizon}, {"step", opt.Step},
		{"abandonment_rate", opt.AbandonmentRate}, {"cumulative_to_date", opt.CumulativeToDate},
		{"dlim", opt.DlimNominalPerDay},
	} {
		if !(c.v >= 0) || math.IsInf(c.v, 0) {
			return invalidf(c.field, "%s must be zero or positive and finite, got %g", c.field, c.v)
		}
	}
	return nil
}

// Forecast forecasts the fitted decline from the end of the data (opt.From is replaced by
// f.EndT) and returns the series on the input's time axis: T is days since the first input point,
// like Point.T. See [Params.Forecast] for the options and errors; pass the measured cumulative
// production in opt.CumulativeToDate so that EUR includes the production before the decline.
func (f *Fit) Forecast(opt ForecastOptions) (*Forecast, error) {
	opt.From = f.EndT
	fc, err := f.Params.Forecast(opt)
	if err != nil {
		return nil, err
	}
	for i := range fc.T {
		fc.T[i] += f.StartT
	}
	return fc, nil
}
