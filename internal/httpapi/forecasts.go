package httpapi

import (
	"image/color"
	"net/http"
	"strings"
	"time"

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

// plotForecast draws a forecast's history (points) and forecast (dashed line) on a log rate axis.
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
	hist := rateplot.Series{Name: "history", Points: true}
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
	fitted := rateplot.Series{Name: "fit (" + f.Model + ")", Color: color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}}
	if model.Validate() == nil {
		for _, d := range hist.Dates {
			if t := d.Sub(f.StartDate).Hours() / 24; t >= 0 {
				fitted.Dates, fitted.Rates = append(fitted.Dates, d), append(fitted.Rates, model.Rate(t))
			}
		}
	}
	return writeSVG(w, func(b *strings.Builder) error {
		return rateplot.Plot(b, title, f.Unit+"/d", []rateplot.Series{hist, fitted, fc})
	})
}

// plotProduction draws one phase of a well's production as rates per day.
func (s *Server) plotProduction(w http.ResponseWriter, r *http.Request) error {
	well, q, phase, recs, err := s.production(r)
	if err != nil {
		return err
	}
	unit := ""
	ser := rateplot.Series{Name: phase + " (" + q.Period + ")"}
	for _, rec := range recs {
		v, u, _ := rec.Volume(phase)
		if v == nil {
			continue
		}
		if unit == "" {
			unit = u
		}
		ser.Dates, ser.Rates = append(ser.Dates, rec.Date), append(ser.Rates, *v/rec.Days())
	}
	return writeSVG(w, func(b *strings.Builder) error {
		return rateplot.Plot(b, well.Name+" — "+phase+" rate", unit+"/d", []rateplot.Series{ser})
	})
}

func writeSVG(w http.ResponseWriter, draw func(*strings.Builder) error) error {
	var b strings.Builder
	if err := draw(&b); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, max-age=60")
	_, err := w.Write([]byte(b.String()))
	return err
}
