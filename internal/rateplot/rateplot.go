// Package rateplot draws production rate histories and decline forecasts as SVG with gonum/plot:
// time on the x axis, rate on a logarithmic y axis (a straight line there is an exponential
// decline, the usual way decline curves are read).
package rateplot

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/wellbase/wellbase"
)

// Series is one line of a rate plot: Rates[i] (per day) at Dates[i]. Rates ≤ 0 or NaN are gaps
// (a log axis has no place for them).
type Series struct {
	Name  string
	Dates []time.Time
	Rates []float64
	// Points draws markers instead of a line (measured history); otherwise a line is drawn,
	// dashed when Dashed (a forecast).
	Points bool
	Dashed bool
	Color  color.Color
}

// Plot writes an SVG of series with the title and the rate unit (e.g. "Sm3/d").
// It returns an EInvalid error when no series has a positive rate.
func Plot(w io.Writer, title, unit string, series []Series) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "Date"
	p.Y.Label.Text = "Rate (" + unit + ")"
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	p.X.Tick.Marker = plot.TimeTicks{Format: "2006-01"}
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	// Inside the frame, clear of its edge, so long names are not cut.
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(12), -vg.Points(6)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range series {
		if len(s.Dates) != len(s.Rates) {
			return wellbase.Errorf(wellbase.EInvalid, "series %s has %d dates and %d rates", s.Name, len(s.Dates), len(s.Rates))
		}
		var xys plotter.XYs
		for i, r := range s.Rates {
			if r > 0 && !math.IsInf(r, 0) {
				xys = append(xys, plotter.XY{X: float64(s.Dates[i].Unix()), Y: r})
				lo, hi = math.Min(lo, r), math.Max(hi, r)
			}
		}
		if len(xys) == 0 {
			continue
		}
		c := s.Color
		if c == nil {
			c = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
		}
		if s.Points {
			sc, err := plotter.NewScatter(xys)
			if err != nil {
				return fmt.Errorf("rateplot: %w", err)
			}
			sc.GlyphStyle.Color, sc.GlyphStyle.Radius, sc.GlyphStyle.Shape = c, vg.Points(1.5), draw.CircleGlyph{}
			p.Add(sc)
			p.Legend.Add(s.Name, sc)
			continue
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return fmt.Errorf("rateplot: %w", err)
		}
		l.Color, l.Width = c, vg.Points(1.5)
		if s.Dashed {
			l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		}
		p.Add(l)
		p.Legend.Add(s.Name, l)
	}
	if math.IsInf(lo, 1) {
		return wellbase.Errorf(wellbase.EInvalid, "nothing to plot: no positive rate")
	}
	// Whole decades around the data, at least one.
	p.Y.Min, p.Y.Max = math.Pow(10, math.Floor(math.Log10(lo))), math.Pow(10, math.Ceil(math.Log10(hi)))
	if p.Y.Min == p.Y.Max {
		p.Y.Max *= 10
	}
	c := vgsvg.New(10*vg.Inch, 6*vg.Inch)
	p.Draw(draw.New(c))
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("rateplot: write SVG: %w", err)
	}
	return nil
}
