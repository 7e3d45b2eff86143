package httpapi

import (
	"encoding/csv"
	"fmt"
	"image/color"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/dca"
	"github.com/wellbase/wellbase/internal/rateplot"
)

func (s *Server) getForecast(w http.ResponseWriter, r *http.Request) error {
	f, err := s.tenantStore(r).GetForecast(r.Context(), r.PathValue("forecast"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, f)
}

// forecastShownFraction is where a forecast plot without an abandonment rate stops: the rate
// falling to this fraction of qi (two decades under it on the log axis). The forecast itself,
// and its EUR, run to the horizon; the plot shows the part that can be read next to the history.
const forecastShownFraction = 0.01

// Colours of the phases, as production charts usually have them: oil green, gas red, water blue.
var phaseColor = map[string]color.Color{
	"oil":            color.RGBA{R: 0x1a, G: 0x96, B: 0x41, A: 0xff},
	"gas":            color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	"water":          color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	"water_injected": color.RGBA{R: 0x6b, G: 0xae, B: 0xd6, A: 0xff},
	"gas_injected":   color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
}

// plotForecast draws a forecast's history (points), the fitted model over it, and the forecast
// (dashed) on a log rate axis, from the first point of the history to the abandonment rate or,
// without one, to forecastShownFraction of qi (at most the horizon); the caption gives the model,
// its parameters with their units and conventions, the EUR and how the forecast ends.
func (s *Server) plotForecast(w http.ResponseWriter, r *http.Request) error {
	ts := s.tenantStore(r)
	f, err := ts.GetForecast(r.Context(), r.PathValue("forecast"))
	if err != nil {
		return err
	}
	title := f.Phase + " decline, " + f.Model
	if well, err := ts.GetWell(r.Context(), f.WellID); err == nil {
		title = well.Name + " — " + title
	}
	rate := f.Unit + "/d"
	hist := rateplot.Series{Name: f.Phase + " rate (history)", Points: true, Color: color.RGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xff}}
	for _, p := range f.History {
		if d, err := time.Parse(time.DateOnly, p.Date); err == nil {
			hist.Dates, hist.Rates = append(hist.Dates, d), append(hist.Rates, p.Rate)
		}
	}
	fc := rateplot.Series{Name: "forecast", Dashed: true, Color: color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}}
	for _, p := range f.Series {
		if d, err := time.Parse(time.DateOnly, p.Date); err == nil {
			fc.Dates, fc.Rates = append(fc.Dates, d), append(fc.Rates, p.Rate)
		}
	}
	// The fitted model over the history it was fitted to, so a poor fit shows.
	model := dca.Params{Model: dca.Model(f.Model), Qi: f.Qi, DiNominalPerDay: f.DiNominalPerDay, B: f.B, DlimNominalPerDay: f.DlimNominalPerDay}
	fitted := rateplot.Series{Name: "fit (" + f.Model + ")", Color: color.RGBA{R: 0x1a, G: 0x96, B: 0x41, A: 0xff}}
	if model.Validate() == nil {
		for _, d := range hist.Dates {
			if t := d.Sub(f.StartDate).Hours() / 24; t >= 0 {
				fitted.Dates, fitted.Rates = append(fitted.Dates, d), append(fitted.Rates, model.Rate(t))
			}
		}
	}

	// How far to show the forecast.
	ends := "the " + fmtYears(f.HorizonYears) + "-year horizon"
	if n := len(fc.Rates); n > 0 && f.AbandonmentRate > 0 && fc.Rates[n-1] <= f.AbandonmentRate*(1+1e-6) {
		ends = "the abandonment rate, " + rateplot.FormatNumber(f.AbandonmentRate) + " " + rate
	}
	var shownNote string
	if n := len(fc.Rates); n > 0 && f.AbandonmentRate == 0 {
		cut := forecastShownFraction * f.Qi
		if fc.Rates[0] <= cut { // already under it at the end of the history: one decade more
			cut = fc.Rates[0] / 10
		}
		if i := slices.IndexFunc(fc.Rates, func(q float64) bool { return q <= cut }); i >= 0 && i < n-1 {
			shownNote = fmt.Sprintf("Forecast shown to %s, where the rate falls to %s %s (%s); it runs on to %s.",
				fc.Dates[i].Format("2006-01"), rateplot.FormatSig(fc.Rates[i], 3), rate, cutName(cut, f.Qi), fc.Dates[n-1].Format("2006-01"))
			fc.Dates, fc.Rates = fc.Dates[:i+1], fc.Rates[:i+1]
		}
	}

	ch := rateplot.Chart{Title: title, LeftUnit: rate, Series: []rateplot.Series{hist, fitted, fc}}
	if len(hist.Dates) > 0 && len(fc.Dates) > 0 {
		ch.From, ch.To = hist.Dates[0], fc.Dates[len(fc.Dates)-1]
		if f.AbandonmentRate > 0 { // the economic limit the forecast runs to, across the chart
			ch.Series = append(ch.Series, rateplot.Series{Name: "abandonment rate", Color: color.Gray{Y: 0x80}, Dotted: true,
				Dates: []time.Time{ch.From, ch.To}, Rates: []float64{f.AbandonmentRate, f.AbandonmentRate}})
		}
	}
	ch.Caption = forecastCaption(f, rate, ends)
	if shownNote != "" {
		ch.Caption = append(ch.Caption, shownNote)
	}
	return writeSVG(w, ch.WriteSVG)
}

// forecastCSV writes a forecast as CSV, one row per date: the history it was fitted to, then
// the forecast (kind history|forecast, rate per day in the forecast's unit), and on each row the
// model, qi (unit/d), Di (nominal, 1/yr), b and EUR (unit), so that any row read alone says
// what made it.
func (s *Server) forecastCSV(w http.ResponseWriter, r *http.Request) error {
	f, err := s.tenantStore(r).GetForecast(r.Context(), r.PathValue("forecast"))
	if err != nil {
		return err
	}
	var b strings.Builder
	u := strings.ReplaceAll(f.Unit, "/", "_")
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	cw := csv.NewWriter(&b)
	cw.Write([]string{"date", "kind", "rate_" + u + "_per_d", "model", "qi_" + u + "_per_d", "di_nominal_per_year", "b", "eur_" + u})
	params := []string{f.Model, num(f.Qi), num(f.DiNominalPerDay * dca.DaysPerYear), num(f.B), num(f.EUR)}
	for _, set := range []struct {
		kind string
		pts  []wellbase.RatePoint
	}{{"history", f.History}, {"forecast", f.Series}} {
		for _, p := range set.pts {
			cw.Write(append([]string{p.Date, set.kind, num(p.Rate)}, params...))
		}
	}
	cw.Flush()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="forecast-`+f.ID+`.csv"`)
	_, err = io.WriteString(w, b.String())
	return err
}

// cutName says what the cut-off rate of a forecast plot is, relative to qi.
func cutName(cut, qi float64) string {
	if cut == forecastShownFraction*qi {
		return fmt.Sprintf("%g %% of qi", forecastShownFraction*100)
	}
	return "a tenth of the rate at the end of the history"
}

// forecastCaption is the model, its parameters, the EUR and the fit of forecast f, in words and
// units (rate: the rate unit, e.g. Sm3/d); ends says where the forecast stops.
func forecastCaption(f *wellbase.Forecast, rate, ends string) []string {
	b := ""
	switch dca.Model(f.Model) {
	case dca.Hyperbolic, dca.ModifiedHyperbolic:
		b = fmt.Sprintf(", b = %.2f", f.B)
	case dca.Harmonic:
		b = ", b = 1"
	case dca.Exponential:
		b = ", b = 0"
	}
	di := fmt.Sprintf("Di = %s /yr nominal", rateplot.FormatSig(f.DiNominalPerDay*dca.DaysPerYear, 3))
	if f.DiEffectivePerYear > 0 {
		di += fmt.Sprintf(" (%s %%/yr %s effective)", rateplot.FormatSig(f.DiEffectivePerYear*100, 3), f.DiConvention)
	}
	lines := []string{fmt.Sprintf("Model: %s%s;  qi = %s %s on %s;  %s", f.Model, b, rateplot.FormatSig(f.Qi, 4), rate,
		f.StartDate.Format(time.DateOnly), di)}
	if f.DlimNominalPerDay > 0 {
		lines[0] += fmt.Sprintf(";  terminal decline %s %%/yr tangent effective", rateplot.FormatSig(dca.TangentFromNominal(f.DlimNominalPerDay*dca.DaysPerYear)*100, 3))
	}
	end := ""
	if n := len(f.Series); n > 0 {
		end = " on " + f.Series[n-1].Date
	}
	lines = append(lines, fmt.Sprintf("EUR = %s %s = %s produced to date + %s forecast to %s%s",
		rateplot.FormatSig(f.EUR, 3), f.Unit, rateplot.FormatSig(f.CumulativeToDate, 3), rateplot.FormatSig(f.Remaining, 3), ends, end))
	lines = append(lines, fmt.Sprintf("Fit: R² = %.3f, RMSE of ln(rate) = %.3f, %d points used, %d dropped", f.Fit.R2, f.Fit.RMSELog, f.Fit.PointsUsed, f.Fit.PointsDropped))
	return lines
}

func fmtYears(y float64) string { return strconv.FormatFloat(y, 'g', 4, 64) }

// plotProduction draws the ?phase= phases (one, or several: ?phase=oil,gas,water) of a well's
// production as rates per day on one time axis. Rates are per calendar day: a day's volume, or a
// month's volume over its days, put at mid-month (DOMAIN.md). Phases of one volume unit share a
// log rate axis, where the gap between the gas and the oil curves reads as the GOR; in two units
// (oil in Sm3 and gas in Mcf) the gas phases go to a second axis at the right.
func (s *Server) plotProduction(w http.ResponseWriter, r *http.Request) error {
	well, q, phases, recs, err := s.production(r)
	if err != nil {
		return err
	}
	var series []rateplot.Series
	var plotted []string // the phase of each series
	var units []string   // of the plotted phases, first seen first
	unitOf := map[string]string{}
	cum := map[string]float64{}
	var empty []string
	for _, phase := range phases {
		ser := rateplot.Series{Name: phaseName(phase), Color: phaseColor[phase], Dashed: strings.HasSuffix(phase, "_injected")}
		for _, rec := range recs {
			v, u, _ := rec.Volume(phase)
			if v == nil {
				continue
			}
			if _, ok := unitOf[phase]; !ok {
				unitOf[phase] = u
			}
			at := rec.Date
			if q.Period == wellbase.PeriodMonth {
				at = at.Add(time.Duration(rec.Days() * 12 * float64(time.Hour)))
			}
			ser.Dates, ser.Rates = append(ser.Dates, at), append(ser.Rates, *v/rec.Days())
			cum[phase] += *v
		}
		if len(ser.Dates) == 0 {
			empty = append(empty, phase)
			continue
		}
		if !slices.Contains(units, unitOf[phase]) {
			units = append(units, unitOf[phase])
		}
		series, plotted = append(series, ser), append(plotted, phase)
	}
	if len(series) == 0 {
		return wellbase.FieldError(wellbase.EInvalid, "phase", "well %s has no %s volumes of period %s to plot", well.Name, joinAnd(phases), q.Period)
	}
	ch := rateplot.Chart{Title: fmt.Sprintf("%s — %s rates (%s)", well.Name, joinAnd(plotted), map[string]string{"day": "daily", "month": "monthly"}[q.Period])}
	isGas := func(phase string) bool { return strings.HasPrefix(phase, "gas") }
	switch len(units) {
	case 1:
		ch.LeftUnit = units[0] + "/d"
	case 2:
		// Two units: the liquids' at the left, the gas phases' at the right.
		left, right := units[0], units[1]
		if i := slices.IndexFunc(plotted, func(p string) bool { return !isGas(p) }); i >= 0 && unitOf[plotted[i]] == right {
			left, right = right, left
		}
		for i, phase := range plotted {
			if unitOf[phase] != right {
				continue
			}
			if !isGas(phase) {
				return wellbase.FieldError(wellbase.EInvalid, "phase", "the liquid phases of well %s are in two units (%s and %s): plot them apart", well.Name, left, right)
			}
			series[i].Axis = rateplot.Right
		}
		ch.LeftUnit, ch.RightUnit = left+"/d", right+"/d"
	default:
		return wellbase.FieldError(wellbase.EInvalid, "phase", "the phases of well %s are in %d units (%s): a chart has two rate axes at most; plot them apart", well.Name, len(units), strings.Join(units, ", "))
	}
	ch.Series = series
	switch scale := r.URL.Query().Get("scale"); scale {
	case "", "log":
	case "linear":
		ch.Linear = true
	default:
		return wellbase.FieldError(wellbase.EBadRequest, "scale", "scale must be log or linear, got %q", clipID(scale))
	}
	var totals []string
	for _, phase := range phases {
		if _, ok := cum[phase]; ok {
			totals = append(totals, fmt.Sprintf("%s %s %s", phaseName(phase), rateplot.FormatSig(cum[phase], 3), unitOf[phase]))
		}
	}
	how := "daily volumes"
	if q.Period == wellbase.PeriodMonth {
		how = "monthly volumes over the days of their month (calendar-day rates), put at mid-month"
	}
	ch.Caption = []string{"Rates from " + how + ". Cumulative over the period shown: " + strings.Join(totals, ", ") + "."}
	if len(empty) > 0 {
		ch.Caption = append(ch.Caption, "No "+joinAnd(empty)+" volumes in this period.")
	}
	return writeSVG(w, ch.WriteSVG)
}

// phaseName is how a chart names a phase: "injected water" for water_injected.
func phaseName(phase string) string {
	if p, ok := strings.CutSuffix(phase, "_injected"); ok {
		return "injected " + p
	}
	return phase
}

// joinAnd joins "oil", "gas" and "water" as "oil, gas and water".
func joinAnd(items []string) string {
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = phaseName(it)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func writeSVG(w http.ResponseWriter, draw func(io.Writer) error) error {
	var b strings.Builder
	if err := draw(&b); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, max-age=60")
	_, err := w.Write([]byte(b.String()))
	return err
}
