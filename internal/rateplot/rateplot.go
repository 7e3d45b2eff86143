// Package rateplot draws production rate histories and decline forecasts as SVG with gonum/plot:
// time on the x axis, rate on a logarithmic y axis (a straight line there is an exponential
// decline, the usual way decline curves are read), whole decades of it around the data shown.
//
// A chart has one rate axis at the left and, when its series come in two units (oil in Sm3/d,
// gas in Mcf/d), a second one at the right for the series that say so. The legend and the
// caption lines (model, parameters, EUR, notes) sit under the chart, never over the data.
package rateplot

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/wellbase/wellbase"
)

// Axis is the rate axis a series is read against.
type Axis int

// The rate axes.
const (
	Left Axis = iota
	Right
)

// Series is one line of a rate chart: Rates[i] (per day) at Dates[i]. Rates ≤ 0 or NaN are gaps
// (a log axis has no place for them): a line breaks there.
type Series struct {
	Name  string
	Dates []time.Time
	Rates []float64
	// Points draws markers instead of a line (measured history); otherwise a line is drawn,
	// dashed when Dashed (a forecast), dotted when Dotted (a limit).
	Points bool
	Dashed bool
	Dotted bool
	Color  color.Color
	// Axis is the rate axis of the series: Left (default) or Right (Chart.RightUnit).
	Axis Axis
}

// Chart is a rate-time chart.
type Chart struct {
	Title string
	// LeftUnit and RightUnit label the rate axes, e.g. "Sm3/d"; RightUnit is "" when no series
	// is on the right axis.
	LeftUnit, RightUnit string
	// From and To bound the time axis; a zero one is the first (last) date of the series.
	// Points outside are not drawn.
	From, To time.Time
	// Caption holds the lines written under the chart: parameters, volumes, notes.
	Caption []string
	Series  []Series
	// Linear draws the rate axes linear from 0 instead of logarithmic over whole decades; zero
	// rates (shut-in days) are then drawn, not gaps.
	Linear bool
}

// Sizes, in points, of the chart (its plot area; the legend and caption add to its height).
const (
	chartWidth  = 720
	plotHeight  = 400
	lineHeight  = 15
	rightMargin = 70
	legendThumb = 22
)

var (
	sans = font.Font{Typeface: "Liberation", Variant: "Sans"}
	grey = color.Gray{Y: 0x60}
)

func textStyle(pt float64, c color.Color) text.Style {
	return text.Style{Color: c, Font: font.From(sans, vg.Points(pt)), Handler: plot.DefaultTextHandler}
}

// WriteSVG draws the chart as SVG on w. It returns an EInvalid error when no series has a
// positive rate between From and To, a series whose dates and rates differ in number, or a
// series on the right axis without a RightUnit.
func (ch *Chart) WriteSVG(w io.Writer) error {
	// What is drawn: positive finite rates within the time range.
	from, to := ch.From, ch.To
	if from.IsZero() || to.IsZero() {
		lo, hi := dateRange(ch.Series)
		if from.IsZero() {
			from = lo
		}
		if to.IsZero() {
			to = hi
		}
	}
	type drawn struct {
		Series
		segments []plotter.XYs
	}
	var shown []drawn
	ranges := [2][2]float64{{math.Inf(1), math.Inf(-1)}, {math.Inf(1), math.Inf(-1)}}
	for _, s := range ch.Series {
		if len(s.Dates) != len(s.Rates) {
			return wellbase.Errorf(wellbase.EInvalid, "series %s has %d dates and %d rates", s.Name, len(s.Dates), len(s.Rates))
		}
		if s.Axis == Right && ch.RightUnit == "" {
			return wellbase.Errorf(wellbase.EInvalid, "series %s is on the right axis, which has no unit", s.Name)
		}
		d := drawn{Series: s}
		var seg plotter.XYs
		for i, r := range s.Rates {
			t := s.Dates[i]
			if t.Before(from) || t.After(to) {
				continue
			}
			if !(r > 0 || ch.Linear && r == 0) || math.IsInf(r, 0) {
				if len(seg) > 0 {
					d.segments, seg = append(d.segments, seg), nil
				}
				continue
			}
			seg = append(seg, plotter.XY{X: float64(t.Unix()), Y: r})
			rg := &ranges[s.Axis]
			rg[0], rg[1] = math.Min(rg[0], r), math.Max(rg[1], r)
		}
		if len(seg) > 0 {
			d.segments = append(d.segments, seg)
		}
		shown = append(shown, d)
	}
	if math.IsInf(ranges[Left][0], 1) && math.IsInf(ranges[Right][0], 1) {
		return wellbase.Errorf(wellbase.EInvalid, "nothing to plot: no positive rate between %s and %s", from.Format(time.DateOnly), to.Format(time.DateOnly))
	}
	if !from.Before(to) { // one date: a day either side
		from, to = from.Add(-24*time.Hour), to.Add(24*time.Hour)
	}

	// The left plot draws the title, both axes' frame, the grid and the left series; the right
	// series are drawn on its data area against their own rate axis, drawn at the right.
	p := plot.New()
	p.Title.Text = ch.Title
	p.Title.TextStyle.Font, p.Title.TextStyle.Color = font.From(sans, vg.Points(13)), color.Black
	p.X.Label.Text = "Date"
	p.X.Min, p.X.Max = float64(from.Unix()), float64(to.Unix())
	p.X.Tick.Marker = timeTicks{}
	right := !math.IsInf(ranges[Right][0], 1)
	leftRange := ranges[Left]
	if math.IsInf(leftRange[0], 1) { // everything on the right axis: draw it at the left
		leftRange, right = ranges[Right], false
		for i := range shown {
			shown[i].Axis = Left
		}
		ch = &Chart{Title: ch.Title, LeftUnit: ch.RightUnit, Caption: ch.Caption}
	}
	p.Y.Label.Text = "Rate (" + ch.LeftUnit + ")"
	setRateAxis(&p.Y, leftRange, ch.Linear)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} { // the fonts; the alignments are the axis's
		ax.Label.TextStyle.Font = font.From(sans, vg.Points(11))
		ax.Tick.Label.Font = font.From(sans, vg.Points(10))
	}
	grid := plotter.NewGrid()
	grid.Vertical.Color, grid.Horizontal.Color = color.Gray{Y: 0xdd}, color.Gray{Y: 0xdd}
	p.Add(grid)
	var p2 *plot.Plot
	if right {
		p2 = plot.New()
		p2.X = p.X
		setRateAxis(&p2.Y, ranges[Right], ch.Linear)
		// As many decades on both axes: a decade is as tall on either, so that the declines of
		// the two compare by slope (a constant GOR draws parallel curves). The shorter axis grows
		// downwards.
		if !ch.Linear {
			dl, dr := math.Log10(p.Y.Max/p.Y.Min), math.Log10(p2.Y.Max/p2.Y.Min)
			if dl > dr {
				p2.Y.Min = p2.Y.Max / math.Pow(10, math.Round(dl))
			} else {
				p.Y.Min = p.Y.Max / math.Pow(10, math.Round(dr))
			}
		}
	}

	type legendEntry struct {
		name  string
		thumb plot.Thumbnailer
	}
	var legend []legendEntry
	var rightPlotters []plot.Plotter
	var rightColor color.Color = color.Black
	for _, s := range shown {
		c := s.Color
		if c == nil {
			c = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
		}
		var thumb plot.Thumbnailer
		var ps []plot.Plotter
		for _, seg := range s.segments {
			if s.Points {
				sc, err := plotter.NewScatter(seg)
				if err != nil {
					return fmt.Errorf("rateplot: %w", err)
				}
				sc.GlyphStyle.Color, sc.GlyphStyle.Radius, sc.GlyphStyle.Shape = c, vg.Points(1.6), draw.CircleGlyph{}
				ps, thumb = append(ps, sc), sc
				continue
			}
			l, err := plotter.NewLine(seg)
			if err != nil {
				return fmt.Errorf("rateplot: %w", err)
			}
			l.Color, l.Width = c, vg.Points(1.5)
			switch {
			case s.Dashed:
				l.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
			case s.Dotted:
				l.Dashes, l.Width = []vg.Length{vg.Points(1.5), vg.Points(2.5)}, vg.Points(1.2)
			}
			ps, thumb = append(ps, l), l
		}
		if thumb == nil {
			continue // nothing of it in the range
		}
		name := s.Name
		if right {
			name += map[Axis]string{Left: " (left axis)", Right: " (right axis)"}[s.Axis]
		}
		legend = append(legend, legendEntry{name, thumb})
		if s.Axis == Right && right {
			if len(rightPlotters) == 0 {
				rightColor = c
			}
			rightPlotters = append(rightPlotters, ps...)
		} else {
			p.Add(ps...)
		}
	}

	// Layout: the plot area on top, the legend rows and caption lines under it.
	legendStyle, captionStyle := textStyle(10, color.Black), textStyle(9.5, grey)
	em := legendStyle.Width("m")
	var rows [][]legendEntry
	x := vg.Length(0)
	for _, e := range legend {
		w := vg.Points(legendThumb) + em/2 + legendStyle.Width(e.name) + 2*em
		if len(rows) == 0 || x+w > vg.Points(chartWidth-60) {
			rows, x = append(rows, nil), 0
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], e)
		x += w
	}
	var caption []string
	for _, line := range ch.Caption {
		// A viewer without Liberation Sans draws a wider font (DejaVu Sans, ~10 %): room for it.
		caption = append(caption, wrap(captionStyle, line, vg.Points((chartWidth-70)*0.85))...)
	}
	bottom := vg.Points(float64(len(rows)+len(caption))*lineHeight + 12)
	width, height := vg.Points(chartWidth), vg.Points(plotHeight)+bottom
	c := vgsvg.New(width, height)
	dc := draw.New(c)
	c.SetColor(color.White)
	c.Fill(dc.Rectangle.Path())
	area := draw.Crop(dc, vg.Points(4), -vg.Points(12), bottom, -vg.Points(6))
	if right {
		area = draw.Crop(area, 0, -vg.Points(rightMargin), 0, 0)
	}
	p.Draw(area)
	if right {
		data := p.DataCanvas(area)
		for _, rp := range rightPlotters {
			rp.Plot(data, p2)
		}
		drawRightAxis(data, p2, "Rate ("+ch.RightUnit+")", rightColor)
	}

	// Legend rows, then the caption, from the top of the bottom band down.
	y := bottom - vg.Points(8)
	left := area.Min.X + vg.Points(50)
	for _, row := range rows {
		y -= vg.Points(lineHeight)
		x := left
		for _, e := range row {
			box := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: x, Y: y}, Max: vg.Point{X: x + vg.Points(legendThumb), Y: y + legendStyle.Height("M")}}}
			e.thumb.Thumbnail(&box)
			x += vg.Points(legendThumb) + em/2
			dc.FillText(legendStyle, vg.Point{X: x, Y: y}, e.name)
			x += legendStyle.Width(e.name) + 2*em
		}
	}
	for i, line := range caption {
		y -= vg.Points(lineHeight)
		x := left
		if i > 0 && !slices.Contains(ch.Caption, line) { // a wrapped line's continuation
			x += em
		}
		dc.FillText(captionStyle, vg.Point{X: x, Y: y}, line)
	}
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("rateplot: write SVG: %w", err)
	}
	return nil
}

// wrap breaks line at spaces into lines no wider than width in style sty.
func wrap(sty text.Style, line string, width vg.Length) []string {
	var out []string
	cur := ""
	for _, word := range strings.Fields(line) {
		next := word
		if cur != "" {
			next = cur + " " + word
		}
		if cur != "" && sty.Width(next) > width {
			out, cur = append(out, cur), word
			continue
		}
		cur = next
	}
	return append(out, cur)
}

// dateRange returns the first and last dates of the series' positive rates.
func dateRange(series []Series) (lo, hi time.Time) {
	for _, s := range series {
		for i, r := range s.Rates {
			if i >= len(s.Dates) || !(r > 0) || math.IsInf(r, 0) {
				continue
			}
			if t := s.Dates[i]; lo.IsZero() || t.Before(lo) {
				lo = t
			}
			if t := s.Dates[i]; hi.IsZero() || t.After(hi) {
				hi = t
			}
		}
	}
	return lo, hi
}

// setRateAxis makes ax a logarithmic rate axis (setLogAxis), or with linear a linear one from 0
// to a round number (1, 2 or 5 times a power of ten) at or above the range's top.
func setRateAxis(ax *plot.Axis, rg [2]float64, linear bool) {
	if !linear {
		setLogAxis(ax, rg)
		return
	}
	ax.Min, ax.Max = 0, 1
	if rg[1] > 0 {
		e := math.Pow(10, math.Floor(math.Log10(rg[1])))
		for _, m := range []float64{1, 2, 5, 10} {
			if m*e >= rg[1] {
				ax.Max = m * e
				break
			}
		}
	}
	ax.Tick.Marker = plot.DefaultTicks{}
}

// setLogAxis makes ax a logarithmic rate axis over whole decades around the range [lo, hi].
func setLogAxis(ax *plot.Axis, rg [2]float64) {
	ax.Scale = plot.LogScale{}
	ax.Tick.Marker = logTicks{}
	ax.Min, ax.Max = math.Pow(10, math.Floor(math.Log10(rg[0]))), math.Pow(10, math.Ceil(math.Log10(rg[1])))
	if ax.Min == ax.Max {
		ax.Max *= 10
	}
}

// drawRightAxis draws p's y axis along the right edge of its data canvas c in colour clr (the
// colour of its first series, which ties the axis to its curves): the line, the ticks (outward)
// and their labels, and the axis label.
func drawRightAxis(c draw.Canvas, p *plot.Plot, label string, clr color.Color) {
	line := draw.LineStyle{Color: clr, Width: vg.Points(0.5)}
	xr := c.Max.X
	c.StrokeLine2(line, xr, c.Min.Y, xr, c.Max.Y)
	_, ty := p.Transforms(&c)
	tick := textStyle(10, clr)
	tick.YAlign = text.YCenter
	widest := vg.Length(0)
	for _, t := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		if t.Value < p.Y.Min || t.Value > p.Y.Max {
			continue
		}
		y := ty(t.Value)
		n := vg.Points(5)
		if t.IsMinor() {
			n = vg.Points(2.5)
		}
		c.StrokeLine2(line, xr, y, xr+n, y)
		if !t.IsMinor() {
			c.FillText(tick, vg.Point{X: xr + vg.Points(8), Y: y}, t.Label)
			widest = max(widest, tick.Width(t.Label))
		}
	}
	// Read from the bottom up like the left axis's label; its top towards the tick labels.
	lab := textStyle(11, clr)
	lab.Rotation, lab.XAlign, lab.YAlign = math.Pi/2, text.XCenter, text.YTop
	c.FillText(lab, vg.Point{X: xr + vg.Points(12) + widest + vg.Points(2), Y: (c.Min.Y + c.Max.Y) / 2}, label)
}

// logTicks marks each decade (labelled) and its 2…9 multiples (labelled 2 and 5 when the axis
// spans at most two decades).
type logTicks struct{}

func (logTicks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	lo, hi := math.Floor(math.Log10(min)), math.Ceil(math.Log10(max))
	few := hi-lo <= 2
	for e := lo; e <= hi; e++ {
		base := math.Pow(10, e)
		for m := 1.0; m <= 9; m++ {
			v := m * base
			if v < min*(1-1e-9) || v > max*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || few && (m == 2 || m == 5) {
				t.Label = FormatNumber(v)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// timeTicks marks years (labelled 2008, 2009, … or every 2 or 5 years over long spans) or, over
// less than three years, months (labelled 2015-03 every 3 months or every month).
type timeTicks struct{}

func (timeTicks) Ticks(min, max float64) []plot.Tick {
	t0, t1 := time.Unix(int64(min), 0).UTC(), time.Unix(int64(max), 0).UTC()
	years := t1.Sub(t0).Hours() / 24 / 365.25
	var ticks []plot.Tick
	add := func(t time.Time, label string) {
		if v := float64(t.Unix()); v >= min && v <= max {
			ticks = append(ticks, plot.Tick{Value: v, Label: label})
		}
	}
	if years >= 3 {
		every := 1
		switch {
		case years > 30:
			every = 5
		case years > 12:
			every = 2
		}
		for y := t0.Year(); y <= t1.Year(); y++ {
			label := ""
			if y%every == 0 {
				label = strconv.Itoa(y)
			}
			add(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), label)
			if years <= 12 { // quarters
				for m := 4; m <= 10; m += 3 {
					add(time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC), "")
				}
			}
		}
		return ticks
	}
	every := 1
	if years > 1 {
		every = 3
	}
	for t := time.Date(t0.Year(), t0.Month(), 1, 0, 0, 0, 0, time.UTC); !t.After(t1); t = t.AddDate(0, 1, 0) {
		label := ""
		if (int(t.Month())-1)%every == 0 {
			label = t.Format("2006-01")
		}
		add(t, label)
	}
	return ticks
}

// FormatNumber writes v for people: whole numbers with their thousands apart ("12 500"),
// others with up to three significant digits ("0.05", "2.35").
func FormatNumber(v float64) string {
	if math.Abs(v) >= 1000 || v == math.Trunc(v) && math.Abs(v) >= 1 {
		s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
		neg := strings.HasPrefix(s, "-")
		s = strings.TrimPrefix(s, "-")
		var b strings.Builder
		for i, d := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(d)
		}
		if neg {
			return "-" + b.String()
		}
		return b.String()
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// FormatSig writes v rounded to n significant digits, for people ("4 040 000", "0.462").
func FormatSig(v float64, n int) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	e := math.Floor(math.Log10(math.Abs(v))) + 1 - float64(n)
	r := math.Round(v/math.Pow(10, e)) * math.Pow(10, e)
	switch {
	case math.Abs(r) >= 1000:
		return FormatNumber(r)
	case math.Abs(r) < 0.001:
		return strconv.FormatFloat(r, 'g', n, 64)
	}
	return strconv.FormatFloat(r, 'f', max(0, int(-e)), 64)
}
